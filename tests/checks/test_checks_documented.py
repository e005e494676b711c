"""Documented behaviour passes: the vendor's examples, generated documented responses, and the
documented variants of every checked value yield no finding of that check."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from checkdata import LIST, STATUS, deep

from pytest_signcheck import Finding, Severity, check_list_page, check_response, check_status
from pytest_signcheck.checks.state_enum import STATES
from pytest_signcheck.checks.type_enum import PACKAGE_TYPES
from pytest_signcheck.contract.schemas import RESPONSE_SCHEMAS

EXAMPLES = Path(__file__).parent.parent / "data" / "examples"
JSON = {"content-type": "application/json; charset=utf-8"}


def of(check: str, findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.check == check]


@pytest.mark.parametrize("api_version", ["3.6", "4.0"])
@pytest.mark.parametrize("links", [None, True])
def test_vendor_status_example_has_only_the_typo(status_example: Any, api_version: str, links: Any) -> None:
    findings = check_status(status_example, api_version=api_version, generate_signer_links=links)
    assert [(f.check, f.severity, f.pointer) for f in findings] == [
        ("undocumented-field", Severity.ADDITIVE, "/documents/0/exernalId")
    ]
    assert "'externalId'" in findings[0].message


def test_vendor_status_example_as_raw_bytes(status_example: Any) -> None:
    raw = json.dumps(status_example, indent=4).encode()
    findings = check_response(STATUS, raw, headers=JSON, generate_signer_links=True)
    assert not [f for f in findings if f.breaking]


def test_generated_large_status_is_clean(make_status: Callable[..., Any]) -> None:
    assert check_status(make_status(15, 10), generate_signer_links=True) == []


def test_generated_status_without_links_is_clean(make_status: Callable[..., Any]) -> None:
    assert check_status(make_status(3, 4, links=False), generate_signer_links=False) == []


def test_documented_list_page_is_clean(list_data: Any) -> None:
    now = datetime(2026, 2, 26, tzinfo=UTC)
    assert check_list_page(list_data["request"], list_data["response"], now=now) == []


ENDPOINT_OF = {name: endpoint for endpoint, name in reversed(list(RESPONSE_SCHEMAS.items()))}
RESPONSE_EXAMPLES = sorted(
    path
    for path in EXAMPLES.glob("*/*.json")
    if path.parent.name in ENDPOINT_OF or path.parent.name == "error"
)


@pytest.mark.parametrize("path", RESPONSE_EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_documented_examples_have_no_breaking_finding(path: Path) -> None:
    """The schema suite's documented response examples (tests/data/examples), through every check."""
    body = json.loads(path.read_text(encoding="utf-8"))
    if path.parent.name == "error":
        status = int(path.stem)
        findings = check_response(STATUS, body, status_code=status, headers=JSON, expected_status=status)
    else:
        findings = check_response(ENDPOINT_OF[path.parent.name], body, headers=JSON)
    assert not [f for f in findings if f.breaking], findings


@pytest.mark.parametrize(
    ("api_version", "state"), [(version, state) for version, states in STATES.items() for state in states]
)
def test_documented_states_pass(status_example: Any, api_version: str, state: str) -> None:
    status_example["state"] = state
    assert of("state-enum", check_status(status_example, api_version=api_version)) == []


@pytest.mark.parametrize("package_type", PACKAGE_TYPES)
def test_documented_types_pass(status_example: Any, package_type: str) -> None:
    status_example["type"] = package_type
    assert of("type-enum", check_status(status_example)) == []


@pytest.mark.parametrize(
    "stamp", ["2021-08-10T15:40:51.7746401Z", "2022-03-02T20:08:41+02:00", "2022-03-02T20:08:41.261Z"]
)
def test_documented_timestamp_forms_pass(status_example: Any, list_data: Any, stamp: str) -> None:
    status_example["timeSignBy"] = stamp
    status_example["signers"][0]["signLink"]["timeExpires"] = stamp
    list_data["response"]["items"][0]["timeExecuted"] = stamp
    assert of("timestamp", check_status(status_example)) == []
    assert of("signer-links", check_status(status_example, generate_signer_links=True)) == []
    assert of("timestamp", check_list_page(list_data["request"], list_data["response"])) == []


@pytest.mark.parametrize("absent", ["missing", None, [], ""])
def test_no_link_in_any_form_passes_without_the_flag(make_status: Callable[..., Any], absent: Any) -> None:
    status = make_status(2, 2, links=False)
    for signer in status["signers"]:
        for key in ("links", "signLink", "meetingLink"):
            if absent != "missing":
                signer[key] = deep(absent) if key == "links" or absent is None else absent
    for document in status["documents"]:
        for revision in document["revisions"]:
            if absent != "missing":
                revision["link"] = None if absent == [] else absent
    assert of("signer-links", check_status(status, generate_signer_links=False)) == []


def test_executed_package_is_executed_in_4_0_and_open_in_3_6(make_status: Callable[..., Any]) -> None:
    status = make_status(2, 2, links=False)
    for document in status["documents"]:
        document["isExecuted"] = True
        for revision in document["revisions"]:
            revision |= {"isSigned": True, "isNext": False}
    status["isExecuted"] = True
    assert check_status({**status, "state": "executed"}, api_version="4.0") == []
    assert check_status({**status, "state": "open"}, api_version="3.6") == []


def test_sequential_next_signer_moves_on_after_signing(make_status: Callable[..., Any]) -> None:
    status = make_status(2, 3, links=False)
    for document in status["documents"]:
        for n, revision in enumerate(document["revisions"]):
            revision |= {"isSigned": n == 0, "isNext": n == 1}
    assert check_status(status) == []


def test_concurrent_package_may_have_many_next_signers(make_status: Callable[..., Any]) -> None:
    status = make_status(2, 3, links=False) | {"type": "concurrent"}
    for document in status["documents"]:
        for revision in document["revisions"]:
            revision["isNext"] = True
    assert check_status(status) == []


@pytest.mark.parametrize(
    ("request_changes", "kept"),
    [
        ({"states": ["executed"]}, [0, 1, 2]),
        ({"states": ["open", "executed"], "types": ["Sequential", "concurrent", "Counterpart"]}, [0, 1, 2]),
        ({"search": "signer"}, [0]),
        ({"search": "Lease*"}, [1]),
        ({"search": "renewals"}, [1]),
        ({"search": "records@example.com"}, [0, 1, 2]),
        ({"search": "555-0100"}, [0, 1, 2]),
        ({"isExecuted": True, "days": 7}, [0, 1, 2]),
        ({"days": -400}, [0, 1, 2]),
    ],
    ids=["states", "states-types", "search-signer-name", "search-wildcard", "search-plural", "search-email",
         "search-phone-not-judged", "days", "days-negative"],
)  # fmt: skip
def test_honoured_filters_pass(list_data: Any, request_changes: dict[str, Any], kept: list[int]) -> None:
    """The page keeps the `kept` items (item 0 has signer 'Signer One', item 1 is 'Lease renewal 2026')."""
    request, page = list_data["request"] | request_changes, list_data["response"]
    page["items"] = [page["items"][i] for i in kept]
    page["total"] = len(page["items"])
    if request_changes.get("days") == -400:
        for item in page["items"]:
            item["timeSignBy"] = "2025-06-01T00:00:00Z"
    now = datetime(2026, 2, 26, tzinfo=UTC)
    assert check_list_page(request, page, now=now) == []


def test_days_is_judged_only_with_a_reference_time(list_data: Any) -> None:
    """Without `now` the days rule is skipped; the response's Date header is the fallback."""
    request = list_data["request"] | {"days": 1}  # every sign-by date is 2026-03-02
    assert of("filters", check_list_page(request, list_data["response"])) == []
    date = {"date": "Thu, 26 Feb 2026 10:00:00 GMT", **JSON}
    assert of("filters", check_response(LIST, list_data["response"], request=request, headers=date))
    date = {"date": "Sun, 01 Mar 2026 22:00:00 GMT", **JSON}
    assert of("filters", check_response(LIST, list_data["response"], request=request, headers=date)) == []


@pytest.mark.parametrize(("status", "code"), [(404, "package_not_found"), (400, "package_invalid_type")])
def test_documented_errors_pass(status: int, code: str) -> None:
    body = {"error": code, "message": "Documented."}
    findings = check_response(
        STATUS, body, status_code=status, headers=JSON, expected_status=status, expected_error=code
    )
    assert findings == []


def test_headers_that_were_not_recorded_are_not_judged(status_example: Any) -> None:
    assert of("http", check_response(STATUS, status_example, headers=None)) == []
    assert (
        of("http", check_response(STATUS, status_example, headers={"Content-Type": "application/json"})) == []
    )


@pytest.mark.parametrize(
    ("changes", "signed"),
    [
        ({"state": "executed", "isExecuted": True}, True),
        ({"timeSignBy": "2030-12-01T00:00:00Z"}, False),
        ({}, True),
    ],
    ids=["finished-package", "sign-by-passed", "revision-signed"],
)
def test_expired_links_are_normal_once_signing_is_over(
    make_status: Callable[..., Any], changes: dict[str, Any], signed: bool
) -> None:
    status = make_status(1, 2) | changes  # links expire 2030-01-01; judged at 2031
    for n, link in enumerate(link for signer in status["signers"] for link in signer["links"]):
        link["isSigned"] = signed
        status["documents"][0]["revisions"][n] |= {"isSigned": signed, "isNext": False}
        link["isNext"] = False
    if signed:
        status["documents"][0]["isExecuted"] = True
        status["isExecuted"] = "isExecuted" in changes or status["isExecuted"]
    now = datetime(2031, 1, 1, tzinfo=UTC)
    findings = check_status(status, generate_signer_links=True, now=now)
    assert [f for f in findings if "expired" in f.message] == []
