"""A list walk at a known cost: every page of a short list, a sample of the pages of a long one.

A walk reads up to `FULL_PAGES` pages of `TAKE` items in order. A list that ends within them (up to
200 items) is walked in full, to the empty page after its end, and the whole walk is judged: `total` never
changes, no id comes twice, and the walk collects exactly `total` distinct ids. A longer list is
sampled: after those pages, `SAMPLE_PAGES` pages spread evenly over the rest (the last one included),
then the page just past the end, which must be empty. A sample is judged on every page it read and
across them (no id twice, `total` steady), but not on its count of ids, which only a full walk can
know. So a walk reads at most `WALK_PAGES` pages, whatever the organisation's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pytest_signcheck.checks import PaginationWalk
from pytest_signcheck.checks._base import as_count
from pytest_signcheck.findings import Finding
from pytest_signcheck.suite.context import ScenarioContext

__all__ = ["FULL_PAGES", "SAMPLE_PAGES", "TAKE", "WALK_PAGES", "Walked", "walk", "walk_settled"]

TAKE = 10
FULL_PAGES = 20
SAMPLE_PAGES = 4
#: The most pages one walk reads: the full ones, the sample, and the page past the end.
WALK_PAGES = FULL_PAGES + SAMPLE_PAGES + 1
#: `PaginationWalk`'s whole-walk count, which a sample cannot judge.
_WALK_TOTAL = "walk-total"


@dataclass
class Walked:
    """What a walk saw: the items of the pages it read, in order, and whether it read them all."""

    findings: list[Finding] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    totals: set[int] = field(default_factory=set)
    pages: int = 0
    complete: bool = True
    first_ids: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the list changed under the walk (its `total` moved): then walk it once more."""
        return len(self.totals) > 1


def _pagination(endpoint: str, id_field: str, sort_by: str | None) -> PaginationWalk:
    """The cross-page judge (ids, totals, the `sortBy` order across pages); `run_checks` already
    judges each page on its own."""
    return PaginationWalk(endpoint, id_field=id_field, page_checks=False, sort_by=sort_by)


def _sample_skips(total: int) -> list[int]:
    """The pages a sample reads after the full ones: spread evenly, the last one included, then the
    page past the end."""
    first, last = FULL_PAGES * TAKE, (total - 1) // TAKE * TAKE
    spread = [first + (last - first) * n // SAMPLE_PAGES // TAKE * TAKE for n in range(1, SAMPLE_PAGES + 1)]
    return [*sorted(set(spread)), last + TAKE]


def walk(
    ctx: ScenarioContext, endpoint: str, request: dict[str, Any], id_field: str, *, sort_by: str | None = None
) -> Walked:
    """Walk the list `endpoint` (``"POST /templates/list"``) answers to `request` (filters, sortBy)."""
    method, _, path = endpoint.partition(" ")
    judge, seen = _pagination(endpoint, id_field, sort_by), Walked()

    def read(skip: int) -> list[Any]:
        body = {**request, "take": TAKE, "skip": skip}
        exchange = ctx.call(method, path, dict(body))
        judge.add_page(body, exchange.body, exchange.source)
        page = exchange.body if isinstance(exchange.body, dict) else {}
        found = page.get("items")
        items: list[Any] = found if isinstance(found, list) else []
        seen.pages += 1
        seen.items += [item for item in items if isinstance(item, dict)]
        total = as_count(page.get("total"))
        if total is not None:
            seen.totals.add(total)
        return list(items)

    _read_all(read, seen, id_field)
    found = judge.finish()
    seen.findings = found if seen.complete else [f for f in found if f.rule != _WALK_TOTAL]
    return seen


def _read_all(read: Any, seen: Walked, id_field: str) -> None:
    """The full pages, in order, until an empty one; then, for a long list, the sample."""
    for number in range(FULL_PAGES):
        items = read(number * TAKE)
        if number == 0:
            seen.first_ids = [str(item.get(id_field)) for item in items if isinstance(item, dict)]
        if not items:
            return
    total = max(seen.totals, default=None)
    if total is None or total <= FULL_PAGES * TAKE:
        read(FULL_PAGES * TAKE)  # past the end that total promised: the page checks judge what it holds
        return
    seen.complete = False
    for skip in _sample_skips(total):
        read(skip)


def walk_settled(
    ctx: ScenarioContext, endpoint: str, request: dict[str, Any], id_field: str, *, sort_by: str | None = None
) -> Walked:
    """`walk`, once more only when the list changed under the first walk; the last walk's findings.

    Another client adding packages mid-walk moves `total`; a second walk tells that apart from an API
    whose pagination is really broken, which fails both times. So a run reads at most twice
    `WALK_PAGES` pages per list.
    """
    walked = walk(ctx, endpoint, request, id_field, sort_by=sort_by)
    walks = 1
    if walked.changed:
        walked, walks = walk(ctx, endpoint, request, id_field, sort_by=sort_by), 2
    ctx.findings.extend(walked.findings)
    total = max(walked.totals, default=None)
    ctx.evidence["walk"] = {
        "total": total,
        "pages": walked.pages,
        "complete": walked.complete,
        "walks": walks,
    }
    return walked
