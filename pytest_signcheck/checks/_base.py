"""What every check shares: options, the per-exchange context and its facts, finding aggregation."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from pytest_signcheck.checks._arguments import (
    instance_of,
    optional_bool,
    optional_datetime,
    optional_str,
    status_of,
)
from pytest_signcheck.checks._plan import Annotated, annotated_strings, renames, schema_of
from pytest_signcheck.checks._status import StatusTable, status_table
from pytest_signcheck.checks._strict import strictly_valid
from pytest_signcheck.contract import schemas
from pytest_signcheck.contract.endpoints import API_VERSIONS
from pytest_signcheck.errors import ConfigError
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import Finding, Severity, repeated

__all__ = [
    "ADDITIVE",
    "BREAKING",
    "INFO",
    "Aggregator",
    "Check",
    "CheckContext",
    "CheckOptions",
    "Judgement",
    "as_count",
    "fold",
    "json_type",
    "near_miss",
]

BREAKING, ADDITIVE, INFO = Severity.BREAKING, Severity.ADDITIVE, Severity.INFO
#: What a judge says of a value that breaks a rule: (rule, severity, expected, message).
Judgement = tuple[str, Severity, str, str]


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What the checks need to know beyond the exchange itself.

    `generate_signer_links`: the `generateSignerLinks` in effect for the response: for a status, the
    flag the package was added with; for an add, the request's (read from the request when None); for
    an update, True when the package was added with it and the update did not set it to false. None
    where unknown: then only the rules every link follows are checked. `now`: the reference time for
    `days` and `mostRecent` filters and link expiry; None takes the response's ``Date`` header, and
    without one those time-relative rules are skipped.
    """

    api_version: str = "4.0"
    generate_signer_links: bool | None = None
    expected_status: int = 200
    expected_error: str | None = None
    now: datetime | None = None
    days_skew: timedelta = field(default=timedelta(days=1))

    def __post_init__(self) -> None:
        optional_bool(self.generate_signer_links, "CheckOptions", "generate_signer_links")
        optional_datetime(self.now, "CheckOptions")
        object.__setattr__(
            self, "expected_status", status_of(self.expected_status, "CheckOptions", "expected_status")
        )
        optional_str(self.expected_error, "CheckOptions", "expected_error")
        instance_of(self.api_version, str, "CheckOptions", "api_version", f"one of {', '.join(API_VERSIONS)}")
        if self.api_version not in API_VERSIONS:
            raise ConfigError(
                f"unknown API version {self.api_version!r}; use one of {', '.join(API_VERSIONS)}"
            )
        if self.now is not None and self.now.tzinfo is None:
            raise ConfigError("`now` must be timezone-aware, e.g. datetime.now(timezone.utc)")


@dataclass(slots=True)
class CheckContext:
    """One exchange under check, with its options, the reference time resolved, and the facts about
    its body that several checks use, each computed once, on first use."""

    exchange: Exchange
    options: CheckOptions
    now: datetime | None = None
    _strict: bool | None = field(default=None, init=False, repr=False, compare=False)
    _status: StatusTable | None = field(default=None, init=False, repr=False, compare=False)
    _annotated: Mapping[str, list[Annotated]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _errors: list[schemas.SchemaError] | None = field(default=None, init=False, repr=False, compare=False)
    _renames: Mapping[str, Mapping[str, str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @classmethod
    def of(cls, exchange: Exchange, options: CheckOptions) -> CheckContext:
        return cls(exchange, options, options.now or _header_date(exchange.headers.get("date")))

    @property
    def body(self) -> Any:
        return self.exchange.body

    @property
    def strictly_valid(self) -> bool:
        """Whether the body passes the strict validator of its endpoint (see `_strict`)."""
        if self._strict is None:
            exchange = self.exchange
            self._strict = strictly_valid(exchange.endpoint, exchange.body, self.options.api_version)
        return self._strict

    @property
    def status(self) -> StatusTable:
        """The body read as a status response, into columns (see `_status`)."""
        if self._status is None:
            self._status = status_table(self.body)
        return self._status

    @property
    def annotated(self) -> Mapping[str, list[Annotated]]:
        """The strings at the positions the schema annotates, by the check that judges them."""
        if self._annotated is None:
            self._annotated = annotated_strings(self.exchange.endpoint, self.body)
        return self._annotated

    @property
    def schema_errors(self) -> list[schemas.SchemaError]:
        """The detailed errors of the body against its endpoint's schema (none when it is valid)."""
        if self._errors is None:
            name, body, version = schema_of(self.exchange.endpoint), self.body, self.options.api_version
            self._errors = []
            if name is not None and not schemas.is_valid(name, body, version):
                self._errors = list(schemas.iter_schema_errors(name, body, version))
        return self._errors

    @property
    def renames(self) -> Mapping[str, Mapping[str, str]]:
        """Renamed fields (`_plan.renames`): object pointer -> {missing field: the field in its place}."""
        if self._renames is None:
            self._renames = renames(self.exchange.endpoint, self.body, self.schema_errors)
        return self._renames

    def finding(
        self,
        check: str,
        severity: Severity,
        pointer: str,
        expected: str,
        actual: str,
        message: str,
        *,
        rule: str,
    ) -> Finding:
        exchange = self.exchange
        return Finding(
            check, severity, exchange.endpoint, pointer, expected, actual, message, exchange.source, rule
        )

    def aggregator(self, check: str) -> Aggregator:
        return Aggregator(self.exchange.endpoint, check, self.exchange.source)


Check = Callable[[CheckContext], list[Finding]]


@dataclass(slots=True)
class Group:
    """One problem: its first occurrence, and how many times it occurred."""

    first: Finding
    count: int = 1

    def finding(self) -> Finding:
        return repeated(self.first, self.count)


class Aggregator:
    """Collapses repeats of one problem into one finding of check `check`: the first, plus a count.

    A problem is its rule, unless `add` is given a `group` key (a rule and, say, the pointer pattern).
    """

    __slots__ = ("_check", "_endpoint", "_groups", "_source")

    def __init__(self, endpoint: str, check: str, source: str = "") -> None:
        self._endpoint, self._check, self._source = endpoint, check, source
        self._groups: dict[Hashable, Group] = {}

    def add(
        self,
        rule: str,
        severity: Severity,
        pointer: str,
        expected: str,
        actual: str,
        message: str,
        *,
        group: Hashable = None,
        source: str | None = None,
    ) -> None:
        key = (rule,) if group is None else group
        found = self._groups.get(key)
        if found is not None:
            found.count += 1
            return
        where = self._source if source is None else source
        self._groups[key] = Group(
            Finding(self._check, severity, self._endpoint, pointer, expected, actual, message, where, rule)
        )

    def __len__(self) -> int:
        return len(self._groups)

    def findings(self) -> list[Finding]:
        return [group.finding() for group in self._groups.values()]


def fold(value: str) -> str:
    """`value` with case and separators folded away: how near misses of a constant are found."""
    return value.lower().replace(" ", "").replace("_", "").replace("-", "")


_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def near_miss(value: str, constants: Iterable[str]) -> str | None:
    """The one constant `value` spells differently, or None.

    A spelling variant is equal once case and separators are folded away (`packageSign`, `PACKAGE-SIGN`
    for `package_sign`), or has the same words, each the other's prefix (`packageDeclined` for
    `package_decline`). A value with other words (`package_sign_mfa`) is a different value.
    """
    folded = fold(value)
    found = {constant for constant in constants if fold(constant) == folded}
    if not found:
        mine = _words(value)
        found = {constant for constant in constants if _same_words(mine, _words(constant))}
    return found.pop() if len(found) == 1 else None


def _words(value: str) -> list[str]:
    return [word.lower() for word in _WORDS.findall(value)]


def _same_words(mine: list[str], theirs: list[str]) -> bool:
    if not mine or len(mine) != len(theirs):
        return False
    return all(a.startswith(b) or b.startswith(a) for a, b in zip(mine, theirs, strict=True))


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
