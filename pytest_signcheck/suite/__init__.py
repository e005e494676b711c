"""The conformance suite that ``pytest --signcheck`` runs: scenarios, each with its own cassette."""

from __future__ import annotations

from pytest_signcheck.suite.runner import SCENARIOS, ScenarioResult, SuiteRunner

__all__ = ["SCENARIOS", "ScenarioResult", "SuiteRunner"]
