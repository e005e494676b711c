"""Runs one scenario in the configured mode: replay a cassette, record one, or just go live."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx

from pytest_signcheck._resources import data_dir
from pytest_signcheck.errors import CouldNotCheck
from pytest_signcheck.findings import Finding
from pytest_signcheck.settings import Settings
from pytest_signcheck.suite.context import ScenarioContext
from pytest_signcheck.suite.scenarios import SCENARIO_FUNCTIONS
from pytest_signcheck.traffic.cassettes import Cassette, load_cassette, save_cassette
from pytest_signcheck.traffic.transport import Client, RecordingTransport, ReplayTransport

__all__ = ["SCENARIOS", "ScenarioResult", "SuiteRunner"]

SCENARIOS: tuple[str, ...] = tuple(SCENARIO_FUNCTIONS)
_TIME = "%Y-%m-%dT%H:%M:%SZ"


@dataclass
class ScenarioResult:
    scenario: str
    findings: list[Finding] = field(default_factory=list)
    problem: str | None = None


def _parse_time(value: Any) -> datetime:
    try:
        return datetime.strptime(str(value), _TIME).replace(tzinfo=UTC)
    except ValueError:
        return datetime.now(UTC).replace(microsecond=0)


class SuiteRunner:
    """Knows the mode and where cassettes live; each `run` is one scenario with its own cassette."""

    def __init__(self, settings: Settings, transport_factory: Any = None) -> None:
        self.settings = settings
        self._transport_factory = transport_factory or (lambda: httpx.HTTPTransport(retries=1))

    def cassette_path(self, scenario: str) -> Path:
        """`<scenario>.yaml`, or `<scenario>.json` where only that exists (JSON loads ~4x faster)."""
        folder = self.settings.cassettes or Path(str(data_dir("cassettes")))
        yaml_path, json_path = folder / f"{scenario}.yaml", folder / f"{scenario}.json"
        return json_path if json_path.exists() and not yaml_path.exists() else yaml_path

    def run(self, scenario: str) -> ScenarioResult:
        """Run one scenario; a CouldNotCheck becomes `problem`, drift becomes `findings`."""
        try:
            if self.settings.mode == "replay":
                findings = self._replay(scenario)
            else:
                findings = self._live(scenario, record=self.settings.mode == "record")
        except CouldNotCheck as error:
            return ScenarioResult(scenario, problem=str(error))
        return ScenarioResult(scenario, findings)

    def _execute(self, scenario: str, client: Client, run_id: str, now: datetime) -> list[Finding]:
        ctx = ScenarioContext(client, self.settings.api_version, run_id, now)
        try:
            SCENARIO_FUNCTIONS[scenario](ctx)
        finally:
            ctx.cleanup()
            client.close()
        return ctx.findings

    def _replay(self, scenario: str) -> list[Finding]:
        cassette: Cassette = load_cassette(self.cassette_path(scenario))
        info = cassette.info
        base_url = str(info.get("base_url") or self.settings.base_url)
        client = Client(base_url, ReplayTransport(cassette), sleep=lambda _: None)
        run_id = str(info.get("run_id") or "replay")
        return self._execute(scenario, client, run_id, _parse_time(info.get("recorded_at")))

    def _live(self, scenario: str, *, record: bool) -> list[Finding]:
        inner = self._transport_factory()
        transport = RecordingTransport(inner, self.cassette_path(scenario).name) if record else inner
        client = Client(self.settings.base_url, transport, api_key=self.settings.api_key)
        run_id = uuid.uuid4().hex[:8]
        now = datetime.now(UTC).replace(microsecond=0)
        findings = self._execute(scenario, client, run_id, now)
        if isinstance(transport, RecordingTransport):
            metadata = {
                "signcheck": {
                    "scenario": scenario,
                    "recorded_at": now.strftime(_TIME),
                    "base_url": self.settings.base_url,
                    "api_version": self.settings.api_version,
                    "run_id": run_id,
                    "recorded_with": f"pytest-signcheck {version('pytest-signcheck')}",
                }
            }
            secrets = [self.settings.api_key] if self.settings.api_key else []
            save_cassette(self.cassette_path(scenario), transport.interactions, metadata, secrets)
        return findings
