"""The fixtures a user's own tests get: `signcheck_sandbox` (a URL that carries the sandbox's control
surface) and `signcheck_webhooks` (a loopback receiver), through pytest as a user runs them."""

from __future__ import annotations

import pytest

USERS_TESTS = """
import httpx
import pytest

from pytest_signcheck import check_webhook


def _add(url, key, **fields):
    body = {"name": "mine", "type": "Sequential", "state": "open", **fields}
    response = httpx.post(url + "/files/upload", headers={"api_key": key},
                          files={"file": ("a.pdf", b"%PDF-1.4 mine", "application/pdf")})
    body["documents"] = [{"fileId": response.json()["files"][0]["fileId"]}]
    body["signers"] = [{"firstName": "A", "lastName": "B", "email": "a@example.com"}]
    return httpx.post(url + "/packages/add", json=body, headers={"api_key": key}).json()


def test_events_arrive_and_conform(signcheck_sandbox, signcheck_webhooks):
    key = signcheck_sandbox.api_key
    httpx.post(signcheck_sandbox + "/events/endpoints/set", json={"url": signcheck_webhooks.url},
               headers={"api_key": key}).raise_for_status()
    added = _add(signcheck_sandbox, key)
    signer = added["package"]["signers"][0]["signerId"]
    signcheck_sandbox.server.sign(added["packageId"], signer)
    (executed,) = signcheck_webhooks.wait_for("package_executed", timeout=10)
    assert executed.package_id == added["packageId"]
    for delivery in signcheck_webhooks.deliveries():
        assert [f for f in check_webhook(delivery.body, headers=delivery.headers) if f.breaking] == []


@pytest.mark.signcheck_sandbox(drifts=["webhook-action-renamed"], packages=0, templates=0)
def test_a_drifted_event_is_caught(signcheck_sandbox, signcheck_webhooks):
    key = signcheck_sandbox.api_key
    httpx.post(signcheck_sandbox + "/events/endpoints/set", json={"url": signcheck_webhooks.url},
               headers={"api_key": key}).raise_for_status()
    _add(signcheck_sandbox, key)
    assert signcheck_webhooks.wait_for("package_add", timeout=0.3) == []  # it never comes as documented
    (renamed,) = signcheck_webhooks.deliveries()
    assert {f.rule for f in check_webhook(renamed.payload, headers=renamed.headers)} >= {"action-renamed"}
"""


def test_the_sandbox_and_webhook_fixtures_serve_users_own_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_mine=USERS_TESTS)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)
