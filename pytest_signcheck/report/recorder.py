"""Findings, could-not-check problems and evidence of a whole run, mergeable across xdist workers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pytest_signcheck.findings import Finding

__all__ = ["Recorder"]


@dataclass
class Recorder:
    """Everything one run found. Plain data, so xdist workers can ship it to the controller.

    `evidence` says where each scenario's (or audited file's) responses came from and how many there
    were; `failed` names the scenarios whose test failed, so the exit status can tell them from the
    user's own failing tests.
    """

    findings: list[Finding] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    scenarios: list[str] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def add(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def could_not_check(self, scenario: str, reason: str) -> None:
        self.problems.append({"scenario": scenario, "reason": reason})

    def failing(self, fail_on: str) -> list[Finding]:
        """The findings that fail the run under `fail_on` (breaking, any, never)."""
        return [finding for finding in self.findings if finding.fails(fail_on)]

    def to_wire(self) -> dict[str, Any]:
        return {
            "findings": [finding.to_dict() for finding in self.findings],
            "problems": list(self.problems),
            "scenarios": list(self.scenarios),
            "evidence": list(self.evidence),
            "failed": list(self.failed),
        }

    def merge_wire(self, data: dict[str, Any]) -> None:
        self.findings.extend(Finding.from_dict(item) for item in data.get("findings", ()))
        self.problems.extend(data.get("problems", ()))
        self.scenarios.extend(data.get("scenarios", ()))
        self.evidence.extend(data.get("evidence", ()))
        self.failed.extend(data.get("failed", ()))
