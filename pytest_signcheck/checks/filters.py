"""`filters`: every item of a `packages/list` page honours the filters of its request.

`states` and `types` match exactly (the constants are case-sensitive); `isExecuted` matches when it is
a boolean. `search` is best effort: the docs search several fields, some of which a list item does not
show (message, mobile numbers), so an item is flagged only when no term could match any field it does
show, with suffix forms tolerated, and never for number-like terms. `days` needs the reference time:
N >= 0 means a sign-by date within [now, now + N days], N < 0 within [now + N days, now], each bound
widened by `days_skew` (default one day). Search terms are never shown: they may be personal data.
A finding's rule is the name of the filter it breaks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pytest_signcheck.checks._base import BREAKING, Aggregator, CheckContext
from pytest_signcheck.checks._time import parse_timestamp
from pytest_signcheck.contract.redact import render
from pytest_signcheck.findings import Finding

__all__ = ["CHECK", "check_filters", "filter_rules"]

CHECK = "filters"
_SEARCHED = ("name", "description", "category", "clientNumber", "matterNumber")
_PEOPLE = ("signers", "recipients")
_PERSON = ("firstName", "lastName", "email")
_NUMBER_LIKE = re.compile(r"[+\d\s().-]*\d[+\d\s().-]*")
#: A rule looks at one item (index, item) and reports to the aggregator.
Rule = Callable[[int, dict[str, Any], Aggregator], None]


def check_filters(ctx: CheckContext) -> list[Finding]:
    request, body = ctx.exchange.request, ctx.body
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(request, dict) or not isinstance(items, list):
        return []
    rules = filter_rules(request, ctx.now, ctx.options.days_skew)
    if not rules:
        return []
    aggregator = ctx.aggregator(CHECK)
    for i, item in enumerate(items):
        if isinstance(item, dict):
            for rule in rules:
                rule(i, item, aggregator)
    return aggregator.findings()


def filter_rules(request: dict[str, Any], now: datetime | None, skew: timedelta) -> list[Rule]:
    """The rules a list request implies; empty filters (null, [], "") imply none."""
    rules = [_member_of("states", request.get("states")), _member_of("types", request.get("types"))]
    rules += [_executed(request.get("isExecuted")), _search(request.get("search"))]
    rules.append(_days(request.get("days"), now, skew))
    return [rule for rule in rules if rule is not None]


def _member_of(name: str, wanted: Any) -> Rule | None:
    if not isinstance(wanted, list) or not wanted:
        return None
    allowed = frozenset(value for value in wanted if isinstance(value, str))
    field = name[:-1]
    expected = "one of " + ", ".join(render(value) for value in sorted(allowed))

    def rule(i: int, item: dict[str, Any], aggregator: Aggregator) -> None:
        value = item.get(field)
        if isinstance(value, str) and value not in allowed:
            message = f"The item's {field} {value!r} is not among the requested {name} (exact match)."
            where = f"/items/{i}/{field}"
            aggregator.add(name, BREAKING, where, expected, render(value), message, group=(name, value))

    return rule


def _executed(wanted: Any) -> Rule | None:
    if not isinstance(wanted, bool):
        return None

    def rule(i: int, item: dict[str, Any], aggregator: Aggregator) -> None:
        value = item.get("isExecuted")
        if isinstance(value, bool) and value is not wanted:
            message = (
                f"The item's isExecuted is {render(value)} although the request "
                f"filtered on isExecuted {render(wanted)}."
            )
            where = f"/items/{i}/isExecuted"
            aggregator.add("isExecuted", BREAKING, where, render(wanted), render(value), message)

    return rule


def _search(search: Any) -> Rule | None:
    if not isinstance(search, str):
        return None
    terms = [term.strip("\"'*").lower() for term in search.split()]
    terms = [term for term in terms if term]
    if not terms or any(_NUMBER_LIKE.fullmatch(term) for term in terms):
        return None
    stems = [term[: max(3, len(term) - 3)] for term in terms]

    def rule(i: int, item: dict[str, Any], aggregator: Aggregator) -> None:
        text = _visible_text(item)
        if not any(stem in text for stem in stems):
            message = (
                "The item contains none of the search terms in any searchable field a list item shows "
                "(the docs also search the message and mobile numbers, which it does not show)."
            )
            expected = "a field containing a search term"
            aggregator.add("search", BREAKING, f"/items/{i}", expected, "none", message)

    return rule


def _visible_text(item: dict[str, Any]) -> str:
    parts = [value for field in _SEARCHED if isinstance(value := item.get(field), str)]
    for group in _PEOPLE:
        people = item.get(group)
        for person in people if isinstance(people, list) else ():
            if isinstance(person, dict):
                parts.extend(value for field in _PERSON if isinstance(value := person.get(field), str))
    return "\n".join(parts).lower()


def _days(days: Any, now: datetime | None, skew: timedelta) -> Rule | None:
    if now is None or isinstance(days, bool) or not isinstance(days, int | float):
        return None
    try:
        span = timedelta(days=days)
        low, high = (now - skew, now + span + skew) if days >= 0 else (now + span - skew, now + skew)
    except (OverflowError, ValueError):  # NaN, or beyond the calendar: no date can be judged against it
        return None
    expected = f"between {low.isoformat()} and {high.isoformat()}"

    def rule(i: int, item: dict[str, Any], aggregator: Aggregator) -> None:
        value = item.get("timeSignBy")
        moment = parse_timestamp(value)
        if moment is not None and not low <= moment <= high:
            message = (
                f"The item's sign-by date is not within {days:g} days of {now.isoformat()}, "
                "as the days filter asked."
            )
            where = f"/items/{i}/timeSignBy"
            aggregator.add("days", BREAKING, where, expected, render(value), message)

    return rule
