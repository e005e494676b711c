"""Drift reports: JSON for machines, Markdown for people (and vendors), lines for the terminal.

The JSON shape is a contract: ``{"signcheck_report": 1, "outcome", "target", "summary", "findings", ...}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pytest_signcheck._atomic import atomic_write
from pytest_signcheck.findings import Finding, summarize
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.settings import EXIT_COULD_NOT_CHECK, Settings

__all__ = [
    "build_report",
    "grouped",
    "outcome_exit_status",
    "render_failure",
    "render_markdown",
    "render_terminal",
    "write_report",
]

REPORT_VERSION = 1


def _outcome(recorder: Recorder) -> str:
    if any(finding.breaking for finding in recorder.findings):
        return "drift"
    if recorder.problems or not recorder.scenarios:
        return "could-not-check"  # a run in which no scenario ran checked nothing
    return "pass"


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.severity.rank, f.check, f.endpoint, f.pointer, f.source))


def build_report(recorder: Recorder, settings: Settings) -> dict[str, Any]:
    """The run's report as plain JSON data. Breaking drift outranks could-not-check in `outcome`."""
    findings = _sorted(recorder.findings)
    return {
        "signcheck_report": REPORT_VERSION,
        "outcome": _outcome(recorder),
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "target": {
            "mode": settings.mode,
            "base_url": settings.base_url if settings.uses_network else "recorded",
            "api_version": settings.api_version,
            "cassettes": str(settings.cassettes) if settings.cassettes else "shipped",
        },
        "fail_on": settings.fail_on,
        "summary": {**summarize(findings), "total": len(findings), "could_not_check": len(recorder.problems)},
        "scenarios": sorted(set(recorder.scenarios)),
        "problems": recorder.problems,
        "findings": [finding.to_dict() for finding in findings],
    }


def outcome_exit_status(
    report: dict[str, Any], settings: Settings, exitstatus: int, testsfailed: int, problems: int
) -> int:
    """0 pass, 1 drift (or other failing tests), 10 could-not-check; pytest's own codes otherwise."""
    if exitstatus not in (0, 1):
        return exitstatus  # interrupted, internal error, usage error, no tests: pytest knows best
    if any(Finding.from_dict(item).fails(settings.fail_on) for item in report["findings"]):
        return 1
    if problems:
        return EXIT_COULD_NOT_CHECK if testsfailed <= problems else 1
    return exitstatus


def grouped(findings: list[Finding]) -> list[tuple[Finding, int]]:
    """Identical findings (all but their source) as one, with how often they occurred; first source kept."""
    counts: dict[tuple[str, ...], list[Any]] = {}
    for finding in _sorted(findings):
        key = (
            finding.severity.value,
            finding.check,
            finding.endpoint,
            finding.pointer,
            finding.expected,
            finding.actual,
            finding.message,
        )
        if key in counts:
            counts[key][1] += 1
        else:
            counts[key] = [finding, 1]
    return [(finding, count) for finding, count in counts.values()]


def _line(finding: Finding, count: int) -> str:
    return f"{finding} (x{count})" if count > 1 else str(finding)


def render_failure(scenario: str, findings: list[Finding], fail_on: str) -> str:
    """The failure text of one scenario: a header with counts, then one line per finding."""
    count = len(findings)
    lines = [f"signcheck: scenario {scenario!r} has {count} finding(s) failing the run (fail-on={fail_on}):"]
    lines += [f"  - {_line(finding, count)}" for finding, count in grouped(findings)]
    return "\n".join(lines)


def render_terminal(report: dict[str, Any]) -> Iterator[str]:
    summary = report["summary"]
    counts = ", ".join(f"{count} {name}" for name, count in summary["by_severity"].items())
    yield f"outcome: {report['outcome']} ({counts}; fail-on={report['fail_on']})"
    target = report["target"]
    yield f"target: mode={target['mode']} base-url={target['base_url']} api-version={target['api_version']}"
    for problem in report["problems"]:
        yield f"could not check {problem['scenario']}: {problem['reason']}"
    for finding, count in grouped([Finding.from_dict(item) for item in report["findings"]]):
        yield _line(finding, count)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: dict[str, Any]) -> str:
    target = report["target"]
    lines = [
        "# signcheck drift report",
        "",
        f"- **Outcome:** {report['outcome']}",
        f"- **Target:** {target['mode']} against `{target['base_url']}`, API version {target['api_version']}",
        f"- **Generated:** {report['generated_at']}",
        "",
        "| severity | count |",
        "|---|---|",
        *(f"| {name} | {count} |" for name, count in report["summary"]["by_severity"].items()),
        "",
    ]
    if report["problems"]:
        lines += ["## Could not check", ""]
        lines += [f"- **{p['scenario']}**: {_md_cell(p['reason'])}" for p in report["problems"]]
        lines.append("")
    lines += ["## Findings", ""]
    if not report["findings"]:
        lines.append("None: every response matched the documentation.")
    else:
        lines += [
            "| severity | check | endpoint | pointer | expected | actual | message | times | first seen |"
        ]
        lines += ["|---|---|---|---|---|---|---|---|---|"]
        for f, count in grouped([Finding.from_dict(item) for item in report["findings"]]):
            cells = [f.severity.value, f"`{f.check}`", f.endpoint, f"`{f.pointer or '/'}`"]
            cells += [f"`{f.expected}`", f"`{f.actual}`", f.message, str(count), f.source]
            lines.append("| " + " | ".join(_md_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def write_report(report: dict[str, Any], path: Path) -> None:
    """Write atomically: a reader never sees half a report."""
    text = (
        render_markdown(report) if path.suffix == ".md" else json.dumps(report, indent=2, ensure_ascii=False)
    )
    atomic_write(path, text + ("" if text.endswith("\n") else "\n"))
