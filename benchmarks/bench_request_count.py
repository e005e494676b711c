"""Requests per live run against organisations of growing size: the cap holds, whatever the size.

For each size, a reference sandbox seeded with that many packages holds every API response
`--delay-ms` (100 by default: a slow real API), and a fresh `pytest --signcheck --signcheck-mode live`
runs against it in a temporary directory, writing a JSON report. Printed per run:

  packages    packages in the organisation
  requests    requests the run says it sent (the report's evidence, summed over scenarios)
  answered    API requests the sandbox answered (its own count: the two must agree)
  cap         the sum of the scenarios' documented caps (README, "Live runs and what they cost")
  list        requests of the list scenario, and how its walk went (pages read, full or sampled)
  waited s    what the run says it waited on the API; held s: what the sandbox held (requests x delay)
  wall s      the run, spawn to exit
  exit        the run's exit status (0: pass)

`--pythonpath DIR` runs the suite from another checkout (for instance the previous commit, extracted
with `git archive`) against the same sandboxes, to compare. Prints; asserts nothing.

    .venv/bin/python benchmarks/bench_request_count.py [--sizes 60,1100,10000] [--delay-ms 100]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import REPO, clean_env, environment, print_table

from pytest_signcheck.sandbox import SandboxConfig, running
from pytest_signcheck.suite.scenarios import REQUEST_CAPS


def _evidence(report: Path) -> list[dict[str, Any]]:
    if not report.exists():
        return []
    evidence: list[dict[str, Any]] = json.loads(report.read_text()).get("evidence", [])
    return evidence


def _list_walk(evidence: list[dict[str, Any]]) -> str:
    for item in evidence:
        if item.get("scenario") == "list":
            walk = item.get("walk")
            how = f", {walk['pages']} pages {'full' if walk['complete'] else 'sampled'}" if walk else ""
            return f"{item.get('requests', item.get('responses'))}{how}"
    return "?"


def one_run(packages: int, delay_ms: int, pythonpath: str | None) -> list[object]:
    with (
        running(SandboxConfig(delay_ms=delay_ms, packages=packages)) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--signcheck"]
        command += ["--signcheck-mode", "live", "--signcheck-base-url", server.base_url, "--rootdir", tmp]
        command += ["--signcheck-report", str(Path(tmp) / "report.json")]
        env = clean_env(**({"PYTHONPATH": pythonpath} if pythonpath else {}))
        started = time.perf_counter()
        done = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        stats = server.stats()
        evidence = _evidence(Path(tmp) / "report.json")
    sent = sum(int(item.get("requests", item.get("responses")) or 0) for item in evidence)
    waited = sum(float(item.get("waited_s") or 0) for item in evidence)
    return [
        f"{packages:,}",
        sent,
        stats["requests"],
        sum(REQUEST_CAPS.values()) if not pythonpath else "none",
        _list_walk(evidence),
        f"{waited:.1f}" if waited else "not reported",
        f"{stats['delayedMs'] / 1000:.1f}",
        f"{wall:.1f}",
        done.returncode,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="60,1100,10000", help="packages per organisation, comma-separated")
    parser.add_argument("--delay-ms", type=int, default=100, help="held per API response (default 100)")
    parser.add_argument("--pythonpath", help="run the suite from this checkout instead (to compare)")
    args = parser.parse_args()
    print(environment())
    print(f"repository: {REPO}; suite from: {args.pythonpath or 'this checkout'}")
    rows = [one_run(int(size), args.delay_ms, args.pythonpath) for size in args.sizes.split(",")]
    headers = ["packages", "requests", "answered", "cap", "list", "waited s", "held s", "wall s", "exit"]
    print_table(f"live run, {args.delay_ms} ms per API response", headers, rows)


if __name__ == "__main__":
    main()
