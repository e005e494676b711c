"""The webhooks scenario: it registers only loopback or an opted-in URL, causes the events the target
allows, waits on a deadline (a missing event is a finding, not a hang), and judges every payload."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SandboxConfig, running
from pytest_signcheck.settings import Settings
from pytest_signcheck.suite import SuiteRunner
from pytest_signcheck.suite.context import ScenarioContext
from pytest_signcheck.traffic.transport import Client
from pytest_signcheck.traffic.webhooks import SIGNATURE_HEADER, Delivery, Receiver

RunSuite = Callable[..., dict[str, Any]]


class _Filtered:
    """A live inbox that loses the deliveries `keep` refuses, or changes them (a flaky network)."""

    live = True

    def __init__(self, keep: Callable[[Delivery], Delivery | None], url: str | None = None) -> None:
        self.receiver = Receiver(public_url=url)
        self.url, self.keep = self.receiver.url, keep

    def _kept(self, deliveries: Sequence[Delivery]) -> list[Delivery]:
        return [kept for d in deliveries if (kept := self.keep(d)) is not None]

    def deliveries(self) -> list[Delivery]:
        return self._kept(self.receiver.deliveries())

    def wait(self, wanted: Callable[[Sequence[Delivery]], bool], timeout: float) -> bool:
        return self.receiver.wait(lambda arrived: wanted(self._kept(arrived)), timeout)

    def close(self) -> None:
        self.receiver.close()


def test_every_event_the_sandbox_can_cause_arrives_and_passes(run_suite: RunSuite) -> None:
    with running(SandboxConfig()) as server:
        result = run_suite(server, "webhooks")["webhooks"]
        events = server.flush()
    assert result.problem is None and result.skipped is None
    assert result.evidence["webhooks"] == {"expected": 7, "delivered": 7}
    assert sorted({e["action"] for e in events}) == [
        "document_executed", "document_signed", "package_add", "package_decline", "package_executed",
    ]  # fmt: skip
    assert [f for f in result.findings if f.breaking] == []


def test_a_missing_event_is_a_finding_after_the_deadline(run_suite: RunSuite) -> None:
    def lose_executed(delivery: Delivery) -> Delivery | None:
        return None if delivery.action == "package_executed" else delivery

    with running(SandboxConfig()) as server:
        inbox = lambda: _Filtered(lose_executed)  # noqa: E731
        result = run_suite(server, "webhooks", inbox_factory=inbox, webhook_timeout=0.3)["webhooks"]
    missing = [f for f in result.findings if f.check == "integrity"]
    assert [(f.endpoint, f.breaking) for f in missing] == [("POST /events/endpoints/set", True)]
    assert "package_executed" in missing[0].expected and "within 0.3 s" in missing[0].message


def test_no_delivery_at_all_is_could_not_check(run_suite: RunSuite) -> None:
    with running(SandboxConfig()) as server:
        inbox = lambda: _Filtered(lambda delivery: None)  # noqa: E731
        result = run_suite(server, "webhooks", inbox_factory=inbox, webhook_timeout=0.3)["webhooks"]
    assert result.problem is not None and "no webhook delivery reached" in result.problem
    assert "--signcheck-webhook-url" in result.problem


def test_a_signature_that_is_not_the_hmac_of_the_body_is_info(run_suite: RunSuite) -> None:
    def resign(delivery: Delivery) -> Delivery:
        headers = {**(delivery.headers or {}), SIGNATURE_HEADER: "0" * 64}
        return Delivery(delivery.body, headers, delivery.source)

    with running(SandboxConfig()) as server:
        inbox = lambda: _Filtered(resign)  # noqa: E731
        result = run_suite(server, "webhooks", inbox_factory=inbox)["webhooks"]
    signatures = [f for f in result.findings if f.rule == "signature-algorithm"]
    assert len(signatures) == 7 and {(f.check, f.severity.value) for f in signatures} == {("http", "info")}
    assert "0" * 64 not in " ".join(f.message + f.actual for f in signatures)


def test_against_a_remote_api_without_an_opt_in_nothing_is_registered() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"the webhooks scenario sent a request: {request.url}")

    settings = Settings(
        enabled=True, mode="live", base_url="https://sandbox.syngrafii.com/api/v1", api_key="k"
    )
    result = SuiteRunner(settings, transport_factory=lambda: httpx.MockTransport(refuse)).run("webhooks")
    assert result.skipped is not None and "--signcheck-webhook-url" in result.skipped
    assert result.findings == [] and result.problem is None


def _free_port() -> int:
    with Receiver() as probe:
        return probe.port


def test_an_opted_in_url_is_registered_and_a_remote_api_is_only_sent_documented_calls(
    run_suite: RunSuite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ScenarioContext, "loopback", property(lambda self: False))  # as the vendor's API
    with running(SandboxConfig()) as server:
        # chosen last, just before the receiver binds it: any process may take a port freed meanwhile
        port = _free_port()
        url = f"http://127.0.0.1:{port}/forwarded/by/a/tunnel"
        result = run_suite(server, "webhooks", webhook_url=url, webhook_port=port)["webhooks"]
        events = server.flush()
    assert result.problem is None and result.skipped is None, result.problem or result.skipped
    assert result.evidence["webhooks"] == {"expected": 1, "delivered": 1}  # package_add, nothing signed
    assert [(e["action"], e["url"], e["outcome"]) for e in events] == [("package_add", url, "delivered")]


def test_the_control_surface_is_refused_for_a_remote_target() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"the control surface was called: {request.url}")

    client = Client("https://sandbox.syngrafii.com/api/v1", httpx.MockTransport(refuse))
    ctx = ScenarioContext(client, "4.0", "run", datetime.now(UTC))
    with pytest.raises(ValueError, match="only ever called on a loopback target"):
        ctx.control("sign", "package", "signer")


def test_a_recording_without_webhooks_replays_as_skipped_too(tmp_path: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"the webhooks scenario sent a request: {request.url}")

    remote = {"base_url": "https://sandbox.syngrafii.com/api/v1", "api_key": "k", "cassettes": tmp_path}
    recording = Settings(enabled=True, mode="record", **remote)
    recorded = SuiteRunner(recording, transport_factory=lambda: httpx.MockTransport(refuse)).run("webhooks")
    replayed = SuiteRunner(Settings(enabled=True, cassettes=tmp_path)).run("webhooks")
    assert recorded.skipped is not None and replayed.skipped == recorded.skipped
    assert replayed.problem is None and (tmp_path / "webhooks.yaml").exists()
