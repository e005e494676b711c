"""Each value has one judge. The schemas annotate (x-signcheck-check) where timestamps, states and
types live; the dedicated checks judge the strings there, `schema` judges every other shape."""

from __future__ import annotations

from typing import Any

import pytest
from checkdata import LIST, STATUS, build_status, deep, load

from pytest_signcheck import CHECK_IDS, check_response
from pytest_signcheck.checks._plan import annotated, owner, plan, resolve
from pytest_signcheck.contract.schemas import RESPONSE_SCHEMAS


def documented_body(endpoint: str) -> tuple[Any, Any]:
    if endpoint == LIST:
        listing = load("list_page.json")
        return listing["response"], listing["request"]
    return build_status(1, 1), None


def concrete(body: Any, pattern: str) -> str | None:
    """The pattern with every ``*`` as 0, when the documented body has that value."""
    pointer = pattern.replace("*", "0")
    parent = pointer.rpartition("/")[0]
    return (
        pointer
        if isinstance(resolve(body, parent), dict) and pattern.rpartition("/")[2] in resolve(body, parent)
        else None
    )


CASES = [
    (endpoint, pattern)
    for endpoint in (STATUS, LIST)
    for pattern in annotated(RESPONSE_SCHEMAS[endpoint])
    if concrete(documented_body(endpoint)[0], pattern)
]


@pytest.mark.parametrize("endpoint", list(RESPONSE_SCHEMAS))
def test_every_annotated_value_has_an_owner(endpoint: str) -> None:
    patterns = annotated(RESPONSE_SCHEMAS[endpoint])
    for pattern, check in patterns.items():
        judge = owner(endpoint, pattern.replace("*", "3"))
        assert judge in CHECK_IDS
        assert judge == check  # a link expiry too: a date-time is `timestamp`'s wherever it stands
    assert plan(endpoint) is not None


def test_the_cases_cover_status_and_list() -> None:
    covered = {(endpoint, pattern.rpartition("/")[2]) for endpoint, pattern in CASES}
    assert {(STATUS, "timeSignBy"), (STATUS, "timeExpires"), (STATUS, "state"), (STATUS, "type")} <= covered
    assert {(LIST, "timeCreated"), (LIST, "timeExecuted"), (LIST, "state"), (LIST, "type")} <= covered


@pytest.mark.parametrize(("endpoint", "pattern"), CASES, ids=[f"{e.split()[1]}{p}" for e, p in CASES])
def test_a_bad_string_is_reported_once_by_its_owner(endpoint: str, pattern: str) -> None:
    body, request = documented_body(endpoint)
    pointer = concrete(body, pattern)
    assert pointer is not None
    body = deep(body)
    parent, _, key = pointer.rpartition("/")
    resolve(body, parent)[key] = "Not A Documented Value"
    found = [f for f in check_response(endpoint, body, request=request) if f.pointer == pointer]
    assert [f.check for f in found] == [owner(endpoint, pointer)]


@pytest.mark.parametrize("value", [None, 17, ["open"]])
@pytest.mark.parametrize(("endpoint", "pattern"), CASES, ids=[f"{e.split()[1]}{p}" for e, p in CASES])
def test_another_shape_is_reported_once_by_schema(endpoint: str, pattern: str, value: Any) -> None:
    body, request = documented_body(endpoint)
    pointer = concrete(body, pattern)
    assert pointer is not None
    body = deep(body)
    parent, _, key = pointer.rpartition("/")
    resolve(body, parent)[key] = value
    found = [f.check for f in check_response(endpoint, body, request=request) if f.pointer == pointer]
    assert found in ([], ["schema"])  # [] only where null is documented (a conditional timestamp)
    if value is not None:
        assert found == ["schema"]
