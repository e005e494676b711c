"""One page of a list response: what it says (`read_page`) and what is wrong with it on its own
(`page_problems`), for `pagination`'s page check and its walk (see `pagination`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pytest_signcheck.checks._base import BREAKING, INFO, as_count
from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.findings import Severity

__all__ = ["DEFAULT_TAKE", "ID_FIELDS", "Page", "Problem", "page_problems", "read_page"]

#: packages/list's documented default `take`.
DEFAULT_TAKE = 50
#: The id of an item, per list endpoint.
ID_FIELDS: dict[str, str] = {Endpoint.LIST: "packageId", Endpoint.TEMPLATES_LIST: "templateId"}
_DEFAULT_TAKES: dict[str, int | None] = {Endpoint.LIST: DEFAULT_TAKE, Endpoint.TEMPLATES_LIST: None}


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with one page: the rule it breaks, and the finding's details."""

    rule: str
    severity: Severity
    pointer: str
    expected: str
    actual: str
    message: str


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Any]
    take: int | None
    skip: int
    total: int | None
    asked_take: int | None
    asked_skip: int | None

    @property
    def limit(self) -> int | None:
        known = [take for take in (self.take, self.asked_take) if take is not None]
        return min(known) if known else None


def read_page(request: Any, response: Any, endpoint: str = Endpoint.LIST) -> Page | None:
    items = response.get("items") if isinstance(response, dict) else None
    if not isinstance(items, list):
        return None
    asked = request if isinstance(request, dict) else {}
    default = _DEFAULT_TAKES.get(endpoint)
    asked_take = default if asked.get("take") is None else as_count(asked["take"])
    if not isinstance(request, dict):  # request unknown: nothing to compare the page with
        asked_take = None
    asked_skip = None if asked.get("skip") is None else as_count(asked["skip"])
    skip = as_count(response.get("skip"))
    start = skip if skip is not None else asked_skip or 0
    return Page(
        items, as_count(response.get("take")), start, as_count(response.get("total")), asked_take, asked_skip
    )


def page_problems(
    request: Any, response: Any, *, short_pages: bool = True, endpoint: str = Endpoint.LIST
) -> Iterator[Problem]:
    """What is wrong with one page on its own (duplicates within it are `check_page`'s)."""
    page = read_page(request, response, endpoint)
    if page is None:
        return
    yield from _echo(page, response)
    count, limit, total = len(page.items), page.limit, page.total
    if limit is not None and count > limit:
        message = f"The page has {count} items, more than take ({limit})."
        yield Problem("size", BREAKING, "/items", f"at most {limit} items", f"{count} items", message)
    if total is not None:
        yield from _against_total(page, count, total, limit if short_pages else None)


def _echo(page: Page, response: dict[str, Any]) -> Iterator[Problem]:
    take, asked = page.take, page.asked_take
    if take is not None and asked is not None and take != asked:
        severity = BREAKING if take > asked else INFO
        why = "" if take > asked else " (the server may cap take; the docs name no maximum)"
        message = f"The page says take is {take} but the request asked for {asked}{why}."
        rule = "take-echo" if take > asked else "take-capped"
        yield Problem(rule, severity, "/take", str(asked), str(take), message)
    skip, asked_skip = as_count(response.get("skip")), page.asked_skip
    if asked_skip is not None and skip is not None and skip != asked_skip:
        message = f"The page says skip is {skip} but the request asked for {asked_skip}."
        yield Problem("skip-echo", BREAKING, "/skip", str(asked_skip), str(skip), message)


def _against_total(page: Page, count: int, total: int, limit: int | None) -> Iterator[Problem]:
    start = page.skip
    if count and start >= total:
        message = (
            f"The page at skip {start} is past the end (total {total}) but has {count} items; "
            "it should be empty."
        )
        yield Problem("past-end", BREAKING, "/items", "no items", f"{count} items", message)
    elif count and start + count > total:
        message = f"The page reaches item {start + count} but total says there are only {total}."
        yield Problem("over-total", BREAKING, "/total", f"at least {start + count}", str(total), message)
    elif limit is not None and start < total and count < min(limit, total - start):
        wanted = min(limit, total - start)
        message = f"The page has {count} items, but total {total} and skip {start} promise {wanted}."
        yield Problem("short", BREAKING, "/items", f"{wanted} items", f"{count} items", message)
