"""Schemathesis runs `schemas/openapi.yaml` against the reference sandbox, with its response conformance
checks and ours (issue 13, points 4 and 5): the clean sandbox passes, each drift fails under its id.

Each test starts a sandbox and runs the real ``schemathesis run`` command, with a fixed seed and few
examples. In this branch the sandbox serves upload, add, get, status, list, send, rescind and delete,
so the runs include only those operations (``--include-path-regex``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SANDBOX_NOW, SandboxConfig, running

pytest.importorskip("schemathesis")

from pytest_signcheck.schemathesis import CHECK_IDS, exchange_of

OPENAPI = Path(__file__).resolve().parent.parent / "schemas" / "openapi.yaml"
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
SERVED = r".*"  # every documented operation: the reference sandbox serves them all
CONFORMANCE = (
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
ONE_LINE = 'hooks = "pytest_signcheck.schemathesis"\n'  # what the README tells a user to write
PACKAGE = '\n[parameters]\npackageId = "${SIGNCHECK_PACKAGE_ID}"\n'


def package_with_links(base_url: str, api_key: str) -> str:
    """A Sequential package whose status carries signer links (the seeded sandbox has several)."""
    with httpx.Client(base_url=base_url, headers={"api_key": api_key}) as client:
        items = client.post("/packages/list", json={"allMembers": True, "take": 100}).json()["items"]
        for item in items:
            status = client.get(f"/packages/{item['packageId']}/status").json()
            if item["type"].lower() == "sequential" and any(s.get("links") for s in status["signers"]):
                return str(item["packageId"])
    raise AssertionError("the seeded sandbox has no Sequential package with links")


def schemathesis_run(
    folder: Path, config: str, drifts: tuple[str, ...], paths: str, *arguments: str
) -> subprocess.CompletedProcess[str]:
    """`schemathesis run openapi.yaml` against a fresh sandbox with `drifts`; the run's output."""
    (folder / "schemathesis.toml").write_text(config + PACKAGE)
    with running(SandboxConfig(drifts=drifts)) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMATHESIS_")}
        env["SIGNCHECK_PACKAGE_ID"] = package_with_links(server.base_url, server.api_key)
        command = [SCHEMATHESIS, "--config-file", str(folder / "schemathesis.toml"), "run", str(OPENAPI)]
        command += ["--url", server.base_url, "-H", f"api_key: {server.api_key}", "--seed", "1"]
        command += ["--workers", "1", "--no-color", "--include-path-regex", paths, *arguments]
        return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def failed_checks(output: str) -> set[str]:
    return set(re.findall(r"Custom check failed: `([a-z-]+)`", output))


def test_the_clean_sandbox_passes_conformance_and_every_signcheck_check(tmp_path: Path) -> None:
    """Every generated input, `days: 0` and search text with punctuation included: where the docs leave
    an input's meaning open, the checks do not fail a guess."""
    config = ONE_LINE
    config += "".join(f'[checks.{check}]\nnow = "{SANDBOX_NOW}"\n' for check in ("filters", "signer-links"))
    checks = ",".join((*CONFORMANCE, *CHECK_IDS))
    done = schemathesis_run(tmp_path, config, (), SERVED, "--checks", checks, "--max-examples", "5")
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert re.search(r"(\d+) generated, \1 passed", done.stdout), done.stdout[-2000:]
    assert "Selected: 14/14" in done.stdout


STATUS, LIST = r"^/packages/\{packageId\}/status$", r"^/packages/list$"
DRIFTS = [
    ("type-lowercase", STATUS, "type-enum", "/type: The package type 'sequential'"),
    ("state-capitalised", STATUS, "state-enum", "/state: The state "),
    ("revision-wrong-document", STATUS, "integrity", "/documents/0/revisions/0/documentId"),
    ("token-mismatch", STATUS, "signer-links", "/signers/0/links/0/link"),
    ("take-ignored", LIST, "pagination", "/items: The page has"),
]


@pytest.mark.parametrize(("drift", "paths", "check", "detail"), DRIFTS, ids=[d[0] for d in DRIFTS])
def test_a_drift_fails_under_its_check_id(
    tmp_path: Path, drift: str, paths: str, check: str, detail: str
) -> None:
    """With the one line of the README as the whole configuration of our checks."""
    arguments = ("--checks", ",".join(CHECK_IDS), "--max-examples", "3", "--phases", "fuzzing")
    done = schemathesis_run(tmp_path, ONE_LINE, (drift,), paths, *arguments, "--mode", "positive")
    assert done.returncode == 1, done.stdout[-4000:]
    assert failed_checks(done.stdout) == {check}
    assert f"breaking {check}: " in done.stdout and detail in done.stdout


def test_the_api_version_of_a_check_is_configured_in_its_section(tmp_path: Path) -> None:
    """`api_version = "3.6"`: an executed package (a 4.0 state) fails `state-enum`, and only that."""
    config = ONE_LINE + '[checks.state-enum]\napi_version = "3.6"\n'
    with running(SandboxConfig()) as server, httpx.Client(base_url=server.base_url) as client:
        body = {"allMembers": True, "states": ["executed"], "take": 1}
        executed = client.post("/packages/list", json=body, headers={"api_key": server.api_key}).json()
    assert executed["items"], "the seeded sandbox has an executed package"
    arguments = ("--checks", "state-enum,type-enum", "--max-examples", "2", "--phases", "fuzzing")
    done = schemathesis_run(tmp_path, config, (), LIST, *arguments, "--mode", "positive")
    assert done.returncode == 1, done.stdout[-4000:]
    assert failed_checks(done.stdout) == {"state-enum"}
    assert "only exists from release 4.0" in done.stdout


def test_a_bad_setting_is_a_clear_configuration_error(tmp_path: Path) -> None:
    config = ONE_LINE + '[checks.integrity]\napi_version = "3.5"\n'
    done = schemathesis_run(tmp_path, config, (), STATUS, "--checks", "integrity", "--max-examples", "1")
    assert done.returncode != 0
    assert "unknown API version '3.5'; use one of 3.6, 4.0" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


# --- the adapter, in process -------------------------------------------------------------------------


def fake(method: str, path: str, body: bytes | str | None, content: bytes, size: int = 0) -> tuple[Any, Any]:
    """A Schemathesis response and case with just what the adapter reads."""
    headers = {"Content-Type": ["application/json"], "Date": ["Mon, 02 Jun 2025 09:00:00 GMT"]}
    request = SimpleNamespace(body=body)
    response = SimpleNamespace(
        status_code=200, headers=headers, content=content, request=request, content_size=size or len(content)
    )
    operation = SimpleNamespace(method=method, path=path, label=f"{method.upper()} {path}")
    return response, SimpleNamespace(operation=operation)


def test_the_adapter_reads_what_was_sent_and_received() -> None:
    response, case = fake("post", "/packages/list", '{"take": 2}', b'{"items": [], "total": 0}')
    exchange = exchange_of(response, case)
    assert exchange is not None
    assert (exchange.endpoint, exchange.status_code, exchange.request) == (
        "POST /packages/list",
        200,
        {"take": 2},
    )
    assert exchange.body == {"items": [], "total": 0}
    assert exchange.headers["content-type"] == "application/json"


def test_the_adapter_skips_what_it_cannot_judge() -> None:
    unknown = fake("get", "/health", None, b"{}")
    assert exchange_of(*unknown) is None
    multipart = exchange_of(*fake("post", "/files/upload", b"--boundary\r\n...", b'{"files": []}'))
    assert multipart is not None and multipart.request is None
    cut_short = fake("get", "/packages/{packageId}/status", None, b'{"packageId": "x"', size=4096)
    assert exchange_of(*cut_short) is None
