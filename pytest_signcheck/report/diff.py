"""What changed between two reports, matched on fingerprints: the drift, not its values of the day.

Two runs against one unchanged API give the same fingerprints however their ids, times and tokens
differ, so `signcheck diff` says "0 new, 0 gone" for them.

A fingerprint of the baseline that the current report lacks is **gone** only if the current run
checked its endpoint again (`rechecked`): a scenario that ran to the end lists the endpoints it judged
under `checked` in its evidence, and a scenario that could not check (named in `problems`) counts for
none. Otherwise it is **not re-checked**: absent because unchecked, not because fixed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_signcheck.errors import ConfigError
from pytest_signcheck.findings import Finding, fold_pointer
from pytest_signcheck.report.scope import exercised_scope

__all__ = [
    "ReportDiff",
    "diff_reports",
    "load_report",
    "read_report",
    "rechecked",
    "report_findings",
    "unchecked",
]

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


def _problems(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in data.get("problems") or [] if isinstance(p, dict)]


def unchecked(path: Path, data: dict[str, Any], *, any_problem: bool = False) -> str | None:
    """Why a report is doubtful evidence to diff, in one line (else None): its outcome is
    could-not-check, or (`any_problem`) it names a problem at all, whatever its outcome."""
    problems = _problems(data)
    if data.get("outcome") != "could-not-check" and not (any_problem and problems):
        return None
    reasons = "; ".join(f"{p.get('scenario')}: {p.get('reason')}" for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"{path} could not check: {reasons or 'no problem recorded'}{more}"


def rechecked(data: dict[str, Any]) -> frozenset[str] | None:
    """The endpoints a report checked to the end (`report.scope.exercised_scope`); None (all of
    them) for a report without evidence and without problems, one written by hand or by an older
    signcheck; none at all when no response of its run looked like the API."""
    evidence, problems = data.get("evidence"), _problems(data)
    if any(problem.get("kind") == "unlike-the-api" for problem in problems):
        return frozenset()
    if not isinstance(evidence, list):
        return frozenset() if problems else None
    return exercised_scope([item for item in evidence if isinstance(item, dict)], problems).checked


@dataclass(frozen=True)
class ReportDiff:
    """Fingerprint groups: new ones (in current only), gone ones (in baseline only, at an endpoint the
    current run checked), ones not re-checked (in baseline only, at an endpoint it did not), and how
    many stayed."""

    new: dict[str, list[tuple[Finding, bool]]]
    gone: dict[str, list[tuple[Finding, bool]]]
    unchanged: int
    not_rechecked: dict[str, list[tuple[Finding, bool]]] = field(default_factory=dict)

    @property
    def new_breaking(self) -> bool:
        """Whether a new group holds a breaking finding no baseline accepted: the diff fails then."""
        return any(f.breaking and not accepted for group in self.new.values() for f, accepted in group)

    def lines(self) -> Iterator[str]:
        unseen = (_NOT_RECHECKED, "?", self.not_rechecked)
        for label, sign, groups in (("new", "+", self.new), ("gone", "-", self.gone), unseen):
            if groups:
                count = sum(len(group) for group in groups.values())
                yield f"{label}: {len(groups)} fingerprint(s), {count} finding(s)"
                yield from (_group_line(sign, fp, group) for fp, group in groups.items())
        unchecked = f", {len(self.not_rechecked)} {_NOT_RECHECKED}" if self.not_rechecked else ""
        yield f"{len(self.new)} new, {len(self.gone)} gone{unchecked}, {self.unchanged} unchanged"


#: A fingerprint absent from the current report at an endpoint its run did not check.
_NOT_RECHECKED = "not re-checked"


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


def diff_reports(
    baseline: list[tuple[Finding, bool]],
    current: list[tuple[Finding, bool]],
    rechecked: frozenset[str] | None = None,
) -> ReportDiff:
    """The groups of `current` against those of `baseline`; a baseline group absent from `current` is
    gone where `current` checked its endpoint (`rechecked`, None: every endpoint), else not re-checked."""
    before, after = _groups(baseline), _groups(current)
    absent = {fp: group for fp, group in before.items() if fp not in after}
    checked = {fp for fp, group in absent.items() if rechecked is None or group[0][0].endpoint in rechecked}
    return ReportDiff(
        new={fp: group for fp, group in after.items() if fp not in before},
        gone={fp: group for fp, group in absent.items() if fp in checked},
        unchanged=sum(1 for fp in after if fp in before),
        not_rechecked={fp: group for fp, group in absent.items() if fp not in checked},
    )
