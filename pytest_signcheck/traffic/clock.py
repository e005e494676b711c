"""The API's own clock: what it stamps as `timeCreated` on a package it has just added.

Time-relative rules (a `days` filter, a link that expired before it was sent) compare the API's times
with "now". The machine running the checks need not share the API's clock, and a recording is replayed
long after it was made; a response's `Date` header is the API's clock only where the server and the
API agree (the reference sandbox lives in June 2025 and its web server's `Date` does not). The clock an
API itself stamps on a package it has just created is its own, so once an add answer is seen, that is
"now" for what follows.
"""

from __future__ import annotations

from datetime import datetime

from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.traffic.provenance import parse_time

__all__ = ["ApiClock"]


class ApiClock:
    """The latest `timeCreated` of a package an add answer returned (None until one is seen)."""

    def __init__(self) -> None:
        self.now: datetime | None = None

    def observe(self, exchange: Exchange) -> None:
        """Read the clock from a successful `packages/add` answer; anything else is ignored."""
        body = exchange.body
        if exchange.endpoint != Endpoint.ADD or not 200 <= exchange.status_code < 300:
            return
        package = body.get("package") if isinstance(body, dict) else None
        created = package.get("timeCreated") if isinstance(package, dict) else None
        if isinstance(created, str) and (moment := parse_time(created)) is not None:
            self.now = moment
