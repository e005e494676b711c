"""``python -m pytest_signcheck.sandbox``: serve the reference sandbox until Ctrl-C.

Exit status: 0 after a clean stop (Ctrl-C or SIGTERM), 1 when the address cannot be served,
2 for a bad option (unknown drift or API version included).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from .config import API_VERSIONS, DEFAULT_API_KEY, SandboxConfig
from .drifts import DRIFTS
from .server import SandboxServer, running

PROG = "python -m pytest_signcheck.sandbox"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Serve the documented iinked Sign API on loopback (the docs, not the real service).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8080, help="port to listen on; 0 picks a free one (default 8080)"
    )
    parser.add_argument(
        "--drift", action="append", default=[], metavar="NAME", help="switch a drift on (repeatable)"
    )
    parser.add_argument(
        "--api-version", default="4.0", help=f"release whose states to report: {', '.join(API_VERSIONS)}"
    )
    parser.add_argument(
        "--api-key", default=DEFAULT_API_KEY, help=f"key to accept (default {DEFAULT_API_KEY})"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated packages (default 0)")
    parser.add_argument("--packages", type=int, default=60, help="how many packages to seed (default 60)")
    parser.add_argument(
        "--throttle", type=int, default=0, help="answer the first N requests with 429; -1 always"
    )
    parser.add_argument("--list-drifts", action="store_true", help="print the drift switches and exit")
    return parser


def drift_table() -> str:
    """One line per drift: name, check id, description."""
    width = max(map(len, DRIFTS))
    check_width = max(len(d.check) for d in DRIFTS.values())
    return "\n".join(f"{d.name:<{width}}  {d.check:<{check_width}}  {d.description}" for d in DRIFTS.values())


def _banner(server: SandboxServer) -> str:
    config = server.config
    return "\n".join(
        (
            f"signcheck sandbox: the documented iinked Sign API (not the real service) at {server.base_url}",
            f"api_key: {server.api_key}",
            f"api version {config.api_version}, seed {config.seed}, {config.packages} packages, "
            f"drifts: {', '.join(config.drifts) or 'none'}",
            f"try: curl -H 'api_key: {server.api_key}' -X POST {server.base_url}/packages/list -d '{{}}'",
            "Ctrl-C stops it.",
        )
    )


def _interrupt(signum: int, frame: FrameType | None) -> None:
    del signum, frame
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.list_drifts:
        print(drift_table())
        return 0
    try:
        config = SandboxConfig(
            api_key=args.api_key,
            api_version=args.api_version,
            drifts=tuple(args.drift),
            seed=args.seed,
            packages=args.packages,
            throttle=args.throttle,
        )
    except ValueError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with SIGINT ignored
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with running(config, host=args.host, port=args.port) as server:
            print(_banner(server), flush=True)
            threading.Event().wait()
    except KeyboardInterrupt:
        print("signcheck sandbox: stopped", flush=True)
    except OSError as error:
        print(f"{PROG}: error: cannot serve on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
