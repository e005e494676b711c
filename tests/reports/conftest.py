"""Fixtures for the report tests: the `signcheck` command as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _signcheck_cli(cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest_signcheck.cli", *map(str, args)]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


@pytest.fixture(scope="session")
def signcheck_cli() -> object:
    """``signcheck_cli(cwd, *args)``: ``signcheck args`` run in `cwd`, in a child process (its exit
    status and output are the subject), with this process's environment."""
    return _signcheck_cli
