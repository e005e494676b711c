"""One frozen `Settings`, resolved from command line > ini > environment > defaults.

Pure: no pytest here; `values` reads one option's value. The plugin gathers the raw values and
turns `ConfigError` into `pytest.UsageError`, so bad input stops the run before any test with a
message that says how to fix it.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pytest_signcheck.contract.endpoints import API_VERSIONS
from pytest_signcheck.errors import ConfigError
from pytest_signcheck.findings import FAIL_ON
from pytest_signcheck.settings.values import (
    baseline_path,
    choice,
    flag,
    flag_name,
    max_age_days,
    number,
    report_paths,
    whole,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_WEBHOOK_PORT",
    "DEFAULT_WEBHOOK_TIMEOUT",
    "EXIT_COULD_NOT_CHECK",
    "FAIL_ON",
    "MAX_EXPLORE",
    "MODES",
    "PRODUCTION_HOSTS",
    "SANDBOX_HOSTS",
    "SANDBOX_KEY",
    "Settings",
    "baseline_path",
    "is_loopback",
    "max_age_days",
    "report_paths",
    "resolve",
]

MODES = ("replay", "record", "live")
DEFAULT_BASE_URL = "https://sandbox.syngrafii.com/api/v1"
#: The vendor's documented sandbox hosts (US and EU): writes are allowed there.
SANDBOX_HOSTS = frozenset({"sandbox.syngrafii.com", "sandbox.syngrafii.eu"})
#: The vendor's documented production hosts: writes need --signcheck-allow-writes.
PRODUCTION_HOSTS = frozenset({"sign.syngrafii.com", "sign.syngrafii.ca", "sign.syngrafii.eu"})
#: The reference sandbox's documented key, used for loopback targets when SIGNCHECK_API_KEY is unset.
SANDBOX_KEY = "signcheck-sandbox-key"
#: Exit status when the run could not check (host unreachable, key refused, rate limit, cassette gap).
#: Clear of pytest's own codes (0-6 in pytest 9).
EXIT_COULD_NOT_CHECK = 10

#: (setting, command-line dest, ini key, environment variable)
OPTIONS: tuple[tuple[str, str, str, str | None], ...] = (
    ("enabled", "signcheck", "signcheck", None),
    ("mode", "signcheck_mode", "signcheck_mode", "SIGNCHECK_MODE"),
    ("base_url", "signcheck_base_url", "signcheck_base_url", "SIGNCHECK_BASE_URL"),
    ("cassettes", "signcheck_cassettes", "signcheck_cassettes", "SIGNCHECK_CASSETTES"),
    ("api_version", "signcheck_api_version", "signcheck_api_version", "SIGNCHECK_API_VERSION"),
    ("reports", "signcheck_report", "signcheck_report", None),
    ("fail_on", "signcheck_fail_on", "signcheck_fail_on", "SIGNCHECK_FAIL_ON"),
    ("allow_writes", "signcheck_allow_writes", "signcheck_allow_writes", None),
    ("baseline", "signcheck_baseline", "signcheck_baseline", "SIGNCHECK_BASELINE"),
    ("write_baseline", "signcheck_write_baseline", "signcheck_write_baseline", None),
    ("max_age", "signcheck_max_age", "signcheck_max_age", "SIGNCHECK_MAX_AGE"),
    ("webhook_url", "signcheck_webhook_url", "signcheck_webhook_url", "SIGNCHECK_WEBHOOK_URL"),
    ("webhook_port", "signcheck_webhook_port", "signcheck_webhook_port", None),
    ("webhook_timeout", "signcheck_webhook_timeout", "signcheck_webhook_timeout", None),
    ("explore", "signcheck_explore", "signcheck_explore", None),
    ("explore_seed", "signcheck_explore_seed", "signcheck_explore_seed", None),
)
#: Where the suite's webhook receiver listens when --signcheck-webhook-url names a public URL.
DEFAULT_WEBHOOK_PORT = 8765
#: Seconds the suite waits for the webhook events it caused before it reports the missing ones.
DEFAULT_WEBHOOK_TIMEOUT = 30.0
#: The most bodies one exploration of packages/list may send (each one a request to the API).
MAX_EXPLORE = 1000
#: `pick(key)`: an option's value and where it came from (see `_pick`).
Pick = Callable[[str], tuple[Any, str]]


@dataclass(frozen=True, slots=True)
class Settings:
    """What one signcheck run does. `api_key` is kept out of `repr` so it never reaches a log."""

    enabled: bool = False
    mode: str = "replay"
    base_url: str = DEFAULT_BASE_URL
    cassettes: Path | None = None
    api_version: str = "4.0"
    reports: tuple[Path, ...] = ()
    fail_on: str = "breaking"
    allow_writes: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None
    max_age: int | None = None
    api_key: str | None = field(default=None, repr=False)
    api_key_source: str = "unset"
    #: A URL of the user's that forwards to the suite's receiver: the suite registers it as the
    #: organisation's webhook endpoint (kept out of `repr`: such URLs often carry a token).
    webhook_url: str | None = field(default=None, repr=False)
    webhook_port: int = DEFAULT_WEBHOOK_PORT
    webhook_timeout: float = DEFAULT_WEBHOOK_TIMEOUT
    #: How many packages/list bodies the exploration sends (0: no exploration), and from which seed.
    explore: int = 0
    explore_seed: int = 0

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    @property
    def uses_network(self) -> bool:
        return self.mode in ("record", "live")

    def describe(self) -> str:
        """One line for the report header; never the key itself."""
        where = str(self.cassettes) if self.cassettes else "shipped"
        parts = [f"mode={self.mode}", f"api-version={self.api_version}", f"fail-on={self.fail_on}"]
        if self.uses_network:
            parts += [f"base-url={self.base_url}", f"api-key={self.api_key_source}"]
        if self.mode != "live":
            parts.append(f"cassettes={where}")
        if self.max_age is not None and self.mode == "replay":
            parts.append(f"max-age={self.max_age}d")
        if self.baseline:
            parts.append(f"baseline={self.baseline}")
        if self.webhook_url and self.uses_network:
            parts.append(f"webhooks=your URL -> 127.0.0.1:{self.webhook_port}")
        if self.explore:
            parts.append(f"explore={self.explore} seed={self.explore_seed}")
        return "signcheck: " + " ".join(parts)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _pick(
    key: str, cli: Mapping[str, Any], ini: Mapping[str, Any], env: Mapping[str, str], ini_name: str
) -> tuple[Any, str]:
    """The first value set (command line > ini > environment), and where it came from, as messages
    name it: ``--signcheck-mode``, ``pytest.ini: signcheck_mode`` or ``SIGNCHECK_MODE``.

    An empty value on the command line or in the ini file is a usage error (the user wrote it, and an
    empty URL or path is never meant); an empty environment variable counts as unset, as CI systems
    often set a variable to "" rather than leave it out.
    """
    _, dest, ini_key, env_name = next(option for option in OPTIONS if option[0] == key)
    given = ((cli.get(dest), flag_name(dest)), (ini.get(ini_key), f"{ini_name}: {ini_key}"))
    for value, said in given:
        if isinstance(value, str) and not value.strip():
            raise ConfigError(f"{said} is empty; give a value, or leave it out for the default")
        if value not in (None, [], ()):
            return value, said
    value = env.get(env_name) if env_name else None
    return (value, str(env_name)) if value else (None, flag_name(dest))


def _base_url(value: str | None, said: str) -> str:
    url = (value or DEFAULT_BASE_URL).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{said}={url!r} is not an http(s) URL; use the API root, for example {DEFAULT_BASE_URL}"
        )
    return url


def _reports(value: Any, said: str, root: Path) -> tuple[Path, ...]:
    return report_paths([value] if isinstance(value, str) else list(value or ()), root, said)


def _webhook_url(value: Any, said: str) -> str | None:
    if value in (None, ""):
        return None
    parts = urlsplit(str(value))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{said} is not an http(s) URL; give the public address that forwards to "
            "the suite's receiver, for example https://<your tunnel>/signcheck"
        )
    return str(value)


def _webhooks(pick: Pick) -> dict[str, Any]:
    """The webhook options: the user's URL, the receiver's port, the deadline for deliveries."""
    return {
        "webhook_url": _webhook_url(*pick("webhook_url")),
        "webhook_port": number(*pick("webhook_port"), 65535, int, DEFAULT_WEBHOOK_PORT),
        "webhook_timeout": number(*pick("webhook_timeout"), 600, float, DEFAULT_WEBHOOK_TIMEOUT),
    }


def _explore(pick: Pick, cli: Mapping[str, Any], enabled: bool) -> dict[str, Any]:
    """How many packages/list bodies to explore, and the seed they are drawn from."""
    examples = whole(*pick("explore"), MAX_EXPLORE)
    seed = whole(*pick("explore_seed"))
    if cli.get("signcheck_explore") not in (None, "") and not enabled:
        raise ConfigError("--signcheck-explore explores inside the conformance suite: add --signcheck")
    return {"explore": examples, "explore_seed": seed}


def _api_key(mode: str, host: str, env: Mapping[str, str]) -> tuple[str | None, str]:
    key = env.get("SIGNCHECK_API_KEY") or None
    if key:
        return key, "SIGNCHECK_API_KEY"
    if is_loopback(host):
        return SANDBOX_KEY, "reference sandbox default"
    raise ConfigError(
        f"--signcheck-mode={mode} needs an API key: export SIGNCHECK_API_KEY=<your sandbox key> "
        "(never pass it on the command line). Keys are made under Settings > Integration > API Keys."
    )


def _check_writes(mode: str, host: str, allow_writes: bool) -> None:
    if mode == "replay" or allow_writes or host in SANDBOX_HOSTS or is_loopback(host):
        return
    kind = "a production host" if host in PRODUCTION_HOSTS else "neither a vendor sandbox nor loopback"
    raise ConfigError(
        f"refusing to create packages on {host}: it is {kind}. Point --signcheck-base-url at a sandbox "
        f"({', '.join(sorted(SANDBOX_HOSTS))}) or the reference sandbox on 127.0.0.1, "
        "or pass --signcheck-allow-writes if you really mean it."
    )


def _cassettes(pick: Pick, root: Path, mode: str) -> Path | None:
    value, said = pick("cassettes")
    cassettes = Path(root, str(value)) if value else None
    if mode == "record" and cassettes is None:
        raise ConfigError(
            "--signcheck-mode=record needs --signcheck-cassettes DIR: the shipped cassettes are never "
            "overwritten in place. Example: --signcheck-cassettes cassettes"
        )
    if mode == "replay" and cassettes is not None and not cassettes.is_dir():
        raise ConfigError(f"{said}={value!r}: no such directory")
    return cassettes


def _baselines(pick: Pick, root: Path) -> dict[str, Any]:
    (read, read_said), (write, write_said) = pick("baseline"), pick("write_baseline")
    return {
        "baseline": baseline_path(read, root, read_said),
        "write_baseline": baseline_path(write, root, write_said, write=True),
    }


def resolve(
    cli: Mapping[str, Any],
    ini: Mapping[str, Any],
    env: Mapping[str, str] | None = None,
    root: Path | None = None,
    ini_name: str = "ini file",
) -> Settings:
    """Build the run's Settings; raises ConfigError naming the bad value, where it came from (`ini_name`
    is the ini file's name), and the fix."""
    environ = os.environ if env is None else env
    root = root or Path.cwd()

    def pick(key: str) -> tuple[Any, str]:
        return _pick(key, cli, ini, environ, ini_name)

    mode = choice(*pick("mode"), MODES, "replay")
    base_url = _base_url(*pick("base_url"))
    host = urlsplit(base_url).hostname or ""
    allow_writes = flag(*pick("allow_writes"))
    key, key_source = _api_key(mode, host, environ) if mode != "replay" else (None, "not needed")
    _check_writes(mode, host, allow_writes)
    enabled = flag(*pick("enabled"))
    return Settings(
        enabled=enabled,
        mode=mode,
        base_url=base_url,
        cassettes=_cassettes(pick, root, mode),
        api_version=choice(*pick("api_version"), API_VERSIONS, "4.0"),
        reports=_reports(*pick("reports"), root),
        fail_on=choice(*pick("fail_on"), FAIL_ON, "breaking"),
        allow_writes=allow_writes,
        max_age=max_age_days(*pick("max_age")),
        api_key=key,
        api_key_source=key_source,
        **_baselines(pick, root),
        **_webhooks(pick),
        **_explore(pick, cli, enabled),
    )
