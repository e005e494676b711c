"""Drift reports rendered: JSON for machines, Markdown for people (and vendors), lines for the terminal.

The report itself (its data, outcome and exit status) is built by `report.build`; what is here only
renders it, so other renderings can be added beside these without touching the verdict.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pytest_signcheck._atomic import atomic_write
from pytest_signcheck.findings import Finding
from pytest_signcheck.report.build import build_report, outcome_exit_status, sorted_findings

__all__ = [
    "build_report",
    "grouped",
    "outcome_exit_status",
    "render_failure",
    "render_markdown",
    "render_terminal",
    "write_report",
]


def grouped(findings: list[Finding]) -> list[tuple[Finding, int]]:
    """Identical findings (all but their source) as one, with how often they occurred; first source kept."""
    counts: dict[tuple[str, ...], list[Any]] = {}
    for finding in sorted_findings(findings):
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


def _counts(report: dict[str, Any]) -> str:
    summary = report["summary"]
    found = ", ".join(f"{count} {name}" for name, count in summary["by_severity"].items())
    accepted = f", {summary['accepted']} accepted by the baseline" if report.get("baseline") else ""
    return f"{found}; {summary['failing']} failing{accepted}; fail-on={report['fail_on']}"


def _split(report: dict[str, Any]) -> tuple[list[Finding], list[Finding]]:
    """(findings not accepted, findings the baseline accepted)."""
    items = report["findings"]
    return (
        [Finding.from_dict(item) for item in items if not item.get("accepted")],
        [Finding.from_dict(item) for item in items if item.get("accepted")],
    )


def _origin(item: dict[str, Any]) -> str:
    """Where one piece of evidence came from, in words: live, or recorded when, where, for which API."""
    if item.get("source") == "live":
        return f"live against {item.get('base_url')}"
    if not item.get("recorded_at"):
        return "recorded at an unknown date against " + str(item.get("base_url") or "an unknown server")
    api = f", API {item['api_version']}" if item.get("api_version") else ""
    return (
        f"recorded {item['recorded_at'][:10]} ({item.get('age_days')} days ago) "
        f"against {item.get('base_url') or 'an unknown server'}{api}"
    )


def _counted(items: list[dict[str, Any]]) -> str:
    responses = sum(int(item.get("responses") or 0) for item in items)
    like = sum(int(item.get("api_like") or 0) for item in items)
    skipped = sum(int(item.get("skipped") or 0) for item in items)
    return f"{responses} checked ({like} like the API), {skipped} skipped"


def _evidence_lines(report: dict[str, Any]) -> Iterator[str]:
    """Per file for an audit; for the suite, one line per origin (folder, date, server)."""
    evidence = report.get("evidence") or []
    if report["target"]["mode"] == "audit":
        for item in evidence:
            if item.get("skipped_file"):
                yield f"skipped {item['source']}: {item['skipped_file']}"
            else:
                yield f"audited {item['source']}: {_counted([item])}; {_origin(item)}"
        return
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in evidence:
        folder = "live" if item.get("source") in (None, "live") else str(Path(item["source"]).parent)
        groups.setdefault((folder, _origin(item)), []).append(item)
    for (folder, origin), items in groups.items():
        where = "" if folder == "live" else f" from {folder}"
        yield f"evidence: {len(items)} scenario(s){where}, {origin}; {_counted(items)}"


def _baseline_lines(baseline: dict[str, Any] | None) -> Iterator[str]:
    if not baseline:
        return
    yield (
        f"baseline {baseline['path']}: {len(baseline['accepted'])} entries accepted findings, "
        f"{len(baseline['expired'])} expired, {len(baseline['stale'])} stale"
    )
    for entry in baseline["expired"]:
        yield (
            f"baseline entry {entry['entry']} expired on {entry['expires']}: its {entry['matched']} "
            f"finding(s) fail again ({_entry_name(entry)})"
        )
    for entry in baseline["stale"]:
        yield f"baseline entry {entry['entry']} is stale: it matched nothing ({_entry_name(entry)})"


def _entry_name(entry: dict[str, Any]) -> str:
    what = entry.get("fingerprint") or f"{entry.get('check')} {entry.get('endpoint')} {entry.get('pointer')}"
    return f"{what}; {entry['reason']}" if entry.get("reason") else str(what)


def render_terminal(report: dict[str, Any]) -> Iterator[str]:
    yield f"outcome: {report['outcome']} ({_counts(report)})"
    target = report["target"]
    url = target["base_url"] + ("" if target["mode"] in ("live", "record") else " (as recorded)")
    yield f"target: mode={target['mode']} base-url={url} api-version={target['api_version']}"
    notes = sorted({item["note"] for item in report.get("evidence", ()) if item.get("note")})
    yield from (f"note: {note}" for note in notes)
    yield from _evidence_lines(report)
    for problem in report["problems"]:
        yield f"could not check {problem['scenario']}: {problem['reason']}"
    yield from _baseline_lines(report.get("baseline"))
    drift, accepted = _split(report)
    for finding, count in grouped(drift):
        yield _line(finding, count)
    for finding, count in grouped(accepted):
        yield "accepted: " + _line(finding, count)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_findings(title: str, findings: list[Finding]) -> list[str]:
    lines = [f"## {title}", ""]
    lines += ["| severity | check | endpoint | pointer | expected | actual | message | times | first seen |"]
    lines += ["|---|---|---|---|---|---|---|---|---|"]
    for f, count in grouped(findings):
        cells = [f.severity.value, f"`{f.check}`", f.endpoint, f"`{f.pointer or '/'}`"]
        cells += [f"`{f.expected}`", f"`{f.actual}`", f.message, str(count), f.source]
        lines.append("| " + " | ".join(_md_cell(cell) for cell in cells) + " |")
    return [*lines, ""]


def _md_evidence(report: dict[str, Any]) -> list[str]:
    evidence = report.get("evidence") or []
    if not evidence:
        return []
    lines = ["## Evidence", ""]
    notes = sorted({item["note"] for item in evidence if item.get("note")})
    lines += [f"> {note[:1].upper()}{note[1:]}." for note in notes] + ([""] if notes else [])
    lines += [
        "| source | recorded | base URL | API | responses | like the API | skipped |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in evidence:
        label = f"{item['scenario']}: " if item.get("scenario") else ""
        cells = [f"{label}{item.get('source', '?')}", str(item.get("recorded_at") or "unknown")]
        cells += [str(item.get("base_url") or "unknown"), str(item.get("api_version") or "-")]
        cells += [str(item.get(key, 0)) for key in ("responses", "api_like", "skipped")]
        lines.append("| " + " | ".join(_md_cell(cell) for cell in cells) + " |")
    return [*lines, ""]


def _md_baseline(baseline: dict[str, Any] | None) -> list[str]:
    if not baseline:
        return []
    lines = [f"## Baseline `{baseline['path']}`", ""]
    for status in ("accepted", "expired", "stale"):
        for entry in baseline[status]:
            expires = entry.get("expires")
            state = {
                "accepted": f"accepts {entry['matched']} finding(s)"
                + (f", until {expires}" if expires else ""),
                "expired": f"expired on {expires}: its {entry['matched']} finding(s) fail again",
                "stale": "stale: it matched nothing in this run",
            }[status]
            lines.append(f"- entry {entry['entry']} ({state}): {_md_cell(_entry_name(entry))}")
    return [*lines, ""]


def _no_findings(report: dict[str, Any]) -> str:
    checked = report["summary"].get("responses", 0)
    if report["outcome"] != "pass":
        return "None among the responses that could be checked; see 'Could not check' above."
    if checked:
        return f"None: every one of the {checked} checked responses matched the documentation."
    return "None: every response matched the documentation."


def render_markdown(report: dict[str, Any]) -> str:
    target = report["target"]
    lines = [
        "# signcheck drift report",
        "",
        f"- **Outcome:** {report['outcome']} ({_counts(report)})",
        f"- **Target:** {target['mode']} against `{target['base_url']}`, API version {target['api_version']}",
        f"- **Generated:** {report['generated_at']}",
        "",
        "| severity | count |",
        "|---|---|",
        *(f"| {name} | {count} |" for name, count in report["summary"]["by_severity"].items()),
        "",
    ]
    lines += _md_evidence(report)
    if report["problems"]:
        lines += ["## Could not check", ""]
        lines += [f"- **{p['scenario']}**: {_md_cell(p['reason'])}" for p in report["problems"]]
        lines.append("")
    lines += _md_baseline(report.get("baseline"))
    drift, accepted = _split(report)
    lines += _md_findings("Findings", drift) if drift else ["## Findings", "", _no_findings(report), ""]
    if accepted:
        lines += _md_findings("Accepted by the baseline", accepted)
    return "\n".join(lines).rstrip("\n") + "\n"


def write_report(report: dict[str, Any], path: Path) -> None:
    """Write atomically: a reader never sees half a report."""
    text = (
        render_markdown(report) if path.suffix == ".md" else json.dumps(report, indent=2, ensure_ascii=False)
    )
    atomic_write(path, text + ("" if text.endswith("\n") else "\n"))
