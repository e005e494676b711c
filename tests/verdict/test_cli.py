"""`signcheck audit` and `signcheck diff` as a user runs them: exit codes, messages, never a traceback.

0 pass, 1 drift, 10 could-not-check, 4 usage error, for both commands. They run in this process
(`signcheck_cli`, tests/conftest.py); the installed console script runs once, in a child process, with
its reader gone: the exit status a shell sees, and a closed pipe, are what only a process shows.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from checkdata import vcr_cassette as cassette
from checkdata import vcr_interaction as interaction

from pytest_signcheck._resources import data_dir

SIGNCHECK = Path(sys.executable).with_name("signcheck")  # the console script `pip install` made
DRIFTED_LIST = {"items": "not a list", "total": 0, "take": 10, "skip": 0}


def drifted(folder: Path) -> Path:
    uri = "https://sandbox.syngrafii.com/api/v1/packages/list"
    return cassette(folder / "drift.yaml", interaction("POST", uri, DRIFTED_LIST))


def test_an_empty_folder_is_could_not_check(tmp_path: Path, signcheck_cli: Any) -> None:
    (tmp_path / "empty").mkdir()
    result = signcheck_cli(tmp_path, "audit", "empty")
    assert result.returncode == 10
    assert "outcome: could-not-check" in result.stdout
    assert "no .yaml, .yml, .json, .ndjson, .jsonl file under empty" in result.stdout


def test_cassettes_without_a_documented_interaction_checked_nothing(
    tmp_path: Path, signcheck_cli: Any
) -> None:
    cassette(
        tmp_path / "tapes" / "other.yaml", interaction("GET", "https://example.org/health", {"ok": True})
    )
    result = signcheck_cli(tmp_path, "audit", "tapes", "--report", "r.md")
    assert result.returncode == 10, result.stdout
    assert "audited tapes/other.yaml: 0 checked (0 like the API), 1 skipped" in result.stdout
    assert "nothing was checked" in result.stdout
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "could-not-check" in markdown and "matched the documentation" not in markdown


def test_files_that_are_not_cassettes_are_skipped_and_counted(tmp_path: Path, signcheck_cli: Any) -> None:
    shutil.copytree(str(data_dir("cassettes")), tmp_path / "tree" / "cassettes")
    (tmp_path / "tree" / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n")
    (tmp_path / "tree" / "package.json").write_text('{"name": "x"}')
    result = signcheck_cli(tmp_path, "audit", "tree", "--report", "r.json")
    assert result.returncode == 0, result.stdout
    assert (
        "skipped tree/docker-compose.yml: not a vcrpy cassette: it has no `interactions` list"
        in result.stdout
    )
    assert "skipped tree/package.json: not a vcrpy cassette" in result.stdout
    assert "audited tree/cassettes/list.yaml: 60 checked (60 like the API), 0 skipped" in result.stdout
    report = json.loads((tmp_path / "r.json").read_bytes())
    assert report["outcome"] == "pass" and report["target"]["cassettes"] == "tree"
    assert len([e for e in report["evidence"] if e.get("skipped_file")]) == 2


def test_drift_in_an_audit_exits_1(tmp_path: Path, signcheck_cli: Any) -> None:
    drifted(tmp_path / "tapes")
    result = signcheck_cli(tmp_path, "audit", "tapes")
    assert result.returncode == 1
    assert "outcome: drift" in result.stdout and "breaking schema: POST /packages/list" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "skipped tapes/bad.yaml: not a vcrpy cassette: it is empty"),
        ("- a\n- list\n", "its top level is a list, not a mapping with `interactions`"),
    ],
)
def test_an_empty_or_list_cassette_is_named_never_a_type_error(
    tmp_path: Path, content: str, message: str, signcheck_cli: Any
) -> None:
    (tmp_path / "tapes").mkdir()
    (tmp_path / "tapes" / "bad.yaml").write_text(content)
    result = signcheck_cli(tmp_path, "audit", "tapes/bad.yaml")
    assert result.returncode == 10
    assert message in result.stdout and "NoneType" not in result.stdout


def test_a_damaged_cassette_is_could_not_check_beside_good_ones(tmp_path: Path, signcheck_cli: Any) -> None:
    drifted(tmp_path / "tapes")
    (tmp_path / "tapes" / "cut.yaml").write_text("interactions:\n- request: {method: GET, uri: 'x'\n")
    result = signcheck_cli(tmp_path, "audit", "tapes")
    assert result.returncode == 1  # confirmed drift outranks could-not-check
    assert (
        "could not check tapes/cut.yaml: cassette tapes/cut.yaml is truncated or malformed" in result.stdout
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", "nowhere"], "signcheck audit: error: nowhere: no such file or folder"),
        (["audit", "tapes", "--report", "x.txt"], "--report='x.txt': use a .json (machines) or .md (people)"),
        (
            ["audit", "tapes", "--report", "tapes/drift.yaml/r.json"],
            "drift.yaml is a file, not a folder",
        ),
        (["audit", "tapes", "--report", "r.json"], "r.json' is a directory"),
        (["audit", "tapes", "--max-age", "soon"], "--max-age='soon' is not a number of days"),
        (["audit", "tapes", "--baseline", "none.yaml"], "--baseline='none.yaml': no such file"),
        (["audit"], "the following arguments are required: paths"),
        (["audit", "tapes", "--fail-on", "sometimes"], "invalid choice: 'sometimes'"),
        ([], "the following arguments are required: command"),
    ],
)
def test_usage_errors_exit_4_and_name_the_fix(
    tmp_path: Path, args: list[str], message: str, signcheck_cli: Any
) -> None:
    drifted(tmp_path / "tapes")
    (tmp_path / "r.json").mkdir()
    result = signcheck_cli(tmp_path, *args)
    assert result.returncode == 4
    assert message in result.stderr
    assert not (tmp_path / "x.txt").exists()


def test_the_installed_script_exits_with_the_verdict_when_its_reader_has_gone(tmp_path: Path) -> None:
    """`signcheck audit ... | head`: stdout is a pipe whose reader has gone, and the audit finds drift."""
    drifted(tmp_path / "tapes")
    read, write = os.pipe()
    os.close(read)
    try:
        process = subprocess.run(
            [SIGNCHECK, "audit", "tapes"], cwd=tmp_path, stdout=write, stderr=subprocess.PIPE, check=False
        )
    finally:
        os.close(write)
    assert process.stderr.decode() == ""  # no BrokenPipeError, no "Exception ignored"
    assert process.returncode == 1  # the verdict (drift), not the pipe's trouble (120) nor a crash


def _report(path: Path, *findings: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"signcheck_report": 1, "outcome": "drift", "findings": list(findings)}))
    return path


def _item(
    pointer: str = "/items", actual: str = '"x"', severity: str = "breaking", **extra: Any
) -> dict[str, Any]:
    fields = {"check": "schema", "severity": severity, "endpoint": "POST /packages/list", "pointer": pointer}
    return {**fields, "expected": "array", "actual": actual, "message": "not a list", **extra}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"hello": 1}', "bad.json: not a signcheck report (no `signcheck_report: 1`)"),
        ("[]", "bad.json: not a signcheck report"),
        ('{"signcheck_report": 1, "findings": {}}', "bad.json: `findings` is not a list"),
        (
            '{"signcheck_report": 1, "findings": [{"check": "schema"}]}',
            "bad.json: findings[0] lacks severity",
        ),
        ('{"signcheck_report": 1, "findings": [3]}', "bad.json: findings[0] is not a finding"),
        ("not json", "bad.json: not JSON"),
    ],
)
def test_diff_of_something_that_is_not_a_report_is_a_usage_error(
    tmp_path: Path, content: str, message: str, signcheck_cli: Any
) -> None:
    (tmp_path / "bad.json").write_text(content)
    good = _report(tmp_path / "good.json")
    for args in (["bad.json", good], [good, "bad.json"]):
        result = signcheck_cli(tmp_path, "diff", *args)
        assert result.returncode == 4
        assert message in result.stderr


def test_diff_matches_findings_on_fingerprints_not_values(tmp_path: Path, signcheck_cli: Any) -> None:
    old = _report(tmp_path / "old.json", _item("/items/0/name", '"a"'), _item("/items/3/name", '"b"'))
    new = _report(tmp_path / "new.json", _item("/items/7/name", '"c"'))
    result = signcheck_cli(tmp_path, "diff", old, new)
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "0 new, 0 gone, 1 unchanged"


def test_diff_lists_new_and_gone_groups_and_fails_on_new_breaking(tmp_path: Path, signcheck_cli: Any) -> None:
    old = _report(tmp_path / "old.json", _item("/total", severity="additive"))
    new = _report(tmp_path / "new.json", _item("/items/0/name"), _item("/items/1/name"))
    result = signcheck_cli(tmp_path, "diff", old, new)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "new: 1 fingerprint(s), 2 finding(s)"
    assert (
        lines[1].startswith("  + ") and "breaking schema: POST /packages/list /items/*/name (x2)" in lines[1]
    )
    assert "gone: 1 fingerprint(s), 1 finding(s)" in lines and lines[-1] == "1 new, 1 gone, 0 unchanged"
    assert signcheck_cli(tmp_path, "diff", new, old).returncode == 0  # only gone drift: nothing new fails


def test_diff_does_not_fail_on_new_drift_the_baseline_accepted(tmp_path: Path, signcheck_cli: Any) -> None:
    old = _report(tmp_path / "old.json")
    new = _report(tmp_path / "new.json", _item(accepted=True))
    result = signcheck_cli(tmp_path, "diff", old, new)
    assert result.returncode == 0 and "[accepted by the baseline]" in result.stdout


def test_diff_with_a_report_that_could_not_check_is_could_not_check_naming_it(
    tmp_path: Path, signcheck_cli: Any
) -> None:
    drifted(tmp_path / "tapes")
    (tmp_path / "empty").mkdir()
    assert signcheck_cli(tmp_path, "audit", "tapes", "--report", "drift.json").returncode == 1
    assert signcheck_cli(tmp_path, "audit", "empty", "--report", "none.json").returncode == 10
    assert signcheck_cli(tmp_path, "diff", "drift.json", "drift.json").returncode == 0
    why = "none.json could not check: audit: no .yaml"
    new = signcheck_cli(tmp_path, "diff", "drift.json", "none.json")
    assert new.returncode == 10 and new.stderr == ""
    assert new.stdout.splitlines()[-1].startswith(f"could-not-check: {why}")
    assert "what NEW did not check is listed as not re-checked, not gone" in new.stdout
    assert "0 new, 0 gone, 1 not re-checked, 0 unchanged" in new.stdout
    old = signcheck_cli(tmp_path, "diff", "none.json", "drift.json")
    assert old.returncode == 10 and "OLD is no base to diff against" in old.stdout
    both = signcheck_cli(tmp_path, "diff", "none.json", "none.json")
    assert both.returncode == 10
    assert [line.startswith(f"could-not-check: {why}") for line in both.stdout.splitlines()[-2:]] == [
        True
    ] * 2
