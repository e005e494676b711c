"""A baseline names a webhook event's findings by the label they carry (``WEBHOOK <action>``)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pytest_signcheck import check_webhook
from pytest_signcheck.errors import ConfigError
from pytest_signcheck.report.baseline import load_baseline

EVENT = {
    "packageId": "24428e41-8b96-40cc-96e6-b74c7c539fcb",
    "externalData": None,
    "action": "package_add",
    "eventId": "e9b8fe63-4a19-4446-bd6e-cb34b72b411e",
    "eventOwnerOrganizationId": "24261ee6-5f66-4692-ba49-533c9b58999b",
    "eventOwnerMemberId": "3e09a4ce-577c-492c-ba7c-c1ebf825f9b5",
    "eventTime": "02/23/2022 20:19:28",
}


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
