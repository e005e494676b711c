"""The transport seam: replay matching and misses, retries, refusals and unreachable hosts."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from pytest_signcheck.errors import CassetteError, CouldNotCheck
from pytest_signcheck.exchange import NOT_JSON
from pytest_signcheck.traffic.cassettes import Cassette, Interaction
from pytest_signcheck.traffic.transport import Client, RecordingTransport, ReplayTransport

BASE = "http://127.0.0.1:8080/api/v1"


def _item(method: str, path: str, body: object, request: object = None, status: int = 200) -> Interaction:
    return Interaction(
        method=method,
        uri=BASE + path,
        request_body=None if request is None else json.dumps(request).encode(),
        request_headers={},
        status=status,
        reason="OK",
        headers={"content-type": ["application/json"]},
        body=json.dumps(body).encode(),
    )


def _cassette(*items: Interaction) -> Cassette:
    return Cassette(Path("/c/list.yaml"), list(items), {"signcheck": {"base_url": BASE}})


def test_replay_matches_path_and_json_body_whatever_the_host() -> None:
    cassette = _cassette(
        _item("POST", "/packages/list", {"page": 1}, {"take": 2, "skip": 0}),
        _item("POST", "/packages/list", {"page": 2}, {"take": 2, "skip": 2}),
    )
    client = Client("https://sandbox.syngrafii.com/api/v1", ReplayTransport(cassette))
    second = client.call("POST", "/packages/list", json_body={"skip": 2, "take": 2})
    first = client.call("POST", "/packages/list", json_body={"take": 2, "skip": 0})
    assert (first.body, second.body) == ({"page": 1}, {"page": 2})
    assert second.source == "list.yaml#1" and second.endpoint == "POST /packages/list"


def test_replay_ignores_personal_fields_when_matching() -> None:
    cassette = _cassette(
        _item("POST", "/packages/add", {"packageId": "p"}, {"signers": [{"email": "person1@example.com"}]})
    )
    client = Client(BASE, ReplayTransport(cassette))
    exchange = client.call("POST", "/packages/add", json_body={"signers": [{"email": "signer1@example.com"}]})
    assert exchange.body == {"packageId": "p"}


def test_replay_plays_each_interaction_once_then_reports_the_miss() -> None:
    transport = ReplayTransport(_cassette(_item("GET", "/packages/a/status", {})))
    client = Client(BASE, transport)
    client.call("GET", "/packages/a/status")
    with pytest.raises(CassetteError) as info:
        client.call("GET", "/packages/a/status")
    message = str(info.value)
    assert "/c/list.yaml has no recorded interaction for GET /packages/a/status" in message
    assert "--signcheck-mode record" in message


def test_replay_miss_names_near_misses_without_personal_data() -> None:
    transport = ReplayTransport(_cassette(_item("POST", "/packages/list", {}, {"search": "x", "take": 1})))
    with pytest.raises(CassetteError, match="1 unplayed interaction") as info:
        Client(BASE, transport).call("POST", "/packages/list", json_body={"search": "jane@corp.test"})
    assert "jane@corp.test" not in str(info.value)


def test_replay_never_opens_a_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("replay opened a socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    client = Client(BASE, ReplayTransport(_cassette(_item("GET", "/packages/a/status", {"ok": 1}))))
    assert client.call("GET", "/packages/a/status").body == {"ok": 1}


def _mock(
    statuses: list[int], headers: dict[str, str] | None = None
) -> tuple[httpx.MockTransport, list[int]]:
    seen: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(len(seen))
        status = statuses[min(len(seen) - 1, len(statuses) - 1)]
        return httpx.Response(status, json={"error": "x", "message": "y"}, headers=headers or {})

    return httpx.MockTransport(handler), seen


def test_429_is_retried_honouring_retry_after() -> None:
    waits: list[float] = []
    transport, seen = _mock([429, 503, 200], {"Retry-After": "2"})
    client = Client(BASE, transport, sleep=waits.append)
    assert client.call("GET", "/packages/a/status").status_code == 200
    assert waits == [2.0, 2.0] and len(seen) == 3


def test_rate_limit_exhausted_is_could_not_check() -> None:
    transport, seen = _mock([429], {"Retry-After": "0"})
    with pytest.raises(CouldNotCheck, match="still HTTP 429 after 4 attempt"):
        Client(BASE, transport, retries=3, sleep=lambda _: None).call("GET", "/packages/a/status")
    assert len(seen) == 4


def test_a_huge_retry_after_is_not_waited_for() -> None:
    transport, _ = _mock([429], {"Retry-After": "86400"})
    waits: list[float] = []
    with pytest.raises(CouldNotCheck, match="Retry-After 86400s"):
        Client(BASE, transport, sleep=waits.append).call("GET", "/packages/a/status")
    assert waits == []


@pytest.fixture(params=["America/Los_Angeles", "Pacific/Kiritimati"])
def local_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """This process's local time zone, for one test: 8 hours behind UTC, or 14 ahead."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is Unix only")
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    "date",
    ["Tue, 01 Dec 2026 10:00:30 GMT", "Tue Dec  1 10:00:30 2026", "Tue, 01 Dec 2026 10:00:30 -0000"],
    ids=["imf-fixdate", "asctime", "minus-zero"],
)
def test_a_retry_after_date_is_gmt_in_any_local_time_zone(
    local_zone: str, date: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP's three date forms; two say no zone, and Python reads them as naive datetimes."""
    now = datetime(2026, 12, 1, 10, 0, 0, tzinfo=UTC).timestamp()
    monkeypatch.setattr("pytest_signcheck.traffic._answers.time", SimpleNamespace(time=lambda: now))
    waits: list[float] = []
    transport, seen = _mock([429, 200], {"Retry-After": date})
    assert Client(BASE, transport, sleep=waits.append).call("GET", "/x").status_code == 200
    assert waits == [30.0] and len(seen) == 2


@pytest.mark.parametrize("status", [502, 504])
def test_a_gateway_error_is_retried_like_a_503(status: int) -> None:
    waits: list[float] = []
    transport, seen = _mock([status, status, 200])
    client = Client(BASE, transport, sleep=waits.append)
    assert client.call("GET", "/packages/a/status").status_code == 200
    assert waits == [1.0, 2.0] and len(seen) == 3 and client.cost.requests == 3


def test_a_500_is_an_answer_not_retried() -> None:
    transport, seen = _mock([500, 200])
    assert Client(BASE, transport, sleep=lambda _: None).call("GET", "/x").status_code == 500
    assert len(seen) == 1


def test_the_control_surface_is_retried_on_a_429_and_not_counted() -> None:
    waits: list[float] = []
    transport, seen = _mock([429, 200], {"Retry-After": "1"})
    client = Client(BASE, transport, sleep=waits.append)
    assert client.control("POST", "/packages/p/sign/s") == {"error": "x", "message": "y"}
    assert waits == [1.0] and len(seen) == 2 and client.cost.requests == 0


def test_the_control_surface_still_rate_limited_is_could_not_check() -> None:
    transport, seen = _mock([429], {"Retry-After": "0"})
    with pytest.raises(CouldNotCheck, match=r"POST /_sandbox/packages/p/sign/s: still HTTP 429 after 2"):
        Client(BASE, transport, retries=1, sleep=lambda _: None).control("POST", "/packages/p/sign/s")
    assert len(seen) == 2


@pytest.mark.parametrize(
    ("location", "hint"),
    [
        ("/api/v1/packages/list/", "wants a trailing slash"),
        ("https://127.0.0.1:8080/api/v1/packages/list", "moved to https"),
        ("http://elsewhere.example/v2/list", "check --signcheck-base-url (http vs https"),
        ("", "nowhere (no Location header). signcheck"),
    ],
)
def test_a_redirect_is_could_not_check_naming_where_it_points(location: str, hint: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(308, headers={"location": location} if location else {})

    client = Client(BASE, httpx.MockTransport(handler))
    with pytest.raises(CouldNotCheck, match="HTTP 308, a redirect to") as info:
        client.call("POST", "/packages/list", json_body={})
    assert hint in str(info.value) and "does not follow redirects" in str(info.value)
    assert not location or str(httpx.URL(BASE + "/packages/list").join(location)) in str(info.value)
    assert client.tally.responses == 0  # not counted as a response unlike the API


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_is_could_not_check_and_never_echoes_the_key(status: int) -> None:
    transport, _ = _mock([status])
    with pytest.raises(CouldNotCheck, match=f"refused the key \\(HTTP {status}\\)") as info:
        Client(BASE, transport, api_key="my-real-key-0001").call("GET", "/packages/a/status")
    assert "my-real-key-0001" not in str(info.value)


def test_the_api_key_travels_in_the_api_key_header() -> None:
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("api_key"))
        return httpx.Response(200, json={})

    Client(BASE, httpx.MockTransport(handler), api_key="k-1").call("POST", "/packages/list", json_body={})
    assert seen == ["k-1"]


def test_an_unreachable_host_is_could_not_check() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = Client(f"http://127.0.0.1:{port}/api/v1", httpx.HTTPTransport(), timeout=2)
    with pytest.raises(CouldNotCheck, match=r"could not reach 127\.0\.0\.1.*--signcheck-base-url"):
        client.call("GET", "/packages/a/status")


def test_an_html_page_becomes_not_json() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            500, text="<html><body>Bad gateway</body></html>", headers={"content-type": "text/html"}
        )

    exchange = Client(BASE, httpx.MockTransport(handler)).call("GET", "/packages/a/status")
    assert exchange.body is NOT_JSON
    assert exchange.content_type == "text/html"


def test_recording_keeps_raw_interactions_in_order() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"path": request.url.path})

    recorder = RecordingTransport(httpx.MockTransport(handler), "list.yaml")
    client = Client(BASE, recorder, api_key="k")
    client.call("GET", "/packages/a/status")
    exchange = client.call("POST", "/packages/list", json_body={"take": 1})
    assert [item.method for item in recorder.interactions] == ["GET", "POST"]
    assert json.loads(recorder.interactions[1].request_body or b"") == {"take": 1}
    assert exchange.source == "live, recorded as list.yaml#1"
