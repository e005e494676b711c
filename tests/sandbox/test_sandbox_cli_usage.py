"""``python -m pytest_signcheck.sandbox`` as a user runs it: usage errors, the drift list, ``--help``, a
port in use, a missing extra.

Every usage error exits 4 (argparse's own included) with one line naming the fix, never the usage block
and never a traceback: a bad value, a port in use, a host that is not loopback. Its
``main`` runs in this process (`command_in_process`, tests/conftest.py); serving until a signal, and
the extra missing from a fresh interpreter, run in a child process (tests/sandbox/test_sandbox_cli.py).
"""

from __future__ import annotations

import signal
import socket
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pytest_signcheck.sandbox import DRIFTS
from pytest_signcheck.sandbox.__main__ import main

PROG = "python -m pytest_signcheck.sandbox"
EXTRA = 'pip install "pytest-signcheck[sandbox]"'


@pytest.fixture
def sandbox_cli(command_in_process: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """``sandbox_cli(*args)``: the sandbox's command in this process. Serving installs handlers for
    SIGINT and SIGTERM; this process gets its own back afterwards."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield lambda *args: command_in_process(main, *args)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


HOST = (
    "is not a loopback address, and the sandbox accepts a well-known API key from anyone who can reach it; "
    "serve on 127.0.0.1, ::1 or localhost, or pass --allow-non-loopback to expose it on purpose"
)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "99999"], "argument --port: a port must be from 0 to 65535, not 99999; see --help"),
        (["--port", "-1"], "argument --port: a port must be from 0 to 65535, not -1; see --help"),
        (["--port", "http"], "argument --port: 'http' is not a whole number; see --help"),
        (["--port"], "argument --port: expected one argument; see --help"),
        (["--delay-ms", "-5"], "argument --delay-ms: the delay must be zero or more, not -5; see --help"),
        (["--templates", "-1"], "argument --templates: templates must be zero or more, not -1; see --help"),
        (["--throttle", "-2"], "argument --throttle: throttle must be -1 or more, not -2; see --help"),
        (["--seed", "1.5"], "argument --seed: '1.5' is not a whole number; see --help"),
        (["--packages", "-3"], "argument --packages: packages must be zero or more, not -3; see --help"),
        (["--no-such-option"], "unrecognized arguments: --no-such-option; see --help"),
        (
            ["--api-version", "5.0"],
            "argument --api-version: unknown api version '5.0'; known versions: 4.0, 3.6",
        ),
        (["--api-key="], "argument --api-key: the key must not be empty; leave it out for the default"),
        (
            ["--drift", "nope"],
            "argument --drift: unknown drift 'nope'; --list-drifts prints the 38 known ones",
        ),
        (
            ["--drift", "type-lowercase", "--drift", "type-lowercas"],
            "argument --drift: unknown drift 'type-lowercas' (did you mean 'type-lowercase'?); "
            "--list-drifts prints the 38 known ones",
        ),
        (["--host", "8.8.8.8"], f"argument --host: 8.8.8.8 {HOST}"),
        (["--host", "0.0.0.0"], f"argument --host: 0.0.0.0 {HOST}"),
        (["--host", "::"], f"argument --host: :: {HOST}"),
        (["--host", "example.com"], f"argument --host: example.com {HOST}"),
        # the opt-in passes the check; TEST-NET-1 (RFC 5737) is no address of this machine
        (
            ["--host", "192.0.2.1", "--allow-non-loopback", "--port", "0"],
            "argument --host: 192.0.2.1 is not an address of this machine; pick another --host",
        ),
    ],
)
def test_usage_errors_are_one_line_naming_the_fix(
    sandbox_cli: Callable[..., Any], args: list[str], message: str
) -> None:
    result = sandbox_cli(*args)
    assert result.returncode == 4
    assert result.stderr == f"{PROG}: error: {message}\n"
    assert result.stdout == ""


def test_list_drifts_prints_one_line_per_drift(sandbox_cli: Callable[..., Any]) -> None:
    result = sandbox_cli("--list-drifts")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(DRIFTS) >= 38
    for line, drift in zip(lines, DRIFTS.values(), strict=True):
        name, check, description = line.split(maxsplit=2)
        assert (name, check, description) == (drift.name, drift.check, drift.description)


def test_help_names_every_option(sandbox_cli: Callable[..., Any]) -> None:
    result = sandbox_cli("--help")
    assert result.returncode == 0
    options = ("--port", "--host", "--drift", "--api-version", "--api-key", "--seed", "--packages")
    for option in (
        *options,
        "--templates",
        "--delay-ms",
        "--throttle",
        "--list-drifts",
        "--allow-non-loopback",
    ):
        assert option in result.stdout


def test_a_port_in_use_is_a_clean_error(sandbox_cli: Callable[..., Any]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = sandbox_cli("--port", str(port))
    assert result.returncode == 4
    assert result.stderr == f"{PROG}: error: port {port} is in use; pick another with --port or --port 0\n"
    assert result.stdout == ""


def test_without_uvicorn_it_names_the_install_command(
    sandbox_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """starlette installed, uvicorn not: `None` in sys.modules fails its import as a missing package does."""
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = sandbox_cli("--port", "0")
    assert result.returncode == 4
    reason = f"the sandbox needs uvicorn, which is not installed: {EXTRA}"
    assert result.stderr.strip() == f"{PROG}: error: {reason}"
    assert result.stdout == ""
