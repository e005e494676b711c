"""Replaying cassettes recorded for another API version, and the re-record command's folder.

A cassette's answers are those of the version it was recorded against: judged by another version's rules
they check neither, so the scenario is could-not-check (exit 10), never a pass.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import pytest_signcheck
from pytest_signcheck._resources import data_dir
from pytest_signcheck.settings import EXIT_COULD_NOT_CHECK
from pytest_signcheck.suite import SCENARIOS
from pytest_signcheck.traffic.cassettes import rerecord_command

RECORD = "SIGNCHECK_API_KEY=... pytest --signcheck --signcheck-mode record --signcheck-base-url <sandbox>"


def _replay(tester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, object]]:
    result = tester.runpytest("--signcheck", "--signcheck-report", "report.json", *args)
    return result, json.loads((tester.path / "report.json").read_text())


def test_shipped_cassettes_replayed_for_another_version_check_nothing(ourtester: pytest.Pytester) -> None:
    result, report = _replay(ourtester, "--signcheck-api-version", "3.6")
    assert result.ret == EXIT_COULD_NOT_CHECK
    assert report["outcome"] == "could-not-check"
    problems = {item["scenario"]: item["reason"] for item in report["problems"]}  # type: ignore[union-attr]
    assert set(problems) == set(SCENARIOS)  # every one, not only the one whose requests differ
    expected = (
        "recorded for API 4.0, and this run checks API 3.6; replay with --signcheck-api-version 4.0, "
        f"or record for 3.6: {RECORD} --signcheck-api-version 3.6 --signcheck-cassettes cassettes"
    )
    assert all(reason.endswith(expected) for reason in problems.values()), problems
    assert "site-packages" not in result.stdout.str() and "_data" not in result.stdout.str()
    result.stdout.no_fnmatch_line("*passed*")


def test_own_cassettes_for_another_version_name_the_folder(ourtester: pytest.Pytester) -> None:
    folder = ourtester.path / "rec"
    shutil.copytree(Path(str(data_dir("cassettes"))), folder)
    result, _ = _replay(
        ourtester, "--signcheck-cassettes", "rec", "-k", "upload", "--signcheck-api-version", "3.6"
    )
    assert result.ret == EXIT_COULD_NOT_CHECK
    result.stdout.fnmatch_lines(
        [
            f"*could not check upload: cassette {folder}/upload.yaml: recorded for API 4.0, "
            f"*--signcheck-cassettes {folder}"
        ]
    )


def test_the_same_version_still_replays(ourtester: pytest.Pytester) -> None:
    result, report = _replay(ourtester, "--signcheck-api-version", "4.0", "-k", "upload")
    assert result.ret == 0
    assert report["outcome"] == "pass"


@pytest.mark.parametrize(
    "inside",
    [Path(pytest_signcheck.__file__).parent / "_data" / "cassettes", Path("lib/site-packages/x/cassettes")],
    ids=["the package's _data", "site-packages"],
)
def test_rerecord_never_suggests_the_installed_folder(inside: Path, tmp_path: Path) -> None:
    folder = inside if inside.is_absolute() else tmp_path / inside
    assert rerecord_command(folder).endswith("--signcheck-cassettes cassettes")
    assert rerecord_command(tmp_path / "mine", "3.6").endswith(
        f"--signcheck-api-version 3.6 --signcheck-cassettes {tmp_path / 'mine'}"
    )
