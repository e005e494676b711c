"""Running signcheck as a user does, for the verdict tests: `pytest --signcheck` and the `signcheck` command.

Both check what every run must hold: no traceback, and an exit code that agrees with the report.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pytest_signcheck.report.build import EXIT_STATUS


def run_signcheck(tester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, Any]]:
    """`pytest --signcheck --signcheck-report report.json ARGS` in a subprocess: its result and report."""
    result = tester.runpytest_subprocess("--signcheck", "--signcheck-report", "report.json", *args)
    path = tester.path / "report.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    if report and result.ret in (0, 1, 10) and "test_mine.py" not in args:  # own tests may fail beside it
        assert EXIT_STATUS[report["outcome"]] == result.ret, "the exit code contradicts the report"
    return result, report


def run_live(tester: pytest.Pytester, url: str, *args: str) -> tuple[pytest.RunResult, dict[str, Any]]:
    """`run_signcheck` in live mode against `url`."""
    return run_signcheck(tester, "--signcheck-mode", "live", "--signcheck-base-url", url, *args)


def run_record(tester: pytest.Pytester, url: str, *args: str) -> tuple[pytest.RunResult, dict[str, Any]]:
    """`run_signcheck` recording from `url` into ./tapes."""
    return run_signcheck(
        tester,
        "--signcheck-mode",
        "record",
        "--signcheck-base-url",
        url,
        "--signcheck-cassettes",
        "tapes",
        *args,
    )


def signcheck_cli(cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """`signcheck ARGS` in a subprocess."""
    command = [sys.executable, "-m", "pytest_signcheck.cli", *map(str, args)]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result
