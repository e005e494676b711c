"""The loopback webhook receiver: bodies however they are sent, and a deadline instead of a hang."""

from __future__ import annotations

import json

import httpx

from pytest_signcheck.traffic.webhooks import Receiver

EVENT = {"action": "package_add", "eventId": "e", "packageId": "p"}


def test_bodies_with_a_length_or_in_chunks_arrive_whole() -> None:
    raw = json.dumps(EVENT).encode()
    with Receiver() as receiver:
        httpx.post(receiver.url, content=raw, headers={"X-Syngrafii-Signature": "abc"}).raise_for_status()
        httpx.post(receiver.url, content=iter([raw[:7], raw[7:]])).raise_for_status()  # chunked
        deliveries = receiver.wait_for("package_add", count=2, timeout=10)
    assert [d.body for d in deliveries] == [raw, raw]
    assert deliveries[0].headers is not None and deliveries[0].headers["x-syngrafii-signature"] == "abc"
    assert [d.package_id for d in deliveries] == ["p", "p"]


def test_an_event_that_never_comes_is_an_empty_answer_at_the_deadline() -> None:
    with Receiver() as receiver:
        httpx.post(receiver.url, json={**EVENT, "action": "document_signed"}).raise_for_status()
        assert receiver.wait_for("package_executed", timeout=0.2) == []
        assert [d.action for d in receiver.deliveries()] == ["document_signed"]
