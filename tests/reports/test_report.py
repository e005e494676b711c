"""The drift report: its JSON contract, Markdown, terminal lines, outcome and exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_signcheck.findings import Finding, Severity
from pytest_signcheck.report.markdown import render_markdown
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.report.render import (
    build_report,
    outcome_exit_status,
    render_failure,
    render_terminal,
    write_report,
)
from pytest_signcheck.settings import EXIT_COULD_NOT_CHECK, Settings


def _finding(check: str = "type-enum", severity: Severity = Severity.BREAKING) -> Finding:
    return Finding(
        check=check,
        severity=severity,
        endpoint="GET /packages/{packageId}/status",
        pointer="/type",
        expected='"Sequential"',
        actual='"sequential"',
        message="type 'sequential' is not documented; the constant is 'Sequential' (exact case)",
        source="add-and-status.yaml#4",
    )


def _recorder(*findings: Finding, problems: int = 0) -> Recorder:
    recorder = Recorder(findings=list(findings), scenarios=["list"])
    for n in range(problems):
        recorder.could_not_check(f"s{n}", "host unreachable")
    return recorder


def test_report_json_contract() -> None:
    report = build_report(
        _recorder(_finding(), _finding("undocumented-field", Severity.ADDITIVE)), Settings()
    )
    assert report["signcheck_report"] == 1
    assert report["outcome"] == "drift"
    assert report["target"] == {
        "mode": "replay",
        "base_url": "unknown",  # replay without evidence: no cassette said where it was recorded
        "api_version": "4.0",
        "cassettes": "shipped",
    }
    assert report["summary"]["by_severity"] == {"breaking": 1, "additive": 1, "info": 0}
    assert report["summary"]["by_check"]["type-enum"] == 1
    assert [f["check"] for f in report["findings"]] == ["type-enum", "undocumented-field"]
    assert Finding.from_dict(report["findings"][0]) == _finding()


@pytest.mark.parametrize(
    ("findings", "problems", "outcome"),
    [
        ((), 0, "pass"),
        ((Severity.ADDITIVE,), 0, "pass"),
        ((Severity.BREAKING,), 0, "drift"),
        ((), 1, "could-not-check"),
        ((Severity.BREAKING,), 1, "drift"),
    ],
)
def test_outcome(findings: tuple[Severity, ...], problems: int, outcome: str) -> None:
    recorder = _recorder(*(_finding(severity=s) for s in findings), problems=problems)
    assert build_report(recorder, Settings())["outcome"] == outcome


@pytest.mark.parametrize(
    ("severity", "fail_on", "pytest_status", "expected"),
    [
        (Severity.BREAKING, "breaking", 1, 1),
        (Severity.BREAKING, "never", 0, 0),
        (Severity.ADDITIVE, "breaking", 0, 0),
        (Severity.ADDITIVE, "any", 1, 1),
        (None, "breaking", 2, 2),  # interrupted stays interrupted
        (None, "breaking", 4, 4),  # usage error stays a usage error
    ],
)
def test_exit_status(severity: Severity | None, fail_on: str, pytest_status: int, expected: int) -> None:
    recorder = _recorder(*([_finding(severity=severity)] if severity else []))
    settings = Settings(fail_on=fail_on)
    report = build_report(recorder, settings)
    assert outcome_exit_status(report, pytest_status, 0, 0) == expected


def test_could_not_check_has_its_own_exit_status_unless_other_tests_failed() -> None:
    report = build_report(_recorder(problems=1), Settings())
    assert outcome_exit_status(report, 1, testsfailed=1, suite_failures=1) == EXIT_COULD_NOT_CHECK
    assert outcome_exit_status(report, 1, testsfailed=2, suite_failures=1) == 1


def test_markdown_is_a_readable_table(tmp_path: Path) -> None:
    report = build_report(_recorder(_finding()), Settings())
    text = render_markdown(report)
    assert "# signcheck drift report" in text
    assert '| GET /packages/{packageId}/status | `type-enum` | breaking | `/type` | "Sequential" |' in text
    assert "<summary>1</summary>" in text and "seen in add-and-status.yaml#4" in text
    path = tmp_path / "out" / "report.md"
    write_report(report, path)
    assert path.read_text() == text


def test_markdown_escapes_pipes_in_messages() -> None:
    finding = Finding("schema", Severity.BREAKING, "POST /packages/list", "/a", "1", "2", "a | b")
    assert "a \\| b" in render_markdown(build_report(_recorder(finding), Settings()))


def test_json_report_file_round_trips(tmp_path: Path) -> None:
    report = build_report(_recorder(_finding()), Settings())
    write_report(report, tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text()) == report
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temp file left behind


def test_a_run_in_which_no_scenario_ran_did_not_check() -> None:
    assert build_report(Recorder(), Settings())["outcome"] == "could-not-check"


def test_recorder_survives_the_xdist_wire() -> None:
    recorder = _recorder(_finding(), problems=1)
    merged = Recorder()
    merged.merge_wire(json.loads(json.dumps(recorder.to_wire())))
    assert merged == recorder


def test_identical_findings_are_grouped_for_people_but_all_kept_for_machines() -> None:
    again = Finding.from_dict({**_finding().to_dict(), "source": "add-and-status.yaml#9"})
    report = build_report(_recorder(_finding(), again), Settings())
    assert len(report["findings"]) == 2
    assert "<summary>2</summary>" in render_markdown(report)
    assert "seen in add-and-status.yaml#4, add-and-status.yaml#9" in render_markdown(report)
    assert list(render_terminal(report))[-1].endswith("[add-and-status.yaml#4] (x2)")
    assert render_failure("s", [_finding(), again], "breaking").count("type-enum") == 1


def test_the_run_says_what_it_cost_in_requests_and_waiting() -> None:
    recorder = _recorder()
    recorder.evidence += [
        {
            "scenario": "list",
            "source": "live",
            "base_url": "http://127.0.0.1:1/api/v1",
            "responses": 60,
            "api_like": 60,
            "requests": 60,
            "waited_s": 6.25,
        },
        {
            "scenario": "errors",
            "source": "live",
            "base_url": "http://127.0.0.1:1/api/v1",
            "responses": 3,
            "api_like": 3,
            "requests": 4,
            "waited_s": 0.5,
        },
    ]
    report = build_report(recorder, Settings(enabled=True, mode="live"))
    assert (report["summary"]["requests"], report["summary"]["waited_s"]) == (64, 6.75)
    assert any("64 requests, 6.8 s waiting on the API" in line for line in render_terminal(report))


def test_an_audited_file_of_webhook_events_is_named_as_such() -> None:
    recorder = _recorder()
    recorder.evidence.append(
        {"source": "hooks.ndjson", "webhooks": 3, "responses": 3, "api_like": 3, "skipped": 1}
    )
    report = build_report(recorder, Settings(enabled=True), mode="audit")
    lines = list(render_terminal(report))
    expected = "3 checked (3 like the API), 1 skipped; webhook events captured by your endpoint"
    assert f"audited hooks.ndjson: {expected}" in lines
    assert not any("unknown server" in line for line in lines)
