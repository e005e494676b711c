"""The documented rules, checked over every seeded package: links, isNext, roll-ups, versions, formats."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SandboxConfig, SandboxServer, running

Json = dict[str, Any]
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NET_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")
TYPES = {"concurrent", "Sequential", "Counterpart", "video_closing_room", "Live Session"}
STATES = {"draft", "open", "executed", "expired", "rescinded", "select", "add"}


@pytest.fixture(scope="module")
def items(api: httpx.Client, walk: Callable[..., list[Json]]) -> list[Json]:
    return walk(api, {"allMembers": True}, take=100)


@pytest.fixture(scope="module")
def statuses(api: httpx.Client, items: list[Json]) -> list[Json]:
    return [api.get(f"/packages/{item['packageId']}/status").json() for item in items]


@pytest.fixture(scope="module")
def packages(api: httpx.Client, items: list[Json]) -> list[Json]:
    return [api.get(f"/packages/{item['packageId']}").json() for item in items]


def client_for(server: SandboxServer) -> httpx.Client:
    return httpx.Client(base_url=server.base_url, headers={"api_key": server.api_key})


def nodes(value: Any) -> Iterator[Json]:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from nodes(child)


def revisions_of(status: Json) -> list[Json]:
    return [r for d in status["documents"] for r in d["revisions"]]


# the seed -------------------------------------------------------------------------------------------


def test_the_seed_covers_every_state_and_type(items: list[Json], api: httpx.Client) -> None:
    assert {i["state"] for i in items} == STATES
    assert {i["type"] for i in items} == TYPES
    default_scope = api.post("/packages/list", json={"take": 100}).json()["items"]
    assert {(i["state"], i["type"]) for i in default_scope} == {(s, t) for s in STATES for t in TYPES}


def test_the_seed_uses_unicode_and_only_reserved_addresses(items: list[Json], packages: list[Json]) -> None:
    assert any(i["name"].startswith("Contrat de prêt – Ünïcødé") for i in items)
    assert any(not i["name"].isascii() and not i["name"][:2].isascii() for i in items)
    people = [p for package in packages for p in package["signers"] + package["recipients"]]
    assert people
    assert all(re.fullmatch(r"[a-z.0-9]+@example\.(com|org)", p["email"]) for p in people)
    assert all(re.fullmatch(r"\+1555555(01\d\d)", s["mobileNumber"]) for s in people if s.get("mobileNumber"))


def test_the_seed_has_partial_sequential_signing(statuses: list[Json]) -> None:
    sequential = [s for s in statuses if s["type"] == "Sequential" and s["state"] == "open"]
    assert any(len(s["signers"]) >= 3 for s in sequential)
    partial = [
        s for s in sequential if 0 < sum(r["isSigned"] for r in revisions_of(s)) < len(revisions_of(s))
    ]
    assert partial


def test_executed_packages_have_every_revision_signed(statuses: list[Json]) -> None:
    executed = [s for s in statuses if s["state"] == "executed"]
    assert executed
    assert all(s["isExecuted"] and all(r["isSigned"] for r in revisions_of(s)) for s in executed)


# formats --------------------------------------------------------------------------------------------


def test_timestamps_are_dotnet_style_and_ids_lower_case_guids(
    items: list[Json], statuses: list[Json], packages: list[Json]
) -> None:
    seen_times = 0
    for node in nodes([items, statuses, packages]):
        for key, value in node.items():
            if key.startswith("time") and key != "timeZone" and value is not None:
                assert NET_TIME.match(value), (key, value)
                seen_times += 1
            if key.endswith("Id") and key != "externalId" and value is not None:
                assert GUID.match(value), (key, value)
    assert seen_times > 1000


# links ----------------------------------------------------------------------------------------------


def has_links(status: Json) -> bool:
    return any(r["link"] for r in revisions_of(status)) or any(s["links"] for s in status["signers"])


def test_status_links_are_all_or_nothing(statuses: list[Json]) -> None:
    with_links = [s for s in statuses if has_links(s)]
    without = [s for s in statuses if not has_links(s)]
    assert with_links and without
    for status in without:
        assert all(r["link"] is None for r in revisions_of(status))
        assert all(
            (s["links"], s["signLink"], s["meetingLink"]) == ([], None, None) for s in status["signers"]
        )
    for status in with_links:
        assert_links_match_revisions(status)


def assert_links_match_revisions(status: Json) -> None:
    revisions = {r["revisionId"]: (d, r) for d in status["documents"] for r in d["revisions"]}
    assert all(r["link"] for _, r in revisions.values())
    for signer in status["signers"]:
        mine = [r for _, r in revisions.values() if r["signerId"] == signer["signerId"]]
        assert [link["revisionId"] for link in signer["links"]] == [r["revisionId"] for r in mine]
        for link in signer["links"]:
            document, revision = revisions[link["revisionId"]]
            assert link["link"] == revision["link"]
            assert link["link"].rsplit("/", 1)[-1] == link["token"]
            assert TOKEN.match(link["token"])
            assert NET_TIME.match(link["timeExpires"])
            assert (link["documentId"], link["packageId"]) == (document["documentId"], status["packageId"])
            assert (link["isNext"], link["isSigned"]) == (revision["isNext"], revision["isSigned"])
            assert link["type"] == "document"
        if mine:
            assert signer["signLink"]["link"].endswith("/link/" + signer["signLink"]["token"])
        expects_meeting = status["type"] == "video_closing_room"
        assert (signer["meetingLink"] is not None) is expects_meeting


def test_links_follow_generate_signer_links_on_add(
    start: Callable[..., httpx.Client], add_package: Callable[..., Json]
) -> None:
    api = start(packages=0)
    for requested in (True, False):
        package_id = add_package(api, generateSignerLinks=requested, type="concurrent")["packageId"]
        status = api.get(f"/packages/{package_id}/status").json()
        assert has_links(status) is requested
        if requested:
            assert_links_match_revisions(status)
            assert all(len(s["links"]) == 2 for s in status["signers"])


# isNext and roll-ups --------------------------------------------------------------------------------


def expected_next(status: Json) -> set[str]:
    unsigned = [r for r in revisions_of(status) if not r["isSigned"]]
    if status["type"] != "Sequential":
        return {r["revisionId"] for r in unsigned}
    for signer in sorted(status["signers"], key=lambda s: s["order"]):
        mine = {r["revisionId"] for r in unsigned if r["signerId"] == signer["signerId"]}
        if mine:
            return mine
    return set()


def test_is_next(statuses: list[Json]) -> None:
    for status in statuses:
        assert {r["revisionId"] for r in revisions_of(status) if r["isNext"]} == expected_next(status)
    later = [
        s
        for s in statuses
        if s["type"] == "Sequential"
        and any(r["isNext"] and r["signerId"] != s["signers"][0]["signerId"] for r in revisions_of(s))
    ]
    assert later, "some Sequential package waits for a signer after the first"


def test_executed_roll_ups(statuses: list[Json], items: list[Json]) -> None:
    for status, item in zip(statuses, items, strict=True):
        for document in status["documents"]:
            assert document["isExecuted"] == (
                bool(document["revisions"]) and all(r["isSigned"] for r in document["revisions"])
            )
        executed = bool(status["documents"]) and all(d["isExecuted"] for d in status["documents"])
        assert status["isExecuted"] == executed == item["isExecuted"]
        assert (item["timeExecuted"] is not None) is executed
        assert [d["isExecuted"] for d in item["documents"]] == [d["isExecuted"] for d in status["documents"]]
        if status["state"] in ("open", "executed", "expired"):
            assert (status["state"] == "executed") is executed


def test_list_signers_agree_with_status(statuses: list[Json], items: list[Json]) -> None:
    for status, item in zip(statuses, items, strict=True):
        for listed, signer in zip(item["signers"], status["signers"], strict=True):
            mine = [r for r in revisions_of(status) if r["signerId"] == signer["signerId"]]
            assert listed["isNext"] == any(r["isNext"] for r in mine)
            assert listed["isExecuted"] == (bool(mine) and all(r["isSigned"] for r in mine))


def test_get_agrees_with_status(statuses: list[Json], packages: list[Json]) -> None:
    for status, package in zip(statuses, packages, strict=True):
        for key in (
            "packageId",
            "organizationId",
            "memberId",
            "name",
            "timeSignBy",
            "type",
            "state",
            "externalData",
        ):
            assert package[key] == status[key]
        assert package["revisionsCount"] == len(revisions_of(status))
        assert package["revisionsSigned"] == sum(r["isSigned"] for r in revisions_of(status))


# 3.6 and 4.0 ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def old_api() -> Iterator[httpx.Client]:
    with running(SandboxConfig(api_version="3.6")) as server, client_for(server) as client:
        yield client


def test_3_6_reports_executed_and_expired_as_open(
    old_api: httpx.Client, items: list[Json], walk: Callable[..., list[Json]]
) -> None:
    old_items = walk(old_api, {"allMembers": True}, take=100)
    assert [i["packageId"] for i in old_items] == [i["packageId"] for i in items]
    for new, old in zip(items, old_items, strict=True):
        expected = "open" if new["state"] in ("executed", "expired") else new["state"]
        assert old["state"] == expected
        assert old["isExecuted"] == new["isExecuted"]
        status = old_api.get(f"/packages/{new['packageId']}/status").json()
        package = old_api.get(f"/packages/{new['packageId']}").json()
        assert status["state"] == package["state"] == expected
    assert {i["state"] for i in old_items} == {"draft", "open", "rescinded", "select", "add"}


def test_3_6_states_filter_uses_the_3_6_states(
    old_api: httpx.Client, items: list[Json], walk: Callable[..., list[Json]]
) -> None:
    opened = {i["packageId"] for i in items if i["state"] in ("open", "executed", "expired")}
    assert {i["packageId"] for i in walk(old_api, {"allMembers": True, "states": ["open"]})} == opened
    assert walk(old_api, {"allMembers": True, "states": ["executed", "expired"]}) == []


# determinism ----------------------------------------------------------------------------------------


def snapshot(client: httpx.Client) -> list[bytes]:
    pages = [
        client.post("/packages/list", json={"allMembers": True, "take": 25, "skip": s}).content
        for s in (0, 25, 50)
    ]
    first = client.post("/packages/list", json={"take": 1, "sortBy": "name"}).json()["items"][0]["packageId"]
    return [*pages, client.get(f"/packages/{first}/status").content, client.get(f"/packages/{first}").content]


def test_the_same_seed_gives_byte_identical_responses(api: httpx.Client) -> None:
    with running(SandboxConfig(seed=0)) as server, client_for(server) as again:
        assert snapshot(again) == snapshot(api)


def test_another_seed_gives_other_packages(api: httpx.Client) -> None:
    with running(SandboxConfig(seed=7, packages=20)) as server, client_for(server) as other:
        page = other.post("/packages/list", json={"allMembers": True}).json()
        assert page["total"] == 20
        mine = api.post("/packages/list", json={"allMembers": True, "take": 100}).json()
        assert not {i["packageId"] for i in page["items"]} & {i["packageId"] for i in mine["items"]}
