"""Accepted drift: a baseline makes the gate fail only on new drift, in replay, live and audit.

A baseline entry accepts findings (reported, not failing); an expired one stops accepting and says so;
one that matched nothing is listed as stale; a bad file is a usage error naming the entry.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from pytest_signcheck._resources import data_dir
from pytest_signcheck.errors import ConfigError
from pytest_signcheck.findings import Finding, Severity
from pytest_signcheck.report.baseline import load_baseline, write_baseline
from pytest_signcheck.report.build import build_report
from pytest_signcheck.report.markdown import render_markdown
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.sandbox import SandboxConfig, SandboxServer, running
from pytest_signcheck.settings import Settings
from pytest_signcheck.suite import SCENARIOS

TODAY = date(2026, 6, 1)
STATUS = "GET /packages/{packageId}/status"
#: libyaml's loader and dumper where PyYAML has them: ten times faster on a whole cassette.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _finding(pointer: str = "/signers/0/links/1/timeExpires", check: str = "timestamp") -> Finding:
    return Finding(check, Severity.BREAKING, STATUS, pointer, "ISO 8601", "06/01/2026", "not ISO 8601")


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data) if path.suffix == ".json" else yaml.safe_dump(data))
    return path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "top level: expected a mapping with `version: 1` and an `accepted:` list"),
        ({"version": 2, "accepted": []}, "`version: 2` is not 1"),
        ({"version": 1, "accepted": [], "ignore": []}, "unknown key(s) ignore"),
        ({"version": 1, "accepted": {}}, "`accepted` must be a list of entries"),
        ({"version": 1, "accepted": ["abc"]}, "entry 1: an entry is a mapping"),
        ({"version": 1, "accepted": [{"fingerprint": "XYZ"}]}, "entry 1: `fingerprint: XYZ` is not 16"),
        ({"version": 1, "accepted": [{"check": "schema"}]}, "entry 1: give a `fingerprint`, or all of"),
        (
            {"version": 1, "accepted": [{"fingerprint": "0" * 16, "check": "schema"}]},
            "entry 1: give `fingerprint` or check + endpoint + pointer, not both",
        ),
        (
            {"version": 1, "accepted": [{"check": "shema", "endpoint": STATUS, "pointer": "/a"}]},
            "entry 1: unknown check 'shema'; known: schema,",
        ),
        (
            {"version": 1, "accepted": [{"check": "schema", "endpoint": "GET /status", "pointer": "/a"}]},
            "entry 1: unknown endpoint 'GET /status'; documented: POST /files/upload;",
        ),
        (
            {"version": 1, "accepted": [{"fingerprint": "0" * 16}, {"fingerprint": "1" * 16, "expiry": 1}]},
            "entry 2: unknown key(s) expiry; known:",
        ),
        (
            {"version": 1, "accepted": [{"fingerprint": "0" * 16, "expires": "soon"}]},
            "`expires: soon` is not a",
        ),
        (
            {"version": 1, "accepted": [{"fingerprint": "0" * 16, "reason": 3}]},
            "`reason` must be a non-empty",
        ),
    ],
)
def test_a_bad_baseline_names_the_file_the_entry_and_the_fix(tmp_path: Path, data: Any, message: str) -> None:
    path = _write(tmp_path / "b.yaml", data)
    with pytest.raises(ConfigError) as info:
        load_baseline(path)
    assert message in str(info.value) and str(path) in str(info.value)


@pytest.mark.parametrize("digits", ["0000000000000000", "1234567890123456"])
def test_an_all_digit_fingerprint_read_as_a_number_says_to_quote_it(tmp_path: Path, digits: str) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(f"version: 1\naccepted:\n  - fingerprint: {digits}\n")
    with pytest.raises(ConfigError) as info:
        load_baseline(path)
    number = yaml.safe_load(digits)
    assert f"entry 1: `fingerprint` must be a non-empty string, not {number}" in str(info.value)
    assert '(YAML read it as a number: quote it, `fingerprint: "..."`)' in str(info.value)
    path.write_text(f'version: 1\naccepted:\n  - fingerprint: "{digits}"\n')
    assert load_baseline(path).entries[0].fingerprint == digits


def test_pytest_with_an_all_digit_fingerprint_is_a_usage_error_saying_to_quote_it(
    ourtester: pytest.Pytester,
) -> None:
    ourtester.path.joinpath("b.yaml").write_text("version: 1\naccepted:\n  - fingerprint: 1234567890123456\n")
    result = ourtester.runpytest("--signcheck", "--signcheck-baseline", "b.yaml")
    assert result.ret == 4
    result.stderr.fnmatch_lines(
        ["*entry 1: `fingerprint` must be a non-empty string, not 1234567890123456 (YAML*"]
    )
    assert "Traceback" not in result.stderr.str()


def test_an_unparsable_baseline_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("accepted: [\n")
    (tmp_path / "b.json").write_text("{")
    for name, kind in (("b.yaml", "not YAML"), ("b.json", "not JSON")):
        with pytest.raises(ConfigError, match=kind):
            load_baseline(tmp_path / name)


def test_entries_match_by_fingerprint_or_by_check_endpoint_and_pointer_glob(tmp_path: Path) -> None:
    target, other = _finding(), _finding("/documents/0/name", "schema")
    entries = [
        {"fingerprint": target.fingerprint, "reason": "vendor ticket 12"},
        {"check": "schema", "endpoint": STATUS, "pointer": "/documents/*/name", "expires": "2026-06-01"},
        {"check": "schema", "endpoint": STATUS, "pointer": "/signers/*"},
    ]
    baseline = load_baseline(_write(tmp_path / "b.json", {"version": 1, "accepted": entries}))
    assert baseline.accepting(target, TODAY) == baseline.entries[0]
    assert baseline.accepting(other, TODAY) == baseline.entries[1]  # expires at the end of its day
    assert baseline.accepting(other, date(2026, 6, 2)) is None
    judged = baseline.judge([target, other], date(2026, 6, 2))
    assert [e["entry"] for e in judged["accepted"]] == [1]
    assert [(e["entry"], e["matched"]) for e in judged["expired"]] == [(2, 1)]
    assert [(e["entry"], e["matched"]) for e in judged["stale"]] == [(3, 0)]


@pytest.mark.parametrize("name", ["b.yaml", "b.json"])
def test_a_written_baseline_has_one_entry_per_fingerprint_and_loads_back(tmp_path: Path, name: str) -> None:
    findings = [
        _finding(),
        _finding("/signers/3/links/0/timeExpires"),
        _finding("/documents/0/name", "schema"),
    ]
    assert write_baseline(findings, tmp_path / name) == (2, 2)
    baseline = load_baseline(tmp_path / name)
    assert {entry.reason for entry in baseline.entries} == {"TODO"}
    assert all(baseline.accepting(finding, TODAY) for finding in findings)
    if name.endswith(".yaml"):
        assert (tmp_path / name).read_text(encoding="utf-8").startswith("# signcheck baseline")


def test_rewriting_a_baseline_keeps_reasons_drops_stale_entries_and_adds_the_new(tmp_path: Path) -> None:
    old, new = _finding(), _finding("/documents/0/name", "schema")
    entries = [
        {"fingerprint": old.fingerprint, "reason": "vendor ticket 12", "expires": "2030-01-01"},
        {"check": "http", "endpoint": STATUS, "pointer": "/", "reason": "fixed since"},
    ]
    path = _write(tmp_path / "b.yaml", {"version": 1, "accepted": entries})
    assert write_baseline([old, new], path, load_baseline(path)) == (2, 1)
    rewritten = load_baseline(path)
    assert [(e.fingerprint, e.reason, e.expires) for e in rewritten.entries] == [
        (old.fingerprint, "vendor ticket 12", date(2030, 1, 1)),
        (new.fingerprint, "TODO", None),
    ]


def test_the_report_lists_accepted_expired_and_stale_entries(tmp_path: Path) -> None:
    accepted, expired = _finding(), _finding("/documents/0/name", "schema")
    entries = [
        {"fingerprint": accepted.fingerprint, "reason": "vendor ticket 12"},
        {"fingerprint": expired.fingerprint, "expires": "2026-05-31"},
        {"fingerprint": "0123456789abcdef"},
    ]
    baseline = load_baseline(_write(tmp_path / "b.yaml", {"version": 1, "accepted": entries}))
    recorder = Recorder(findings=[accepted, expired], scenarios=["add-and-status"])
    report = build_report(recorder, Settings(), baseline, today=TODAY)
    assert report["outcome"] == "drift" and report["summary"]["accepted"] == 1
    assert [(f["check"], f["accepted"]) for f in report["findings"]] == [
        ("schema", False),
        ("timestamp", True),
    ]
    assert report["summary"]["failing"] == 1
    markdown = render_markdown(report)
    assert f"- entry 1 (accepts 1 finding(s)): {accepted.fingerprint}; vendor ticket 12" in markdown
    assert "- entry 2 (expired on 2026-05-31: its 1 finding(s) fail again)" in markdown
    assert "- entry 3 (stale: it matched nothing in this run): 0123456789abcdef" in markdown
    assert "## Accepted by the baseline" in markdown


# --- replay: cassettes in which the vendor returns a lower-case type constant -------------------------


@pytest.fixture
def drifted(ourtester: pytest.Pytester) -> Path:
    """The shipped cassettes, with every add response's `Sequential` type lower-cased (type-enum drift)."""
    tapes = ourtester.path / "tapes"
    shutil.copytree(str(data_dir("cassettes")), tapes)
    data = yaml.load((tapes / "add-and-status.yaml").read_text(encoding="utf-8"), Loader=LOADER)
    for item in data["interactions"]:
        body = item["response"]["body"]
        body["string"] = body["string"].replace('"type": "Sequential"', '"type": "sequential"')
    (tapes / "add-and-status.yaml").write_text(yaml.dump(data, Dumper=DUMPER))
    return tapes


def _expire_first_entry(path: Path) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["accepted"][0]["expires"] = "2000-01-01"
    path.write_text(yaml.safe_dump(data))
    return str(data["accepted"][0]["fingerprint"])


def test_replay_write_then_accept_then_expire_then_stale(
    ourtester: pytest.Pytester, drifted: Path, run_signcheck: Any
) -> None:
    replay = ("--signcheck-cassettes", "tapes")
    first, found = run_signcheck(ourtester, *replay, "--signcheck-write-baseline", "baseline.yaml")
    assert first.ret == 1 and found["outcome"] == "drift"
    first.stdout.fnmatch_lines(
        ["signcheck baseline written to *baseline.yaml: * entries, * new with reason: TODO"]
    )

    accepted, report = run_signcheck(ourtester, *replay, "--signcheck-baseline", "baseline.yaml")
    assert accepted.ret == 0, accepted.stdout.str()
    accepted.assert_outcomes(passed=len(SCENARIOS))
    assert report["outcome"] == "pass" and report["summary"]["accepted"] == report["summary"]["total"] > 0
    assert report["baseline"]["stale"] == [] and report["baseline"]["expired"] == []
    accepted.stdout.fnmatch_lines(["accepted: breaking type-enum:*"])

    fingerprint = _expire_first_entry(ourtester.path / "baseline.yaml")
    expired, report = run_signcheck(ourtester, *replay, "--signcheck-baseline", "baseline.yaml")
    assert (
        expired.ret == 1 and report["outcome"] == "drift" and report["baseline"]["expired"][0]["matched"] > 0
    )
    expired.stdout.fnmatch_lines(
        [f"baseline entry 1 expired on 2000-01-01: its * finding(s) fail again ({fingerprint}*"]
    )

    stale = {"version": 1, "accepted": [{"fingerprint": "0123456789abcdef", "reason": "fixed upstream"}]}
    (ourtester.path / "stale.yaml").write_text(yaml.safe_dump(stale))
    ourtester.makeini("[pytest]\nsignchecK_baseline = stale.yaml\n".replace("K", "k"))
    listed, report = run_signcheck(ourtester)  # the ini key, against the shipped cassettes
    assert listed.ret == 0
    listed.stdout.fnmatch_lines(
        ["baseline entry 1 is stale: it matched nothing (0123456789abcdef; fixed upstream)"]
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("version: 1\naccepted:\n- reason: x\n", "*baseline.yaml: entry 1: give a `fingerprint`, or all of*"),
        (None, "*--signcheck-baseline='baseline.yaml': no such file. Write a first one with*"),
    ],
)
def test_a_bad_baseline_stops_the_run_before_any_test(
    ourtester: pytest.Pytester, content: str | None, message: str
) -> None:
    if content is not None:
        (ourtester.path / "baseline.yaml").write_text(content)
    result = ourtester.runpytest("--signcheck", "--signcheck-baseline", "baseline.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: signcheck: {message}"])
    assert "passed" not in result.stdout.str()


# --- live: two runs against one drifting sandbox agree ----------------------------------------------


@pytest.fixture(scope="module")
def drifting() -> Iterator[SandboxServer]:
    with running(SandboxConfig(drifts=("type-lowercase", "total-off-by-one", "extra-field"))) as server:
        yield server


def test_live_runs_agree_and_a_baseline_of_the_first_accepts_the_second(
    ourtester: pytest.Pytester, drifting: SandboxServer, run_live: Any, signcheck_cli: Any
) -> None:
    """Two live runs create other packages (other ids, names and times): their findings still share
    fingerprints. An entry that expires fails a run again whatever the mode: the replay test above."""
    first, _ = run_live(ourtester, drifting.base_url, "--signcheck-write-baseline", "baseline.yaml")
    assert first.ret == 1
    shutil.copy(ourtester.path / "report.json", ourtester.path / "first.json")
    second, report = run_live(ourtester, drifting.base_url, "--signcheck-baseline", "baseline.yaml")
    assert second.ret == 0, second.stdout.str()
    assert report["baseline"]["stale"] == [] and report["summary"]["accepted"] == report["summary"]["total"]
    diff = signcheck_cli(ourtester.path, "diff", "first.json", "report.json")
    assert diff.returncode == 0 and diff.stdout.splitlines()[-1].startswith("0 new, 0 gone, ")


# --- signcheck audit --------------------------------------------------------------------------------


def test_audit_with_a_baseline(ourtester: pytest.Pytester, drifted: Path, signcheck_cli: Any) -> None:
    cwd = ourtester.path
    written = signcheck_cli(cwd, "audit", "tapes", "--write-baseline", "baseline.json")
    assert written.returncode == 1 and (cwd / "baseline.json").is_file()
    accepted = signcheck_cli(cwd, "audit", "tapes", "--baseline", "baseline.json", "--report", "r.md")
    assert accepted.returncode == 0, accepted.stdout
    assert "outcome: pass" in accepted.stdout and "accepted: breaking type-enum" in accepted.stdout
    assert "## Accepted by the baseline" in (cwd / "r.md").read_text(encoding="utf-8")
    data = json.loads((cwd / "baseline.json").read_bytes())
    data["accepted"][0]["expires"] = "2000-01-01"
    # an `http` entry is about error answers: the errors scenario's cassette holds 404s of status
    status = "GET /packages/{packageId}/status"
    data["accepted"].append({"check": "http", "endpoint": status, "pointer": "/", "reason": "r"})
    (cwd / "baseline.json").write_text(json.dumps(data))
    expired = signcheck_cli(cwd, "audit", "tapes", "--baseline", "baseline.json")
    assert expired.returncode == 1
    assert "baseline entry 1 expired on 2000-01-01" in expired.stdout
    assert f"baseline entry {len(data['accepted'])} is stale: it matched nothing" in expired.stdout
