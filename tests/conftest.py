from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx
import pytest

import pytest_signcheck

if TYPE_CHECKING:
    from pytest_signcheck.sandbox import SandboxServer

# Import every module (and through them PyYAML, vcrpy, starlette...) before any in-process pytester
# run: most `pytest --signcheck` runs in these tests go through `pytester.runpytest`, in this process.
# pytester unloads the modules an inner run imported first; a sandbox thread that outlives the
# inner run would then mix old and new classes (its ApiError stops matching), and libyaml's C
# extension, which cannot be unloaded, would keep pointing at unloaded node classes: without this,
# a second in-process replay in one worker finds every cassette "malformed".
# httpx imports httpcore lazily; its exception map would keep the classes of an unloaded httpcore.
# `pytest --runpytest=subprocess` runs every such inner run in a child process instead.
importlib.import_module("httpcore")
for _module in pkgutil.walk_packages(pytest_signcheck.__path__, "pytest_signcheck."):
    if not _module.name.endswith("__main__"):
        try:
            importlib.import_module(_module.name)
        except ImportError:  # the sandbox extra is not installed: README command 1 runs without it
            continue


@pytest.fixture
def ourtester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester with a clean signcheck environment, so the developer's own variables do not leak in."""
    for name in (
        "SIGNCHECK_API_KEY",
        "SIGNCHECK_BASE_URL",
        "SIGNCHECK_MODE",
        "SIGNCHECK_API_VERSION",
        "SIGNCHECK_FAIL_ON",
        "SIGNCHECK_CASSETTES",
    ):
        monkeypatch.delenv(name, raising=False)
    pytester.makeini("[pytest]\nconsole_output_style = classic\n")
    return pytester


def _leftovers(server: SandboxServer) -> list[str]:
    body = {"allMembers": True, "search": "signcheck*", "take": 500, "skip": 0}
    response = httpx.post(f"{server.base_url}/packages/list", json=body, headers={"api_key": server.api_key})
    return [item["name"] for item in response.json()["items"] if item["name"].startswith("signcheck-")]


@pytest.fixture(scope="session")
def suite_leftovers() -> Callable[[SandboxServer], list[str]]:
    """``suite_leftovers(server)``: the packages the conformance suite left on a sandbox (none, ever)."""
    return _leftovers
