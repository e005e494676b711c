"""One drift, one group: the findings of a run that share a fingerprint.

A group stands for one way the API differs from its documentation at one place (a check id, an endpoint,
a pointer pattern and the rule broken), however many responses showed it. Counting, honestly:

- `count` is how many findings share the fingerprint: one per response that showed the drift (a check
  reports a problem once per response);
- `occurrences` adds up each finding's `Finding.occurrences`, the places inside one response it
  stands for (twelve list items with the same wrong date are one finding of 12 occurrences);
- `accepted` and `failing` count the findings a baseline accepted and those that fail the run.

Its `example` is one finding (the first in report order), redacted again on the way out: its value
(`actual`), source, concrete pointer and message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pytest_signcheck.contract.redact import redact_text
from pytest_signcheck.findings import Finding, Severity, fold_pointer, without_repeats

__all__ = ["Group", "group_findings"]


@dataclass
class Group:
    """The findings of one fingerprint, in report order, with how many were accepted and are failing."""

    findings: list[Finding] = field(default_factory=list)
    accepted: int = 0
    failing: int = 0

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def severity(self) -> Severity:
        return self.first.severity

    @property
    def pointer(self) -> str:
        return fold_pointer(self.first.pointer)

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def occurrences(self) -> int:
        return sum(finding.occurrences for finding in self.findings)

    @property
    def live(self) -> bool:
        """Whether some finding of the group is drift, not accepted by a baseline."""
        return self.accepted < self.count

    def values(self) -> set[str]:
        """Every value (`actual`) the group's findings saw."""
        return {finding.actual for finding in self.findings}

    def example(self) -> dict[str, str]:
        first = self.first
        return {
            "value": redact_text(first.actual),
            "source": redact_text(first.source),
            "pointer": first.pointer,
            "message": redact_text(without_repeats(first.message)),
        }

    def to_dict(self) -> dict[str, Any]:
        first = self.first
        return {
            "fingerprint": first.fingerprint,
            "severity": first.severity.value,
            "check": first.check,
            "endpoint": first.endpoint,
            "pointer": self.pointer,
            "rule": first.rule,
            "expected": redact_text(first.expected),
            "count": self.count,
            "occurrences": self.occurrences,
            "accepted": self.accepted,
            "failing": self.failing,
            "example": self.example(),
        }


def group_findings(findings: Iterable[tuple[Finding, bool, bool]]) -> list[Group]:
    """(finding, accepted, failing) triples, in report order, as one group per fingerprint, in the
    order each fingerprint first appears."""
    groups: dict[str, Group] = {}
    for finding, accepted, failing in findings:
        group = groups.setdefault(finding.fingerprint, Group())
        group.findings.append(finding)
        group.accepted += accepted
        group.failing += failing
    return list(groups.values())
