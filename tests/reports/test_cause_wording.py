"""How a cause reads when two checks' rules meet in it: each expectation once, and dates in one notation.

Built from what the checks themselves find (add and status with links although generateSignerLinks was
not in effect), then read as the report's causes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from checkdata import build_status

from pytest_signcheck.api import check_response, check_status
from pytest_signcheck.findings import Finding
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.report.render import build_report
from pytest_signcheck.settings import Settings

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
