# ruff: noqa: E501  (the drift table below reads best as one case per line)
"""Each case is one small, named mutation of a documented response, and the finding it must cause.

Bases: ``status`` is the vendor's own example (one signer), ``big`` a generated Sequential status
(2 documents x 3 signers, links on), ``list`` the documented list request with an executed page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from checkdata import LIST, STATUS, build_status, deep, load

from pytest_signcheck import CHECK_IDS, Finding, Severity, check_response
from pytest_signcheck.checks._plan import resolve

B, A, INFO = Severity.BREAKING, Severity.ADDITIVE, Severity.INFO
Case = dict[str, Any]


def at(pointer: str, value: Any) -> Callable[[Case], None]:
    def mutate(case: Case) -> None:
        parent, _, key = pointer.rpartition("/")
        target = resolve(case["body"], parent)
        target[int(key) if isinstance(target, list) else key] = deep(value)

    return mutate


def drop(pointer: str) -> Callable[[Case], None]:
    def mutate(case: Case) -> None:
        parent, _, key = pointer.rpartition("/")
        del resolve(case["body"], parent)[key]

    return mutate


def ask(**changes: Any) -> Callable[[Case], None]:
    def mutate(case: Case) -> None:
        case["request"].update(changes)

    return mutate


def reply(**changes: Any) -> Callable[[Case], None]:
    def mutate(case: Case) -> None:
        case.update(changes)

    return mutate


def both(*mutations: Callable[[Case], None]) -> Callable[[Case], None]:
    def mutate(case: Case) -> None:
        for mutation in mutations:
            mutation(case)

    return mutate


@dataclass(frozen=True)
class Drift:
    id: str
    check: str
    severity: Severity
    mutate: Callable[[Case], None]
    base: str = "status"
    options: dict[str, Any] = field(default_factory=dict)
    says: str = ""  # a fragment the message must contain


NOW = datetime(2026, 3, 1, tzinfo=UTC)
OTHER_GUID = "00000000-0000-4000-8000-0000000000ff"
#: The vendor example with its only revision signed: every flag says executed, except `state`.
EXECUTE_EXAMPLE = both(
    at("/documents/0/revisions/0/isSigned", True),
    at("/documents/0/revisions/0/isNext", False),
    at("/signers/0/links/0/isSigned", True),
    at("/signers/0/links/0/isNext", False),
    at("/documents/0/isExecuted", True),
    at("/isExecuted", True),
)
#: The generated status with the order-1 signer marked next on every document.
SECOND_SIGNER_NEXT = both(
    *(at(f"/documents/{d}/revisions/{n}/isNext", n == 1) for d in (0, 1) for n in range(3))
)
DRIFTS = [
    # schema: a documented field missing or renamed, a changed type, null where not allowed, a changed container
    Drift("status-packageId-missing", "schema", B, drop("/packageId"), says="'packageId' is missing"),
    Drift("status-fileName-renamed", "schema", B, both(drop("/documents/0/fileName"), at("/documents/0/filename", "a.pdf")), says="'filename' appeared in its place"),
    Drift("status-documents-object", "schema", B, at("/documents", {}), says="object where the docs say array"),
    Drift("status-isExecuted-string", "schema", B, at("/isExecuted", "false")),
    Drift("status-order-string", "schema", B, at("/documents/0/order", "0")),
    Drift("status-email-null", "schema", B, at("/signers/0/email", None)),
    Drift("status-timeSignBy-null", "schema", B, at("/timeSignBy", None), says="null where the docs say string"),
    Drift("status-state-number", "schema", B, at("/state", 4)),
    Drift("status-isSigned-missing", "schema", B, drop("/documents/0/revisions/0/isSigned")),
    Drift("status-links-object", "schema", B, at("/signers/0/links", {})),
    Drift("list-total-missing", "schema", B, drop("/total"), "list"),
    Drift("list-items-null", "schema", B, at("/items", None), "list"),
    # undocumented-field: additive
    Drift("status-new-top-field", "undocumented-field", A, at("/archived", True), says="'archived'"),
    Drift("revision-new-field", "undocumented-field", A, at("/documents/0/revisions/0/timeSigned", None)),
    Drift("signlink-new-field", "undocumented-field", A, at("/signers/0/signLink/qr", "x")),
    Drift("list-item-new-field", "undocumented-field", A, at("/items/1/priority", 3), "list"),
    # state-enum: exact case; versioned; undocumented values are additive
    Drift("state-Open", "state-enum", B, at("/state", "Open"), says="'open'"),
    Drift("state-OPEN", "state-enum", B, at("/state", "OPEN")),
    Drift("state-executed-in-3.6", "state-enum", B, at("/state", "executed"), options={"api_version": "3.6"}, says="4.0"),
    Drift("state-expired-in-3.6", "state-enum", B, at("/state", "expired"), options={"api_version": "3.6"}),
    Drift("state-archived", "state-enum", A, at("/state", "archived"), says="new states may be added"),
    Drift("state-empty", "state-enum", B, at("/state", "")),
    Drift("list-item-state-Executed", "state-enum", B, at("/items/0/state", "Executed"), "list"),
    # type-enum: exact constants, near misses name the documented one
    Drift("type-sequential", "type-enum", B, at("/type", "sequential"), says="'Sequential'"),
    Drift("type-Live_Session", "type-enum", B, at("/type", "Live_Session"), says="'Live Session'"),
    Drift("type-counterpart", "type-enum", B, at("/type", "counterpart"), says="'Counterpart'"),
    Drift("type-Concurrent", "type-enum", B, at("/type", "Concurrent"), says="'concurrent'"),
    Drift("type-ui-name", "type-enum", B, at("/type", "Group Send"), says="UI name"),
    Drift("type-unknown", "type-enum", B, at("/type", "bulk")),
    Drift("list-item-type-video", "type-enum", B, at("/items/2/type", "VideoClosingRoom"), "list", says="'video_closing_room'"),
    # timestamp: ISO 8601 or not
    Drift("timeSignBy-us-format", "timestamp", B, at("/timeSignBy", "03/02/2022 20:08")),
    Drift("timeSignBy-epoch", "timestamp", B, at("/timeSignBy", "1646251721")),
    Drift("timeSignBy-feb-30", "timestamp", B, at("/timeSignBy", "2022-02-30T20:08:41Z"), says="not a real date"),
    Drift("timeSignBy-space", "timestamp", B, at("/timeSignBy", "2022-03-02 20:08:41Z")),
    Drift("timeSignBy-no-offset", "timestamp", INFO, at("/timeSignBy", "2022-03-02T20:08:41")),
    Drift("list-timeCreated-date-only", "timestamp", INFO, at("/items/0/timeCreated", "2026-02-23"), "list"),
    Drift("list-document-timeExecuted", "timestamp", B, at("/items/0/documents/0/timeExecuted", "yesterday"), "list"),
    # pagination: one page
    Drift("list-more-than-take", "pagination", B, both(ask(take=2), at("/take", 2)), "list", says="more than take"),
    Drift("list-take-not-echoed", "pagination", B, at("/take", 100), "list"),
    Drift("list-take-capped", "pagination", INFO, both(ask(take=500), at("/take", 100)), "list", says="cap"),
    Drift("list-skip-not-echoed", "pagination", B, at("/skip", 5), "list"),
    Drift("list-total-below-page", "pagination", B, at("/total", 2), "list"),
    Drift("list-past-end-not-empty", "pagination", B, both(ask(skip=10), at("/skip", 10)), "list", says="past the end"),
    Drift("list-short-page", "pagination", B, at("/total", 10), "list", says="promise"),
    Drift("list-duplicate-on-page", "pagination", B, at("/items/2/packageId", "7a17e4e7-bc32-4256-bf81-27eac794c2b7"), "list"),
    # filters
    Drift("filter-states", "filters", B, ask(states=["open", "draft"]), "list"),
    Drift("filter-types-exact", "filters", B, ask(types=["Sequential", "Counterpart"]), "list", says="'concurrent'"),
    Drift("filter-isExecuted", "filters", B, ask(isExecuted=False), "list"),
    Drift("filter-search", "filters", INFO, ask(search="Mortgage*"), "list"),
    Drift("filter-days", "filters", B, both(ask(days=7), at("/items/1/timeSignBy", "2027-01-01T00:00:00Z")), "list", options={"now": NOW}),
    # signer-links
    Drift("links-without-flag", "signer-links", B, reply(), options={"generate_signer_links": False}, says="without generateSignerLinks"),
    Drift("signlink-without-flag", "signer-links", B, both(drop("/signers/0/links"), drop("/documents/0/revisions/0/link")), options={"generate_signer_links": False}),
    Drift("revision-link-missing-with-flag", "signer-links", B, drop("/documents/0/revisions/0/link"), options={"generate_signer_links": True}),
    Drift("revision-link-null-with-flag", "signer-links", B, at("/documents/0/revisions/0/link", None), options={"generate_signer_links": True}),
    Drift("signer-links-null-with-flag", "signer-links", B, at("/signers/0/links", None), options={"generate_signer_links": True}),
    Drift("signer-links-empty-with-flag", "signer-links", B, at("/signers/1/links", []), "big", {"generate_signer_links": True}),
    Drift("token-not-last-segment", "signer-links", B, at("/signers/0/links/0/token", "AAAAAAAAAAAAAAAAAAAAAA")),
    Drift("link-expiry-not-timestamp", "timestamp", B, at("/signers/0/signLink/timeExpires", "in 30 days")),
    Drift("token-length", "signer-links", INFO, both(at("/signers/0/links/0/token", "abc12"), at("/signers/0/links/0/link", "https://localhost/tws/link/abc12"))),
    Drift("link-expired-while-signing", "signer-links", INFO, at("/timeSignBy", "2032-01-01T00:00:00Z"), "big", {"now": datetime(2031, 1, 1, tzinfo=UTC)}, says="had expired"),
    # integrity
    Drift("revision-packageId", "integrity", B, at("/documents/0/revisions/0/packageId", "00000000-0000-4000-8000-000000000009"), says="another package"),
    Drift("revision-documentId", "integrity", B, at("/documents/1/revisions/2/documentId", "0000000a-0000-4000-8000-00000000000a"), "big", says="another document than the one it is in"),
    Drift("revision-signerId-unknown", "integrity", B, at("/documents/0/revisions/0/signerId", OTHER_GUID), says="not the id of any signer"),
    Drift("link-revision-unknown", "integrity", B, at("/signers/0/links/0/revisionId", OTHER_GUID), says="unknown revision"),
    Drift("link-other-signer", "integrity", B, at("/signers/1/links/0/revisionId", "000003e8-0000-4000-8000-0000000003e8"), "big", says="another signer"),
    Drift("document-executed-unsigned", "integrity", B, at("/documents/0/isExecuted", True), says="not signed yet"),
    Drift("package-executed-documents-not", "integrity", B, both(at("/isExecuted", True), at("/state", "executed")), says="a document is not executed"),
    Drift("executed-but-open", "integrity", B, EXECUTE_EXAMPLE, says="'executed'"),
    Drift("executed-state-not-executed", "integrity", B, at("/state", "executed"), says="isExecuted is false"),
    Drift("sequential-two-next", "integrity", B, at("/documents/1/revisions/2/isNext", True), "big", says="2 next signers"),
    Drift("sequential-next-not-lowest", "integrity", B, SECOND_SIGNER_NEXT, "big", says="lowest-order"),
    Drift("list-executed-but-open", "integrity", B, at("/items/0/state", "open"), "list", says="'executed'"),
    Drift("duplicate-signer-id", "integrity", B, at("/signers/2/signerId", "00000064-0000-4000-8000-000000000064"), "big", says="share one id"),
    Drift("id-not-guid", "integrity", INFO, at("/memberId", "member-42"), says="GUID"),
    # http
    Drift("status-500", "http", B, reply(status_code=500, body={"error": "package_exception_db", "message": "Boom."})),
    Drift("content-type-html", "http", B, reply(headers={"content-type": "text/html"})),
    Drift("body-not-json", "http", B, reply(body=b"<html>Bad gateway</html>")),
    Drift("error-body-shape", "http", B, reply(status_code=404, body={"code": 404}), options={"expected_status": 404}),
    Drift("wrong-error-code", "http", B, reply(status_code=404, body={"error": "not_found", "message": "No."}), options={"expected_status": 404, "expected_error": "package_not_found"}),
    Drift("invalid-type-accepted", "http", B, reply(), options={"expected_status": 400, "expected_error": "package_invalid_type"}),
    Drift("error-code-style", "http", INFO, reply(status_code=404, body={"error": "PackageNotFound", "message": "No."}), options={"expected_status": 404}),
]  # fmt: skip


def run(drift: Drift, status: Any, listing: Any) -> list[Finding]:
    base = {"status": status, "big": build_status(), "list": listing["response"]}[drift.base]
    case: Case = {"body": deep(base), "request": deep(listing["request"]), "status_code": 200}
    case["headers"] = {"content-type": "application/json; charset=utf-8"}
    drift.mutate(case)
    endpoint = LIST if drift.base == "list" else STATUS
    request = case["request"] if drift.base == "list" else None
    keywords = {"status_code": case["status_code"], "headers": case["headers"], "request": request}
    return check_response(endpoint, case["body"], **keywords, **drift.options)


@pytest.mark.parametrize("drift", DRIFTS, ids=[drift.id for drift in DRIFTS])
def test_drift_is_found(drift: Drift, status_example: Any, list_data: Any) -> None:
    findings = run(drift, status_example, list_data)
    matching = [f for f in findings if f.check == drift.check and f.severity is drift.severity]
    assert matching, "\n".join(map(str, findings)) or "no findings"
    assert drift.says in " ".join(f.message for f in matching)


@pytest.mark.parametrize("drift", DRIFTS, ids=[drift.id for drift in DRIFTS])
def test_a_drift_is_reported_once(drift: Drift, status_example: Any, list_data: Any) -> None:
    """No value is judged by two checks: breaking findings never share a pointer."""
    pointers = [f.pointer for f in run(drift, status_example, list_data) if f.breaking and f.pointer]
    assert len(pointers) == len(set(pointers)), pointers


@pytest.mark.parametrize("drift", DRIFTS, ids=[drift.id for drift in DRIFTS])
def test_a_drift_breaks_only_its_own_check(drift: Drift, status_example: Any, list_data: Any) -> None:
    """No cascades: one mutation never makes another check report breaking drift elsewhere."""
    others = [f for f in run(drift, status_example, list_data) if f.breaking and f.check != drift.check]
    assert not others, "\n".join(map(str, others))


def test_every_check_id_has_drift_cases() -> None:
    assert {drift.check for drift in DRIFTS} == set(CHECK_IDS)
    assert len(DRIFTS) >= 40


def test_base_cases_are_clean(status_example: Any, list_data: Any) -> None:
    """The mutations above start from responses that have no breaking finding at all."""
    for base in ("status", "big", "list"):
        findings = run(Drift("none", "schema", B, reply(), base), status_example, list_data)
        assert not [f for f in findings if f.breaking], findings


def test_load_is_the_vendor_example() -> None:
    assert load("status_example.json")["documents"][0]["exernalId"] is None
