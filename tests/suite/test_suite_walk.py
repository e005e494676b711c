"""The list walks at a known cost: a short list walked in full, a long one sampled within the cap, a
second walk only when the list changed under the first; every expectation comes from what the walk saw,
so an organisation with no packages passes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SandboxConfig, SandboxServer, running
from pytest_signcheck.suite.scenarios import REQUEST_CAPS
from pytest_signcheck.suite.walk import FULL_PAGES, SAMPLE_PAGES, TAKE, WALK_PAGES, _sample_skips

RunSuite = Callable[..., dict[str, Any]]


def test_a_short_list_is_walked_in_full(run_suite: RunSuite) -> None:
    with running(SandboxConfig(packages=60, templates=24)) as server:
        results = run_suite(server, "list", "templates")
    assert results["list"].evidence["walk"] == {"total": 60, "pages": 7, "complete": True, "walks": 1}
    assert results["templates"].evidence["walk"] == {"total": 24, "pages": 4, "complete": True, "walks": 1}
    assert [f for result in results.values() for f in result.findings] == []


def test_a_long_list_is_sampled_within_the_cap(run_suite: RunSuite) -> None:
    with running(SandboxConfig(packages=1100)) as server:
        result = run_suite(server, "list")["list"]
    assert result.problem is None
    assert result.evidence["walk"] == {"total": 1100, "pages": WALK_PAGES, "complete": False, "walks": 1}
    assert result.findings == []  # a sample is not held to the whole walk's count of ids
    assert result.evidence["requests"] <= REQUEST_CAPS["list"]


def test_a_sample_still_sees_a_wrong_total(run_suite: RunSuite) -> None:
    with running(SandboxConfig(packages=1100, drifts=("total-off-by-one",))) as server:
        result = run_suite(server, "list")["list"]
    assert result.evidence["walk"]["complete"] is False
    assert {(f.check, f.rule) for f in result.findings if f.breaking} >= {("pagination", "short")}


@pytest.mark.parametrize("total", [201, 205, 1100, 10_000, 123_457])
def test_the_sample_spreads_over_the_rest_of_the_list_and_ends_past_it(total: int) -> None:
    skips = _sample_skips(total)
    last = (total - 1) // TAKE * TAKE
    assert skips == sorted(set(skips)) and len(skips) <= SAMPLE_PAGES + 1
    assert all(skip % TAKE == 0 and skip >= FULL_PAGES * TAKE for skip in skips)
    assert skips[-2:] == [last, last + TAKE]  # the last page, then the empty one past the end


class _AddsMidWalk(httpx.BaseTransport):
    """Real HTTP; while the suite reads the second page of its walk, another client adds a package."""

    def __init__(self, server: SandboxServer) -> None:
        self.inner, self.server, self.done = httpx.HTTPTransport(), server, False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.done and request.url.path.endswith("/packages/list") and b'"skip":10' in request.read():
            self.done = True
            body = {"name": "another client's package", "type": "concurrent", "state": "draft"}
            headers = {"api_key": self.server.api_key}
            httpx.post(f"{self.server.base_url}/packages/add", json=body, headers=headers).raise_for_status()
        return self.inner.handle_request(request)


def test_the_list_is_walked_again_only_when_it_changed_under_the_walk(run_suite: RunSuite) -> None:
    with running(SandboxConfig()) as server:
        moved = run_suite(server, "list", transport_factory=lambda: _AddsMidWalk(server))["list"]
    assert moved.evidence["walk"] == {"total": 61, "pages": 8, "complete": True, "walks": 2}
    assert [f for f in moved.findings if f.check == "pagination"] == []  # the first walk's are dropped
    with running(SandboxConfig(drifts=("take-ignored",))) as server:
        broken = run_suite(server, "list")["list"]
    assert broken.evidence["walk"]["walks"] == 1  # broken pagination is not a list that changed
    assert any(f.check == "pagination" and f.breaking for f in broken.findings)


def test_an_organisation_with_no_packages_passes(run_suite: RunSuite) -> None:
    with running(SandboxConfig(packages=0, templates=0)) as server:
        results = run_suite(server)
    assert [(name, r.problem) for name, r in results.items() if r.problem] == []
    findings = [f for result in results.values() for f in result.findings]
    assert [f for f in findings if f.breaking] == []
    assert [f for f in findings if f.check in ("filters", "pagination")] == []
    assert results["list"].evidence["walk"] == {"total": 0, "pages": 1, "complete": True, "walks": 1}
