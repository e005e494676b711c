"""The plugin's options: flags and ini keys, their resolution into `Settings`, and the baseline files
they name (read before any test, so a bad one stops the run with exit 4).

Every pytest run loads this module, so it imports nothing heavy: the settings, their checks of each
value and the baseline are imported when a run asks for signcheck (`asked_for`). A flag takes no
argparse ``choices`` for the same reason; `settings.resolve` checks every value, from the command
line, the ini file or the environment alike, and names the values allowed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_signcheck.errors import ConfigError

if TYPE_CHECKING:
    from pytest_signcheck.report.baseline import Baseline
    from pytest_signcheck.report.recorder import Recorder
    from pytest_signcheck.settings import Settings

_HELP = {
    "signcheck": "add the bundled conformance suite to this run",
    "signcheck_mode": "replay (default): shipped or given cassettes, no network; "
    "record: run live and write cassettes; live: run live, write nothing",
    "signcheck_base_url": "API root (default https://sandbox.syngrafii.com/api/v1; env SIGNCHECK_BASE_URL). "
    "The API key is read from SIGNCHECK_API_KEY only",
    "signcheck_cassettes": "directory cassettes are read from and written to (default: the shipped ones)",
    "signcheck_api_version": "documented state set that applies: 3.6 or 4.0 (default 4.0)",
    "signcheck_report": "write the drift report to PATH (.json or .md); may be given more than once",
    "signcheck_fail_on": "which findings fail the run: breaking (default), any, never",
    "signcheck_allow_writes": "permit creating packages on a host that is neither a vendor sandbox "
    "nor loopback",
    "signcheck_baseline": "accepted drift (YAML or JSON): findings it matches are reported as accepted "
    "and do not fail the run",
    "signcheck_write_baseline": "write every finding of this run to FILE as a baseline to edit and commit",
    "signcheck_max_age": "replay: a cassette recorded more than DAYS days ago makes the run could-not-check",
    "signcheck_webhook_url": "opt in to webhooks against a non-loopback API: register URL (a public address "
    "forwarding to 127.0.0.1:--signcheck-webhook-port) as the organisation's one webhook endpoint. "
    "It REPLACES the endpoint your integration relies on, and cannot be undone by the suite",
    "signcheck_webhook_port": "with --signcheck-webhook-url: the local port the suite's receiver listens on "
    "(default 8765)",
    "signcheck_webhook_timeout": "seconds to wait for the webhook events the suite caused (default 30)",
    "signcheck_explore": "with --signcheck: also explore packages/list with N request bodies drawn from its "
    "documented request schema (at most N+2 requests)",
    "signcheck_explore_seed": "the seed the exploration's bodies are drawn from (default 0)",
}


# Per option, what argparse needs beyond the flag, dest, default and help.
_ARGPARSE: dict[str, dict[str, Any]] = {
    "signcheck": {"action": "store_true"},
    "signcheck_mode": {"metavar": "MODE"},
    "signcheck_base_url": {"metavar": "URL"},
    "signcheck_cassettes": {"metavar": "DIR"},
    "signcheck_api_version": {"metavar": "VERSION"},
    "signcheck_report": {"action": "append", "metavar": "PATH"},
    "signcheck_fail_on": {"metavar": "SEVERITY"},
    "signcheck_allow_writes": {"action": "store_true"},
    "signcheck_baseline": {"metavar": "FILE"},
    "signcheck_write_baseline": {"metavar": "FILE"},
    "signcheck_max_age": {"metavar": "DAYS"},
    "signcheck_webhook_url": {"metavar": "URL"},
    "signcheck_webhook_port": {"metavar": "PORT"},
    "signcheck_webhook_timeout": {"metavar": "SECONDS"},
    "signcheck_explore": {"metavar": "N"},
    "signcheck_explore_seed": {"metavar": "SEED"},
}


def add_options(parser: pytest.Parser) -> None:
    """Every option (`_HELP`: its ini key, which is also its argparse dest), as a flag and an ini key."""
    group = parser.getgroup("signcheck", "signcheck: iinked Sign API conformance and drift")
    for dest, extra in _ARGPARSE.items():
        flag = "--" + dest.replace("_", "-")
        group.addoption(flag, dest=dest, default=None, help=_HELP[dest], **extra)
    for ini_key in _HELP:
        kind = "bool" if ini_key in ("signcheck", "signcheck_allow_writes") else "string"
        if ini_key == "signcheck_report":
            kind = "args"
        parser.addini(ini_key, _HELP[ini_key], type=kind, default=None)  # type: ignore[arg-type]


def asked_for(config: pytest.Config) -> bool:
    """Whether this run asks for signcheck: ``--signcheck`` (or ``signcheck = true`` in the ini file),
    or any other signcheck flag on the command line, whose value is then checked. A run that does not
    reads no other signcheck ini key or environment variable, and imports nothing more."""
    if any(config.getoption(dest) not in (None, False) for dest in _ARGPARSE):
        return True
    ini_name = config.inipath.name if config.inipath else "ini file"
    try:
        return bool(_ini_value(config, "signcheck", ini_name))
    except ConfigError as error:
        raise pytest.UsageError(f"signcheck: {error}") from None


def _ini_value(config: pytest.Config, key: str, ini_name: str) -> Any:
    """One ini value as pytest parses it. pytest's message for a true/false key it cannot parse names
    neither the file nor the key ("invalid truth value 'maybe'"): this one names both, and the fix."""
    try:
        return config.getini(key)
    except (ValueError, pytest.UsageError) as error:  # pytest 9 raises UsageError, earlier ValueError
        raise ConfigError(f"{ini_name}: {key}: {error}; use true or false (or 1/0, yes/no, on/off)") from None


def resolve(config: pytest.Config) -> Settings:
    """The run's settings from the command line, the ini file and the environment; a bad value is a
    usage error (exit 4) naming where it came from."""
    from pytest_signcheck.settings import OPTIONS
    from pytest_signcheck.settings import resolve as resolve_settings

    cli = {dest: config.getoption(dest) for _, dest, _, _ in OPTIONS}
    ini_name = config.inipath.name if config.inipath else "ini file"
    try:
        ini = {key: _ini_value(config, key, ini_name) for _, _, key, _ in OPTIONS}
        return resolve_settings(cli, ini, os.environ, config.invocation_params.dir, ini_name)
    except ConfigError as error:
        raise pytest.UsageError(f"signcheck: {error}") from None


def load_baseline(path: Path) -> Baseline:
    """Read and validate the baseline before any test runs: a bad one is a usage error (exit 4)."""
    from pytest_signcheck.report.baseline import load_baseline

    try:
        return load_baseline(path)
    except ConfigError as error:
        raise pytest.UsageError(f"signcheck: {error}") from None


def to_keep(target: Path, used: Baseline | None) -> Baseline | None:
    """What a refresh of `target` keeps entries from (`report.baseline.refreshed_from`); a broken file
    is a usage error before any test."""
    from pytest_signcheck.report.baseline import refreshed_from

    try:
        return refreshed_from(target, used)
    except ConfigError as error:
        raise pytest.UsageError(f"signcheck: {error}") from None


def scoped(baseline: Baseline | None, recorder: Recorder) -> Baseline | None:
    """`baseline` judged against this run's scope: the endpoints its completed scenarios checked."""
    from pytest_signcheck.report.baseline import scoped_to

    return scoped_to(baseline, recorder.evidence, recorder.problems)
