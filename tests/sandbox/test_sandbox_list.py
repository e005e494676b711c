"""packages/list over real HTTP: the page shape, every filter, sorting and a walk over all pages.

Expectations are computed here from the items themselves (and the full package objects, for the
fields a list item leaves out), not from the sandbox's own code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SANDBOX_NOW

Json = dict[str, Any]
TYPES = ["concurrent", "Sequential", "Counterpart", "video_closing_room", "Live Session"]
STATES = ["draft", "open", "executed", "expired", "rescinded", "select", "add"]
ITEM_KEYS = [
    "packageId",
    "organizationId",
    "memberId",
    "teamId",
    "folderId",
    "shared",
    "timeCreated",
    "timeLastModified",
    "timeSignBy",
    "name",
    "category",
    "clientNumber",
    "matterNumber",
    "description",
    "type",
    "state",
    "externalData",
    "documents",
    "signers",
    "recipients",
    "isExecuted",
    "timeExecuted",
]
DOCUMENT_KEYS = ["documentId", "externalId", "index", "name", "fileName", "isExecuted", "timeExecuted"]
SIGNER_KEYS = ["signerId", "index", "firstName", "lastName", "email", "role", "type", "verify", "isVerified"]
SIGNER_KEYS += ["isNext", "isExecuted", "timeExecuted"]
RECIPIENT_KEYS = ["recipientId", "firstName", "lastName", "email", "type"]


def when(text: str) -> datetime:
    return datetime.fromisoformat(text[:26] + "+00:00")


def ids(items: list[Json]) -> list[str]:
    return [item["packageId"] for item in items]


@pytest.fixture(scope="module")
def everything(api: httpx.Client, walk: Callable[..., list[Json]]) -> list[Json]:
    """Every package of the organisation, as list items."""
    return walk(api, {"allMembers": True})


@pytest.fixture(scope="module")
def objects(api: httpx.Client, everything: list[Json]) -> dict[str, Json]:
    """The full package object of every package, by id."""
    return {pid: api.get(f"/packages/{pid}").json() for pid in ids(everything)}


@pytest.fixture(scope="module")
def owner(everything: list[Json]) -> str:
    """The key's member: the one owning the most packages."""
    members = [item["memberId"] for item in everything]
    return max(set(members), key=members.count)


def query(api: httpx.Client, walk: Callable[..., list[Json]], **body: Any) -> set[str]:
    return set(ids(walk(api, {"allMembers": True, **body})))


def test_default_page(api: httpx.Client, everything: list[Json], owner: str) -> None:
    response = api.post("/packages/list", json={})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    page = response.json()
    assert list(page) == ["items", "total", "take", "skip"]
    mine = [item for item in everything if item["memberId"] == owner]
    assert (page["total"], page["take"], page["skip"]) == (len(mine), 50, 0)
    assert len(page["items"]) == min(50, len(mine)) == 50
    assert {item["memberId"] for item in page["items"]} == {owner}


def test_item_shape(everything: list[Json]) -> None:
    assert len(everything) == 60
    for item in everything:
        assert list(item) == ITEM_KEYS
        assert all(list(d) == DOCUMENT_KEYS for d in item["documents"])
        assert all(list(s) == SIGNER_KEYS for s in item["signers"])
        assert all(list(r) == RECIPIENT_KEYS for r in item["recipients"])
        assert [d["index"] for d in item["documents"]] == list(range(len(item["documents"])))


@pytest.mark.parametrize("take", [1, 7, 50, 59, 60, 100])
def test_walking_every_page_sees_every_package_once(
    api: httpx.Client, walk: Callable[..., list[Json]], everything: list[Json], take: int
) -> None:
    skip, seen = 0, []
    while True:
        page = api.post("/packages/list", json={"allMembers": True, "take": take, "skip": skip}).json()
        assert (page["take"], page["skip"], page["total"]) == (take, skip, 60)
        assert len(page["items"]) == min(take, 60 - skip)
        seen += ids(page["items"])
        skip += take
        if skip >= page["total"]:
            break
    assert seen == ids(everything)
    assert len(set(seen)) == 60


def test_paging_edges(api: httpx.Client) -> None:
    beyond = api.post("/packages/list", json={"allMembers": True, "skip": 500}).json()
    assert (beyond["items"], beyond["total"], beyond["skip"]) == ([], 60, 500)
    nothing = api.post("/packages/list", json={"allMembers": True, "take": 0}).json()
    assert (nothing["items"], nothing["total"], nothing["take"]) == ([], 60, 0)


@pytest.mark.parametrize(("field", "value", "code"), [
    ("take", -1, "package_range_take"),
    ("skip", -5, "package_range_skip"),
    ("take", "10", "package_invalid_take"),
    ("skip", 1.5, "package_invalid_skip"),
    ("take", True, "package_invalid_take"),
    ("sortBy", "newest", "package_invalid_sort_by"),
    ("isExecuted", "yes", "package_invalid_is_executed"),
    ("states", "open", "package_invalid_states"),
    ("types", [1], "package_invalid_types"),
    ("days", "7", "package_invalid_days"),
])  # fmt: skip
def test_bad_list_requests_are_400(api: httpx.Client, field: str, value: object, code: str) -> None:
    response = api.post("/packages/list", json={field: value})
    assert response.status_code == 400
    assert response.json()["error"] == code


def test_sort_by_created_is_newest_first_by_default(everything: list[Json]) -> None:
    created = [when(item["timeCreated"]) for item in everything]
    assert created == sorted(created, reverse=True)


def test_sort_by_name_and_sign_by(api: httpx.Client, walk: Callable[..., list[Json]]) -> None:
    by_name = walk(api, {"allMembers": True, "sortBy": "name"})
    assert [i["name"].casefold() for i in by_name] == sorted(i["name"].casefold() for i in by_name)
    by_date = walk(api, {"allMembers": True, "sortBy": "signBy"})
    assert [when(i["timeSignBy"]) for i in by_date] == sorted(when(i["timeSignBy"]) for i in by_date)


def test_member_team_and_folder_scopes(
    api: httpx.Client, walk: Callable[..., list[Json]], everything: list[Json], owner: str
) -> None:
    for member in {item["memberId"] for item in everything}:
        expected = {i["packageId"] for i in everything if i["memberId"] == member}
        assert set(ids(walk(api, {"memberId": member}))) == expected
    team = next(i["teamId"] for i in everything if i["teamId"] and i["memberId"] == owner)
    assert set(ids(walk(api, {"teamId": team}))) == {
        i["packageId"] for i in everything if i["teamId"] == team
    }
    folders = {i["folderId"] for i in everything if i["folderId"]}
    assert len(folders) == 3
    for folder in folders:
        expected = {i["packageId"] for i in everything if i["folderId"] == folder}
        assert query(api, walk, folderId=folder) == expected


def test_a_team_the_key_does_not_belong_to_is_403(
    api: httpx.Client, everything: list[Json], owner: str
) -> None:
    member_teams = {(i["memberId"], i["teamId"]) for i in everything if i["teamId"]}
    owner_teams = {team for member, team in member_teams if member == owner}
    foreign = next(team for _, team in member_teams if team not in owner_teams)
    response = api.post("/packages/list", json={"teamId": foreign})
    assert response.status_code == 403
    assert response.json()["error"] == "team_not_authorized"


@pytest.mark.parametrize("package_type", TYPES)
def test_types_filter(
    api: httpx.Client, walk: Callable[..., list[Json]], everything: list[Json], package_type: str
) -> None:
    expected = {i["packageId"] for i in everything if i["type"] == package_type}
    assert expected
    assert query(api, walk, types=[package_type]) == expected


def test_types_filter_is_exact(
    api: httpx.Client, walk: Callable[..., list[Json]], everything: list[Json]
) -> None:
    assert query(api, walk, types=["sequential", "live session"]) == set()
    both = {i["packageId"] for i in everything if i["type"] in ("Sequential", "Live Session")}
    assert query(api, walk, types=["Sequential", "Live Session"]) == both


@pytest.mark.parametrize("state", STATES)
def test_states_filter(
    api: httpx.Client, walk: Callable[..., list[Json]], everything: list[Json], state: str
) -> None:
    expected = {i["packageId"] for i in everything if i["state"] == state}
    assert expected
    assert query(api, walk, states=[state]) == expected


def test_several_filters_combine(
    api: httpx.Client, walk: Callable[..., list[Json]], everything: list[Json]
) -> None:
    expected = {
        i["packageId"] for i in everything if i["state"] in ("open", "expired") and i["type"] == "Sequential"
    }
    assert expected
    assert query(api, walk, states=["open", "expired"], types=["Sequential"]) == expected


@pytest.mark.parametrize("executed", [True, False])
def test_is_executed_filter(
    api: httpx.Client, walk: Callable[..., list[Json]], everything: list[Json], executed: bool
) -> None:
    expected = {i["packageId"] for i in everything if i["isExecuted"] is executed}
    assert expected
    assert query(api, walk, isExecuted=executed) == expected


@pytest.mark.parametrize("days", [7, 30, -7, -60])
def test_days_filter_is_relative_to_the_fixed_now(
    api: httpx.Client, walk: Callable[..., list[Json]], everything: list[Json], days: int
) -> None:
    now = when(SANDBOX_NOW)
    low, high = sorted((now, now + timedelta(days=days)))
    expected = {i["packageId"] for i in everything if low <= when(i["timeSignBy"]) <= high}
    assert expected
    assert query(api, walk, days=days) == expected


def test_days_zero_is_no_filter(api: httpx.Client, walk: Callable[..., list[Json]]) -> None:
    assert len(query(api, walk, days=0)) == 60


def searchable(package: Json) -> list[str]:
    texts = [package[k] or "" for k in ("name", "description", "message", "category", "clientNumber")]
    texts.append(package["matterNumber"] or "")
    for person in package["signers"] + package["recipients"]:
        texts += [person["firstName"], person["lastName"], person["email"], person.get("mobileNumber") or ""]
    return texts


def oracle(objects: dict[str, Json], pattern: str) -> set[str]:
    """Packages with a field matching ``pattern`` (a case-insensitive regex)."""
    found = re.compile(pattern, re.IGNORECASE)
    return {pid for pid, package in objects.items() if any(found.search(t) for t in searchable(package))}


def test_search_is_case_insensitive_full_text(
    api: httpx.Client, walk: Callable[..., list[Json]], objects: dict[str, Json]
) -> None:
    expected = oracle(objects, r"\bzürich\b")
    assert len(expected) == 6
    for term in ("Zürich", "zürich", "ZÜRICH"):
        assert query(api, walk, search=term) == expected


def test_search_suffix_wildcard(
    api: httpx.Client, walk: Callable[..., list[Json]], objects: dict[str, Json]
) -> None:
    expected = oracle(objects, r"\bcontr\w*")
    assert expected
    assert query(api, walk, search="Contr*") == expected
    assert query(api, walk, search="Contr") == set()


@pytest.mark.parametrize(
    ("term", "field"), [("signcheck", "description"), ("review", "message"), ("Real", "category")]
)
def test_search_covers_package_texts(
    api: httpx.Client, walk: Callable[..., list[Json]], objects: dict[str, Json], term: str, field: str
) -> None:
    expected = oracle(objects, rf"\b{term}\b")
    assert expected
    assert all(re.search(rf"\b{term}\b", objects[pid][field] or "", re.IGNORECASE) for pid in expected)
    assert query(api, walk, search=term) == expected


def test_search_covers_numbers_and_people(
    api: httpx.Client, walk: Callable[..., list[Json]], objects: dict[str, Json]
) -> None:
    package = next(p for p in objects.values() if p["clientNumber"] and p["matterNumber"] and p["recipients"])
    signer = next(s for p in objects.values() for s in p["signers"] if s["mobileNumber"])
    owners_of = {
        pid for pid, p in objects.items() if any(s["email"] == signer["email"] for s in p["signers"])
    }
    assert query(api, walk, search=package["clientNumber"]) == {package["packageId"]}
    assert query(api, walk, search=package["matterNumber"]) == {package["packageId"]}
    assert query(api, walk, search=signer["email"].upper()) == owners_of
    assert package["packageId"] in query(api, walk, search=package["recipients"][0]["email"])
    with_mobile = {
        pid
        for pid, p in objects.items()
        if any(s["mobileNumber"] == signer["mobileNumber"] for s in p["signers"])
    }
    assert query(api, walk, search=signer["mobileNumber"]) == with_mobile
    by_name = oracle(objects, rf"\b{re.escape(signer['lastName'])}\b")
    assert query(api, walk, search=signer["lastName"]) == by_name


def test_search_terms_all_have_to_match(
    api: httpx.Client, walk: Callable[..., list[Json]], objects: dict[str, Json]
) -> None:
    (only,) = [pid for pid, p in objects.items() if p["name"] == "Loan agreement 001"]
    assert query(api, walk, search="loan 001") == {only}
    assert query(api, walk, search="loan nothing-matches-this") == set()
    assert len(query(api, walk, search="")) == 60


@pytest.mark.parametrize("path", ["/packages/list", "/templates/list"])
def test_unknown_request_keys_are_ignored(api: httpx.Client, path: str) -> None:
    """[INFERRED] as ASP.NET's JSON binding does (the docs say nothing): an unknown key is ignored, the
    documented ones still apply; `openapi.yaml` allows unknown keys too (no `additionalProperties`)."""
    plain = api.post(path, json={"take": 3})
    padded = api.post(path, json={"take": 3, "zz\nunknown": [1.5, None, {"states": ["draft"]}], "Take": -1})
    assert (plain.status_code, padded.status_code) == (200, 200)
    assert padded.json() == plain.json()
