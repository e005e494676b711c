"""`signcheck`: drift reports outside a pytest run.

signcheck audit PATH... [--api-version 4.0] [--report FILE] [--fail-on breaking] [--baseline FILE]
                        [--write-baseline FILE] [--max-age DAYS]
    Check every interaction in vcrpy cassettes (yours or ours) against the documented API, and every
    webhook event captured in .json files (one event, or a list) or NDJSON (.ndjson, .jsonl).
signcheck diff OLD.json NEW.json
    What changed between two JSON reports, by fingerprint: new drift, and drift that went away. A report
    whose outcome is could-not-check on either side makes the diff could-not-check (exit 10).
signcheck diff OLD NEW [--report FILE]
    What changed between two recordings (cassette files or folders, ours or plain vcrpy ones), from what
    the API returned: status codes, media types, fields, JSON types, nullability, enum-like values.

Exit status, as for ``pytest --signcheck``: 0 pass, 1 drift, 10 could-not-check, 4 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from pytest_signcheck.cli._output import EXIT_USAGE
from pytest_signcheck.cli.audit import audit, audit_cassette
from pytest_signcheck.cli.diff import diff
from pytest_signcheck.contract.endpoints import API_VERSIONS
from pytest_signcheck.findings import FAIL_ON

__all__ = ["EXIT_USAGE", "audit_cassette", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 4 like every other signcheck usage error (argparse says 2)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


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
    audit.add_argument(
        "-v", "--verbose", action="store_true", help="list every finding group, not the top 10"
    )
    diff = commands.add_parser(
        "diff", help="compare two JSON reports by fingerprint, or what two recordings returned (old first)"
    )
    diff.add_argument(
        "old", metavar="OLD", help="a JSON report, or a recording: a cassette or a folder of them"
    )
    diff.add_argument("new", metavar="NEW", help="the same kind as OLD")
    diff.add_argument("--report", action="append", default=[], help="recordings: .json or .md; repeatable")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return audit(args) if args.command == "audit" else diff(args)
