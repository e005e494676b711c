"""The webhook options through pytest, as a user types them: bad values stop the run (exit 4), an opted-in
URL is what gets registered, and without one a remote API is never sent a registration."""

from __future__ import annotations

import json

import pytest

from pytest_signcheck.sandbox import SandboxConfig, running
from pytest_signcheck.traffic.webhooks import Receiver


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--signcheck-webhook-url=ftp://example.com/hook", "*--signcheck-webhook-url is not an http(s) URL*"),
        ("--signcheck-webhook-port=0", "*--signcheck-webhook-port='0' is not valid; use a number above 0*"),
        ("--signcheck-webhook-port=http", "*--signcheck-webhook-port='http' is not valid*"),
        ("--signcheck-webhook-timeout=-1", "*--signcheck-webhook-timeout='-1' is not valid*"),
    ],
)
def test_a_bad_webhook_option_is_a_usage_error(ourtester: pytest.Pytester, option: str, message: str) -> None:
    result = ourtester.runpytest("--signcheck", option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: signcheck: {message}"])


def test_an_opted_in_url_is_registered_listened_on_and_never_written(ourtester: pytest.Pytester) -> None:
    with Receiver() as probe:
        port = probe.port  # free now, closed before the run listens on it
    url = f"http://127.0.0.1:{port}/from/my/tunnel?token=s3cr3t"
    with running(SandboxConfig()) as server:
        result = ourtester.runpytest(
            *("--signcheck", "--signcheck-mode", "record", "--signcheck-base-url", server.base_url),
            *("--signcheck-webhook-url", url, "--signcheck-webhook-port", str(port)),
            *("-k", "webhooks", "--signcheck-cassettes", "tapes", "--signcheck-report", "report.json"),
        )
        events = server.flush()
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines([f"signcheck: * webhooks=your URL -> 127.0.0.1:{port}*"])
    assert {event["url"] for event in events} == {url}
    written = (ourtester.path / "report.json").read_text() + (
        ourtester.path / "tapes" / "webhooks.yaml"
    ).read_text()
    assert "s3cr3t" not in written + result.stdout.str()  # such a URL may carry a token
    replayed = ourtester.runpytest("--signcheck", "--signcheck-cassettes", "tapes", "-k", "webhooks")
    assert replayed.ret == 0, replayed.stdout.str()


def test_a_remote_api_without_an_opt_in_is_never_sent_a_registration(
    ourtester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNCHECK_API_KEY", "a-key-that-is-never-sent")
    result = ourtester.runpytest(
        *("--signcheck", "--signcheck-mode", "live", "-k", "webhooks", "-rs"),
        *("--signcheck-base-url", "https://sandbox.syngrafii.com/api/v1", "--signcheck-report", "r.json"),
    )
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED*webhooks*replaces the organisation's own*--signcheck-webhook-url*"])
    assert result.ret == 10  # nothing was checked: not a pass
    assert json.loads((ourtester.path / "r.json").read_text())["outcome"] == "could-not-check"
