"""The project's own test suite: wall and CPU time of the README's test command, start to exit.

Issue 14, point 5. Each run is ``pytest -n 2 -q`` in the checkout (plus whatever
``--variant`` adds), timed from spawn to exit. CPU is user + system time of the run and every process
it waited for (xdist workers, the child pytest runs of the tests), from ``RUSAGE_CHILDREN``: on a
machine shared with other work it is the steadier figure, and CPU / 2 is what the wall time would be on
two otherwise idle cores with perfect balance. The load average before each run says how shared the
machine was.

Target: under 60 s wall on a quiet 2-core machine. Prints; asserts nothing.

    .venv/bin/python benchmarks/bench_tests.py [--runs 2] [--variant=--ignore=tests/checks]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from _common import REPO, clean_env, environment, print_table, verdict

TARGET_SECONDS = 60.0
COMMAND = ("-n", "2", "-q")
_SUMMARY = re.compile(r"^=*\s*((?:\d+ \w+, )*\d+ \w+ in [\d.]+s.*?)\s*=*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class SuiteRun:
    wall: float
    cpu: float
    load: float
    returncode: int
    summary: str


def run_suite(extra: list[str]) -> SuiteRun:
    """One run of the test command with `extra` arguments; its wall and CPU seconds."""
    pytest = Path(sys.executable).with_name("pytest")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run(
        [str(pytest), *COMMAND, *extra],
        cwd=REPO,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = _SUMMARY.findall(done.stdout)
    return SuiteRun(wall, cpu, load, done.returncode, found[-1] if found else done.stdout[-300:])


def _row(variant: str, number: int, run: SuiteRun) -> list[object]:
    label = f"pytest {' '.join(COMMAND)} {variant}".strip()
    times = [f"{run.wall:.1f}", f"{run.cpu:.1f}", f"{run.cpu / 2:.1f}", f"{run.load:.2f}"]
    return [label, number, *times, run.returncode, run.summary]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--variant", action="append", default=[], help="extra arguments, as one string")
    options = parser.parse_args()
    print(environment())
    runs = {
        variant: [run_suite(shlex.split(variant)) for _ in range(options.runs)]
        for variant in ["", *options.variant]
    }
    rows = [_row(variant, n, run) for variant, done in runs.items() for n, run in enumerate(done, 1)]
    headers = ["command", "run", "wall s", "CPU s", "CPU/2 s", "load before", "exit", "summary"]
    print_table("The README's test command", headers, rows)
    best = min(run.wall for run in runs[""])
    met = verdict(best < TARGET_SECONDS)
    print(f"\nbest wall of the README's command: {best:.1f} s; target < {TARGET_SECONDS:g} s: {met}")
    busiest = max(run.load for done in runs.values() for run in done)
    if busiest > 1.0:
        print(f"the machine was shared (load average up to {busiest:.1f} on 2 cores): read CPU/2, not wall")


if __name__ == "__main__":
    main()
