"""One drift, one finding group: a field renamed by the reference sandbox (live, every scenario, in this
process) is one `schema` group naming both names, not a missing field beside an undocumented one.

Issue 11's measure of a short report (at most 3 causes, median 1, under 60 lines) is asserted for every
drift switch in tests/test_suite_drifts.py, on the runs the drift matrix makes anyway.
"""

from __future__ import annotations

from typing import Any

from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.report.render import build_report
from pytest_signcheck.sandbox import SandboxConfig, running
from pytest_signcheck.settings import Settings
from pytest_signcheck.suite import SCENARIOS, SuiteRunner


def _live_report(*drifts: str) -> dict[str, Any]:
    """The report of every scenario run live against a sandbox with `drifts` switched on."""
    recorder = Recorder()
    with running(SandboxConfig(drifts=drifts)) as server:
        settings = Settings(enabled=True, mode="live", base_url=server.base_url, api_key=server.api_key)
        runner = SuiteRunner(settings)
        for scenario in SCENARIOS:
            result = runner.run(scenario)
            recorder.scenarios.append(scenario)
            recorder.add(result.findings)
            recorder.evidence.append(result.evidence)
            assert result.problem is None, result.problem
    return build_report(recorder, settings)


def test_a_renamed_field_is_exactly_one_group() -> None:
    report = _live_report("rename-signer-id")
    assert [(g["check"], g["pointer"]) for g in report["groups"]] == [("schema", "/signers/*/signerId")]
