"""The bundled conformance suite, collected by ``pytest --signcheck``: one test per scenario."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_signcheck.suite import SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_signcheck(scenario: str, signcheck_scenario: Any) -> None:
    """Run one conformance scenario; fails with a readable list of the findings that fail the run."""
    signcheck_scenario(scenario)
