"""The drift report in Markdown, for a pull request or a vendor ticket, bounded whatever the run found.

In reading order: the outcome, the target and where the evidence came from; the causes (one line each,
their fields in ``<details>``) and the counts by check and severity; one row per finding group, by
endpoint and check, its occurrences in ``<details>``; what could not be checked (before the causes in a
could-not-check report, and alone with a count of the findings when no response looked like the API);
the baseline's accepted, expired and stale entries; the groups the baseline accepted. Every list is
capped (`LIMITS`), the most important rows first, so no report runs much past 200 lines: the JSON report
keeps everything.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from typing import Any

from pytest_signcheck.findings import Severity, fold_pointer
from pytest_signcheck.report.causes import describe
from pytest_signcheck.report.render import (
    SKIPS_SHOWN,
    counts_text,
    entry_name,
    evidence_lines,
    judged,
    ranked,
    todo_line,
)

__all__ = ["LIMITS", "render_markdown"]

#: How many of each list a Markdown report shows; the rest is counted in a last line.
LIMITS = {"causes": 8, "groups": 80, "accepted": 20, "evidence": 10, "problems": 10, "baseline": 30}
_SOURCES = 5  # occurrences named per group, inside its <details>
_PLACES = 30  # fields named per cause, inside its <details>
_SEVERITIES = [severity.value for severity in Severity]


def _cell(text: str) -> str:
    """Plain text for a table cell or inline HTML: no markup, no line break, no column break."""
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|').replace(chr(10), ' ')}{pad}{fence}"


def _capped(lines: list[str], limit: int, what: str) -> list[str]:
    if len(lines) <= limit:
        return lines
    return [*lines[: limit - 1], f"- ... and {len(lines) - limit + 1} more {what}: see the JSON report"]


def _verdict(report: dict[str, Any]) -> str:
    summary, outcome = report["summary"], report["outcome"]
    if outcome == "could-not-check" and not judged(report):
        return "No response looked like the iinked Sign API: see *Could not check* below for what to fix."
    if outcome == "could-not-check":
        return "Part of the API could not be checked: see *Could not check* below."
    failing = sum(1 for group in report.get("groups", ()) if group["failing"])
    if outcome == "drift":
        causes = len(report.get("causes") or [])
        return f"{failing} group(s) of drift, from {causes} cause(s), fail the run."
    drift = summary["total"] - summary["accepted"]
    return (
        f"No drift fails the run ({drift} finding(s) that do not fail it are listed below)."
        if drift
        else ("Every checked response matched the documentation, or its drift is accepted by the baseline.")
    )


def _header(report: dict[str, Any]) -> list[str]:
    target = report["target"]
    recorded = "" if target["mode"] in ("live", "record") else " (as recorded)"
    lines = [
        "# signcheck drift report",
        "",
        f"**Outcome: {report['outcome']}.** {_verdict(report)} ({counts_text(report)})",
        "",
        f"**Target:** {target['mode']} against {_code(target['base_url'])}{recorded}, "
        f"API version {target['api_version']}; generated {report['generated_at']}.",
        "",
    ]
    notes = sorted({item["note"] for item in report.get("evidence") or () if item.get("note")})
    lines += [f"> {note[:1].upper()}{note[1:]}." for note in notes] + ([""] if notes else [])
    evidence = [_cell(line.removeprefix("evidence: ")) for line in evidence_lines(report, SKIPS_SHOWN)]
    if len(evidence) == 1:
        lines += [f"**Evidence:** {evidence[0]}.", ""]
    elif evidence:
        bullets = [f"- {line}" for line in evidence]
        lines += ["**Evidence:**", "", *_capped(bullets, LIMITS["evidence"], "sources"), ""]
    return lines


def _fields(cause: dict[str, Any]) -> str:
    """Where the cause was seen, by endpoint, inside <details> (at most `_PLACES` fields)."""
    by_endpoint: dict[str, list[str]] = {}
    for place in cause["places"][:_PLACES]:
        by_endpoint.setdefault(place["endpoint"], []).append(_code(place["pointer"] or "/"))
    text = "<br>".join(f"{_cell(endpoint)}: {', '.join(ptrs)}" for endpoint, ptrs in by_endpoint.items())
    more = len(cause["places"]) - _PLACES
    return f"<details><summary>where</summary>{text}{f'<br>and {more} more' if more > 0 else ''}</details>"


def _counts_table(groups: list[dict[str, Any]]) -> list[str]:
    counts: dict[str, Counter[str]] = {}
    for group in groups:
        row = counts.setdefault(group["check"], Counter())
        row[group["severity"]] += group["count"]
        row["groups"] += 1
    columns = [*_SEVERITIES, "groups"]
    lines = ["| check | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [
        f"| `{check}` | " + " | ".join(str(row[c]) for c in columns) + " |" for check, row in counts.items()
    ]
    total = sum(counts.values(), Counter())
    return [*lines, "| **total** | " + " | ".join(str(total[c]) for c in columns) + " |", ""]


def _summary(report: dict[str, Any]) -> list[str]:
    groups = report.get("groups") or []
    if not groups:
        return []
    causes = [f"- {describe(cause, _code)} {_fields(cause)}" for cause in report.get("causes") or []]
    lines = ["## Summary", ""]
    if causes:
        lines += [*_capped(causes, LIMITS["causes"], "causes"), ""]
    return lines + _counts_table(groups)


def _occurrences(group: dict[str, Any], findings: list[dict[str, Any]]) -> str:
    times = str(group["count"])
    if group["occurrences"] > group["count"]:
        times += f" ({group['occurrences']})"
    sources = Counter(fold_pointer(item["source"]) or "unknown source" for item in findings)
    named = [_cell(source) + (f" ×{n}" if n > 1 else "") for source, n in sources.most_common(_SOURCES)]
    if len(sources) > _SOURCES:
        named.append(f"and {len(sources) - _SOURCES} more")
    if findings and findings[0]["source"] not in sources:  # ids folded: name one response for real
        named.append(f"e.g. {_cell(group['example']['source'])}")
    reasons = {str(item.get("accepted_reason") or "") for item in findings} - {""}
    why = [f"accepted: {_cell(reason)}" for reason in sorted(reasons)]
    body = "<br>".join([_cell(group["example"]["message"]), *why, "seen in " + ", ".join(named)])
    return f"<details><summary>{times}</summary>{body}<br>fingerprint {_code(group['fingerprint'])}</details>"


def _group_rows(
    groups: list[dict[str, Any]], findings: dict[str, list[dict[str, Any]]], limit: int
) -> list[str]:
    shown = ranked(groups)[:limit]
    shown.sort(key=lambda g: (g["endpoint"], g["check"], Severity(g["severity"]).rank, g["pointer"]))
    lines = [
        "| endpoint | check | severity | pointer | expected | example | findings (occurrences) |",
        "|---|---|---|---|---|---|---|",
    ]
    for group in shown:
        cells = [_cell(group["endpoint"]), f"`{group['check']}`", group["severity"]]
        cells += [_code(group["pointer"] or "/"), _cell(group["expected"]), _code(group["example"]["value"])]
        lines.append("| " + " | ".join([*cells, _occurrences(group, findings[group["fingerprint"]])]) + " |")
    if len(groups) > limit:
        lines.append(f"| ... | {len(groups) - limit} more group(s): see the JSON report | | | | | |")
    return [*lines, ""]


def _by_fingerprint(items: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        found.setdefault(item["fingerprint"], []).append(item)
    return found


def _no_findings(report: dict[str, Any]) -> str:
    checked = report["summary"].get("responses", 0)
    if report["outcome"] != "pass":
        return "None among the responses that could be checked; see *Could not check* above."
    if checked:
        return f"None: every one of the {checked} checked responses matched the documentation."
    return "None: every response matched the documentation."


def _findings(report: dict[str, Any]) -> list[str]:
    groups = report.get("groups") or []
    findings = _by_fingerprint(report["findings"])
    drift = [group for group in groups if group["accepted"] < group["count"]]
    accepted = [group for group in groups if group["accepted"] == group["count"]]
    lines = ["## Findings", ""]
    lines += _group_rows(drift, findings, LIMITS["groups"]) if drift else [_no_findings(report), ""]
    if accepted:
        lines += ["## Accepted by the baseline", "", *_group_rows(accepted, findings, LIMITS["accepted"])]
    return lines


def _problems(report: dict[str, Any]) -> list[str]:
    if not report["problems"]:
        return []
    items = [f"- **{_cell(p['scenario'])}**: {_cell(p['reason'])}" for p in report["problems"]]
    return ["## Could not check", "", *_capped(items, LIMITS["problems"], "problems"), ""]


def _entry(status: str, entry: dict[str, Any]) -> str:
    expires = entry.get("expires")
    state = {
        "accepted": f"accepts {entry['matched']} finding(s)" + (f", until {expires}" if expires else ""),
        "expired": f"expired on {expires}: its {entry['matched']} finding(s) fail again",
        "stale": "stale: it matched nothing in this run",
        "not_exercised": "not exercised: no scenario of this run checked its endpoint",
    }[status]
    return f"- entry {entry['entry']} ({state}): {_cell(entry_name(entry))}"


def _baseline(baseline: dict[str, Any] | None) -> list[str]:
    if not baseline:
        return []
    statuses = ("expired", "accepted", "stale", "not_exercised")
    entries = [_entry(status, e) for status in statuses for e in baseline.get(status, ())]
    todo = todo_line(baseline)
    head = [f"## Baseline `{baseline['path']}`", "", *([f"**{todo}.**", ""] if todo else [])]
    return [*head, *_capped(entries, LIMITS["baseline"], "entries"), ""]


def _unjudged(report: dict[str, Any]) -> list[str]:
    """In place of the findings of a run in which no response looked like the API: only their count."""
    count = len(report["findings"])
    return ["## Findings", "", f"{count} finding(s), not judged as drift: the JSON report keeps them.", ""]


def render_markdown(report: dict[str, Any]) -> str:
    """What could not be checked leads a could-not-check report; findings not judged are only counted."""
    if not judged(report):
        lines = _header(report) + _problems(report) + _unjudged(report)
    elif report["outcome"] == "could-not-check":
        lines = _header(report) + _problems(report) + _summary(report) + _findings(report)
    else:
        lines = _header(report) + _summary(report) + _problems(report) + _findings(report)
    lines += _baseline(report.get("baseline"))
    return "\n".join(lines).rstrip("\n") + "\n"
