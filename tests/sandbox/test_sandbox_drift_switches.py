"""The drift switches of issue 12: each changes what it says, and nothing a plain snapshot shows besides.

A drifted server is compared with a baseline server started with the same seed and driven by the
same calls, so ids and tokens line up and any difference is the drift's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import DRIFTS, SandboxConfig, SandboxServer, running

Json = dict[str, Any]
US_TIME = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}$")
DEAD_END = "http://127.0.0.1:9/hooks"  # nobody listens: events are built, signed and fail to deliver


@dataclass
class Side:
    server: SandboxServer
    api: httpx.Client


@dataclass
class Pair:
    base: Side
    drifted: Side

    def both(self, method: str, path: str, **kwargs: Any) -> tuple[Json, Json]:
        return (
            self.base.api.request(method, path, **kwargs).json(),
            self.drifted.api.request(method, path, **kwargs).json(),
        )

    def add(self, add_package: Callable[..., Json], **fields: Any) -> tuple[Json, Json]:
        return add_package(self.base.api, **fields), add_package(self.drifted.api, **fields)

    def events(self) -> tuple[list[Json], list[Json]]:
        return self.base.server.flush(), self.drifted.server.flush()


@pytest.fixture(scope="module")
def launch() -> Iterator[Callable[..., Pair]]:
    """``launch(drift, **config)``: a baseline and a drifted sandbox, alike but for the drift.

    They all stop together at the end of the module, in parallel (each stop waits out uvicorn).
    """
    managers: list[AbstractContextManager[SandboxServer]] = []
    clients: list[httpx.Client] = []

    def side(**config: Any) -> Side:
        manager = running(SandboxConfig(**config))
        server = manager.__enter__()
        managers.append(manager)
        clients.append(httpx.Client(base_url=server.base_url, headers={"api_key": server.api_key}))
        return Side(server, clients[-1])

    def pair(drift: str, **config: Any) -> Pair:
        return Pair(side(**config), side(drifts=(drift,), **config))

    try:
        yield pair
    finally:
        for client in clients:
            client.close()
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda manager: manager.__exit__(None, None, None), managers))


def links(package: Json) -> list[Any]:
    return [signer["signLink"] for signer in package["signers"]]


def check_add_signlink_missing(p: Pair, add: Callable[..., Json]) -> None:
    base, drifted = p.add(add, generateSignerLinks=True)
    assert all(links(base["package"])) and links(drifted["package"]) == [None, None]
    status = p.both("GET", f"/packages/{base['packageId']}/status")
    assert status[0] == status[1] and all(s["signLink"] for s in status[1]["signers"])


def check_update_links_not_renewed(p: Pair, add: Callable[..., Json]) -> None:
    added = p.add(add, generateSignerLinks=True)
    base, drifted = p.both("POST", "/packages/update", json={"packageId": added[0]["packageId"], "name": "x"})
    assert links(drifted["package"]) == links(added[1]["package"])
    assert not set(links(base["package"])) & set(links(added[0]["package"]))


def check_update_links_leak(p: Pair, add: Callable[..., Json]) -> None:
    added = p.add(add)
    base, drifted = p.both("POST", "/packages/update", json={"packageId": added[0]["packageId"], "name": "x"})
    assert links(base["package"]) == [None, None] and all(links(drifted["package"]))
    status = p.both("GET", f"/packages/{added[0]['packageId']}/status")
    assert status[0] == status[1], "status still follows the add flag"


def check_link_sign_token_mismatch(p: Pair, add: Callable[..., Json]) -> None:
    added = p.add(add)[0]
    path = f"/packages/{added['packageId']}/link/sign/{added['package']['signers'][0]['signerId']}"
    base, drifted = p.both("POST", path)
    assert base["link"].rsplit("/", 1)[1] == base["token"]
    assert drifted["link"] == base["link"] and drifted["token"] != base["token"]
    edit = p.both("POST", f"/packages/{added['packageId']}/link/edit")
    assert edit[0] == edit[1]


def check_link_expiry_us_format(p: Pair, add: Callable[..., Json]) -> None:
    added = p.add(add)[0]
    for path in (
        f"/packages/{added['packageId']}/link/sign/{added['package']['signers'][0]['signerId']}",
        f"/packages/{added['packageId']}/link/edit",
    ):
        base, drifted = p.both("POST", path)
        assert US_TIME.match(drifted["timeExpires"])
        assert {**drifted, "timeExpires": base["timeExpires"]} == base


def check_templates_total_off_by_one(p: Pair, add: Callable[..., Json]) -> None:
    base, drifted = p.both("POST", "/templates/list", json={"allMembers": True, "take": 5})
    assert drifted["total"] == base["total"] + 1 and drifted["items"] == base["items"]


def check_templates_types_ignored(p: Pair, add: Callable[..., Json]) -> None:
    body = {"allMembers": True, "types": ["auto_template"], "take": 100}
    base, drifted = p.both("POST", "/templates/list", json=body)
    everything = p.both("POST", "/templates/list", json={"allMembers": True, "take": 100})[0]
    assert {t["type"] for t in base["items"]} == {"auto_template"}
    assert drifted == everything and drifted["total"] > base["total"]


def check_days_ignored(p: Pair, add: Callable[..., Json]) -> None:
    body = {"allMembers": True, "days": 7, "take": 100}
    base, drifted = p.both("POST", "/packages/list", json=body)
    everything = p.both("POST", "/packages/list", json={"allMembers": True, "take": 100})[0]
    assert 0 < base["total"] < drifted["total"] == everything["total"]


def check_sortby_ignored(p: Pair, add: Callable[..., Json]) -> None:
    for sort_by in ("created", "name", "signBy"):
        body = {"allMembers": True, "sortBy": sort_by, "take": 100}
        base, drifted = p.both("POST", "/packages/list", json=body)
        assert base["total"] == drifted["total"] and base["items"] != drifted["items"]
        created = [item["timeCreated"] for item in drifted["items"]]
        assert created == sorted(created), "oldest first, whatever was asked"
        assert sorted(map(str, base["items"])) == sorted(map(str, drifted["items"]))


def check_update_keeps_add_state(p: Pair, add: Callable[..., Json]) -> None:
    added = p.add(add, state="add")[0]
    base, drifted = p.both("POST", "/packages/update", json={"packageId": added["packageId"], "name": "x"})
    assert (base["package"]["state"], drifted["package"]["state"]) == ("draft", "add")


def check_update_sent_back_to_add(p: Pair, add: Callable[..., Json]) -> None:
    added = p.add(add)[0]
    base, drifted = p.both("POST", "/packages/update", json={"packageId": added["packageId"], "state": "add"})
    assert base["error"] == "package_invalid_state" and drifted["package"]["state"] == "add"
    assert p.both("GET", f"/packages/{added['packageId']}/status")[1]["state"] == "add"


def check_data_field_renamed(p: Pair, add: Callable[..., Json]) -> None:
    added = p.add(add, type="concurrent")
    for side, package in zip((p.base, p.drifted), added, strict=True):
        side.server.sign(package["packageId"], package["package"]["signers"][0]["signerId"])
    base, drifted = p.both("GET", f"/packages/{added[0]['packageId']}/data")
    fields = [f for d in drifted["documents"] for f in d["data"]]
    assert fields and all("fieldId" in f and "dataId" not in f for f in fields)
    assert [f["fieldId"] for f in fields] == [f["dataId"] for d in base["documents"] for f in d["data"]]
    assert {k: v for k, v in drifted.items() if k != "documents"} == {
        k: v for k, v in base.items() if k != "documents"
    }


def _webhook_pair(p: Pair, add: Callable[..., Json]) -> tuple[list[Json], list[Json]]:
    """Register a dead-end endpoint on both sides, add a package and sign it all; every event of each."""
    p.both("POST", "/events/endpoints/set", json={"url": DEAD_END})
    for side, package in zip((p.base, p.drifted), p.add(add, type="concurrent"), strict=True):
        for signer in package["package"]["signers"]:
            side.server.sign(package["packageId"], signer["signerId"])
    base, drifted = p.events()
    assert len(base) == len(drifted) == 8
    return base, drifted


def check_webhook_field_renamed(p: Pair, add: Callable[..., Json]) -> None:
    for base, drifted in zip(*_webhook_pair(p, add), strict=True):
        old, new = base["payload"], drifted["payload"]
        assert list(new) == [("eventTimestamp" if k == "eventTime" else k) for k in old]
        assert new["eventTimestamp"] == old["eventTime"]


def check_webhook_action_renamed(p: Pair, add: Callable[..., Json]) -> None:
    renamed = {
        "package_add": "packageAdded",
        "document_signed": "documentSigned",
        "document_executed": "documentExecuted",
        "package_executed": "packageExecuted",
    }
    for base, drifted in zip(*_webhook_pair(p, add), strict=True):
        assert drifted["payload"] == {**base["payload"], "action": renamed[base["payload"]["action"]]}


def check_webhook_time_us_format(p: Pair, add: Callable[..., Json]) -> None:
    for base, drifted in zip(*_webhook_pair(p, add), strict=True):
        assert US_TIME.match(drifted["payload"]["eventTime"])
        assert {**drifted["payload"], "eventTime": base["payload"]["eventTime"]} == base["payload"]


def check_webhook_unsigned(p: Pair, add: Callable[..., Json]) -> None:
    for base, drifted in zip(*_webhook_pair(p, add), strict=True):
        assert base["signature"] and drifted["signature"] is None
        assert drifted["payload"] == base["payload"]


CHECKS: dict[str, Callable[[Pair, Callable[..., Json]], None]] = {
    name: globals()["check_" + name.replace("-", "_")]
    for name in DRIFTS
    if "check_" + name.replace("-", "_") in globals()
}
#: What each drift may change in the snapshot below (a list page, statuses, packages, data, templates).
SNAPSHOT_EXCEPTIONS = {
    "sortby-ignored": "list",
    "templates-total-off-by-one": "templates",
    "data-field-renamed": "data",
}


def snapshot(api: httpx.Client) -> dict[str, Any]:
    items = api.post("/packages/list", json={"allMembers": True, "take": 100}).json()["items"]
    sample = sorted(item["packageId"] for item in items)[:8]
    return {
        "list": items,
        "status": [api.get(f"/packages/{package_id}/status").json() for package_id in sample],
        "package": [api.get(f"/packages/{package_id}").json() for package_id in sample],
        "data": [api.get(f"/packages/{package_id}/data").json() for package_id in sample],
        "templates": api.post("/templates/list", json={"allMembers": True}).json(),
    }


@pytest.mark.parametrize("name", list(CHECKS))
def test_drift_changes_what_it_claims_and_nothing_else(
    name: str, launch: Callable[..., Pair], add_package: Callable[..., Json]
) -> None:
    pair = launch(name, packages=20, templates=8)
    base, drifted = snapshot(pair.base.api), snapshot(pair.drifted.api)
    allowed = SNAPSHOT_EXCEPTIONS.get(name)
    assert {k: v for k, v in drifted.items() if k != allowed} == {
        k: v for k, v in base.items() if k != allowed
    }
    if allowed:
        assert drifted[allowed] != base[allowed]
    CHECKS[name](pair, add_package)


def test_list_drifts_covers_every_drift() -> None:
    from pytest_signcheck.sandbox.__main__ import drift_table

    assert [line.split()[0] for line in drift_table().splitlines()] == list(DRIFTS)
    assert len(DRIFTS) >= 38
