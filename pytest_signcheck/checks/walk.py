"""`pagination` across a walk of every page, and a transport-agnostic driver for the walk.

A walk: `total` never changes, no id appears twice, and the walk collects exactly `total` distinct
ids; each page also gets the one-page rules (unless `run_checks` already judges each page). A walk
keeps a set of ids and counters, never pages, so memory stays flat however long the list is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pytest_signcheck.checks._base import BREAKING, Aggregator, as_count
from pytest_signcheck.checks.pagination import DEFAULT_TAKE, Page, page_problems, read_page
from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.contract.redact import render
from pytest_signcheck.findings import Finding, Severity

__all__ = ["PaginationWalk", "check_pagination", "check_walk", "walk_pages"]

_CHECK = "pagination"


class PaginationWalk:
    """Cross-page invariants, fed one page at a time; keeps ids and counters, never pages.

    Call `add_page` for every page in order, then `finish` once for every finding of the walk
    (repeats of one problem across pages are collapsed into one finding with a count). With
    ``page_checks=False`` the per-page rules are left to `run_checks` on each page.
    """

    def __init__(
        self, endpoint: str = Endpoint.LIST, *, id_field: str = "packageId", page_checks: bool = True
    ) -> None:
        self.endpoint, self.id_field, self.page_checks = endpoint, id_field, page_checks
        self.pages = 0
        self._ids: set[str] = set()
        self._anonymous = 0
        self._total: int | None = None
        self._short: str | None = None
        self._aggregator = Aggregator(endpoint)

    def add_page(self, request: Any, response: Any, source: str = "") -> None:
        self.pages += 1
        page = read_page(request, response)
        if page is None:
            return
        where = f"page {self.pages} (skip {page.skip})"
        if self.page_checks:
            for rule, severity, pointer, expected, actual, message in page_problems(
                request, response, short_pages=False
            ):
                self._add(rule, severity, pointer, expected, actual, f"{where}: {message}", source)
        self._totals(page, where, source)
        self._collect(page, where, source)

    def _add(
        self,
        rule: str,
        severity: Severity,
        pointer: str,
        expected: str,
        actual: str,
        message: str,
        source: str,
    ) -> None:
        self._aggregator.add((rule,), _CHECK, severity, pointer, expected, actual, message, source)

    def _totals(self, page: Page, where: str, source: str) -> None:
        if page.total is None:
            return
        if self._total is not None and page.total != self._total:
            message = f"{where}: total changed from {self._total} to {page.total} during the walk."
            self._add("total-changed", BREAKING, "/total", str(self._total), str(page.total), message, source)
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
                self._add(
                    "duplicate", BREAKING, f"/items/{i}/{field}", "a new id", "a repeated id", message, source
                )
            else:
                ids.add(value)

    def finish(self) -> list[Finding]:
        """Every finding of the walk; call once, after the last page."""
        found = self._aggregator.findings()
        distinct, total = len(self._ids) + self._anonymous, self._total
        if self.pages and total is not None and distinct != total:
            missing = distinct < total
            how = f"; {self._short}" if missing and self._short else ""
            message = (
                f"The walk of {self.pages} pages returned {distinct} distinct items but total is {total}, "
                f"so it {'ended before the end' if missing else 'ran past the end'}{how}."
            )
            found.append(
                Finding(_CHECK, BREAKING, self.endpoint, "/total", str(total), str(distinct), message)
            )
        return found


def check_pagination(
    request: Any, pages: Iterable[Any], *, endpoint: str = Endpoint.LIST, id_field: str = "packageId"
) -> list[Finding]:
    """A walk over `pages` (responses in order); page n was asked for with skip = skip0 + n * take."""
    asked = dict(request) if isinstance(request, dict) else {}
    take = as_count(asked.get("take")) or DEFAULT_TAKE
    skip = as_count(asked.get("skip")) or 0
    walk = PaginationWalk(endpoint, id_field=id_field)
    for n, page in enumerate(pages):
        walk.add_page({**asked, "take": take, "skip": skip + n * take}, page)
    return walk.finish()


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
    a page that repeats the previous one (skip ignored), or `max_pages`.
    """
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
    id_field: str = "packageId",
) -> list[Finding]:
    """`walk_pages` fed into a `PaginationWalk`: every page-level and cross-page finding of a full walk."""
    walk = PaginationWalk(id_field=id_field)
    for body, page in walk_pages(fetch, request, take, max_pages, id_field=id_field):
        walk.add_page(body, page)
    return walk.finish()
