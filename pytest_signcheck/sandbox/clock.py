"""Time in the sandbox: a fixed epoch, never the wall clock, rendered the way .NET renders it.

Instants are integers counting 100-nanosecond ticks since 1970-01-01T00:00:00Z, so the vendor's
seven fractional digits (``2021-08-10T15:40:51.7746401Z``) round-trip exactly.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

TICKS_PER_SECOND = 10_000_000
TICKS_PER_DAY = 86_400 * TICKS_PER_SECOND

_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})?$")


def from_datetime(moment: datetime) -> int:
    """The instant of an aware datetime."""
    delta = moment - _UNIX_EPOCH
    return (delta.days * 86_400 + delta.seconds) * TICKS_PER_SECOND + delta.microseconds * 10


NOW = from_datetime(datetime(2025, 6, 2, 9, 0, 0, tzinfo=UTC))
"""The sandbox's "now": 2025-06-02T09:00:00Z. Expiry, ``days`` and seeded times are relative to it."""


def format_time(instant: int) -> str:
    """``2025-06-02T09:00:00.0000000Z``: seconds, seven fractional digits, ``Z``."""
    seconds, fraction = divmod(instant, TICKS_PER_SECOND)
    moment = _UNIX_EPOCH + timedelta(seconds=seconds)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{fraction:07d}Z"


def parse_time(text: str) -> int | None:
    """The instant an ISO 8601 date-time names (up to 7 fractional digits, ``Z`` or an offset).

    A missing zone is read as UTC. Anything else is ``None``.
    """
    match = _ISO.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=UTC)
    except ValueError:
        return None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        moment -= sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return from_datetime(moment) + int((fraction or "0").ljust(7, "0"))
