"""Every drift switch visibly changes what it says it changes, and nothing leaks into other servers.

Each drift is compared with a baseline server of the same seed, so package ids line up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import DRIFTS

Json = dict[str, Any]
US_TIME = re.compile(r"^(\d{2})/(\d{2})/(\d{4}) (\d{2}:\d{2}:\d{2})$")
UNKNOWN = "/packages/00000000-0000-4000-8000-000000000000/status"


@dataclass
class Pair:
    """The baseline and the drifted server, and the seeded packages the assertions use."""

    base: httpx.Client
    drifted: httpx.Client
    by_state: dict[str, str]
    by_type: dict[str, str]
    linked: str
    unlinked: str

    def both(self, method: str, path: str, **kwargs: Any) -> tuple[Json, Json]:
        return (
            self.base.request(method, path, **kwargs).json(),
            self.drifted.request(method, path, **kwargs).json(),
        )

    def status(self, package_id: str) -> tuple[Json, Json]:
        return self.both("GET", f"/packages/{package_id}/status")

    def listing(self, **body: Any) -> tuple[Json, Json]:
        return self.both("POST", "/packages/list", json={"allMembers": True, "take": 100, **body})


@pytest.fixture(scope="module")
def seeded(api: httpx.Client) -> tuple[dict[str, str], dict[str, str], str, str]:
    items = api.post("/packages/list", json={"allMembers": True, "take": 100}).json()["items"]
    by_state = {i["state"]: i["packageId"] for i in reversed(items)}
    by_type = {i["type"]: i["packageId"] for i in reversed(items)}
    statuses = [api.get(f"/packages/{i['packageId']}/status").json() for i in items if i["signers"]]
    linked = next(s["packageId"] for s in statuses if s["signers"][0]["links"])
    unlinked = next(s["packageId"] for s in statuses if not s["signers"][0]["links"] and s["documents"])
    return by_state, by_type, linked, unlinked


def revisions(status: Json) -> list[Json]:
    return [r for d in status["documents"] for r in d["revisions"]]


def check_rename_signer_id(p: Pair) -> None:
    base, drifted = p.status(p.linked)
    assert [s["signerID"] for s in drifted["signers"]] == [s["signerId"] for s in base["signers"]]
    assert not any("signerId" in s for s in drifted["signers"])


def check_executed_as_string(p: Pair) -> None:
    base, drifted = p.status(p.by_state["executed"])
    assert (base["isExecuted"], drifted["isExecuted"]) == (True, "true")
    assert {d["isExecuted"] for d in drifted["documents"]} == {"true"}
    base_list, drifted_list = p.listing()
    for old, new in zip(base_list["items"], drifted_list["items"], strict=True):
        assert new["isExecuted"] == str(old["isExecuted"]).lower()
        assert [s["isExecuted"] for s in new["signers"]] == [
            str(s["isExecuted"]).lower() for s in old["signers"]
        ]


def check_documents_as_object(p: Pair) -> None:
    base, drifted = p.status(p.linked)
    assert isinstance(drifted["documents"], dict)
    assert drifted["documents"] == {d["documentId"]: d for d in base["documents"]}


def check_extra_field(p: Pair) -> None:
    base, drifted = p.status(p.linked)
    assert set(drifted) - set(base) == {"timeCompleted", "archived"}
    base_list, drifted_list = p.listing()
    assert all(
        set(n) - set(o) == {"timeCompleted", "archived"}
        for o, n in zip(base_list["items"], drifted_list["items"], strict=True)
    )


def check_state_capitalised(p: Pair) -> None:
    base_list, drifted_list = p.listing()
    assert [i["state"] for i in drifted_list["items"]] == [
        i["state"].capitalize() for i in base_list["items"]
    ]
    assert {i["state"] for i in drifted_list["items"]} >= {"Open", "Draft", "Executed", "Expired"}
    base, drifted = p.both("GET", f"/packages/{p.by_state['draft']}")
    assert (base["state"], drifted["state"]) == ("draft", "Draft")


def check_state_new_value(p: Pair) -> None:
    rescinded = p.by_state["rescinded"]
    assert p.status(rescinded)[1]["state"] == "voided"
    assert p.both("GET", f"/packages/{rescinded}")[1]["state"] == "voided"
    base_list, drifted_list = p.listing()
    expected = ["voided" if i["state"] == "rescinded" else i["state"] for i in base_list["items"]]
    assert [i["state"] for i in drifted_list["items"]] == expected


def check_type_lowercase(p: Pair) -> None:
    renamed = {"Sequential": "sequential", "Counterpart": "counterpart"}
    base_list, drifted_list = p.listing()
    expected = [renamed.get(i["type"], i["type"]) for i in base_list["items"]]
    assert [i["type"] for i in drifted_list["items"]] == expected
    assert p.status(p.by_type["Sequential"])[1]["type"] == "sequential"
    assert p.status(p.by_type["concurrent"])[1]["type"] == "concurrent"


def check_live_session_underscore(p: Pair) -> None:
    live = p.by_type["Live Session"]
    assert p.status(live)[1]["type"] == "Live_Session"
    assert p.both("GET", f"/packages/{live}")[1]["type"] == "Live_Session"
    assert p.status(p.by_type["Sequential"])[1]["type"] == "Sequential"


def check_timestamp_us_format(p: Pair) -> None:
    base, drifted = p.status(p.linked)
    match = US_TIME.match(drifted["timeSignBy"])
    assert match
    month, day, year, clock = match.groups()
    assert base["timeSignBy"].startswith(f"{year}-{month}-{day}T{clock}.")
    assert all(US_TIME.match(link["timeExpires"]) for s in drifted["signers"] for link in s["links"])
    drifted_list = p.listing()[1]
    assert all(US_TIME.match(i["timeCreated"]) for i in drifted_list["items"])
    package = p.both("GET", f"/packages/{p.linked}")[1]
    assert US_TIME.match(package["timeLastModified"]) and package["timeZone"] == "UTC"


def check_total_off_by_one(p: Pair) -> None:
    base, drifted = p.listing(states=["open"])
    assert drifted["total"] == base["total"] + 1 == len(base["items"]) + 1
    assert drifted["items"] == base["items"]


def check_take_ignored(p: Pair) -> None:
    base, drifted = p.listing(take=7)
    assert (len(base["items"]), len(drifted["items"])) == (7, 14)
    assert drifted["take"] == 7
    assert drifted["items"][:7] == base["items"]


def check_states_filter_ignored(p: Pair) -> None:
    base, drifted = p.listing(states=["open"])
    everything = p.listing()[0]
    assert {i["state"] for i in base["items"]} == {"open"}
    assert drifted["total"] == everything["total"] > base["total"]
    assert {i["state"] for i in drifted["items"]} > {"open"}


def check_search_case_sensitive(p: Pair) -> None:
    assert p.listing(search="Zürich")[0]["total"] == p.listing(search="Zürich")[1]["total"] > 0
    base, drifted = p.listing(search="zürich")
    assert (base["total"] > 0, drifted["total"]) == (True, 0)


def check_links_leak(p: Pair) -> None:
    base, drifted = p.status(p.unlinked)
    assert all(r["link"] is None for r in revisions(base))
    assert all(r["link"] for r in revisions(drifted))
    signing = {r["signerId"] for r in revisions(drifted)}
    assert all(s["links"] and s["signLink"] for s in drifted["signers"] if s["signerId"] in signing)
    package = p.both("GET", f"/packages/{p.unlinked}")[1]
    assert package["signers"][0]["signLink"] is not None


def check_links_missing(p: Pair) -> None:
    base, drifted = p.status(p.linked)
    assert base["signers"][0]["links"]
    assert all((s["links"], s["signLink"]) == ([], None) for s in drifted["signers"])
    assert all(r["link"] is None for r in revisions(drifted))


def check_token_mismatch(p: Pair) -> None:
    base, drifted = p.status(p.linked)
    for old, new in zip(base["signers"], drifted["signers"], strict=True):
        for old_link, new_link in zip(old["links"], new["links"], strict=True):
            assert old_link["link"] == new_link["link"]
            assert old_link["link"].rsplit("/", 1)[1] == old_link["token"] != new_link["token"]
        if new["signLink"]:
            assert new["signLink"]["link"].rsplit("/", 1)[1] != new["signLink"]["token"]


def check_revision_wrong_document(p: Pair) -> None:
    base, drifted = p.status(p.linked)
    assert all(r["documentId"] == d["documentId"] for d in base["documents"] for r in d["revisions"])
    assert all(r["documentId"] != d["documentId"] for d in drifted["documents"] for r in d["revisions"])
    assert [r["revisionId"] for r in revisions(drifted)] == [r["revisionId"] for r in revisions(base)]


def check_executed_reported_open(p: Pair) -> None:
    executed = p.by_state["executed"]
    base, drifted = p.status(executed)
    assert (base["state"], drifted["state"], drifted["isExecuted"]) == ("executed", "open", True)
    assert p.both("GET", f"/packages/{executed}")[1]["state"] == "open"
    drifted_list = p.listing(isExecuted=True)[1]
    assert {i["state"] for i in drifted_list["items"]} == {"open"}


def check_html_errors(p: Pair) -> None:
    for response in (p.drifted.get(UNKNOWN), p.drifted.get(UNKNOWN, headers={"api_key": "wrong"})):
        assert response.headers["content-type"].startswith("text/html")
        assert response.text.startswith("<!DOCTYPE html>")
    assert p.drifted.get(UNKNOWN).status_code == 404
    assert p.base.get(UNKNOWN).headers["content-type"] == "application/json"


def check_error_code_renamed(p: Pair) -> None:
    base, drifted = p.base.get(UNKNOWN), p.drifted.get(UNKNOWN)
    assert drifted.status_code == base.status_code == 404
    assert drifted.json() == {"code": base.json()["error"], "detail": base.json()["message"]}


def check_not_found_200(p: Pair) -> None:
    response = p.drifted.get(UNKNOWN)
    assert (response.status_code, response.json()) == (200, {})
    assert p.base.get(UNKNOWN).status_code == 404
    assert p.drifted.get(UNKNOWN, headers={"api_key": "wrong"}).status_code == 403


def check_add_returns_201(p: Pair) -> None:
    body = {"name": "Drift", "type": "concurrent", "state": "draft"}  # the baseline's 200: endpoint tests
    response = p.drifted.post("/packages/add", json=body)
    assert response.status_code == 201
    assert response.json()["package"]["state"] == "draft"


CHECKS: dict[str, Callable[[Pair], None]] = {
    name: globals()["check_" + name.replace("-", "_")]
    for name in DRIFTS
    if "check_" + name.replace("-", "_") in globals()
}


def test_every_drift_has_a_test() -> None:
    """Here or in another test_sandbox_*.py (issue 12's drifts: test_sandbox_drift_switches.py)."""
    sources = "".join(
        path.read_text(encoding="utf-8") for path in Path(__file__).parent.glob("test_sandbox_*.py")
    )
    assert [name for name in DRIFTS if f"def check_{name.replace('-', '_')}(" not in sources] == []


@pytest.mark.parametrize("name", list(CHECKS))
def test_drift_changes_what_it_claims(
    name: str,
    api: httpx.Client,
    start: Callable[..., httpx.Client],
    seeded: tuple[dict[str, str], dict[str, str], str, str],
) -> None:
    CHECKS[name](Pair(api, start(drifts=(name,)), *seeded))


def test_drifts_combine(
    start: Callable[..., httpx.Client], seeded: tuple[dict[str, str], dict[str, str], str, str]
) -> None:
    drifted = start(
        drifts=(
            "rename-signer-id",
            "documents-as-object",
            "type-lowercase",
            "state-capitalised",
            "timestamp-us-format",
        )
    )
    status = drifted.get(f"/packages/{seeded[1]['Sequential']}/status").json()
    assert "signerID" in status["signers"][0]
    assert isinstance(status["documents"], dict)
    assert (status["type"], status["state"][0].isupper()) == ("sequential", True)
    assert US_TIME.match(status["timeSignBy"])


def test_every_drift_at_once_still_serves(start: Callable[..., httpx.Client]) -> None:
    drifted = start(drifts=tuple(DRIFTS))
    page = drifted.post("/packages/list", json={"take": 3})
    assert page.status_code == 200
    assert len(page.json()["items"]) == 6
    assert drifted.get(UNKNOWN).json() == {}


def test_drifts_stay_in_their_server(start: Callable[..., httpx.Client]) -> None:
    start(drifts=tuple(DRIFTS))
    plain = start()
    page = plain.post("/packages/list", json={"take": 3}).json()
    assert (len(page["items"]), page["total"]) == (3, plain.post("/packages/list", json={}).json()["total"])
    assert plain.get(UNKNOWN).status_code == 404


@pytest.mark.parametrize(("throttle", "refused"), [(0, 0), (2, 2), (-1, 4)])
def test_throttle(start: Callable[..., httpx.Client], throttle: int, refused: int) -> None:
    client = start(throttle=throttle, packages=2)
    responses = [client.post("/packages/list", json={}) for _ in range(4)]
    assert [r.status_code for r in responses] == [429] * refused + [200] * (4 - refused)
    for response in responses[:refused]:
        assert response.headers["retry-after"] == "0"
        assert response.headers["content-type"] == "application/json"
        assert response.json() == {
            "error": "request_rate_limited",
            "message": "Too many requests from this IP address or API key; retry later.",
        }
