"""What a live run costs: every scenario counts the requests it sent and the time it waited on the API,
and never sends more than its documented cap, whatever the organisation's size."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from pytest_signcheck.errors import CouldNotCheck
from pytest_signcheck.sandbox import SandboxConfig, running
from pytest_signcheck.suite import SCENARIOS
from pytest_signcheck.suite.scenarios import REQUEST_CAPS
from pytest_signcheck.traffic.transport import Client

RunSuite = Callable[..., dict[str, Any]]


def test_every_scenario_counts_its_requests_and_stays_within_its_cap(run_suite: RunSuite) -> None:
    with running(SandboxConfig(packages=1100)) as server:
        results = run_suite(server)
        answered = server.stats()["requests"]
    assert set(REQUEST_CAPS) == set(SCENARIOS)
    for name, result in results.items():
        assert result.problem is None, name
        assert result.evidence["request_cap"] == REQUEST_CAPS[name]
        assert 0 < result.evidence["requests"] <= REQUEST_CAPS[name], name
    # what the runs say they sent is what the API answered (the sandbox's control surface is not the API)
    assert sum(result.evidence["requests"] for result in results.values()) == answered


def test_the_time_waited_holds_what_the_api_held(run_suite: RunSuite) -> None:
    with running(SandboxConfig(delay_ms=20)) as server:
        result = run_suite(server, "errors")["errors"]
        held = server.stats()["delayedMs"] / 1000
    assert held > 0
    assert result.evidence["waited_s"] >= held  # each response was held inside its own round trip


def _counting_client(cap: int, sent: list[str]) -> Client:
    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return httpx.Response(200, json={"packageId": "x"})

    return Client("http://127.0.0.1:9/api/v1", httpx.MockTransport(answer), max_requests=cap)


def test_a_scenario_stops_at_its_cap_but_its_cleanup_still_runs() -> None:
    sent: list[str] = []
    client = _counting_client(2, sent)
    client.call("POST", "/packages/list", json_body={})
    client.call("POST", "/packages/list", json_body={})
    with pytest.raises(CouldNotCheck, match=r"reached its cap of 2 requests.*a bug in pytest-signcheck"):
        client.call("POST", "/packages/list", json_body={})
    client.call("POST", "/packages/delete", json_body={"packageId": "x"}, cleanup=True)
    assert sent == ["/api/v1/packages/list"] * 2 + ["/api/v1/packages/delete"]
    assert client.cost.to_dict()["requests"] == 3


def test_the_readme_states_the_caps_the_suite_holds() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Live runs and what they cost", 1)[1].split("\n## ", 1)[0]
    stated = dict(re.findall(r"^\| `([a-z-]+)` \| (\d+) \|", section, re.MULTILINE))
    assert {name: int(cap) for name, cap in stated.items()} == REQUEST_CAPS
    assert f"| **a run** | **{sum(REQUEST_CAPS.values())}** |" in section
