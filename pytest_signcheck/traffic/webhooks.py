"""Webhook deliveries: received on loopback, replayed from a cassette, or read from a team's own logs.

A `Receiver` is an HTTP server on 127.0.0.1 that answers every POST with 200 and keeps what it got;
`wait` blocks on a condition until the deliveries wanted have arrived or the deadline passes, so
nothing sleeps blindly and nothing hangs. A `RecordedInbox` serves the deliveries a cassette recorded,
so a replay judges the same payloads. `read_payloads` reads captured payloads the way teams log them:
one JSON file per event, a JSON array of events, or NDJSON (one per line); each event may be the body
alone or ``{"headers": {...}, "body": ...}``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pytest_signcheck.errors import CouldNotCheck

if TYPE_CHECKING:  # http.server loads only when a receiver starts: replay never needs it
    from http.server import BaseHTTPRequestHandler

__all__ = [
    "PAYLOAD_SUFFIXES",
    "SIGNATURE_HEADER",
    "Delivery",
    "Inbox",
    "Receiver",
    "RecordedInbox",
    "read_payloads",
]

#: The header the docs say signs every event (its algorithm is not documented).
SIGNATURE_HEADER = "x-syngrafii-signature"
#: Files of captured payloads, one JSON document per line.
PAYLOAD_SUFFIXES = (".ndjson", ".jsonl")
_PATH = "/signcheck/webhooks"


@dataclass(frozen=True, slots=True)
class Delivery:
    """One POST a webhook endpoint received: its headers (names lower-case, None when not known) and
    raw body."""

    body: bytes
    headers: Mapping[str, str] | None = None
    source: str = ""

    @property
    def payload(self) -> Any:
        """The body parsed as JSON (None when it is not JSON)."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def action(self) -> str | None:
        payload = self.payload
        value = payload.get("action") if isinstance(payload, dict) else None
        return value if isinstance(value, str) else None

    @property
    def package_id(self) -> str | None:
        payload = self.payload
        value = payload.get("packageId") if isinstance(payload, dict) else None
        return value if isinstance(value, str) else None

    def to_dict(self) -> dict[str, Any]:
        """As a cassette keeps it: the body as text, the headers as received."""
        return {"headers": dict(self.headers or {}), "body": self.body.decode("utf-8", "replace")}


Wanted = Callable[[Sequence[Delivery]], bool]


class Inbox(Protocol):
    """Where a scenario's webhook deliveries arrive: a live receiver, or a recording of one."""

    url: str
    #: Whether the deliveries can be checked against the endpoint's secret (not in replay: scrubbed).
    live: bool

    def deliveries(self) -> list[Delivery]: ...

    def wait(self, wanted: Wanted, timeout: float) -> bool: ...

    def close(self) -> None: ...


class Receiver:
    """A webhook endpoint on 127.0.0.1 (`port` 0: a free one) that records every POST it receives.

    `url` is where the API is told to deliver: the receiver's own loopback URL, or `public_url` when a
    tunnel forwards a public address to this port. Use it as a context manager.
    """

    live = True

    def __init__(self, port: int = 0, public_url: str | None = None) -> None:
        from http.server import ThreadingHTTPServer

        self._received: list[Delivery] = []
        self._arrived = threading.Condition()
        try:
            self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        except OSError as error:
            raise CouldNotCheck(
                f"cannot receive webhooks on 127.0.0.1:{port} ({error.strerror or error}); "
                "free the port or choose another with --signcheck-webhook-port"
            ) from None
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self.url = public_url or f"http://127.0.0.1:{self.port}{_PATH}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        from http.server import BaseHTTPRequestHandler

        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server's naming
                body = _read_body(self)
                headers = {name.lower(): value for name, value in self.headers.items()}
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")
                receiver._keep(Delivery(body, headers))

            def log_message(self, format: str, *args: Any) -> None:  # quiet: never to stderr
                return

        return Handler

    def _keep(self, delivery: Delivery) -> None:
        with self._arrived:
            number = len(self._received) + 1
            self._received.append(Delivery(delivery.body, delivery.headers, f"webhook #{number}"))
            self._arrived.notify_all()

    def deliveries(self) -> list[Delivery]:
        with self._arrived:
            return list(self._received)

    def wait(self, wanted: Wanted, timeout: float) -> bool:
        """Block until `wanted(deliveries)` holds or `timeout` seconds pass; whether it holds."""
        with self._arrived:
            return self._arrived.wait_for(lambda: wanted(self._received), timeout)

    def wait_for(
        self,
        action: str | None = None,
        *,
        count: int = 1,
        package_id: str | None = None,
        timeout: float = 10.0,
    ) -> list[Delivery]:
        """The deliveries of `action` (any, when None) for `package_id` (any, when None), once `count`
        of them arrived or `timeout` seconds passed: fewer than `count` means they did not come."""

        def matching(deliveries: Sequence[Delivery]) -> list[Delivery]:
            return [
                d for d in deliveries if action in (None, d.action) and package_id in (None, d.package_id)
            ]

        self.wait(lambda deliveries: len(matching(deliveries)) >= count, timeout)
        return matching(self.deliveries())

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> Receiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    """The request body, sent with a Content-Length or in chunks (trailers are read and dropped)."""
    if "chunked" not in (handler.headers.get("Transfer-Encoding") or "").lower():
        return handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
    chunks = []
    while size := int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16):
        chunks.append(handler.rfile.read(size))
        handler.rfile.readline()
    while handler.rfile.readline().strip():
        continue
    return b"".join(chunks)


@dataclass
class RecordedInbox:
    """The deliveries a cassette recorded, served as they arrived (replay: nothing waits)."""

    url: str
    recorded: list[Delivery] = field(default_factory=list)
    live: bool = False

    def deliveries(self) -> list[Delivery]:
        return list(self.recorded)

    def wait(self, wanted: Wanted, timeout: float) -> bool:
        return wanted(self.recorded)

    def close(self) -> None:
        return

    @classmethod
    def from_metadata(cls, data: Any, source: str) -> RecordedInbox | None:
        """The inbox a cassette's ``metadata.signcheck.webhooks`` describes (None when it has none)."""
        if not isinstance(data, dict) or not isinstance(data.get("url"), str):
            return None
        items = data.get("deliveries")
        recorded = [
            _delivery(item, f"{source} webhook #{n}")
            for n, item in enumerate(items if isinstance(items, list) else (), 1)
        ]
        return cls(data["url"], [d for d in recorded if d is not None])


def _delivery(item: Any, source: str) -> Delivery | None:
    """A logged event: ``{"headers": {...}, "body": <text or JSON>}``, or the event's body alone."""
    if _wrapped(item):
        headers = item.get("headers")
        body = item["body"]
        raw = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        known = {str(k).lower(): str(v) for k, v in headers.items()} if isinstance(headers, dict) else None
        return Delivery(raw.encode("utf-8"), known, source)
    if isinstance(item, dict):
        return Delivery(json.dumps(item, ensure_ascii=False).encode("utf-8"), None, source)
    return None


def _events(path: Path, text: str) -> Iterator[tuple[str, Any]]:
    """(where, parsed) for each event in a file: each line of NDJSON, else the document or its items."""
    if path.suffix in PAYLOAD_SUFFIXES:
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    yield f"{path.name}:{number}", json.loads(line)
                except ValueError:
                    yield f"{path.name}:{number}", None
        return
    document = json.loads(text)
    items = document if isinstance(document, list) else [document]
    for number, item in enumerate(items, 1):
        yield (f"{path.name}#{number}" if isinstance(document, list) else path.name), item


def _wrapped(item: Any) -> bool:
    """A logged request around the event (``{"headers": ..., "body": ...}``), not the event itself."""
    return isinstance(item, dict) and "body" in item and "action" not in item


def _looks_like_event(item: Any) -> bool:
    body = item.get("body") if _wrapped(item) else item
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return False
    return isinstance(body, dict) and "action" in body and "eventId" in body


def read_payloads(path: Path) -> tuple[list[Delivery], int] | None:
    """The webhook events a file holds, and how many of its entries were not events; None when the
    file holds no event at all (then it is something else: a cassette, a package.json...)."""
    try:
        text = path.read_text(encoding="utf-8")
        entries = list(_events(path, text))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    events = [(where, item) for where, item in entries if _looks_like_event(item)]
    if not events:
        return None
    found = [_delivery(item, where) for where, item in events]
    return [d for d in found if d is not None], len(entries) - len(events)
