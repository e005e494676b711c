"""Webhooks (§7): the organisation's one endpoint, the events it is sent, and their signature.

Documented: ``events/endpoints/set`` takes ``{name?, url}`` and overwrites the one endpoint; a secret
is generated at registration and returned; events are an HTTP POST with the envelope
``packageId, externalData (null when unset), action, eventId, eventOwnerOrganizationId,
eventOwnerMemberId, eventTime`` plus each action's fields, and an ``X-Syngrafii-Signature`` header.
Inferred: the answer ``{endpointId, name, url, secret}`` (the secret's field name is undocumented);
``url`` null or empty deletes the endpoint; the signature is the hex HMAC-SHA256 of the raw body
keyed with the secret; the event owner is the package's member; bodies are compact UTF-8 JSON;
each event is delivered once (no retries), in order. A sandbox-only rule: it delivers to loopback
addresses only (``127.0.0.0/8``, ``::1``, ``localhost``), over http or https, and refuses any
other ``url`` with a 400 ``endpoint_invalid_url``: it never calls out. Event ids and secrets come
from their own seeded stream (``events/<seed>``), so the same calls give the same events.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import errors
from .clock import format_time
from .intake import text
from .mint import Minter
from .model import Json, Package

SIGNATURE_HEADER = "X-Syngrafii-Signature"
ACTIONS = ("package_add", "document_signed", "document_executed", "package_executed", "package_decline")


@dataclass(frozen=True)
class Endpoint:
    endpoint_id: str
    name: str | None
    url: str
    secret: str


@dataclass
class Event:
    """One event: what was sent (or would have been), where to, and how it went."""

    event_id: str
    action: str
    package_id: str
    body: bytes
    signature: str | None
    url: str | None
    outcome: str = "pending"
    status: int | None = None
    error: str | None = None

    def record(self) -> Json:
        """The event as the control surface lists it: the payload parsed from the bytes sent."""
        return {
            "eventId": self.event_id,
            "action": self.action,
            "packageId": self.package_id,
            "url": self.url,
            "outcome": self.outcome,
            "status": self.status,
            "error": self.error,
            "signature": self.signature,
            "payload": json.loads(self.body),
        }


def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _loopback_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and port_ok and is_loopback_host(parts.hostname or "")


class Outbox:
    """The endpoint registration and every event, in order; hands each event to ``send``."""

    def __init__(self, seed: int, shape: Callable[[Json], Json], send: Callable[[Event], None], signed: bool):
        self._minter = Minter(f"events/{seed}")
        self._shape, self._send, self._signed = shape, send, signed
        self.endpoint: Endpoint | None = None
        self.events: list[Event] = []

    def register(self, body: Json) -> Json:
        """``events/endpoints/set``: replace (or, with no url, delete) the endpoint."""
        name = text(body, "name", "endpoint")
        url = body.get("url")
        if url is None or url == "":
            self.endpoint = None
            return {"endpointId": None, "name": None, "url": None, "secret": None}
        if not isinstance(url, str) or not _loopback_url(url):
            raise errors.invalid(
                "endpoint",
                "url",
                "The sandbox delivers webhooks only to loopback URLs (http://127.0.0.1:PORT/..., "
                "http://[::1]:PORT/... or http://localhost:PORT/...); it never calls out.",
            )
        self.endpoint = Endpoint(self._minter.guid(), name, url, self._minter.secret())
        return {
            "endpointId": self.endpoint.endpoint_id,
            "name": name,
            "url": url,
            "secret": self.endpoint.secret,
        }

    def publish(self, action: str, package: Package, time: int, extra: Json | None = None) -> Event:
        """Record an event and hand it over for delivery (or mark it undeliverable)."""
        event_id = self._minter.guid()
        payload = self._shape(_envelope(event_id, action, package, time) | (extra or {}))
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        endpoint = self.endpoint
        event = Event(event_id, action, package.package_id, body, None, None)
        self.events.append(event)
        if endpoint is None:
            event.outcome = "no endpoint"
            return event
        if self._signed:
            event.signature = hmac.new(endpoint.secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
        event.url = endpoint.url
        self._send(event)
        return event


def _envelope(event_id: str, action: str, package: Package, time: int) -> Json:
    """The fields every event has, in the docs' order."""
    return {
        "packageId": package.package_id,
        "externalData": package.external_data,
        "action": action,
        "eventId": event_id,
        "eventOwnerOrganizationId": package.organization_id,
        "eventOwnerMemberId": package.member_id,
        "eventTime": format_time(time),
    }
