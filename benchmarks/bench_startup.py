"""Start-up tax: what installing pytest-signcheck costs a user's *other* pytest runs (issue 13, point 1).

Four virtual environments, one per way a user may have pytest:

- ``bare``: pytest alone;
- ``httpx``: pytest and httpx. httpx is a dependency of pytest-signcheck, and it brings anyio, which
  registers a pytest plugin of its own that every pytest run loads; a user who calls an HTTP API from
  tests usually has it already;
- ``plain``: ``pip install pytest-signcheck`` (the wheel built from this checkout);
- ``extra``: ``pip install "pytest-signcheck[schemathesis]"``, which brings Schemathesis and Hypothesis
  and with them the pytest plugins they register for every run.

Every venv gets the same versions of whatever they share (a constraints file taken from the running
interpreter's environment), so the only difference is what each install adds. Each run is timed from
spawn to exit, in an empty temporary folder (no ini file, no conftest, no SIGNCHECK_/PYTEST_
variables), on a one-test file and on ``pytest --signcheck`` (the shipped cassettes, offline). The
variants take turns run after run, so a noisy moment on the shared machine hits them alike; the table
shows the median and the best of ``--runs`` runs, and the plain install against the two baselines.

Python may write bytecode, as on a developer's machine. ``--no-bytecode`` sets PYTHONDONTWRITEBYTECODE=1
instead, as many CI images do: pytest then rewrites and compiles every module of every plugin on every
run, so each module a plugin imports at start-up costs its compile time each time.

Target: the plain install within 10 % of bare pytest on the one-test file. Prints; asserts nothing.

The venvs are built once and kept in ``--venvs`` (default: ``<tmp>/pytest-signcheck-bench-startup``);
the checkout's wheel is reinstalled into them on every run. ``--rebuild`` starts them afresh. Instead,
``--bare``, ``--httpx``, ``--plain`` and ``--extra`` take the paths of venvs you made yourself.

    .venv/bin/python benchmarks/bench_startup.py [--runs 9] [--venvs DIR] [--rebuild] [--no-bytecode]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _common import REPO, clean_env, environment, print_table, verdict

TARGET = 1.10
VARIANTS = ("bare", "httpx", "plain", "extra")
ONE_TEST = "def test_one():\n    assert 1 + 1 == 2\n"
QUIET = ["-q", "-p", "no:cacheprovider"]
WORKLOADS = {"one-test file": [*QUIET, "test_one.py"], "pytest --signcheck": ["--signcheck", *QUIET]}


def _run(command: list[str | Path], cwd: Path | None = None) -> str:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, command))}\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout


def build_wheel(folder: Path) -> Path:
    """The checkout as a user installs it: a wheel (schemas and cassettes inside), not editable."""
    for old in folder.glob("pytest_signcheck-*.whl"):
        old.unlink()
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", folder, REPO]
    )
    (wheel,) = folder.glob("pytest_signcheck-*.whl")
    return wheel


def constraints(folder: Path) -> Path:
    """This environment's versions, so every venv gets the same pytest, jsonschema, httpx..."""
    frozen = _run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"])
    pins = [line for line in frozen.splitlines() if "==" in line and not line.startswith("pytest-signcheck")]
    path = folder / "constraints.txt"
    path.write_text("\n".join(pins) + "\n")
    return path


def python_of(venv: Path) -> Path:
    return venv / "bin" / "python"


def prepare(venvs: Path, rebuild: bool) -> dict[str, Path]:
    """Create (or reuse) the three venvs and install this checkout's wheel into two of them."""
    venvs.mkdir(parents=True, exist_ok=True)
    wheel, pins = build_wheel(venvs), constraints(venvs)
    wanted = {
        "bare": ["pytest"],
        "httpx": ["pytest", "httpx"],
        "plain": [str(wheel)],
        "extra": [f"{wheel}[schemathesis]"],
    }
    for name, packages in wanted.items():
        venv = venvs / name
        if rebuild and venv.exists():
            shutil.rmtree(venv)
        if not python_of(venv).exists():
            print(f"creating {venv} ...", flush=True)
            _run([sys.executable, "-m", "venv", venv])
        pip = [python_of(venv), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-c", pins]
        _run([*pip, *packages])
        if name in {"plain", "extra"}:  # the same version number on every build: make pip take this one
            _run([*pip, "--no-deps", "--force-reinstall", str(wheel)])
    return {name: venvs / name for name in VARIANTS}


@dataclass(frozen=True, slots=True)
class Run:
    wall: float
    cpu: float  # user + system seconds of the child


def spawn(command: list[str], folder: Path, env: dict[str, str]) -> Run:
    """One pytest run, spawn to exit: wall seconds, and the child's own CPU seconds (``os.wait4``)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} exited {process.returncode}\n{output.decode(errors='replace')}"
        )
    return Run(wall, usage.ru_utime + usage.ru_stime)


def child_env(bytecode: bool) -> dict[str, str]:
    env = clean_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def time_runs(
    venvs: dict[str, Path], runs: int, folder: Path, bytecode: bool
) -> dict[tuple[str, str], list[Run]]:
    """Runs per (workload, variant), the variants taking turns; `pytest --signcheck` needs the plugin."""
    (folder / "test_one.py").write_text(ONE_TEST)
    env = child_env(bytecode)
    results: dict[tuple[str, str], list[Run]] = {}
    for workload, arguments in WORKLOADS.items():
        variants = [name for name in VARIANTS if name in {"plain", "extra"} or "--signcheck" not in arguments]
        commands = {name: [str(venvs[name] / "bin" / "pytest"), *arguments] for name in variants}
        for command in commands.values():  # warm the file cache (and the bytecode) once, untimed
            spawn(command, folder, env)
        for _ in range(runs):
            for name, command in commands.items():
                results.setdefault((workload, name), []).append(spawn(command, folder, env))
    return results


def median(runs: list[Run], field: str) -> float:
    return statistics.median(getattr(run, field) for run in runs)


def report(results: dict[tuple[str, str], list[Run]]) -> None:
    rows = []
    for workload in WORKLOADS:
        cells = []
        for name in VARIANTS:
            runs = results.get((workload, name))
            wall = f"{median(runs, 'wall'):.3f} s (best {min(r.wall for r in runs):.3f})" if runs else "n/a"
            cells.append(wall if not runs else f"{wall}, cpu {median(runs, 'cpu'):.3f}")
        rows.append([workload, *cells])
    print_table(
        "median wall time spawn to exit (best), and median CPU seconds", ["workload", *VARIANTS], rows
    )
    one = {name: results["one-test file", name] for name in VARIANTS}

    def ratio(name: str, base: str, field: str) -> float:
        return median(one[name], field) / median(one[base], field)

    met = ratio("plain", "bare", "wall") <= TARGET
    print(
        f"\none-test file, plain install against bare pytest: {ratio('plain', 'bare', 'wall'):.2f}x wall, "
        f"{ratio('plain', 'bare', 'cpu'):.2f}x CPU; target within {TARGET - 1:.0%}: {verdict(met)}."
    )
    print(
        f"of which anyio's pytest plugin (httpx's dependency), httpx against bare: "
        f"{ratio('httpx', 'bare', 'wall'):.2f}x wall, {ratio('httpx', 'bare', 'cpu'):.2f}x CPU;"
        f" pytest-signcheck itself, plain against httpx: {ratio('plain', 'httpx', 'wall'):.2f}x wall, "
        f"{ratio('plain', 'httpx', 'cpu'):.2f}x CPU."
    )
    extra = median(one["extra"], "wall") - median(one["plain"], "wall")
    print(f"the [schemathesis] extra adds {extra:+.2f} s wall to the same run (its pytest plugins).")


def importtime(venvs: dict[str, Path], folder: Path) -> None:
    """The cumulative import time of the plugin module in one plain-install run (``-X importtime``)."""
    python = python_of(venvs["plain"])
    done = subprocess.run(
        [python, "-X", "importtime", "-m", "pytest", *WORKLOADS["one-test file"]],
        cwd=folder, env=child_env(bytecode=True), capture_output=True, text=True, check=False,
    )  # fmt: skip
    for line in done.stderr.splitlines():  # "import time: self | cumulative | <indented name>"
        fields = line.split("|")
        if len(fields) == 3 and fields[2].strip() == "pytest_signcheck.plugin":
            microseconds = int(fields[1])
            print(f"importing pytest_signcheck.plugin (plain install, one run): {microseconds / 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=9, help="timed runs per variant and workload (9)")
    default = Path(tempfile.gettempdir()) / "pytest-signcheck-bench-startup"
    parser.add_argument("--venvs", type=Path, default=default, help=f"where the venvs are kept ({default})")
    parser.add_argument("--rebuild", action="store_true", help="recreate the venvs")
    for name in VARIANTS:
        parser.add_argument(f"--{name}", type=Path, metavar="VENV", help=f"use this venv as '{name}'")
    parser.add_argument("--importtime", action="store_true", help="also print the plugin's import time")
    parser.add_argument(
        "--no-bytecode", dest="bytecode", action="store_false", help="run with PYTHONDONTWRITEBYTECODE=1"
    )
    args = parser.parse_args()
    given = {name: getattr(args, name) for name in VARIANTS if getattr(args, name)}
    venvs = given if len(given) == len(VARIANTS) else {**prepare(args.venvs, args.rebuild), **given}
    print(environment())
    print("venvs: " + ", ".join(f"{name} {path}" for name, path in venvs.items()))
    with tempfile.TemporaryDirectory(prefix="signcheck-startup-") as scratch:
        folder = Path(scratch)
        print("bytecode: " + ("written and reused" if args.bytecode else "PYTHONDONTWRITEBYTECODE=1"))
        report(time_runs(venvs, args.runs, folder, args.bytecode))
        if args.importtime:
            importtime(venvs, folder)


if __name__ == "__main__":
    main()
