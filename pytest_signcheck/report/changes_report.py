"""The diff of two recordings as a document: JSON for machines, Markdown for the vendor, terminal lines.

The JSON is a signcheck report (``"signcheck_report": 1``, ``"kind": "recordings-diff"``, described by
``schemas/report.json``) whose `outcome` agrees with the exit status: ``drift`` (1) when something
vanished or changed type, ``pass`` (0) otherwise, ``could-not-check`` (10) when either side held no
response to compare.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pytest_signcheck._atomic import atomic_write
from pytest_signcheck.report.build import REPORT_VERSION
from pytest_signcheck.report.changes import Change, compare
from pytest_signcheck.report.recordings import Profile

__all__ = ["MARKDOWN_ROWS", "changes_lines", "changes_markdown", "changes_report", "write_changes"]

#: Change rows a Markdown diff shows before "N more" (the JSON keeps every change).
MARKDOWN_ROWS = 150
_SIGNS = {"vanished": "-", "appeared": "+"}


def _side(profile: Profile, paths: Sequence[str]) -> dict[str, Any]:
    return {"paths": list(paths), **profile.describe()}


def _outcome(changes: list[Change], old: Profile, new: Profile) -> str:
    if not old.compared or not new.compared:
        return "could-not-check"
    return "drift" if any(change.breaking for change in changes) else "pass"


def changes_report(
    old: Profile, new: Profile, paths: tuple[Sequence[str], Sequence[str]], problems: list[dict[str, str]]
) -> dict[str, Any]:
    """The diff as plain JSON data: both sides, the changes, the endpoints not compared, what could not
    be read (`problems`: malformed cassettes), and the outcome."""
    changes, not_compared = compare(old, new)
    return {
        "signcheck_report": REPORT_VERSION,
        "kind": "recordings-diff",
        "outcome": "could-not-check" if problems else _outcome(changes, old, new),
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "old": _side(old, paths[0]),
        "new": _side(new, paths[1]),
        "summary": {
            "changes": len(changes),
            "breaking": sum(change.breaking for change in changes),
            "by_kind": dict(Counter(change.kind for change in changes)),
        },
        "changes": [change.to_dict() for change in changes],
        "not_compared": not_compared,
        "problems": problems,
    }


def _sign(kind: str) -> str:
    return next((sign for word, sign in _SIGNS.items() if kind.endswith(word)), "~")


def _counts(report: dict[str, Any]) -> str:
    summary = report["summary"]
    breaking = f"{summary['breaking']} of which break a client (vanished or changed type)"
    return f"{summary['changes']} change(s), {breaking}"


def _problem(report: dict[str, Any]) -> str:
    if report["problems"]:
        return "; ".join(f"{p['source']}: {p['reason']}" for p in report["problems"])
    empty = [side for side in ("old", "new") if not report[side]["responses"]]
    return (
        f"nothing to compare: the {' and '.join(empty)} recording held no response from a documented "
        "iinked Sign endpoint (give vcrpy cassettes, or folders of them, recorded against the API)"
    )


def _not_compared(item: dict[str, str]) -> str:
    if "request" not in item:
        return f"{item['endpoint']} was recorded in the {item['recorded_in']} recording only"
    asked = f"a request {item['request']}" if item["request"] else "a request without a body"
    return f"{item['endpoint']}: {asked} was asked in the {item['recorded_in']} recording only"


def changes_lines(report: dict[str, Any]) -> Iterator[str]:
    """For the terminal: per endpoint its changes, signed (- vanished, + appeared, ~ changed); a total."""
    endpoint = None
    for change in report["changes"]:
        if change["endpoint"] != endpoint:
            endpoint = change["endpoint"]
            yield endpoint
        yield f"  {_sign(change['kind'])} {change['text']}"
    for item in report["not_compared"]:
        yield f"not compared: {_not_compared(item)}"
    if report["outcome"] == "could-not-check":
        yield f"could not check: {_problem(report)}"
    yield f"{report['outcome']}: {_counts(report)}"


def _side_line(label: str, side: dict[str, Any]) -> str:
    paths = ", ".join(f"`{path}`" for path in side["paths"])
    return (
        f"- **{label}:** {paths}: {len(side['files'])} cassette(s), {side['responses']} response(s) "
        f"compared, {side['skipped']} skipped (other endpoints)"
    )


def _rows(changes: list[dict[str, Any]]) -> list[str]:
    lines = ["| endpoint | status | change | field | old | new |", "|---|---|---|---|---|---|"]
    for change in changes[:MARKDOWN_ROWS]:
        kind = change["kind"].replace("-", " ") + (" (breaking)" if change["breaking"] else "")
        pointer = f"`{change['pointer']}`" if change["pointer"] else ("body" if "field" in kind else "")
        note = f" ({change['note']})" if change["note"] else ""
        cells = [
            change["endpoint"],
            str(change["status"]),
            kind + note,
            pointer,
            change["old"],
            change["new"],
        ]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    if len(changes) > MARKDOWN_ROWS:
        lines.append(f"| ... | | {len(changes) - MARKDOWN_ROWS} more change(s): see the JSON diff | | | |")
    return lines


def changes_markdown(report: dict[str, Any]) -> str:
    """For the vendor: what the API returned differently, one row per change, breaking ones marked."""
    lines = [
        "# signcheck diff of two recordings",
        "",
        f"**Outcome: {report['outcome']}.** {_counts(report)}.",
    ]
    lines += ["", _side_line("Old", report["old"]), _side_line("New", report["new"]), ""]
    if report["outcome"] == "could-not-check":
        lines += [f"Could not check: {_problem(report)}.", ""]
    if report["changes"]:
        lines += ["## Changes", "", *_rows(report["changes"]), ""]
    elif report["outcome"] != "could-not-check":
        lines += [
            "No change: both recordings returned the same status codes, media types, fields, JSON types "
            "and enum-like values at every endpoint they share.",
            "",
        ]
    if report["not_compared"]:
        lines += ["## Not compared", ""]
        lines += [f"- {_not_compared(item)}" for item in report["not_compared"]]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_changes(report: dict[str, Any], path: Path) -> None:
    """Write the diff atomically: Markdown for a ``.md`` path, JSON otherwise."""
    text = (
        changes_markdown(report) if path.suffix == ".md" else json.dumps(report, indent=2, ensure_ascii=False)
    )
    atomic_write(path, text if text.endswith("\n") else text + "\n")
