"""A real API in front of the reference sandbox: rate limits, stray gateway errors, redirects.

Each test runs ``pytest --signcheck`` live as a user does (pytester, in this process) through a proxy on
127.0.0.1 that forwards to a reference sandbox and answers some requests itself, as a rate limiter, a
load balancer or a misconfigured gateway does. Then, on the scenario's context: a short `Retry-After`
is honoured before a cleanup delete is tried again.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SandboxConfig, SandboxServer, running
from pytest_signcheck.suite.context import ScenarioContext
from pytest_signcheck.traffic.transport import Client

#: (status, headers, body) the proxy answers itself, or None to forward the request to the sandbox.
Answer = tuple[int, dict[str, str], bytes] | None
#: Decides for the n-th request to the API (counted from 1; the sandbox's /_sandbox surface is not
#: counted) to a path.
Rule = Callable[[int, str], Answer]
Proxy = Callable[..., AbstractContextManager[str]]
Run = tuple[pytest.RunResult, dict[str, Any]]
_GATEWAY_PAGE = b"<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>"
_RATE_LIMITED = (429, {"content-type": "application/json", "retry-after": "600"}, b'{"error": "rate"}')


def _ruled(reverse_proxy: Proxy, upstream: str, rule: Rule, seen: list[str]) -> AbstractContextManager[str]:
    """A reverse proxy to `upstream` that lets `rule` answer requests; `seen` gets every API path."""
    lock = threading.Lock()

    def answer(request: Any) -> tuple[int, dict[str, str], bytes]:
        if "/_sandbox/" in request.path:
            return request.forward()
        with lock:
            seen.append(request.path)
            ruled = rule(len(seen), request.path)
        return ruled or request.forward()

    return reverse_proxy(upstream, answer)


def _on_deletes(deletes: list[int], answer: Callable[[int], Answer]) -> Rule:
    """A rule for `POST /packages/delete` alone: `answer(k)` decides the k-th delete (counted from 1);
    `deletes` gets the request number of each."""

    def rule(n: int, path: str) -> Answer:
        if not path.endswith("/packages/delete"):
            return None
        deletes.append(n)
        return answer(len(deletes))

    return rule


@pytest.fixture
def live(
    ourtester: pytest.Pytester,
    run_live: Callable[..., Run],
    reverse_proxy: Proxy,
    suite_leftovers: Callable[[SandboxServer], list[str]],
) -> Callable[..., Run]:
    """``live(rule, *args)``: `pytest --signcheck` live through a proxy applying `rule` to a fresh
    sandbox; the result, the report, and (as `report["_left"]`, `report["_seen"]`) the packages left
    and the paths requested."""

    def run(rule: Rule, *args: str) -> Run:
        seen: list[str] = []
        with running(SandboxConfig()) as sandbox, _ruled(reverse_proxy, sandbox.base_url, rule, seen) as url:
            result, report = run_live(ourtester, url, "--signcheck-report", "report.md", *args)
            report["_left"] = suite_leftovers(sandbox)
        report["_seen"] = seen
        return result, report

    return run


def test_a_package_whose_delete_stays_rate_limited_is_named_in_every_report(
    ourtester: pytest.Pytester, live: Callable[..., Run]
) -> None:
    # requests 5-8 get 429 with Retry-After 600: the 3rd add stops the scenario, and its cleanup's
    # delete (6) and that delete once more (7) are refused too
    def rule(n: int, path: str) -> Answer:
        return _RATE_LIMITED if 5 <= n <= 8 else None

    result, report = live(rule, "-k", "add-and-status")
    assert result.ret == 10
    assert [path.rsplit("/", 1)[-1] for path in report["_seen"][4:]] == ["add", "delete", "delete"]
    (left,) = report["_left"]
    (problem,) = report["problems"]
    found = re.search(
        r"1 package\(s\) named `(signcheck-\w+) …` were left on the API, delete them", problem["reason"]
    )
    assert found and "still HTTP 429 after 1 attempt(s)" in problem["reason"]
    assert left.startswith(found[1] + " ")
    (evidence,) = report["evidence"]
    assert evidence["left_behind"] == 1 and found[0] in evidence["note"]
    assert found[0] in result.stdout.str()
    assert found[0] in (ourtester.path / "report.md").read_text(encoding="utf-8")


def test_a_delete_that_fails_once_is_tried_again_and_nothing_is_left(
    ourtester: pytest.Pytester, live: Callable[..., Run]
) -> None:
    internal = (500, {"content-type": "application/json"}, b'{"error": "internal", "message": "x"}')
    failed = (_RATE_LIMITED, internal)  # the 1st and 2nd delete; every later one goes through
    deletes: list[int] = []
    rule = _on_deletes(deletes, lambda k: failed[k - 1] if k <= len(failed) else None)

    result, report = live(rule, "-k", "add-and-status")
    assert result.ret == 0, result.stdout.str()
    assert report["_left"] == [] and len(deletes) == 20 + 2
    assert "left_behind" not in report["evidence"][0] and "left on the API" not in result.stdout.str()


def test_stray_gateway_errors_are_retried_not_reported_as_drift(
    ourtester: pytest.Pytester, live: Callable[..., Run]
) -> None:
    # a load balancer's HTML 502 (or 504) on every 13th request; the retry goes through
    def rule(n: int, path: str) -> Answer:
        if n % 13:
            return None
        status = 502 if n % 2 else 504
        return status, {"content-type": "text/html", "retry-after": "0"}, _GATEWAY_PAGE

    result, report = live(rule, "-k", "add-and-status or list or lifecycle")
    assert result.ret == 0, result.stdout.str()
    assert report["outcome"] == "pass" and report["findings"] == []
    assert len(report["_seen"]) >= 26 and report["summary"]["requests"] == len(report["_seen"])


def test_a_failed_upload_stops_the_scenario_before_its_add(
    ourtester: pytest.Pytester, live: Callable[..., Run]
) -> None:
    def rule(n: int, path: str) -> Answer:
        if path.endswith("/files/upload"):
            return 500, {"content-type": "application/json"}, b'{"error": "storage_down", "message": "x"}'
        return None

    result, report = live(rule, "-k", "add-and-status")
    assert result.ret == 10
    assert report["_seen"] == ["/api/v1/files/upload"]  # no packages/add without its document
    (problem,) = report["problems"]
    assert "POST /files/upload answered HTTP 500 storage_down without a fileId" in problem["reason"]
    assert not [f for f in report["findings"] if f["check"] == "integrity"]
    result.stdout.fnmatch_lines(["could not check add-and-status: POST /files/upload answered HTTP 500*"])


def test_a_redirect_is_could_not_check_naming_it_not_a_wrong_address(
    ourtester: pytest.Pytester, live: Callable[..., Run]
) -> None:
    where: list[str] = []

    def rule(n: int, path: str) -> Answer:
        where.append(path + "/")
        return 308, {"location": path + "/"}, b""

    result, report = live(rule, "-k", "upload or list")
    assert result.ret == 10
    reasons = [problem["reason"] for problem in report["problems"]]
    assert len(reasons) == 2 and not any("wrong address" in reason for reason in reasons)
    for reason in reasons:
        assert re.search(r"HTTP 308, a redirect to http://127\.0\.0\.1:\d+/api/v1/[\w/]+/\.", reason), reason
        assert "does not follow redirects" in reason and "trailing slash" in reason
    assert len(report["_seen"]) == 2  # one request each: never followed
    result.stdout.fnmatch_lines(["could not check list: * HTTP 308, a redirect to *"])


def test_a_short_retry_after_is_waited_for_before_a_delete_is_tried_again() -> None:
    answers = iter([429, 429, 200])
    waits: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), json={}, headers={"retry-after": "7"})

    client = Client("http://127.0.0.1:9/api/v1", httpx.MockTransport(handler), retries=1, sleep=waits.append)
    ctx = ScenarioContext(client, "3.6", "run1", datetime.now(UTC), created=["p1"])
    ctx.cleanup()
    assert waits == [7.0, 7.0] and ctx.left_behind is None and ctx.created == []


def test_a_delete_unanswered_twice_is_left_behind_with_its_name() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={}, headers={"retry-after": "900"})

    waits: list[float] = []
    client = Client("http://127.0.0.1:9/api/v1", httpx.MockTransport(handler), sleep=waits.append)
    ctx = ScenarioContext(client, "3.6", "run1", datetime.now(UTC), created=["p1", "p2"])
    ctx.cleanup()
    assert waits == [] and ctx.left_behind is not None  # 900 s is not waited for
    assert set(ctx.left_behind.packages) == {"p1", "p2"} and client.cost.requests == 4
    text = ctx.left_behind.undeleted("why")
    assert text == "why: 2 package(s) named `signcheck-run1 …` were left on the API, delete them"


def test_a_scenario_that_passed_still_names_the_packages_its_cleanup_left(
    ourtester: pytest.Pytester, live: Callable[..., Run]
) -> None:
    # lifecycle's own delete goes through; every cleanup delete after it is rate limited for 10 minutes
    deletes: list[int] = []
    rule = _on_deletes(deletes, lambda k: _RATE_LIMITED if k > 1 else None)

    result, report = live(rule, "-k", "lifecycle")
    assert result.ret == 0 and report["outcome"] == "pass"  # what it checked, it checked
    assert len(report["_left"]) == 2 and len(deletes) == 1 + 2 * 2
    note = "the API did not answer this scenario's deletes, twice: 2 package(s) named `signcheck-"
    assert note in report["evidence"][0]["note"]
    for text in (result.stdout.str(), (ourtester.path / "report.md").read_text(encoding="utf-8")):
        assert note[1:] in text and "were left on the API, delete them" in text  # "> The API ..." in Markdown
