"""``python -m pytest_signcheck.sandbox`` where the process is the subject: serving until a signal
stops it (Ctrl-C, SIGTERM), and a missing extra in an interpreter that never imported it.

Usage errors, the drift list, ``--help`` and a port in use run the same ``main`` in this process
(tests/sandbox/test_sandbox_cli_usage.py).
"""

from __future__ import annotations

import pathlib
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from pytest_signcheck.sandbox import DRIFTS

ROOT = pathlib.Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "pytest_signcheck.sandbox"]
EXTRA = 'pip install "pytest-signcheck[sandbox]"'


@contextmanager
def serving(*args: str) -> Iterator[tuple[subprocess.Popen[str], str, str]]:
    """The sandbox on a free port (``--port 0``) with `args`: the process, its banner and its base URL.

    The banner is printed once the server accepts connections, so reading it is the wait.
    """
    process = subprocess.Popen(
        [*COMMAND, "--port", "0", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        banner = [process.stdout.readline()]
        while banner[-1] and not banner[-1].startswith("Ctrl-C stops it."):
            banner.append(process.stdout.readline())
        assert banner[-1], "".join(banner) + (process.stderr.read() if process.stderr else "")
        yield process, "".join(banner), banner[0].rsplit(" at ", 1)[1].strip()
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=20)


def stop(process: subprocess.Popen[str], how: signal.Signals) -> str:
    """Send `how`; the process must exit 0 without a traceback. What it printed after its banner."""
    process.send_signal(how)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "Traceback" not in stderr
    return stdout


def test_serves_with_a_drift_and_a_key_until_terminated() -> None:
    args = ("--drift", "type-lowercase", "--api-key", "cli-key", "--packages", "5")
    with serving(*args) as (process, banner, base):
        response = httpx.post(f"{base}/packages/list", headers={"api_key": "cli-key"}, content=b"{}")
        assert response.status_code == 200
        page = response.json()
        assert page["total"] == 5
        assert "Sequential" not in {item["type"] for item in page["items"]}, "the drift switch is on"
        assert httpx.post(f"{base}/packages/list", json={}).status_code == 403
        stdout = stop(process, signal.SIGTERM)
    assert base.startswith("http://127.0.0.1:") and base.endswith("/api/v1")
    assert "api_key: cli-key" in banner
    assert "drifts: type-lowercase" in banner
    assert stdout.strip() == "signcheck sandbox: stopped"


def test_serves_with_a_delay_templates_and_the_control_surface_until_ctrl_c() -> None:
    args = ("--packages", "2", "--templates", "3", "--delay-ms", "5", "--api-key", "cli-key")
    with serving(*args) as (process, banner, base):
        headers = {"api_key": "cli-key"}
        every = {"allMembers": True}
        assert httpx.post(f"{base}/templates/list", headers=headers, json=every).json()["total"] == 3
        assert httpx.post(f"{base}/packages/list", headers=headers, json={}).json()["total"] == 2
        control = base.removesuffix("/api/v1") + "/_sandbox"
        assert httpx.get(f"{control}/stats", headers=headers).json() == {"requests": 2, "delayedMs": 10}
        stdout = stop(process, signal.SIGINT)
    assert "3 templates, delay 5 ms" in banner
    assert f"sandbox controls (not the vendor API): {control}" in banner
    assert stdout.strip() == "signcheck sandbox: stopped"


def test_serves_on_localhost_without_an_opt_in() -> None:
    """Loopback by name is loopback: only other interfaces need --allow-non-loopback."""
    with serving("--host", "localhost", "--packages", "1") as (process, _, base):
        assert base.startswith("http://localhost:")
        response = httpx.post(f"{base}/packages/list", headers={"api_key": "signcheck-sandbox-key"}, json={})
        assert response.json()["total"] == 1
        stop(process, signal.SIGTERM)


def without(module: str, tmp_path: pathlib.Path) -> dict[str, str]:
    """An environment in which ``import <module>`` fails as if the package were not installed."""
    stub = tmp_path / "stubs" / module
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text(
        f"raise ModuleNotFoundError(\"No module named '{module}'\", name='{module}')\n"
    )
    return {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(stub.parent)}


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False, env=env
    )


def test_without_starlette_it_names_the_install_command(tmp_path: pathlib.Path) -> None:
    """In a fresh interpreter: nothing imported before `main` needs the extra (uvicorn missing, with
    starlette there, is the same message in this process: test_sandbox_cli_usage.py)."""
    result = run("--port", "0", env=without("starlette", tmp_path))
    assert result.returncode == 4
    reason = f"the sandbox needs starlette, which is not installed: {EXTRA}"
    assert result.stderr.strip() == f"python -m pytest_signcheck.sandbox: error: {reason}"
    assert result.stdout == ""


def test_the_drift_list_needs_no_extra(tmp_path: pathlib.Path) -> None:
    """The options parsed, the drifts listed, without starlette: `--help` stops earlier still."""
    listed = run("--list-drifts", env=without("starlette", tmp_path))
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == len(DRIFTS) >= 38
