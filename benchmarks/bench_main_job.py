"""The main job: wall time and peak memory of `pytest --signcheck` replaying cassettes, start to exit.

Issue 6, part 2. Each run is a fresh process started in an empty temporary folder (no ini file, no
conftest, no SIGNCHECK_/PYTEST_ variables), timed from spawn to exit; its peak RSS is its own
(``os.wait4``). Two baselines run the same way: the bare interpreter, and pytest running one empty
test (pytest's own start-up, with every installed plugin it auto-loads). A last, diagnostic row runs
the job without the two plugins that installing pytest-signcheck drags in through its schemathesis
dependency (schemathesis's and hypothesis's, auto-loaded by every pytest run). The cassettes are the
shipped ones (``cassettes/``); when they are not there yet, the script records its own from the
reference sandbox into a temporary folder first and says so.

Target: `pytest --signcheck` under 3 s wall on this 2-core machine. Prints; asserts nothing.

    .venv/bin/python benchmarks/bench_main_job.py [--runs 5] [--cassettes DIR] [--importtime 12]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
from pathlib import Path

from _common import REPO, ChildRun, clean_env, environment, mib, print_table, run_child, verdict

from pytest_signcheck.suite import SCENARIOS

TARGET_SECONDS = 3.0
_SUMMARY = re.compile(r"^=*\s*(\d+ (passed|failed).*?)\s*=*$", re.MULTILINE)


def pytest_command() -> list[str]:
    """`pytest` as a user types it: the venv's console script, else ``python -m pytest``."""
    script = Path(sys.executable).with_name("pytest")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pytest"]


def complete(folder: Path) -> bool:
    """Whether `folder` holds a cassette for every scenario of the suite."""
    return all((folder / f"{name}.yaml").exists() for name in SCENARIOS)


def shipped_cassettes() -> Path | None:
    folder = REPO / "cassettes"
    return folder if complete(folder) else None


def record_cassettes(folder: Path) -> None:
    """Record every scenario against a fresh reference sandbox (what the shipped ones come from)."""
    from pytest_signcheck.sandbox import SandboxConfig, running

    folder.mkdir(parents=True, exist_ok=True)
    with running(SandboxConfig()) as server:
        command = [*pytest_command(), "--signcheck", "--signcheck-mode", "record"]
        command += ["--signcheck-base-url", server.base_url, "--signcheck-cassettes", str(folder), "-q"]
        run = run_child(command, cwd=folder.parent, env=clean_env(SIGNCHECK_API_KEY=server.api_key))
    if run.returncode != 0:
        print(run.stdout[-2000:])
        raise SystemExit(f"recording the cassettes failed (exit {run.returncode})")


def repeat(command: list[str], cwd: Path, runs: int) -> list[ChildRun]:
    return [run_child(command, cwd=cwd, env=clean_env()) for _ in range(runs)]


def row(name: str, results: list[ChildRun]) -> list[object]:
    walls = [run.wall for run in results]
    codes = sorted({run.returncode for run in results})
    return [
        name,
        f"{min(walls):.2f}",
        f"{statistics.median(walls):.2f}",
        f"{max(walls):.2f}",
        f"{mib(max(run.max_rss_kb for run in results)):.0f}",
        ",".join(map(str, codes)),
    ]


def summary(run: ChildRun) -> str:
    found = _SUMMARY.findall(run.stdout)
    return found[-1][0] if found else "(no pytest summary line)"


def import_times(command: list[str], cwd: Path, top: int) -> list[list[object]]:
    """The `top` slowest imports (cumulative) of one `-X importtime` run of the job."""
    run = run_child(
        [sys.executable, "-X", "importtime", "-m", "pytest", *command[1:]], cwd=cwd, env=clean_env()
    )
    rows = []
    for line in run.stdout.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    return [[name, f"{micros / 1000:.0f}"] for micros, name in rows[:top]]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (5)")
    parser.add_argument("--cassettes", type=Path, help="replay these instead of the shipped cassettes")
    parser.add_argument(
        "--importtime", type=int, default=0, metavar="N", help="also list the N slowest imports"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.cassettes is not None and not complete(args.cassettes):
        raise SystemExit(f"{args.cassettes} lacks a cassette for some of: {', '.join(SCENARIOS)}")
    print(environment())
    with tempfile.TemporaryDirectory(prefix="signcheck-main-job-") as scratch:
        cwd = Path(scratch)
        cassettes, origin = args.cassettes, "given"
        if cassettes is None:
            cassettes, origin = shipped_cassettes(), "shipped"
        if cassettes is None:
            cassettes, origin = cwd / "recorded", "recorded now from the sandbox (no shipped cassettes yet)"
            record_cassettes(cassettes)
        (cwd / "test_empty.py").write_text("def test_nothing():\n    pass\n")
        job = [*pytest_command(), "--signcheck", "-q"]
        if origin != "shipped":
            job += ["--signcheck-cassettes", str(cassettes)]
        (cwd / "job").mkdir()
        results = {
            "python -c pass": repeat([sys.executable, "-c", "pass"], cwd, args.runs),
            "pytest, one empty test": repeat([*pytest_command(), "-q", "test_empty.py"], cwd, args.runs),
            "pytest --signcheck": repeat(job, cwd / "job", args.runs),
            "  same, -p no:schemathesis -p no:hypothesispytest": repeat(
                [*job, "-p", "no:schemathesis", "-p", "no:hypothesispytest"], cwd / "job", args.runs
            ),
        }
        imports = import_times(job, cwd / "job", args.importtime) if args.importtime else []
    print(f"cassettes: {cassettes} ({origin}); {args.runs} runs each, fresh process, spawn to exit")
    print_table(
        "Main job (seconds of wall time; peak RSS of the process)",
        ["command", "best s", "median s", "worst s", "peak MiB", "exit"],
        [row(name, runs) for name, runs in results.items()],
    )
    job_runs = results["pytest --signcheck"]
    print(f"\npytest --signcheck said: {summary(job_runs[-1])}")
    for name, runs in results.items():
        for run in runs:
            if run.returncode != 0:
                tail = "\n    ".join(run.stdout.strip().splitlines()[-6:])
                print(f"a run of {name.strip()!r} exited {run.returncode}; its last lines:\n    {tail}")
    median = statistics.median(run.wall for run in job_runs)
    worst = max(run.wall for run in job_runs)
    print_table(
        "Target",
        ["target", "measured", "status"],
        [
            [
                "pytest --signcheck replay < 3 s wall",
                f"median {median:.2f} s, worst {worst:.2f} s",
                verdict(worst < 3),
            ]
        ],
    )
    if imports:
        print_table("Slowest imports of one run (-X importtime, cumulative)", ["module", "ms"], imports)
    return 0


if __name__ == "__main__":
    sys.exit(main())
