"""Fixtures for the suite's own tests: the conformance scenarios run in the test process, live over real
HTTP against a reference sandbox on 127.0.0.1 (`SuiteRunner`, as `pytest --signcheck` runs them).

- `live_settings(server, **options)`: live `Settings` for a running sandbox;
- `run_suite(server, *scenarios, **options)`: each scenario's `ScenarioResult` (all of them by default).

Helpers are fixtures, not an imported module, so these tests collect under any --import-mode.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pytest_signcheck.sandbox import SandboxServer
from pytest_signcheck.settings import Settings
from pytest_signcheck.suite import SCENARIOS, ScenarioResult, SuiteRunner


def _live_settings(server: SandboxServer, **options: Any) -> Settings:
    options.setdefault("webhook_timeout", 5.0)  # a clean sandbox delivers at once; never wait long
    return Settings(enabled=True, mode="live", base_url=server.base_url, api_key=server.api_key, **options)


def _run_suite(server: SandboxServer, *scenarios: str, **options: Any) -> dict[str, ScenarioResult]:
    factories = {key: options.pop(key) for key in ("transport_factory", "inbox_factory") if key in options}
    runner = SuiteRunner(_live_settings(server, **options), **factories)
    return {scenario: runner.run(scenario) for scenario in scenarios or SCENARIOS}


@pytest.fixture(scope="session")
def live_settings() -> Callable[..., Settings]:
    """``live_settings(server, **options)``: live `Settings` against a running sandbox."""
    return _live_settings


@pytest.fixture(scope="session")
def run_suite() -> Callable[..., dict[str, ScenarioResult]]:
    """``run_suite(server, *scenarios, transport_factory=..., inbox_factory=..., **settings)``: each
    scenario's result, by name (every scenario when none is named)."""
    return _run_suite
