"""uvicorn on a background thread, with a started event instead of polling ``server.started``."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from starlette.applications import Starlette


class _Server(uvicorn.Server):
    """A uvicorn server that says when startup is over (successful or not)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.startup_done = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets)
        finally:
            self.startup_done.set()


class ThreadedServer:
    """Serves an app on an already bound socket from a daemon thread."""

    def __init__(self, app: Starlette, sock: socket.socket) -> None:
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = _Server(config)
        self._sock = sock
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name=f"signcheck-sandbox-{sock.getsockname()[1]}",
            daemon=True,
        )

    def start(self, timeout: float) -> None:
        """Start serving; return once connections are accepted, or raise."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.startup_done.wait(0.05) and self._thread.is_alive():
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"the sandbox did not start within {timeout:g} s")
        if not self._server.started:
            self.stop()
            raise RuntimeError("the sandbox server failed to start (see the log above)")

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)
