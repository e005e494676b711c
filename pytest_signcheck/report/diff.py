"""What changed between two reports, matched on fingerprints: the drift, not its values of the day.

Two runs against one unchanged API give the same fingerprints however their ids, times and tokens
differ, so `signcheck diff` says "0 new, 0 gone" for them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_signcheck.errors import ConfigError
from pytest_signcheck.findings import Finding, fold_pointer

__all__ = ["ReportDiff", "diff_reports", "load_report", "read_report", "report_findings", "unchecked"]

_FIELDS = ("check", "severity", "endpoint", "pointer", "expected", "actual", "message")


def _finding(path: Path, index: int, item: Any) -> tuple[Finding, bool]:
    where = f"{path}: findings[{index}]"
    if not isinstance(item, dict):
        raise ConfigError(f"{where} is not a finding (a mapping with {', '.join(_FIELDS)})")
    missing = [name for name in _FIELDS if name not in item]
    if missing:
        raise ConfigError(f"{where} lacks {', '.join(missing)}: is this a signcheck report?")
    try:
        return Finding.from_dict(item), bool(item.get("accepted"))
    except ValueError as error:
        raise ConfigError(f"{where}: {error}") from None


def read_report(path: Path) -> dict[str, Any]:
    """A JSON report as data; ConfigError if the file is not one, naming the file and what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror or error})") from None
    except ValueError as error:
        raise ConfigError(f"{path}: not JSON ({error}); give the .json report of a signcheck run") from None
    if not isinstance(data, dict) or data.get("signcheck_report") != 1:
        raise ConfigError(
            f"{path}: not a signcheck report (no `signcheck_report: 1`); give the .json file written by "
            "--signcheck-report or signcheck audit --report"
        )
    return data


def report_findings(path: Path, data: dict[str, Any]) -> list[tuple[Finding, bool]]:
    """The findings of a report read from `path` (each with whether a baseline accepted it)."""
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise ConfigError(f"{path}: `findings` is not a list")
    return [_finding(path, index, item) for index, item in enumerate(findings)]


def load_report(path: Path) -> list[tuple[Finding, bool]]:
    """The findings of a JSON report (each with whether a baseline accepted it); ConfigError if the
    file is not one, naming the file and what is wrong with it."""
    return report_findings(path, read_report(path))


def unchecked(path: Path, data: dict[str, Any]) -> str | None:
    """Why a report is no evidence to diff (its outcome is could-not-check), in one line; else None."""
    if data.get("outcome") != "could-not-check":
        return None
    problems = [p for p in data.get("problems") or [] if isinstance(p, dict)]
    reasons = "; ".join(f"{p.get('scenario')}: {p.get('reason')}" for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"{path} could not check: {reasons or 'no problem recorded'}{more}"


@dataclass(frozen=True)
class ReportDiff:
    """Fingerprint groups: new ones (in current only), gone ones (in baseline only), how many stayed."""

    new: dict[str, list[tuple[Finding, bool]]]
    gone: dict[str, list[tuple[Finding, bool]]]
    unchanged: int

    @property
    def new_breaking(self) -> bool:
        """Whether a new group holds a breaking finding no baseline accepted: the diff fails then."""
        return any(f.breaking and not accepted for group in self.new.values() for f, accepted in group)

    def lines(self) -> Iterator[str]:
        for label, sign, groups in (("new", "+", self.new), ("gone", "-", self.gone)):
            if groups:
                count = sum(len(group) for group in groups.values())
                yield f"{label}: {len(groups)} fingerprint(s), {count} finding(s)"
                yield from (_group_line(sign, fp, group) for fp, group in groups.items())
        yield f"{len(self.new)} new, {len(self.gone)} gone, {self.unchanged} unchanged"


def _group_line(sign: str, fingerprint: str, group: list[tuple[Finding, bool]]) -> str:
    first = group[0][0]
    times = f" (x{len(group)})" if len(group) > 1 else ""
    accepted = " [accepted by the baseline]" if all(accepted for _, accepted in group) else ""
    what = f"{first.severity.value} {first.check}: {first.endpoint} {fold_pointer(first.pointer) or '/'}"
    return f"  {sign} {fingerprint} {what}{times}{accepted}: {first.message}"


def _groups(findings: list[tuple[Finding, bool]]) -> dict[str, list[tuple[Finding, bool]]]:
    groups: dict[str, list[tuple[Finding, bool]]] = {}
    for finding, accepted in findings:
        groups.setdefault(finding.fingerprint, []).append((finding, accepted))
    return groups


def diff_reports(baseline: list[tuple[Finding, bool]], current: list[tuple[Finding, bool]]) -> ReportDiff:
    before, after = _groups(baseline), _groups(current)
    return ReportDiff(
        new={fp: group for fp, group in after.items() if fp not in before},
        gone={fp: group for fp, group in before.items() if fp not in after},
        unchanged=sum(1 for fp in after if fp in before),
    )
