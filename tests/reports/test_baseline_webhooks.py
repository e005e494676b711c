"""A baseline names a webhook event's findings by the label they carry (``WEBHOOK <action>``)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pytest_signcheck import check_webhook
from pytest_signcheck.errors import ConfigError
from pytest_signcheck.report.baseline import load_baseline

#: The docs' example event (§7, as tests/data keeps it) with its time served the US way.
EVENT = json.loads(
    (
        Path(__file__).parents[1] / "data" / "examples" / "webhook-package-add" / "package-add-example.json"
    ).read_text()
) | {"eventTime": "02/23/2022 20:19:28"}


def _baseline(tmp_path: Path, endpoint: str) -> Path:
    entry = {"check": "timestamp", "endpoint": endpoint, "pointer": "/eventTime", "reason": "vendor ticket"}
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"version": 1, "accepted": [entry]}), encoding="utf-8")
    return path


def test_an_entry_for_a_webhook_label_accepts_that_events_drift(tmp_path: Path) -> None:
    (finding,) = [f for f in check_webhook(EVENT) if f.check == "timestamp"]
    assert finding.endpoint == "WEBHOOK package_add"
    baseline = load_baseline(_baseline(tmp_path, "WEBHOOK package_add"))
    assert baseline.accepting(finding, date(2026, 1, 1)) is baseline.entries[0]


def test_an_unknown_label_is_still_refused_naming_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown endpoint 'WEBHOOK package_added'.*WEBHOOK package_add"):
        load_baseline(_baseline(tmp_path, "WEBHOOK package_added"))
