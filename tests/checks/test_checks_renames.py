"""Each drift once, under one id (issue 11, point 2): a renamed field is one `schema` finding that names
both fields, wherever it happens, and never an `undocumented-field` finding besides."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from checkdata import LIST, STATUS, build_status, deep, load

from pytest_signcheck import Finding, Severity, check_response, check_webhook
from pytest_signcheck.checks._plan import pair_renames, resolve
from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.findings import pattern_of

EXAMPLES = Path(__file__).parent.parent / "data" / "examples"


def example(folder: str, name: str) -> Any:
    return json.loads((EXAMPLES / folder / name).read_text(encoding="utf-8"))


def rename(body: Any, pattern: str, new: str) -> Any:
    """`body` with the field at `pattern` (``*``: every item) renamed `new`, where it stands."""
    body = deep(body)
    parent, _, old = pattern.rpartition("/")
    for target in _every(body, parent.split("/")[1:] if parent else []):
        items = list(target.items())
        target.clear()
        target.update({(new if key == old else key): value for key, value in items})
    return body


def _every(value: Any, tokens: list[str]) -> list[dict[str, Any]]:
    if not tokens:
        return [value] if isinstance(value, dict) else []
    head, rest = tokens[0], tokens[1:]
    if head == "*":
        return [found for item in value for found in _every(item, rest)]
    return _every(value[head], rest)


def new_findings(endpoint: str, before: Any, after: Any, **options: Any) -> list[Finding]:
    seen = {f.fingerprint for f in check_response(endpoint, before, **options)}
    return [f for f in check_response(endpoint, after, **options) if f.fingerprint not in seen]


LIST_PAGE = load("list_page.json")
ADDED = example("packages-add.response", "with-package.json")
DATA = example("packages-data.response", "data-page.json")
SIGN_LINK = example("packages-link-sign.response", "sign-page.json")
TEMPLATES_PAGE = example("templates-list.response", "list-page.json")
CASES = [
    # (endpoint, body, field pattern, new name, options)
    (STATUS, load("status_example.json"), "/documents/*/order", "index", {}),  # beside the example's typo
    (STATUS, build_status(3, 4), "/signers/*/signerId", "signerID", {"generate_signer_links": True}),
    (STATUS, build_status(2, 2), "/documents/*/revisions/*/isSigned", "signed", {}),
    (LIST, LIST_PAGE["response"], "/items/*/name", "title", {"request": LIST_PAGE["request"]}),
    (LIST, LIST_PAGE["response"], "/total", "count", {"request": LIST_PAGE["request"]}),
    (Endpoint.ADD, ADDED, "/package/signers/*/email", "emailAddress", {}),
    (Endpoint.DATA, DATA, "/documents/*/data/*/dataId", "fieldId", {}),
    (Endpoint.SIGN_LINK, SIGN_LINK, "/timeExpires", "expires", {}),
    (Endpoint.TEMPLATES_LIST, TEMPLATES_PAGE, "/items/*/templateId", "id", {}),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint", "body", "pattern", "new", "options"), CASES, ids=[c[2] for c in CASES])
def test_a_renamed_field_is_one_finding_group(
    endpoint: str, body: Any, pattern: str, new: str, options: dict[str, Any]
) -> None:
    found = new_findings(endpoint, body, rename(body, pattern, new), **options)
    assert [(f.check, f.rule, f.severity) for f in found] == [("schema", "renamed", Severity.BREAKING)]
    (finding,) = found
    old = pattern.rpartition("/")[2]
    assert pattern_of(finding.pointer) == pattern
    assert f"{old!r} is missing; {new!r} appeared in its place" in finding.message
    assert (
        len({f.fingerprint for f in new_findings(endpoint, body, rename(body, pattern, new), **options)}) == 1
    )


def test_a_renamed_webhook_field_is_one_finding() -> None:
    payload = example("webhook-document-signed", "built.json")
    renamed = rename(payload, "/signerId", "signer_id")
    assert [(f.check, f.rule) for f in check_webhook(renamed)] == [("schema", "renamed")]


def test_a_field_removed_and_another_added_far_apart_are_two_findings() -> None:
    body = build_status(1, 1)
    del body["documents"][0]["fileName"]
    body["archived"] = True  # another object
    found = check_response(STATUS, body)
    assert sorted((f.check, f.rule, f.pointer) for f in found) == [
        ("schema", "required", "/documents/0/fileName"),
        ("undocumented-field", "undocumented", "/archived"),
    ]


def test_two_renames_in_one_object_pair_by_name() -> None:
    body = rename(
        rename(build_status(1, 1), "/signers/*/firstName", "first_name"), "/signers/*/lastName", "lastname"
    )
    found = check_response(STATUS, body)
    assert sorted((f.rule, f.pointer, f.actual) for f in found) == [
        ("renamed", "/signers/0/firstName", "missing; 'first_name' present"),
        ("renamed", "/signers/0/lastName", "missing; 'lastname' present"),
    ]


def test_an_unclear_pairing_is_left_as_it_is() -> None:
    body = build_status(1, 1)
    signer = body["signers"][0]
    del signer["order"], signer["email"]
    signer |= {"position": 0, "contact": "x"}  # two missing, two new, no near names: which is which?
    found = check_response(STATUS, body)
    assert sorted((f.check, f.rule) for f in found) == [
        ("schema", "required"),
        ("schema", "required"),
        ("undocumented-field", "undocumented"),
        ("undocumented-field", "undocumented"),
    ]


@pytest.mark.parametrize(
    ("missing", "appeared", "pairs"),
    [
        (["order"], ["index"], {"order": "index"}),
        (["signerId"], ["signerID", "extra"], {"signerId": "signerID"}),
        (["a", "b"], ["x", "y"], {}),
        (["signerId", "order"], ["signerID", "index"], {"signerId": "signerID", "order": "index"}),
        (["eventTime"], ["eventTimestamp", "externalId"], {"eventTime": "eventTimestamp"}),  # a prefix
        (["name"], ["nameSuffix", "nameLocale"], {}),  # two prefixed: neither is told apart
        (["id"], ["identifier", "extra"], {}),  # too short to be a prefix
        ([], ["x"], {}),
        (["x"], [], {}),
    ],
)
def test_pairing(missing: list[str], appeared: list[str], pairs: dict[str, str]) -> None:
    assert pair_renames(missing, appeared) == pairs


def test_a_renamed_field_under_a_renamed_parent_is_the_parent_s_finding() -> None:
    body = build_status(1, 2)
    renamed = rename(body, "/signers", "people")
    found = check_response(STATUS, renamed)
    assert [(f.check, f.rule, f.pointer) for f in found if f.check != "integrity"] == [
        ("schema", "renamed", "/signers")
    ]
    assert resolve(renamed, "/people/0/signerId")
