"""The report as data, and the verdict: one outcome and the exit status that always agrees with it.

The JSON shape is a contract, extended only by adding keys: ``{"signcheck_report": 1, "outcome",
"target", "summary", "problems", "findings", "groups", "causes", "evidence", "baseline", ...}``;
``schemas/report.json`` describes it. Renderings live in `render`; nothing here formats text for
people beyond the problem it states and each cause's one-line `summary`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from pytest_signcheck.findings import Finding, summarize
from pytest_signcheck.report.causes import find_causes
from pytest_signcheck.report.groups import group_findings
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.settings import EXIT_COULD_NOT_CHECK, Settings

if TYPE_CHECKING:  # a run without a baseline never loads its module
    from pytest_signcheck.report.baseline import Baseline

__all__ = [
    "EXIT_STATUS",
    "REPORT_VERSION",
    "UNLIKE_THE_API",
    "build_report",
    "outcome_exit_status",
    "sorted_findings",
    "unlike_the_api",
]

REPORT_VERSION = 1
#: The exit status of each outcome, for `pytest --signcheck`, `signcheck audit` and `signcheck diff`.
EXIT_STATUS = {"pass": 0, "drift": 1, "could-not-check": EXIT_COULD_NOT_CHECK}
#: The `kind` of the problem of a run in which no response looked like the API: its findings are kept in
#: the report, but not judged as drift.
UNLIKE_THE_API = "unlike-the-api"


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.severity.rank, f.check, f.endpoint, f.pointer, f.source))


def unlike_the_api(evidence: list[dict[str, Any]], settings: Settings, mode: str) -> str | None:
    """Why the run's responses are not the API's at all (None when some response looked like it)."""
    responses = sum(int(item.get("responses") or 0) for item in evidence)
    if not responses or any(int(item.get("api_like") or 0) for item in evidence):
        return None
    where = (
        f"check --signcheck-base-url (now {settings.base_url}): it should be the API root, ending in /api/v1"
        if mode in ("live", "record")
        else "the recording was made against something else than the API: re-record it against the "
        "right --signcheck-base-url"
    )
    return (
        f"none of the {responses} responses looked like the iinked Sign API (none was JSON, or every one "
        f"was a 404 without the documented error body). That is a wrong address, not vendor drift: {where}"
    )


def _nothing_checked(recorder: Recorder) -> bool:
    if not recorder.scenarios:
        return True  # a run in which no scenario ran (or no file was audited) checked nothing
    return bool(recorder.evidence) and not any(item.get("responses") for item in recorder.evidence)


#: Why an audit leaves out an interaction at an endpoint the docs do not name (`skipped_interactions`).
UNDOCUMENTED = "not a documented endpoint"


def _nothing_checked_problem(recorder: Recorder, mode: str) -> dict[str, str]:
    if mode != "audit":
        return {"scenario": "run", "reason": "nothing was checked: no scenario of the suite ran"}
    files = len(recorder.evidence)
    others = sum(1 for item in recorder.evidence if item.get("skipped_file"))
    skipped = sum(int(item.get("skipped") or 0) for item in recorder.evidence)
    unreadable = [
        skip["reason"]
        for item in recorder.evidence
        for skip in item.get("skipped_interactions") or ()
        if skip.get("reason") != UNDOCUMENTED
    ]
    why = f"; {len(unreadable)} with a body that could not be read: {unreadable[0]}" if unreadable else ""
    return {
        "scenario": "audit",
        "reason": f"nothing was checked: of {files} file(s), {others} were not vcrpy cassettes and the "
        f"cassettes held no readable interaction with a documented iinked Sign endpoint ({skipped} "
        f"skipped{why}). Audit cassettes recorded against the iinked Sign API (…/api/v1/packages/..., "
        "/files/upload).",
    }


def _outcome(failing: int, recorder: Recorder, doubt: bool) -> str:
    """Confirmed drift outranks could-not-check, unless nothing in the run looked like the API or the
    run stopped before its verdict (`doubt`): then it is could-not-check, never pass nor drift."""
    if doubt:
        return "could-not-check"
    if failing:
        return "drift"
    if recorder.problems or _nothing_checked(recorder):
        return "could-not-check"
    return "pass"


def _target(settings: Settings, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    recorded = sorted({str(item["base_url"]) for item in evidence if item.get("base_url")})
    base_url = settings.base_url if settings.uses_network else ", ".join(recorded) or "unknown"
    return {
        "mode": settings.mode,
        "base_url": base_url,
        "api_version": settings.api_version,
        "cassettes": str(settings.cassettes) if settings.cassettes else "shipped",
    }


def _finding_dicts(
    findings: list[Finding], settings: Settings, baseline: Baseline | None, today: date, judged: bool
) -> list[dict[str, Any]]:
    """Each finding as JSON, with whether a baseline accepted it (and why) and whether it fails the run:
    none does when the run is not `judged` (no response looked like the API)."""
    items = []
    for finding in findings:
        entry = baseline.accepting(finding, today) if baseline else None
        item: dict[str, Any] = {**finding.to_dict(), "accepted": entry is not None}
        if entry is not None:
            item["accepted_reason"] = entry.reason
        item["failing"] = judged and entry is None and finding.fails(settings.fail_on)
        items.append(item)
    return items


def _summary(
    findings: list[Finding], items: list[dict[str, Any]], groups: int, evidence: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        **summarize(findings),
        "total": len(findings),
        "groups": groups,
        "occurrences": sum(finding.occurrences for finding in findings),
        "failing": sum(1 for item in items if item["failing"]),
        "accepted": sum(1 for item in items if item["accepted"]),
        "responses": sum(int(item.get("responses") or 0) for item in evidence),
        "api_like": sum(int(item.get("api_like") or 0) for item in evidence),
        "requests": sum(int(item.get("requests") or 0) for item in evidence),
        "waited_s": round(sum(float(item.get("waited_s") or 0) for item in evidence), 3),
    }


def _problems(
    recorder: Recorder, untrusted: str | None, stopped: dict[str, str] | None, failing: int, mode: str
) -> list[dict[str, str]]:
    problems = list(recorder.problems)
    if untrusted:
        problems.append({"scenario": "run", "kind": UNLIKE_THE_API, "reason": untrusted})
    if stopped:
        problems.append({"scenario": "run", **stopped})
    if not problems and not failing and _nothing_checked(recorder):
        problems.append(_nothing_checked_problem(recorder, mode))
    return problems


def build_report(
    recorder: Recorder,
    settings: Settings,
    baseline: Baseline | None = None,
    today: date | None = None,
    mode: str | None = None,
    stopped: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The run's report as plain JSON data; `outcome` is the verdict the exit status follows.

    `stopped` is the problem of a run that stopped before its verdict (``{"kind": "interrupted",
    "reason": ...}``): its outcome is could-not-check, whatever it found so far. When no response looked
    like the API, the findings are kept but not judged: none fails the run, none makes a cause.
    """
    today = today or datetime.now(UTC).date()
    mode = mode or settings.mode
    findings = sorted_findings(recorder.findings)
    untrusted = unlike_the_api(recorder.evidence, settings, mode)
    items = _finding_dicts(findings, settings, baseline, today, judged=untrusted is None)
    groups = group_findings((f, i["accepted"], i["failing"]) for f, i in zip(findings, items, strict=True))
    summary = _summary(findings, items, len(groups), recorder.evidence)
    problems = _problems(recorder, untrusted, stopped, summary["failing"], mode)
    return {
        "signcheck_report": REPORT_VERSION,
        "outcome": _outcome(summary["failing"], recorder, untrusted is not None or stopped is not None),
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "target": {**_target(settings, recorder.evidence), "mode": mode},
        "fail_on": settings.fail_on,
        "summary": {**summary, "could_not_check": len(problems)},
        "scenarios": sorted(set(recorder.scenarios)),
        "problems": problems,
        "findings": items,
        "groups": [group.to_dict() for group in groups],
        "causes": [] if untrusted else find_causes(groups),
        "evidence": sorted(recorder.evidence, key=lambda e: (str(e.get("scenario")), str(e.get("source")))),
        "baseline": baseline.judge(findings, today) if baseline else None,
    }


def outcome_exit_status(
    report: dict[str, Any], exitstatus: int, testsfailed: int, suite_failures: int
) -> int:
    """The exit status of a pytest run: the outcome's (0, 1, 10), or 1 when the user's own tests failed.

    pytest's other codes (interrupted, internal error, usage error, no tests) stand: pytest knows best.
    """
    if exitstatus not in (0, 1):
        return exitstatus
    if testsfailed > suite_failures:
        return 1  # tests beside the suite failed: that is the user's failure, not the API's
    return EXIT_STATUS[report["outcome"]]
