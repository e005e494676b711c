"""One drift, one group; groups that differ only by field, one cause; how often, counted honestly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pytest_signcheck.findings import Finding, Severity, repeated
from pytest_signcheck.report.baseline import Baseline, Entry
from pytest_signcheck.report.causes import served
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.report.render import build_report
from pytest_signcheck.settings import Settings

STATUS, LIST, ADD = "GET /packages/{packageId}/status", "POST /packages/list", "POST /packages/add"


def _timestamp(endpoint: str, pointer: str, value: str, source: str = "live") -> Finding:
    field = pointer.rsplit("/", 1)[1]
    message = f"The date-time '{field}' \"{value}\" is not an ISO 8601 date-time."
    return Finding(
        "timestamp", Severity.BREAKING, endpoint, pointer, "ISO 8601 date-time", f'"{value}"', message, source
    )


def _report(*findings: Finding, **settings: Any) -> dict[str, Any]:
    return build_report(Recorder(findings=list(findings), scenarios=["s"]), Settings(**settings))


def test_findings_that_share_a_fingerprint_are_one_group_and_every_finding_is_kept() -> None:
    findings = [
        _timestamp(STATUS, "/timeSignBy", f"06/0{n}/2025 09:00:00", f"status.yaml#{n}") for n in range(3)
    ]
    report = _report(*findings, _timestamp(STATUS, "/timeCreated", "06/02/2025 09:00:00"))
    assert len(report["findings"]) == 4
    assert report["summary"]["groups"] == 2
    group = next(g for g in report["groups"] if g["pointer"] == "/timeSignBy")
    assert {
        key: group[key] for key in ("count", "occurrences", "severity", "check", "endpoint", "failing")
    } == {
        "count": 3,
        "occurrences": 3,
        "severity": "breaking",
        "check": "timestamp",
        "endpoint": STATUS,
        "failing": 3,
    }
    assert group["fingerprint"] == findings[0].fingerprint
    assert group["example"] == {
        "value": '"06/00/2025 09:00:00"',
        "source": "status.yaml#0",
        "pointer": "/timeSignBy",
        "message": findings[0].message,
    }


def test_a_group_counts_findings_and_the_occurrences_each_stands_for() -> None:
    """A check collapses the repeats of one problem in one response into one finding "(and N more ...)":
    the group counts responses (`count`) and places (`occurrences`), and the count survives the JSON."""
    first = _timestamp(LIST, "/items/0/timeCreated", "06/01/2025 07:05:44")
    page = repeated(first, 10)
    assert page.message.endswith("(and 9 more at /items/*/timeCreated).") and page.occurrences == 10
    read_back = Finding.from_dict(json.loads(page.to_json()))
    assert read_back == page and read_back.occurrences == 10
    report = _report(page, first)
    assert (report["groups"][0]["count"], report["groups"][0]["occurrences"]) == (2, 11)
    assert report["summary"]["occurrences"] == 11
    assert report["groups"][0]["example"]["message"] == first.message  # one occurrence's text


def test_a_finding_written_before_occurrences_existed_is_counted_from_its_message() -> None:
    data = _timestamp(LIST, "/items/0/timeCreated", "x").to_dict()
    del data["occurrences"]
    data["message"] = "The date-time is wrong (and 4 more at /items/*/timeCreated)."
    assert Finding.from_dict(data).occurrences == 5


def test_the_example_is_redacted_again_on_the_way_out() -> None:
    leaked = Finding(
        "signer-links",
        Severity.BREAKING,
        STATUS,
        "/signers/0/signLink/link",
        "a link",
        "https://x/link/AbCdEf123456",
        "Sent to alice@example.org at https://x/link/AbCdEf123456.",
        "live",
    )
    example = _report(leaked)["groups"][0]["example"]
    assert "AbCdEf123456" not in json.dumps(example) and "alice@example.org" not in json.dumps(example)


def test_the_same_wrong_date_format_in_many_fields_is_one_cause_with_its_fields() -> None:
    findings = [
        _timestamp(ADD, "/package/timeCreated", "06/02/2025 09:00:04"),
        _timestamp(STATUS, "/timeSignBy", "12/30/2026 21:47:36"),
        *(_timestamp(LIST, f"/items/{n}/timeCreated", f"06/0{n + 1}/2025 07:05:44") for n in range(3)),
    ]
    (cause,) = _report(*findings)["causes"]
    assert cause["checks"] == ["timestamp"]
    assert cause["expected"] == [{"expected": "ISO 8601 date-time", "served": ["MM/DD/YYYY HH:MM:SS"]}]
    assert {(p["endpoint"], p["pointer"]) for p in cause["places"]} == {
        (ADD, "/package/timeCreated"),
        (STATUS, "/timeSignBy"),
        (LIST, "/items/*/timeCreated"),
    }
    assert cause["summary"].startswith("breaking timestamp: expected ISO 8601 date-time, served MM/DD/YYYY")
    assert "in 3 fields on 3 endpoints (5 findings)" in cause["summary"]


def test_a_fault_two_checks_find_is_one_cause_naming_both() -> None:
    """A US-style link expiry is `signer-links` today and a date `timestamp`: one fault, one cause (the
    checks-side fix will report it under one id; until then both groups stay in the report)."""
    link = Finding(
        "signer-links",
        Severity.BREAKING,
        STATUS,
        "/signers/0/signLink/timeExpires",
        "ISO 8601 date-time",
        '"06/30/2025 00:31:08"',
        "The link expiry is not an ISO 8601 date-time.",
    )
    report = _report(_timestamp(STATUS, "/timeSignBy", "12/30/2026 21:47:36"), link)
    assert len(report["groups"]) == 2
    (cause,) = report["causes"]
    assert cause["checks"] == ["signer-links", "timestamp"]
    assert "in 2 fields on 1 endpoint" in cause["summary"]


def test_a_value_two_checks_judge_at_one_place_is_one_cause() -> None:
    near_miss = Finding(
        "type-enum", Severity.BREAKING, STATUS, "/type", '"Live Session"', '"Live_Session"', "near miss"
    )
    changed = Finding(
        "integrity",
        Severity.BREAKING,
        STATUS,
        "/type",
        "the type it was added as",
        '"Live_Session"',
        "changed",
    )
    (cause,) = _report(near_miss, changed)["causes"]
    assert set(cause["checks"]) == {"type-enum", "integrity"}


def test_different_drifts_are_different_causes_and_accepted_drift_makes_none() -> None:
    missing = Finding(
        "schema", Severity.BREAKING, STATUS, "/signers/0/signerId", "present", "missing", "missing"
    )
    extra = Finding(
        "undocumented-field", Severity.ADDITIVE, STATUS, "/archived", "absent", "present (boolean)", "new"
    )
    report = _report(missing, extra, _timestamp(STATUS, "/timeSignBy", "12/30/2026 21:47:36"))
    assert [(c["severity"], c["checks"], c["failing"]) for c in report["causes"]] == [
        ("breaking", ["schema"], 1),
        ("breaking", ["timestamp"], 1),
        ("additive", ["undocumented-field"], 0),  # it does not fail the run: last
    ]
    baseline = Baseline(Path("baseline.yaml"), (Entry(0, fingerprint=missing.fingerprint, reason="SUP-1"),))
    accepted = build_report(Recorder(findings=[missing, extra], scenarios=["s"]), Settings(), baseline)
    assert [c["checks"] for c in accepted["causes"]] == [["undocumented-field"]]
    assert [(g["check"], g["accepted"], g["failing"]) for g in accepted["groups"]] == [
        ("schema", 1, 0),
        ("undocumented-field", 0, 0),
    ]


def test_a_renamed_field_reported_as_one_finding_is_one_group_and_one_cause() -> None:
    """How the checks will report a rename (issue 11, point 2): one `schema` finding naming both fields."""
    renamed = [
        Finding(
            "schema",
            Severity.BREAKING,
            STATUS,
            f"/signers/{n}/signerId",
            "present",
            "missing",
            "'signerId' is missing; 'signerID' appeared in its place.",
            f"status.yaml#{n}",
            "renamed",
        )
        for n in range(4)
    ]
    report = _report(*renamed)
    assert len(report["groups"]) == 1 and len(report["causes"]) == 1
    assert report["groups"][0]["count"] == 4


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        (['"06/02/2025 09:00:04"', '"12/30/2026 21:47:36"'], ["MM/DD/YYYY HH:MM:SS"]),
        (['"31.05.2025"', '"02.06.2025"'], ["DD.MM.YYYY"]),
        # no day above 12: which is which cannot be told; US order, as the values that tell read, marked
        (['"01/02/2025 10:00"', '"06/02/2025 09:01"'], ["MM/DD/YYYY HH:MM (or DD/MM)"]),
        (['"01.02.2025"'], ["MM.DD.YYYY (or DD.MM)"]),
        (['"2025-06-02 09:00:00.1234567"'], ["YYYY-MM-DD HH:MM:SS.fffffff"]),
        (['"Open"', '"Open"', '"Draft"'], ['"Open"', '"Draft"']),
        (["https://x/link/AbCdEf123456"], ["https://x/link/***"]),
    ],
)
def test_served_values_are_shown_as_their_format_most_seen_first(values: list[str], shown: list[str]) -> None:
    assert served(values) == shown
