"""Cross-check against the shipped JSON Schemas, written separately from the same docs.

The sandbox must validate against them; the drifts a schema can see must fail them, attributed
(``x-signcheck-check``) to the check id the drift claims. Skipped when the schemas are not there.
The schemas bind ``package-state.json`` per API version (see ``schemas/DECISIONS.md``, V1).
"""

from __future__ import annotations

import functools
import json
import pathlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import DRIFTS, SandboxConfig, running

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")
DRAFT202012 = pytest.importorskip("referencing.jsonschema").DRAFT202012

Json = dict[str, Any]
SCHEMAS = pathlib.Path(__file__).resolve().parents[2] / "schemas"
BASE = "https://pytest-signcheck.dev/schemas/"
NEEDED = [
    "package-status.json",
    "package.json",
    "packages-list.response.json",
    "error.json",
    "package-states.json",
]
NEEDED += ["files-upload.response.json", "packages-add.response.json", "packages-ref.response.json"]
NEEDED += ["packages-delete.response.json"]
#: Drifts of responses ``responses()`` does not sample (links, data, webhooks): what each changes is
#: shown in test_sandbox_drift_switches.py.
NOT_SAMPLED = {
    "link-expiry-us-format",
    "data-field-renamed",
    "webhook-field-renamed",
    "webhook-action-renamed",
    "webhook-time-us-format",
}
SEEN_BY_SCHEMAS = [
    name
    for name, drift in DRIFTS.items()
    if drift.check in {"schema", "state-enum", "type-enum", "timestamp"} and name not in NOT_SAMPLED
]

if not all((SCHEMAS / name).is_file() for name in NEEDED):
    pytest.skip("the shipped schemas are not all there yet", allow_module_level=True)


def load(name: str) -> Json:
    document: Json = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return document


@functools.cache
def registry(api_version: str) -> Any:
    """Every shipped schema, with ``package-state.json`` bound to the version's state enum."""
    documents = [load(path.name) for path in SCHEMAS.glob("*.json")]
    states = load("package-states.json")["$defs"][api_version]
    return referencing.Registry().with_resources(
        [(d["$id"], referencing.Resource.from_contents(d)) for d in documents]
        + [(BASE + "package-state.json", DRAFT202012.create_resource(states))]
    )


def validator(name: str, api_version: str) -> Any:
    return jsonschema.Draft202012Validator(load(name), registry=registry(api_version))


def responses(client: httpx.Client, sample: int) -> Iterator[tuple[str, Json]]:
    """(schema name, body): a list page of ``sample`` packages, their statuses and objects, an error.

    Any 10 consecutive seeded packages hold every state and every type; any 35, every pair.
    """
    page = client.post("/packages/list", json={"allMembers": True, "take": sample}).json()
    yield "packages-list.response.json", page
    for item in page["items"][: max(5, sample // 2)]:
        yield "package-status.json", client.get(f"/packages/{item['packageId']}/status").json()
        yield "package.json", client.get(f"/packages/{item['packageId']}").json()
    yield "error.json", client.get("/packages/nope/status").json()


def problems(client: httpx.Client, api_version: str, sample: int = 10) -> Iterator[tuple[str, str, str]]:
    """(schema, check id, message) for each validation error, lazily."""
    validators: dict[str, Any] = {}
    for name, body in responses(client, sample):
        check = validators.setdefault(name, validator(name, api_version))
        for error in check.iter_errors(body):
            leaves = [error, *error.context]
            ids = {e.schema.get("x-signcheck-check", "schema") for e in leaves if isinstance(e.schema, dict)}
            yield from ((name, check_id, error.message[:120]) for check_id in sorted(ids))


@pytest.mark.parametrize(("api_version", "sample"), [("4.0", 35), ("3.6", 10)])
def test_the_sandbox_validates_against_the_shipped_schemas(api_version: str, sample: int) -> None:
    with (
        running(SandboxConfig(api_version=api_version)) as server,
        httpx.Client(base_url=server.base_url, headers={"api_key": server.api_key}) as client,
    ):
        assert list(problems(client, api_version, sample)) == []


def test_every_other_response_validates(api: httpx.Client, add_package: Any, upload_pdf: Any) -> None:
    upload = api.post("/files/upload", files={"file": ("a.pdf", b"%PDF-1.4", "application/pdf")}).json()
    added = add_package(api, generateSignerLinks=True, state="draft")
    sent = api.post("/packages/send", json={"packageId": added["packageId"]}).json()
    deleted = api.post("/packages/delete", json={"packageId": added["packageId"]}).json()
    for name, body in [
        ("files-upload.response.json", upload),
        ("packages-add.response.json", added),
        ("packages-ref.response.json", sent),
        ("packages-delete.response.json", deleted),
        ("error.json", api.post("/packages/list", json={"take": -1}).json()),
    ]:
        assert [e.message for e in validator(name, "4.0").iter_errors(body)] == [], name


@pytest.mark.parametrize("name", SEEN_BY_SCHEMAS)
def test_schema_visible_drifts_fail_the_schemas_under_their_check_id(name: str) -> None:
    with (
        running(SandboxConfig(drifts=(name,))) as server,
        httpx.Client(base_url=server.base_url, headers={"api_key": server.api_key}) as client,
    ):
        found = []
        for problem in problems(client, "4.0"):
            found.append(problem)
            if problem[1] == DRIFTS[name].check:
                return
    pytest.fail(
        f"{name} is not seen as {DRIFTS[name].check} by the schemas: {found[:5] or 'no errors at all'}"
    )
