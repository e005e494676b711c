"""How a cause reads when two checks' rules meet in it: each expectation once, and dates in one notation.

Built from what the checks themselves find (add and status with links although generateSignerLinks was
not in effect), then read as the report's causes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from checkdata import build_status

from pytest_signcheck.api import check_response, check_status
from pytest_signcheck.findings import Finding, Severity
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.report.render import build_report
from pytest_signcheck.sandbox import SandboxConfig, running
from pytest_signcheck.settings import Settings
from pytest_signcheck.suite import SuiteRunner
from pytest_signcheck.suite.explore import EXPLORE

LINK = "https://sign.example.com/link/6iC4sCyjRaMTm2FcMjwIVA"


def _leaked_links() -> list[Finding]:
    status = build_status(documents=1, signers=2)
    package = {key: status[key] for key in ("packageId", "name", "type", "state", "documents")}
    package["signers"] = [{**signer, "signLink": LINK} for signer in status["signers"]]
    add = {"packageId": status["packageId"], "package": package}
    found = [
        *check_status(status, generate_signer_links=False),
        *check_response("POST /packages/add", add, request={"name": "p", "generateSignerLinks": False}),
    ]
    return [finding for finding in found if finding.check == "signer-links" and finding.rule == "present"]


def _causes(findings: list[Finding]) -> list[dict[str, Any]]:
    report = build_report(Recorder(findings=findings, scenarios=["s"]), Settings())
    causes: list[dict[str, Any]] = report["causes"]
    return causes


def test_links_served_without_the_flag_read_as_one_expectation_on_add_and_status() -> None:
    findings = _leaked_links()
    assert {finding.endpoint for finding in findings} == {
        "GET /packages/{packageId}/status",
        "POST /packages/add",
    }
    (cause,) = _causes(findings)
    assert cause["expected"] == [
        {"expected": "no link (generateSignerLinks not in effect)", "served": ["a link"]}
    ]
    assert cause["summary"].count("expected ") == 1


def test_the_expectation_text_is_no_part_of_these_fingerprints() -> None:
    """The wording changed; a baseline written before still matches these findings."""
    for finding in _leaked_links():
        assert dataclasses.replace(finding, expected="no link").fingerprint == finding.fingerprint


def _asked(states: str, served: str, source: str) -> Finding:
    return Finding(
        "filters",
        Severity.BREAKING,
        "POST /packages/list",
        "/items/0/state",
        f"one of {states}",
        served,
        f"The item's state {served} is not among the requested states (exact match).",
        source,
        "states",
    )


def test_an_expectation_that_varies_by_request_is_not_read_as_the_first_requests() -> None:
    findings = [
        _asked('"add"', '"rescinded"', "live#1"),
        _asked('"draft", "open"', '"select"', "live#2"),
        _asked('"add"', '"open"', "live#3"),
    ]
    assert len({finding.fingerprint for finding in findings}) == 1
    (cause,) = _causes(findings)
    assert cause["expected"] == [
        {
            "expected": "one of … (varies by request: 2 different)",
            "served": ['"rescinded"', '"select"', '"open"'],
        }
    ]
    assert cause["summary"].startswith(
        "breaking filters: expected one of … (varies by request: 2 different), served"
    )
    assert cause["fingerprints"] == [findings[0].fingerprint]  # the wording is no part of the fingerprint


def test_one_expectation_shared_by_every_finding_is_named_as_it_is() -> None:
    (cause,) = _causes([_asked('"add"', '"rescinded"', "live#1"), _asked('"add"', '"open"', "live#2")])
    assert cause["expected"] == [{"expected": 'one of "add"', "served": ['"rescinded"', '"open"']}]


def test_an_explored_states_drift_reads_as_varying_by_request() -> None:
    """The run the new user made: `--signcheck-explore 30` against `states-filter-ignored`."""
    with running(SandboxConfig(drifts=("states-filter-ignored",))) as server:
        url, key = server.base_url, server.api_key
        settings = Settings(enabled=True, mode="live", base_url=url, api_key=key, explore=30, explore_seed=0)
        result = SuiteRunner(settings).run(EXPLORE)
    asked = {f.expected for f in result.findings if f.check == "filters"}
    assert len(asked) > 1, asked  # many requests, each with its own states
    (cause,) = [c for c in _causes(result.findings) if c["checks"] == ["filters"]]
    summary = cause["summary"]
    assert summary.startswith(
        f"breaking filters: expected one of … (varies by request: {len(asked)} different), served "
    )
    assert not any(f"expected {expected}," in summary for expected in asked)
