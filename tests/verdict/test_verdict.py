"""`pytest --signcheck` as a new user meets it: the exit code always agrees with the report's outcome.

0 pass, 1 drift, 10 could-not-check, 4 usage error; never a traceback. Live runs go to the reference
sandbox, or to small servers on 127.0.0.1 that play a wrong base URL (`canned`, `proxy`:
tests/verdict/conftest.py). Every run goes through pytester's `runpytest`, in this process, but for the
sandbox fixture without its extra: a child process, whose fresh interpreter has never imported it.
"""

from __future__ import annotations

import json
import shutil
from fnmatch import fnmatch
from typing import Any

import pytest

from pytest_signcheck._resources import data_dir
from pytest_signcheck.findings import Finding, Severity
from pytest_signcheck.report.build import EXIT_STATUS, build_report, outcome_exit_status
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.sandbox import SandboxServer
from pytest_signcheck.settings import Settings

HTML = b"<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>"


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (
            "afile/r.json",
            "*--signcheck-report=*afile/r.json' cannot be written: *afile is a file, not a folder",
        ),
        ("r.json", "*--signcheck-report=*r.json' is a directory; give a file name inside it"),
        ("out/r.md", None),  # a folder that does not exist yet is made: not an error
    ],
)
def test_a_report_path_that_cannot_be_written_stops_the_run_before_any_test(
    ourtester: pytest.Pytester, report: str, message: str | None
) -> None:
    (ourtester.path / "afile").write_text("")
    (ourtester.path / "r.json").mkdir()
    result = ourtester.runpytest("--signcheck", "--signcheck-report", report)
    if message is None:
        assert result.ret == 0 and (ourtester.path / report).is_file()
        return
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: signcheck: {message}"])
    assert "passed" not in result.stdout.str() and "Traceback" not in result.stderr.str()


@pytest.mark.parametrize(
    ("status", "content_type", "body"),
    [
        (200, "text/html", HTML),  # a web server's welcome page on every path
        (404, "text/html", b"<html><body>Not Found</body></html>"),
        (404, "application/json", b'{"detail": "Not Found"}'),  # another API, another path
    ],
)
def test_a_wrong_base_url_is_could_not_check_not_drift(
    ourtester: pytest.Pytester, status: int, content_type: str, body: bytes, canned: Any, run_live: Any
) -> None:
    with canned(status, content_type, body) as url:
        result, report = run_live(ourtester, url, "--signcheck-report", "report.md")
    assert result.ret == 10, result.stdout.str()
    assert report["outcome"] == "could-not-check"
    assert report["summary"]["api_like"] == 0 and report["summary"]["responses"] > 0
    # the wrong server's answers are kept for debugging, but not judged: no failing count, no causes
    findings = len(report["findings"])
    assert findings and report["summary"]["failing"] == 0 and report["causes"] == []
    result.stdout.fnmatch_lines(
        [
            "outcome: could-not-check (no response looked like the API: "
            f"{findings} finding(s) not judged as drift)",
            "could not check run: none of the * responses looked like the iinked Sign API*",
            f"findings: {findings}, not judged as drift (the JSON report keeps them)",
        ]
    )
    # pytest prints each failure's whole text again in its short summary when $CI is set: not ours to judge
    summary = result.stdout.str().split("signcheck drift report")[-1].split("short test summary info")[0]
    assert "failing" not in summary and "causes:" not in summary and "breaking http" not in summary
    assert "failing the run" not in result.stdout.str()
    markdown = (ourtester.path / "report.md").read_text()
    assert markdown.index("No response looked like the iinked Sign API") < markdown.index(
        "## Could not check"
    )
    assert markdown.index("## Could not check") < markdown.index("## Findings")
    assert "## Summary" not in markdown and "failing" not in markdown
    assert f"{findings} finding(s), not judged as drift" in markdown
    assert f"check --signcheck-base-url (now {url})" in report["problems"][-1]["reason"]
    result.stdout.fnmatch_lines(
        [
            "*signcheck could not check scenario '*': none of the * responses looked like the iinked Sign"
            " API*check --signcheck-base-url*(* finding(s) kept in the report)"
        ]
    )


# A run stopped before its verdict, once the first scenario ran: by pytest.exit, or by a crash in pytest.
# A plugin (-p), not a conftest: a conftest's runtest hooks do not reach the suite, which lives elsewhere.
STOP_AFTER_THE_FIRST_SCENARIO = """
import pytest

def pytest_runtest_logfinish(nodeid, location):
    {}
"""


@pytest.mark.parametrize(
    ("stop", "status", "kind", "reason"),
    [
        (
            "pytest.exit('stop here')",
            pytest.ExitCode.INTERRUPTED,
            "interrupted",
            "the run was interrupted (pytest.exit: stop here) after 1 of 9 scenario(s) ran to the end*",
        ),
        (
            "raise RuntimeError('a plugin broke')",
            pytest.ExitCode.INTERNAL_ERROR,
            "internal-error",
            "pytest stopped with an internal error after 1 of 9 scenario(s) ran to the end*",
        ),
    ],
)
def test_a_run_stopped_before_its_verdict_keeps_pytests_status_and_never_reports_pass(
    ourtester: pytest.Pytester, stop: str, status: int, kind: str, reason: str
) -> None:
    plugin = f"stop_{kind.replace('-', '_')}"
    ourtester.makepyfile(**{plugin: STOP_AFTER_THE_FIRST_SCENARIO.format(stop)})
    ourtester.syspathinsert()
    reports = ("--signcheck-report", "r.json", "--signcheck-report", "r.md")
    result = ourtester.runpytest("-p", plugin, "--signcheck", *reports)
    assert result.ret == status, result.stdout.str()
    report = json.loads((ourtester.path / "r.json").read_text())
    assert report["outcome"] == "could-not-check" and len(report["scenarios"]) == 1
    (problem,) = [problem for problem in report["problems"] if problem.get("kind") == kind]
    assert fnmatch(problem["reason"], reason), problem["reason"]
    assert "**Outcome: could-not-check.**" in (ourtester.path / "r.md").read_text()
    if status == pytest.ExitCode.INTERRUPTED:  # pytest prints no summary after an internal error
        result.stdout.fnmatch_lines(
            [f"outcome: could-not-check ({kind}; *", f"could not check run: {reason}"]
        )


def test_recording_a_wrong_base_url_never_replaces_good_cassettes(
    ourtester: pytest.Pytester, canned: Any, run_record: Any
) -> None:
    tapes = ourtester.path / "tapes"
    shutil.copytree(str(data_dir("cassettes")), tapes)
    before = {path.name: path.read_bytes() for path in tapes.iterdir()}
    with canned(200, "text/html", HTML) as url:
        result, report = run_record(ourtester, url)
    assert result.ret == 10 and report["outcome"] == "could-not-check"
    result.stdout.fnmatch_lines(["*looked like the iinked Sign API, so the recording was not saved*"])
    assert {path.name: path.read_bytes() for path in tapes.iterdir()} == before


def test_real_json_responses_with_one_html_error_stay_drift(
    ourtester: pytest.Pytester, sandbox: SandboxServer, proxy: Any, run_live: Any
) -> None:
    with proxy(sandbox.base_url, "identity", html_path="/packages/send") as url:
        result, report = run_live(ourtester, url)
    assert result.ret == 1, result.stdout.str()
    assert report["outcome"] == "drift"
    assert any(f["check"] == "http" and f["endpoint"] == "POST /packages/send" for f in report["findings"])


def test_a_blocked_network_is_could_not_check_naming_the_cause(
    ourtester: pytest.Pytester, sandbox: SandboxServer, run_live: Any
) -> None:
    pytest.importorskip("pytest_recording")
    result, report = run_live(ourtester, sandbox.base_url, "--block-network")
    assert result.ret == 10
    assert report["outcome"] == "could-not-check"
    result.stdout.fnmatch_lines(
        ["*the network is blocked in this process (Network is disabled*--block-network*"]
    )
    assert "RuntimeError" not in result.stdout.str()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "*cassette *list.yaml is not in vcrpy's format (it is empty). Re-record it*"),
        ("version: 1\ninteractions:\n- null\n", "*interaction 0 has no `request` mapping*"),
    ],
)
def test_an_empty_or_shapeless_cassette_is_could_not_check(
    ourtester: pytest.Pytester, content: str, message: str, run_signcheck: Any
) -> None:
    shutil.copytree(str(data_dir("cassettes")), ourtester.path / "tapes")
    (ourtester.path / "tapes" / "list.yaml").write_text(content)
    result, _ = run_signcheck(ourtester, "--signcheck-cassettes", "tapes")
    assert result.ret == 10
    result.stdout.fnmatch_lines([message])
    assert "NoneType" not in result.stdout.str()


def test_the_sandbox_fixture_without_its_extra_says_how_to_install_it(ourtester: pytest.Pytester) -> None:
    ourtester.makeconftest("import sys\nsys.modules['uvicorn'] = None\nsys.modules['starlette'] = None\n")
    ourtester.makepyfile("def test_mine(signcheck_sandbox):\n    pass\n")
    result = ourtester.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*the signcheck_sandbox fixture needs the sandbox extra*pip install*[sandbox]*"]
    )
    assert "Traceback" not in result.stdout.str() and "UsageError" not in result.stdout.str()


def test_a_bad_sandbox_marker_names_itself(ourtester: pytest.Pytester) -> None:
    marker = "@pytest.mark.signcheck_sandbox(drift=['x'])"
    ourtester.makepyfile(f"import pytest\n{marker}\ndef test_mine(signcheck_sandbox):\n    pass\n")
    result = ourtester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.signcheck_sandbox(...): *drift*"])


def _finding(severity: Severity) -> Finding:
    return Finding("schema", severity, "POST /packages/list", "/items", "array", "string", "not a list")


@pytest.mark.parametrize("fail_on", ["breaking", "any", "never"])
@pytest.mark.parametrize("severity", [None, Severity.BREAKING, Severity.ADDITIVE, Severity.INFO])
@pytest.mark.parametrize("problem", [False, True])
def test_the_exit_status_always_follows_the_outcome(
    fail_on: str, severity: Severity | None, problem: bool
) -> None:
    recorder = Recorder(findings=[_finding(severity)] if severity else [], scenarios=["list"])
    if problem:
        recorder.could_not_check("errors", "host unreachable")
    report = build_report(recorder, Settings(fail_on=fail_on))
    status = outcome_exit_status(report, 1 if severity or problem else 0, int(problem), int(problem))
    assert status == EXIT_STATUS[report["outcome"]]
    fails = severity is not None and _finding(severity).fails(fail_on)
    assert report["outcome"] == ("drift" if fails else "could-not-check" if problem else "pass")


def test_own_failing_tests_still_fail_the_run(ourtester: pytest.Pytester, run_signcheck: Any) -> None:
    ourtester.makepyfile(test_mine="def test_mine():\n    assert False\n")
    result, report = run_signcheck(ourtester, "test_mine.py")
    assert result.ret == 1 and report["outcome"] == "pass"
