"""The plugin seen from outside: its option group, usage errors and report header.

pytester's `runpytest` runs pytest in this process (tests/conftest.py says why that is safe); one usage
error goes through a child process, for the exit status a shell sees.
"""

from __future__ import annotations

import pytest

from pytest_signcheck.suite import SCENARIOS


def test_help_shows_the_signcheck_group(ourtester: pytest.Pytester) -> None:
    result = ourtester.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "signcheck: iinked Sign API conformance and drift:",
            "  --signcheck *add the bundled conformance suite to this run",
            "  --signcheck-mode={replay,record,live}",
            "  --signcheck-fail-on={breaking,any,never}",
        ]
    )
    result.stdout.fnmatch_lines(["  signcheck_mode (string):*"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--signcheck-mode", "replayy"],
            "*--signcheck-mode: invalid choice: 'replayy' (choose from *replay*record*live*",
        ),
        (["--signcheck-api-version", "5"], "*invalid choice: '5' (choose from *3.6*4.0*"),
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


def test_bad_ini_values_are_usage_errors(ourtester: pytest.Pytester) -> None:
    ourtester.makeini("[pytest]\nsigncheck_fail_on = sometimes\n")
    result = ourtester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: signcheck: --signcheck-fail-on='sometimes' is not valid; use one of: *"]
    )


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
