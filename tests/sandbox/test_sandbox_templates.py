"""templates/list (§4.12) over real HTTP: shape, paging invariants, sorting, every filter, determinism."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SANDBOX_NOW, SandboxConfig, SandboxServer, running

Json = dict[str, Any]
NET_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$")
ITEM_KEYS = ["organizationId", "templateId", "templateCode", "memberId", "teamId", "folderId", "shared"]
ITEM_KEYS += ["timeCreated", "timeUpdated", "timeLastUsed", "name", "description", "packageType", "type"]
ITEM_KEYS += ["state", "documents", "signers", "recipients"]
DOCUMENT_KEYS = ["documentId", "documentCode", "index", "name", "fileName"]
SIGNER_KEYS = ["signerId", "index", "firstName", "lastName", "email", "role", "templateRole", "type"]
RECIPIENT_KEYS = ["recipientId", "firstName", "lastName", "email", "templateRole", "type"]
TYPES = {"concurrent", "Sequential", "Counterpart", "video_closing_room", "Live Session"}
COUNT = 40


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with running(SandboxConfig(packages=0, templates=COUNT)) as running_server:
        yield running_server


@pytest.fixture(scope="module")
def client(server: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers={"api_key": server.api_key}, timeout=10) as api:
        yield api


def page(client: httpx.Client, **body: Any) -> Json:
    response = client.post("/templates/list", json=body)
    assert response.status_code == 200, response.text
    result: Json = response.json()
    return result


def every(client: httpx.Client, **body: Any) -> list[Json]:
    """Every template the query matches, walked 7 at a time."""
    items: list[Json] = []
    while True:
        got = page(client, **body, take=7, skip=len(items))
        assert len(got["items"]) <= got["take"] == 7 and got["skip"] == len(items)
        items += got["items"]
        if not got["items"]:
            assert len(items) == got["total"]
            return items


@pytest.fixture(scope="module")
def everything(client: httpx.Client) -> list[Json]:
    return every(client, allMembers=True)


def test_the_default_page(client: httpx.Client, everything: list[Json]) -> None:
    body = page(client)
    assert list(body) == ["items", "total", "take", "skip"]
    assert (body["take"], body["skip"]) == (50, 0)
    assert 0 < body["total"] == len(body["items"]) < len(everything)


def test_get_with_a_json_body_answers_like_post(client: httpx.Client) -> None:
    query = {"types": ["auto_template"], "sortBy": "last_used", "take": 100}
    response = client.request("GET", "/templates/list", json=query)
    assert response.status_code == 200 and response.json() == page(client, **query)


def test_item_shape(everything: list[Json]) -> None:
    assert len(everything) == COUNT
    assert len({t["templateId"] for t in everything}) == COUNT
    for template in everything:
        assert list(template) == ITEM_KEYS
        assert template["packageType"] in TYPES and template["type"] in {"template", "auto_template"}
        assert NET_TIME.match(template["timeCreated"]) and template["timeCreated"] <= template["timeUpdated"]
        if template["timeLastUsed"] is not None:
            assert template["timeUpdated"] <= template["timeLastUsed"] <= SANDBOX_NOW
        assert all(list(d) == DOCUMENT_KEYS for d in template["documents"])
        assert all(list(s) == SIGNER_KEYS for s in template["signers"])
        assert all(list(r) == RECIPIENT_KEYS for r in template["recipients"])
        people = template["signers"] + template["recipients"]
        assert all(p["email"].endswith(("@example.com", "@example.org")) for p in people)


def test_walking_every_page_sees_every_template_once(client: httpx.Client, everything: list[Json]) -> None:
    assert [t["templateId"] for t in every(client, allMembers=True)] == [t["templateId"] for t in everything]
    beyond = page(client, allMembers=True, skip=COUNT + 5)
    assert (beyond["items"], beyond["total"], beyond["skip"]) == ([], COUNT, COUNT + 5)
    assert page(client, allMembers=True, take=0)["items"] == []


def test_sorting(client: httpx.Client, everything: list[Json]) -> None:
    used = [t["timeLastUsed"] for t in everything]
    never = used.index(None)
    assert used[:never] == sorted(used[:never], reverse=True) and set(used[never:]) == {None}
    names = [t["name"] for t in every(client, allMembers=True, sortBy="name")]
    assert names == sorted(names, key=str.casefold)
    for key, field in (("created", "timeCreated"), ("updated", "timeUpdated")):
        times = [t[field] for t in every(client, allMembers=True, sortBy=key)]
        assert times == sorted(times, reverse=True)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"sortBy": "popularity"}, "template_invalid_sort_by"),
        ({"take": -1}, "template_range_take"),
        ({"skip": "2"}, "template_invalid_skip"),
        ({"types": "template"}, "template_invalid_types"),
        ({"mostRecent": -3}, "template_range_most_recent"),
        ({"personal": "yes"}, "template_invalid_personal"),
    ],
)
def test_bad_requests_are_400s(client: httpx.Client, body: Json, code: str) -> None:
    response = client.post("/templates/list", json=body)
    assert (response.status_code, response.json()["error"]) == (400, code)


def test_types_and_package_types_match_exactly(client: httpx.Client, everything: list[Json]) -> None:
    auto = every(client, allMembers=True, types=["auto_template"])
    assert auto and {t["type"] for t in auto} == {"auto_template"}
    assert len(auto) == sum(t["type"] == "auto_template" for t in everything)
    rooms = every(client, allMembers=True, packageTypes=["video_closing_room"])
    assert rooms and {t["packageType"] for t in rooms} == {"video_closing_room"}
    assert every(client, allMembers=True, packageTypes=["sequential"]) == []


def test_search_is_full_text_with_template_roles(client: httpx.Client, everything: list[Json]) -> None:
    role = everything[0]["signers"][0]["templateRole"]
    found = every(client, allMembers=True, search=role.lower())
    assert found and all(
        any(p["templateRole"] == role for p in t["signers"] + t["recipients"]) or role in t["name"]
        for t in found
    )
    mortgage = every(client, allMembers=True, search="MORTG*")
    assert mortgage and all(t["name"].startswith("Mortgage application") for t in mortgage)
    assert every(client, allMembers=True, search="mortg") == []


def test_most_recent_keeps_templates_used_in_the_last_days(
    client: httpx.Client, everything: list[Json]
) -> None:
    recent = every(client, allMembers=True, mostRecent=30)
    assert 0 < len(recent) < len(everything)
    assert all(t["timeLastUsed"] is not None and t["timeLastUsed"] >= "2025-05-03" for t in recent)
    assert len(every(client, allMembers=True, mostRecent=0)) == len(everything)


def test_scopes_personal_and_shared(
    server: SandboxServer, client: httpx.Client, everything: list[Json]
) -> None:
    default = every(client)
    owner = next(t["memberId"] for t in default if not t["shared"])
    assert {t["templateId"] for t in default} == {
        t["templateId"] for t in everything if t["memberId"] == owner or t["shared"]
    }
    assert all(not t["shared"] for t in every(client, personal=True))
    assert all(t["shared"] for t in every(client, shared=True))
    assert len(every(client, personal=True, shared=True)) == len(default)
    colleague = next(t["memberId"] for t in everything if t["memberId"] != owner)
    assert {t["memberId"] for t in every(client, memberId=colleague)} == {colleague}


def test_a_team_follows_the_packages_rule(api: httpx.Client, client: httpx.Client) -> None:
    """The same seed has the same organisation; both lists refuse the same teams with 403."""
    items = api.post("/packages/list", json={"allMembers": True, "take": 100}).json()["items"]
    teams = {item["teamId"] for item in items if item["teamId"]}
    for_templates = {team: client.post("/templates/list", json={"teamId": team}) for team in teams}
    for_packages = {team: api.post("/packages/list", json={"teamId": team}).status_code for team in teams}
    assert {team: r.status_code for team, r in for_templates.items()} == for_packages
    assert set(for_packages.values()) == {200, 403}
    for team, response in for_templates.items():
        if response.status_code == 403:
            assert response.json()["error"] == "team_not_authorized"
        else:
            assert all(t["teamId"] == team for t in response.json()["items"])


def test_collections_partition_the_templates(client: httpx.Client, everything: list[Json]) -> None:
    codes = ("lending", "hr", "real-estate")
    sizes = [len(every(client, allMembers=True, collectionCode=code)) for code in codes]
    assert all(sizes) and sum(sizes) == len(everything)
    assert every(client, allMembers=True, collectionCode="LENDING") == []


def test_the_same_seed_gives_the_same_templates(client: httpx.Client) -> None:
    with (
        running(SandboxConfig(packages=0, templates=COUNT)) as again,
        httpx.Client(base_url=again.base_url, headers={"api_key": again.api_key}) as other,
    ):
        body = {"allMembers": True, "take": 100}
        assert (
            other.post("/templates/list", json=body).content
            == client.post("/templates/list", json=body).content
        )


def test_templates_do_not_change_the_packages_of_a_seed(api: httpx.Client) -> None:
    with (
        running(SandboxConfig(templates=0)) as bare,
        httpx.Client(base_url=bare.base_url, headers={"api_key": bare.api_key}) as other,
    ):
        body = {"allMembers": True, "take": 100}
        assert (
            other.post("/packages/list", json=body).content == api.post("/packages/list", json=body).content
        )
        empty = other.post("/templates/list", json={"allMembers": True}).json()
        assert empty == {"items": [], "total": 0, "take": 50, "skip": 0}
