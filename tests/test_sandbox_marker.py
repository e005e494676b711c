"""A bad ``@pytest.mark.signcheck_sandbox(...)`` fails the test with one clean message, as a user sees it."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("marker", "named"),
    [
        ("drifts=['nope']", "*@pytest.mark.signcheck_sandbox(...): *nope*"),
        (
            "packagez=3",
            "*@pytest.mark.signcheck_sandbox(...): unknown argument 'packagez'; it takes *packages*",
        ),
    ],
    ids=["unknown-drift", "unknown-argument"],
)
def test_a_bad_sandbox_marker_fails_once_without_a_chained_traceback(
    ourtester: pytest.Pytester, marker: str, named: str
) -> None:
    test = "def test_mine(signcheck_sandbox):\n    pass\n"
    ourtester.makepyfile(f"import pytest\n@pytest.mark.signcheck_sandbox({marker})\n{test}")
    result = ourtester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([named])
    output = result.stdout.str()
    assert "During handling" not in output and "Traceback" not in output
    # once in the error's section; pytest repeats it in its short summary (in full when $CI is set)
    errors = output.split("short test summary info")[0].splitlines()
    shown = [line for line in errors if "@pytest.mark.signcheck_sandbox(...)" in line]
    assert len(shown) == 1, output
