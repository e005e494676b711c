"""The bundled conformance suite, collected by ``pytest --signcheck``: one test per scenario."""

from __future__ import annotations

from typing import Any


def test_signcheck(scenario: str, signcheck_scenario: Any) -> None:
    """Run one conformance scenario; fails with a readable list of the findings that fail the run.

    The plugin's `pytest_generate_tests` gives `scenario`: every scenario of the suite, and ``explore``
    under ``--signcheck-explore N``.
    """
    signcheck_scenario(scenario)
