"""The scenarios' test ids, from outside: ``signcheck::test_signcheck[<scenario>]`` wherever the plugin is
installed, in ``-v`` output, JUnit, ``-k``, ``--deselect``, ``--lf`` and as an argument.

The suite's module lives in site-packages (here, the source tree), outside the user's rootdir; pytest
named it by its path from the argument that named it, the suite itself: an empty path
(``::test_signcheck[upload]``) and an empty JUnit classname. Each run replays the shipped cassettes.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pytest_signcheck.suite import SCENARIOS

SHIPPED = Path(__file__).resolve().parents[2] / "cassettes"


def outcomes(result: pytest.RunResult) -> dict[str, str]:
    """``{test id: PASSED/FAILED/...}`` from a ``-v`` run's lines."""
    pairs = (line.rsplit(" ", 1) for line in result.outlines if line.startswith("signcheck::"))
    return dict(pairs)


def test_collect_only_lists_every_scenario_under_signcheck(ourtester: pytest.Pytester) -> None:
    result = ourtester.runpytest("--signcheck", "--collect-only", "-q")
    assert result.ret == 0
    assert [line for line in result.outlines if "::" in line] == [
        f"signcheck::test_signcheck[{scenario}]" for scenario in SCENARIOS
    ]


def test_verbose_output_and_junit_name_each_scenario(ourtester: pytest.Pytester) -> None:
    result = ourtester.runpytest("--signcheck", "-v", "-k", "list or upload", "--junitxml", "junit.xml")
    assert result.ret == 0
    assert outcomes(result) == {
        "signcheck::test_signcheck[upload]": "PASSED",
        "signcheck::test_signcheck[list]": "PASSED",
    }
    cases = ET.parse(ourtester.path / "junit.xml").getroot().iter("testcase")
    names = {(case.get("classname"), case.get("name")) for case in cases}
    assert names == {("signcheck", "test_signcheck[upload]"), ("signcheck", "test_signcheck[list]")}


def test_deselect_and_an_id_as_argument_pick_scenarios(ourtester: pytest.Pytester) -> None:
    deselected = ourtester.runpytest(
        "--signcheck",
        "--collect-only",
        "-q",
        *(f"--deselect=signcheck::test_signcheck[{s}]" for s in SCENARIOS[1:]),
    )
    assert [line for line in deselected.outlines if "::" in line] == [
        f"signcheck::test_signcheck[{SCENARIOS[0]}]"
    ]
    picked = ourtester.runpytest("--signcheck", "-v", "signcheck::test_signcheck[list]")
    assert picked.ret == 0
    assert outcomes(picked) == {"signcheck::test_signcheck[list]": "PASSED"}


def test_last_failed_reruns_the_scenario_that_failed(ourtester: pytest.Pytester) -> None:
    """A drifted copy of the shipped `list` cassette fails that scenario; `--lf` reruns it alone."""
    tapes = ourtester.path / "tapes"
    shutil.copytree(SHIPPED, tapes)
    listing = tapes / "list.yaml"
    listing.write_text(
        listing.read_text().replace('\\"type\\": \\"Sequential\\"', '\\"type\\": \\"sequential\\"')
    )
    args = ("--signcheck", "--signcheck-cassettes", str(tapes), "-v")
    first = ourtester.runpytest(*args)
    assert first.ret == 1
    assert outcomes(first)["signcheck::test_signcheck[list]"] == "FAILED"
    assert set(outcomes(first).values()) == {"PASSED", "FAILED"}
    again = ourtester.runpytest(*args, "--lf")
    assert again.ret == 1
    again.stdout.fnmatch_lines(["run-last-failure: rerun previous 1 failure*"])
    assert outcomes(again) == {"signcheck::test_signcheck[list]": "FAILED"}
