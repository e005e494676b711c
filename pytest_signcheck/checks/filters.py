"""`filters`: every item of a list page honours the filters and the sort order of its request.

packages/list: `states` and `types` match exactly (the constants are case-sensitive); `isExecuted`
matches when it is a boolean; `days` N > 0 keeps sign-by dates within [now, now + N days]. templates/list:
`packageTypes` match exactly, `types` (template types, no values documented) up to case; `mostRecent`
N > 0 keeps templates last used within [now - N days, now]. Time windows need the reference time and are
widened by `days_skew` (default one day) at each end; only dates that parse are judged.

Where the docs leave the meaning open the rule is `info` or absent, never a failure: `days: 0` ("within
the next 0 days", or no filter?) and `mostRecent: 0` imply nothing; a negative `days` (the past, by
the obvious reading; the docs speak of the next N days) is `info`; `search` is `info`, because the docs
search fields a list item does not show (a package's message, mobile numbers, all of a template's), so
an item may rightly match on text the check cannot see. Search is read as words, as full-text search
does: punctuation separates words, a term without a letter or digit implies nothing, and number-like
terms are not judged. The order of `sortBy` on the page is `_order`'s rule (its walk across pages is
`PaginationWalk`'s). Search terms are never shown: they may be personal data.
A finding's rule is the name of the filter it breaks (`sort-order` for the order).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from pytest_signcheck.checks._base import BREAKING, INFO, Aggregator, CheckContext, fold
from pytest_signcheck.checks._order import sort_order
from pytest_signcheck.checks._time import parse_timestamp
from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.contract.redact import render
from pytest_signcheck.findings import Finding, Severity

__all__ = ["CHECK", "check_filters", "filter_rules"]

CHECK = "filters"
#: Per list endpoint: the item fields a list item shows of what the search covers, and of each person.
_PACKAGE_TEXT = ("name", "description", "category", "clientNumber", "matterNumber")
_SEARCHED = {
    Endpoint.LIST: (_PACKAGE_TEXT, ("firstName", "lastName", "email")),
    Endpoint.TEMPLATES_LIST: (
        ("name", "description", "templateCode"),
        ("firstName", "lastName", "email", "templateRole"),
    ),
}
_PEOPLE = ("signers", "recipients")
_NUMBER_LIKE = re.compile(r"[+\d\s().-]*\d[+\d\s().-]*")
_WORD = re.compile(r"\w+")
#: A rule looks at one item (index, item) and reports to the aggregator.
Rule = Callable[[int, dict[str, Any], Aggregator], None]


def check_filters(ctx: CheckContext) -> list[Finding]:
    request, body, endpoint = ctx.exchange.request, ctx.body, ctx.exchange.endpoint
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(request, dict) or not isinstance(items, list):
        return []
    aggregator = ctx.aggregator(CHECK)
    rules = filter_rules(request, ctx.now, ctx.options.days_skew, endpoint)
    for i, item in enumerate(items):
        if isinstance(item, dict):
            for rule in rules:
                rule(i, item, aggregator)
    order = sort_order(endpoint, request)
    if order is not None:
        order.report(order.reversals(items), aggregator)
    return aggregator.findings()


def filter_rules(
    request: dict[str, Any], now: datetime | None, skew: timedelta, endpoint: str = Endpoint.LIST
) -> list[Rule]:
    """The rules a list request implies; empty filters (null, [], "", 0) imply none."""
    get = request.get
    if endpoint == Endpoint.TEMPLATES_LIST:
        rules = [_member_of("packageTypes", "packageType", get("packageTypes"))]
        rules += [
            _member_of("types", "type", get("types"), exact=False),
            _recent(get("mostRecent"), now, skew),
        ]
    else:
        rules = [_member_of("states", "state", get("states")), _member_of("types", "type", get("types"))]
        rules += [_executed(get("isExecuted")), _days(get("days"), now, skew)]
    rules.append(_search(get("search"), endpoint))
    return [rule for rule in rules if rule is not None]


def _member_of(name: str, field: str, wanted: Any, *, exact: bool = True) -> Rule | None:
    if not isinstance(wanted, list) or not wanted:
        return None
    allowed = frozenset(value for value in wanted if isinstance(value, str))
    folded = frozenset(map(fold, allowed))
    expected = "one of " + ", ".join(render(value) for value in sorted(allowed))
    how = "exact match" if exact else "case and separators aside"

    def rule(i: int, item: dict[str, Any], aggregator: Aggregator) -> None:
        value = item.get(field)
        if isinstance(value, str) and value not in allowed and (exact or fold(value) not in folded):
            message = f"The item's {field} {value!r} is not among the requested {name} ({how})."
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


def _search(search: Any, endpoint: str) -> Rule | None:
    if not isinstance(search, str) or any(_NUMBER_LIKE.fullmatch(term) for term in search.split()):
        return None
    words = _WORD.findall(search.casefold())
    stems = [word[: max(3, len(word) - 3)] for word in words if word.strip("_")]
    if not stems:
        return None
    fields, person = _SEARCHED[
        Endpoint.TEMPLATES_LIST if endpoint == Endpoint.TEMPLATES_LIST else Endpoint.LIST
    ]

    def rule(i: int, item: dict[str, Any], aggregator: Aggregator) -> None:
        text = " ".join(_WORD.findall(" ".join(_visible(item, fields, person)).casefold()))
        if not any(stem in text for stem in stems):
            message = (
                "The item shows none of the search terms in any field it shows (a guess: the search "
                "also covers fields a list item does not show, such as a package's message)."
            )
            aggregator.add("search", INFO, f"/items/{i}", "a field containing a search term", "none", message)

    return rule


def _visible(item: dict[str, Any], fields: tuple[str, ...], person: tuple[str, ...]) -> Iterable[str]:
    yield from (value for field in fields if isinstance(value := item.get(field), str))
    for group in _PEOPLE:
        people = item.get(group)
        for someone in people if isinstance(people, list) else ():
            if isinstance(someone, dict):
                yield from (value for field in person if isinstance(value := someone.get(field), str))


def _number(value: Any) -> float | None:
    """A non-zero JSON number (not a boolean), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not value:
        return None
    return float(value)


def _days(days: Any, now: datetime | None, skew: timedelta) -> Rule | None:
    """N > 0: sign-by within [now, now + N days]; N < 0 (info): within [now + N days, now]."""
    count = _number(days)
    if now is None or count is None:
        return None
    if count > 0:
        severity, what = (
            BREAKING,
            f"within the {count:g} days after {now.isoformat()}, as the days filter asked",
        )
    else:
        guess = "(a guess: the docs speak of the next N days, and a negative N is read as the past)"
        severity, what = INFO, f"within the {-count:g} days before {now.isoformat()} {guess}"
    return _window("days", "timeSignBy", now, count, skew, severity, what)


def _recent(days: Any, now: datetime | None, skew: timedelta) -> Rule | None:
    """mostRecent N > 0: last used within [now - N days, now]."""
    count = _number(days)
    if now is None or count is None or count < 0:
        return None
    what = f"within the last {count:g} days before {now.isoformat()}, as mostRecent asked"
    return _window("mostRecent", "timeLastUsed", now, -count, skew, BREAKING, what)


def _window(
    name: str, field: str, now: datetime, days: float, skew: timedelta, severity: Severity, what: str
) -> Rule | None:
    """Items whose `field` (a date-time that parses) lies between now and `days` days from now (before
    it, for a negative count), give or take `skew`."""
    try:
        low, high = sorted((now, now + timedelta(days=days)))
        low, high = low - skew, high + skew
    except (OverflowError, ValueError):  # NaN, or beyond the calendar: no date can be judged against it
        return None
    expected = f"between {low.isoformat()} and {high.isoformat()}"

    def rule(i: int, item: dict[str, Any], aggregator: Aggregator) -> None:
        value = item.get(field)
        moment = parse_timestamp(value)
        if moment is not None and not low <= moment <= high:
            message = f"The item's {field} is not {what}."
            aggregator.add(name, severity, f"/items/{i}/{field}", expected, render(value), message)

    return rule
