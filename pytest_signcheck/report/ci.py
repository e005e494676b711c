"""What CI services read: GitHub Actions annotations and job summary, and JUnit test cases.

- `github_annotations`: under GitHub Actions (``GITHUB_ACTIONS=true``), one ``::error`` per thing the
  run could not check (so a step that fails with exit 10 says why), one per breaking group of drift
  and one ``::warning`` per additive one (groups a baseline accepted, and info, get none), the most
  important first. GitHub shows at most 10 of each level per step, so past 10 the tenth says how many
  more there are.
- `append_step_summary`: the Markdown report appended to the file ``$GITHUB_STEP_SUMMARY`` names.
- `junit_cases`: one JUnit test case per (endpoint, check) whose findings fail the run, so a CI
  dashboard shows which contract broke; its failure text lists the groups.

Nothing here knows pytest: the plugin turns `junit_cases` into pytest's JUnit XML, `cli.py` prints the
annotations of an audit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pytest_signcheck._atomic import utf8_text
from pytest_signcheck.report.markdown import render_markdown
from pytest_signcheck.report.render import group_line, ranked

__all__ = ["ANNOTATIONS_SHOWN", "append_step_summary", "github_annotations", "junit_cases", "on_github"]

#: How many annotations of one level GitHub shows per step.
ANNOTATIONS_SHOWN = 10
#: The title of the ``::error`` for each thing a run or an audit could not check.
PROBLEM_TITLE = "signcheck could not check"
_LEVELS = {"breaking": "error", "additive": "warning"}


def on_github(environ: Mapping[str, str]) -> bool:
    return environ.get("GITHUB_ACTIONS") == "true"


def _escape(text: str, *, prop: bool = False) -> str:
    """GitHub's workflow-command escaping: %, CR and LF everywhere; `:` and `,` in properties too."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _annotation(level: str, title: str, message: str) -> str:
    return f"::{level} title={_escape(title, prop=True)}::{_escape(message)}"


def _group_annotation(level: str, group: dict[str, Any]) -> str:
    title = f"signcheck {group['check']}: {group['endpoint']} {group['pointer'] or '/'}"
    example = group["example"]
    seen = f"{group['count']} findings, e.g. " if group["count"] > 1 else ""
    where = f"{seen}in {example['source']}; " if example["source"] else ""
    return _annotation(level, title, f"{example['message']} ({where}fingerprint {group['fingerprint']})")


def _problem_annotation(problem: dict[str, Any]) -> str:
    return _annotation("error", PROBLEM_TITLE, f"{problem['scenario']}: {problem['reason']}")


def _capped(level: str, annotations: list[str], what: str) -> Iterator[str]:
    """`annotations`, but past what GitHub shows the last one shown says how many more there are."""
    if len(annotations) <= ANNOTATIONS_SHOWN:
        yield from annotations
        return
    yield from annotations[: ANNOTATIONS_SHOWN - 1]
    more = len(annotations) - ANNOTATIONS_SHOWN + 1
    yield _annotation(level, f"signcheck: {more} more {what}", "See the job summary or the signcheck report.")


def github_annotations(report: dict[str, Any]) -> Iterator[str]:
    """The workflow commands that annotate a GitHub Actions run: what could not be checked, then the
    drift. Problems and breaking groups are both errors, so they share GitHub's 10 of that level."""
    drift = [group for group in ranked(report.get("groups") or []) if group["accepted"] < group["count"]]
    problems = [_problem_annotation(problem) for problem in report.get("problems") or []]
    for severity, level in _LEVELS.items():
        groups = [_group_annotation(level, g) for g in drift if g["severity"] == severity]
        if level == "error" and problems:
            yield from _capped(level, problems + groups, "problem(s) or breaking group(s)")
        else:
            yield from _capped(level, groups, f"{severity} group(s)")


def append_step_summary(report: dict[str, Any], path: Path) -> str:
    """Append the Markdown report to GitHub's job summary file; what was done, in words."""
    with path.open("a", encoding="utf-8") as summary:
        summary.write(utf8_text(render_markdown(report)) + "\n")
    return f"signcheck report appended to the job summary ({path})"


def junit_cases(report: dict[str, Any]) -> list[dict[str, str]]:
    """One case per (endpoint, check) with findings that fail the run: its endpoint, check, a one-line
    message and the failure text (one line per group)."""
    cases: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for group in ranked(report.get("groups") or []):
        if group["failing"]:
            cases.setdefault((group["endpoint"], group["check"]), []).append(group)
    return [
        {
            "endpoint": endpoint,
            "check": check,
            "message": f"{sum(g['failing'] for g in groups)} finding(s) in {len(groups)} group(s) fail the "
            f"run: {groups[0]['example']['message']}",
            "text": "\n".join(
                f"- {group_line(group)} fingerprint {group['fingerprint']}" for group in groups
            ),
        }
        for (endpoint, check), groups in sorted(cases.items())
    ]
