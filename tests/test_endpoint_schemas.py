"""The endpoints and webhooks issue 12 adds: their documented examples pass every check, their drift
fails under the check that owns it, and webhook events are judged by the schema of their action."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from pytest_signcheck import check_response
from pytest_signcheck.contract import schemas
from pytest_signcheck.contract.endpoints import Endpoint, endpoint_for

EXAMPLES = Path(__file__).resolve().parent / "data" / "examples"
JSON = {"content-type": "application/json; charset=utf-8"}


def example(path: str) -> Any:
    return json.loads((EXAMPLES / path).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("method", "path", "endpoint"),
    [
        ("POST", "/packages/update", Endpoint.UPDATE),
        ("GET", "/packages/581aa1e0/data", Endpoint.DATA),
        ("POST", "/packages/581aa1e0/link/sign/e4f0bce5", Endpoint.SIGN_LINK),
        ("POST", "/packages/581aa1e0/link/edit", Endpoint.EDIT_LINK),
        ("POST", "/templates/list", Endpoint.TEMPLATES_LIST),
        ("POST", "/events/endpoints/set", Endpoint.EVENTS_ENDPOINT_SET),
        ("GET", "/templates/list", None),  # the docs' GET variant is not the documented endpoint (T1)
        ("GET", "/packages/581aa1e0/link/edit", None),
    ],
)
def test_concrete_paths_find_their_endpoint(method: str, path: str, endpoint: Endpoint | None) -> None:
    assert endpoint_for(method, path) == endpoint


NEW_RESPONSES = [
    (Endpoint.UPDATE, "packages-add.response/with-package.json"),
    (Endpoint.DATA, "packages-data.response/data-page.json"),
    (Endpoint.SIGN_LINK, "packages-link-sign.response/sign-page.json"),
    (Endpoint.EDIT_LINK, "packages-link-edit.response/edit-page.json"),
    (Endpoint.TEMPLATES_LIST, "templates-list.response/list-page.json"),
]


@pytest.mark.parametrize(("endpoint", "path"), NEW_RESPONSES, ids=[e.name for e, _ in NEW_RESPONSES])
def test_documented_example_passes_every_check(endpoint: Endpoint, path: str) -> None:
    assert check_response(endpoint, example(path), headers=JSON) == []


def _set(body: Any, pointer: str, value: Any) -> Any:
    drifted = copy.deepcopy(body)
    *parents, last = [int(p) if p.isdigit() else p for p in pointer.strip("/").split("/")]
    target = drifted
    for part in parents:
        target = target[part]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value
    return drifted


_DELETE = object()
DRIFT = [
    ("update-package-state", Endpoint.UPDATE, "packages-add.response/with-package.json", "/package/state",
     "Open", "state-enum"),
    ("data-type-lowercase", Endpoint.DATA, "packages-data.response/data-page.json", "/type", "sequential",
     "type-enum"),
    ("data-state-new", Endpoint.DATA, "packages-data.response/data-page.json", "/state", "Executed",
     "state-enum"),
    ("data-missing-pageNumber", Endpoint.DATA, "packages-data.response/data-page.json",
     "/documents/0/data/0/pageNumber", _DELETE, "schema"),
    ("data-extra-field", Endpoint.DATA, "packages-data.response/data-page.json", "/documents/0/archived",
     True, "undocumented-field"),
    ("sign-link-type", Endpoint.SIGN_LINK, "packages-link-sign.response/sign-page.json", "/type",
     "package_edit", "schema"),
    ("edit-link-expiry-format", Endpoint.EDIT_LINK, "packages-link-edit.response/edit-page.json",
     "/timeExpires", "08/10/2021 15:40:51", "timestamp"),
    ("edit-link-missing-token", Endpoint.EDIT_LINK, "packages-link-edit.response/edit-page.json", "/token",
     _DELETE, "schema"),
    ("templates-total-string", Endpoint.TEMPLATES_LIST, "templates-list.response/list-page.json", "/total",
     "1", "schema"),
    ("templates-signers-object", Endpoint.TEMPLATES_LIST, "templates-list.response/list-page.json",
     "/items/0/signers", {}, "schema"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("endpoint", "path", "pointer", "value", "check"), [d[1:] for d in DRIFT], ids=[d[0] for d in DRIFT]
)
def test_drift_fails_under_the_check_that_owns_it(
    endpoint: Endpoint, path: str, pointer: str, value: Any, check: str
) -> None:
    findings = check_response(endpoint, _set(example(path), pointer, value), headers=JSON)
    assert [(f.check, f.pointer) for f in findings] == [(check, pointer)]


def test_3_6_reports_a_4_0_state_in_a_data_response() -> None:
    body = example("packages-data.response/data-page.json")
    assert body["state"] == "executed"
    assert check_response(Endpoint.DATA, body, headers=JSON, api_version="4.0") == []
    (finding,) = check_response(Endpoint.DATA, body, headers=JSON, api_version="3.6")
    assert (finding.check, finding.pointer, finding.breaking) == ("state-enum", "/state", True)


def test_field_values_never_reach_a_finding() -> None:
    body = example("packages-data.response/data-page.json")
    body["documents"][0]["data"][0]["value"] = 123456789
    (finding,) = check_response(Endpoint.DATA, body, headers=JSON)
    assert (finding.check, finding.pointer) == ("schema", "/documents/0/data/0/value")
    assert "123456789" not in f"{finding.expected} {finding.actual} {finding.message}"


@pytest.mark.parametrize("body", [{"secret": "whsec_s3cr3t"}, b'"whsec_s3cr3t"', {}, ["whsec_s3cr3t"]])
def test_the_endpoint_registration_response_is_never_judged(body: Any) -> None:
    """Only "the secret is included" is documented: no shape is expected, nothing is shown."""
    assert check_response(Endpoint.EVENTS_ENDPOINT_SET, body, headers=JSON) == []


# --- webhooks --------------------------------------------------------------------------------------


def test_every_documented_action_has_its_schema() -> None:
    assert set(schemas.WEBHOOK_SCHEMAS) == {
        "package_add",
        "package_executed",
        "document_executed",
        "document_signed",
        "package_decline",
    }
    for action, name in schemas.WEBHOOK_SCHEMAS.items():
        assert schemas.webhook_schema(action) == name
        assert schemas.load_schema(name)["properties"]["action"]["const"] == action
    assert schemas.webhook_schema("package_rescinded") == schemas.WEBHOOK_ENVELOPE


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("webhook*/*.json")), ids=lambda p: p.parent.name)
def test_each_event_validates_under_the_schema_of_its_action(path: Path) -> None:
    event = json.loads(path.read_text(encoding="utf-8"))
    assert list(schemas.iter_schema_errors(schemas.webhook_schema(event["action"]), event)) == []


WEBHOOK_DRIFT = [
    ("envelope-no-eventId", "webhook-package-add/package-add-example.json", "/eventId", _DELETE, "required"),
    ("eventTime-no-zone", "webhook-package-add/package-add-example.json", "/eventTime",
     "2022-02-23T20:19:28.9357901", "pattern"),
    ("signed-without-revision", "webhook-document-signed/built.json", "/revisionId", _DELETE, "required"),
    ("decline-rescinded-string", "webhook-package-decline/built.json", "/rescinded", "true", "type"),
    ("action-mismatch", "webhook-document-executed/built.json", "/action", "document_signed", "const"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "pointer", "value", "keyword"), [d[1:] for d in WEBHOOK_DRIFT], ids=[d[0] for d in WEBHOOK_DRIFT]
)
def test_webhook_drift_fails_at_its_pointer(path: str, pointer: str, value: Any, keyword: str) -> None:
    name = path.partition("/")[0]
    errors = list(schemas.iter_schema_errors(name, _set(example(path), pointer, value)))
    assert [(e.pointer, e.keyword) for e in errors] == [(pointer, keyword)]


def test_an_undocumented_action_is_judged_by_the_envelope_alone() -> None:
    event = example("webhook/package-add-example.json") | {"action": "package_rescinded", "reason": "x"}
    assert list(schemas.iter_schema_errors(schemas.webhook_schema(event["action"]), event)) == []
    del event["eventOwnerMemberId"]
    (error,) = schemas.iter_schema_errors(schemas.webhook_schema(event["action"]), event)
    assert (error.pointer, error.keyword) == ("/eventOwnerMemberId", "required")
