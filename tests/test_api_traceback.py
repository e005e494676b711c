"""`assert_conforms` failing in a user's test, from outside: pytest shows the user's line and the
findings, not the plugin's own frame (its source, its arguments)."""

from __future__ import annotations

import pytest

USER_TEST = """
from pytest_signcheck import Finding, Severity, assert_conforms

def test_status():
    drift = Finding(
        check="type-enum",
        severity=Severity.BREAKING,
        endpoint="GET /packages/{packageId}/status",
        pointer="/type",
        expected='"Sequential"',
        actual='"sequential"',
        message="The package type 'sequential' is a case variant of 'Sequential'.",
    )
    assert_conforms([drift], fail_on="breaking")  # the user's line
"""


@pytest.mark.parametrize("tb", ["auto", "long", "short"])
def test_a_failure_shows_the_users_line_and_the_findings_not_the_plugins_frame(
    pytester: pytest.Pytester, tb: str
) -> None:
    pytester.makepyfile(test_user=USER_TEST)
    result = pytester.runpytest(f"--tb={tb}")
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert 'assert_conforms([drift], fail_on="breaking")  # the user\'s line' in output
    assert "signcheck: 1 of 1 findings fail (fail_on=breaking): 1 breaking, 0 additive, 0 info" in output
    assert "breaking type-enum: GET /packages/{packageId}/status /type: The package type" in output
    for internal in ("pytest_signcheck/api.py", "raise AssertionError(describe(", "findings_or_response ="):
        assert internal not in output
