"""The files a run leaves behind: its reports, a baseline to commit, and GitHub's job summary.

Shared by `pytest --signcheck` and `signcheck audit`, so both write the same things the same way.
Each write says what it did, or why it could not (paths are checked before the run: a failure here
is a disk that filled or a folder that went). The job summary is a courtesy the user did not ask for
by name: failing to append to it is a warning, never an error that changes the exit status.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.report.render import write_report
from pytest_signcheck.settings import Settings

if TYPE_CHECKING:  # a run without a baseline never loads its module
    from pytest_signcheck.report.baseline import Baseline

__all__ = ["write_outputs"]


def _report_to(report: dict[str, Any], path: Path) -> str:
    write_report(report, path)
    return f"signcheck report written to {path}"


def _baseline_to(report: dict[str, Any], recorder: Recorder, keep: Baseline | None, path: Path) -> str:
    """Write the baseline, keeping `keep`'s entries the run did not contradict; a run that could not
    check writes nothing, as its findings are not the whole answer."""
    if report["outcome"] == "could-not-check":
        return (
            f"signcheck baseline not written: this run could not check ({len(report['problems'])} "
            f"problem(s) above), so {path} is left as it was. Fix those and run again to write it"
        )
    from pytest_signcheck.report.baseline import write_baseline

    total, new = write_baseline(recorder.findings, path, keep)
    return f"signcheck baseline written to {path}: {total} entries, {new} new with reason: TODO"


def _summary_to(report: dict[str, Any], path: Path) -> str:
    """Append to the job summary; if that fails, a warning naming the variable and the error."""
    from pytest_signcheck.report.ci import append_step_summary

    try:
        return append_step_summary(report, path)
    except OSError as error:
        where = f"($GITHUB_STEP_SUMMARY={path}): {error}"
        return (
            f"signcheck: warning: could not append to the job summary {where}; the exit status is unchanged"
        )


def _attempt(write: Callable[[], str]) -> tuple[str, str]:
    try:
        return write(), ""
    except OSError as error:
        return "", f"signcheck: could not write: {error}"


def write_outputs(
    report: dict[str, Any],
    recorder: Recorder,
    settings: Settings,
    baseline: Baseline | None,
    environ: Mapping[str, str],
    *,
    keep: Baseline | None = None,
) -> list[tuple[str, str]]:
    """Write the reports and the baseline asked for, and append the Markdown report to the file
    ``$GITHUB_STEP_SUMMARY`` names: per write, (what was written, "") or ("", why it was not); a job
    summary that could not be appended to is (a warning, ""), as it must not change the exit status.

    The baseline written keeps the entries of `keep` (default: `baseline`) that the run did not find
    stale."""
    writes = [partial(_report_to, report, path) for path in settings.reports]
    if settings.write_baseline is not None:
        keep = keep if keep is not None else baseline
        writes.append(partial(_baseline_to, report, recorder, keep, settings.write_baseline))
    if environ.get("GITHUB_STEP_SUMMARY"):
        writes.append(partial(_summary_to, report, Path(environ["GITHUB_STEP_SUMMARY"])))
    return [_attempt(write) for write in writes]
