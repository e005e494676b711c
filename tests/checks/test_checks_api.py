"""The public API, how findings render, and that nothing private ever reaches a finding."""

from __future__ import annotations

import json
from typing import Any

import pytest
from checkdata import STATUS, build_status, load
from test_checks_drift import DRIFTS, run

import pytest_signcheck
from pytest_signcheck import (
    CHECK_IDS,
    Finding,
    Severity,
    assert_conforms,
    check_list_page,
    check_response,
    check_status,
)
from pytest_signcheck.errors import ConfigError

B, A, INFO = Severity.BREAKING, Severity.ADDITIVE, Severity.INFO
#: The severities each check may use: additive only where the docs allow growth, info for guesses.
ALLOWED = {
    "schema": {B, A},
    "undocumented-field": {A},
    "state-enum": {B, A},
    "type-enum": {B},
    "timestamp": {B, INFO},
    "pagination": {B, INFO},
    "filters": {B, INFO},
    "signer-links": {B, INFO},
    "integrity": {B, INFO},
    "http": {B, INFO},
}


def all_drift_findings() -> list[Finding]:
    status, listing = load("status_example.json"), load("list_page.json")
    return [finding for drift in DRIFTS for finding in run(drift, status, listing)]


def test_public_names() -> None:
    assert set(pytest_signcheck.__all__) <= set(dir(pytest_signcheck))
    for name in pytest_signcheck.__all__:
        assert getattr(pytest_signcheck, name) is not None
    with pytest.raises(AttributeError):
        _ = pytest_signcheck.not_a_name  # type: ignore[attr-defined]


def test_every_check_id_uses_only_its_severities() -> None:
    assert set(ALLOWED) == set(CHECK_IDS)
    for finding in all_drift_findings():
        assert finding.severity in ALLOWED[finding.check], finding


def test_a_finding_is_one_readable_line_and_round_trips_as_json() -> None:
    for finding in all_drift_findings():
        line = str(finding)
        assert "\n" not in line
        assert line.startswith(f"{finding.severity.value} {finding.check}: {finding.endpoint} ")
        assert Finding.from_dict(json.loads(finding.to_json())) == finding
        assert finding.message.endswith((".", ")")) and finding.message[0].isupper()


def test_findings_carry_endpoint_and_source(status_example: Any) -> None:
    status_example["state"] = "Open"
    (finding,) = [f for f in check_status(status_example, source="cassettes/status.yaml#2") if f.breaking]
    assert (finding.endpoint, finding.source) == (STATUS, "cassettes/status.yaml#2")
    assert str(finding).endswith("[cassettes/status.yaml#2]")


PRIVATE = {
    "firstName": "Zelda",
    "lastName": "Quixote",
    "email": "zelda.quixote@private.example",
    "mobileNumber": "+15550001234",
}


def private_status() -> dict[str, Any]:
    status = build_status(2, 2)
    for signer in status["signers"]:
        signer |= PRIVATE
        for link in signer["links"]:
            link["token"] = "SeCrEtToKeN0123456789x"
            link["link"] = "https://sandbox.syngrafii.com/link/SeCrEtToKeN0123456789x"
    return status


LEAKS = [
    *PRIVATE.values(),
    "SeCrEtToKeN0123456789x",
    "BKhD5EA0Dw6o0fv7-p3wnw",
    "MnWkMecgfNjfFZsye1YJmg",
    "signer.one@example.com",
    "Signer One",
    "records@example.com",
    "alex.renter",
]


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        ("/signers/0/email", 5),
        ("/signers/0/firstName", None),
        ("/signers/0/lastName", ["Quixote"]),
        ("/signers/0/mobileNumber", 15550001234),
        ("/signers/0/links/0/token", "SeCrEtToKeN0123456789y"),
        ("/signers/0/links/0/link", "https://x.example/zelda.quixote@private.example"),
        ("/signers/0/links/0/timeExpires", "zelda.quixote@private.example"),
        ("/signers/0/links/0/token", 12345),
        (
            "/documents/0/revisions/0/link",
            {"href": "https://sandbox.syngrafii.com/link/SeCrEtToKeN0123456789x"},
        ),
    ],
)
def test_messages_never_show_personal_data_or_tokens(pointer: str, value: Any) -> None:
    status = private_status()
    parent, _, key = pointer.rpartition("/")
    target: Any = status
    for token in parent.strip("/").split("/"):
        target = target[int(token)] if isinstance(target, list) else target[token]
    target[int(key) if isinstance(target, list) else key] = value
    findings = check_status(status, generate_signer_links=False)
    assert findings, "the mutation must be found"
    text = "\n".join(f"{f}\n{f.to_json()}" for f in findings)
    for leak in LEAKS:
        assert leak not in text


def test_drift_findings_never_show_the_examples_private_values() -> None:
    text = "\n".join(f"{finding}\n{finding.to_json()}" for finding in all_drift_findings())
    for leak in LEAKS:
        assert leak not in text


def test_search_terms_are_never_shown(list_data: Any) -> None:
    findings = check_list_page(list_data["request"] | {"search": "Quixote"}, list_data["response"])
    assert findings and all("Quixote" not in f.to_json() for f in findings)


def test_response_may_be_parsed_text_or_bytes(status_example: Any) -> None:
    raw = json.dumps(status_example)
    as_dict = check_status(status_example, generate_signer_links=True)
    assert check_status(raw, generate_signer_links=True) == as_dict
    assert check_status(raw.encode(), generate_signer_links=True) == as_dict


def test_a_body_that_is_not_json() -> None:
    (finding,) = check_status(b"<html>502 Bad Gateway</html>")
    assert (finding.check, finding.severity) == ("http", B)


def test_concrete_paths_name_their_endpoint(status_example: Any) -> None:
    path = f"GET /packages/{status_example['packageId']}/status"
    assert check_response(path, status_example) == check_response(STATUS, status_example)
    with pytest.raises(ConfigError, match="unknown endpoint"):
        check_response("GET /nowhere", status_example)


def test_bad_options_are_usage_errors(status_example: Any) -> None:
    with pytest.raises(ConfigError, match="API version"):
        check_status(status_example, api_version="5.0")
    with pytest.raises(ConfigError, match="fail_on"):
        assert_conforms([], fail_on="sometimes")


def test_assert_conforms_passes_documented_behaviour(status_example: Any, list_data: Any) -> None:
    assert_conforms([])
    assert_conforms(status_example)  # only the additive typo
    assert_conforms(json.dumps(list_data["response"]).encode(), request=list_data["request"])
    assert_conforms(check_status(status_example), fail_on="breaking")


def test_assert_conforms_lists_the_findings(status_example: Any) -> None:
    status_example["type"] = "sequential"
    with pytest.raises(AssertionError) as raised:
        assert_conforms(status_example, generate_signer_links=False)
    header, *lines = str(raised.value).splitlines()
    assert header == "signcheck: 4 of 5 findings fail (fail_on=breaking): 4 breaking, 1 additive, 0 info"
    assert len(lines) == 5 and lines[0].startswith("  breaking type-enum:")
    assert lines[-1].startswith("  additive undocumented-field:")
    for leak in LEAKS:
        assert leak not in str(raised.value)


@pytest.mark.parametrize(("fail_on", "fails"), [("any", True), ("breaking", False), ("never", False)])
def test_fail_on(status_example: Any, fail_on: str, fails: bool) -> None:
    findings = check_status(status_example)  # one additive finding
    if fails:
        with pytest.raises(AssertionError, match="1 of 1 findings fail"):
            assert_conforms(findings, fail_on=fail_on)
    else:
        assert_conforms(findings, fail_on=fail_on)
    status_example["state"] = "Open"
    if fail_on == "never":
        assert_conforms(status_example, fail_on="never")
