"""`signcheck`: drift reports outside a pytest run.

signcheck audit PATH... [--api-version 4.0] [--report FILE] [--fail-on breaking]
    Check every interaction in vcrpy cassettes (yours or ours) against the documented API.
signcheck diff BASELINE.json CURRENT.json
    What changed between two JSON reports: new findings, and findings that went away.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pytest_signcheck.checks import CheckOptions, run_checks
from pytest_signcheck.contract.endpoints import API_VERSIONS, Endpoint, api_path, endpoint_for
from pytest_signcheck.errors import CassetteError
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import FAIL_ON, Finding
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.report.render import build_report, outcome_exit_status, render_terminal, write_report
from pytest_signcheck.settings import Settings
from pytest_signcheck.traffic.cassettes import Cassette, load_cassette

__all__ = ["audit_cassette", "main"]


def _json(content: bytes | None) -> Any:
    try:
        return json.loads(content) if content else None
    except ValueError:
        return None


def audit_cassette(cassette: Cassette, api_version: str = "4.0") -> Iterator[Finding]:
    """Check every interaction of one cassette; a status is checked against how its package was added."""
    links: dict[str, bool] = {}
    for index, item in enumerate(cassette.interactions):
        path = api_path(item.uri)
        endpoint = endpoint_for(item.method, path)
        if endpoint is None:
            continue
        request = _json(item.request_body)
        headers = {name: values[0] for name, values in item.headers.items() if values}
        source = f"{cassette.path.name}#{index}"
        exchange = Exchange.from_bytes(endpoint, item.status, item.body, headers, request, source)
        package_id = path.split("/")[2] if endpoint in (Endpoint.GET, Endpoint.STATUS) else None
        flag = links.get(package_id) if package_id else None
        if endpoint is Endpoint.ADD and isinstance(request, dict):
            flag = request.get("generateSignerLinks") is True
            if isinstance(exchange.body, dict) and isinstance(exchange.body.get("packageId"), str):
                links[exchange.body["packageId"]] = flag
        yield from run_checks(
            exchange,
            CheckOptions(api_version=api_version, generate_signer_links=flag, expected_status=item.status),
        )


def _cassette_files(paths: Sequence[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found += (
            sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
            if path.is_dir()
            else [path]
        )
    return found


def _audit(args: argparse.Namespace) -> int:
    settings = Settings(api_version=args.api_version, fail_on=args.fail_on, reports=tuple(args.report))
    recorder = Recorder()
    for path in _cassette_files(args.paths):
        try:
            recorder.add(audit_cassette(load_cassette(path), args.api_version))
            recorder.scenarios.append(path.name)
        except CassetteError as error:
            recorder.could_not_check(path.name, str(error))
    report = build_report(recorder, settings)
    report["target"]["mode"] = "audit"
    for path in settings.reports:
        write_report(report, path)
    for line in render_terminal(report):
        print(line)
    return outcome_exit_status(report, settings, 0, 0, len(recorder.problems))


def _keys(report: dict[str, Any]) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    return {(f["check"], f["endpoint"], f["pointer"], f["actual"]): f for f in report.get("findings", [])}


def _diff(args: argparse.Namespace) -> int:
    try:
        old, new = (json.loads(Path(p).read_text(encoding="utf-8")) for p in (args.baseline, args.current))
    except (OSError, ValueError) as error:
        print(f"signcheck diff: cannot read a report ({error})", file=sys.stderr)
        return 4
    before, after = _keys(old), _keys(new)
    added = [after[k] for k in after if k not in before]
    gone = [before[k] for k in before if k not in after]
    for label, items in (("new", added), ("gone", gone)):
        for item in items:
            print(f"{label}: {Finding.from_dict(item)}")
    print(f"{len(added)} new, {len(gone)} gone, {len(after) - len(added)} unchanged")
    return 1 if any(item["severity"] == "breaking" for item in added) else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="signcheck", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    audit = commands.add_parser("audit", help="check recorded vcrpy cassettes against the documented API")
    audit.add_argument("paths", nargs="+", help="cassette files or folders")
    audit.add_argument("--api-version", choices=API_VERSIONS, default="4.0")
    audit.add_argument("--fail-on", choices=FAIL_ON, default="breaking")
    audit.add_argument("--report", action="append", default=[], type=Path, help=".json or .md; repeatable")
    diff = commands.add_parser("diff", help="compare two JSON reports (baseline first)")
    diff.add_argument("baseline")
    diff.add_argument("current")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return _audit(args) if args.command == "audit" else _diff(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
