"""What the plugin's modules share: pytest stash keys, and where and under what id the suite is."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the keys' type arguments; every pytest run imports this module
    from pytest_signcheck.report.baseline import Baseline  # noqa: F401
    from pytest_signcheck.report.recorder import Recorder  # noqa: F401
    from pytest_signcheck.settings import Settings  # noqa: F401

SETTINGS_KEY = pytest.StashKey["Settings"]()
RECORDER_KEY = pytest.StashKey["Recorder"]()
BASELINE_KEY = pytest.StashKey["Baseline"]()
#: The entries --signcheck-write-baseline keeps: the file it replaces, else the baseline the run used.
KEEP_KEY = pytest.StashKey["Baseline | None"]()
REPORT_KEY = pytest.StashKey[dict[str, Any]]()
WRITTEN_KEY = pytest.StashKey[list[tuple[str, str]]]()
#: How the run was stopped (Ctrl-C, pytest.exit) and what the interrupted scenario left, for the report.
STOPPED_KEY = pytest.StashKey[str]()
#: The xdist workers whose findings the controller merged (by gateway id: a replaced worker gets a new one).
MERGED_KEY = pytest.StashKey[set[str]]()
#: How many scenarios the xdist workers collected: the controller, which collects nothing, counts them.
PLANNED_KEY = pytest.StashKey[int]()
SUITE_PATH = Path(__file__).resolve().parent.parent / "suite" / "test_conformance.py"
SUITE_ID = "signcheck"
"""The suite module's test id: its scenarios are ``signcheck::test_signcheck[<scenario>]``."""
#: The key under which an xdist worker sends its findings to the controller.
WIRE = "signcheck"
