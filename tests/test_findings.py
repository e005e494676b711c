"""A finding's fingerprint: the same drift gives the same one however its values, ids or times vary."""

from __future__ import annotations

import pytest

from pytest_signcheck.findings import Finding, Severity, fold_pointer


def _finding(**changes: str) -> Finding:
    fields = {
        "check": "integrity",
        "endpoint": "GET /packages/{packageId}/status",
        "pointer": "/documents/0/revisions/1/documentId",
        "expected": "the id of its parent",
        "actual": "another id",
        "message": "The revision names another document than the one it is in.",
        "source": "add-and-status.yaml#3",
        "rule": "revision-document",
    }
    fields.update(changes)
    return Finding(severity=Severity.BREAKING, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "change",
    [
        {"pointer": "/documents/14/revisions/0/documentId"},
        {"actual": "a wholly different value"},
        {"message": "another wording, another count (and 3 more)"},
        {"source": "live"},
    ],
)
def test_what_varies_between_runs_leaves_the_fingerprint_alone(change: dict[str, str]) -> None:
    assert _finding(**change).fingerprint == _finding().fingerprint


@pytest.mark.parametrize(
    "change",
    [
        {"check": "signer-links"},
        {"endpoint": "POST /packages/list"},
        {"pointer": "/documents/0/revisions/1/signerId"},
        {"rule": "revision-package"},
    ],
)
def test_another_drift_has_another_fingerprint(change: dict[str, str]) -> None:
    assert _finding(**change).fingerprint != _finding().fingerprint


def test_without_a_rule_the_expectation_counts_with_times_ids_and_tokens_masked() -> None:
    early = _finding(rule="", expected="between 2025-06-02T09:00:00+00:00 and 2025-06-12T09:00:00Z")
    late = _finding(rule="", expected="between 2026-01-01T00:00:00.1234567Z and 2026-01-11T00:00:00Z")
    assert early.fingerprint == late.fingerprint
    assert _finding(rule="", expected="22 characters").fingerprint != early.fingerprint


def test_id_keys_fold_like_indices() -> None:
    assert fold_pointer("/documents/7a17e4e7-1111-2222-3333-444455556666/name") == "/documents/*/name"
    assert fold_pointer("/signers/0/links/3/timeExpires") == "/signers/*/links/*/timeExpires"
    assert fold_pointer("/documents/0/exernalId") == "/documents/*/exernalId"


def test_the_fingerprint_travels_in_the_dict_and_back() -> None:
    data = _finding().to_dict()
    assert data["fingerprint"] == _finding().fingerprint
    assert Finding.from_dict(data) == _finding()
