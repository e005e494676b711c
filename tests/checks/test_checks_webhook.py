"""`check_webhook`: the webhook events iinked Sign POSTs (§7), judged like responses.

Done when every documented example passes and a renamed field, a non-ISO `eventTime` and a renamed
`action` fail (issue 12, point 5).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from checkdata import deep

import pytest_signcheck
from pytest_signcheck import Finding, Severity, check_webhook
from pytest_signcheck.checks._plan import WEBHOOK_ENDPOINTS
from pytest_signcheck.contract.schemas import WEBHOOK_SCHEMAS

EXAMPLES = Path(__file__).parent.parent / "data" / "examples"
WEBHOOK_EXAMPLES = sorted(path for path in EXAMPLES.glob("webhook*/*.json"))
SIGNED = {"X-Syngrafii-Signature": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
B, A, INFO = Severity.BREAKING, Severity.ADDITIVE, Severity.INFO


def event(action: str) -> dict[str, Any]:
    """The documented example of `action`'s events (the envelope example for package_add)."""
    folder = EXAMPLES / f"webhook-{action.replace('_', '-')}"
    data: dict[str, Any] = json.loads(next(folder.glob("*.json")).read_text(encoding="utf-8"))
    return data


def brief(findings: list[Finding]) -> list[tuple[str, str, Severity, str]]:
    return [(f.check, f.rule, f.severity, f.pointer) for f in findings]


@pytest.mark.parametrize("path", WEBHOOK_EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize(
    "headers", [None, SIGNED, {"x-syngrafii-signature": "abc", "Content-Type": "application/json"}]
)
def test_every_documented_example_passes(path: Path, headers: Any) -> None:
    raw = path.read_text(encoding="utf-8")  # verbatim, tabs and all
    assert check_webhook(raw, headers=headers) == []
    assert check_webhook(raw.encode(), headers=headers) == []
    assert check_webhook(json.loads(raw), headers=headers, api_version="3.6") == []


def test_external_data_may_be_null_or_an_object() -> None:
    assert check_webhook(event("package_add") | {"externalData": {"internalId": "12345"}}) == []
    assert [f.check for f in check_webhook(event("package_add") | {"externalData": "12345"})] == ["schema"]


@pytest.mark.parametrize("action", WEBHOOK_SCHEMAS)
def test_a_renamed_field_is_one_schema_finding(action: str) -> None:
    payload = {
        ("eventTimestamp" if key == "eventTime" else key): value for key, value in event(action).items()
    }
    found = check_webhook(payload, headers=SIGNED, source="hook#3")
    assert brief(found) == [("schema", "renamed", B, "/eventTime")]
    assert (found[0].endpoint, found[0].source) == (f"WEBHOOK {action}", "hook#3")
    assert "'eventTimestamp' appeared in its place" in found[0].message


@pytest.mark.parametrize("action", WEBHOOK_SCHEMAS)
def test_a_non_iso_event_time_is_timestamp_s(action: str) -> None:
    found = check_webhook(event(action) | {"eventTime": "06/02/2025 09:00:01"}, headers=SIGNED)
    assert brief(found) == [("timestamp", "not-iso", B, "/eventTime")]


#: What the sandbox's drift switch does to each action: camel case, decline in the past tense.
RENAMED = {
    "package_add": "packageAdded",
    "document_signed": "documentSigned",
    "document_executed": "documentExecuted",
    "package_executed": "packageExecuted",
    "package_decline": "packageDeclined",
}


@pytest.mark.parametrize(("action", "renamed"), RENAMED.items())
def test_a_renamed_action_is_breaking_and_judged_as_the_documented_one(action: str, renamed: str) -> None:
    found = check_webhook(event(action) | {"action": renamed}, headers=SIGNED)
    assert brief(found) == [("schema", "action-renamed", B, "/action")]
    assert found[0].endpoint == f"WEBHOOK {action}"
    assert f"the documented {action!r}" in found[0].message


@pytest.mark.parametrize("action", ["package_rescind", "package_expired", "signer_verified"])
def test_an_action_the_docs_do_not_list_is_additive_and_judged_by_the_envelope(action: str) -> None:
    found = check_webhook(event("package_add") | {"action": action}, headers=SIGNED)
    assert brief(found) == [("schema", "new-action", A, "/action")]
    assert found[0].endpoint == "WEBHOOK *"
    extra = event("package_decline") | {"action": action}  # its own fields are then undocumented
    assert {f.check for f in check_webhook(extra)} == {"schema", "undocumented-field"}


def test_an_undocumented_field_is_additive() -> None:
    found = check_webhook(event("document_signed") | {"documentName": "Lease"})
    assert brief(found) == [("undocumented-field", "undocumented", A, "/documentName")]


@pytest.mark.parametrize("headers", [{"Content-Type": "application/json"}, {"X-Syngrafii-Signature": ""}])
def test_a_missing_signature_is_info_and_never_shows_a_header(headers: dict[str, str]) -> None:
    found = check_webhook(event("package_executed"), headers=headers)
    assert brief(found) == [("http", "signature", INFO, "")]
    assert "X-Syngrafii-Signature" in found[0].message


@pytest.mark.parametrize("headers", [None, {}])
def test_without_headers_the_signature_is_not_judged(headers: Any) -> None:
    assert check_webhook(event("package_executed"), headers=headers) == []


@pytest.mark.parametrize("payload", [b"<html>nope</html>", "", b"\xff\xfe"])
def test_a_body_that_is_not_json_is_breaking(payload: Any) -> None:
    assert [(f.check, f.rule, f.endpoint) for f in check_webhook(payload)] == [
        ("http", "json-body", "WEBHOOK *")
    ]


@pytest.mark.parametrize("payload", [None, [], 5, "[1]", {}, {"action": None}, {"action": ["package_add"]}])
def test_odd_shapes_are_schema_findings_never_a_crash(payload: Any) -> None:
    found = check_webhook(payload, headers=SIGNED)
    assert found and {f.check for f in found} <= {"schema", "http"}


def test_every_label_is_stable_and_public() -> None:
    assert set(WEBHOOK_ENDPOINTS) == {f"WEBHOOK {action}" for action in WEBHOOK_SCHEMAS} | {"WEBHOOK *"}
    assert "check_webhook" in pytest_signcheck.__all__
    assert pytest_signcheck.check_webhook is pytest_signcheck.checks.check_webhook


def test_each_fault_of_an_event_is_one_finding() -> None:
    payload = deep(event("document_signed"))
    payload["eventTime"] = "yesterday"
    payload["nextSignerId"] = 7
    payload["action"] = "DocumentSigned"
    del payload["revisionId"]
    found = check_webhook(payload, headers={"Content-Type": "application/json"})
    assert sorted(brief(found)) == [
        ("http", "signature", INFO, ""),
        ("schema", "action-renamed", B, "/action"),
        ("schema", "required", B, "/revisionId"),
        ("schema", "type:string|null", B, "/nextSignerId"),
        ("timestamp", "not-iso", B, "/eventTime"),
    ]


def test_a_user_s_own_webhook_test_passes_and_fails_as_pytest_reports_it(ourtester: pytest.Pytester) -> None:
    """As a user writes it: their receiver's payloads through `check_webhook` and `assert_conforms`."""
    good = (EXAMPLES / "webhook-package-add" / "package-add-example.json").read_text(encoding="utf-8")
    ourtester.makepyfile(
        test_hooks=f"""
        import json
        from pytest_signcheck import assert_conforms, check_webhook

        RECEIVED = {good!r}
        HEADERS = {{"Content-Type": "application/json", "X-Syngrafii-Signature": "abc"}}

        def test_documented_event():
            assert_conforms(check_webhook(RECEIVED.encode(), headers=HEADERS))

        def test_renamed_action():
            event = json.loads(RECEIVED) | {{"action": "packageAdded"}}
            assert_conforms(check_webhook(event, headers=HEADERS))

        def test_missing_signature_is_info():
            assert_conforms(check_webhook(RECEIVED, headers={{"Content-Type": "application/json"}}))
        """
    )
    result = ourtester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*signcheck: 1 of 1 findings fail (fail_on=breaking)*",
            "*breaking schema: WEBHOOK package_add /action: The webhook action 'packageAdded' is the*",
        ]
    )
