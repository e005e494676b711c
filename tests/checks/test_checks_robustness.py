"""A drifted response may have any shape: the checks report it and never crash.

Every value of the documented responses, one at a time, is replaced by each JSON shape below
(unhashable ones included, where ids are expected), and all checks run under several options.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from conftest import LIST, STATUS, build_status, deep, load

from pytest_signcheck import CheckOptions, Finding, run_checks
from pytest_signcheck.contract.endpoints import ENDPOINTS
from pytest_signcheck.exchange import NOT_JSON, Exchange

SHAPES: list[Any] = [None, -1.5, True, "x", [], [[]], {"a": {}}]
OPTIONS = [
    CheckOptions(generate_signer_links=True, now=datetime(2026, 2, 26, tzinfo=UTC)),
    CheckOptions(generate_signer_links=False, api_version="3.6"),
]
HEADERS = {"content-type": "application/json"}


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if prefix:
        yield prefix
    children = (
        value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    )
    for key, child in children:
        yield from paths(child, (*prefix, key))


def replaced(document: Any, path: tuple[Any, ...], shape: Any) -> Any:
    copy = deep(document)
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = deep(shape)
    return copy


def run_all(endpoint: str, body: Any, request: Any = None) -> None:
    for options in OPTIONS:
        findings = run_checks(Exchange(endpoint, 200, body, HEADERS, request), options)
        assert all(isinstance(finding, Finding) for finding in findings)


def one_item_page() -> tuple[str, Any, Any]:
    listing = load("list_page.json")
    listing["response"]["items"] = listing["response"]["items"][:1]
    listing["response"]["total"] = 1
    return LIST, listing["response"], listing["request"]


BASES = {
    "status-example": (STATUS, load("status_example.json"), None),
    "generated-status": (STATUS, build_status(1, 2), None),
    "list-page": one_item_page(),
}


@pytest.mark.parametrize("base", BASES)
def test_any_value_replaced_by_any_shape(base: str) -> None:
    endpoint, body, request = BASES[base]
    for path in paths(body):
        for shape in SHAPES:
            run_all(endpoint, replaced(body, path, shape), request)


@pytest.mark.parametrize("key", ["take", "skip", "search", "states", "types", "isExecuted", "days"])
def test_any_list_request_shape(key: str) -> None:
    listing = load("list_page.json")
    for shape in [*SHAPES, 0, "", {}, 10**30, float("nan"), -(10**6)]:
        run_all(LIST, listing["response"], listing["request"] | {key: shape})
    run_all(LIST, listing["response"], "not an object")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("body", [None, [], "x", 5, NOT_JSON, {}, {"items": {}}], ids=repr)
def test_any_body_on_any_endpoint(endpoint: str, body: Any) -> None:
    run_all(endpoint, body)
    for status in (200, 404, 500):
        run_checks(Exchange(endpoint, status, body, {}), CheckOptions())
