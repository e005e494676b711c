"""`signcheck audit PATH...`: every interaction of vcrpy cassettes (yours or ours) and every captured
webhook event, checked against the documented API; the same report, baseline and exit status as
`pytest --signcheck`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pytest_signcheck.checks import CheckOptions, check_webhook, run_checks, webhook_endpoint
from pytest_signcheck.cli._output import EXIT_USAGE, print_lines
from pytest_signcheck.contract.endpoints import Endpoint, api_path, endpoint_for
from pytest_signcheck.contract.redact import redact_text
from pytest_signcheck.errors import CassetteError, ConfigError
from pytest_signcheck.findings import Finding
from pytest_signcheck.report.baseline import Baseline, load_baseline, refreshed_from, scoped_to
from pytest_signcheck.report.build import EXIT_STATUS, UNDOCUMENTED
from pytest_signcheck.report.ci import github_annotations, on_github
from pytest_signcheck.report.outputs import write_outputs
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.report.render import TERMINAL_GROUPS, build_report, render_terminal, where_the_rest_is
from pytest_signcheck.settings import Settings, baseline_path, max_age_days, report_paths
from pytest_signcheck.traffic.accounting import Tally
from pytest_signcheck.traffic.cassettes import Cassette, NotACassette, load_cassette
from pytest_signcheck.traffic.clock import ApiClock
from pytest_signcheck.traffic.provenance import age_problem, cassette_evidence
from pytest_signcheck.traffic.recordings import SUFFIXES, cassette_files, exchanges
from pytest_signcheck.traffic.webhooks import PAYLOAD_SUFFIXES, Delivery, read_payloads

__all__ = ["AUDITED", "audit", "audit_cassette"]

#: What `signcheck audit` reads under a folder: cassettes, and captured webhook events.
AUDITED = (*SUFFIXES, *PAYLOAD_SUFFIXES)


def audit_cassette(
    cassette: Cassette,
    api_version: str = "4.0",
    tally: Tally | None = None,
) -> Iterator[Finding]:
    """Check every interaction of one cassette at a documented endpoint; a status is checked against
    how its package was added, and time-relative rules against the API's clock once an add answer
    showed it (`ApiClock`). `tally` counts the interactions checked and those that looked like the API,
    and the endpoints checked by kind of answer."""
    links: dict[str, bool] = {}
    clock = ApiClock()
    for path, exchange in exchanges(cassette):
        if tally is not None:
            tally.add(exchange)
        endpoint, request = exchange.endpoint, exchange.request
        package_id = path.split("/")[2] if endpoint in (Endpoint.GET, Endpoint.STATUS) else None
        flag = links.get(package_id) if package_id else None
        if endpoint is Endpoint.ADD and isinstance(request, dict):
            flag = request.get("generateSignerLinks") is True
            if isinstance(exchange.body, dict) and isinstance(exchange.body.get("packageId"), str):
                links[exchange.body["packageId"]] = flag
        clock.observe(exchange)
        options = CheckOptions(api_version, flag, expected_status=exchange.status_code, now=clock.now)
        yield from run_checks(exchange, options)


def _audit_file(path: Path, recorder: Recorder, settings: Settings, now: datetime) -> None:
    """Check one file into `recorder`: its findings, its evidence, or why it could not be checked."""
    if path.suffix in PAYLOAD_SUFFIXES:
        if not _audit_payloads(path, recorder, settings):
            skipped = "no webhook event on any line (an event has `action` and `eventId`)"
            recorder.evidence.append({"source": str(path), "responses": 0, "skipped_file": skipped})
        return
    try:
        cassette = load_cassette(path, ours=False)
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
        again = " Re-record it." if cassette.info else ""  # signcheck's advice for its own recordings only
        recorder.could_not_check(str(path), f"{too_old} (--max-age {settings.max_age}).{again}")
        return
    tally = Tally()
    recorder.add(audit_cassette(cassette, settings.api_version, tally))
    evidence.update(tally.to_dict(), skipped=len(cassette.interactions) - tally.responses)
    evidence["skipped_interactions"] = _skipped_interactions(cassette)
    evidence.update(tally.answered.evidence())
    _audit_recorded_webhooks(cassette, recorder, evidence, settings)
    recorder.scenarios.append(str(path))


def _skipped_interactions(cassette: Cassette) -> list[dict[str, Any]]:
    """The interactions the audit left out, each with its index, method, path (no host or query, link
    tokens and email addresses masked) and why: what the report's ``skipped`` count is made of."""
    skipped = []
    for index, item in enumerate(cassette.interactions):
        documented = endpoint_for(item.method, api_path(item.uri)) is not None
        if documented and not item.unreadable:
            continue
        reason = UNDOCUMENTED if not documented else _unreadable(item.unreadable)
        path = redact_text(urlsplit(item.uri).path or "/")
        skipped.append({"index": index, "method": item.method, "path": path, "reason": reason})
    return skipped


def _unreadable(why: str) -> str:
    """``its gzip body does not decode (...)``: the CassetteError's text without the file and the
    index, which the skipped entry names already."""
    return "its " + why.split(": its ", 1)[1] if ": its " in why else why


def _labels(deliveries: Sequence[Delivery]) -> set[str]:
    """The endpoint labels (``WEBHOOK <action>``) of the events judged: what a baseline entry names."""
    return {webhook_endpoint(delivery.action) for delivery in deliveries}


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
        evidence["checked"] = sorted({*evidence.get("checked", ()), *_labels(inbox.recorded)})


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
            "checked": sorted(_labels(deliveries)),
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


def _audit_report(
    args: argparse.Namespace, settings: Settings, baseline: Baseline | None
) -> tuple[dict[str, Any], Recorder]:
    files = cassette_files(args.paths, AUDITED)
    recorder, now = Recorder(), datetime.now(UTC)
    for path in files:
        _audit_file(path, recorder, settings, now)
    if not files:
        recorder.could_not_check("audit", f"no {', '.join(AUDITED)} file under {' '.join(args.paths)}")
    baseline = scoped_to(baseline, recorder.evidence, recorder.problems)
    report = build_report(recorder, settings, baseline, mode="audit")
    report["target"].update(cassettes=", ".join(args.paths), paths=list(args.paths))
    return report, recorder


def audit(args: argparse.Namespace) -> int:
    try:
        settings, baseline = _audit_settings(args)
        target = settings.write_baseline
        keep = refreshed_from(target, baseline) if target is not None else None
        report, recorder = _audit_report(args, settings, baseline)
    except ConfigError as error:
        print_lines([f"signcheck audit: error: {error}"], sys.stderr)
        return EXIT_USAGE
    baseline, keep = (scoped_to(b, recorder.evidence, recorder.problems) for b in (baseline, keep))
    written = write_outputs(report, recorder, settings, baseline, os.environ, keep=keep)
    more = where_the_rest_is(settings.reports, "--report")
    print_lines(render_terminal(report, None if args.verbose else TERMINAL_GROUPS, more))
    print_lines(done for done, _ in written if done)
    failed = [problem for _, problem in written if problem]
    print_lines(failed, sys.stderr)
    if on_github(os.environ):
        print_lines(github_annotations(report))
    return EXIT_USAGE if failed else EXIT_STATUS[report["outcome"]]
