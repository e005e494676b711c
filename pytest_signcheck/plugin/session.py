"""The end of a run, for pytest's other outputs: what stopped a run before its verdict (Ctrl-C, an
internal error) and what its scenario left on the API; the JUnit cases the report adds."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest

from pytest_signcheck.plugin.keys import PLANNED_KEY, RECORDER_KEY, STOPPED_KEY, SUITE_PATH

if TYPE_CHECKING:
    from pytest_signcheck.suite.context import LeftBehind


class Interruptions:
    """Keeps what an interrupt says, for the report: how it came, and what its scenario may have left
    on the API. Registered only for a `--signcheck` run."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        from pytest_signcheck.suite.context import LEFT_BEHIND, LeftBehind

        how = f"pytest.exit: {excinfo.value}" if excinfo.typename == "Exit" else "Ctrl-C"
        left = getattr(excinfo.value, LEFT_BEHIND, None)
        if isinstance(left, LeftBehind):
            how += "; " + _left_behind(left)
        self.config.stash[STOPPED_KEY] = how


def _left_behind(left: LeftBehind) -> str:
    if left.packages:
        return left.undeleted(
            "a second Ctrl-C stopped the interrupted scenario's cleanup (or the API did not answer a delete)"
        )
    return (
        f"the interrupted scenario deleted the packages it created, named {left.name}; one whose add was "
        "being answered at the Ctrl-C may be left under that name"
    )


def stopped(session: pytest.Session, exitstatus: int) -> dict[str, str] | None:
    """The problem of a run that stopped before its verdict (interrupted, internal error), else None."""
    if exitstatus not in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.INTERNAL_ERROR):
        return None
    recorder = session.config.stash[RECORDER_KEY]
    planned = sum(1 for item in session.items if item.path == SUITE_PATH) or session.config.stash.get(
        PLANNED_KEY, 0
    )
    ran = f"{len(recorder.scenarios)} of {planned}" if planned else str(len(recorder.scenarios))
    counted = f"after {ran} scenario(s) ran to the end: nothing is known of the others"
    if exitstatus == pytest.ExitCode.INTERNAL_ERROR:
        return {"kind": "internal-error", "reason": f"pytest stopped with an internal error {counted}"}
    how = session.config.stash.get(STOPPED_KEY, "interrupted")
    return {"kind": "interrupted", "reason": f"the run was interrupted ({how}) {counted}"}


class _Failure:
    """A failure for pytest's JUnit XML: a one-line `reprcrash.message` and the full text."""

    def __init__(self, message: str, text: str) -> None:
        self.reprcrash = SimpleNamespace(message=message)
        self.text = text

    def __str__(self) -> str:
        return self.text


def add_junit_cases(config: pytest.Config, report: dict[str, Any]) -> None:
    """One JUnit test case per (endpoint, check) that fails the run, in pytest's own --junitxml file:
    classname ``signcheck.<endpoint>``, name ``<check>``, the findings as its failure text."""
    try:
        from _pytest.junitxml import xml_key  # pytest's JUnit writer (not public API: guarded)
    except ImportError:  # pragma: no cover - a pytest that moved it: the scenarios' own cases remain
        return
    xml = config.stash.get(xml_key, None)
    if xml is None:
        return
    from pytest_signcheck.report.ci import junit_cases

    for case in junit_cases(report):
        nodeid = f"signcheck::{case['endpoint']}::{case['check']}"
        location = ("signcheck", None, f"{case['endpoint']} {case['check']}")
        failure: Any = _Failure(case["message"], case["text"])
        xml.pytest_runtest_logreport(pytest.TestReport(nodeid, location, {}, "failed", failure, "call"))
        xml.pytest_runtest_logreport(pytest.TestReport(nodeid, location, {}, "passed", None, "teardown"))
