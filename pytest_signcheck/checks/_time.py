"""Timestamps: the documented form, how far a value strays from it, and parsing for time rules.

The docs say "ISO 8601" and every example is ``2022-03-02T20:08:41Z`` or, .NET style, seven fraction
digits: ``2021-08-10T15:40:51.7746401Z``. A value that is ISO 8601 but not in that form (no offset,
date only, basic format) is reported as `info`: the documented contract still holds. Anything else breaks it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from pytest_signcheck.contract.schemas import load_schema
from pytest_signcheck.findings import Severity

__all__ = ["DOCUMENTED_PATTERN", "NOT_ISO", "OTHER_FORM", "TimestampJudge", "parse_timestamp"]

#: The documented form: the ``iso8601`` pattern of ``schemas/defs.json``, its one copy.
DOCUMENTED_PATTERN: str = load_schema("defs")["$defs"]["iso8601"]["pattern"]
_DOCUMENTED = re.compile(DOCUMENTED_PATTERN)
#: Any ISO 8601 calendar date or date-time: extended or basic format, any precision, offset optional.
_ISO8601 = re.compile(
    r"(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2})(?::?(?P<M>\d{2})(?::?(?P<S>\d{2})(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_FORM = "seconds and a Z or ±hh:mm offset, as in 2022-03-02T20:08:41Z"
#: The rules a timestamp breaks: not ISO 8601 at all (an impossible date included), or ISO 8601 in
#: another form than the documented one.
NOT_ISO, OTHER_FORM = "not-iso", "other-form"


class TimestampJudge:
    """Judges timestamp strings, remembering the good ones (a package repeats its expiry times)."""

    __slots__ = ("_good",)

    def __init__(self) -> None:
        self._good: set[str] = set()

    def __call__(self, value: str) -> tuple[Severity, str, str] | None:
        """None when `value` is in the documented form; else (severity, rule, what is wrong)."""
        if value in self._good:
            return None
        if _DOCUMENTED.fullmatch(value):
            if _parses(value):
                self._good.add(value)
                return None
            return Severity.BREAKING, NOT_ISO, "is not a real date and time"
        match = _ISO8601.fullmatch(value)
        if match is not None and _real(match):
            return Severity.INFO, OTHER_FORM, f"is ISO 8601 but not in the documented form ({_FORM})"
        return Severity.BREAKING, NOT_ISO, "is not an ISO 8601 date-time"


def parse_timestamp(value: object) -> datetime | None:
    """A timezone-aware datetime (no offset is read as UTC), or None when `value` is not one."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _parses(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _real(match: re.Match[str]) -> bool:
    year, month, day, hour, minute, second = (int(match[name] or 0) for name in "ymdHMS")
    try:
        datetime(year, month, day, hour, minute, second)
    except ValueError:
        return False
    return True
