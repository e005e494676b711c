"""Drift reports rendered: JSON for machines, lines for the terminal, and the failure text of a scenario.

The report itself (its data, outcome and exit status) is built by `report.build`; the Markdown rendering
is `report.markdown`. What is here only renders: other renderings can be added beside these without
touching the verdict. People read groups (one per fingerprint) and causes, never every finding.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pytest_signcheck._atomic import atomic_write
from pytest_signcheck.findings import Finding, Severity
from pytest_signcheck.report.build import UNLIKE_THE_API, build_report, outcome_exit_status, sorted_findings
from pytest_signcheck.report.groups import group_findings

__all__ = [
    "SKIPS_SHOWN",
    "TERMINAL_GROUPS",
    "build_report",
    "counts_text",
    "entry_name",
    "evidence_lines",
    "group_line",
    "judged",
    "outcome_exit_status",
    "ranked",
    "render_failure",
    "render_terminal",
    "todo_line",
    "where_the_rest_is",
    "write_report",
]

#: Groups listed in the terminal summary (and in a scenario's failure text) before "N more".
TERMINAL_GROUPS = 10
#: Skipped interactions named per audited file (terminal with -v, and Markdown) before "and N more".
SKIPS_SHOWN = 5


def group_line(group: dict[str, Any]) -> str:
    """``breaking type-enum: GET /packages/{packageId}/status /type: message [source] (x12)``."""
    example = group["example"]
    where = f" [{example['source']}]" if example["source"] else ""
    times = [f"x{group['count']}"] if group["count"] > 1 else []
    if group["occurrences"] > group["count"]:
        times.append(f"{group['occurrences']} occurrences")
    head = f"{group['severity']} {group['check']}: {group['endpoint']} {group['pointer'] or '/'}"
    return f"{head}: {example['message']}{where}" + (f" ({', '.join(times)})" if times else "")


def ranked(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The groups in the order a person should read them: failing first, then severity, then the most
    findings."""
    return sorted(groups, key=lambda g: (not g["failing"], Severity(g["severity"]).rank, -g["count"]))


def render_failure(scenario: str, findings: list[Finding], fail_on: str) -> str:
    """The failure text of one scenario: a header with counts, then one line per group (the top ones)."""
    groups = [g.to_dict() for g in group_findings((f, False, True) for f in sorted_findings(findings))]
    head = f"signcheck: scenario {scenario!r} has {len(findings)} finding(s) in {len(groups)} group(s)"
    lines = [f"{head} failing the run (fail-on={fail_on}):"]
    lines += [f"  - {group_line(group)}" for group in ranked(groups)[:TERMINAL_GROUPS]]
    if len(groups) > TERMINAL_GROUPS:
        lines.append(f"  - and {len(groups) - TERMINAL_GROUPS} more group(s): see the signcheck report")
    return "\n".join(lines)


def judged(report: dict[str, Any]) -> bool:
    """Whether the findings were judged as drift: not when no response looked like the API."""
    return not any(problem.get("kind") == UNLIKE_THE_API for problem in report["problems"])


def counts_text(report: dict[str, Any]) -> str:
    """The counts after the outcome; why first when the run stopped, or its findings were not judged."""
    summary = report["summary"]
    if not judged(report):
        return f"no response looked like the API: {summary['total']} finding(s) not judged as drift"
    kinds = [problem["kind"] for problem in report["problems"] if problem.get("kind")]
    found = ", ".join(f"{count} {name}" for name, count in summary["by_severity"].items())
    accepted = f", {summary['accepted']} accepted by the baseline" if report.get("baseline") else ""
    why = "".join(f"{kind.replace('-', ' ')}; " for kind in kinds)
    return f"{why}{found}; {summary['failing']} failing{accepted}; fail-on={report['fail_on']}"


def _origin(item: dict[str, Any]) -> str:
    """Where one piece of evidence came from, in words: live, or recorded when, where, for which API."""
    if item.get("source") == "live":
        return f"live against {item.get('base_url')}"
    if "webhooks" in item and not item.get("base_url"):  # a file of captured events, not a recording
        return "webhook events captured by your endpoint"
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
    counted = f"{responses} checked ({like} like the API), {skipped} skipped"
    requests = sum(int(item.get("requests") or 0) for item in items)
    if not requests:
        return counted
    waited = sum(float(item.get("waited_s") or 0) for item in items)
    return f"{counted}; {requests} requests, {waited:.1f} s waiting on the API"


def _skipped_detail(item: dict[str, Any], shown: int) -> str:
    """Which interactions an audited file had skipped, and why: the first `shown`, then how many more."""
    skipped = item.get("skipped_interactions") or []
    if not shown or not skipped:
        return ""
    by_reason: dict[str, list[str]] = {}
    for entry in skipped[:shown]:
        by_reason.setdefault(entry["reason"], []).append(f"{entry['method']} {entry['path']}")
    named = "; ".join(f"{reason}: {', '.join(which)}" for reason, which in by_reason.items())
    more = f"; and {len(skipped) - shown} more" if len(skipped) > shown else ""
    return f" ({named}{more})"


def evidence_lines(report: dict[str, Any], skips: int = 0) -> Iterator[str]:
    """Per file for an audit, with the first `skips` interactions it skipped; for the suite, one line
    per origin (folder, date, server)."""
    evidence = report.get("evidence") or []
    if report["target"]["mode"] == "audit":
        for item in evidence:
            if item.get("skipped_file"):
                yield f"skipped {item['source']}: {item['skipped_file']}"
            else:
                detail = _skipped_detail(item, skips)
                yield f"audited {item['source']}: {_counted([item])}{detail}; {_origin(item)}"
        return
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in evidence:
        folder = "live" if item.get("source") in (None, "live") else str(Path(item["source"]).parent)
        groups.setdefault((folder, _origin(item)), []).append(item)
    for (folder, origin), items in groups.items():
        where = "" if folder == "live" else f" from {folder}"
        yield f"evidence: {len(items)} scenario(s){where}, {origin}; {_counted(items)}"


def entry_name(entry: dict[str, Any]) -> str:
    what = entry.get("fingerprint") or f"{entry.get('check')} {entry.get('endpoint')} {entry.get('pointer')}"
    return f"{what}; {entry['reason']}" if entry.get("reason") else str(what)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def todo_line(baseline: dict[str, Any]) -> str | None:
    """The reminder that entries still have the `reason: TODO` a written baseline starts with, or None."""
    from pytest_signcheck.report.baseline import TODO_REASON  # only a run with a baseline gets here

    statuses = ("accepted", "expired", "stale", "not_exercised")
    todo = sum(1 for s in statuses for e in baseline.get(s) or () if e.get("reason") == TODO_REASON)
    if not todo:
        return None
    still = _plural(todo, "baseline entry still has", "baseline entries still have")
    return f"{still} reason: {TODO_REASON}; say why each drift is accepted"


def _baseline_lines(baseline: dict[str, Any] | None) -> Iterator[str]:
    if not baseline:
        return
    statuses = ("accepted", "expired", "stale", "not_exercised")
    total = sum(len(baseline.get(status) or ()) for status in statuses)
    yield (
        f"baseline {baseline['path']}: of {_plural(total, 'entry', 'entries')}, "
        f"{len(baseline['accepted'])} accepted findings, {len(baseline['expired'])} expired, "
        f"{len(baseline['stale'])} stale"
        + (f", {len(baseline['not_exercised'])} not exercised" if baseline.get("not_exercised") else "")
    )
    todo = todo_line(baseline)
    if todo:
        yield todo
    for entry in baseline["expired"]:
        yield (
            f"baseline entry {entry['entry']} expired on {entry['expires']}: its {entry['matched']} "
            f"finding(s) fail again ({entry_name(entry)})"
        )
    for entry in baseline["stale"]:
        yield f"baseline entry {entry['entry']} is stale: it matched nothing ({entry_name(entry)})"


def _causes_lines(report: dict[str, Any], limit: int | None) -> Iterator[str]:
    """The causes, counting only the groups and findings they are made of (drift no baseline accepted);
    the groups a baseline accepted whole are counted on a line of their own."""
    groups, summary = report.get("groups") or [], report["summary"]
    causes = report.get("causes") or []
    if causes:
        live = sum(1 for group in groups if group["accepted"] < group["count"])
        new = summary["total"] - summary["accepted"]
        yield f"causes: {len(causes)} ({live} group(s), {new} findings)"
        yield from (f"  {cause['summary']}" for cause in causes[:limit])
    accepted = sum(1 for group in groups if group["accepted"] == group["count"])
    if accepted:
        yield f"accepted by the baseline: {accepted} group(s), {summary['accepted']} findings (not causes)"


def _group_lines(report: dict[str, Any], limit: int | None, more: str) -> Iterator[str]:
    """The causes, then the top groups: drift first, accepted after (``accepted: ...``). Findings that
    were not judged are only counted: they are the wrong server's answers, not drift."""
    if not judged(report):
        if report["findings"]:
            yield f"findings: {len(report['findings'])}, not judged as drift (the JSON report keeps them)"
        return
    yield from _causes_lines(report, limit)
    groups = ranked(report.get("groups") or [])
    shown = [g for g in groups if g["accepted"] < g["count"]] + [
        g for g in groups if g["accepted"] == g["count"]
    ]
    for group in shown[:limit]:
        yield ("accepted: " if group["accepted"] == group["count"] else "") + group_line(group)
    if limit is not None and len(shown) > limit:
        yield f"... and {len(shown) - limit} more group(s){more}"


def where_the_rest_is(reports: Sequence[Path], flag: str) -> str:
    """How the "N more groups" line ends: the Markdown report written, or how to see them all."""
    markdown = [path for path in reports if path.suffix == ".md"]
    return f": see {markdown[0]}" if markdown else f" (-v lists them; {flag} FILE.md writes them all)"


def render_terminal(
    report: dict[str, Any], limit: int | None = TERMINAL_GROUPS, more: str = ""
) -> Iterator[str]:
    """The report for a terminal: outcome, problems, target, evidence, baseline, then the top `limit`
    causes and groups (all with None); `more` ends the "N more groups" line (where to find them)."""
    yield f"outcome: {report['outcome']} ({counts_text(report)})"
    yield from (f"could not check {p['scenario']}: {p['reason']}" for p in report["problems"])
    target = report["target"]
    url = target["base_url"] + ("" if target["mode"] in ("live", "record") else " (as recorded)")
    yield f"target: mode={target['mode']} base-url={url} api-version={target['api_version']}"
    notes = sorted({item["note"] for item in report.get("evidence", ()) if item.get("note")})
    yield from (f"note: {note}" for note in notes)
    yield from evidence_lines(report, SKIPS_SHOWN if limit is None else 0)
    yield from _baseline_lines(report.get("baseline"))
    yield from _group_lines(report, limit, more)


def write_report(report: dict[str, Any], path: Path) -> None:
    """Write atomically: a reader never sees half a report."""
    from pytest_signcheck.report.markdown import render_markdown  # it imports this module's helpers

    text = (
        render_markdown(report) if path.suffix == ".md" else json.dumps(report, indent=2, ensure_ascii=False)
    )
    atomic_write(path, text + ("" if text.endswith("\n") else "\n"))
