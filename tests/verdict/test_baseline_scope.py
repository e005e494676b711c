"""A baseline refreshed by a partial run: only what the run checked can be stale.

An entry is stale when it matched nothing although a scenario that ran to the end checked its endpoint;
the others are "not exercised", and `--signcheck-write-baseline` keeps them, reasons included. A run that
could not check writes no baseline at all.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pytest_signcheck._resources import data_dir
from pytest_signcheck.sandbox import SandboxConfig, SandboxServer, running

ADD = "POST /packages/add"


def _drifted(root: Path) -> Path:
    """The shipped cassettes with every add answer's `Sequential` lower-cased (type-enum drift)."""
    tapes = root / "tapes"
    shutil.copytree(str(data_dir("cassettes")), tapes)
    for path in tapes.glob("*.yaml"):
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                '\\"type\\": \\"Sequential\\"', '\\"type\\": \\"sequential\\"'
            )
        )
    return tapes


def _reviewed(path: Path) -> dict[str, Any]:
    """The baseline as a team leaves it: every entry given a reason."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in data["accepted"]:
        entry["reason"] = "vendor ticket SUP-1"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return data


@pytest.fixture
def reviewed(ourtester: pytest.Pytester, run_signcheck: Any) -> dict[str, Any]:
    _drifted(ourtester.path)
    first, _ = run_signcheck(
        ourtester, "--signcheck-cassettes", "tapes", "--signcheck-write-baseline", "b.yaml"
    )
    assert first.ret == 1
    data = _reviewed(ourtester.path / "b.yaml")
    assert data["accepted"] and all(entry["endpoint"] for entry in data["accepted"])
    return data


def test_a_partial_refresh_keeps_the_entries_it_did_not_exercise(
    ourtester: pytest.Pytester, run_signcheck: Any, reviewed: dict[str, Any]
) -> None:
    args = ("--signcheck-cassettes", "tapes", "-k", "templates")
    result, report = run_signcheck(
        ourtester, *args, "--signcheck-baseline", "b.yaml", "--signcheck-write-baseline", "b.yaml"
    )
    assert result.ret == 0 and report["outcome"] == "pass"
    assert report["baseline"]["stale"] == []
    assert len(report["baseline"]["not_exercised"]) == len(reviewed["accepted"])
    result.stdout.fnmatch_lines(
        [
            f"*0 stale, {len(reviewed['accepted'])} not exercised",
            f"signcheck baseline written to *b.yaml: {len(reviewed['accepted'])} entries, 0 new *",
        ]
    )
    assert yaml.safe_load((ourtester.path / "b.yaml").read_text(encoding="utf-8")) == reviewed


def test_a_could_not_check_run_writes_no_baseline(
    ourtester: pytest.Pytester, run_signcheck: Any, reviewed: dict[str, Any]
) -> None:
    for path in (ourtester.path / "tapes").glob("*.yaml"):
        if path.stem != "upload":
            path.unlink()  # 8 of 9 cassettes missing
    before = (ourtester.path / "b.yaml").read_text(encoding="utf-8")
    args = ("--signcheck-cassettes", "tapes", "--signcheck-baseline", "b.yaml")
    result, report = run_signcheck(ourtester, *args, "--signcheck-write-baseline", "b.yaml")
    assert result.ret == 10 and report["outcome"] == "could-not-check"
    assert report["baseline"]["stale"] == []
    result.stdout.fnmatch_lines(
        [
            "signcheck baseline not written: this run could not check (8 problem(s) above), "
            "so *b.yaml is left as it was*"
        ]
    )
    assert (ourtester.path / "b.yaml").read_text(encoding="utf-8") == before


def test_only_entries_about_a_checked_endpoint_are_stale_and_dropped(
    ourtester: pytest.Pytester, run_signcheck: Any, reviewed: dict[str, Any]
) -> None:
    templates = {"check": "undocumented-field", "endpoint": "POST /templates/list", "pointer": "/x"}
    data = {"version": 1, "accepted": [*reviewed["accepted"], {**templates, "reason": "docs typo"}]}
    (ourtester.path / "b.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    # the shipped (clean) cassettes: the add drift is fixed, and only add-and-status runs
    result, report = run_signcheck(ourtester, "-k", "add-and-status", "--signcheck-write-baseline", "b.yaml")
    assert result.ret == 0
    assert report["baseline"] is None  # no --signcheck-baseline: the write merged the file it replaced
    written = yaml.safe_load((ourtester.path / "b.yaml").read_text(encoding="utf-8"))["accepted"]
    checked = set(next(e for e in report["evidence"] if e["scenario"] == "add-and-status")["checked"])
    assert ADD in checked and "POST /packages/list" not in checked
    # entries about what add-and-status checked are stale (its drift is fixed): dropped; the rest kept
    assert written == [entry for entry in data["accepted"] if entry["endpoint"] not in checked]
    assert written and len(written) < len(data["accepted"])  # some dropped, some kept

    (ourtester.path / "b.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result, report = run_signcheck(ourtester, "-k", "add-and-status", "--signcheck-baseline", "b.yaml")
    stale = {entry["endpoint"] for entry in report["baseline"]["stale"]}
    assert stale and stale <= checked
    assert "POST /templates/list" in {entry["endpoint"] for entry in report["baseline"]["not_exercised"]}
    result.stdout.fnmatch_lines(["baseline entry * is stale: it matched nothing (*"])


@pytest.fixture(scope="module")
def drifting() -> Iterator[SandboxServer]:
    with running(SandboxConfig(drifts=("type-lowercase",))) as server:
        yield server


def test_live_partial_refresh_keeps_reasons(
    ourtester: pytest.Pytester, drifting: SandboxServer, run_live: Any
) -> None:
    first, _ = run_live(ourtester, drifting.base_url, "--signcheck-write-baseline", "b.yaml")
    assert first.ret == 1
    reviewed = _reviewed(ourtester.path / "b.yaml")
    again = ("--signcheck-baseline", "b.yaml", "--signcheck-write-baseline", "b.yaml")
    result, report = run_live(ourtester, drifting.base_url, "-k", "upload", *again)
    assert result.ret == 0 and report["baseline"]["stale"] == []
    assert yaml.safe_load((ourtester.path / "b.yaml").read_text(encoding="utf-8")) == reviewed


def _audit_baseline(signcheck_cli: Any, root: Path, *paths: str | Path) -> dict[str, Any]:
    """`signcheck audit PATHS` with b.yaml as its baseline, refreshed in place: the report's baseline."""
    args = ("--baseline", "b.yaml", "--write-baseline", "b.yaml", "--report", "r.json")
    result = signcheck_cli(root, "audit", *paths, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    baseline: dict[str, Any] = json.loads((root / "r.json").read_bytes())["baseline"]
    return baseline


def test_an_audit_of_some_cassettes_keeps_the_entries_about_the_others(
    ourtester: pytest.Pytester, signcheck_cli: Any, reviewed: dict[str, Any]
) -> None:
    """`signcheck audit` scopes the baseline the same way: what the audited files hold is exercised."""
    tapes, entries = ourtester.path / "tapes", len(reviewed["accepted"])
    upload = _audit_baseline(signcheck_cli, ourtester.path, tapes / "upload.yaml")
    assert (len(upload["not_exercised"]), upload["stale"]) == (entries, [])
    assert (
        yaml.safe_load((ourtester.path / "b.yaml").read_text(encoding="utf-8")) == reviewed
    )  # reasons and all
    whole = _audit_baseline(signcheck_cli, ourtester.path, tapes)
    assert (whole["not_exercised"], whole["stale"], len(whole["accepted"])) == ([], [], entries)
    assert yaml.safe_load((ourtester.path / "b.yaml").read_text(encoding="utf-8")) == reviewed


def test_an_audit_that_no_longer_finds_a_drift_drops_its_entries(
    ourtester: pytest.Pytester, signcheck_cli: Any, reviewed: dict[str, Any]
) -> None:
    shutil.copytree(str(data_dir("cassettes")), ourtester.path / "clean")  # the types as documented
    clean = _audit_baseline(signcheck_cli, ourtester.path, "clean")
    assert len(clean["stale"]) == len(reviewed["accepted"]) and clean["not_exercised"] == []
    assert yaml.safe_load((ourtester.path / "b.yaml").read_text(encoding="utf-8"))["accepted"] == []


def test_an_errors_run_leaves_entries_about_success_bodies_unexercised(
    ourtester: pytest.Pytester, run_signcheck: Any, reviewed: dict[str, Any]
) -> None:
    """`-k errors` checks 400/404 answers of add, status and list, never their 200 bodies: entries about
    those bodies are not exercised (kept), however many error answers of their endpoints were checked."""
    args = ("--signcheck-cassettes", "tapes", "-k", "errors", "--signcheck-baseline", "b.yaml")
    result, report = run_signcheck(ourtester, *args, "--signcheck-write-baseline", "b.yaml")
    assert result.ret == 0 and report["outcome"] == "pass"
    errors = next(item for item in report["evidence"] if item["scenario"] == "errors")
    assert ADD in errors["checked_error"] and ADD not in errors["checked_2xx"]
    assert report["baseline"]["stale"] == []
    assert len(report["baseline"]["not_exercised"]) == len(reviewed["accepted"])
    result.stdout.fnmatch_lines(
        [f"signcheck baseline written to *b.yaml: {len(reviewed['accepted'])} entries, 0 new *"]
    )
    assert yaml.safe_load((ourtester.path / "b.yaml").read_text(encoding="utf-8")) == reviewed


def test_an_audit_of_error_answers_leaves_entries_about_success_bodies_unexercised(
    ourtester: pytest.Pytester, signcheck_cli: Any, reviewed: dict[str, Any]
) -> None:
    """`signcheck audit` splits its evidence the same way: errors.yaml holds add's 400, never a 200 body."""
    errors = _audit_baseline(signcheck_cli, ourtester.path, ourtester.path / "tapes" / "errors.yaml")
    assert (len(errors["not_exercised"]), errors["stale"]) == (len(reviewed["accepted"]), [])
    assert yaml.safe_load((ourtester.path / "b.yaml").read_text(encoding="utf-8")) == reviewed
    report = json.loads((ourtester.path / "r.json").read_bytes())
    assert ADD in report["evidence"][0]["checked_error"] and ADD not in report["evidence"][0]["checked_2xx"]


def test_an_http_entry_is_about_the_answer_its_note_expected() -> None:
    """An `http` entry whose note expected a 2xx (the fixed API serves one) is exercised by a 2xx; one
    about an error body by an error answer; a bare fingerprint needs both."""
    from pytest_signcheck.report.baseline import Entry
    from pytest_signcheck.report.scope import Scope

    status = "GET /packages/{packageId}/status"
    scope = Scope(frozenset({status}), success=frozenset({status}), error=frozenset())
    note = f"breaking http {status} /: Expected HTTP 200, got 500."
    assert scope.covers(status, Entry(0, fingerprint="0" * 16, finding=note).answer)
    error_body = Entry(0, check="http", endpoint=status, pointer="/error")
    bare = Entry(0, fingerprint="0" * 16, endpoint=status)
    assert (error_body.answer, bare.answer) == ("error", None)
    assert not scope.covers(status, error_body.answer) and not scope.covers(status, bare.answer)
