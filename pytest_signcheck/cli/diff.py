"""`signcheck diff OLD NEW`: two JSON reports compared by fingerprint, or what two recordings returned."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pytest_signcheck.cli._output import EXIT_USAGE, print_lines
from pytest_signcheck.errors import CassetteError, ConfigError
from pytest_signcheck.report.build import EXIT_STATUS
from pytest_signcheck.report.changes_report import changes_lines, changes_report, write_changes
from pytest_signcheck.report.diff import diff_reports, read_report, rechecked, report_findings, unchecked
from pytest_signcheck.report.recordings import Profile
from pytest_signcheck.settings import report_paths
from pytest_signcheck.traffic.cassettes import NotACassette, load_cassette
from pytest_signcheck.traffic.recordings import cassette_files, exchanges

__all__ = ["diff"]


def _looks_like_report(name: str) -> bool:
    """A .json file that starts like a signcheck report (its first key is `signcheck_report`)."""
    path = Path(name)
    if path.suffix != ".json" or not path.is_file():
        return False
    with path.open("rb") as handle:
        return b'"signcheck_report"' in handle.read(256)


def _profile(name: str, problems: list[dict[str, str]]) -> Profile:
    """What one recording (a cassette file, or a folder of them) returned at documented endpoints."""
    profile = Profile()
    for path in cassette_files([name]):
        try:
            cassette = load_cassette(path, ours=False)
        except NotACassette as error:
            if path == Path(name):  # named on the command line: a mistake, not a file to skip
                raise ConfigError(
                    f"{name}: neither a vcrpy cassette nor a signcheck JSON report ({error.reason})"
                ) from None
            profile.not_cassettes.append(str(path))
            continue
        except CassetteError as error:
            problems.append({"source": str(path), "reason": str(error)})
            continue
        profile.files.append(str(path))
        before = profile.compared
        for _, exchange in exchanges(cassette):
            profile.add(exchange)
        profile.skipped += len(cassette.interactions) - (profile.compared - before)
    return profile


def _diff_recordings(args: argparse.Namespace, reports: Sequence[Path]) -> int:
    problems: list[dict[str, str]] = []
    old, new = _profile(args.old, problems), _profile(args.new, problems)
    report = changes_report(old, new, ([args.old], [args.new]), problems)
    for path in reports:
        write_changes(report, path)
    print_lines(changes_lines(report))
    return EXIT_STATUS[report["outcome"]]


def _diff_reports(args: argparse.Namespace, reports: Sequence[Path]) -> int:
    """New breaking drift: 1; else a NEW with problems (its absent fingerprints may be unchecked) or an
    OLD that could not check: 10; else 0."""
    if reports:
        raise ConfigError("--report writes the diff of two recordings; the diff of two reports is printed")
    old, new = Path(args.old), Path(args.new)
    old_data, new_data = read_report(old), read_report(new)
    findings = report_findings(old, old_data), report_findings(new, new_data)
    diff = diff_reports(*findings, rechecked=rechecked(new_data))
    print_lines(diff.lines())
    doubts = {"OLD": unchecked(old, old_data), "NEW": unchecked(new, new_data, any_problem=True)}
    named = [f"could-not-check: {why} ({_WHY_NO_DIFF[role]})" for role, why in doubts.items() if why]
    print_lines(named)
    if doubts["OLD"]:
        return EXIT_STATUS["could-not-check"]
    if diff.new_breaking:
        return EXIT_STATUS["drift"]
    return EXIT_STATUS["could-not-check"] if named else EXIT_STATUS["pass"]


#: What a doubtful report on either side of `signcheck diff OLD.json NEW.json` takes from the diff.
_WHY_NO_DIFF = {
    "OLD": "OLD is no base to diff against: what it did not check cannot have changed since",
    "NEW": "what NEW did not check is listed as not re-checked, not gone: run it again, then diff",
}


def diff(args: argparse.Namespace) -> int:
    """Two JSON reports: by fingerprint. Two recordings (cassettes or folders): what the API returned."""
    try:
        reports = report_paths(args.report, Path.cwd(), "--report")
        as_reports = [_looks_like_report(args.old), _looks_like_report(args.new)]
        if any(as_reports):
            report, other = (args.old, args.new) if as_reports[0] else (args.new, args.old)
            if not all(as_reports) and Path(other).suffix != ".json":
                raise ConfigError(
                    f"{report} is a signcheck JSON report and {other} is not: compare two reports "
                    "(by fingerprint) or two recordings (cassettes or folders of them)"
                )
            return _diff_reports(args, reports)
        return _diff_recordings(args, reports)
    except ConfigError as error:
        print_lines([f"signcheck diff: error: {error}"], sys.stderr)
        return EXIT_USAGE
