"""The conformance scenarios in the test process: every drift switch of the reference sandbox fails the
check it names, and an interrupted scenario still cleans up.

`SuiteRunner` is what `pytest --signcheck` runs for each scenario; here it runs live, over real HTTP on
127.0.0.1, without pytest around it (tests/test_suite_modes.py runs the plugin as a user does). One
sandbox per drift: one starts and stops in about 0.1 s, next to about 0.5-1.5 s for the five scenarios.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pytest_signcheck.findings import Finding
from pytest_signcheck.sandbox import DRIFTS, SandboxConfig, SandboxServer, running
from pytest_signcheck.settings import Settings
from pytest_signcheck.suite import SCENARIOS, SuiteRunner

Leftovers = Callable[[SandboxServer], list[str]]

# Drifts whose finding is rightly not breaking: an undocumented field is additive, a brand-new state value
# is additive, and case-sensitive search rests on an inferred rule ("full text"), so it is info.
NOT_BREAKING = {"extra-field", "state-new-value", "search-case-sensitive"}


#: Issue 12's drifts, on endpoints and rules the suite does not exercise yet (update, links, data,
#: templates, webhooks, days, sortBy, add's signLink): the checker side of issue 12 adds them. Strict
#: (xfail_strict): a drift the suite starts catching fails here until it leaves this set. (Carried over
#: from main's tests/test_suite_modes.py, where the sandbox's branch added it.)
NOT_YET_EXERCISED = {
    "data-field-renamed",
    "days-ignored",
    "link-expiry-us-format",
    "link-sign-token-mismatch",
    "sortby-ignored",
    "templates-total-off-by-one",
    "templates-types-ignored",
    "update-keeps-add-state",
    "update-links-leak",
    "update-links-not-renewed",
    "update-sent-back-to-add",
    "webhook-action-renamed",
    "webhook-field-renamed",
    "webhook-time-us-format",
    "webhook-unsigned",
}
PENDING = pytest.mark.xfail(reason="the suite does not exercise this endpoint or rule yet (issue 12)")


def _live_settings(server: SandboxServer, **options: Any) -> Settings:
    return Settings(enabled=True, mode="live", base_url=server.base_url, api_key=server.api_key, **options)


@pytest.mark.parametrize(
    "drift", [pytest.param(d, marks=PENDING) if d in NOT_YET_EXERCISED else d for d in sorted(DRIFTS)]
)
def test_each_drift_switch_fails_its_check(drift: str, suite_leftovers: Leftovers) -> None:
    """Every scenario, live against a sandbox with one drift switched on."""
    expected = DRIFTS[drift].check
    with running(SandboxConfig(drifts=(drift,))) as server:
        runner = SuiteRunner(_live_settings(server))
        results = [runner.run(scenario) for scenario in SCENARIOS]
        assert suite_leftovers(server) == [], "cleanup must run even when checks fail"
    assert [(r.scenario, r.problem) for r in results if r.problem] == []
    findings: list[Finding] = [finding for result in results for finding in result.findings]
    found = {finding.check for finding in findings}
    assert expected in found, f"{drift} should trip {expected}; found {found}"
    breaking = {finding.check for finding in findings if finding.breaking}
    assert (expected in breaking) == (drift not in NOT_BREAKING), f"{drift}: breaking checks {breaking}"


class _InterruptAfter(httpx.BaseTransport):
    """Real HTTP, until the Nth packages/add: then Ctrl-C, as a user interrupting the run would."""

    def __init__(self, adds: int) -> None:
        self.inner = httpx.HTTPTransport()
        self.adds = adds

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/packages/add"):
            self.adds -= 1
            if self.adds < 0:
                raise KeyboardInterrupt
        return self.inner.handle_request(request)


def test_an_interrupted_run_still_deletes_what_it_created(suite_leftovers: Leftovers) -> None:
    with running(SandboxConfig()) as server:
        runner = SuiteRunner(_live_settings(server), transport_factory=lambda: _InterruptAfter(adds=5))
        with pytest.raises(KeyboardInterrupt):
            runner.run("add-and-status")
        assert suite_leftovers(server) == []
