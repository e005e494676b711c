"""Settings resolution: precedence, validation, the API key and the write guard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pytest_signcheck.errors import ConfigError
from pytest_signcheck.settings import DEFAULT_BASE_URL, SANDBOX_KEY, Settings, resolve


def _resolve(
    cli: dict[str, object] | None = None,
    ini: dict[str, object] | None = None,
    env: dict[str, str] | None = None,
    root: Path | None = None,
) -> Settings:
    return resolve(cli or {}, ini or {}, env or {}, root or Path("/tmp"))


def test_defaults_are_replay_against_shipped_cassettes() -> None:
    settings = _resolve()
    assert (settings.mode, settings.base_url, settings.api_version) == ("replay", DEFAULT_BASE_URL, "4.0")
    assert settings.cassettes is None and settings.fail_on == "breaking" and settings.api_key is None


def test_command_line_beats_ini_beats_environment() -> None:
    env = {
        "SIGNCHECK_API_VERSION": "3.6",
        "SIGNCHECK_FAIL_ON": "never",
        "SIGNCHECK_MODE": "live",
        "SIGNCHECK_BASE_URL": "http://127.0.0.1:9/api/v1",
    }
    settings = _resolve(
        {"signcheck_fail_on": "any"}, {"signcheck_fail_on": "never", "signcheck_mode": "replay"}, env
    )
    assert settings.fail_on == "any"  # CLI over ini
    assert settings.mode == "replay"  # ini over env
    assert settings.api_version == "3.6"  # env over default


@pytest.mark.parametrize(
    ("ini", "fragment"),
    [
        ({"signcheck_mode": "replayy"}, "use one of: replay, record, live"),
        ({"signcheck_api_version": "5.0"}, "use one of: 3.6, 4.0"),
        ({"signcheck_fail_on": "all"}, "use one of: breaking, any, never"),
        ({"signcheck_base_url": "ftp://host"}, "is not an http(s) URL"),
        ({"signcheck_report": ["out.html"]}, "use a .json (machines) or .md (people) file name"),
        ({"signcheck_cassettes": "no-such-dir"}, "no such directory"),
        ({"signcheck_allow_writes": "perhaps"}, "use true or false"),
    ],
)
def test_bad_values_name_the_fix(ini: dict[str, object], fragment: str) -> None:
    (key,) = ini
    with pytest.raises(ConfigError, match=re.escape(fragment)) as raised:
        _resolve(ini=ini)
    assert str(raised.value).startswith(f"ini file: {key}=")  # where the value came from


@pytest.mark.parametrize(
    ("cli", "ini", "env", "said"),
    [
        ({"signcheck_mode": "foo"}, {}, {}, "--signcheck-mode='foo'"),
        ({}, {"signcheck_mode": "foo"}, {}, "ini file: signcheck_mode='foo'"),
        ({}, {}, {"SIGNCHECK_MODE": "foo"}, "SIGNCHECK_MODE='foo'"),
        ({}, {"signcheck_mode": "foo"}, {"SIGNCHECK_MODE": "live"}, "ini file: signcheck_mode='foo'"),
    ],
)
def test_a_bad_value_is_named_by_where_it_came_from(
    cli: dict[str, object], ini: dict[str, object], env: dict[str, str], said: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        _resolve(cli, ini, env)
    assert str(raised.value) == f"{said} is not valid; use one of: replay, record, live"


def test_an_empty_value_given_is_an_error_and_an_empty_variable_is_unset() -> None:
    with pytest.raises(ConfigError, match=r"^--signcheck-base-url is empty; give a value"):
        _resolve({"signcheck_base_url": ""})
    with pytest.raises(ConfigError, match=r"^ini file: signcheck_cassettes is empty"):
        _resolve(ini={"signcheck_cassettes": " "})
    assert _resolve(env={"SIGNCHECK_BASE_URL": ""}).base_url == DEFAULT_BASE_URL


def test_live_mode_needs_a_key_for_a_remote_host_and_never_shows_it() -> None:
    with pytest.raises(ConfigError, match="export SIGNCHECK_API_KEY"):
        _resolve({"signcheck_mode": "live"})
    settings = _resolve({"signcheck_mode": "live"}, env={"SIGNCHECK_API_KEY": "s3cr3t-key-value"})
    assert settings.api_key == "s3cr3t-key-value"
    assert "s3cr3t" not in repr(settings) and "s3cr3t" not in settings.describe()


def test_loopback_defaults_to_the_reference_sandbox_key() -> None:
    settings = _resolve({"signcheck_mode": "live", "signcheck_base_url": "http://127.0.0.1:8080/api/v1/"})
    assert settings.api_key == SANDBOX_KEY and settings.base_url == "http://127.0.0.1:8080/api/v1"
    assert "reference sandbox default" in settings.describe()


@pytest.mark.parametrize("host", ["sign.syngrafii.com", "sign.syngrafii.ca", "api.example.org"])
def test_writes_are_refused_off_sandbox_and_loopback(host: str) -> None:
    cli = {"signcheck_mode": "live", "signcheck_base_url": f"https://{host}/api/v1"}
    with pytest.raises(ConfigError, match=f"refusing to create packages on {host}"):
        _resolve(cli, env={"SIGNCHECK_API_KEY": "k"})
    allowed = _resolve({**cli, "signcheck_allow_writes": True}, env={"SIGNCHECK_API_KEY": "k"})
    assert allowed.allow_writes


@pytest.mark.parametrize(
    "url", ["https://sandbox.syngrafii.eu/api/v1", "http://localhost:1/api/v1", "http://[::1]:1/api/v1"]
)
def test_sandbox_and_loopback_hosts_may_be_written(url: str) -> None:
    assert _resolve({"signcheck_mode": "live", "signcheck_base_url": url}, env={"SIGNCHECK_API_KEY": "k"})


def test_record_mode_never_writes_into_the_shipped_cassettes(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="needs --signcheck-cassettes DIR"):
        _resolve({"signcheck_mode": "record", "signcheck_base_url": "http://127.0.0.1:1/api/v1"})
    settings = _resolve(
        {
            "signcheck_mode": "record",
            "signcheck_base_url": "http://127.0.0.1:1/api/v1",
            "signcheck_cassettes": "new",
        },
        root=tmp_path,
    )
    assert settings.cassettes == tmp_path / "new"


def test_reports_resolve_against_the_invocation_directory(tmp_path: Path) -> None:
    settings = _resolve({"signcheck_report": ["a.json", "sub/b.md"]}, root=tmp_path)
    assert settings.reports == (tmp_path / "a.json", tmp_path / "sub" / "b.md")
