"""Webhooks (§7) end to end: registration, delivery to a real receiver on loopback, signatures, failures.

Nothing here sleeps: ``server.flush()`` waits until every queued event has been tried.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SandboxConfig, SandboxServer, running

Json = dict[str, Any]
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NET_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$")
ENVELOPE = ["packageId", "externalData", "action", "eventId", "eventOwnerOrganizationId"]
ENVELOPE += ["eventOwnerMemberId", "eventTime"]
SIGNATURE = "X-Syngrafii-Signature"


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> Json:
        payload: Json = json.loads(self.body)
        return payload


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1 that records what it gets and answers ``status``."""

    url: str
    received: list[Delivery] = field(default_factory=list)
    status: int = 200
    hold: threading.Event | None = None

    def actions(self) -> list[str]:
        return [d.event["action"] for d in self.received]


@pytest.fixture(scope="module")
def listening() -> Iterator[Receiver]:
    """One receiver for the module (stopping one takes ``serve_forever``'s poll interval)."""
    state = Receiver("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if state.hold is not None:
                state.hold.wait(30)
            state.received.append(Delivery(self.path, dict(self.headers.items()), body))
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            del args

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/hooks/signcheck"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture
def receiver(listening: Receiver) -> Iterator[Receiver]:
    """The module's receiver, emptied, answering 200 and holding nothing."""
    listening.received.clear()
    listening.status, listening.hold = 200, None
    try:
        yield listening
    finally:
        if listening.hold is not None:
            listening.hold.set()


def register(client: httpx.Client, url: str | None, **fields: Any) -> Json:
    response = client.post("/events/endpoints/set", json={"url": url, **fields})
    assert response.status_code == 200, response.text
    body: Json = response.json()
    return body


def signed_by(delivery: Delivery, secret: str) -> bool:
    expected = hmac.new(secret.encode(), delivery.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(delivery.headers.get(SIGNATURE, ""), expected)


# registration --------------------------------------------------------------------------------------


def test_registering_answers_the_endpoint_and_a_new_secret(client: httpx.Client, receiver: Receiver) -> None:
    first = register(client, receiver.url, name="Back office")
    assert list(first) == ["endpointId", "name", "url", "secret"]
    assert GUID.match(first["endpointId"]) and (first["name"], first["url"]) == ("Back office", receiver.url)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", first["secret"])
    second = register(client, receiver.url)
    assert second["name"] is None and second["secret"] != first["secret"]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/webhooks",
        "http://10.0.0.1/hooks",
        "http://sandbox.syngrafii.com/hooks",
        "ftp://127.0.0.1/hooks",
        "127.0.0.1:8080/hooks",
        "http://127.0.0.1:99999/hooks",
        42,
    ],
)
def test_only_loopback_urls_are_accepted(client: httpx.Client, url: Any) -> None:
    response = client.post("/events/endpoints/set", json={"url": url})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "endpoint_invalid_url" and "loopback" in body["message"]


@pytest.mark.parametrize("url", ["http://localhost:8080/x", "http://[::1]:8080/x", "https://127.0.0.2/x"])
def test_every_loopback_form_is_accepted(client: httpx.Client, url: str) -> None:
    assert register(client, url)["url"] == url


def test_events_without_an_endpoint_are_recorded_not_sent(
    server: SandboxServer, client: httpx.Client, add_package: Callable[..., Json], receiver: Receiver
) -> None:
    register(client, receiver.url)
    assert register(client, None) == {"endpointId": None, "name": None, "url": None, "secret": None}
    package_id = add_package(client)["packageId"]
    events = server.flush()
    assert (events[-1]["packageId"], events[-1]["outcome"], events[-1]["url"]) == (
        package_id,
        "no endpoint",
        None,
    )
    assert receiver.received == []


# delivery ---------------------------------------------------------------------------------------------


def test_package_add_is_delivered_signed_with_the_documented_envelope(
    server: SandboxServer, client: httpx.Client, add_package: Callable[..., Json], receiver: Receiver
) -> None:
    secret = register(client, receiver.url)["secret"]
    added = add_package(client, externalData={"crm": "42"})
    server.flush()
    (delivery,) = receiver.received
    assert delivery.path == "/hooks/signcheck"
    assert delivery.headers["Content-Type"] == "application/json; charset=utf-8"
    assert signed_by(delivery, secret)
    event = delivery.event
    assert list(event) == ENVELOPE
    package = added["package"]
    assert (event["packageId"], event["externalData"], event["action"]) == (
        package["packageId"],
        {"crm": "42"},
        "package_add",
    )
    assert (event["eventOwnerOrganizationId"], event["eventOwnerMemberId"]) == (
        package["organizationId"],
        package["memberId"],
    )
    assert GUID.match(event["eventId"]) and event["eventTime"] == package["timeCreated"]
    assert NET_TIME.match(event["eventTime"])


def test_signing_fires_the_document_and_package_events_in_order(
    server: SandboxServer, client: httpx.Client, add_package: Callable[..., Json], receiver: Receiver
) -> None:
    secret = register(client, receiver.url)["secret"]
    added = add_package(client, type="Sequential")
    first, second = (s["signerId"] for s in added["package"]["signers"])
    status = client.get(f"/packages/{added['packageId']}/status").json()
    documents = [d["documentId"] for d in status["documents"]]
    server.sign(added["packageId"], first)
    server.sign(added["packageId"], second)
    server.flush()
    assert receiver.actions() == [
        "package_add",
        "document_signed",  # the first signer, both documents
        "document_signed",
        "document_signed",  # the second signer completes each document, then the package
        "document_executed",
        "document_signed",
        "document_executed",
        "package_executed",
    ]
    events = [d.event for d in receiver.received]
    assert all(signed_by(d, secret) for d in receiver.received)
    assert all(e["externalData"] is None and e["packageId"] == added["packageId"] for e in events)
    assert len({e["eventId"] for e in events}) == len(events)
    signed = [e for e in events if e["action"] == "document_signed"]
    assert list(signed[0])[len(ENVELOPE) :] == [
        "documentId",
        "revisionId",
        "signerId",
        "nextSignerId",
        "externalId",
    ]
    assert [(e["documentId"], e["signerId"], e["nextSignerId"]) for e in signed] == [
        (documents[0], first, second),
        (documents[1], first, second),
        (documents[0], second, None),
        (documents[1], second, None),
    ]
    executed = [e for e in events if e["action"] == "document_executed"]
    assert [(e["documentId"], e["externalId"]) for e in executed] == [
        (documents[0], None),
        (documents[1], None),
    ]
    assert list(events[-1]) == ENVELOPE


def test_a_decline_fires_package_decline(
    server: SandboxServer, client: httpx.Client, add_package: Callable[..., Json], receiver: Receiver
) -> None:
    register(client, receiver.url)
    added = add_package(client, type="concurrent")
    signer_id = added["package"]["signers"][0]["signerId"]
    server.decline(added["packageId"], signer_id, "declined_terms")
    server.flush()
    event = receiver.received[-1].event
    assert {k: event[k] for k in list(event)[len(ENVELOPE) :]} == {
        "signerId": signer_id,
        "rescinded": True,
        "declineReason": "declined_terms",
        "state": "declined",
    }


def test_delivery_never_holds_up_the_api(
    server: SandboxServer, client: httpx.Client, add_package: Callable[..., Json], receiver: Receiver
) -> None:
    register(client, receiver.url)
    receiver.hold = threading.Event()
    added = add_package(client)  # would time out if the answer waited for the held receiver
    assert client.get(f"/packages/{added['packageId']}/status").status_code == 200
    receiver.hold.set()
    assert server.flush()[-1]["outcome"] == "delivered"
    assert receiver.actions() == ["package_add"]


@pytest.mark.parametrize("failure", ["error status", "nobody listening"])
def test_a_failing_receiver_never_breaks_the_api(
    server: SandboxServer,
    client: httpx.Client,
    add_package: Callable[..., Json],
    receiver: Receiver,
    failure: str,
) -> None:
    receiver.status = 500
    url = receiver.url if failure == "error status" else "http://127.0.0.1:9/hooks"
    register(client, url)
    added = add_package(client, type="concurrent")
    for signer in added["package"]["signers"]:
        assert server.sign(added["packageId"], signer["signerId"])["events"]
    events = [e for e in server.flush() if e["packageId"] == added["packageId"]]
    assert [e["outcome"] for e in events] == ["failed"] * len(events) and len(events) == 8
    if failure == "error status":
        assert {e["status"] for e in events} == {500}
    else:
        assert all(e["status"] is None and "Connection" in e["error"] for e in events)
    receiver.status = 200
    register(client, receiver.url)
    add_package(client)
    assert server.flush()[-1]["outcome"] == "delivered"


def test_the_events_list_over_http_waits_for_deliveries(
    server: SandboxServer, client: httpx.Client, add_package: Callable[..., Json], receiver: Receiver
) -> None:
    register(client, receiver.url)
    package_id = add_package(client)["packageId"]
    response = httpx.get(server.control_url + "/events", headers={"api_key": server.api_key}, timeout=20)
    last = response.json()["events"][-1]
    assert (last["packageId"], last["action"], last["outcome"], last["status"]) == (
        package_id,
        "package_add",
        "delivered",
        200,
    )
    assert "secret" not in json.dumps(response.json())


def test_the_same_calls_give_the_same_events(add_package: Callable[..., Json]) -> None:
    runs = []
    for _ in range(2):
        with (
            running(SandboxConfig(packages=0, templates=0, seed=5)) as fresh,
            httpx.Client(base_url=fresh.base_url, headers={"api_key": fresh.api_key}) as api,
        ):
            secret = register(api, "http://127.0.0.1:9/hooks")["secret"]
            added = add_package(api, type="concurrent")
            fresh.sign(added["packageId"], added["package"]["signers"][0]["signerId"])
            runs.append((secret, [(e["payload"], e["signature"]) for e in fresh.flush()]))
    assert runs[0] == runs[1]
