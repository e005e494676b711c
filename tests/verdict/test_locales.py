"""The verdict in a machine's locale: an ASCII terminal or locale, and folder names Python cannot decode.

A user whose output is ASCII (``PYTHONIOENCODING=ascii``, or ``LC_ALL=C`` with ``PYTHONUTF8=0``) sees
the verdict, with the characters it cannot show escaped as pytest escapes them, never a traceback and
never another exit status; every file signcheck writes is UTF-8, whatever names it holds. The
installed script runs in a child process: the locale is read when Python starts.
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

from pytest_signcheck._atomic import utf8_text
from pytest_signcheck._resources import data_dir

SIGNCHECK = Path(sys.executable).with_name("signcheck")  # the console script `pip install` made


@pytest.mark.parametrize(
    "locale",
    [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}],
    ids=["ascii-output", "ascii-locale"],
)
def test_the_installed_script_in_an_ascii_locale(tmp_path: Path, locale: dict[str, str]) -> None:
    """An audit that checked nothing: its hint names `…/api/v1/packages/...`, its reports a folder
    `café`."""
    tapes = tmp_path / os.fsdecode("café".encode()) / "tapes"  # whatever locale this test runs in
    cassette(tapes / "other.yaml", interaction("GET", "https://example.org/health", {"ok": True}))
    process = subprocess.run(
        [SIGNCHECK, "audit", str(tapes), "--report", "r.json", "--report", "r.md"],
        cwd=tmp_path,
        env={**os.environ, **locale},
        capture_output=True,
        check=False,
    )
    out, err = process.stdout.decode(), process.stderr.decode()
    assert err == ""  # no traceback
    assert process.returncode == 10, out
    assert "outcome: could-not-check" in out
    assert "(\\u2026/api/v1/packages/..., /files/upload)" in out  # as pytest shows what it cannot
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["outcome"] == "could-not-check"
    named = os.fsencode(tapes).decode("utf-8")  # café, as the folder is named
    assert report["evidence"][0]["source"] == f"{named}/other.yaml"
    assert named in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_a_folder_name_that_is_not_utf8_is_in_the_reports(
    ourtester: pytest.Pytester, run_signcheck: Any
) -> None:
    """A name in Latin-1 on a UTF-8 system (or any non-ASCII name in an ASCII locale): Python holds the
    bytes it cannot decode as surrogate escapes, which no UTF-8 file can hold."""
    tapes = ourtester.path / os.fsdecode(b"caf\xe9")
    shutil.copytree(str(data_dir("cassettes")), tapes)
    replay = ("--signcheck-cassettes", str(tapes))
    result, report = run_signcheck(ourtester, *replay, "--signcheck-report", "r.md")
    assert result.ret == 0, result.stdout.str()
    assert report["outcome"] == "pass"
    shown = str(ourtester.path / "caf\N{REPLACEMENT CHARACTER}")
    assert all(item["source"].startswith(shown) for item in report["evidence"])
    assert shown in (ourtester.path / "r.md").read_text(encoding="utf-8")


def test_utf8_text_puts_back_what_python_could_not_decode() -> None:
    assert utf8_text("plain café …") == "plain café …"
    assert utf8_text(b"/home/caf\xc3\xa9".decode("ascii", "surrogateescape")) == "/home/café"
    latin1 = b"/home/caf\xe9".decode("ascii", "surrogateescape")
    assert utf8_text(latin1) == "/home/caf\N{REPLACEMENT CHARACTER}"
