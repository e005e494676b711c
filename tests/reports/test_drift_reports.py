"""Issue 11's measure of a report people act on: for a drift switch of the reference sandbox run alone,
live, the Markdown report's summary names at most 3 causes (the median switch, 1), and the whole
report stays under 60 lines.

The suite runs in this process (`SuiteRunner`, live over real HTTP on 127.0.0.1) against one sandbox per
switch, as tests/test_suite_drifts.py does, and the report is built and rendered as `pytest --signcheck`
builds and renders it. The sample (eight of the 22 switches the suite exercises, about 0.7 s each):
every check id, the issue's own example (`timestamp-us-format`: 385 findings in a 261-row table
before), and the switches whose one drift the checks still report under two ids (link expiries;
`integrity` beside `type-enum` and `state-enum`; a rename), the hardest to summarise.
"""

from __future__ import annotations

import statistics
from functools import cache
from itertools import takewhile
from typing import Any

from pytest_signcheck.report.markdown import render_markdown
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.report.render import build_report
from pytest_signcheck.sandbox import SandboxConfig, running
from pytest_signcheck.settings import Settings
from pytest_signcheck.suite import SCENARIOS, SuiteRunner

SAMPLE = (
    "timestamp-us-format",  # timestamp, and signer-links for link expiries
    "rename-signer-id",  # schema and undocumented-field
    "state-capitalised",  # state-enum, and integrity
    "live-session-underscore",  # type-enum, and integrity
    "total-off-by-one",  # pagination
    "states-filter-ignored",  # filters
    "token-mismatch",  # signer-links
    "html-errors",  # http
)


@cache  # the rename test reads the sample's report when it runs in the same process
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


def _summary_causes(markdown: str) -> list[str]:
    """The causes the Markdown summary names: its bullet lines, right under `## Summary`."""
    lines = markdown.splitlines()
    return list(takewhile(lambda line: line.startswith("- "), lines[lines.index("## Summary") + 2 :]))


def test_a_drift_switch_alone_reads_as_few_causes_in_a_short_report() -> None:
    measured: dict[str, tuple[int, int, int]] = {}
    for drift in SAMPLE:
        report = _live_report(drift)
        markdown = render_markdown(report)
        measured[drift] = (
            len(_summary_causes(markdown)),
            len(markdown.splitlines()),
            len(report["findings"]),
        )
    table = "\n".join(f"{d}: {c} cause(s), {n} lines, {f} findings" for d, (c, n, f) in measured.items())
    assert all(causes <= 3 for causes, _, _ in measured.values()), table
    assert statistics.median(causes for causes, _, _ in measured.values()) == 1, table
    assert all(lines < 60 for _, lines, _ in measured.values()), table
    assert all(findings > 0 for _, _, findings in measured.values()), table  # each switch did drift


def test_a_renamed_field_is_exactly_one_group() -> None:
    report = _live_report("rename-signer-id")
    assert [(g["check"], g["pointer"]) for g in report["groups"]] == [("schema", "/signers/*/signerId")]
