"""An empty organisation (``packages=0``, ``templates=0``) answers every endpoint as documented."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SandboxServer

Json = dict[str, Any]
UNKNOWN = "00000000-0000-4000-8000-000000000000"
EMPTY_PAGE = {"items": [], "total": 0, "take": 50, "skip": 0}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/packages/list", {}),
        ("/packages/list", {"allMembers": True, "days": 7, "sortBy": "name", "search": "loan*"}),
        ("/templates/list", {}),
        ("/templates/list", {"allMembers": True, "mostRecent": 30, "types": ["auto_template"]}),
    ],
)
def test_lists_are_empty_pages(client: httpx.Client, path: str, body: Json) -> None:
    response = client.post(path, json=body)
    assert (response.status_code, response.json()) == (200, EMPTY_PAGE)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", f"/packages/{UNKNOWN}", None),
        ("GET", f"/packages/{UNKNOWN}/status", None),
        ("GET", f"/packages/{UNKNOWN}/data", None),
        ("POST", f"/packages/{UNKNOWN}/link/sign/{UNKNOWN}", None),
        ("POST", f"/packages/{UNKNOWN}/link/edit", None),
        ("POST", "/packages/update", {"packageId": UNKNOWN}),
        ("POST", "/packages/send", {"packageId": UNKNOWN}),
        ("POST", "/packages/rescind", {"packageId": UNKNOWN}),
        ("POST", "/packages/delete", {"packageId": UNKNOWN}),
    ],
)
def test_every_package_endpoint_is_a_documented_404(
    client: httpx.Client, method: str, path: str, body: Json | None
) -> None:
    response = client.request(method, path, json=body)
    assert (response.status_code, response.json()["error"]) == (404, "package_not_found")


def test_a_package_can_be_added_and_used_end_to_end(
    server: SandboxServer, client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    assert client.post("/events/endpoints/set", json={"url": "http://127.0.0.1:9/hooks"}).status_code == 200
    added = add_package(client, type="concurrent", generateSignerLinks=True)
    package_id = added["packageId"]
    assert (
        client.post("/packages/update", json={"packageId": package_id, "name": "Only one"}).status_code == 200
    )
    for signer in added["package"]["signers"]:
        assert client.post(f"/packages/{package_id}/link/sign/{signer['signerId']}").status_code == 200
        server.sign(package_id, signer["signerId"])
    assert client.get(f"/packages/{package_id}/status").json()["state"] == "executed"
    assert len(client.get(f"/packages/{package_id}/data").json()["documents"]) == 2
    page = client.post("/packages/list", json={}).json()
    assert (page["total"], page["items"][0]["name"]) == (1, "Only one")
    assert [e["action"] for e in server.flush()][-1] == "package_executed"
