"""The plugin seen from outside: its option group, usage errors and report header.

pytester's `runpytest` runs pytest in this process (tests/conftest.py says why that is safe); one usage
error goes through a child process, for the exit status a shell sees.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pytest_signcheck.suite import SCENARIOS


def _in_order(text: str, parts: list[str]) -> None:
    """Each of `parts` in `text`, one after the other. Whitespace is ignored: argparse wraps the help to
    the terminal's width ($COLUMNS), at spaces, hyphens or inside a long word."""
    flat, at = "".join(text.split()), 0
    for part in parts:
        found = flat.find("".join(part.split()), at)
        assert found >= 0, f"{part!r} is not in the help after {flat[max(0, at - 60) : at]!r}:\n{text}"
        at = found + len("".join(part.split()))


@pytest.mark.parametrize("columns", [None, "40", "250"])
def test_help_shows_the_signcheck_group(
    ourtester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, columns: str | None
) -> None:
    """At the terminal's width, and at a narrow and a wide one set here ($COLUMNS)."""
    if columns is not None:
        monkeypatch.setenv("COLUMNS", columns)
    result = ourtester.runpytest("--help")
    assert result.ret == 0
    _in_order(
        result.stdout.str(),
        [
            "signcheck: iinked Sign API conformance and drift:",
            "--signcheck add the bundled conformance suite to this run",
            "--signcheck-mode=MODE replay (default)",
            "--signcheck-fail-on=SEVERITY which findings fail the run: breaking (default), any, never",
            "signcheck_mode (string):",
        ],
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--signcheck-mode", "replayy"],
            "ERROR: signcheck: --signcheck-mode='replayy' is not valid; use one of: replay, record, live",
        ),
        (
            ["--signcheck-api-version", "5"],
            "ERROR: signcheck: --signcheck-api-version='5' is not valid; use one of: 3.6, 4.0",
        ),
        (["--signcheck-report", "out.html"], "ERROR: signcheck: --signcheck-report='out.html': use a .json*"),
        (
            ["--signcheck-mode", "live", "--signcheck-base-url", "https://api.example.org/api/v1"],
            "ERROR: signcheck: --signcheck-mode=live needs an API key: export SIGNCHECK_API_KEY=*",
        ),
        (
            ["--signcheck-mode", "record", "--signcheck-base-url", "http://127.0.0.1:1/api/v1"],
            "ERROR: signcheck: --signcheck-mode=record needs --signcheck-cassettes DIR*",
        ),
    ],
)
def test_bad_options_are_usage_errors_not_tracebacks(
    ourtester: pytest.Pytester, args: list[str], message: str
) -> None:
    result = ourtester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()


@pytest.mark.parametrize(
    ("ini", "message"),
    [
        (
            "signcheck_fail_on = sometimes",
            "ERROR: signcheck: tox.ini: signcheck_fail_on='sometimes' is not valid; "
            "use one of: breaking, any, never",
        ),
        (
            "signcheck_mode = foo",
            "ERROR: signcheck: tox.ini: signcheck_mode='foo' is not valid; use one of: replay, record, live",
        ),
        (
            "signcheck_allow_writes = maybe",
            "ERROR: signcheck: tox.ini: signcheck_allow_writes: invalid truth value 'maybe'; "
            "use true or false (or 1/0, yes/no, on/off)",
        ),
        ("signcheck = maybe", "ERROR: signcheck: tox.ini: signcheck: invalid truth value 'maybe'; use *"),
        (
            "signcheck_base_url =",
            "ERROR: signcheck: tox.ini: signcheck_base_url is empty; give a value, or leave it out *",
        ),
    ],
)
def test_bad_ini_values_name_the_file_and_key(ourtester: pytest.Pytester, ini: str, message: str) -> None:
    ourtester.makeini(f"[pytest]\n{ini}\n")
    ourtester.makepyfile("def test_x(): pass")
    result = ourtester.runpytest("--signcheck", "test_x.py")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    assert "--signcheck-" not in result.stderr.str()  # the user passed no flag but --signcheck
    result.stdout.no_fnmatch_line("*1 passed*")


def test_a_run_without_signcheck_reads_no_signcheck_setting(ourtester: pytest.Pytester) -> None:
    """The project's other pytest runs are not stopped by a signcheck value only `--signcheck` reads."""
    ourtester.makeini("[pytest]\nsigncheck_mode = foo\nsigncheck_report = out.html\n")
    ourtester.makepyfile("def test_x(): pass")
    result = ourtester.runpytest("-p", "no:randomly")
    assert result.ret == pytest.ExitCode.OK, result.stderr.str()
    result.stdout.fnmatch_lines(["*1 passed*"])
    assert not (ourtester.path / "out.html").exists()


def test_a_bad_environment_value_names_the_variable(
    ourtester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNCHECK_MODE", "foo")
    result = ourtester.runpytest("--signcheck")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: signcheck: SIGNCHECK_MODE='foo' is not valid; use one of: replay, record, live"]
    )


@pytest.mark.parametrize("mode", ["replay", "live"])
def test_an_empty_base_url_is_a_usage_error(ourtester: pytest.Pytester, mode: str) -> None:
    result = ourtester.runpytest("--signcheck", "--signcheck-mode", mode, "--signcheck-base-url", "")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: signcheck: --signcheck-base-url is empty; give a value, or leave it out for the default"]
    )
    result.stdout.no_fnmatch_line("*passed*")


def test_an_empty_base_url_variable_counts_as_unset(
    ourtester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNCHECK_BASE_URL", "")
    result = ourtester.runpytest("--signcheck", "--signcheck-mode", "live")
    assert result.ret == pytest.ExitCode.USAGE_ERROR  # the default vendor sandbox, which needs a key
    result.stderr.fnmatch_lines(["ERROR: signcheck: --signcheck-mode=live needs an API key*"])


def test_production_host_is_refused_before_any_test_runs(
    ourtester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNCHECK_API_KEY", "k")
    ourtester.makepyfile("def test_x(): pass")
    result = ourtester.runpytest_subprocess(
        "--signcheck", "--signcheck-mode", "live", "--signcheck-base-url", "https://sign.syngrafii.com/api/v1"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR  # the status a shell sees
    result.stderr.fnmatch_lines(
        ["*refusing to create packages on sign.syngrafii.com: it is a production host*"]
    )


def test_report_header_names_mode_and_never_the_key(
    ourtester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNCHECK_API_KEY", "very-secret-key-42")
    ourtester.makepyfile("def test_x(): pass")
    result = ourtester.runpytest(
        "--signcheck",
        "--signcheck-mode",
        "live",
        "--signcheck-base-url",
        "http://127.0.0.1:9/api/v1",
        "--co",
        "test_report_header_names_mode_and_never_the_key.py",
    )
    result.stdout.fnmatch_lines(
        [
            "signcheck: mode=live api-version=4.0 fail-on=breaking "
            "base-url=http://127.0.0.1:9/api/v1 api-key=SIGNCHECK_API_KEY"
        ]
    )
    assert "very-secret-key-42" not in result.stdout.str()


def test_without_signcheck_the_plugin_stays_out_of_the_way(ourtester: pytest.Pytester) -> None:
    ourtester.makepyfile("def test_x(): pass")
    result = ourtester.runpytest()
    result.assert_outcomes(passed=1)
    assert "signcheck:" not in result.stdout.str()
    assert "signcheck drift report" not in result.stdout.str()


def test_markers_are_registered(ourtester: pytest.Pytester) -> None:
    result = ourtester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.signcheck_sandbox(*drifts=*"])


def test_the_plugin_loads_without_pytest_xdist(ourtester: pytest.Pytester) -> None:
    """xdist is optional: its hook must not make the plugin invalid when xdist is absent."""
    result = ourtester.runpytest("--signcheck", "-p", "no:xdist")
    assert result.ret == 0, result.stdout.str()
    result.assert_outcomes(passed=len(SCENARIOS))


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder no file can be created in: /proc (even as root), else a read-only folder (not as root)."""
    if Path("/proc").is_dir():
        return Path("/proc")
    if os.name == "posix" and os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o555)
        return folder
    pytest.skip("no folder refuses new files here: no /proc, and root writes everywhere else")


@pytest.mark.parametrize(
    ("flag", "name"), [("--signcheck-report", "x.md"), ("--signcheck-write-baseline", "x.yaml")]
)
def test_an_unwritable_output_path_stops_the_run_before_any_test(
    ourtester: pytest.Pytester, tmp_path: Path, flag: str, name: str
) -> None:
    path = _unwritable_folder(tmp_path) / name
    ourtester.makepyfile("def test_mine(): pass")
    result = ourtester.runpytest("--signcheck", flag, str(path))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            f"ERROR: signcheck: {flag}='{path}' cannot be written: a file cannot be created in "
            f"{path.parent} (*); give a path in a folder you can write to"
        ]
    )
    result.stdout.no_fnmatch_line("*passed*")
    assert not list(path.parent.glob(f".{name}.*"))  # the probe left nothing behind


def test_every_setting_has_a_flag_and_an_ini_key_of_the_same_name() -> None:
    """The plugin declares its options without importing the settings (start-up): one table each."""
    from pytest_signcheck.plugin.options import _ARGPARSE, _HELP
    from pytest_signcheck.settings import OPTIONS

    assert [(dest, ini) for _, dest, ini, _ in OPTIONS] == [(key, key) for key in _HELP]
    assert list(_ARGPARSE) == list(_HELP)
