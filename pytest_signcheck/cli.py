"""`signcheck`: drift reports outside a pytest run.

signcheck audit PATH... [--api-version 4.0] [--report FILE] [--fail-on breaking] [--baseline FILE]
                        [--write-baseline FILE] [--max-age DAYS]
    Check every interaction in vcrpy cassettes (yours or ours) against the documented API, and every
    webhook event captured in .json files (one event, or a list) or NDJSON (.ndjson, .jsonl).
signcheck diff OLD.json NEW.json
    What changed between two JSON reports, by fingerprint: new drift, and drift that went away.

Exit status, as for ``pytest --signcheck``: 0 pass, 1 drift, 10 could-not-check, 4 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from pytest_signcheck.checks import CheckOptions, check_webhook, run_checks
from pytest_signcheck.contract.endpoints import API_VERSIONS, Endpoint, api_path, endpoint_for
from pytest_signcheck.errors import CassetteError, ConfigError
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import FAIL_ON, Finding
from pytest_signcheck.report.baseline import Baseline, load_baseline, write_baseline
from pytest_signcheck.report.build import EXIT_STATUS
from pytest_signcheck.report.diff import diff_reports, load_report
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.report.render import build_report, render_terminal, write_report
from pytest_signcheck.settings import Settings, baseline_path, max_age_days, report_paths
from pytest_signcheck.traffic.accounting import Tally
from pytest_signcheck.traffic.cassettes import Cassette, NotACassette, load_cassette
from pytest_signcheck.traffic.clock import ApiClock
from pytest_signcheck.traffic.provenance import age_problem, cassette_evidence
from pytest_signcheck.traffic.webhooks import PAYLOAD_SUFFIXES, Delivery, read_payloads

__all__ = ["audit_cassette", "main"]

EXIT_USAGE = 4
_SUFFIXES = (".yaml", ".yml", ".json", *PAYLOAD_SUFFIXES)


def _json(content: bytes | None) -> Any:
    try:
        return json.loads(content) if content else None
    except ValueError:
        return None


def audit_cassette(
    cassette: Cassette, api_version: str = "4.0", tally: Tally | None = None
) -> Iterator[Finding]:
    """Check every interaction of one cassette at a documented endpoint; a status is checked against
    how its package was added, and time-relative rules against the API's clock once an add answer
    showed it (`ApiClock`). `tally` counts the interactions checked and those that looked like the API."""
    links: dict[str, bool] = {}
    clock = ApiClock()
    for index, item in enumerate(cassette.interactions):
        path = api_path(item.uri)
        endpoint = endpoint_for(item.method, path)
        if endpoint is None:
            continue
        request = _json(item.request_body)
        headers = {name: values[0] for name, values in item.headers.items() if values}
        source = f"{cassette.path.name}#{index}"
        exchange = Exchange.from_bytes(endpoint, item.status, item.body, headers, request, source)
        if tally is not None:
            tally.add(exchange)
        package_id = path.split("/")[2] if endpoint in (Endpoint.GET, Endpoint.STATUS) else None
        flag = links.get(package_id) if package_id else None
        if endpoint is Endpoint.ADD and isinstance(request, dict):
            flag = request.get("generateSignerLinks") is True
            if isinstance(exchange.body, dict) and isinstance(exchange.body.get("packageId"), str):
                links[exchange.body["packageId"]] = flag
        clock.observe(exchange)
        options = CheckOptions(api_version, flag, expected_status=item.status, now=clock.now)
        yield from run_checks(exchange, options)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 4 like every other signcheck usage error (argparse says 2)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _cassette_files(paths: Sequence[str]) -> list[Path]:
    """The files named, and every .yaml/.yml/.json under the folders named (hidden folders skipped)."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise ConfigError(f"{name}: no such file or folder")
        if not path.is_dir():
            found.append(path)
            continue
        for item in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in item.relative_to(path).parts)
            if item.suffix in _SUFFIXES and item.is_file() and not hidden:
                found.append(item)
    return found


def _audit_file(path: Path, recorder: Recorder, settings: Settings, now: datetime) -> None:
    """Check one file into `recorder`: its findings, its evidence, or why it could not be checked."""
    if path.suffix in PAYLOAD_SUFFIXES:
        if not _audit_payloads(path, recorder, settings):
            skipped = "no webhook event on any line (an event has `action` and `eventId`)"
            recorder.evidence.append({"source": str(path), "responses": 0, "skipped_file": skipped})
        return
    try:
        cassette = load_cassette(path)
    except NotACassette as error:
        if _audit_payloads(path, recorder, settings):
            return
        skipped = f"not a vcrpy cassette: {error.reason}"
        recorder.evidence.append({"source": str(path), "responses": 0, "skipped_file": skipped})
        return
    except CassetteError as error:
        recorder.evidence.append({"source": str(path), "responses": 0})
        recorder.could_not_check(str(path), str(error))
        return
    evidence: dict[str, Any] = {
        **cassette_evidence(cassette, now),
        "interactions": len(cassette.interactions),
    }
    recorder.evidence.append(evidence)
    too_old = age_problem(cassette, settings.max_age, now)
    if too_old:
        evidence["responses"] = 0
        recorder.could_not_check(str(path), f"{too_old} (--max-age {settings.max_age}). Re-record it.")
        return
    tally = Tally()
    recorder.add(audit_cassette(cassette, settings.api_version, tally))
    evidence.update(tally.to_dict(), skipped=len(cassette.interactions) - tally.responses)
    _audit_recorded_webhooks(cassette, recorder, evidence, settings)
    recorder.scenarios.append(str(path))


def _judge_webhooks(deliveries: Sequence[Delivery], recorder: Recorder, settings: Settings) -> None:
    for delivery in deliveries:
        headers, source, version = delivery.headers, delivery.source, settings.api_version
        recorder.add(check_webhook(delivery.body, headers=headers, api_version=version, source=source))


def _audit_recorded_webhooks(
    cassette: Cassette, recorder: Recorder, evidence: dict[str, Any], settings: Settings
) -> None:
    """The webhook deliveries a signcheck recording received (`metadata.signcheck.webhooks`)."""
    inbox = cassette.inbox()
    if inbox is not None:
        _judge_webhooks(inbox.recorded, recorder, settings)
        evidence["webhooks"] = {"delivered": len(inbox.recorded)}


def _audit_payloads(path: Path, recorder: Recorder, settings: Settings) -> bool:
    """Judge the webhook events a captured file holds (`check_webhook`, with the headers where they were
    logged); False when it holds none. Entries that are not events are counted as skipped."""
    found = read_payloads(path)
    if found is None:
        return False
    deliveries, others = found
    _judge_webhooks(deliveries, recorder, settings)
    checked = len(deliveries)
    recorder.evidence.append(
        {
            "source": str(path),
            "webhooks": checked,
            "responses": checked,
            "api_like": checked,
            "skipped": others,
        }
    )
    recorder.scenarios.append(str(path))
    return True


def _audit_settings(args: argparse.Namespace) -> tuple[Settings, Baseline | None]:
    root = Path.cwd()
    settings = Settings(
        api_version=args.api_version,
        fail_on=args.fail_on,
        reports=report_paths(args.report, root, "--report"),
        baseline=baseline_path(args.baseline, root, "--baseline"),
        write_baseline=baseline_path(args.write_baseline, root, "--write-baseline", write=True),
        max_age=max_age_days(args.max_age, "--max-age"),
    )
    return settings, load_baseline(settings.baseline) if settings.baseline else None


def _audit_report(args: argparse.Namespace, settings: Settings, baseline: Baseline | None) -> dict[str, Any]:
    files = _cassette_files(args.paths)
    recorder, now = Recorder(), datetime.now(UTC)
    for path in files:
        _audit_file(path, recorder, settings, now)
    if not files:
        recorder.could_not_check("audit", f"no {', '.join(_SUFFIXES)} file under {' '.join(args.paths)}")
    report = build_report(recorder, settings, baseline, mode="audit")
    report["target"].update(cassettes=", ".join(args.paths), paths=list(args.paths))
    if settings.write_baseline is not None:
        write_baseline(recorder.findings, settings.write_baseline, baseline)
    return report


def _audit(args: argparse.Namespace) -> int:
    try:
        settings, baseline = _audit_settings(args)
        report = _audit_report(args, settings, baseline)
    except ConfigError as error:
        print(f"signcheck audit: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    for path in settings.reports:
        write_report(report, path)
    _print(render_terminal(report))
    return EXIT_STATUS[report["outcome"]]


def _diff(args: argparse.Namespace) -> int:
    try:
        old, new = load_report(Path(args.baseline)), load_report(Path(args.current))
    except ConfigError as error:
        print(f"signcheck diff: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    diff = diff_reports(old, new)
    _print(diff.lines())
    return 1 if diff.new_breaking else 0


def _print(lines: Iterable[str]) -> None:
    """Print, and stop quietly when the reader went away (``signcheck audit ... | head``)."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's own recipe: point stdout at devnull, so the flush at exit cannot fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="signcheck", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    audit = commands.add_parser(
        "audit", help="check recorded vcrpy cassettes and captured webhook events against the documented API"
    )
    audit.add_argument("paths", nargs="+", help="cassette or webhook event files, or folders of them")
    audit.add_argument("--api-version", choices=API_VERSIONS, default="4.0")
    audit.add_argument("--fail-on", choices=FAIL_ON, default="breaking")
    audit.add_argument("--report", action="append", default=[], help=".json or .md; repeatable")
    audit.add_argument("--baseline", metavar="FILE", help="accepted drift (YAML or JSON)")
    audit.add_argument("--write-baseline", metavar="FILE", help="write this audit's findings as a baseline")
    audit.add_argument("--max-age", metavar="DAYS", help="a cassette older than this is could-not-check")
    diff = commands.add_parser("diff", help="compare two JSON reports by fingerprint (old first)")
    diff.add_argument("baseline", metavar="OLD.json")
    diff.add_argument("current", metavar="NEW.json")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return _audit(args) if args.command == "audit" else _diff(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
