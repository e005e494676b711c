"""A run or an audit that could not check annotates the GitHub Actions step with why, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pytest_signcheck.report.ci import github_annotations

TITLE = "::error title=signcheck could not check::"


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))


def test_a_run_that_could_not_check_annotates_each_problem(ourtester: pytest.Pytester, github: None) -> None:
    result = ourtester.runpytest(
        "--signcheck", "--signcheck-api-version", "3.6", "--signcheck-report", "r.json"
    )
    assert result.ret == 10, result.stdout.str()
    report = json.loads((ourtester.path / "r.json").read_text())
    assert report["outcome"] == "could-not-check" and report["problems"]
    annotations = [line for line in result.stdout.lines if line.startswith(TITLE)]
    assert len(annotations) == min(len(report["problems"]), 10)
    first = report["problems"][0]
    message = f"{first['scenario']}: {first['reason']}"
    assert annotations[0] == TITLE + message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def test_an_audit_that_could_not_check_annotates_it_escaped(
    tmp_path: Path, signcheck_cli: Any, github: None
) -> None:
    (tmp_path / "tapes").mkdir()
    (tmp_path / "tapes" / "50%.yaml").write_text("interactions:\n- request: {method: GET, uri: 'http://x/'\n")
    result = signcheck_cli(tmp_path, "audit", "tapes")
    assert result.returncode == 10
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1
    assert annotations[0].startswith(f"{TITLE}tapes/50%25.yaml: cassette tapes/50%25.yaml is truncated")


def test_problems_and_breaking_groups_share_what_github_shows() -> None:
    problems = [{"scenario": f"s{n}", "reason": "line one\r\nline two"} for n in range(12)]
    lines = list(github_annotations({"problems": problems, "groups": []}))
    assert len(lines) == 10
    assert lines[0] == f"{TITLE}s0: line one%0D%0Aline two"
    assert lines[-1] == (
        "::error title=signcheck%3A 3 more problem(s) or breaking group(s)::"
        "See the job summary or the signcheck report."
    )
