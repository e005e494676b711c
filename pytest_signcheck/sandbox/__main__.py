"""``python -m pytest_signcheck.sandbox``: serve the reference sandbox until Ctrl-C.

Exit status: 0 after a clean stop (Ctrl-C or SIGTERM) or ``--help``/``--list-drifts``; 1 when the
address cannot be served; 4 for a usage error: a bad option or value (argparse's own errors
included, which would otherwise be 2), or the ``sandbox`` extra not installed. 4 is pytest's
usage-error status, the one every signcheck command uses.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

from .config import API_VERSIONS, DEFAULT_API_KEY, SandboxConfig
from .drifts import DRIFTS

if TYPE_CHECKING:
    from .server import SandboxServer

PROG = "python -m pytest_signcheck.sandbox"
USAGE_ERROR = 4
EXTRA = 'pip install "pytest-signcheck[sandbox]"'


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 4 like the rest of signcheck."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


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
    add("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.list_drifts:
        print(drift_table())
        return 0
    try:
        config = _config(args)
    except ValueError as error:
        parser.error(str(error))
    missing = _missing_extra()
    if missing is not None:
        print(f"{PROG}: error: the sandbox needs {missing}, which is not installed: {EXTRA}", file=sys.stderr)
        return USAGE_ERROR
    return _serve(config, args.host, args.port)


def _serve(config: SandboxConfig, host: str, port: int) -> int:
    from .server import running

    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with SIGINT ignored
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with running(config, host=host, port=port) as server:
            print(_banner(server), flush=True)
            threading.Event().wait()
    except KeyboardInterrupt:
        print("signcheck sandbox: stopped", flush=True)
    except OSError as error:
        print(f"{PROG}: error: cannot serve on {host}:{port}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
