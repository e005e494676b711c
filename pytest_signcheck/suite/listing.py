"""The list scenarios: `packages/list` (a walk, every filter, sortBy) and `templates/list` (§4.7, §4.12).

Every expectation comes from what the walk saw: a filter is expected to match something only when the
walk saw a package it should match, so an organisation with no packages passes. What each returned
item must satisfy is the `filters` check's, on every filtered page; here only "the walk saw packages
this filter should match, and it matched none". `days` is relative to the API's own clock, read from
the `timeCreated` of a draft the scenario adds (and deletes): never the machine's clock, which a
sandbox need not share.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from pytest_signcheck.checks._time import parse_timestamp
from pytest_signcheck.checks.state_enum import STATES
from pytest_signcheck.checks.type_enum import PACKAGE_TYPES
from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.findings import Severity
from pytest_signcheck.suite.common import is_ours, package_id
from pytest_signcheck.suite.context import NAME_PREFIX, ScenarioContext
from pytest_signcheck.suite.walk import TAKE, WALK_PAGES, walk_settled

__all__ = ["LIST_REQUESTS", "TEMPLATE_REQUESTS", "api_clock", "list_packages", "templates"]

FILTER_TAKE = 50
MAX_STATES, MAX_TYPES, MAX_TEMPLATE_TYPES = 4, 5, 3
#: At most one status per (type, state) pair the walk saw: 5 types x 7 states.
MAX_STATUSES = 35
#: Filter requests: states, types, isExecuted twice, search, days twice; a page without sortBy, and
#: one sorted by name.
MAX_FILTERS = MAX_STATES + MAX_TYPES + 2 + 1 + 2 + 2
#: A sign-by date this close to the API's clock may cross it while the requests run, so it never sizes
#: a `days` window.
_MARGIN = timedelta(hours=1)


def list_packages(ctx: ScenarioContext) -> None:
    """Walk the list sorted by creation, exercise each filter with values the walk saw, sample a status
    for every (type, state) pair seen."""
    request = {"allMembers": True, "sortBy": "created"}
    walked = walk_settled(ctx, Endpoint.LIST, request, "packageId", sort_by="created")
    seen = [item for item in walked.items if not is_ours(item)]  # the suite's own come and go
    _other_orders(ctx)
    _enums(ctx, seen)
    _executed(ctx, seen)
    term = _search_term(str(item.get("name") or "") for item in seen)
    if term:  # case-insensitivity of full text search is inferred, not documented: info
        _filter(ctx, "search", term, 1, Severity.INFO)
    _days(ctx, seen, api_clock(ctx))
    samples: dict[tuple[str, str], str] = {}
    for item in seen:
        if isinstance(item.get("packageId"), str):
            samples.setdefault((str(item.get("type")), str(item.get("state"))), item["packageId"])
    for sampled in list(samples.values())[:MAX_STATUSES]:
        ctx.call("GET", f"/packages/{sampled}/status")


def _filter(
    ctx: ScenarioContext,
    name: str,
    value: Any,
    seen: int,
    severity: Severity = Severity.BREAKING,
    path: str = "/packages/list",
) -> None:
    """One filtered page; `seen`: how many items the walk saw that it must match (0: none known)."""
    body = {"allMembers": True, name: value, "take": FILTER_TAKE, "skip": 0}
    exchange = ctx.call("POST", path, body)
    answer = exchange.body
    if seen and exchange.status_code == 200 and isinstance(answer, dict) and answer.get("total") == 0:
        ctx.finding(
            "filters",
            exchange,
            "/total",
            "at least 1",
            0,
            f"filter {name} matched nothing although the walk saw {seen} item(s) it should match",
            severity=severity,
        )


def _count(seen: list[dict[str, Any]], key: str, value: Any) -> int:
    return sum(1 for item in seen if item.get(key) == value)


def _enums(ctx: ScenarioContext, seen: list[dict[str, Any]]) -> None:
    """`states` and `types`, each with documented values the walk saw (a drifted value is already a
    finding of its own)."""
    states = sorted({str(item.get("state")) for item in seen} & set(STATES[ctx.api_version]))
    types = sorted({str(item.get("type")) for item in seen} & set(PACKAGE_TYPES))
    for state in states[:MAX_STATES]:
        _filter(ctx, "states", [state], _count(seen, "state", state))
    for package_type in types[:MAX_TYPES]:
        _filter(ctx, "types", [package_type], _count(seen, "type", package_type))


def _executed(ctx: ScenarioContext, seen: list[dict[str, Any]]) -> None:
    for wanted in (True, False):
        _filter(ctx, "isExecuted", wanted, _count(seen, "isExecuted", wanted))


def _search_term(names: Iterable[str]) -> str | None:
    """A word of a known package name, case swapped, as a prefix: full text search must still match."""
    for name in names:
        for word in name.split():
            if len(word) >= 4 and word.isalpha() and word.isascii():
                return word.swapcase() + "*"
    return None


def _other_orders(ctx: ScenarioContext) -> None:
    """A page without `sortBy`, and one sorted by `name`: the checks judge their order, as a guess
    (info): the default is not documented (the docs' example sends `created`), nor is `name`, so an
    API that refuses it is not drift either. An API that ignores `sortBy` shows here: the walk's
    `created` order is one a list may have anyway."""
    ctx.call("POST", "/packages/list", {"allMembers": True, "take": TAKE, "skip": 0})
    body = {"allMembers": True, "sortBy": "name", "take": TAKE, "skip": 0}
    exchange = ctx.client.call("POST", "/packages/list", json_body=body)
    refused = 400 <= exchange.status_code < 500
    ctx.check(exchange, expected_status=exchange.status_code if refused else 200)


def api_clock(ctx: ScenarioContext) -> datetime | None:
    """The API's own "now" (`ctx.clock`): the `timeCreated` of a draft added for the purpose (deleted
    at the end)."""
    body = {
        "name": f"{NAME_PREFIX}-{ctx.run_id} clock",
        "type": "concurrent",
        "state": "draft",
        "generateSignerLinks": False,
        "externalData": {"createdBy": "pytest-signcheck", "run": ctx.run_id},
    }
    exchange = ctx.call("POST", "/packages/add", body, generate_signer_links=False)
    added = package_id(exchange)
    if added:
        ctx.created.append(added)
    return ctx.clock.now


def _days(ctx: ScenarioContext, seen: list[dict[str, Any]], clock: datetime | None) -> None:
    """`days` ahead (documented) and behind (negative: inferred, so info), each wide enough to reach
    the nearest sign-by date the walk saw on that side, judged against the API's clock."""
    if clock is None:
        ctx.note("the days filter was not exercised: the API's clock could not be read")
        return
    dates = [moment for item in seen if (moment := parse_timestamp(item.get("timeSignBy")))]
    ahead = [moment - clock for moment in dates if moment >= clock + _MARGIN]
    behind = [clock - moment for moment in dates if moment <= clock - _MARGIN]
    forward = _span(min(ahead)) if ahead else 30
    backward = _span(min(behind)) if behind else 30
    within = sum(1 for moment in dates if clock <= moment <= clock + timedelta(days=forward))
    past = sum(1 for moment in dates if clock - timedelta(days=backward) <= moment < clock)
    _filter(ctx, "days", forward, within if ahead else 0)
    _filter(ctx, "days", -backward, past if behind else 0, Severity.INFO)


def _span(distance: timedelta) -> int:
    """Whole days that reach `distance`, and one more: a day's rounding either way stays inside."""
    return math.ceil(distance / timedelta(days=1)) + 1


def templates(ctx: ScenarioContext) -> None:
    """Walk templates/list (the pagination invariants hold there too), and filter on types it saw."""
    request = {"allMembers": True, "sortBy": "last_used"}
    walked = walk_settled(ctx, Endpoint.TEMPLATES_LIST, request, "templateId", sort_by="last_used")
    kinds = sorted({item["type"] for item in walked.items if isinstance(item.get("type"), str)})
    for kind in kinds[:MAX_TEMPLATE_TYPES]:
        _filter(ctx, "types", [kind], _count(walked.items, "type", kind), path="/templates/list")


#: The most requests each scenario makes (a walk twice, when the list changed under the first).
LIST_REQUESTS = 2 * WALK_PAGES + 2 + MAX_FILTERS + MAX_STATUSES  # walks, clock add+delete, filters, statuses
TEMPLATE_REQUESTS = 2 * WALK_PAGES + MAX_TEMPLATE_TYPES
