"""`signcheck diff OLD.json NEW.json` when NEW did not check everything OLD did.

A fingerprint absent from NEW is "gone" only where NEW checked its endpoint again; where a scenario (an
audited cassette) of NEW could not check, or NEW never reached the endpoint, it is "not re-checked". The
exit follows new breaking drift (1), else NEW's problems (10), else 0, even when NEW's own outcome is
drift (drift outranks could-not-check in a run, but not in what a diff may call fixed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.verdict.test_cli import cassette, interaction

LIST = "https://sandbox.syngrafii.com/api/v1/packages/list"
STATUS = "https://sandbox.syngrafii.com/api/v1/packages/9f0c3c1e-2b7d-4f7e-9a51-1c2d3e4f5a6b/status"
BAD_LIST = {"items": "not a list", "total": 0, "take": 10, "skip": 0}


def _tapes(folder: Path, *, status: str = "drift", list_total: Any = 0) -> None:
    """A list cassette (drifted) and a status cassette: drifted, malformed, or absent."""
    cassette(folder / "list.yaml", interaction("POST", LIST, {**BAD_LIST, "total": list_total}))
    if status == "drift":
        cassette(folder / "status.yaml", interaction("GET", STATUS, {"packageId": 7, "state": ["open"]}))
    elif status == "malformed":
        (folder / "status.yaml").write_text("interactions: [unclosed\n")


def _audit(tmp_path: Path, signcheck_cli: Any, name: str, **tapes: Any) -> dict[str, Any]:
    _tapes(tmp_path / name, **tapes)
    signcheck_cli(tmp_path, "audit", name, "--report", f"{name}.json")
    return dict(json.loads((tmp_path / f"{name}.json").read_text()))


def test_fingerprints_new_could_not_check_are_not_re_checked_not_gone(
    tmp_path: Path, signcheck_cli: Any
) -> None:
    old = _audit(tmp_path, signcheck_cli, "old")
    new = _audit(tmp_path, signcheck_cli, "new", status="malformed")
    assert (old["outcome"], new["outcome"]) == ("drift", "drift") and new["problems"]
    status_groups = sum(group["endpoint"].endswith("/status") for group in old["groups"])
    assert status_groups > 0
    result = signcheck_cli(tmp_path, "diff", "old.json", "new.json")
    assert result.returncode == 10, result.stdout
    lines = result.stdout.splitlines()
    assert not any(line.startswith("gone:") for line in lines)
    assert f"not re-checked: {status_groups} fingerprint(s)" in result.stdout
    unchecked = [line for line in lines if line.startswith("  ? ")]
    assert len(unchecked) == status_groups and all("GET /packages/{packageId}/status" in x for x in unchecked)
    assert f"0 new, 0 gone, {status_groups} not re-checked, 1 unchanged" in lines
    assert lines[-1].startswith("could-not-check: new.json could not check: ")
    assert "status.yaml" in lines[-1] and "not re-checked, not gone" in lines[-1]


def test_new_breaking_drift_outranks_new_problems_and_a_checked_endpoint_is_gone(
    tmp_path: Path, signcheck_cli: Any
) -> None:
    _audit(tmp_path, signcheck_cli, "old")
    # NEW: the status cassette is malformed, and the list drifts in a new way (`total` a string)
    _audit(tmp_path, signcheck_cli, "new", status="malformed", list_total="zero")
    result = signcheck_cli(tmp_path, "diff", "old.json", "new.json")
    assert result.returncode == 1, result.stdout
    assert "new: 1 fingerprint(s)" in result.stdout and "not re-checked:" in result.stdout
    # the other way round: OLD's list drift is gone (NEW checked the list), the status drift new
    fixed = _audit(tmp_path, signcheck_cli, "fixed", status="absent")
    assert fixed["outcome"] == "drift" and not fixed["problems"]
    back = signcheck_cli(tmp_path, "diff", "new.json", "fixed.json")
    assert back.returncode == 0, back.stdout
    assert "gone: 1 fingerprint(s)" in back.stdout and "not re-checked" not in back.stdout
    # a NEW that never reached the status endpoint (no problem): its drift there is not re-checked
    again = signcheck_cli(tmp_path, "diff", "old.json", "fixed.json")
    assert again.returncode == 0 and "not re-checked:" in again.stdout
    assert not any(line.startswith("gone:") for line in again.stdout.splitlines())
