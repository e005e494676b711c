"""Live-run cost: how many requests `pytest --signcheck --signcheck-mode live` makes, and what latency costs.

For each delay, a reference sandbox holds every API response that many milliseconds
(`SandboxConfig(delay_ms=...)`, `--delay-ms` on its CLI) and a fresh `pytest --signcheck` runs live
against it in a temporary directory. The sandbox counts what it answered (`SandboxServer.stats()`):

  requests    API requests the run made (every one is a round trip a real sandbox would answer)
  waited s    the delay those requests were held in all (requests x delay)
  wall s      the run, spawn to exit
  other s     wall minus waited: what the run costs besides the API's latency
  exit        the run's exit status (0: pass)

With a real sandbox's latency in place of the delay, `requests x latency` is the floor of a live
run's duration: the suite makes its requests one after another. Prints; asserts nothing.

    .venv/bin/python benchmarks/bench_live_cost.py [--delays 0,20,50] [--packages 60]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time

from _common import REPO, clean_env, environment, print_table

from pytest_signcheck.sandbox import SandboxConfig, running


def one_run(delay_ms: int, packages: int) -> list[object]:
    with (
        running(SandboxConfig(delay_ms=delay_ms, packages=packages)) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--signcheck"]
        command += ["--signcheck-mode", "live", "--signcheck-base-url", server.base_url, "--rootdir", tmp]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=tmp, env=clean_env(), capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        stats = server.stats()
    waited = stats["delayedMs"] / 1000
    return [
        delay_ms,
        stats["requests"],
        f"{waited:.2f}",
        f"{wall:.2f}",
        f"{wall - waited:.2f}",
        done.returncode,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delays", default="0,20,50", help="comma-separated delays in ms (default 0,20,50)")
    parser.add_argument(
        "--packages", type=int, default=60, help="packages seeded in the sandbox (default 60)"
    )
    args = parser.parse_args()
    print(environment())
    print(f"repository: {REPO}")
    rows = [one_run(int(delay), args.packages) for delay in args.delays.split(",")]
    headers = ["delay ms", "requests", "waited s", "wall s", "other s", "exit"]
    print_table(f"live run against the reference sandbox ({args.packages} packages)", headers, rows)


if __name__ == "__main__":
    main()
