from __future__ import annotations

import pytest


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
