"""The conformance suite from outside: live, record and replay against the reference sandbox over real
HTTP on 127.0.0.1, exit codes, could-not-check, cassette safety, cleanup and xdist.

Three levels, each chosen for what it must show:

- the drift matrix (tests/test_suite_drifts.py) runs every scenario through `SuiteRunner` in the test
  process, against one sandbox per drift switch: it is about what the checks find;
- most `pytest --signcheck` runs go through pytester's `runpytest`, in this process by default (the
  modules tests/conftest.py imports first make that safe); `pytest --runpytest=subprocess` runs every one
  of them in a child process instead;
- a child process where the process is what is tested: the main job as a user types it (exit 0), an
  unreachable host (exit 10), a real Ctrl-C (exit 2, and cleanup), an xdist run with its own workers
  (exit 1). tests/test_plugin_options.py sends one usage error (exit 4) through a child process too.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pytest_signcheck._resources import data_dir
from pytest_signcheck.sandbox import DEFAULT_API_KEY, SandboxConfig, SandboxServer, running
from pytest_signcheck.settings import EXIT_COULD_NOT_CHECK
from pytest_signcheck.suite import SCENARIOS as SUITE

SCENARIOS = set(SUITE)
Leftovers = Callable[[SandboxServer], list[str]]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with running(SandboxConfig()) as server:
        yield server


def _run(
    tester: pytest.Pytester, *args: str, process: bool = False
) -> tuple[pytest.RunResult, dict[str, Any]]:
    """`pytest --signcheck --signcheck-report report.json *args`: the result and the JSON report.

    In this process unless `process` (or `--runpytest=subprocess`) asks for a child process.
    """
    command = ("--signcheck", "--signcheck-report", "report.json", *args)
    result = tester.runpytest_subprocess(*command) if process else tester.runpytest(*command)
    report_path = tester.path / "report.json"
    report = json.loads(report_path.read_bytes()) if report_path.exists() else {}
    return result, report


def _live(
    tester: pytest.Pytester, url: str, *args: str, process: bool = False
) -> tuple[pytest.RunResult, dict[str, Any]]:
    return _run(tester, "--signcheck-mode", "live", "--signcheck-base-url", url, *args, process=process)


def _record(tester: pytest.Pytester, url: str, *args: str) -> tuple[pytest.RunResult, dict[str, Any]]:
    """Record against `url` into ./tapes."""
    into = ("--signcheck-cassettes", "tapes")
    return _run(tester, "--signcheck-mode", "record", "--signcheck-base-url", url, *into, *args)


def _checks(report: dict[str, Any], severity: str | None = None) -> set[str]:
    return {f["check"] for f in report["findings"] if severity is None or f["severity"] == severity}


def test_live_run_against_the_reference_sandbox_passes(
    ourtester: pytest.Pytester, sandbox: SandboxServer, suite_leftovers: Leftovers
) -> None:
    result, report = _live(ourtester, sandbox.base_url, "--signcheck-report", "report.md")
    assert result.ret == 0, result.stdout.str()
    result.assert_outcomes(passed=len(SUITE))
    assert report["outcome"] == "pass"
    assert report["target"] == {
        "mode": "live",
        "base_url": sandbox.base_url,
        "api_version": "4.0",
        "cassettes": "shipped",
    }
    assert set(report["scenarios"]) == SCENARIOS
    assert report["summary"]["by_severity"]["breaking"] == 0
    assert "# signcheck drift report" in (ourtester.path / "report.md").read_text(encoding="utf-8")
    result.stdout.fnmatch_lines(["*signcheck drift report*", "outcome: pass (0 breaking, *"])
    assert suite_leftovers(sandbox) == []


def test_replay_of_the_shipped_cassettes_passes_offline_from_any_directory(
    ourtester: pytest.Pytester,
) -> None:
    ourtester.makeconftest(
        """
        import socket
        import pytest

        @pytest.fixture(autouse=True)
        def no_network(monkeypatch):
            def refuse(*args, **kwargs):
                raise AssertionError("replay opened a socket")
            monkeypatch.setattr(socket.socket, "connect", refuse)
        """
    )
    result, report = _run(ourtester, process=True)  # the main job, as a user types it
    assert result.ret == 0, result.stdout.str()
    result.assert_outcomes(passed=len(SUITE))
    assert report["outcome"] == "pass" and report["target"]["mode"] == "replay"


def _webhook_secret(key: str) -> str:
    """The secret the first registration on a fresh sandbox answers (seeded, so always the same)."""
    with running(SandboxConfig(api_key=key, packages=0, templates=0)) as server:
        body = {"url": "http://127.0.0.1:9/unused"}
        answer = httpx.post(f"{server.base_url}/events/endpoints/set", json=body, headers={"api_key": key})
    secret: str = answer.json()["secret"]
    return secret


def test_record_then_replay_round_trips_and_cassettes_hold_no_secrets(
    ourtester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "recording-key-0123456789abcdef"
    with running(SandboxConfig(api_key=key)) as server:
        monkeypatch.setenv("SIGNCHECK_API_KEY", key)
        recorded, first = _record(ourtester, server.base_url)
    assert recorded.ret == 0, recorded.stdout.str()
    tapes = ourtester.path / "tapes"
    assert {p.stem for p in tapes.glob("*.yaml")} == SCENARIOS
    text = "\n".join(p.read_text(encoding="utf-8") for p in tapes.glob("*.yaml"))
    assert key not in text and "api_key" not in text
    # the webhook secret, the deliveries' signatures and the data's field values (a signer's name)
    assert _webhook_secret(key) not in text and "scrubbed-secret-" in text
    assert "x-syngrafii-signature: scrubbed-signature" in text
    assert not re.findall(r"[0-9a-f]{64}", text)
    assert "redacted-value-" in text and "Signcheck Signer" not in text
    assert not re.findall(r"[\w.+-]+@(?!example\.com)[\w-]+\.[\w.]+", text)
    emails = set(re.findall(r"[\w.+-]+@example\.com", text))
    assert emails and all(re.fullmatch(r"person\d+@example\.com", e) for e in emails)
    names = set(re.findall(r'"(?:firstName|lastName)": "([^"]*)"', text))
    assert names and all(re.fullmatch(r"(Given|Family)\d+", name) for name in names)
    tokens = set(re.findall(r"/link/(?!sign/|edit\b)([A-Za-z0-9_-]+)", text))  # not the API paths
    assert tokens and all(re.fullmatch(r"scrubbed\d{14}", t) for t in tokens)
    monkeypatch.delenv("SIGNCHECK_API_KEY")
    replayed, second = _run(ourtester, "--signcheck-cassettes", "tapes")  # the sandbox is gone now
    assert replayed.ret == 0, replayed.stdout.str()
    assert _counts(second) == _counts(first)


def _counts(report: dict[str, Any]) -> dict[str, Any]:
    """The summary but the seconds spent waiting, which differ between any two runs."""
    return {key: value for key, value in report["summary"].items() if key != "waited_s"}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_host_is_could_not_check(ourtester: pytest.Pytester) -> None:
    result, report = _live(ourtester, f"http://127.0.0.1:{_closed_port()}/api/v1", process=True)
    assert result.ret == EXIT_COULD_NOT_CHECK  # the status a shell sees
    assert report["outcome"] == "could-not-check"
    result.stdout.fnmatch_lines(["*could not check scenario*could not reach 127.0.0.1*--signcheck-base-url*"])
    assert "Traceback" not in result.stdout.str()


def test_a_refused_key_is_could_not_check(
    ourtester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNCHECK_API_KEY", "not-the-right-key")
    with running(SandboxConfig()) as server:
        result, report = _live(ourtester, server.base_url)
    assert result.ret == EXIT_COULD_NOT_CHECK
    assert report["problems"] and "refused the key (HTTP 403)" in report["problems"][0]["reason"]
    assert "not-the-right-key" not in result.stdout.str() + json.dumps(report)


def test_an_exhausted_rate_limit_is_could_not_check(ourtester: pytest.Pytester) -> None:
    with running(SandboxConfig(throttle=-1)) as server:
        result, _ = _live(ourtester, server.base_url)
    assert result.ret == EXIT_COULD_NOT_CHECK
    result.stdout.fnmatch_lines(["*still HTTP 429 after 4 attempt(s)*"])


def test_a_brief_rate_limit_is_retried_through(ourtester: pytest.Pytester) -> None:
    with running(SandboxConfig(throttle=2)) as server:
        result, report = _live(ourtester, server.base_url)
    assert result.ret == 0, result.stdout.str()
    assert report["outcome"] == "pass"


def _copy_shipped(tester: pytest.Pytester) -> Path:
    target = tester.path / "tapes"
    shutil.copytree(str(data_dir("cassettes")), target)
    return target


def test_a_cassette_missing_an_interaction_is_could_not_check(ourtester: pytest.Pytester) -> None:
    tapes = _copy_shipped(ourtester)
    errors = tapes / "errors.yaml"
    data = __import__("yaml").safe_load(errors.read_text(encoding="utf-8"))
    data["interactions"] = data["interactions"][:-1]
    errors.write_text(__import__("yaml").safe_dump(data))
    result, report = _run(ourtester, "--signcheck-cassettes", "tapes")
    assert result.ret == EXIT_COULD_NOT_CHECK
    assert report["problems"][0]["scenario"] == "errors"
    result.stdout.fnmatch_lines(
        ["*errors.yaml has no recorded interaction for POST /packages/list*Re-record with*"]
    )


@pytest.mark.parametrize("damage", ["truncate", "garbage", "delete"])
def test_a_damaged_cassette_is_could_not_check_with_a_clear_message(
    ourtester: pytest.Pytester, damage: str
) -> None:
    tapes = _copy_shipped(ourtester)
    target = tapes / "list.yaml"
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[: len(target.read_bytes()) // 2])
    elif damage == "garbage":
        target.write_text("- just\n- a list\n")
    else:
        target.unlink()
    result, _ = _run(ourtester, "--signcheck-cassettes", "tapes")
    assert result.ret == EXIT_COULD_NOT_CHECK
    result.assert_outcomes(passed=len(SUITE) - 1, failed=1)
    result.stdout.fnmatch_lines(["*could not check scenario 'list': cassette*list.yaml*Re-record*"])
    assert "Traceback" not in result.stdout.str()


def test_a_failed_recording_never_replaces_a_good_cassette(ourtester: pytest.Pytester) -> None:
    tapes = _copy_shipped(ourtester)
    before = {p.name: p.read_bytes() for p in tapes.iterdir()}
    with running(SandboxConfig(throttle=-1)) as server:
        result, _ = _record(ourtester, server.base_url)
    assert result.ret == EXIT_COULD_NOT_CHECK
    assert {p.name: p.read_bytes() for p in tapes.iterdir()} == before


def test_api_version_3_6_against_a_3_6_sandbox_passes(ourtester: pytest.Pytester) -> None:
    with running(SandboxConfig(api_version="3.6")) as server:
        result, report = _live(ourtester, server.base_url, "--signcheck-api-version", "3.6")
    assert result.ret == 0, result.stdout.str()
    assert report["target"]["api_version"] == "3.6"


def test_a_4_0_sandbox_is_drift_for_a_3_6_integration(
    ourtester: pytest.Pytester, sandbox: SandboxServer
) -> None:
    result, report = _live(ourtester, sandbox.base_url, "--signcheck-api-version", "3.6")
    assert result.ret == 1
    assert "state-enum" in _checks(report, "breaking")


def test_fail_on_never_reports_drift_but_exits_zero(ourtester: pytest.Pytester) -> None:
    with running(SandboxConfig(drifts=("type-lowercase",))) as server:
        result, report = _live(ourtester, server.base_url, "--signcheck-fail-on", "never")
    assert result.ret == 0
    assert report["outcome"] == "pass" and "type-enum" in _checks(report, "breaking")  # the gate passes
    result.stdout.fnmatch_lines(["*signcheck drift report*", "outcome: pass (*", "*type-enum*"])


def test_findings_are_merged_across_xdist_workers(ourtester: pytest.Pytester) -> None:
    ourtester.makepyfile(
        test_mine="import pytest\n@pytest.mark.parametrize('n', range(4))\ndef test_mine(n): pass"
    )
    with running(SandboxConfig(drifts=("error-code-renamed", "total-off-by-one"))) as server:
        serial, one = _live(ourtester, server.base_url, "test_mine.py")
        parallel, two = _live(ourtester, server.base_url, "test_mine.py", "-n", "2", process=True)
    assert serial.ret == parallel.ret == 1
    parallel.stdout.fnmatch_lines(["*2 workers*"])
    assert _counts(two) == _counts(one)
    assert {"http", "pagination"} <= _checks(two, "breaking")
    assert set(two["scenarios"]) == SCENARIOS


STOP_EACH_WORKER = """
import os
import pytest

def pytest_runtest_logfinish(nodeid, location):
    if os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.exit("stop here")
"""


def test_an_xdist_run_stopped_in_its_workers_counts_each_scenario_once_of_the_planned(
    ourtester: pytest.Pytester,
) -> None:
    """xdist hands the controller a stopped worker's output twice (and replaces the worker): each
    scenario is merged once, and the report says how many of the planned ones ran. How many that is
    depends on timing: the controller may stop on the first worker's exit before it merged any."""
    ourtester.makepyfile(stop_each_worker=STOP_EACH_WORKER)
    result, report = _run(ourtester, "-p", "stop_each_worker", "-n", "2", process=True)
    assert result.ret == pytest.ExitCode.INTERRUPTED, result.stdout.str()
    assert report["outcome"] == "could-not-check"
    ran = len(report["scenarios"])
    assert ran <= 2 and len(report["evidence"]) == ran  # each worker ran one scenario, merged once
    (reason,) = [p["reason"] for p in report["problems"] if p.get("kind") == "interrupted"]
    assert f"after {ran} of {len(SUITE)} scenario(s) ran to the end" in reason


def test_own_tests_run_beside_the_suite_when_paths_are_given(ourtester: pytest.Pytester) -> None:
    ourtester.makepyfile(test_mine="def test_mine(): pass")
    result, _ = _run(ourtester, "test_mine.py")
    result.assert_outcomes(passed=len(SUITE) + 1)
    without_paths, _ = _run(ourtester)
    without_paths.assert_outcomes(passed=len(SUITE))


def test_the_sandbox_fixture_serves_users_own_tests(ourtester: pytest.Pytester) -> None:
    ourtester.makepyfile(
        f"""
        import httpx
        import pytest

        @pytest.mark.signcheck_sandbox(drifts=["type-lowercase"])
        def test_mine(signcheck_sandbox):
            response = httpx.post(signcheck_sandbox + "/packages/list", json={{"types": ["Sequential"]}},
                                  headers={{"api_key": "{DEFAULT_API_KEY}"}})
            assert response.status_code == 200
            assert {{item["type"] for item in response.json()["items"]}} == {{"sequential"}}
        """
    )
    ourtester.runpytest().assert_outcomes(passed=1)


# A user's Ctrl-C, for real: the child process sends itself SIGINT as the 5th package is being added.
CTRL_C_AT_THE_FIFTH_ADD = """
import os
import signal

import httpx

# Ctrl-C raises KeyboardInterrupt, as in a terminal: a shell starting the tests in the background
# leaves SIGINT ignored, and this child process would inherit that
signal.signal(signal.SIGINT, signal.default_int_handler)
_send = httpx.HTTPTransport.handle_request
_adds = []


def _send_or_interrupt(self, request):
    if request.url.path.endswith("/packages/add"):
        _adds.append(request.url.path)
        if len(_adds) == 5:
            os.kill(os.getpid(), signal.SIGINT)
    return _send(self, request)


httpx.HTTPTransport.handle_request = _send_or_interrupt
"""


def _interrupted(result: pytest.RunResult, report: dict[str, Any]) -> str:
    """Asserts a Ctrl-C'd run as a user sees it; the reason its report gives for could-not-check."""
    assert result.ret == pytest.ExitCode.INTERRUPTED, result.stdout.str()
    result.stdout.fnmatch_lines(["*KeyboardInterrupt*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert report["outcome"] == "could-not-check"
    result.stdout.fnmatch_lines(["outcome: could-not-check (interrupted; *", "could not check run: *"])
    (reason,) = [p["reason"] for p in report["problems"] if p.get("kind") == "interrupted"]
    assert re.search(r"interrupted \(Ctrl-C.*\) after \d+ of \d+ scenario\(s\) ran to the end", reason)
    return str(reason)


def test_ctrl_c_stops_the_run_with_pytests_status_and_deletes_what_it_created(
    ourtester: pytest.Pytester, sandbox: SandboxServer, suite_leftovers: Leftovers
) -> None:
    ourtester.makeconftest(CTRL_C_AT_THE_FIFTH_ADD)
    result, report = _live(ourtester, sandbox.base_url, process=True)
    reason = _interrupted(result, report)
    assert "the interrupted scenario deleted the packages it created, named `signcheck-" in reason
    assert suite_leftovers(sandbox) == []


def _ctrl_c_at(path: str, *counts: int, after_the_answer: bool = False) -> str:
    """A conftest that sends the process SIGINT at the given requests to `path` (counted from 1): as the
    request leaves, or once its answer came back (`after_the_answer`: the API did it, the suite never
    learns the answer)."""
    return f"""
import os
import signal

import httpx

signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal (see CTRL_C_AT_THE_FIFTH_ADD)
_send = httpx.HTTPTransport.handle_request
_seen = []


def _send_or_interrupt(self, request):
    if not request.url.path.endswith({path!r}):
        return _send(self, request)
    _seen.append(request.url.path)
    response = _send(self, request) if {after_the_answer!r} else None
    if len(_seen) in {counts!r}:
        os.kill(os.getpid(), signal.SIGINT)
    return response if response is not None else _send(self, request)


httpx.HTTPTransport.handle_request = _send_or_interrupt
"""


def test_ctrl_c_during_cleanup_still_deletes_every_package(
    ourtester: pytest.Pytester, sandbox: SandboxServer, suite_leftovers: Leftovers
) -> None:
    # the 2nd delete is interrupted before it is sent: only its retry deletes that package
    ourtester.makeconftest(_ctrl_c_at("/packages/delete", 2))
    result, report = _live(ourtester, sandbox.base_url, process=True)
    assert suite_leftovers(sandbox) == []
    assert "deleted the packages it created" in _interrupted(result, report)


def test_a_second_ctrl_c_stops_cleanup_and_the_report_names_what_was_left(
    ourtester: pytest.Pytester, suite_leftovers: Leftovers
) -> None:
    ourtester.makeconftest(_ctrl_c_at("/packages/delete", 2, 3))
    with running(SandboxConfig()) as server:
        result, report = _live(ourtester, server.base_url, process=True)
        left = suite_leftovers(server)
    reason = _interrupted(result, report)
    found = re.search(r"a second Ctrl-C stopped .*: (\d+) package\(s\) named `(signcheck-\w+) …`", reason)
    assert found, reason
    assert left and len(left) == int(found[1])
    assert all(name.startswith(found[2] + " ") for name in left)


def test_ctrl_c_while_an_add_is_answered_leaves_at_most_that_package_and_names_it(
    ourtester: pytest.Pytester, suite_leftovers: Leftovers
) -> None:
    ourtester.makeconftest(_ctrl_c_at("/packages/add", 3, after_the_answer=True))
    with running(SandboxConfig()) as server:
        result, report = _live(ourtester, server.base_url, process=True)
        left = suite_leftovers(server)
    reason = _interrupted(result, report)
    found = re.search(r"named `(signcheck-\w+) …`; one whose add was being answered", reason)
    assert found, reason
    assert len(left) == 1 and left[0].startswith(found[1] + " ")


def test_a_live_report_holds_no_webhook_secret_signature_or_field_value(ourtester: pytest.Pytester) -> None:
    drifts = ("data-field-renamed", "webhook-field-renamed", "extra-field")
    with running(SandboxConfig(drifts=drifts)) as server:
        result, report = _live(ourtester, server.base_url, "--signcheck-report", "report.md")
        signatures = {event["signature"] for event in server.flush() if event["signature"]}
    assert result.ret == 1 and {"schema", "undocumented-field"} <= _checks(report)
    written = (
        json.dumps(report) + (ourtester.path / "report.md").read_text(encoding="utf-8") + result.stdout.str()
    )
    assert _webhook_secret(DEFAULT_API_KEY) not in written
    assert signatures and not any(signature in written for signature in signatures)
    assert "Signcheck Signer" not in written  # the signers' names, and the data values that repeat them
