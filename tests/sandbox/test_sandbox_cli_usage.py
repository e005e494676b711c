"""``python -m pytest_signcheck.sandbox`` as a user runs it: usage errors, a missing extra, the new options.

Every usage error exits 4 (argparse's own included) with a one-line reason and never a traceback.
"""

from __future__ import annotations

import pathlib
import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from pytest_signcheck.sandbox import DRIFTS

ROOT = pathlib.Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "pytest_signcheck.sandbox"]
EXTRA = 'pip install "pytest-signcheck[sandbox]"'


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False, env=env
    )


def without(module: str, tmp_path: pathlib.Path) -> dict[str, str]:
    """An environment in which ``import <module>`` fails as if the package were not installed."""
    stub = tmp_path / "stubs" / module
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text(
        f"raise ModuleNotFoundError(\"No module named '{module}'\", name='{module}')\n"
    )
    return {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(stub.parent)}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "99999"], "argument --port: a port must be from 0 to 65535, not 99999"),
        (["--port", "-1"], "argument --port: a port must be from 0 to 65535, not -1"),
        (["--port", "http"], "argument --port: 'http' is not a whole number"),
        (["--delay-ms", "-5"], "argument --delay-ms: the delay must be zero or more, not -5"),
        (["--templates", "-1"], "argument --templates: templates must be zero or more, not -1"),
        (["--throttle", "-2"], "argument --throttle: throttle must be -1 or more, not -2"),
        (["--seed", "1.5"], "argument --seed: '1.5' is not a whole number"),
        (["--no-such-option"], "unrecognized arguments: --no-such-option"),
        (["--api-version", "5.0"], "unknown api version '5.0'; known versions: 4.0, 3.6"),
    ],
)
def test_bad_values_are_usage_errors(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 4
    assert f"python -m pytest_signcheck.sandbox: error: {message}" in result.stderr
    assert result.stderr.startswith("usage: python -m pytest_signcheck.sandbox")
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize("module", ["starlette", "uvicorn"])
def test_without_the_extra_it_names_the_install_command(tmp_path: pathlib.Path, module: str) -> None:
    result = run("--port", "0", env=without(module, tmp_path))
    assert result.returncode == 4
    reason = f"the sandbox needs {module}, which is not installed: {EXTRA}"
    assert result.stderr.strip() == f"python -m pytest_signcheck.sandbox: error: {reason}"
    assert result.stdout == ""


def test_help_and_the_drift_list_need_no_extra(tmp_path: pathlib.Path) -> None:
    env = without("starlette", tmp_path)
    listed = run("--list-drifts", env=env)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == len(DRIFTS) >= 38
    helped = run("--help", env=env)
    assert helped.returncode == 0
    assert "--delay-ms" in helped.stdout and "--templates" in helped.stdout


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The sandbox on a free port with a delay and templates; yields it and its banner.

    The banner is printed once the server accepts connections, so reading it is the wait.
    """
    args = ["--port", "0", "--packages", "2", "--templates", "3", "--delay-ms", "5", "--api-key", "cli-key"]
    process = subprocess.Popen(
        [*COMMAND, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        banner = [process.stdout.readline()]
        while banner[-1] and not banner[-1].startswith("Ctrl-C stops it."):
            banner.append(process.stdout.readline())
        assert banner[-1], "".join(banner) + process.stderr.read()
        yield process, "".join(banner)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=20)


def test_serves_with_a_delay_templates_and_the_control_surface(
    served: tuple[subprocess.Popen[str], str],
) -> None:
    process, banner = served
    base_url = banner.splitlines()[0].rsplit(" at ", 1)[1]
    headers = {"api_key": "cli-key"}
    every = {"allMembers": True}
    assert httpx.post(f"{base_url}/templates/list", headers=headers, json=every).json()["total"] == 3
    assert httpx.post(f"{base_url}/packages/list", headers=headers, json={}).json()["total"] == 2
    control = base_url.removesuffix("/api/v1") + "/_sandbox"
    assert httpx.get(f"{control}/stats", headers=headers).json() == {"requests": 2, "delayedMs": 10}
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 0 and "Traceback" not in stderr
    assert "3 templates, delay 5 ms" in banner
    assert f"sandbox controls (not the vendor API): {control}" in banner
    assert stdout.strip() == "signcheck sandbox: stopped"
