"""``python -m pytest_signcheck.sandbox``: listing drifts, bad options, serving until a signal."""

from __future__ import annotations

import pathlib
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from pytest_signcheck.sandbox import DRIFTS

ROOT = pathlib.Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "pytest_signcheck.sandbox"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_accepting(port: int, process: subprocess.Popen[str], timeout: float = 20) -> None:
    """A bounded wait for the server to accept a connection (not a sleep to pass a test)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    pytest.fail(f"the sandbox did not accept connections on port {port} within {timeout} s")


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = free_port()
    args = ["--port", str(port), "--drift", "type-lowercase", "--api-key", "cli-key", "--packages", "5"]
    process = subprocess.Popen(
        [*COMMAND, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_until_accepting(port, process)
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_list_drifts_prints_one_line_per_drift() -> None:
    result = run("--list-drifts")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(DRIFTS)
    for line, drift in zip(lines, DRIFTS.values(), strict=True):
        name, check, description = line.split(maxsplit=2)
        assert (name, check, description) == (drift.name, drift.check, drift.description)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--drift", "no-such-drift"], "unknown drift 'no-such-drift'; known drifts: rename-signer-id"),
        (["--api-version", "5.0"], "unknown api version '5.0'; known versions: 4.0, 3.6"),
        (["--packages", "-3"], "packages must be zero or more"),
    ],
)
def test_bad_options_are_clean_errors(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 4  # every usage error, argparse's own included
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "terminate"])
def test_serves_until_stopped(served: tuple[subprocess.Popen[str], int], stop: signal.Signals) -> None:
    process, port = served
    base = f"http://127.0.0.1:{port}/api/v1"
    response = httpx.post(f"{base}/packages/list", headers={"api_key": "cli-key"}, content=b"{}")
    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 5
    assert "Sequential" not in {item["type"] for item in page["items"]}, "the drift switch is on"
    assert httpx.post(f"{base}/packages/list", json={}).status_code == 403
    process.send_signal(stop)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 0
    assert f"at {base}" in stdout
    assert "api_key: cli-key" in stdout
    assert "drifts: type-lowercase" in stdout
    assert stdout.rstrip().endswith("signcheck sandbox: stopped")
    assert "Traceback" not in stderr


def test_a_port_in_use_is_a_clean_error(served: tuple[subprocess.Popen[str], int]) -> None:
    _, port = served
    result = run("--port", str(port))
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_names_every_option() -> None:
    result = run("--help")
    assert result.returncode == 0
    for option in ("--port", "--host", "--drift", "--api-version", "--api-key", "--seed", "--packages"):
        assert option in result.stdout
    assert "--throttle" in result.stdout and "--list-drifts" in result.stdout
