"""Delivering webhook events: one background thread, in order, never in the way of the API.

An event is queued when it happens and POSTed by the courier's thread, so an API answer never
waits for a receiver. ``flush(timeout)`` waits until every queued event has been tried; nothing
here sleeps. A receiver that refuses the connection, times out or answers an error only marks its
event ``failed``; the address is resolved again at delivery and must still be loopback.
"""

from __future__ import annotations

import http.client
import socket
import threading
from collections import deque
from urllib.parse import urlsplit

from .webhooks import SIGNATURE_HEADER, Event, is_loopback_host

TIMEOUT = 5.0
"""Seconds a receiver has to answer (inferred: the docs give no timeout and no retry policy)."""


class Courier:
    """A queue of events and the thread that POSTs them."""

    def __init__(self, timeout: float = TIMEOUT) -> None:
        self._timeout = timeout
        self._queue: deque[Event] = deque()
        self._busy = False
        self._closed = False
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None

    def send(self, event: Event) -> None:
        with self._ready:
            if self._closed:
                event.outcome, event.error = "failed", "the sandbox stopped before delivery"
                return
            self._queue.append(event)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="signcheck-sandbox-webhooks", daemon=True
                )
                self._thread.start()
            self._ready.notify_all()

    def flush(self, timeout: float) -> bool:
        """Wait until every queued event has been tried; ``False`` if ``timeout`` seconds pass first."""
        with self._ready:
            return self._ready.wait_for(lambda: not self._queue and not self._busy, timeout)

    def close(self) -> None:
        """Stop the thread after the delivery in hand; events still queued are marked failed."""
        with self._ready:
            self._closed = True
            for event in self._queue:
                event.outcome, event.error = "failed", "the sandbox stopped before delivery"
            self._queue.clear()
            self._ready.notify_all()
        if self._thread is not None:
            self._thread.join(self._timeout + 1)

    def _run(self) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(lambda: self._queue or self._closed)
                if self._closed:
                    return
                event, self._busy = self._queue.popleft(), True
            try:
                deliver(event, self._timeout)
            finally:
                with self._ready:
                    self._busy = False
                    self._ready.notify_all()


def deliver(event: Event, timeout: float) -> None:
    """POST one event to its URL and record the outcome; never raises."""
    try:
        event.status = _post(event, timeout)
        event.outcome = "delivered" if 200 <= event.status < 300 else "failed"
    except (OSError, http.client.HTTPException, ValueError) as error:
        event.outcome, event.error = "failed", f"{type(error).__name__}: {error}"


def _post(event: Event, timeout: float) -> int:
    parts = urlsplit(event.url or "")
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    for *_, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        if not is_loopback_host(str(address[0])):
            raise ValueError(f"{host} no longer resolves to a loopback address; not delivered")
    connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_type(host, port, timeout=timeout)
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "signcheck-sandbox"}
    if event.signature is not None:
        headers[SIGNATURE_HEADER] = event.signature
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("POST", path, body=event.body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()
