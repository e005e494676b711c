"""Evidence that ages and states where it came from: --signcheck-max-age, and the report's provenance."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
import yaml

from pytest_signcheck._resources import data_dir
from pytest_signcheck.suite import SCENARIOS
from pytest_signcheck.traffic.cassettes import Cassette, Interaction, load_cassette
from pytest_signcheck.traffic.provenance import age_problem, recorded_at

NOW = datetime.now(UTC)
#: libyaml's loader and dumper where PyYAML has them: ten times faster on a whole cassette.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _shipped_age() -> int:
    when = recorded_at(load_cassette(Path(str(data_dir("cassettes"))) / "list.yaml"))
    assert when is not None
    return (NOW - when).days


def test_a_cassette_older_than_max_age_is_could_not_check(
    ourtester: pytest.Pytester, run_signcheck: Any
) -> None:
    tapes = ourtester.path / "tapes"
    shutil.copytree(str(data_dir("cassettes")), tapes)
    data = yaml.load((tapes / "list.yaml").read_text(), Loader=LOADER)
    data["metadata"]["signcheck"]["recorded_at"] = (NOW - timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (tapes / "list.yaml").write_text(yaml.dump(data, Dumper=DUMPER))
    result, report = run_signcheck(ourtester, "--signcheck-cassettes", "tapes", "--signcheck-max-age", "30")
    assert result.ret == 10 and report["outcome"] == "could-not-check"
    result.assert_outcomes(passed=len(SCENARIOS) - 1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*could not check scenario 'list': cassette *list.yaml was recorded 400 days ago (*), "
            "more than the 30-day limit. Re-record it: *--signcheck-mode record*--signcheck-cassettes *tapes*"
        ]
    )


@pytest.mark.parametrize("value", ["-1", "a week"])
def test_a_bad_max_age_is_a_usage_error(ourtester: pytest.Pytester, value: str) -> None:
    result = ourtester.runpytest("--signcheck", f"--signcheck-max-age={value}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: signcheck: --signcheck-max-age=* is not a number of days*"])


def test_the_shipped_cassettes_within_max_age_replay_and_say_what_they_are(
    ourtester: pytest.Pytester, run_signcheck: Any
) -> None:
    result, report = run_signcheck(ourtester, "--signcheck-max-age", str(_shipped_age() + 1))
    assert result.ret == 0 and report["outcome"] == "pass"
    result.stdout.fnmatch_lines(["signcheck: mode=replay * max-age=*d"])
    assert report["target"]["base_url"] == "http://127.0.0.1:8080/api/v1"  # as recorded, not "recorded"
    assert {item["scenario"] for item in report["evidence"]} == set(report["scenarios"])
    for item in report["evidence"]:
        assert item["recorded_at"] and item["api_version"] == "4.0" and item["responses"] > 0
        assert "reference sandbox" in item["note"] and "not against iinked Sign" in item["note"]
    result.stdout.fnmatch_lines(
        ["note: shipped cassette, recorded against pytest-signcheck's reference sandbox*"]
    )
    result.stdout.fnmatch_lines(
        [f"evidence: {len(SCENARIOS)} scenario(s) from *, recorded * days ago) against http://127.0.0.1*"]
    )


def test_your_own_cassettes_carry_no_reference_sandbox_note(
    ourtester: pytest.Pytester, run_signcheck: Any
) -> None:
    shutil.copytree(str(data_dir("cassettes")), ourtester.path / "tapes")
    result, report = run_signcheck(ourtester, "--signcheck-cassettes", "tapes")
    assert result.ret == 0
    assert not any(item.get("note") for item in report["evidence"])
    assert all(item["source"].startswith(str(ourtester.path / "tapes")) for item in report["evidence"])


def _vcrpy_cassette(path: Path, date_header: str | None) -> None:
    headers = {"content-type": ["application/json"]} | ({"Date": [date_header]} if date_header else {})
    interaction = {
        "request": {
            "method": "POST",
            "uri": "https://api.test/api/v1/packages/list",
            "body": "{}",
            "headers": {},
        },
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": headers,
            "body": {"string": json.dumps({"items": [], "total": 0, "take": 10, "skip": 0})},
        },
    }
    path.write_text(yaml.safe_dump({"version": 1, "interactions": [interaction]}))


@pytest.mark.parametrize(
    ("date_header", "status", "message"),
    [
        (format_datetime(NOW - timedelta(days=2), usegmt=True), 0, "audited c.yaml: 1 checked"),
        (
            "Mon, 02 Mar 2020 10:00:00 GMT",
            10,
            "c.yaml was recorded * days ago (2020-03-02T10:00:00Z), more than",
        ),
        (None, 10, "c.yaml has no recording date (no metadata.signcheck.recorded_at, no Date header)"),
    ],
    ids=["recent", "old", "undated"],  # the recent date moves with the clock: xdist workers must agree
)
def test_audit_dates_someone_elses_cassette_by_its_date_headers(
    tmp_path: Path, date_header: str | None, status: int, message: str, signcheck_cli: Any
) -> None:
    _vcrpy_cassette(tmp_path / "c.yaml", date_header)
    result = signcheck_cli(tmp_path, "audit", "c.yaml", "--max-age", "30", "--report", "r.json")
    assert result.returncode == status, result.stdout + result.stderr
    assert any(fnmatch(line, f"*{message}*") for line in result.stdout.splitlines()), result.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["target"]["cassettes"] == "c.yaml" and report["target"]["mode"] == "audit"
    assert report["evidence"][0]["base_url"] == "https://api.test"


def _interaction(date_header: str) -> Interaction:
    return Interaction(
        "GET", "https://x/api/v1/packages/a/status", None, {}, 200, "OK", {"Date": [date_header]}, b"{}"
    )


def test_a_cassette_is_as_old_as_its_oldest_answer_unless_its_metadata_says() -> None:
    items = [_interaction("Tue, 03 Mar 2020 10:00:00 GMT"), _interaction("Mon, 02 Mar 2020 10:00:00 GMT")]
    cassette = Cassette(Path("c.yaml"), items)
    assert recorded_at(cassette) == datetime(2020, 3, 2, 10, tzinfo=UTC)
    stated = Cassette(Path("c.yaml"), items, {"signcheck": {"recorded_at": "2026-11-24T14:35:20Z"}})
    assert recorded_at(stated) == datetime(2026, 11, 24, 14, 35, 20, tzinfo=UTC)
    assert age_problem(stated, 7, datetime(2026, 12, 1, 14, 35, 20, tzinfo=UTC)) is None  # exactly 7 days
    assert age_problem(stated, 6, datetime(2026, 12, 1, 14, 35, 20, tzinfo=UTC)) is not None
    assert age_problem(cassette, None, NOW) is None
