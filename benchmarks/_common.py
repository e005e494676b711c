"""Shared helpers of the issue-6 benchmarks: sandbox responses, timing, peak memory and tables.

Timing is best-of-N with `time.perf_counter` after a warm-up call; a sample runs the action enough
times to last a few milliseconds, so tiny actions are not lost in timer noise. The garbage collector
stays on for every contender alike (the checks allocate, and so does `json.loads`). Peak memory of a
child process comes from `os.wait4` (that child's own ``ru_maxrss``); in-process figures come from
`tracemalloc`, which is only ever switched on outside the timed runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from pytest_signcheck.sandbox import SANDBOX_NOW
from pytest_signcheck.suite.pdf import make_pdf

REPO = Path(__file__).resolve().parent.parent
STATUS = "GET /packages/{packageId}/status"
LIST = "POST /packages/list"
#: The sandbox's fixed "now": link expiry and sign-by dates are relative to it.
SANDBOX_TIME = datetime.strptime(SANDBOX_NOW[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)


# --- timing -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Timing:
    """Best and median seconds per call, over `samples` samples of `number` calls each."""

    best: float
    median: float
    number: int
    samples: int

    @property
    def ms(self) -> float:
        return self.best * 1000


def measure(action: Callable[[], object], budget: float = 0.4, min_samples: int = 3) -> Timing:
    """Warm up once, then time `action` for about `budget` seconds (at least `min_samples` samples)."""
    return measure_all({"action": action}, budget, min_samples, rounds=1)["action"]


def measure_all(
    actions: dict[str, Callable[[], object]], budget: float = 0.4, min_samples: int = 3, rounds: int = 3
) -> dict[str, Timing]:
    """`measure` for several actions, interleaved: `rounds` rounds, each giving every action its share
    of `budget`, so that a noisy moment on a shared machine cannot favour one contender."""
    plans = {}
    for name, action in actions.items():  # warm up once; samples of `number` calls, ~5 ms each
        start = time.perf_counter()
        action()
        once = max(time.perf_counter() - start, 1e-7)
        number = max(1, int(0.005 / once))
        samples = max(min_samples, min(200, int(budget / (once * number))))
        plans[name] = (number, max(1, -(-samples // rounds)))
    results: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            number, samples = plans[name]
            for _ in range(samples):
                start = time.perf_counter()
                for _ in range(number):
                    action()
                results[name].append((time.perf_counter() - start) / number)
    timings = {}
    for name, found in results.items():
        found.sort()
        timings[name] = Timing(found[0], found[len(found) // 2], plans[name][0], len(found))
    return timings


# --- memory and child processes ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChildRun:
    """One child process: wall seconds from spawn to exit, its peak RSS, exit code and output."""

    wall: float
    max_rss_kb: int
    returncode: int
    stdout: str


# A child's ru_maxrss also counts the memory image it had before exec, which after fork is this
# (large) benchmark process. So a small launcher spawns the command instead, and reports the wall
# time from spawn to exit and the child's own peak RSS (never below the launcher's ~10 MiB).
_LAUNCHER = """
import json, os, sys, time
result, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(command[0], command, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(result, "w") as handle:
    json.dump([wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status)], handle)
"""


def run_child(
    command: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> ChildRun:
    """Run `command` to completion: wall seconds from spawn to exit, and its own peak RSS in KiB."""
    with tempfile.TemporaryDirectory(prefix="signcheck-bench-") as scratch:
        result = Path(scratch) / "result.json"
        completed = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, str(result), *command],
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if completed.returncode != 0 or not result.exists():
            raise RuntimeError(f"the launcher failed: {completed.stdout.decode(errors='replace')[-2000:]}")
        wall, max_rss_kb, returncode = json.loads(result.read_text())
    return ChildRun(
        float(wall), int(max_rss_kb), int(returncode), completed.stdout.decode("utf-8", "replace")
    )


def clean_env(**extra: str) -> dict[str, str]:
    """This environment minus anything that would steer pytest or signcheck, plus `extra`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SIGNCHECK_", "PYTEST_")) and key != "PYTHONPATH"
    }
    env.update(extra)
    return env


def memory_kb(field: str) -> int:
    """VmRSS / VmHWM of this process (Linux), in KiB; 0 when /proc is not there."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def mib(kib: float) -> float:
    return kib / 1024


# --- the sandbox ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fetched:
    """One real response of the sandbox, kept as bytes so every contender gets the same input."""

    label: str
    endpoint: str
    status: int
    content: bytes
    headers: dict[str, str]
    request: Any = None
    links: bool | None = None


@dataclass
class SandboxClient:
    """A keep-alive httpx client on a running sandbox, with the few calls the benchmarks need."""

    base_url: str
    api_key: str
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.base_url, headers={"api_key": self.api_key}, timeout=60)

    def close(self) -> None:
        self.http.close()

    def upload(self, count: int) -> list[str]:
        files = [
            ("file", (f"bench-{n}.pdf", make_pdf(f"bench {n}"), "application/pdf")) for n in range(count)
        ]
        response = self.http.post("/files/upload", files=files)
        response.raise_for_status()
        return [str(item["fileId"]) for item in response.json()["files"]]

    def add_package(self, documents: int, signers: int, *, links: bool = True) -> str:
        """A Sequential package with `documents` x `signers`; returns its id."""
        body = {
            "name": f"benchmark {documents}x{signers}",
            "type": "Sequential",
            "generateSignerLinks": links,
            "signers": [
                {"firstName": "Bench", "lastName": f"Signer{n}", "email": f"signer{n}@example.com"}
                for n in range(signers)
            ],
            "documents": [{"fileId": file_id} for file_id in self.upload(documents)],
        }
        response = self.http.post("/packages/add", json=body)
        response.raise_for_status()
        return str(response.json()["packageId"])

    def status(self, package_id: str, label: str, *, links: bool) -> Fetched:
        response = self.http.get(f"/packages/{package_id}/status")
        response.raise_for_status()
        return Fetched(label, STATUS, 200, response.content, dict(response.headers), None, links)

    def list_page(self, request: dict[str, Any], label: str) -> Fetched:
        response = self.http.post("/packages/list", json=request)
        response.raise_for_status()
        return Fetched(label, LIST, 200, response.content, dict(response.headers), dict(request))


# --- tables -----------------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """A plain text table: the first column left-aligned, the others right-aligned."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(str(h)), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]

    def line(row: Sequence[str]) -> str:
        first = row[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return [line(list(headers)), rule, *(line(row) for row in cells)]


def print_table(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    print(f"\n{title}")
    for text in table(headers, rows):
        print(text)


def environment() -> str:
    """One line naming what the figures were taken on."""
    import platform

    import yaml

    libyaml = "libyaml" if getattr(yaml, "__with_libyaml__", False) else "no libyaml"
    return (
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
        f"pyyaml {yaml.__version__} ({libyaml}); {sys.executable}"
    )


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"
