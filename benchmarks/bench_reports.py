"""How long the reports are, and what building them costs (issue 11).

For each drift switch of the reference sandbox that the suite exercises, run alone and live (every
scenario, in this process, as tests/reports/test_drift_reports.py does), and for a few switches together:
findings, the rows the Markdown table had before issue 11 (one per distinct finding but its source),
fingerprint groups, causes, and the lines of the Markdown report and of the terminal summary now. Then
the milliseconds to build and render the largest report, and to profile and compare two recordings.
Prints tables; asserts nothing.

    .venv/bin/python benchmarks/bench_reports.py           # every exercised switch, and two combinations
    .venv/bin/python benchmarks/bench_reports.py --drifts timestamp-us-format --no-diff
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pytest_signcheck.report.changes_report import changes_report
from pytest_signcheck.report.markdown import render_markdown
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.report.recordings import Profile
from pytest_signcheck.report.render import build_report, render_terminal
from pytest_signcheck.sandbox import DRIFTS, SandboxConfig, running
from pytest_signcheck.settings import Settings
from pytest_signcheck.suite import SCENARIOS, SuiteRunner
from pytest_signcheck.traffic.cassettes import load_cassette
from pytest_signcheck.traffic.recordings import cassette_files, exchanges

#: Switches on endpoints or rules the suite does not exercise yet (tests/test_suite_drifts.py).
PENDING = {
    "add-signlink-missing", "data-field-renamed", "days-ignored", "link-expiry-us-format",
    "link-sign-token-mismatch", "sortby-ignored", "templates-total-off-by-one", "templates-types-ignored",
    "update-keeps-add-state", "update-links-leak", "update-links-not-renewed", "update-sent-back-to-add",
    "webhook-action-renamed", "webhook-field-renamed", "webhook-time-us-format", "webhook-unsigned",
}  # fmt: skip
COMBINATIONS = (
    ("timestamp-us-format", "rename-signer-id", "state-capitalised", "total-off-by-one"),
    (
        "timestamp-us-format",
        "executed-as-string",
        "extra-field",
        "links-leak",
        "type-lowercase",
        "html-errors",
    ),
)


def _run(
    drifts: tuple[str, ...], mode: str = "live", cassettes: Path | None = None
) -> tuple[Settings, Recorder]:
    recorder = Recorder()
    with running(SandboxConfig(drifts=drifts)) as server:
        settings = Settings(
            enabled=True, mode=mode, base_url=server.base_url, api_key=server.api_key, cassettes=cassettes
        )
        runner = SuiteRunner(settings)
        for scenario in SCENARIOS:
            result = runner.run(scenario)
            recorder.scenarios.append(scenario)
            recorder.add(result.findings)
            recorder.evidence.append(result.evidence)
    return settings, recorder


def _old_rows(report: dict[str, Any]) -> int:
    """The Markdown table's rows before issue 11: one per distinct finding, its source left out."""
    keys = ("severity", "check", "endpoint", "pointer", "expected", "actual", "message")
    return len({tuple(item[key] for key in keys) for item in report["findings"]})


def _row(name: str, settings: Settings, recorder: Recorder) -> tuple[list[str], int]:
    report = build_report(recorder, settings)
    markdown = render_markdown(report).splitlines()
    terminal = list(render_terminal(report))
    cells = [name, len(report["findings"]), _old_rows(report), report["summary"]["groups"]]
    cells += [len(report["causes"]), len(markdown), len(terminal)]
    return [str(cell) for cell in cells], len(report["causes"])


def _table(rows: list[list[str]], header: list[str]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def _cost(settings: Settings, recorder: Recorder) -> None:
    """Best of 5: build the report, render it as Markdown, as terminal lines."""
    times: dict[str, list[float]] = {"build": [], "markdown": [], "terminal": []}
    for _ in range(5):
        start = time.perf_counter()
        report = build_report(recorder, settings)
        built = time.perf_counter()
        render_markdown(report)
        rendered = time.perf_counter()
        list(render_terminal(report))
        times["build"].append(built - start)
        times["markdown"].append(rendered - built)
        times["terminal"].append(time.perf_counter() - rendered)
    shown = ", ".join(f"{name} {min(values) * 1000:.1f} ms" for name, values in times.items())
    print(f"\ncost, the largest report ({len(recorder.findings)} findings; best of 5): {shown}")


def _profile(folder: Path) -> Profile:
    profile = Profile()
    for path in cassette_files([str(folder)]):
        for _, exchange in exchanges(load_cassette(path)):
            profile.add(exchange)
    return profile


def _diff_cost() -> None:
    """Record the suite against a clean sandbox and a drifted one, then time profile + compare."""
    with tempfile.TemporaryDirectory() as folder:
        old, new = Path(folder) / "old", Path(folder) / "new"
        _run((), "record", old)
        _run(("rename-signer-id", "executed-as-string", "type-lowercase"), "record", new)
        start = time.perf_counter()
        profiles = _profile(old), _profile(new)
        profiled = time.perf_counter()
        report = changes_report(*profiles, (["old"], ["new"]), [])
        done = time.perf_counter()
    responses = profiles[0].compared + profiles[1].compared
    print(
        f"\nsigncheck diff of two recordings ({responses} responses): read and profile "
        f"{(profiled - start) * 1000:.0f} ms ({(profiled - start) / responses * 1e6:.0f} us a response, "
        f"cassette loading included), compare {(done - profiled) * 1000:.1f} ms; "
        f"{report['summary']['changes']} changes"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drifts", nargs="*", help="these switches only (default: every exercised one)")
    parser.add_argument("--no-diff", action="store_true", help="skip the diff of recordings")
    args = parser.parse_args(argv)
    names = args.drifts or sorted(set(DRIFTS) - PENDING)
    header = ["switches", "findings", "rows before", "groups", "causes", "md lines", "terminal lines"]
    rows, causes, largest = [], [], None
    for drifts in [(name,) for name in names] + ([] if args.drifts else list(COMBINATIONS)):
        settings, recorder = _run(drifts)
        row, count = _row(" + ".join(drifts), settings, recorder)
        rows.append(row)
        causes += [count] if len(drifts) == 1 else []
        if largest is None or len(recorder.findings) > len(largest[1].findings):
            largest = (settings, recorder)
    _table(rows, header)
    print(f"\nswitches alone: causes median {statistics.median(causes)}, max {max(causes)}")
    if largest is not None:
        _cost(*largest)
    if not args.no_diff:
        _diff_cost()
    return 0


if __name__ == "__main__":
    sys.exit(main())
