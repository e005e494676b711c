"""Schemathesis runs `schemas/openapi.yaml` against the reference sandbox, with its response conformance
checks and ours (issue 13, points 4 and 5): the clean sandbox passes, each drift fails under its id.

``schemathesis run`` runs in this process, through click's `CliRunner` (as Schemathesis tests its own
command line), with a fixed seed and few examples; the hooks a run registers, the environment and
``sys.path`` are put back after it. Once, it runs as a user runs it, in a child process: there, the
README's one ``hooks`` line is what loads our checks (in this process they are loaded already).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SANDBOX_NOW, SandboxConfig, SandboxServer, running

pytest.importorskip("schemathesis")

from click.testing import CliRunner
from schemathesis.cli import schemathesis as schemathesis_command
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

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


Run = tuple[int, str]  # the exit status, and what the run printed


def package_with_links(base_url: str, api_key: str) -> str:
    """A Sequential package whose status carries signer links (the seeded sandbox has several)."""
    with httpx.Client(base_url=base_url, headers={"api_key": api_key}) as client:
        items = client.post("/packages/list", json={"allMembers": True, "take": 100}).json()["items"]
        for item in items:
            status = client.get(f"/packages/{item['packageId']}/status").json()
            if item["type"].lower() == "sequential" and any(s.get("links") for s in status["signers"]):
                return str(item["packageId"])
    raise AssertionError("the seeded sandbox has no Sequential package with links")


def _arguments(folder: Path, server: SandboxServer, paths: str, arguments: tuple[str, ...]) -> list[str]:
    command = ["--config-file", str(folder / "schemathesis.toml"), "run", str(OPENAPI)]
    command += ["--url", server.base_url, "-H", f"api_key: {server.api_key}", "--seed", "1"]
    return [*command, "--workers", "1", "--no-color", "--include-path-regex", paths, *arguments]


@pytest.fixture(scope="module")
def clean() -> Iterator[SandboxServer]:
    """A clean sandbox for the runs that only read (the clean run, which writes, starts its own)."""
    with running(SandboxConfig()) as server:
        yield server


@pytest.fixture
def schemathesis_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """``schemathesis_run(config, server, paths, *arguments)``: `schemathesis run openapi.yaml` against
    `server` with `config` as schemathesis.toml, in this process; its exit status and output."""
    for name in [name for name in os.environ if name.startswith("SCHEMATHESIS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("NO_COLOR", "1")  # --no-color sets it in os.environ: put back what was there
    monkeypatch.setattr(sys, "path", list(sys.path))  # a hooks module name adds the folder to sys.path
    hooks = defaultdict(list, {name: list(found) for name, found in GLOBAL_HOOK_DISPATCHER.get_all().items()})
    monkeypatch.setattr(GLOBAL_HOOK_DISPATCHER, "_hooks", hooks)  # a hooks file registers globally
    monkeypatch.chdir(tmp_path)

    def run(config: str, server: SandboxServer, paths: str, *arguments: str) -> Run:
        (tmp_path / "schemathesis.toml").write_text(config + PACKAGE)
        monkeypatch.setenv("SIGNCHECK_PACKAGE_ID", package_with_links(server.base_url, server.api_key))
        command = _arguments(tmp_path, server, paths, arguments)
        done = CliRunner().invoke(schemathesis_command, command, catch_exceptions=False)
        return done.exit_code, done.output

    return run


def failed_checks(output: str) -> set[str]:
    return set(re.findall(r"Custom check failed: `([a-z-]+)`", output))


def test_the_clean_sandbox_passes_conformance_and_every_signcheck_check(
    schemathesis_run: Callable[..., Run],
) -> None:
    """Every generated input, `days: 0` and search text with punctuation included: where the docs leave
    an input's meaning open, the checks do not fail a guess."""
    config = ONE_LINE
    config += "".join(f'[checks.{check}]\nnow = "{SANDBOX_NOW}"\n' for check in ("filters", "signer-links"))
    checks = ",".join((*CONFORMANCE, *CHECK_IDS))
    with running(SandboxConfig()) as server:
        status, output = schemathesis_run(config, server, SERVED, "--checks", checks, "--max-examples", "2")
    assert status == 0, output[-8000:]
    assert re.search(r"(\d+) generated, \1 passed", output), output[-2000:]
    assert "Selected: 14/14" in output and "Tested: 14" in output


STATUS, LIST = r"^/packages/\{packageId\}/status$", r"^/packages/list$"
DRIFTS = [
    ("type-lowercase", STATUS, "type-enum", "/type: The package type 'sequential'"),
    ("state-capitalised", STATUS, "state-enum", "/state: The state "),
    ("revision-wrong-document", STATUS, "integrity", "/documents/0/revisions/0/documentId"),
    ("token-mismatch", STATUS, "signer-links", "/signers/0/links/0/link"),
    ("take-ignored", LIST, "pagination", "/items: The page has"),
]
#: A drift run: our checks alone, valid requests only, no shrinking of the failing example.
DRIFT_RUN = ("--checks", ",".join(CHECK_IDS), "--phases", "fuzzing", "--mode", "positive", "--no-shrink")


def _failed_under_its_id(run: Run, check: str, detail: str) -> None:
    status, output = run
    assert status == 1, output[-4000:]
    assert failed_checks(output) == {check}
    assert f"breaking {check}: " in output and detail in output


@pytest.mark.parametrize(("drift", "paths", "check", "detail"), DRIFTS[1:], ids=[d[0] for d in DRIFTS[1:]])
def test_a_drift_fails_under_its_check_id(
    schemathesis_run: Callable[..., Run], drift: str, paths: str, check: str, detail: str
) -> None:
    """With the one line of the README as the whole configuration of our checks."""
    with running(SandboxConfig(drifts=(drift,))) as server:
        run = schemathesis_run(ONE_LINE, server, paths, *DRIFT_RUN, "--max-examples", "3")
    _failed_under_its_id(run, check, detail)


def test_the_readme_line_loads_the_checks_into_schemathesis_itself(tmp_path: Path) -> None:
    """`schemathesis run` as a user runs it, in a fresh interpreter: the one `hooks` line of the README
    is all that registers our checks there, and the exit status is the process's."""
    drift, paths, check, detail = DRIFTS[0]
    (tmp_path / "schemathesis.toml").write_text(ONE_LINE + PACKAGE)
    with running(SandboxConfig(drifts=(drift,))) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMATHESIS_")}
        env["SIGNCHECK_PACKAGE_ID"] = package_with_links(server.base_url, server.api_key)
        # Schemathesis's own output (rich, with emoji) stops with an internal error on an ASCII output
        # (LC_ALL=C and PYTHONUTF8=0) and asks for this variable; it is about Schemathesis, not our hooks.
        env["PYTHONIOENCODING"] = "utf-8"
        arguments = (*DRIFT_RUN, "--max-examples", "3")
        command = [SCHEMATHESIS, *_arguments(tmp_path, server, paths, arguments)]
        done = subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, encoding="utf-8", timeout=300
        )
    _failed_under_its_id((done.returncode, done.stdout), check, detail)


def test_the_api_version_of_a_check_is_configured_in_its_section(
    schemathesis_run: Callable[..., Run], clean: SandboxServer
) -> None:
    """`api_version = "3.6"`: an executed package (a 4.0 state) fails `state-enum`, and only that."""
    config = ONE_LINE + '[checks.state-enum]\napi_version = "3.6"\n'
    with httpx.Client(base_url=clean.base_url) as client:
        body = {"allMembers": True, "states": ["executed"], "take": 1}
        executed = client.post("/packages/list", json=body, headers={"api_key": clean.api_key}).json()
    assert executed["items"], "the seeded sandbox has an executed package"
    arguments = ("--checks", "state-enum,type-enum", "--max-examples", "2", "--phases", "fuzzing")
    status, output = schemathesis_run(config, clean, LIST, *arguments, "--mode", "positive", "--no-shrink")
    assert status == 1, output[-4000:]
    assert failed_checks(output) == {"state-enum"}
    assert "only exists from release 4.0" in output


def test_a_bad_setting_is_a_clear_configuration_error(
    schemathesis_run: Callable[..., Run], clean: SandboxServer
) -> None:
    config = ONE_LINE + '[checks.integrity]\napi_version = "3.5"\n'
    status, output = schemathesis_run(config, clean, STATUS, "--checks", "integrity", "--max-examples", "1")
    assert status != 0
    assert "unknown API version '3.5'; use one of 3.6, 4.0" in output
    assert "Traceback" not in output


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
