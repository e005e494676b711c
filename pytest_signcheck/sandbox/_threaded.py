"""uvicorn on a background thread, with a started event instead of polling ``server.started``."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time

import uvicorn
from starlette.applications import Starlette

#: Seconds a stopping sandbox waits for its open connections and running responses.
GRACE = 5.0


class _Server(uvicorn.Server):
    """A uvicorn server that says when startup is over, and can be woken to stop at once.

    uvicorn's own main loop notices ``should_exit`` only on its next 0.1 s tick; this one waits on
    an event that ``wake()`` sets from any thread, and otherwise ticks as uvicorn does.
    """

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.startup_done = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        try:
            await super().startup(sockets)
        finally:
            self.startup_done.set()

    async def main_loop(self) -> None:
        assert self._wake is not None
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864_000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 0.1)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's shutdown without its fixed 0.1 s sleep: every test that starts a sandbox paid it.

        As uvicorn does: stop accepting, ask each connection to close, wait for the open ones and the
        running responses (at most `GRACE` seconds), then cancel what is left.
        """
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        loop, state = asyncio.get_running_loop(), self.server_state
        deadline = loop.time() + GRACE
        while (state.connections or state.tasks) and not self.force_exit and loop.time() < deadline:
            await asyncio.sleep(0.005)
        for task in list(state.tasks):
            task.cancel(msg="the sandbox stopped")
        if not self.force_exit:
            await self.lifespan.shutdown()

    def wake(self) -> None:
        self.should_exit = True
        if self._loop is not None and self._wake is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed in between
                self._loop.call_soon_threadsafe(self._wake.set)


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
        self._server.wake()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
