"""Cassette scale: loading and checking a large recording of the reference sandbox, YAML against JSON.

Issue 6, part 3. A recording of 5,000 interactions (a walk of every list page, then the status and
the package of every package, through signcheck's own RecordingTransport) is saved once with
`save_cassette` as YAML and as JSON (the same scrubbed interactions) and kept in a cache folder
for later runs. Each format is then measured in fresh processes: `load_cassette`, then every
finding of `audit_cassette`. YAML is read twice: by signcheck's event reader (`_yaml`, libyaml's
parser when PyYAML has it) and, side by side, by vcrpy's own safe loader (libyaml's CSafeLoader).
Reported: seconds per phase, interactions per second, and the process's peak RSS over its RSS
after imports. A last row per file times ``signcheck audit FILE`` as a user runs it.

Target: at least 2,000 interactions loaded and checked per second. Prints; asserts nothing.

    .venv/bin/python benchmarks/bench_cassettes.py [--interactions 5000] [--runs 1] [--fresh] [--pure-yaml]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import ChildRun, clean_env, environment, memory_kb, mib, print_table, run_child, verdict

TARGET_RATE = 2000.0
FORMAT_VERSION = 1  # bump when the recording below changes, so cached cassettes are rebuilt


# --- building the recording -------------------------------------------------------------------


def cache_paths(folder: Path, interactions: int, seed: int) -> dict[str, Path]:
    stem = f"sandbox-{interactions}-seed{seed}-v{FORMAT_VERSION}"
    return {kind: folder / f"{stem}.{kind}" for kind in ("yaml", "json")}


def record(interactions: int, seed: int) -> tuple[list[Any], str]:
    """`interactions` real exchanges with a sandbox of ``interactions // 2`` packages."""
    import httpx

    from pytest_signcheck.sandbox import SandboxConfig, running
    from pytest_signcheck.traffic.transport import RecordingTransport

    recorder = RecordingTransport(httpx.HTTPTransport())
    with running(SandboxConfig(packages=max(1, interactions // 2), seed=seed)) as server:
        headers = {"api_key": server.api_key}
        with httpx.Client(base_url=server.base_url, headers=headers, transport=recorder) as client:
            ids = walk(client, interactions)
            for package_id in ids:
                for path in (f"/packages/{package_id}/status", f"/packages/{package_id}"):
                    if len(recorder.interactions) < interactions:
                        client.get(path).raise_for_status()
        base_url = server.base_url
    return recorder.interactions, base_url


def walk(client: Any, budget: int) -> list[str]:
    """Every list page (take 50, all members); the package ids in list order."""
    ids: list[str] = []
    skip = 0
    while len(ids) < budget:
        request = {"allMembers": True, "sortBy": "created", "take": 50, "skip": skip}
        page = client.post("/packages/list", json=request).json()
        ids += [item["packageId"] for item in page["items"]]
        if not page["items"] or skip + 50 >= page["total"]:
            break
        skip += 50
    return ids


def build(paths: dict[str, Path], interactions: int, seed: int) -> float:
    from pytest_signcheck.traffic.cassettes import save_cassette

    start = time.perf_counter()
    recorded, base_url = record(interactions, seed)
    metadata = {"signcheck": {"scenario": "bench-cassettes", "base_url": base_url, "api_version": "4.0"}}
    for path in paths.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        save_cassette(path, recorded, metadata)
    return time.perf_counter() - start


# --- the measured child -----------------------------------------------------------------------


def use_pure_yaml() -> None:
    """Read YAML as a PyYAML without libyaml would: the pure-Python parser under signcheck's reader,
    and vcrpy's safe cassette loader on the pure-Python loader."""
    import yaml
    from vcr.serializers import yamlserializer

    from pytest_signcheck.traffic import _yaml

    class PureCassetteLoader(yaml.SafeLoader):
        pass

    for tag, constructor in yamlserializer._CassetteLoader.yaml_constructors.items():
        if isinstance(tag, str) and tag.startswith("tag:yaml.org,2002:python/"):
            PureCassetteLoader.add_constructor(tag, constructor)
    yamlserializer._CassetteLoader = PureCassetteLoader
    _yaml.Loader = yaml.SafeLoader


def use_vcrpy_yaml() -> None:
    """Read YAML with vcrpy's own loader only (what signcheck did before its event reader)."""
    from pytest_signcheck.traffic import _yaml

    def step_aside(text: str) -> object:
        raise _yaml.Unsupported

    _yaml.load = step_aside


def child(path: Path, reader: str) -> None:
    """Load and check one cassette; print one JSON line with the phases and memory."""
    from pytest_signcheck.cli import audit_cassette
    from pytest_signcheck.traffic.cassettes import load_cassette

    if reader == "pure":
        use_pure_yaml()
    elif reader == "vcrpy":
        use_vcrpy_yaml()
    rss_before = memory_kb("VmRSS")
    start = time.perf_counter()
    cassette = load_cassette(path)
    loaded = time.perf_counter()
    severities = Counter(finding.severity.value for finding in audit_cassette(cassette))
    checked = time.perf_counter()
    result = {
        "interactions": len(cassette.interactions),
        "load": loaded - start,
        "check": checked - loaded,
        "rss_before": rss_before,
        "peak": memory_kb("VmHWM"),
        "findings": dict(severities),
    }
    print("RESULT " + json.dumps(result))


def measure(path: Path, reader: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", str(path), "--reader", reader]
    run = run_child(command, env=clean_env())
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    if run.returncode != 0 or not lines:
        raise SystemExit(f"measuring {path.name} failed (exit {run.returncode}):\n{run.stdout[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1][len("RESULT ") :])
    return result


def audit_cli(path: Path) -> ChildRun:
    script = Path(sys.executable).with_name("signcheck")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "pytest_signcheck.cli"]
    return run_child([*command, "audit", str(path), "--fail-on", "never"], env=clean_env())


# --- reporting --------------------------------------------------------------------------------


def loader_name(kind: str, reader: str) -> str:
    import yaml

    if kind == "json":
        return "JSON (json.loads)"
    parser = "libyaml" if getattr(yaml, "__with_libyaml__", False) and reader != "pure" else "pure-Python"
    if reader == "vcrpy":
        return f"YAML, vcrpy's loader ({parser})"
    return f"YAML, signcheck's reader ({parser})"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The best of one format's runs, its worst memory, and one run of the CLI."""

    label: str
    path: Path
    best: dict[str, Any]
    peak_kb: int
    grown_kb: int
    cli: ChildRun | None  # only for the reader `signcheck audit` uses

    @property
    def rate(self) -> float:
        return float(self.best["interactions"]) / float(self.best["load"] + self.best["check"])


def outcome(label: str, path: Path, results: list[dict[str, Any]], *, with_cli: bool) -> Outcome:
    best = min(results, key=lambda r: r["load"] + r["check"])
    peak = max(r["peak"] for r in results)
    grown = max(r["peak"] - r["rss_before"] for r in results)
    return Outcome(label, path, best, peak, grown, audit_cli(path) if with_cli else None)


def report(outcomes: list[Outcome]) -> None:
    rows: list[list[object]] = []
    cli_rows: list[list[object]] = []
    for o in outcomes:
        best, size = o.best, o.path.stat().st_size / 2**20
        total = best["load"] + best["check"]
        rows.append([o.label, f"{size:.1f}", best["interactions"], f"{best['load']:.2f}"])
        rows[-1] += [f"{best['check']:.2f}", f"{total:.2f}", f"{o.rate:,.0f}"]
        rows[-1] += [f"{mib(o.peak_kb):.0f}", f"+{mib(o.grown_kb):.0f}"]
        if o.cli is None:
            continue
        cli_rate = best["interactions"] / o.cli.wall
        cli_rows.append([f"signcheck audit {o.path.name}", f"{o.cli.wall:.2f}", f"{cli_rate:,.0f}"])
        cli_rows[-1] += [f"{mib(o.cli.max_rss_kb):.0f}", o.cli.returncode]
    print_table(
        "Loading and checking one large cassette (best of the runs; a fresh process each)",
        [
            "format",
            "MiB",
            "interactions",
            "load s",
            "check s",
            "total s",
            "per s",
            "peak MiB",
            "over imports",
        ],
        rows,
    )
    print_table(
        "The CLI, spawn to exit (start-up, report and rendering included)",
        ["command", "wall s", "per s", "peak MiB", "exit"],
        cli_rows,
    )
    for o in outcomes:
        print(f"findings, {o.label}: {o.best['findings'] or 'none'}")
    targets = [
        [f">= 2,000/s loaded and checked, {o.label}", f"{o.rate:,.0f}/s", verdict(o.rate >= TARGET_RATE)]
        for o in outcomes
        if o.cli is not None  # what signcheck reads with; the others are there for comparison
    ]
    print_table("Target", ["target", "measured", "status"], targets)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--interactions", type=int, default=5000, help="size of the recording (5000)")
    parser.add_argument("--runs", type=int, default=1, help="fresh processes per format (1)")
    parser.add_argument("--seed", type=int, default=0, help="sandbox seed (0)")
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "signcheck-bench", help="where"
    )
    parser.add_argument("--fresh", action="store_true", help="re-record even when cached")
    parser.add_argument("--pure-yaml", action="store_true", help="also time YAML without libyaml")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--reader", default="fast", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child is not None:
        child(args.child, args.reader)
        return 0
    print(environment())
    paths = cache_paths(args.cache_dir, args.interactions, args.seed)
    if args.fresh or not all(path.exists() for path in paths.values()):
        seconds = build(paths, args.interactions, args.seed)
        print(f"recorded {args.interactions} interactions in {seconds:.1f} s")
    print(f"cassettes: {', '.join(map(str, paths.values()))}")
    contenders = [("yaml", "fast"), ("yaml", "vcrpy"), ("json", "fast")]
    contenders += [("yaml", "pure")] if args.pure_yaml else []
    outcomes = []
    for kind, reader in contenders:
        results = [measure(paths[kind], reader) for _ in range(1 if reader == "pure" else args.runs)]
        label = loader_name(kind, reader)
        outcomes.append(outcome(label, paths[kind], results, with_cli=reader == "fast"))
    report(outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
