"""The suite's test ids are ``signcheck::test_signcheck[...]`` wherever pytest is run from.

pytest shows a test id relative to the current directory when that is not its rootdir: run from a
sub-folder of the project, or with a path-valued option given as two arguments
(``--signcheck-cassettes /elsewhere``), which pytest takes for a test path when it picks the rootdir,
before any plugin's options are known.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pytest_signcheck._resources import data_dir


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped cassettes in a folder outside the pytester project."""
    folder = tmp_path_factory.mktemp("rec") / "cassettes"
    shutil.copytree(str(data_dir("cassettes")), folder)
    return folder


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_ids_stay_put_with_cassettes_outside_the_rootdir(
    ourtester: pytest.Pytester, outside: Path, workers: list[str]
) -> None:
    result = ourtester.runpytest(
        "--signcheck", "--signcheck-cassettes", str(outside), "-rA", "-k", "list", *workers
    )
    assert result.ret == 0, result.stdout.str()
    assert "PASSED signcheck::test_signcheck[list]" in result.stdout.lines
    assert "../signcheck::" not in result.stdout.str()


def test_ids_stay_put_from_a_sub_folder(ourtester: pytest.Pytester) -> None:
    sub = ourtester.mkdir("sub")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(sub)
        result = ourtester.runpytest("--signcheck", "-rA", "-v", "-k", "list", "--rootdir", "..")
    assert result.ret == 0, result.stdout.str()
    lines = result.stdout.lines
    assert (
        "signcheck::test_signcheck[list] PASSED" in lines
        and "PASSED signcheck::test_signcheck[list]" in lines
    )
    result = ourtester.runpytest("--signcheck", "--deselect", "signcheck::test_signcheck[list]", "-k", "list")
    result.stdout.fnmatch_lines(["collected * items / * deselected / 0 selected"])  # -k kept one, and it went
