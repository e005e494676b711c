"""What every check shares: options, the per-exchange context, pointers and finding aggregation."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from pytest_signcheck.contract.endpoints import API_VERSIONS
from pytest_signcheck.errors import ConfigError
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import Finding, Severity, pattern_of

__all__ = [
    "ADDITIVE",
    "BREAKING",
    "INFO",
    "Aggregator",
    "Check",
    "CheckContext",
    "CheckOptions",
    "as_count",
    "escape",
    "json_type",
    "pattern_of",
]

BREAKING, ADDITIVE, INFO = Severity.BREAKING, Severity.ADDITIVE, Severity.INFO


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What the checks need to know beyond the exchange itself.

    `generate_signer_links`: the flag the package was added with (None: unknown, so only malformed
    links are checked). `now`: the reference time for `days` filters and link expiry; None takes the
    response's ``Date`` header, and without one those time-relative rules are skipped.
    """

    api_version: str = "4.0"
    generate_signer_links: bool | None = None
    expected_status: int = 200
    expected_error: str | None = None
    now: datetime | None = None
    days_skew: timedelta = field(default=timedelta(days=1))

    def __post_init__(self) -> None:
        if self.api_version not in API_VERSIONS:
            raise ConfigError(
                f"unknown API version {self.api_version!r}; use one of {', '.join(API_VERSIONS)}"
            )
        if self.now is not None and self.now.tzinfo is None:
            raise ConfigError("`now` must be timezone-aware, e.g. datetime.now(timezone.utc)")


@dataclass(slots=True)
class CheckContext:
    """One exchange under check, with its options and the reference time resolved."""

    exchange: Exchange
    options: CheckOptions
    now: datetime | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, exchange: Exchange, options: CheckOptions) -> CheckContext:
        return cls(exchange, options, options.now or _header_date(exchange.headers.get("date")))

    @property
    def body(self) -> Any:
        return self.exchange.body

    def finding(
        self, check: str, severity: Severity, pointer: str, expected: str, actual: str, message: str
    ) -> Finding:
        exchange = self.exchange
        return Finding(
            check, severity, exchange.endpoint, pointer, expected, actual, message, exchange.source
        )

    def aggregator(self) -> Aggregator:
        return Aggregator(self.exchange.endpoint, self.exchange.source)


Check = Callable[[CheckContext], list[Finding]]


class Aggregator:
    """Collapses repeats of one problem into one finding: the first pointer, plus a count.

    `key` names the problem (check, rule, pointer pattern); the first occurrence's details are kept.
    """

    __slots__ = ("_endpoint", "_groups", "_source")

    def __init__(self, endpoint: str, source: str = "") -> None:
        self._endpoint = endpoint
        self._source = source
        self._groups: dict[Hashable, list[Any]] = {}

    def add(
        self,
        key: Hashable,
        check: str,
        severity: Severity,
        pointer: str,
        expected: str,
        actual: str,
        message: str,
        source: str | None = None,
    ) -> None:
        group = self._groups.get(key)
        if group is None:
            where = self._source if source is None else source
            self._groups[key] = [check, severity, pointer, expected, actual, message, where, 1]
        else:
            group[7] += 1

    def __len__(self) -> int:
        return len(self._groups)

    def findings(self) -> list[Finding]:
        found = []
        for check, severity, pointer, expected, actual, message, source, count in self._groups.values():
            if count > 1:
                message = f"{message.rstrip('.')} (and {count - 1} more at {pattern_of(pointer)})."
            found.append(Finding(check, severity, self._endpoint, pointer, expected, actual, message, source))
        return found


def escape(key: str) -> str:
    """One RFC 6901 reference token."""
    return key.replace("~", "~0").replace("/", "~1") if ("~" in key or "/" in key) else key


def as_count(value: Any) -> int | None:
    """A JSON number that is a whole count, or None (booleans are not counts)."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    return None


_JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"), (list, "array"))


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "object"
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), type(value).__name__)


def _header_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo is not None else None
