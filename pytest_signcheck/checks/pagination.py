"""`pagination`: `take`, `skip` and `total` on one page, and across a walk of every page.

Both list endpoints: packages/list (items keyed by `packageId`) and templates/list (`templateId`).
One page (the registry's check, `check_page`): at most `take` items; `take` and `skip` echo the request
(packages/list's `take` defaults to 50, as documented; templates/list documents no default, so a request
without `take` is not compared; a smaller `take` is `info`, perhaps a server maximum); the page fits in
`total`; a page past the end is empty; a page before the end is full; no item twice.

A walk (`PaginationWalk`, fed page by page; `walk_pages` drives any client through the pages,
`check_walk` and `check_pagination` do both): `total` never changes, no id appears twice, and the walk
collects exactly `total` distinct ids; each page also gets the one-page rules (unless `run_checks`
already judges each page). The walk also judges the order `sortBy` asks for across pages (a `filters`
finding, `_order`): a reversal at a page boundary, or a page sorted the other way, which no page shows
alone. A walk keeps a set of ids and counters, never pages, so memory stays flat however long the list is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from pytest_signcheck.checks._arguments import count_of, given, pages_of
from pytest_signcheck.checks._base import BREAKING, Aggregator, CheckContext, as_count, json_type
from pytest_signcheck.checks._order import SortOrder, sort_order
from pytest_signcheck.checks._pages import DEFAULT_TAKE, ID_FIELDS, Page, Problem, page_problems, read_page
from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.contract.redact import render
from pytest_signcheck.exchange import NOT_JSON
from pytest_signcheck.findings import Finding

__all__ = [
    "CHECK",
    "DEFAULT_TAKE",
    "ID_FIELDS",
    "Page",
    "PaginationWalk",
    "Problem",
    "check_page",
    "check_pagination",
    "check_walk",
    "page_problems",
    "read_page",
    "walk_pages",
]

CHECK = "pagination"


def check_page(ctx: CheckContext) -> list[Finding]:
    """One page of a list response (the registry's `pagination` check)."""
    body, endpoint = ctx.body, ctx.exchange.endpoint
    found = [
        ctx.finding(CHECK, p.severity, p.pointer, p.expected, p.actual, p.message, rule=p.rule)
        for p in page_problems(ctx.exchange.request, body, endpoint=endpoint)
    ]
    items = body.get("items") if isinstance(body, dict) else None
    field = ID_FIELDS.get(endpoint, "packageId")
    seen: set[str] = set()
    for i, item in enumerate(items if isinstance(items, list) else ()):
        item_id = item.get(field) if isinstance(item, dict) else None
        if isinstance(item_id, str):
            if item_id in seen:
                message = f"The {field} {render(item_id)} appears twice on the same page."
                where = f"/items/{i}/{field}"
                found.append(
                    ctx.finding(CHECK, BREAKING, where, "unique", "repeated", message, rule="duplicate")
                )
                break
            seen.add(item_id)
    return found


class PaginationWalk:
    """Cross-page invariants, fed one page at a time; keeps ids and counters, never pages.

    Call `add_page` for every page in order, then `finish` once for every finding of the walk
    (repeats of one problem across pages are collapsed into one finding with a count). With
    ``page_checks=False`` the per-page rules are left to `run_checks` on each page (the order within
    a page included: the walk then reports only what no single page shows).

    `endpoint` is `Endpoint.LIST` or `Endpoint.TEMPLATES_LIST`; `id_field` defaults to its items' id
    (`ID_FIELDS`). `sort_by` is the `sortBy` every page was asked with; by default the first page's
    request's (see `_order` for the order judged, and what a request without one is judged as).
    """

    def __init__(
        self,
        endpoint: str = Endpoint.LIST,
        *,
        id_field: str | None = None,
        page_checks: bool = True,
        sort_by: str | None = None,
    ) -> None:
        self.endpoint, self.page_checks = endpoint, page_checks
        self.id_field = id_field or ID_FIELDS.get(endpoint, "packageId")
        self.sort_by = sort_by
        self.pages = 0
        self._ids: set[str] = set()
        self._anonymous = 0
        self._total: int | None = None
        self._short: str | None = None
        self._aggregator = Aggregator(endpoint, CHECK)
        self._order_findings = Aggregator(endpoint, "filters")
        self._order: SortOrder | None = None
        self._order_read = False

    def add_page(self, request: Any, response: Any, source: str = "") -> None:
        self.pages += 1
        page = read_page(request, response, self.endpoint)
        if page is None:
            if self.page_checks:
                self._add(_not_a_page(self.pages, response), source)
            return
        where = f"page {self.pages} (skip {page.skip})"
        if self.page_checks:
            for problem in page_problems(request, response, short_pages=False, endpoint=self.endpoint):
                message = f"{where}: {problem.message}"
                self._add(replace(problem, message=message), source)
        self._totals(page, where, source)
        self._collect(page, where, source)
        self._sorted(request, page.items, where, source)

    def _sorted(self, request: Any, items: list[Any], where: str, source: str) -> None:
        """The order across pages; with ``page_checks=False``, not within a page that breaks it alone."""
        if not self._order_read:  # the first page read decides, as the walk's requests differ only in skip
            self._order, self._order_read = sort_order(self.endpoint, request, self.sort_by), True
        order = self._order
        if order is None:
            return
        keys = order.keys(items)
        alone = sort_order(self.endpoint, request, order.sort_by) if not self.page_checks else None
        if alone is not None and alone.reversals(items, keys):
            order.reversals(items, keys)  # the page's own finding is `run_checks`'; keep the walk's place
            return
        order.report(order.reversals(items, keys), self._order_findings, f"{where}: ", source)

    def _add(self, p: Problem, source: str) -> None:
        self._aggregator.add(p.rule, p.severity, p.pointer, p.expected, p.actual, p.message, source=source)

    def _totals(self, page: Page, where: str, source: str) -> None:
        if page.total is None:
            return
        if self._total is not None and page.total != self._total:
            message = f"{where}: total changed from {self._total} to {page.total} during the walk."
            changed = Problem("total-changed", BREAKING, "/total", str(self._total), str(page.total), message)
            self._add(changed, source)
        self._total = page.total
        limit = page.limit
        if self._short is None and limit is not None and len(page.items) < min(limit, page.total - page.skip):
            self._short = f"{where} had {len(page.items)} items"

    def _collect(self, page: Page, where: str, source: str) -> None:
        ids, field = self._ids, self.id_field
        for i, item in enumerate(page.items):
            value = item.get(field) if isinstance(item, dict) else None
            if not isinstance(value, str):
                self._anonymous += 1
            elif value in ids:
                message = f"{where}: {field} {render(value)} was already returned by an earlier page."
                pointer = f"/items/{i}/{field}"
                self._add(
                    Problem("seen-before", BREAKING, pointer, "a new id", "a repeated id", message), source
                )
            else:
                ids.add(value)

    def finish(self) -> list[Finding]:
        """Every finding of the walk; call once, after the last page."""
        found = self._aggregator.findings() + self._order_findings.findings()
        distinct, total = len(self._ids) + self._anonymous, self._total
        if self.pages and total is not None and distinct != total:
            missing = distinct < total
            how = f"; {self._short}" if missing and self._short else ""
            message = (
                f"The walk of {self.pages} pages returned {distinct} distinct items but total is {total}, "
                f"so it {'ended before the end' if missing else 'ran past the end'}{how}."
            )
            expected, actual = str(total), str(distinct)
            found.append(
                Finding(
                    CHECK, BREAKING, self.endpoint, "/total", expected, actual, message, rule="walk-total"
                )
            )
        return found


def check_pagination(
    request: Any, pages: Iterable[Any], *, endpoint: str = Endpoint.LIST, id_field: str | None = None
) -> list[Finding]:
    """A walk over `pages`, in order: each a page, or the (request body, page) pair `walk_pages` yields.

    A plain page n is taken as asked for with skip = skip0 + n * take (from `request`, a dict or
    None); a pair carries the request it answered. A page that is not a list page is a finding
    (`not-a-page`). No page at all is a `ValueError`: there was nothing to check.
    """
    if request is not None and not isinstance(request, Mapping):
        accepted = "the first page's request body, a dict or None"
        raise TypeError(f"check_pagination(): `request` must be {accepted}; got {given(request)}")
    asked = dict(request or {})
    take = as_count(asked.get("take")) or DEFAULT_TAKE
    skip = as_count(asked.get("skip")) or 0
    walk = PaginationWalk(endpoint, id_field=id_field)
    for n, page in enumerate(pages_of(pages, "check_pagination")):
        if isinstance(page, tuple) and len(page) == 2:
            walk.add_page(*page)
        else:
            walk.add_page({**asked, "take": take, "skip": skip + n * take}, page)
    if not walk.pages:
        raise ValueError(_NO_PAGE)
    return walk.finish()


_NO_PAGE = (
    "check_pagination(): `pages` held no page, so there was nothing to check; pass every page of the "
    "walk, at least the first (an iterator, such as walk_pages', can be read only once)"
)


def _not_a_page(n: int, response: Any) -> Problem:
    """The finding for a walk's page that has no `items` array."""
    what = "not JSON" if response is NOT_JSON else json_type(response)
    if isinstance(response, dict):
        what = "an object without an items array"
    message = f"page {n}: the response is not a list page ({what}), so the walk cannot read it."
    return Problem("not-a-page", BREAKING, "/items", "a list page {items, total, take, skip}", what, message)


def walk_pages(
    fetch: Callable[[dict[str, Any]], Any],
    request: dict[str, Any],
    take: int,
    max_pages: int = 1000,
    *,
    id_field: str = "packageId",
) -> Iterator[tuple[dict[str, Any], Any]]:
    """Drive `fetch(request_body) -> parsed page` through every page; yields (request body, page).

    Stops after an empty page, a page at or past `total` (so one page past the end is always seen),
    a page that repeats the previous one (skip ignored), or `max_pages`. Its arguments are checked
    when it is called, before the first request.
    """
    if not callable(fetch):
        raise TypeError(f"walk_pages(): `fetch` must be a function of a request body; got {given(fetch)}")
    if not isinstance(request, Mapping):
        raise TypeError(f"walk_pages(): `request` must be the request body, a dict; got {given(request)}")
    count_of(take, "walk_pages", "take"), count_of(max_pages, "walk_pages", "max_pages")
    return _walk(fetch, dict(request), take, max_pages, id_field)


def _walk(
    fetch: Callable[[dict[str, Any]], Any], request: dict[str, Any], take: int, max_pages: int, id_field: str
) -> Iterator[tuple[dict[str, Any], Any]]:
    skip = as_count(request.get("skip")) or 0
    previous: set[str] = set()
    for _ in range(max_pages):
        body = {**request, "take": take, "skip": skip}
        page = fetch(body)
        yield body, page
        items = page.get("items") if isinstance(page, dict) else None
        if not isinstance(items, list) or not items:
            return
        total = as_count(page.get("total"))
        ids = {
            value for item in items if isinstance(item, dict) and isinstance(value := item.get(id_field), str)
        }
        if (total is not None and skip >= total) or (ids and ids <= previous):
            return
        previous = ids
        skip += take


def check_walk(
    fetch: Callable[[dict[str, Any]], Any],
    request: dict[str, Any],
    take: int,
    max_pages: int = 1000,
    *,
    endpoint: str = Endpoint.LIST,
    id_field: str | None = None,
) -> list[Finding]:
    """`walk_pages` fed into a `PaginationWalk`: every page-level and cross-page finding of a full walk."""
    walk = PaginationWalk(endpoint, id_field=id_field)
    id_field = walk.id_field
    for body, page in walk_pages(fetch, request, take, max_pages, id_field=id_field):
        walk.add_page(body, page)
    return walk.finish()
