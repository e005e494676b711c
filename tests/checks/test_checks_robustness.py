"""A drifted response may have any shape: the checks report it and never crash.

Every value of the documented responses, one at a time, is replaced by each JSON shape below
(unhashable ones included, where ids are expected), and all checks run under several options.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from checkdata import LIST, STATUS, build_status, deep, load

from pytest_signcheck import CheckOptions, Finding, check_webhook, run_checks
from pytest_signcheck.checks import PaginationWalk, renewed_links
from pytest_signcheck.checks._plan import WEBHOOK_ENDPOINTS
from pytest_signcheck.contract.endpoints import ENDPOINTS, Endpoint
from pytest_signcheck.exchange import NOT_JSON, Exchange

EXAMPLES = Path(__file__).parent.parent / "data" / "examples"

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


def example(folder: str, name: str) -> Any:
    return json.loads((EXAMPLES / folder / name).read_text(encoding="utf-8"))


ADD_REQUEST = {"name": "x", "generateSignerLinks": True}
ADDED = example("packages-add.response", "with-package.json")
# What the link rules read; every other value is the schema's alone, and each run through the detailed
# schema errors of a whole Package object costs milliseconds.
ADDED["package"]["documents"] = []
ADDED["package"]["signers"] = [
    {key: signer[key] for key in ("signerId", "role", "state", "signLink", "meetingLink")}
    for signer in ADDED["package"]["signers"]
]
TEMPLATES_REQUEST = example("templates-list.request", "templates-tab.json") | {"types": ["template"]}
BASES = {
    "status-example": (STATUS, load("status_example.json"), None),
    "generated-status": (STATUS, build_status(1, 2), None),
    "list-page": one_item_page(),
    "add-response": (Endpoint.ADD, ADDED, ADD_REQUEST),
    "update-response": (Endpoint.UPDATE, ADDED, {"packageId": "p", "generateSignerLinks": False}),
    "sign-link": (Endpoint.SIGN_LINK, example("packages-link-sign.response", "sign-page.json"), None),
    "edit-link": (Endpoint.EDIT_LINK, example("packages-link-edit.response", "edit-page.json"), None),
    "templates-page": (
        Endpoint.TEMPLATES_LIST,
        example("templates-list.response", "list-page.json"),
        TEMPLATES_REQUEST,
    ),
}
WEBHOOKS = [example(path.parent.name, path.name) for path in sorted(EXAMPLES.glob("webhook-*/*.json"))]


#: The part of a base its own checks read, where the rest is big.
FOCUS = {"add-response": ("package", "signers"), "update-response": ("package", "signers")}


@pytest.mark.parametrize("base", BASES)
def test_any_value_replaced_by_any_shape(base: str) -> None:
    endpoint, body, request = BASES[base]
    focus = FOCUS.get(base, ())
    for path in paths(body):
        if path[: len(focus)] != focus[: len(path)]:
            continue
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


@pytest.mark.parametrize("payload", WEBHOOKS, ids=lambda payload: str(payload["action"]))
def test_any_webhook_value_replaced_by_any_shape(payload: Any) -> None:
    for path in paths(payload):
        for shape in SHAPES:
            found = check_webhook(replaced(payload, path, shape), headers={"X-Syngrafii-Signature": "s"})
            assert all(isinstance(finding, Finding) for finding in found)


@pytest.mark.parametrize("endpoint", WEBHOOK_ENDPOINTS)
@pytest.mark.parametrize("body", [None, [], "x", 5, NOT_JSON, {}, {"action": {}}], ids=repr)
def test_any_body_under_any_webhook_label(endpoint: str, body: Any) -> None:
    run_all(endpoint, body)


@pytest.mark.parametrize("key", ["sortBy", "days", "mostRecent", "types", "packageTypes", "search"])
def test_any_list_request_shape_on_a_walk(key: str) -> None:
    for endpoint, (_, page, request) in (
        (Endpoint.LIST, one_item_page()),
        (Endpoint.TEMPLATES_LIST, BASES["templates-page"]),
    ):
        for shape in [*SHAPES, 0, "", {}, 10**30, float("nan"), "created", "last_used", "name"]:
            walk = PaginationWalk(endpoint, page_checks=False)
            walk.add_page(request | {key: shape}, page)
            walk.add_page(request | {key: shape}, page | {"items": [None, 5, {"timeCreated": {}}]})
            assert all(isinstance(finding, Finding) for finding in walk.finish())
            run_all(endpoint, page, request | {key: shape})


def test_renewed_links_of_any_shape() -> None:
    before = example("packages-add.response", "with-package.json")
    for path in paths(before):
        if path[:2] == ("package", "signers") or len(path) < 3:
            for shape in SHAPES:
                assert all(
                    isinstance(f, Finding) for f in renewed_links(before, replaced(before, path, shape))
                )
