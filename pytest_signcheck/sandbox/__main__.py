"""``python -m pytest_signcheck.sandbox``: serve the reference sandbox until Ctrl-C.

Exit status: 0 after a clean stop (Ctrl-C or SIGTERM) or ``--help``/``--list-drifts``; 4 for a usage
error, printed as one line ``python -m pytest_signcheck.sandbox: error: ...`` that names the fix: a bad
option or value (argparse's own errors included, which would otherwise be 2), an address that cannot
be served (a port in use, a host that is not this machine's), a host that is not loopback without
``--allow-non-loopback``, or the ``sandbox`` extra not installed; 1 when the server fails to start for
another reason. 4 is pytest's usage-error status, the one every signcheck command uses.

Loopback only, unless asked: the sandbox accepts a well-known API key and serves its control surface
(sign, decline) to anyone who can reach it, so listening on another interface must be deliberate.
"""

from __future__ import annotations

import argparse
import difflib
import errno
import importlib
import ipaddress
import signal
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

from .config import API_VERSIONS, DEFAULT_API_KEY, SandboxConfig
from .drifts import DRIFTS, unknown_drifts

if TYPE_CHECKING:
    from .server import SandboxServer

PROG = "python -m pytest_signcheck.sandbox"
USAGE_ERROR = 4
EXTRA = 'pip install "pytest-signcheck[sandbox]"'
EXPOSED = (
    "serving on {host}, not loopback: anyone who can reach it can read and change this sandbox "
    "with its API key, and sign or decline through its controls"
)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exits 4 like the rest of signcheck."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}; see --help\n")


class UsageError(Exception):
    """A value the command cannot use; its message names the fix."""


def _bounded(low: int, high: int | None, what: str) -> Callable[[str], int]:
    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low or (high is not None and value > high):
            span = f"from {low} to {high}" if high is not None else f"{low} or more"
            span = "zero or more" if span == "0 or more" else span
            raise argparse.ArgumentTypeError(f"{what} must be {span}, not {value}")
        return value

    return convert


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Serve the documented iinked Sign API on loopback (the docs, not the real service).",
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    add(
        "--allow-non-loopback",
        action="store_true",
        help="let --host be another interface: anyone who can reach it can use the well-known key",
    )
    add("--port", type=_bounded(0, 65535, "a port"), default=8080, help="0 picks a free one (default 8080)")
    add("--drift", action="append", default=[], metavar="NAME", help="switch a drift on (repeatable)")
    add("--api-version", default="4.0", help=f"release whose states to report: {', '.join(API_VERSIONS)}")
    add("--api-key", default=DEFAULT_API_KEY, help=f"key to accept (default {DEFAULT_API_KEY})")
    add("--seed", type=_bounded(0, None, "the seed"), default=0, help="seed of the organisation (default 0)")
    add("--packages", type=_bounded(0, None, "packages"), default=60, help="packages to seed (default 60)")
    add("--templates", type=_bounded(0, None, "templates"), default=24, help="templates to seed (default 24)")
    add(
        "--throttle",
        type=_bounded(-1, None, "throttle"),
        default=0,
        help="answer the first N with 429; -1 always",
    )
    add("--delay-ms", type=_bounded(0, None, "the delay"), default=0, help="hold every API response N ms")
    add("--list-drifts", action="store_true", help="print the drift switches and exit")
    return parser


def drift_table() -> str:
    """One line per drift: name, check id, description."""
    width = max(map(len, DRIFTS))
    check_width = max(len(d.check) for d in DRIFTS.values())
    return "\n".join(f"{d.name:<{width}}  {d.check:<{check_width}}  {d.description}" for d in DRIFTS.values())


def _missing_extra() -> str | None:
    """The name of the first server package that cannot be imported, if any."""
    for module in ("starlette", "uvicorn"):
        try:
            importlib.import_module(module)
        except ImportError:
            return module
    return None


def _banner(server: SandboxServer) -> str:
    config = server.config
    return "\n".join(
        (
            f"signcheck sandbox: the documented iinked Sign API (not the real service) at {server.base_url}",
            f"api_key: {server.api_key}",
            f"api version {config.api_version}, seed {config.seed}, {config.packages} packages, "
            f"{config.templates} templates, delay {config.delay_ms} ms, "
            f"drifts: {', '.join(config.drifts) or 'none'}",
            f"sandbox controls (not the vendor API): {server.control_url}",
            f"try: curl -H 'api_key: {server.api_key}' -X POST {server.base_url}/packages/list -d '{{}}'",
            "Ctrl-C stops it.",
        )
    )


def _interrupt(signum: int, frame: FrameType | None) -> None:
    del signum, frame
    raise KeyboardInterrupt


def _config(args: argparse.Namespace) -> SandboxConfig:
    """The sandbox the options ask for; `UsageError` naming the option and its fix."""
    unknown = unknown_drifts(tuple(args.drift))
    if unknown:
        raise UsageError(_unknown_drift(unknown[0]))
    if not args.api_key:
        raise UsageError("argument --api-key: the key must not be empty; leave it out for the default")
    try:
        return SandboxConfig(
            api_key=args.api_key,
            api_version=args.api_version,
            drifts=tuple(args.drift),
            seed=args.seed,
            packages=args.packages,
            throttle=args.throttle,
            templates=args.templates,
            delay_ms=args.delay_ms,
        )
    except ValueError as error:  # the api version: the other values were checked above or by argparse
        raise UsageError(f"argument --api-version: {error}") from None


def _unknown_drift(name: str) -> str:
    close = difflib.get_close_matches(name, DRIFTS, n=1)
    guess = f" (did you mean {close[0]!r}?)" if close else ""
    listing = f"--list-drifts prints the {len(DRIFTS)} known ones"
    return f"argument --drift: unknown drift {name!r}{guess}; {listing}"


def is_loopback(host: str) -> bool:
    """Whether `host` is ``localhost`` or a loopback IP address (``127.0.0.0/8``, ``::1``)."""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host(host: str, allow_non_loopback: bool) -> None:
    """`UsageError` unless `host` is loopback, or the user opted in to another address."""
    if not (allow_non_loopback or is_loopback(host)):
        raise UsageError(
            f"argument --host: {host} is not a loopback address, and the sandbox accepts a well-known "
            "API key from anyone who can reach it; serve on 127.0.0.1, ::1 or localhost, or pass "
            "--allow-non-loopback to expose it on purpose"
        )


def _address_error(error: OSError, host: str, port: int) -> str | None:
    """The usage error a failed bind of `host`:`port` is, naming the fix; None if it is none."""
    if isinstance(error, socket.gaierror):
        return f"argument --host: cannot resolve {host!r} ({error.strerror}); give an IP address"
    if error.errno == errno.EADDRINUSE:
        return f"port {port} is in use; pick another with --port or --port 0"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"argument --host: {host} is not an address of this machine; pick another --host"
    if error.errno == errno.EACCES:
        return f"port {port} needs privileges this user lacks; pick one above 1023 with --port, or --port 0"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.list_drifts:
        print(drift_table())
        return 0
    try:
        config = _config(args)
        check_host(args.host, args.allow_non_loopback)
    except UsageError as error:
        return _usage_error(str(error))
    missing = _missing_extra()
    if missing is not None:
        return _usage_error(f"the sandbox needs {missing}, which is not installed: {EXTRA}")
    return _serve(config, args.host, args.port)


def _usage_error(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return USAGE_ERROR


def _serve(config: SandboxConfig, host: str, port: int) -> int:
    from .server import running

    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with SIGINT ignored
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with running(config, host=host, port=port) as server:
            print(_banner(server), flush=True)
            if not is_loopback(host):
                print(f"{PROG}: warning: {EXPOSED.format(host=host)}", file=sys.stderr, flush=True)
            threading.Event().wait()
    except KeyboardInterrupt:
        print("signcheck sandbox: stopped", flush=True)
    except (OSError, RuntimeError) as error:
        reason = _address_error(error, host, port) if isinstance(error, OSError) else None
        if reason is not None:
            return _usage_error(reason)
        print(f"{PROG}: error: cannot serve on {host}:{port}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
