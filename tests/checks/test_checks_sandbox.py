"""The checks against real responses: the reference sandbox, clean and with each of issue 12's drift
switches. A clean sandbox gives no finding at all; each drift gives a finding under the check id the
sandbox's catalogue names for it, and a non-ISO date-time gives `timestamp` findings only (issue 11).

Each test starts a sandbox over real HTTP on 127.0.0.1 and drives only the calls its drift changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import httpx
import pytest

from pytest_signcheck import Finding, Severity, check_webhook
from pytest_signcheck.checks import CheckOptions, PaginationWalk, renewed_links, run_checks
from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.exchange import Exchange

sandbox = pytest.importorskip("pytest_signcheck.sandbox")

NOW = datetime.fromisoformat(sandbox.SANDBOX_NOW)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
Drive = Callable[[Any, httpx.Client], list[Finding]]


class Api:
    """A client of one sandbox that turns each response into the findings of `run_checks`."""

    def __init__(self, client: httpx.Client) -> None:
        self.client, self.found = client, []  # type: list[Finding]

    def call(self, endpoint: str, path: str, body: Any = None, **options: Any) -> Exchange:
        method = endpoint.partition(" ")[0]
        response = self.client.request(method, path, json=body)
        exchange = Exchange.from_bytes(
            endpoint, response.status_code, response.content, response.headers, body
        )
        self.found += run_checks(exchange, CheckOptions(now=NOW, **options))
        return exchange


def packages(server: Any, client: httpx.Client) -> list[Finding]:
    """Add, update, get, status and both links, for a Sequential and a video room package, with and
    without signer links; an update compared with its add. (Not an edit link in the Package object:
    the sandbox's is a whole link object, where the docs show only its `link`: additive drift.)"""
    api = Api(client)
    upload = client.post("/files/upload", files={"file": ("a.pdf", PDF, "application/pdf")}).json()
    file_id = (upload.get("files") or [upload])[0]["fileId"]
    for package_type in ("Sequential", "video_closing_room"):
        for links in (False, True):
            body = {"name": "checks", "type": package_type, "state": "draft", "generateSignerLinks": links}
            body |= {"signers": [{"firstName": "A", "lastName": "Example", "email": "a@example.com"}]}
            body |= {"documents": [{"fileName": "a.pdf", "fileId": file_id}]}
            added = api.call(Endpoint.ADD, "/packages/add", body)
            package_id = added.body["packageId"]
            update = {"packageId": package_id, "name": "checks 2", "state": "draft"}
            updated = api.call(Endpoint.UPDATE, "/packages/update", update, generate_signer_links=links)
            if links:
                api.found += renewed_links(added.body, updated.body)
            api.call(Endpoint.GET, f"/packages/{package_id}")
            status = api.call(Endpoint.STATUS, f"/packages/{package_id}/status", generate_signer_links=links)
            signer_id = status.body["signers"][0]["signerId"]
            api.call(Endpoint.SIGN_LINK, f"/packages/{package_id}/link/sign/{signer_id}")
            api.call(Endpoint.EDIT_LINK, f"/packages/{package_id}/link/edit")
            client.post("/packages/delete", json={"packageId": package_id})
    return api.found


def walk(api: Api, endpoint: str, path: str, request: dict[str, Any], take: int = 7) -> None:
    pages = PaginationWalk(endpoint, page_checks=False)
    for skip in range(0, 500, take):
        asked = request | {"take": take, "skip": skip}
        page = api.call(endpoint, path, asked)
        pages.add_page(asked, page.body)
        if not page.body.get("items"):
            break
    api.found += pages.finish()


def lists(server: Any, client: httpx.Client) -> list[Finding]:
    """Walks of packages/list by created and by name; the days filter forwards and back; a walk of
    templates/list and its types filter."""
    api = Api(client)
    for sort_by in ("created", "name"):
        walk(api, Endpoint.LIST, "/packages/list", {"allMembers": True, "sortBy": sort_by})
    for days in (7, 30, 0, -7):
        api.call(Endpoint.LIST, "/packages/list", {"allMembers": True, "days": days, "take": 100})
    walk(api, Endpoint.TEMPLATES_LIST, "/templates/list", {"allMembers": True, "sortBy": "last_used"}, take=5)
    for types in (["auto_template"], ["template"]):
        api.call(
            Endpoint.TEMPLATES_LIST, "/templates/list", {"allMembers": True, "types": types, "take": 100}
        )
    return api.found


def webhooks(server: Any, client: httpx.Client) -> list[Finding]:
    """Every documented action, as the sandbox sends it to a registered endpoint, with its headers."""
    client.post("/events/endpoints/set", json={"url": "http://127.0.0.1:9/checks"})  # nobody listens
    people = [{"firstName": n, "lastName": "Example", "email": f"{n}@example.com"} for n in ("a", "b")]
    for decline in (False, True):
        body = {"name": "hooks", "type": "concurrent", "state": "open", "signers": people}
        body["documents"] = [{"fileName": "a.pdf", "fileId": _file(client)}]
        package_id = client.post("/packages/add", json=body).json()["packageId"]
        signers = [s["signerId"] for s in client.get(f"/packages/{package_id}/status").json()["signers"]]
        if decline:  # the package is then rescinded: one signer declines
            server.decline(package_id, signers[0])
        for signer_id in [] if decline else signers:
            server.sign(package_id, signer_id)
    found: list[Finding] = []
    for event in server.flush():
        signature = event["signature"]
        headers = {"Content-Type": "application/json"} | (
            {"X-Syngrafii-Signature": signature} if signature else {}
        )
        found += check_webhook(event["payload"], headers=headers, source=event["action"])
    return found


def _file(client: httpx.Client) -> str:
    upload = client.post("/files/upload", files={"file": ("a.pdf", PDF, "application/pdf")}).json()
    return str((upload.get("files") or [upload])[0]["fileId"])


@contextmanager
def serving(drift: str | None) -> Iterator[tuple[Any, httpx.Client]]:
    config = sandbox.SandboxConfig(drifts=(drift,) if drift else ())
    with sandbox.running(config) as server:
        headers = {"api_key": server.api_key}
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=10) as client:
            yield server, client


DRIVES: dict[str, Drive] = {"packages": packages, "lists": lists, "webhooks": webhooks}
#: Issue 12's drift switches, and the calls that show each. Not breaking: a guessed sort field
#: (`name`) and the signature's absence (its algorithm is undocumented) are `info`.
DRIFTS = {
    "add-signlink-missing": "packages",
    "update-links-leak": "packages",
    "update-links-not-renewed": "packages",
    "links-leak": "packages",
    "links-missing": "packages",
    "token-mismatch": "packages",
    "link-sign-token-mismatch": "packages",
    "link-expiry-us-format": "packages",
    "days-ignored": "lists",
    "sortby-ignored": "lists",
    "templates-total-off-by-one": "lists",
    "templates-types-ignored": "lists",
    "webhook-field-renamed": "webhooks",
    "webhook-action-renamed": "webhooks",
    "webhook-time-us-format": "webhooks",
    "webhook-unsigned": "webhooks",
}
NOT_BREAKING = {"sortby-ignored", "webhook-unsigned"}
#: Where the sandbox guesses beyond the docs: its document_executed events carry the document's
#: `externalId`, which the webhooks table cuts off after `documentId` (an additive finding).
SANDBOX_GUESSES = {("undocumented-field", "WEBHOOK document_executed", "/externalId")}


def judged(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if (f.check, f.endpoint, f.pointer) not in SANDBOX_GUESSES]


@pytest.mark.parametrize("drive", DRIVES)
def test_the_clean_sandbox_gives_no_finding(drive: str) -> None:
    with serving(None) as (server, client):
        assert [str(f) for f in judged(DRIVES[drive](server, client))] == []


@pytest.mark.parametrize("drift", DRIFTS)
def test_each_drift_fails_its_check(drift: str) -> None:
    expected = sandbox.DRIFTS[drift].check
    with serving(drift) as (server, client):
        found = judged(DRIVES[DRIFTS[drift]](server, client))
    assert {f.check for f in found} == {expected}, "\n".join(map(str, found))
    severity = Severity.INFO if drift in NOT_BREAKING else Severity.BREAKING
    assert severity in {f.severity for f in found}, "\n".join(map(str, found))


@pytest.mark.parametrize("drive", ["packages", "webhooks"])
def test_a_us_date_time_is_timestamp_s_alone_wherever_it_stands(drive: str) -> None:
    """Link expiries included: on main, `timestamp-us-format` also gave ~55 `signer-links` findings."""
    drift = "timestamp-us-format" if drive == "packages" else "webhook-time-us-format"
    with serving(drift) as (server, client):
        found = judged(DRIVES[drive](server, client))
    assert found and {f.check for f in found} == {"timestamp"}
    assert any(f.pointer.endswith("/timeExpires") for f in found) or drive == "webhooks"
