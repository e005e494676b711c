"""The order `sortBy` asks for, one rule for one page (`filters`) and for a walk of pages (`PaginationWalk`).

The docs name the values `created` (packages/list) and `last_used` (templates/list), and neither the
fields they sort by nor the direction. The rule: the items are in one order of the sort key, read where
an item shows it (`timeCreated`, `timeLastUsed`...; an item without a readable key is skipped, so a
never-used template may stand anywhere). The first two distinct keys decide the direction; every later
step against it is a reversal. A reversal is breaking for a value the docs name, asked for in the
request; it is `info` where a guess is involved: a value the docs do not name (its field is a guess), or
a request without `sortBy` (the default is not documented; packages/list is judged as `created`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from pytest_signcheck.checks._base import BREAKING, INFO, Aggregator
from pytest_signcheck.checks._time import parse_timestamp
from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.findings import Severity

__all__ = ["SORT_KEYS", "SortOrder", "sort_order"]

CHECK = "filters"


def _time(value: Any) -> Any:
    return parse_timestamp(value)


def _text(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) and value else None


@dataclass(frozen=True, slots=True)
class SortKey:
    """What a `sortBy` value sorts by: the item field, how to read it, whether the docs name the value."""

    field: str
    read: Callable[[Any], Any]
    documented: bool
    ascending: str
    descending: str


_CREATED = SortKey("timeCreated", _time, False, "oldest first", "newest first")
#: (endpoint, sortBy) -> its key: the documented values, and the obvious reading of a few others.
SORT_KEYS: Mapping[tuple[str, str], SortKey] = MappingProxyType(
    {
        (Endpoint.LIST, "created"): SortKey("timeCreated", _time, True, "oldest first", "newest first"),
        (Endpoint.LIST, "name"): SortKey("name", _text, False, "A to Z", "Z to A"),
        (Endpoint.TEMPLATES_LIST, "last_used"): SortKey(
            "timeLastUsed", _time, True, "least recently used first", "most recently used first"
        ),
        (Endpoint.TEMPLATES_LIST, "created"): _CREATED,
        (Endpoint.TEMPLATES_LIST, "updated"): SortKey(
            "timeUpdated", _time, False, "oldest first", "newest first"
        ),
        (Endpoint.TEMPLATES_LIST, "name"): SortKey("name", _text, False, "A to Z", "Z to A"),
    }
)
#: The value a request without `sortBy` is judged as (a guess: the docs name no default).
_DEFAULT: Mapping[str, str] = MappingProxyType({Endpoint.LIST: "created"})


class SortOrder:
    """Items in one order of a `sortBy` key, fed page by page: `reversals` gives the indexes of the items
    of one page that step against the direction the earlier items decided; `report` adds them."""

    __slots__ = ("_guess", "direction", "key", "last", "severity", "sort_by")

    def __init__(self, sort_by: str, key: SortKey, *, asked: bool) -> None:
        self.sort_by, self.key = sort_by, key
        self.severity: Severity = BREAKING if key.documented and asked else INFO
        if not asked:
            self._guess = " (a guess: the request sets no sortBy, and the docs name no default)"
        elif not key.documented:
            self._guess = f" (a guess: the docs do not say what sortBy {sort_by!r} sorts by)"
        else:
            self._guess = ""
        self.direction = 0  # 1 ascending, -1 descending, 0 not decided yet
        self.last: Any = None

    def keys(self, items: list[Any]) -> list[tuple[int, Any]]:
        """(index, sort key) of every item that shows a readable key."""
        read, field = self.key.read, self.key.field
        found = ((index, read(item.get(field))) for index, item in enumerate(items) if isinstance(item, dict))
        return [(index, value) for index, value in found if value is not None]

    def reversals(self, items: list[Any], keys: list[tuple[int, Any]] | None = None) -> list[int]:
        """The indexes of the items (whose `keys` may be given, read once) that step against the order."""
        found: list[int] = []
        for index, value in self.keys(items) if keys is None else keys:
            if self.last is not None:
                step = (value > self.last) - (value < self.last)
                if step and not self.direction:
                    self.direction = step
                elif step and step != self.direction:
                    found.append(index)
            self.last = value
        return found

    def report(self, rows: list[int], aggregator: Aggregator, where: str = "", source: str = "") -> None:
        key = self.key
        order = key.ascending if self.direction > 0 else key.descending
        message = (
            f"{where}The items are not sorted by {self.sort_by!r}: this item's {key.field} breaks the "
            f"order of the items before it ({order}){self._guess}."
        )
        for row in rows:
            pointer = f"/items/{row}/{key.field}"
            aggregator.add(
                "sort-order", self.severity, pointer, order, "the other way", message, source=source
            )


def sort_order(endpoint: str, request: Any, sort_by: str | None = None) -> SortOrder | None:
    """The order a list request asks for (`sort_by` overrides its `sortBy`), or None when the rule has no
    key to read (an unknown `sortBy`, templates/list without one)."""
    asked = sort_by if sort_by is not None else _asked(request)
    value = asked if asked is not None else _DEFAULT.get(endpoint)
    key = SORT_KEYS.get((endpoint, value)) if value is not None else None
    return None if key is None or value is None else SortOrder(value, key, asked=asked is not None)


def _asked(request: Any) -> str | None:
    value = request.get("sortBy") if isinstance(request, dict) else None
    return value if isinstance(value, str) and value else None
