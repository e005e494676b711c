"""The two list endpoints beyond one packages/list page: templates/list (§4.12), the `sortBy` order on a
page and across a walk, the `days` and `mostRecent` windows, and the inputs whose meaning the docs leave
open (`days: 0`, search text with punctuation), which never fail.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from checkdata import LIST, deep, load

from pytest_signcheck import Finding, PaginationWalk, Severity, check_response
from pytest_signcheck.contract.endpoints import Endpoint

EXAMPLES = Path(__file__).parent.parent / "data" / "examples"
TEMPLATES = Endpoint.TEMPLATES_LIST
B, INFO = Severity.BREAKING, Severity.INFO
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def stamp(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def templates_page(ages: list[float | None], **page: Any) -> dict[str, Any]:
    """A templates/list page of the documented template, one per age (days since last used; None: never)."""
    example = json.loads(
        (EXAMPLES / "templates-list.response" / "list-page.json").read_text(encoding="utf-8")
    )
    items = []
    for n, age in enumerate(ages):
        item = deep(example["items"][0]) | {"templateId": f"{n:08x}-0000-4000-8000-00000000abcd"}
        item |= {"timeLastUsed": None if age is None else stamp(age), "timeCreated": stamp(400 - n)}
        items.append(item)
    return {"items": items, "total": len(items), "take": 100, "skip": 0} | page


def packages_page(ages: list[float], **page: Any) -> dict[str, Any]:
    """A packages/list page of the documented item, one per age (days since created)."""
    item = load("list_page.json")["response"]["items"][0]
    items = [
        deep(item) | {"packageId": f"{n:08x}-0000-4000-8000-00000000beef", "timeCreated": stamp(age)}
        for n, age in enumerate(ages)
    ]
    return {"items": items, "total": len(items), "take": 50, "skip": 0} | page


def of(check: str, findings: list[Finding]) -> list[tuple[str, Severity, str]]:
    return [(f.rule, f.severity, f.pointer) for f in findings if f.check == check]


# templates/list: the documented page, pagination and filters.


def test_the_documented_templates_page_passes_its_request() -> None:
    request = json.loads(
        (EXAMPLES / "templates-list.request" / "templates-tab.json").read_text(encoding="utf-8")
    )
    body = json.loads((EXAMPLES / "templates-list.response" / "list-page.json").read_text(encoding="utf-8"))
    assert check_response(TEMPLATES, body, request=request, now=NOW) == []


def test_a_templates_page_follows_the_pagination_rules() -> None:
    page = templates_page([1, 2, 3])
    page["items"][2]["templateId"] = page["items"][0]["templateId"]
    page["total"] = 7
    found = of("pagination", check_response(TEMPLATES, page, request={"take": 100, "skip": 0}))
    assert found == [("short", B, "/items"), ("duplicate", B, "/items/2/templateId")]


def test_templates_list_documents_no_default_take() -> None:
    assert check_response(TEMPLATES, templates_page([1, 2]), request={}) == []
    assert of("pagination", check_response(LIST, packages_page([1, 2], take=100), request={})) == [
        ("take-echo", B, "/take")  # packages/list's default take is 50
    ]


def test_a_walk_of_templates_reads_their_ids() -> None:
    walk = PaginationWalk(TEMPLATES)
    assert walk.id_field == "templateId"
    pages = [templates_page([1, 2], total=5, take=2), templates_page([3, 4], total=5, take=2, skip=2)]
    pages[1]["items"][1]["templateId"] = pages[0]["items"][0]["templateId"]
    for n, page in enumerate(pages):
        walk.add_page({"take": 2, "skip": 2 * n, "sortBy": "last_used"}, page)
    assert sorted((f.check, f.rule) for f in walk.finish()) == [
        ("pagination", "seen-before"),
        ("pagination", "walk-total"),
    ]


@pytest.mark.parametrize(
    ("request_", "field", "value", "expected"),
    [
        ({"packageTypes": ["Sequential"]}, "packageType", "concurrent", [("packageTypes", B)]),
        ({"packageTypes": ["Sequential"]}, "packageType", "sequential", [("packageTypes", B)]),
        ({"types": ["auto_template"]}, "type", "template", [("types", B)]),
        ({"types": ["auto_template"]}, "type", "Auto-Template", []),  # no documented constants: up to case
        ({"types": []}, "type", "anything", []),
        ({"mostRecent": 30}, "timeLastUsed", stamp(45), [("mostRecent", B)]),
        ({"mostRecent": 30}, "timeLastUsed", stamp(29), []),
        ({"mostRecent": 30}, "timeLastUsed", stamp(30.5), []),  # a day of skew
        ({"mostRecent": 30}, "timeLastUsed", None, []),  # only dates are judged
        ({"mostRecent": 0}, "timeLastUsed", stamp(45), []),
        ({"search": "Mortgage*"}, "name", "Office rental", [("search", INFO)]),
        ({"search": "tenant"}, "name", "Office rental", []),  # a signer's templateRole
    ],
)
def test_templates_filters(request_: dict[str, Any], field: str, value: Any, expected: list[Any]) -> None:
    page = templates_page([1])
    page["items"][0][field] = value
    found = of("filters", check_response(TEMPLATES, page, request=request_, now=NOW))
    assert [(rule, severity) for rule, severity, _ in found] == expected


# days: the documented meaning is unambiguous only for N > 0.


@pytest.mark.parametrize(
    ("days", "sign_by", "expected"),
    [
        (7, 3, []),
        (7, 10, [("days", B)]),
        (7, -3, [("days", B)]),  # in the past
        (7, -0.5, []),  # a day of skew
        (-7, -3, []),
        (-7, 3, [("days", INFO)]),  # the past, by a reading the docs do not state
        (0, 300, []),  # "within the next 0 days", or no filter: the docs do not say
        (0.0, -300, []),
        (None, 300, []),
        (True, 300, []),
    ],
)
def test_days(days: Any, sign_by: float, expected: list[Any]) -> None:
    page = packages_page([10])
    page["items"][0]["timeSignBy"] = stamp(-sign_by)
    found = of("filters", check_response(LIST, page, request={"days": days}, now=NOW))
    assert [(rule, severity) for rule, severity, _ in found] == expected


def test_days_without_a_reference_time_is_not_judged() -> None:
    page = packages_page([10])
    assert of("filters", check_response(LIST, page, request={"days": 1})) == []


# search: words, as full-text search reads them.


@pytest.mark.parametrize(
    "search",
    [
        "First-Signing",
        "first.signing!",
        "(signing)",
        "O'Example",
        "!!!",
        "***",
        "C-1042",
        "signer.one@example.com",
    ],
)
def test_search_with_punctuation_never_fails_an_item_that_shows_its_words(search: str) -> None:
    request = {"search": search, "sortBy": "created"}
    assert check_response(LIST, packages_page([1]), request=request) == []


def test_search_is_info_because_a_list_item_does_not_show_every_searched_field() -> None:
    found = of("filters", check_response(LIST, packages_page([1, 2]), request={"search": "Mortgage*"}))
    assert found == [("search", INFO, "/items/0")]


# sortBy on one page.


@pytest.mark.parametrize(
    ("endpoint", "sort_by", "ages", "expected"),
    [
        (LIST, "created", [1, 2, 3, 4], []),  # newest first
        (LIST, "created", [4, 3, 2, 1], []),  # oldest first: the docs give no direction
        (LIST, "created", [1, 1, 2, 2], []),  # ties
        (LIST, "created", [1, 2, 1.5, 3], [("sort-order", B, "/items/2/timeCreated")]),
        (LIST, None, [1, 2, 1.5, 3], [("sort-order", INFO, "/items/2/timeCreated")]),  # default: a guess
        (LIST, "priority", [1, 2, 1.5, 3], []),  # no field to read
        (TEMPLATES, "last_used", [1, 2, 1.5, 3], [("sort-order", B, "/items/2/timeLastUsed")]),
        (TEMPLATES, "last_used", [1, None, 2, None, 3], []),  # never used: anywhere
        (TEMPLATES, None, [1, 2, 1.5, 3], []),  # templates/list names no default
    ],
)
def test_sort_order_on_one_page(
    endpoint: str, sort_by: str | None, ages: list[Any], expected: list[Any]
) -> None:
    page = templates_page(ages) if endpoint == TEMPLATES else packages_page(ages)
    request = {} if sort_by is None else {"sortBy": sort_by}
    assert of("filters", check_response(endpoint, page, request=request)) == expected


def test_a_guessed_sort_key_is_info() -> None:
    page = packages_page([1, 2, 3])
    for item, name in zip(page["items"], ["Alpha", "charlie", "Bravo"], strict=True):
        item["name"] = name
    found = check_response(LIST, page, request={"sortBy": "name"})
    assert of("filters", found) == [("sort-order", INFO, "/items/2/name")]
    assert "a guess" in found[0].message and "'name'" in found[0].message


# sortBy across the pages of a walk.


def walk_of(pages: list[dict[str, Any]], request: dict[str, Any], **options: Any) -> list[Finding]:
    walk = PaginationWalk(**options)
    for n, page in enumerate(pages):
        walk.add_page(request | {"take": 2, "skip": 2 * n}, page | {"take": 2, "skip": 2 * n})
    return walk.finish()


def total(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    count = sum(len(page["items"]) for page in pages)
    for n, page in enumerate(pages):
        for i, item in enumerate(page["items"]):
            item["packageId"] = f"{n:04x}{i:04x}-0000-4000-8000-00000000beef"
        page["total"] = count
    return pages


@pytest.mark.parametrize("page_checks", [True, False])
def test_a_reversal_at_a_page_boundary_is_the_walk_s(page_checks: bool) -> None:
    pages = total([packages_page([1, 2]), packages_page([1.5, 3])])
    request = {"sortBy": "created"}
    asked = [request | {"take": 2, "skip": 2 * n} for n in range(2)]
    for n, page in enumerate(pages):
        assert check_response(LIST, page | {"take": 2, "skip": 2 * n}, request=asked[n]) == []
    found = walk_of(pages, request, page_checks=page_checks)
    assert [(f.check, f.rule, f.severity, f.pointer) for f in found] == [
        ("filters", "sort-order", B, "/items/0/timeCreated")
    ]
    assert found[0].message.startswith("page 2 (skip 2): ")


def test_a_page_sorted_the_other_way_is_the_walk_s() -> None:
    pages = total([packages_page([1, 2]), packages_page([4, 3])])
    found = walk_of(pages, {"sortBy": "created"}, page_checks=False)
    assert [(f.rule, f.pointer) for f in found] == [("sort-order", "/items/1/timeCreated")]


def test_a_reversal_within_a_page_is_reported_once() -> None:
    pages = total([packages_page([1, 2]), packages_page([4, 3.5])])
    pages[1]["items"].append(deep(pages[1]["items"][0]) | {"timeCreated": stamp(5), "packageId": "x"})
    pages[1]["items"][1]["timeCreated"] = stamp(3)  # page 2: 4, 3, 5 days old
    request = {"sortBy": "created"}
    per_page = [
        f for page in pages for f in check_response(LIST, page, request=request) if f.check == "filters"
    ]
    assert [f.pointer for f in per_page] == ["/items/2/timeCreated"]  # page 2 alone: newer, then older
    assert [f for f in walk_of(pages, request, page_checks=False) if f.check == "filters"] == []
    # Judging every page itself, the walk sees the same break against the direction page 1 set.
    assert [f.pointer for f in walk_of(pages, request) if f.check == "filters"] == ["/items/1/timeCreated"]


def test_the_walk_s_sort_by_overrides_its_requests() -> None:
    pages = total([packages_page([1, 2]), packages_page([1.5, 3])])
    assert walk_of(pages, {"sortBy": "name"}) == []  # every item has the same name
    found = walk_of(pages, {"sortBy": "name"}, sort_by="created")
    assert [(f.rule, f.severity) for f in found] == [("sort-order", B)]


def test_a_walk_without_sort_by_judges_packages_as_created_by_default_as_info() -> None:
    pages = total([packages_page([1, 2]), packages_page([1.5, 3])])
    assert [(f.rule, f.severity) for f in walk_of(pages, {})] == [("sort-order", INFO)]
    assert walk_of(pages, {}, endpoint=TEMPLATES, id_field="packageId") == []


@pytest.mark.parametrize("endpoint", [LIST, TEMPLATES])
def test_an_organisation_with_nothing_to_list_passes_every_filter(endpoint: str) -> None:
    """The checks judge only what a page shows: an empty page asks nothing of the filters it was given."""
    request = {"states": ["executed"], "types": ["Sequential"], "isExecuted": True, "days": 7, "search": "x*"}
    request |= {"packageTypes": ["concurrent"], "mostRecent": 30, "sortBy": "created", "take": 10, "skip": 0}
    empty = {"items": [], "total": 0, "take": 10, "skip": 0}
    assert check_response(endpoint, empty, request=request, now=NOW) == []
    walk = PaginationWalk(endpoint)
    walk.add_page(request, empty)
    assert walk.finish() == []
