"""The files a run leaves behind: its reports, a baseline to commit, and GitHub's job summary.

Shared by `pytest --signcheck` and `signcheck audit`, so both write the same things the same way.
Each write says what it did, or why it could not (paths are checked before the run: a failure here
is a disk that filled or a folder that went).
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


def _baseline_to(recorder: Recorder, baseline: Baseline | None, path: Path) -> str:
    from pytest_signcheck.report.baseline import write_baseline

    total, new = write_baseline(recorder.findings, path, baseline)
    return f"signcheck baseline written to {path}: {total} entries, {new} new with reason: TODO"


def _summary_to(report: dict[str, Any], path: Path) -> str:
    from pytest_signcheck.report.ci import append_step_summary

    return append_step_summary(report, path)


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
) -> list[tuple[str, str]]:
    """Write the reports and the baseline asked for, and append the Markdown report to the file
    ``$GITHUB_STEP_SUMMARY`` names: per write, (what was written, "") or ("", why it was not)."""
    writes = [partial(_report_to, report, path) for path in settings.reports]
    if settings.write_baseline is not None:
        writes.append(partial(_baseline_to, recorder, baseline, settings.write_baseline))
    if environ.get("GITHUB_STEP_SUMMARY"):
        writes.append(partial(_summary_to, report, Path(environ["GITHUB_STEP_SUMMARY"])))
    return [_attempt(write) for write in writes]
