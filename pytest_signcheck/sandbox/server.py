"""Serving the sandbox with uvicorn in a background thread, on a real loopback socket.

starlette and uvicorn (the ``sandbox`` extra) are imported only when an app is built or served, so
``import pytest_signcheck.sandbox`` works without them.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .config import SandboxConfig

if TYPE_CHECKING:
    from starlette.applications import Starlette

STARTUP_TIMEOUT = 15.0


def create_app(config: SandboxConfig) -> Starlette:
    """The sandbox as an ASGI application, with its own freshly seeded store."""
    from .routes import build_app

    return build_app(config)


@dataclass(frozen=True)
class SandboxServer:
    """A running sandbox: where it is and how to talk to it."""

    base_url: str
    api_key: str
    config: SandboxConfig
    port: int
    host: str = "127.0.0.1"


@contextmanager
def running(
    config: SandboxConfig | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> Iterator[SandboxServer]:
    """Serve a sandbox on ``host:port`` (0: a free port) until the block ends.

    Yields once the server accepts connections; stops it, and waits for it, on exit.
    """
    from ._threaded import ThreadedServer

    config = config or SandboxConfig()
    sock = _bind(host, port)
    server = ThreadedServer(create_app(config), sock)
    try:
        server.start(STARTUP_TIMEOUT)
        bound = sock.getsockname()[1]
        url_host = f"[{host}]" if ":" in host else host
        yield SandboxServer(f"http://{url_host}:{bound}/api/v1", config.api_key, config, bound, host)
    finally:
        server.stop()
        sock.close()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio only sets TCP_NODELAY on accepted sockets of that protocol, and without
    # it every keep-alive response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock
