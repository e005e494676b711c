"""Pagination across a walk: a fake list endpoint that behaves, and the ways it can drift."""

from __future__ import annotations

import re
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

from pytest_signcheck import Finding, PaginationWalk, Severity, check_pagination, walk_pages
from pytest_signcheck.checks import check_walk

Items = Callable[[int, int], list[dict[str, Any]]]


def package(n: int, filler: str = "") -> dict[str, Any]:
    return {"packageId": f"{n:08x}-0000-4000-8000-{n:012x}", "name": f"Package {n}{filler}"}


class FakeList:
    """`packages/list` over `count` packages; `total`, `items` and `take_cap` can be made to drift."""

    def __init__(
        self, count: int, *, total: Callable[[int], int] | None = None, items: Items | None = None
    ) -> None:
        self.count = count
        self.total = total or (lambda skip: count)
        self.items = items or (lambda skip, take: [package(n) for n in range(skip, min(skip + take, count))])
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        self.requests.append(request)
        skip, take = request["skip"], request["take"]
        return {"items": self.items(skip, take), "total": self.total(skip), "take": take, "skip": skip}


def rules(findings: list[Finding]) -> list[str]:
    return [f"{f.severity.value} {f.pointer} {f.message}" for f in findings]


def test_consistent_walk_has_no_findings_and_probes_past_the_end() -> None:
    server = FakeList(120)
    assert check_walk(server, {"memberId": "m", "states": None}, 50) == []
    assert [request["skip"] for request in server.requests] == [0, 50, 100, 150]
    assert all(request["memberId"] == "m" for request in server.requests)


def test_exact_multiple_of_take_ends_on_an_empty_page() -> None:
    server = FakeList(100)
    assert check_walk(server, {}, 50) == []
    assert [request["skip"] for request in server.requests] == [0, 50, 100]


def test_a_10000_package_walk_keeps_memory_flat() -> None:
    """Each item carries 1 KB: keeping the pages would hold over 10 MB; a flat walk keeps ids."""
    heavy = "x" * 1024
    server = FakeList(
        10_000, items=lambda skip, take: [package(n, heavy) for n in range(skip, min(skip + take, 10_000))]
    )
    walk = PaginationWalk()
    tracemalloc.start()
    try:
        for request, page in walk_pages(server, {}, 50):
            walk.add_page(request, page)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert walk.finish() == []
    assert walk.pages == 201
    assert peak < 5 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_total_changing_between_pages() -> None:
    server = FakeList(120, total=lambda skip: 120 if skip < 50 else 121)
    findings = check_walk(server, {}, 50)
    assert any("total changed from 120 to 121" in f.message for f in findings), rules(findings)


def test_duplicates_across_pages_and_a_walk_that_ends_early() -> None:
    """Overlapping pages (skip applied one short) repeat an id and lose the last package."""

    def overlapping(skip: int, take: int) -> list[dict[str, Any]]:
        start = max(skip - 1, 0)  # 0-49, then 49-98: package 49 twice, package 99 never
        return [package(n) for n in range(start, min(start + take, 99))]

    server = FakeList(100, items=overlapping)
    findings = check_walk(server, {}, 50)
    messages = " ".join(f.message for f in findings)
    assert "already returned by an earlier page" in messages
    assert "ended before the end" in messages


def test_walk_running_past_total() -> None:
    server = FakeList(100, total=lambda skip: 80)
    findings = check_walk(server, {}, 50)
    messages = " ".join(f.message for f in findings)
    assert "ran past the end" in messages
    assert "total says there are only 80" in messages


def test_page_past_the_end_not_empty() -> None:
    """A server that answers any skip past the end with the last page again."""
    server = FakeList(
        100, items=lambda skip, take: [package(n) for n in range(min(skip, 50), min(skip, 50) + take)]
    )
    findings = check_walk(server, {}, 50)
    assert any("past the end" in f.message and "should be empty" in f.message for f in findings), rules(
        findings
    )
    assert len(server.requests) == 3  # stops: that page was at the end, and it repeated the previous one


def test_server_ignoring_skip_stops_the_walk() -> None:
    server = FakeList(500, items=lambda skip, take: [package(n) for n in range(take)])
    findings = check_walk(server, {}, 50)
    assert len(server.requests) == 2
    assert {"duplicate" in f.message or "already returned" in f.message for f in findings} >= {True}
    assert any("ended before the end" in f.message for f in findings)


def test_more_items_than_take_on_every_page_is_one_finding() -> None:
    server = FakeList(
        500, items=lambda skip, take: [package(n) for n in range(skip, min(skip + take + 10, 500))]
    )
    findings = check_walk(server, {}, 50, max_pages=3)
    oversize = [f for f in findings if "more than take" in f.message]
    assert len(oversize) == 1 and "(and 2 more" in oversize[0].message


def test_max_pages_bounds_the_walk() -> None:
    server = FakeList(10_000)
    pages = list(walk_pages(server, {}, 10, max_pages=5))
    assert [request["skip"] for request, _ in pages] == [0, 10, 20, 30, 40]


def test_check_pagination_over_a_list_of_pages() -> None:
    request = {"take": 2, "skip": 0}
    pages = [
        {"items": [package(0), package(1)], "total": 5, "take": 2, "skip": 0},
        {"items": [package(2), package(3)], "total": 5, "take": 2, "skip": 2},
        {"items": [package(4)], "total": 5, "take": 2, "skip": 4},
    ]
    assert check_pagination(request, pages) == []
    pages[2]["total"] = 6
    findings = check_pagination(request, pages)
    assert [f.check for f in findings] == ["pagination", "pagination"]
    assert all(f.severity is Severity.BREAKING for f in findings)
    assert "page 3 (skip 4)" in findings[0].message


def test_walk_findings_carry_the_page_source() -> None:
    walk = PaginationWalk()
    walk.add_page(
        {"take": 2, "skip": 0},
        {"items": [package(0)] * 3, "total": 3, "take": 2, "skip": 0},
        "cassettes/list.yaml#4",
    )
    sources = {f.source for f in walk.finish() if f.pointer.startswith("/items")}
    assert sources == {"cassettes/list.yaml#4"}


def test_page_checks_can_be_left_to_run_checks() -> None:
    walk = PaginationWalk(page_checks=False)
    walk.add_page(
        {"take": 2, "skip": 0},
        {"items": [package(0), package(1), package(2)], "total": 3, "take": 2, "skip": 0},
    )
    assert [f for f in walk.finish() if "more than take" in f.message] == []


@pytest.mark.parametrize("page", [None, [], "x", {"items": None}, {"items": [1, None, "x"], "total": "3"}])
def test_walk_survives_pages_it_cannot_read(page: Any) -> None:
    walk = PaginationWalk()
    walk.add_page({"take": 2, "skip": 0}, page)
    assert all(isinstance(f, Finding) for f in walk.finish())


def test_check_pagination_takes_the_pairs_walk_pages_yields() -> None:
    """The README's pairing: `check_pagination(request, walk_pages(...))` judges the walk, the same as
    the pages as a plain list; before, every pair was read as a page without items and nothing was found."""
    request = {"take": 10}
    consistent = FakeList(25)
    assert check_pagination(request, walk_pages(consistent, request, 10)) == []
    one_too_many = FakeList(25, total=lambda skip: 26)
    walked = check_pagination(request, walk_pages(one_too_many, request, 10))
    plain = check_pagination(request, [page for _, page in walk_pages(one_too_many, request, 10)])
    assert [f.rule for f in walked] == ["walk-total"]
    assert walked == plain


@pytest.mark.parametrize(
    ("pages", "what"),
    [(["garbage", "<html>"], "not JSON"), ([None, None], "null"), ([[1], {"total": 3}], "array")],
)
def test_a_page_that_is_not_a_page_is_a_finding(pages: list[Any], what: str) -> None:
    findings = check_pagination({}, pages)
    assert [(f.rule, f.severity, f.occurrences) for f in findings] == [("not-a-page", Severity.BREAKING, 2)]
    assert f"page 1: the response is not a list page ({what})" in findings[0].message


def test_one_page_not_in_a_list_is_a_type_error_naming_the_fix() -> None:
    with pytest.raises(
        TypeError, match=r"`pages` must be a list .* for one page, pass \[page\]; got a dict$"
    ):
        check_pagination({}, {"items": [], "total": 0})


@pytest.mark.parametrize(("pages", "got"), [(None, "None"), ("[]", "a str"), (3, "an int")])
def test_pages_of_the_wrong_type_are_a_type_error(pages: Any, got: str) -> None:
    with pytest.raises(TypeError, match=rf"check_pagination\(\): `pages` must be .*; got {got}$"):
        check_pagination({}, pages)


def test_an_empty_walk_is_a_value_error_not_a_pass() -> None:
    request = {"take": 10}
    pages = walk_pages(FakeList(5), request, 10)
    assert check_pagination(request, pages) == []
    with pytest.raises(ValueError, match="`pages` held no page, so there was nothing to check"):
        check_pagination(request, pages)  # the iterator was read already
    with pytest.raises(ValueError, match="held no page"):
        check_pagination(request, [])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("not callable", {}, 10), "`fetch` must be a function of a request body; got a str"),
        ((FakeList(1), None, 10), "`request` must be the request body, a dict; got None"),
        ((FakeList(1), {}, 0), "`take` must be a whole number of 1 or more; got 0"),
        ((FakeList(1), {}, "10"), "`take` must be a whole number of 1 or more; got a str"),
        ((FakeList(1), {}, 10, 0.5), "`max_pages` must be a whole number of 1 or more; got 0.5"),
    ],
)
def test_walk_pages_checks_its_arguments_before_the_first_request(
    args: tuple[Any, ...], message: str
) -> None:
    with pytest.raises(TypeError, match=rf"^walk_pages\(\): {re.escape(message)}$"):
        walk_pages(*args)


def test_check_pagination_refuses_a_request_that_is_not_a_body() -> None:
    with pytest.raises(
        TypeError, match=r"`request` must be the first page's request body, a dict or None; got a list"
    ):
        check_pagination([{"take": 2}], [{"items": [], "total": 0}])
