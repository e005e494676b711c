"""Where evidence came from, and how old it is: a cassette's recording date, base URL and API version.

signcheck's own cassettes carry ``metadata.signcheck`` (recorded_at, base_url, api_version). A
cassette recorded by someone else has no such block; its responses' `Date` headers date it (the
oldest one: a recording is as old as its oldest answer) and its request URIs name the server.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from pytest_signcheck.traffic.cassettes import Cassette

__all__ = ["TIME_FORMAT", "age_problem", "cassette_evidence", "format_time", "parse_time", "recorded_at"]

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def format_time(when: datetime) -> str:
    return when.astimezone(UTC).strftime(TIME_FORMAT)


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time as signcheck writes it (or with an offset), in UTC; None when it is not one."""
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _header_dates(cassette: Cassette) -> list[datetime]:
    dates = []
    for item in cassette.interactions:
        for name, values in item.headers.items():
            if name.lower() != "date":
                continue
            for value in values:
                try:
                    dates.append(parsedate_to_datetime(value).astimezone(UTC))
                except (TypeError, ValueError):
                    continue
    return dates


def recorded_at(cassette: Cassette) -> datetime | None:
    """When the cassette was recorded: its signcheck metadata, else its oldest `Date` header."""
    stated = parse_time(cassette.info.get("recorded_at")) if cassette.info.get("recorded_at") else None
    if stated is not None:
        return stated
    dates = _header_dates(cassette)
    return min(dates) if dates else None


def _base_url(cassette: Cassette) -> str | None:
    stated = cassette.info.get("base_url")
    if stated:
        return str(stated)
    for item in cassette.interactions:
        parts = urlsplit(item.uri)
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    return None


def cassette_evidence(cassette: Cassette, now: datetime) -> dict[str, Any]:
    """The facts a report states about one cassette (None where the cassette does not say)."""
    when = recorded_at(cassette)
    version = cassette.info.get("api_version")
    return {
        "source": str(cassette.path),
        "recorded_at": format_time(when) if when else None,
        "age_days": (now - when).days if when else None,
        "base_url": _base_url(cassette),
        "api_version": str(version) if version else None,
        "recorded_with": cassette.info.get("recorded_with") or None,
    }


def age_problem(cassette: Cassette, max_age: int | None, now: datetime) -> str | None:
    """Why the cassette is too old to trust under `max_age` days (None when it is young enough)."""
    if max_age is None:
        return None
    when = recorded_at(cassette)
    if when is None:
        return (
            f"cassette {cassette.path} has no recording date (no metadata.signcheck.recorded_at, no Date "
            f"header), so its age cannot be held to the {max_age}-day limit"
        )
    age = (now - when).days
    if age <= max_age:
        return None
    return (
        f"cassette {cassette.path} was recorded {age} days ago ({format_time(when)}), "
        f"more than the {max_age}-day limit"
    )
