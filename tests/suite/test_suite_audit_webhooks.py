"""`signcheck audit` of captured webhook events, as teams log them: a folder of .json files (one event,
or a list), NDJSON (.ndjson, .jsonl), each event the body alone or {"headers", "body"}. Run as a user
runs it; 0 pass, 1 drift, 10 nothing checked."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from pytest_signcheck.sandbox import SandboxConfig, running
from pytest_signcheck.traffic.webhooks import Receiver

Cli = Callable[..., Any]  # tests/conftest.py's signcheck_cli: returncode, stdout, stderr
#: The docs' own example event (§7), as tests/data keeps it.
EXAMPLE = json.loads(
    (
        Path(__file__).parents[1] / "data" / "examples" / "webhook-package-add" / "package-add-example.json"
    ).read_text()
)


def _captured(drifts: tuple[str, ...], path: Path) -> str:
    """Log, as NDJSON with its headers, a package_add the reference sandbox delivered; its signature."""
    with running(SandboxConfig(drifts=drifts, packages=0)) as server, Receiver() as receiver:
        headers = {"api_key": server.api_key}
        httpx.post(f"{server.base_url}/events/endpoints/set", json={"url": receiver.url}, headers=headers)
        body = {"name": "captured", "type": "concurrent", "state": "draft"}
        httpx.post(f"{server.base_url}/packages/add", json=body, headers=headers).raise_for_status()
        (delivery,) = receiver.wait_for(timeout=10)
    path.write_text(json.dumps({"headers": delivery.headers, "body": delivery.body.decode()}) + "\n")
    return str((delivery.headers or {})["x-syngrafii-signature"])


def test_delivered_events_logged_as_ndjson(tmp_path: Path, signcheck_cli: Cli) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    signatures = [_captured((), clean / "hooks.ndjson")]
    signatures += [_captured(("webhook-field-renamed",), tmp_path / "renamed.ndjson")]
    signatures += [_captured(("webhook-time-us-format",), tmp_path / "us-time.jsonl")]
    passed = signcheck_cli(tmp_path, "audit", "clean")
    assert passed.returncode == 0, passed.stdout
    assert "audited clean/hooks.ndjson: 1 checked (1 like the API), 0 skipped" in passed.stdout
    result = signcheck_cli(tmp_path, "audit", ".", "--report", "r.json")
    assert result.returncode == 1, result.stdout
    lines = result.stdout.splitlines()
    for name in ("clean/hooks.ndjson", "renamed.ndjson", "us-time.jsonl"):
        assert f"audited {name}: 1 checked (1 like the API), 0 skipped" in result.stdout
    assert fnmatch.filter(lines, "breaking schema: WEBHOOK package_add /eventTime*[[]renamed.ndjson:1]")
    assert fnmatch.filter(lines, "breaking timestamp: WEBHOOK package_add /eventTime*[[]us-time.jsonl:1]")
    report = (tmp_path / "r.json").read_text()
    assert json.loads(report)["outcome"] == "drift"
    assert not [s for s in signatures if s in result.stdout + report]  # a signature is never shown


def test_a_folder_of_events_one_per_file_or_a_list(tmp_path: Path, signcheck_cli: Cli) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "one.json").write_text(json.dumps(EXAMPLE, indent="\t"))  # the docs indent with tabs
    executed = {**EXAMPLE, "action": "package_executed"}
    (hooks / "day.json").write_text(json.dumps([EXAMPLE, executed, {"note": "not an event"}]))
    (hooks / "package.json").write_text('{"name": "x"}')
    result = signcheck_cli(tmp_path, "audit", "hooks")
    assert result.returncode == 0, result.stdout
    assert "audited hooks/one.json: 1 checked (1 like the API), 0 skipped" in result.stdout
    assert "audited hooks/day.json: 2 checked (2 like the API), 1 skipped" in result.stdout
    assert "skipped hooks/package.json: not a vcrpy cassette" in result.stdout


def test_a_renamed_action_in_a_jsonl_file_is_drift(tmp_path: Path, signcheck_cli: Cli) -> None:
    lines = [
        json.dumps(EXAMPLE),
        "",
        "this line is not JSON",
        json.dumps({**EXAMPLE, "action": "packageAdded"}),
    ]
    (tmp_path / "events.jsonl").write_text("\n".join(lines) + "\n")
    result = signcheck_cli(tmp_path, "audit", "events.jsonl")
    assert result.returncode == 1, result.stdout
    assert "audited events.jsonl: 2 checked (2 like the API), 1 skipped" in result.stdout
    assert "breaking schema: WEBHOOK package_add /action" in result.stdout
    assert "[events.jsonl:4]" in result.stdout


def test_a_log_without_a_single_event_checked_nothing(tmp_path: Path, signcheck_cli: Cli) -> None:
    (tmp_path / "access.ndjson").write_text('{"path": "/health", "status": 200}\n')
    result = signcheck_cli(tmp_path, "audit", "access.ndjson")
    assert result.returncode == 10, result.stdout
    assert "skipped access.ndjson: no webhook event on any line" in result.stdout
    assert "nothing was checked" in result.stdout
