"""The sandbox-only control surface: signing, declining and counters, from Python and over HTTP.

Not part of the vendor API: signers act in the vendor's web app. What signing and declining change
is documented (revisions, isExecuted roll-ups, the 4.0 states, Sequential order, decline rescinds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import ApiError, SandboxConfig, SandboxServer, running

Json = dict[str, Any]
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def control(server: SandboxServer) -> Iterator[httpx.Client]:
    """A client of the control surface (outside /api/v1)."""
    with httpx.Client(base_url=server.control_url, headers={"api_key": server.api_key}, timeout=20) as api:
        yield api


def status_of(client: httpx.Client, package_id: str) -> Json:
    body: Json = client.get(f"/packages/{package_id}/status").json()
    return body


def refused(raised: pytest.ExceptionInfo[ApiError], status: int, code: str) -> None:
    assert (raised.value.status, raised.value.code) == (status, code)
    assert raised.value.message


# signing -------------------------------------------------------------------------------------------


def test_sequential_signing_moves_the_next_signer_and_executes(
    server: SandboxServer, client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    added = add_package(client, type="Sequential")
    first, second = (s["signerId"] for s in added["package"]["signers"])
    with pytest.raises(ApiError) as raised:
        server.sign(added["packageId"], second)
    refused(raised, 400, "signer_invalid_order")
    result = server.sign(added["packageId"], first)
    assert result["events"] == ["document_signed", "document_signed"]
    status = status_of(client, added["packageId"])
    assert [r["isSigned"] for d in status["documents"] for r in d["revisions"]] == [True, False] * 2
    assert [r["isNext"] for d in status["documents"] for r in d["revisions"]] == [False, True] * 2
    assert (status["state"], status["isExecuted"]) == ("open", False)
    result = server.sign(added["packageId"], second)
    assert result["events"][-1] == "package_executed"
    status = status_of(client, added["packageId"])
    assert (status["state"], status["isExecuted"]) == ("executed", True)
    assert all(d["isExecuted"] for d in status["documents"])
    package = client.get(f"/packages/{added['packageId']}").json()
    assert package["revisionsSigned"] == package["revisionsCount"] == 4


def test_one_document_at_a_time(
    server: SandboxServer, client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    added = add_package(client, type="concurrent")
    status = status_of(client, added["packageId"])
    document_id = status["documents"][1]["documentId"]
    for signer in added["package"]["signers"]:
        result = server.sign(added["packageId"], signer["signerId"], document_id)
        assert len(result["revisionsSigned"]) == 1
    assert result["events"] == ["document_signed", "document_executed"]
    status = status_of(client, added["packageId"])
    assert [d["isExecuted"] for d in status["documents"]] == [False, True]
    item = client.post("/packages/list", json={"search": added["package"]["name"]}).json()["items"]
    assert any(i["packageId"] == added["packageId"] and not i["isExecuted"] for i in item)


def test_3_6_reports_a_fully_signed_package_as_open(add_package: Callable[..., Json]) -> None:
    with (
        running(SandboxConfig(api_version="3.6", packages=0, templates=0)) as old,
        httpx.Client(base_url=old.base_url, headers={"api_key": old.api_key}) as client,
    ):
        added = add_package(client, type="concurrent")
        for signer in added["package"]["signers"]:
            old.sign(added["packageId"], signer["signerId"])
        status = status_of(client, added["packageId"])
        assert (status["state"], status["isExecuted"]) == ("open", True)


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("draft", 400, "package_invalid_state"),
        ("twice", 400, "signer_invalid_state"),
        ("unknown signer", 404, "signer_not_found"),
        ("unknown document", 404, "document_not_found"),
        ("unknown package", 404, "package_not_found"),
    ],
)
def test_what_cannot_be_signed(
    server: SandboxServer,
    client: httpx.Client,
    add_package: Callable[..., Json],
    case: str,
    status: int,
    code: str,
) -> None:
    added = add_package(client, type="concurrent", state="draft" if case == "draft" else "open")
    signer_id = added["package"]["signers"][0]["signerId"]
    if case == "twice":
        server.sign(added["packageId"], signer_id)
    before = status_of(client, added["packageId"])
    with pytest.raises(ApiError) as raised:
        server.sign(
            UNKNOWN_ID if case == "unknown package" else added["packageId"],
            UNKNOWN_ID if case == "unknown signer" else signer_id,
            UNKNOWN_ID if case == "unknown document" else None,
        )
    refused(raised, status, code)
    assert status_of(client, added["packageId"]) == before


def test_guests_sign_nothing(sandbox: SandboxServer, api: httpx.Client) -> None:
    rooms = api.post(
        "/packages/list", json={"allMembers": True, "types": ["video_closing_room"], "states": ["open"]}
    ).json()["items"]
    room = next(r for r in rooms if any(s["role"] == "guest" for s in r["signers"]))
    guest = next(s for s in room["signers"] if s["role"] == "guest")
    with pytest.raises(ApiError) as raised:
        sandbox.sign(room["packageId"], guest["signerId"])
    refused(raised, 400, "signer_invalid_role")


# declining -----------------------------------------------------------------------------------------


def test_a_decline_rescinds_the_package(
    server: SandboxServer, client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    added = add_package(client, type="concurrent")
    signer_id = added["package"]["signers"][1]["signerId"]
    result = server.decline(added["packageId"], signer_id, "declined_terms", "Not these terms.")
    assert result == {"packageId": added["packageId"], "revisionsSigned": [], "events": ["package_decline"]}
    package = client.get(f"/packages/{added['packageId']}").json()
    assert (package["state"], package["timeRescinded"]) == ("rescinded", package["timeLastModified"])
    signer = package["signers"][1]
    assert (signer["state"], signer["declineReason"], signer["declineMessage"]) == (
        "declined",
        "declined_terms",
        "Not these terms.",
    )
    assert signer["timeDeclined"] == package["timeRescinded"]
    with pytest.raises(ApiError) as raised:
        server.sign(added["packageId"], added["package"]["signers"][0]["signerId"])
    refused(raised, 400, "package_invalid_state")


def test_a_geolocation_decline_leaves_the_package_open(
    server: SandboxServer, client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    added = add_package(client, type="concurrent")
    signer_id = added["package"]["signers"][0]["signerId"]
    assert server.decline(added["packageId"], signer_id, "declined_geolocation")["events"] == [
        "package_decline"
    ]
    package = client.get(f"/packages/{added['packageId']}").json()
    assert (package["state"], package["signers"][0]["state"]) == ("open", "active")
    assert server.sign(added["packageId"], signer_id)["revisionsSigned"]


# over HTTP -------------------------------------------------------------------------------------------


def test_the_control_surface_over_http(
    control: httpx.Client, client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    added = add_package(client, type="Sequential")
    first, second = (s["signerId"] for s in added["package"]["signers"])
    base = f"/packages/{added['packageId']}"
    signed = control.post(f"{base}/sign/{first}", json={})
    assert signed.status_code == 200 and signed.json()["events"] == ["document_signed"] * 2
    out_of_order = control.post(f"/packages/{added['packageId']}/sign/{UNKNOWN_ID}")
    assert (out_of_order.status_code, out_of_order.json()["error"]) == (404, "signer_not_found")
    declined = control.post(f"{base}/decline/{second}", json={"declineReason": "declined_terms"})
    assert declined.json()["events"] == ["package_decline"]
    assert status_of(client, added["packageId"])["state"] == "rescinded"
    again = control.post(f"{base}/decline/{second}")
    assert (again.status_code, again.json()["error"]) == (400, "package_invalid_state")


def test_the_control_surface_needs_the_key_and_valid_bodies(
    server: SandboxServer, control: httpx.Client, client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    added = add_package(client, type="concurrent")
    path = f"/packages/{added['packageId']}/sign/{added['package']['signers'][0]['signerId']}"
    for url in (server.control_url + path, server.control_url + "/events", server.control_url + "/stats"):
        response = httpx.request("POST" if "sign" in url else "GET", url, headers={"api_key": "wrong"})
        assert (response.status_code, response.json()["error"]) == (403, "api_key_not_authorized")
    bad = control.post(path, content=b"[1]")
    assert (bad.status_code, bad.json()["error"]) == (400, "request_invalid_body")
    assert control.post(path, json={"documentId": 3}).json()["error"] == "document_invalid_document_id"
    assert control.get("/nothing-here").json()["error"] == "endpoint_not_found"


def test_the_control_surface_is_not_under_the_api(client: httpx.Client) -> None:
    response = client.post(f"/_sandbox/packages/{UNKNOWN_ID}/sign/{UNKNOWN_ID}")
    assert (response.status_code, response.json()["error"]) == (404, "endpoint_not_found")


# counters and delay ----------------------------------------------------------------------------------


def test_stats_count_api_requests_and_their_delay() -> None:
    with (
        running(SandboxConfig(packages=1, templates=0, delay_ms=7, throttle=1)) as delayed,
        httpx.Client(base_url=delayed.base_url, headers={"api_key": delayed.api_key}) as client,
    ):
        statuses = [
            client.post("/packages/list", json={}).status_code,
            client.post("/packages/list", json={}).status_code,
            client.get("/no/such/endpoint").status_code,
            httpx.post(delayed.base_url + "/packages/list", json={}).status_code,
        ]
        assert statuses == [429, 200, 404, 403]
        assert delayed.stats() == {"requests": 4, "delayedMs": 28}
        over_http = httpx.get(delayed.control_url + "/stats", headers={"api_key": delayed.api_key})
        assert over_http.json() == {"requests": 4, "delayedMs": 28}, "control calls are not counted"


def test_a_sandbox_without_delay_holds_nothing(server: SandboxServer, client: httpx.Client) -> None:
    before = server.stats()
    client.post("/packages/list", json={})
    after = server.stats()
    assert (after["requests"] - before["requests"], after["delayedMs"]) == (1, 0)
