"""packages/{id}/data (§4.6) over real HTTP, on every seeded package and on packages as they are signed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SandboxConfig, SandboxServer, running

Json = dict[str, Any]
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DATA_KEYS = ["packageId", "name", "type", "state", "externalData", "documents"]
DOCUMENT_KEYS = ["documentId", "packageId", "name", "fileName", "state", "data"]
FIELD_KEYS = ["id", "dataId", "signerId", "source", "type", "value", "pageNumber"]


@pytest.fixture(scope="module")
def seeded(api: httpx.Client, walk: Callable[..., list[Json]]) -> list[tuple[Json, Json]]:
    """(status, data) of every seeded package."""
    items = walk(api, {"allMembers": True}, take=100)
    return [
        (
            api.get(f"/packages/{i['packageId']}/status").json(),
            api.get(f"/packages/{i['packageId']}/data").json(),
        )
        for i in items
    ]


def test_data_has_the_documented_shape_and_agrees_with_status(seeded: list[tuple[Json, Json]]) -> None:
    for status, data in seeded:
        assert list(data) == DATA_KEYS
        assert [data[k] for k in DATA_KEYS[:5]] == [status[k] for k in DATA_KEYS[:5]]
        assert [d["documentId"] for d in data["documents"]] == [d["documentId"] for d in status["documents"]]
        for document in data["documents"]:
            assert list(document) == DOCUMENT_KEYS
            assert document["packageId"] == data["packageId"] and document["state"] == "active"
            assert all(list(field) == FIELD_KEYS for field in document["data"])


def test_each_signed_revision_gives_a_signature_and_a_date(seeded: list[tuple[Json, Json]]) -> None:
    for status, data in seeded:
        for s_document, d_document in zip(status["documents"], data["documents"], strict=True):
            signed = [r["signerId"] for r in s_document["revisions"] if r["isSigned"]]
            fields = d_document["data"]
            assert [f["signerId"] for f in fields if f["type"] == "signature"] == signed
            assert [f["signerId"] for f in fields if f["type"] == "date"] == signed
            assert all(GUID.match(f["id"]) and f["source"] == "signer" for f in fields)
            assert len({f["id"] for f in fields}) == len(fields)


def test_executed_packages_have_every_value(seeded: list[tuple[Json, Json]]) -> None:
    executed = [(s, d) for s, d in seeded if s["state"] == "executed"]
    assert executed
    for status, data in executed:
        revisions = sum(len(d["revisions"]) for d in status["documents"])
        assert sum(len(d["data"]) for d in data["documents"]) == 2 * revisions


def test_data_is_stable_from_call_to_call(api: httpx.Client, seeded: list[tuple[Json, Json]]) -> None:
    status, data = next((s, d) for s, d in seeded if s["state"] == "executed")
    assert api.get(f"/packages/{status['packageId']}/data").json() == data


def test_template_data_and_signatures_appear_as_they_are_entered(
    server: SandboxServer,
    client: httpx.Client,
    add_package: Callable[..., Json],
    upload_pdf: Callable[..., str],
) -> None:
    documents = [{"fileId": upload_pdf(client), "templateData": {"amount": "1 000 €", "term": "12"}}]
    added = add_package(client, type="concurrent", documents=documents)
    path = f"/packages/{added['packageId']}/data"
    fields = client.get(path).json()["documents"][0]["data"]
    assert [(f["dataId"], f["value"], f["signerId"], f["pageNumber"]) for f in fields] == [
        ("amount", "1 000 €", None, 1),
        ("term", "12", None, 1),
    ]
    signer = added["package"]["signers"][1]
    server.sign(added["packageId"], signer["signerId"])
    fields = client.get(path).json()["documents"][0]["data"]
    signature, date = fields[2:]
    assert (signature["signerId"], signature["value"]) == (signer["signerId"], "Signer Two")
    assert (date["type"], date["value"]) == ("date", "2025-06-02")


def test_3_6_reports_an_executed_package_as_open() -> None:
    with (
        running(SandboxConfig(api_version="3.6", packages=7)) as old,
        httpx.Client(base_url=old.base_url, headers={"api_key": old.api_key}) as client,
    ):
        items = client.post("/packages/list", json={"allMembers": True, "isExecuted": True}).json()["items"]
        assert items
        assert {client.get(f"/packages/{i['packageId']}/data").json()["state"] for i in items} == {"open"}


def test_an_unknown_package_has_no_data(client: httpx.Client) -> None:
    response = client.get("/packages/00000000-0000-4000-8000-000000000000/data")
    assert (response.status_code, response.json()["error"]) == (404, "package_not_found")
