"""`schemas/report.json`, the published format of every JSON report signcheck writes.

Every report written anywhere in this test suite is validated against it when the session ends
(tests/conftest.py, `every_report_written_validates`); the tests here show that the schema is itself
valid, that it accepts each kind of report, and that it refuses what a reader could not rely on.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pytest_signcheck.findings import Finding, Severity
from pytest_signcheck.report.baseline import Baseline, Entry
from pytest_signcheck.report.build import REPORT_VERSION
from pytest_signcheck.report.changes_report import changes_report
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.report.recordings import Profile
from pytest_signcheck.report.render import build_report, write_report
from pytest_signcheck.settings import Settings

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "report.json").read_bytes())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
FINDING = Finding(
    "schema", Severity.BREAKING, "POST /packages/list", "/items/0/name", "string", "3", "wrong", "l.yaml#1"
)


def _errors(report: dict[str, Any]) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in VALIDATOR.iter_errors(report)]


def test_the_schema_is_draft_2020_12_and_names_its_version() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"] == "https://pytest-signcheck.dev/schemas/report.json"
    assert SCHEMA["properties"]["signcheck_report"]["const"] == REPORT_VERSION


def _reports() -> dict[str, dict[str, Any]]:
    recorder = Recorder(findings=[FINDING, FINDING.with_source("l.yaml#2")], scenarios=["list"])
    recorder.evidence.append(
        {
            "scenario": "list",
            "source": "live",
            "recorded_at": "2026-01-01T00:00:00Z",
            "age_days": 0,
            "base_url": "http://127.0.0.1:1/api/v1",
            "api_version": "4.0",
            "responses": 3,
            "api_like": 3,
        }
    )
    broken = Recorder(scenarios=["list"])
    broken.could_not_check("list", "host unreachable")
    baseline = Baseline(
        Path("b.yaml"),
        (
            Entry(0, fingerprint=FINDING.fingerprint, reason="r", expires=date(2030, 1, 1)),
            Entry(1, check="http", endpoint="POST /packages/list", pointer="/", reason="s"),
        ),
    )
    return {
        "drift": build_report(recorder, Settings(mode="live", base_url="http://127.0.0.1:1/api/v1")),
        "pass": build_report(Recorder(scenarios=["list"]), Settings()),
        "could-not-check": build_report(broken, Settings()),
        "baseline": build_report(recorder, Settings(), baseline, date(2026, 1, 1)),
        "audit": build_report(recorder, Settings(), mode="audit"),
        "recordings-diff": changes_report(Profile(), Profile(), (["old"], ["new"]), []),
    }


@pytest.mark.parametrize("kind", ["drift", "pass", "could-not-check", "baseline", "audit", "recordings-diff"])
def test_every_kind_of_report_validates(kind: str) -> None:
    report = json.loads(json.dumps(_reports()[kind]))  # as a reader gets it
    assert _errors(report) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda r: r.pop("groups"), "$: 'groups' is a required property"),
        (lambda r: r["findings"][0].update(severity="fatal"), "$.findings[0].severity"),
        (lambda r: r["groups"][0].update(count=0), "$.groups[0].count"),
        (lambda r: r["groups"][0]["example"].pop("source"), "$.groups[0].example"),
        (lambda r: r.update(outcome="ok"), "$.outcome"),
        (lambda r: r.update(signcheck_report=2), "$.signcheck_report"),
        (lambda r: r["findings"][0].update(fingerprint="XYZ"), "$.findings[0].fingerprint"),
    ],
)
def test_what_a_reader_relies_on_is_enforced(change: Callable[[dict[str, Any]], object], where: str) -> None:
    report = json.loads(json.dumps(_reports()["drift"]))
    change(report)
    assert any(error.startswith(where) for error in _errors(report)), _errors(report)


def test_new_keys_are_allowed_so_the_format_can_grow() -> None:
    report = json.loads(json.dumps(_reports()["drift"]))
    report["something_new"] = {"any": "thing"}
    report["groups"][0]["also_new"] = 1
    assert _errors(report) == []


def test_the_session_check_finds_a_written_report_that_does_not_validate(
    invalid_reports: Callable[[Path], list[str]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:  # outside the session's folders: this one is meant to fail
        good, bad = Path(folder) / "good.json", Path(folder) / "sub" / "bad.json"
        write_report(_reports()["drift"], good)
        write_report({**_reports()["drift"], "outcome": "maybe"}, bad)
        (Path(folder) / "hand-made.json").write_text(
            '{"signcheck_report": 1, "findings": []}'
        )  # no generated_at
        assert invalid_reports(Path(folder)) == [
            f"{bad}: 'maybe' is not one of ['pass', 'drift', 'could-not-check'] at $.outcome"
        ]
