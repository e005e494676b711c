"""Serving the sandbox with uvicorn in a background thread, on a real loopback socket.

starlette and uvicorn (the ``sandbox`` extra) are imported only when an app is built or served, so
``import pytest_signcheck.sandbox`` works without them.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .config import SandboxConfig

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from .control import SandboxControl

STARTUP_TIMEOUT = 15.0


def create_app(config: SandboxConfig) -> Starlette:
    """The sandbox as an ASGI application, with its own freshly seeded store."""
    from .routes import build_app

    return build_app(config)


@dataclass(frozen=True)
class SandboxServer:
    """A running sandbox: where it is, how to talk to it, and its control surface.

    ``sign``, ``decline``, ``flush``, ``events`` and ``stats`` are the sandbox's own controls, not
    part of the vendor's API (see ``control.py``); over HTTP they live under ``control_url``.
    """

    base_url: str
    api_key: str
    config: SandboxConfig
    port: int
    host: str = "127.0.0.1"
    control: SandboxControl | None = field(default=None, repr=False, compare=False)

    @property
    def control_url(self) -> str:
        """``http://host:port/_sandbox``: the control surface over HTTP (outside ``/api/v1``)."""
        return self.base_url.removesuffix("/api/v1") + "/_sandbox"

    def sign(self, package_id: str, signer_id: str, document_id: str | None = None) -> dict[str, Any]:
        """A signer signs (one document, or everything left); fires the webhook events."""
        return self._control().sign(package_id, signer_id, document_id)

    def decline(
        self, package_id: str, signer_id: str, reason: str | None = None, message: str | None = None
    ) -> dict[str, Any]:
        """A signer declines, which rescinds the package; fires ``package_decline``."""
        return self._control().decline(package_id, signer_id, reason, message)

    def flush(self, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until every webhook event has been tried; all events so far, with their outcome."""
        return self._control().flush(timeout)

    def events(self) -> list[dict[str, Any]]:
        """Every webhook event so far, with its outcome, without waiting."""
        return self._control().events()

    def stats(self) -> dict[str, Any]:
        """``{"requests": N, "delayedMs": M}``: API requests answered and the delay they were held."""
        return self._control().stats()

    def _control(self) -> SandboxControl:
        if self.control is None:
            raise RuntimeError("this SandboxServer has no control surface (it was not made by running())")
        return self.control


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
    app = create_app(config)
    control: SandboxControl = app.state.sandbox
    server = ThreadedServer(app, sock)
    try:
        server.start(STARTUP_TIMEOUT)
        bound = sock.getsockname()[1]
        url_host = f"[{host}]" if ":" in host else host
        base_url = f"http://{url_host}:{bound}/api/v1"
        yield SandboxServer(base_url, config.api_key, config, bound, host, control)
    finally:
        server.stop()
        control.close()
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
