"""What CI reads, from outside: `pytest --signcheck` with --junitxml and under GitHub Actions, the terminal
summary, and `signcheck audit` in a workflow.

The runs replay one recording of a reference sandbox with six drifts, cheap to check: breaking
`integrity`, `signer-links`, `pagination` and `filters` findings on two endpoints, and additive
`undocumented-field` ones, in more than 10 groups (each field its own). The suite records it once for
the module (in this process, live over real HTTP); each test replays it through pytester in this
process: the subject is the pytest integration, not the traffic or the process.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from pytest_signcheck.report.ci import github_annotations
from pytest_signcheck.sandbox import SandboxConfig, running
from pytest_signcheck.settings import Settings
from pytest_signcheck.suite import SCENARIOS, SuiteRunner

STATUS, LIST = "GET /packages/{packageId}/status", "POST /packages/list"


@pytest.fixture(scope="module")
def drifted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The suite's cassettes, recorded from a sandbox with six drifts (read only: tests replay them)."""
    drifts = (
        "executed-reported-open",
        "extra-field",
        "total-off-by-one",
        "states-filter-ignored",
        "token-mismatch",
        "revision-wrong-document",
    )
    tapes = tmp_path_factory.mktemp("drifted")
    with running(SandboxConfig(drifts=drifts)) as server:
        settings = Settings(
            enabled=True, mode="record", base_url=server.base_url, api_key=server.api_key, cassettes=tapes
        )
        runner = SuiteRunner(settings)
        for scenario in SCENARIOS:
            assert runner.run(scenario).problem is None
    return tapes


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A GitHub Actions environment whose job summary already holds another step's text."""
    summary = tmp_path / "step-summary.md"
    summary.write_text("## Lint\n\nall good\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    return summary


def _replay(tester: pytest.Pytester, tapes: Path, *args: str) -> tuple[pytest.RunResult, dict[str, Any]]:
    result = tester.runpytest(
        "--signcheck", "--signcheck-cassettes", str(tapes), "--signcheck-report", "report.json", *args
    )
    return result, json.loads((tester.path / "report.json").read_bytes())


def test_junitxml_has_one_failing_case_per_endpoint_and_check(
    ourtester: pytest.Pytester, drifted: Path
) -> None:
    result, report = _replay(ourtester, drifted, "--junitxml", "junit.xml")
    assert result.ret == 1
    suite = ET.parse(ourtester.path / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    cases = {(case.get("classname"), case.get("name")): case for case in suite.iter("testcase")}
    failing = {(g["endpoint"], g["check"]) for g in report["groups"] if g["failing"]}
    assert {key for key in cases if key[0].startswith("signcheck.")} == {
        (f"signcheck.{endpoint}", check) for endpoint, check in failing
    }
    assert failing == {
        (STATUS, "integrity"),
        (STATUS, "signer-links"),
        (LIST, "integrity"),
        (LIST, "pagination"),
        (LIST, "filters"),
    }
    failure = cases[(f"signcheck.{LIST}", "pagination")].find("failure")
    assert failure is not None and failure.text is not None
    groups = [g for g in report["groups"] if (g["endpoint"], g["check"]) == (LIST, "pagination")]
    head = f"{sum(g['failing'] for g in groups)} finding(s) in {len(groups)} group(s) fail the run"
    assert failure.get("message", "").startswith(f"{head}: The ")
    assert len(failure.text.splitlines()) == len(groups) > 1
    assert all(line.startswith(f"- breaking pagination: {LIST} ") for line in failure.text.splitlines())
    scenarios = [case for (_, name), case in cases.items() if str(name).startswith("test_signcheck[")]
    assert len(scenarios) == len(SCENARIOS)  # the scenarios' own cases are still there
    failed = sum(case.find("failure") is not None for case in scenarios)
    result.assert_outcomes(passed=len(SCENARIOS) - failed, failed=failed)  # the run's own counts
    assert int(suite.get("failures", "0")) == len(failing) + failed


def test_under_github_actions_each_group_is_an_annotation_and_the_report_goes_to_the_job_summary(
    ourtester: pytest.Pytester, drifted: Path, github: Path
) -> None:
    result, report = _replay(ourtester, drifted)
    assert result.ret == 1
    lines = result.stdout.lines
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    live = [g for g in report["groups"] if g["accepted"] < g["count"]]
    for level, severity, lines in (("error", "breaking", errors), ("warning", "additive", warnings)):
        groups = sum(g["severity"] == severity for g in live)
        assert len(lines) == min(groups, 10) > 0  # GitHub shows ten per level: the tenth says how many more
        if groups > 10:
            title = f"signcheck%3A {groups - 9} more {severity} group(s)"
            assert lines[-1] == f"::{level} title={title}::See the job summary or the signcheck report."
    titles = {
        level: {
            f"signcheck {g['check']}%3A {g['endpoint']} {g['pointer']}"
            for g in live
            if g["severity"] == severity
        }
        for level, severity in (("error", "breaking"), ("warning", "additive"))
    }
    for level, lines in (("error", errors), ("warning", warnings)):
        named = [
            line.split("::")[1].removeprefix(f"{level} title=") for line in lines if " more " not in line
        ]
        assert named and set(named) <= titles[level]
        assert all("fingerprint " in line for line in lines if " more " not in line)
    summary = github.read_text(encoding="utf-8")
    assert summary.startswith("## Lint\n\nall good\n# signcheck drift report\n")  # appended, not replaced
    assert "**Outcome: drift.**" in summary and "## Findings" in summary
    result.stdout.fnmatch_lines([f"signcheck report appended to the job summary ({github})"])


def test_outside_github_actions_there_are_no_annotations(ourtester: pytest.Pytester, drifted: Path) -> None:
    result, report = _replay(ourtester, drifted, "-v")
    assert result.ret == 1
    assert not [line for line in result.stdout.lines if line.startswith(("::error", "::warning"))]
    summary = result.stdout.str().split("signcheck drift report", 1)[1]
    groups = [line for line in summary.splitlines() if line.startswith(("breaking ", "additive "))]
    assert len(groups) == report["summary"]["groups"] > 10  # -v: every group, no "N more"
    assert "more group(s)" not in summary


def test_the_terminal_shows_the_causes_the_top_groups_and_where_the_rest_went(
    ourtester: pytest.Pytester, drifted: Path
) -> None:
    result, report = _replay(ourtester, drifted, "--signcheck-report", "drift.md")
    summary = result.stdout.str().split("signcheck drift report", 1)[1]
    group_lines = [line for line in summary.splitlines() if line.startswith(("breaking ", "additive "))]
    groups = report["summary"]["groups"]
    assert len(group_lines) == 10 < groups
    assert len(report["findings"]) > 100  # and not one line each
    causes = report["causes"]
    result.stdout.fnmatch_lines(
        [
            f"causes: {len(causes)} ({groups} group(s), {len(report['findings'])} findings)",
            *(f"  {cause['summary']}" for cause in causes),
            "breaking *",
            f"... and {groups - 10} more group(s): see *drift.md",
            "signcheck report written to *drift.md",
        ]
    )
    assert causes[-1]["summary"].startswith("additive undocumented-field: expected absent (not documented)")


def test_more_annotations_than_github_shows_end_with_how_many_more() -> None:
    group = {
        "severity": "breaking", "check": "schema", "endpoint": STATUS, "pointer": "/a", "count": 2,
        "occurrences": 2, "accepted": 0, "failing": 2, "fingerprint": "0123456789abcdef",
        "example": {"message": "50% wrong,\nreally", "source": "s.yaml#1", "pointer": "/a", "value": "1"},
    }  # fmt: skip
    report = {"groups": [{**group, "pointer": f"/f{n}"} for n in range(14)]}
    lines = list(github_annotations(report))
    assert len(lines) == 10
    assert lines[0] == (
        f"::error title=signcheck schema%3A {STATUS} /f0::50%25 wrong,%0Areally "
        "(2 findings, e.g. in s.yaml#1; fingerprint 0123456789abcdef)"
    )
    assert (
        lines[-1]
        == "::error title=signcheck%3A 5 more breaking group(s)::See the job summary or the signcheck report."
    )


def test_signcheck_audit_annotates_a_github_actions_run(
    tmp_path: Path, signcheck_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tapes = tmp_path / "tapes"
    tapes.mkdir()
    body = '{"packageId": "p1", "type": "sequential"}'
    (tapes / "t.json").write_text(
        json.dumps(
            {
                "version": 1,
                "interactions": [
                    {
                        "request": {
                            "method": "GET",
                            "uri": "https://h/api/v1/packages/p1/status",
                            "body": None,
                            "headers": {},
                        },
                        "response": {
                            "status": {"code": 200, "message": "OK"},
                            "headers": {"content-type": ["application/json"]},
                            "body": {"string": body},
                        },
                    }
                ],
            }
        )
    )
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = signcheck_cli(tmp_path, "audit", "tapes")
    assert result.returncode == 1
    assert any(line.startswith("::error title=signcheck type-enum%3A") for line in result.stdout.splitlines())
    assert summary.read_text(encoding="utf-8").startswith("# signcheck drift report")


def test_a_job_summary_that_cannot_be_written_is_a_warning_not_the_exit_status(
    ourtester: pytest.Pytester, drifted: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """GitHub's job summary is a courtesy: when $GITHUB_STEP_SUMMARY names a folder, the run says so in one
    line and still exits with its verdict (1, drift), as `signcheck audit` does."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path))  # a directory: [Errno 21]
    warning = f"signcheck: warning: could not append to the job summary ($GITHUB_STEP_SUMMARY={tmp_path}): *"
    result, report = _replay(ourtester, drifted)
    assert (result.ret, report["outcome"]) == (1, "drift")
    result.stdout.fnmatch_lines([f"{warning}Is a directory*"])
    assert "could not write" not in result.stdout.str()


def test_audit_with_a_job_summary_that_cannot_be_written_keeps_its_exit_status(
    drifted: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, signcheck_cli: Any
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path))
    result = signcheck_cli(tmp_path, "audit", str(drifted))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "outcome: drift" in result.stdout
    warning = f"signcheck: warning: could not append to the job summary ($GITHUB_STEP_SUMMARY={tmp_path})"
    assert warning in result.stdout + result.stderr


def test_a_baseline_still_saying_todo_is_named_and_causes_count_only_new_drift(
    ourtester: pytest.Pytester, drifted: Path
) -> None:
    """A written baseline passes the gate, but says its entries still want a reason; once one cause is
    no longer accepted, the causes line counts that cause's groups and findings, the accepted ones apart."""
    import yaml

    first, written = _replay(ourtester, drifted, "--signcheck-write-baseline", "b.yaml")
    assert first.ret == 1
    entries, groups = len(written["groups"]), written["summary"]["groups"]
    result, report = _replay(
        ourtester, drifted, "--signcheck-baseline", "b.yaml", "--signcheck-report", "r.md"
    )
    assert (result.ret, report["outcome"]) == (0, "pass")
    todo = f"{entries} baseline entries still have reason: TODO; say why each drift is accepted"
    total = len(report["findings"])
    result.stdout.fnmatch_lines(
        [
            f"baseline *b.yaml: of {entries} entries, {entries} accepted findings, 0 expired, 0 stale",
            todo,
            f"accepted by the baseline: {groups} group(s), {total} findings (not causes)",
        ]
    )
    markdown = (ourtester.path / "r.md").read_text(encoding="utf-8")
    assert "causes:" not in result.stdout.str() and f"**{todo}.**" in markdown

    data = yaml.safe_load((ourtester.path / "b.yaml").read_text(encoding="utf-8"))
    cause = next(c for c in written["causes"] if len(c["fingerprints"]) > 1)  # one cause, several groups
    data["accepted"] = [
        {**entry, "reason": "vendor ticket SUP-1"}
        for entry in data["accepted"]
        if entry["fingerprint"] not in cause["fingerprints"]
    ]
    (ourtester.path / "b.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result, report = _replay(ourtester, drifted, "--signcheck-baseline", "b.yaml")
    assert result.ret == 1 and len(report["causes"]) == 1
    new = sum(g["count"] for g in report["groups"] if g["fingerprint"] in cause["fingerprints"])
    live = len(cause["fingerprints"])
    result.stdout.fnmatch_lines(
        [
            f"causes: 1 ({live} group(s), {new} findings)",
            f"accepted by the baseline: {groups - live} group(s), {total - new} findings (not causes)",
        ]
    )
    assert "reason: TODO" not in result.stdout.str()
