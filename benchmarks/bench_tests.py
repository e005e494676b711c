"""The project's own test suite: wall and CPU time of the README's test command, start to exit.

Issue 14, point 5. Each run is ``pytest -n 2 -q`` in the checkout (plus whatever
``--variant`` adds), timed from spawn to exit. CPU is user + system time of the run and every process
it waited for (xdist workers, the child processes of the tests), from ``RUSAGE_CHILDREN``: on a
machine shared with other work it is the steadier figure, and CPU / 2 is what the wall time would be on
two otherwise idle cores with perfect balance. The load average before and after each run says how
shared the machine was (it counts this run too).

``--serial PATHS`` also runs those test files in one process (``pytest -q -p no:xdist``), which gives
the CPU seconds they cost the suite without xdist's start-up: the figure to compare before and after a
change to a few files.

Target: under 60 s wall on a quiet 2-core machine. Prints; asserts nothing.

    .venv/bin/python benchmarks/bench_tests.py [--runs 2] [--variant=--ignore=tests/checks]
        [--serial "tests/verdict tests/reports"]
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
SERIAL = ("-q", "-p", "no:xdist", "-p", "no:cacheprovider")
_SUMMARY = re.compile(r"^=*\s*((?:\d+ \w+, )*\d+ \w+ in [\d.]+s.*?)\s*=*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class SuiteRun:
    wall: float
    cpu: float
    load: float
    load_after: float
    returncode: int
    summary: str


def run_pytest(arguments: list[str]) -> SuiteRun:
    """One pytest run with `arguments`, in the checkout; its wall and CPU seconds."""
    pytest = Path(sys.executable).with_name("pytest")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run(
        [str(pytest), *arguments], cwd=REPO, env=clean_env(), capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = _SUMMARY.findall(done.stdout)
    summary = found[-1] if found else done.stdout[-300:]
    return SuiteRun(wall, cpu, load, os.getloadavg()[0], done.returncode, summary)


def _row(label: str, number: int, run: SuiteRun) -> list[object]:
    times = [f"{run.wall:.1f}", f"{run.cpu:.1f}", f"{run.cpu / 2:.1f}", f"{run.load:.2f}"]
    return [label, number, *times, f"{run.load_after:.2f}", run.returncode, run.summary]


def _serial_rows(paths: list[str], runs: int) -> list[list[object]]:
    label = f"pytest {' '.join(SERIAL)} {' '.join(paths)}"
    return [_row(label, n, run_pytest([*SERIAL, *paths])) for n in range(1, runs + 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--variant", action="append", default=[], help="extra arguments, as one string")
    parser.add_argument("--serial", metavar="PATHS", help="also time these test paths in one process")
    options = parser.parse_args()
    print(environment())
    runs = {
        variant: [run_pytest([*COMMAND, *shlex.split(variant)]) for _ in range(options.runs)]
        for variant in ["", *options.variant]
    }
    label = f"pytest {' '.join(COMMAND)}"
    rows = [_row(f"{label} {v}".strip(), n, run) for v, done in runs.items() for n, run in enumerate(done, 1)]
    if options.serial:
        rows += _serial_rows(shlex.split(options.serial), options.runs)
    headers = ["command", "run", "wall s", "CPU s", "CPU/2 s", "load before", "after", "exit", "summary"]
    print_table("The README's test command", headers, rows)
    best = min(run.wall for run in runs[""])
    met = verdict(best < TARGET_SECONDS)
    print(f"\nbest wall of the README's command: {best:.1f} s; target < {TARGET_SECONDS:g} s: {met}")
    busiest = max(run.load for done in runs.values() for run in done)  # before: "after" counts the run
    if busiest > 1.0:
        print(f"the machine was shared (load average up to {busiest:.1f} on 2 cores): read CPU/2, not wall")


if __name__ == "__main__":
    main()
