"""The exploration of packages/list (``--signcheck-explore N``, issue 13 point 6): bodies drawn from the
request schema, each response judged by the checks, the failing body printed to reproduce it.

In the test process with `SuiteRunner` against the reference sandbox over real HTTP on 127.0.0.1 (as
tests/test_suite_drifts.py runs the other scenarios); one `pytest --signcheck` run as a user types it,
and the usage errors, through pytester. No test tells the exploration which filter to doubt: every drift
switch of the matrix runs the same N and seed, and so does the clean sandbox.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pytest_signcheck.contract import schemas
from pytest_signcheck.contract.list_requests import SCHEMA, draw, fields
from pytest_signcheck.findings import Finding
from pytest_signcheck.sandbox import DRIFTS, SandboxConfig, SandboxServer, running
from pytest_signcheck.settings import MAX_EXPLORE, Settings
from pytest_signcheck.suite import ScenarioResult, SuiteRunner
from pytest_signcheck.suite.explore import EXPLORE, explore_cap

#: One N and seed for every switch and for the clean sandbox: small, and the same for all.
EXAMPLES, SEED = 30, 0
#: Each list switch that makes the API ignore part of a request: what the exploration must report,
#: as (check, the field of the items that shows it, the request field the body sets, breaking?).
#: Ignoring sortBy shows only under `name`, a value the docs do not name: found, as info. An ignored
#: `take` shows with the documented default of 50 too, in a body without one.
IGNORED = {
    "states-filter-ignored": ("filters", "state", "states", True),
    "days-ignored": ("filters", "timeSignBy", "days", True),
    "sortby-ignored": ("filters", "", "sortBy", False),
    "take-ignored": ("pagination", "", "", True),
}
#: Switches named "-ignored" the exploration does not cover, and why.
ELSEWHERE = {"templates-types-ignored": "templates/list, not packages/list"}
_BODY = re.compile(r"Request body to reproduce it: (\{.*?\})(?: \(and \d+ more at [^()]*\))?\.?$")


def _explore(server: SandboxServer, mode: str = "live", **options: Any) -> ScenarioResult:
    options.setdefault("explore", EXAMPLES)
    options.setdefault("explore_seed", SEED)
    settings = Settings(enabled=True, mode=mode, base_url=server.base_url, api_key=server.api_key, **options)
    return SuiteRunner(settings).run(EXPLORE)


def _body(finding: Finding) -> dict[str, Any]:
    """The request body a finding says reproduces it."""
    match = _BODY.search(finding.message)
    assert match, f"no request body in {finding.message!r}"
    body: dict[str, Any] = json.loads(match.group(1))
    return body


def test_every_switch_that_ignores_a_list_request_field_is_explored() -> None:
    ignoring = {name for name in DRIFTS if name.endswith("-ignored")}
    assert ignoring == set(IGNORED) | set(ELSEWHERE)


@pytest.mark.parametrize("drift", sorted(IGNORED))
def test_the_exploration_finds_the_ignored_field_without_being_told_which(drift: str) -> None:
    check, shown_at, asked, breaking = IGNORED[drift]
    with running(SandboxConfig(drifts=(drift,))) as server:
        result = _explore(server)
    assert result.problem is None
    found = [f for f in result.findings if f.check == check and f.breaking == breaking]
    assert found, f"{drift}: found {[(f.check, f.severity.value, f.pointer) for f in result.findings]}"
    for finding in found:  # each names a body that asks the ignored field, as the API was sent it
        assert not asked or asked in _body(finding), finding.message
        assert finding.pointer.endswith(shown_at), finding.pointer
    assert not [f for f in result.findings if f.breaking and f.check != check]
    assert result.evidence["requests"] <= explore_cap(EXAMPLES)


@pytest.mark.parametrize("seed", [SEED, 1, 2])
def test_the_clean_sandbox_gives_no_finding(seed: int) -> None:
    with running(SandboxConfig()) as server:
        result = _explore(server, explore_seed=seed)
    assert (result.problem, result.findings) == (None, [])
    tally = result.evidence["explore"]
    assert (tally["bodies"], tally["refused"], tally["with_findings"]) == (EXAMPLES, 0, 0)
    assert result.evidence["requests"] == explore_cap(EXAMPLES)  # the bodies, a draft added and deleted


def test_a_recording_replays_offline_to_the_same_verdict(tmp_path: Path) -> None:
    with running(SandboxConfig(drifts=("states-filter-ignored",))) as server:
        recorded = _explore(server, mode="record", cassettes=tmp_path)
    assert (tmp_path / "explore.yaml").exists()
    replayed = _explore(server, mode="replay", cassettes=tmp_path)  # the sandbox is gone: offline
    assert (recorded.problem, replayed.problem) == (None, None)
    assert [f.to_dict() | {"source": ""} for f in replayed.findings] == [
        f.to_dict() | {"source": ""} for f in recorded.findings
    ]
    assert recorded.findings and replayed.evidence["explore"] == recorded.evidence["explore"]
    other = _explore(server, mode="replay", cassettes=tmp_path, explore=EXAMPLES - 1)
    assert other.problem is not None and other.findings == []
    assert f"holds the exploration of --signcheck-explore {EXAMPLES} --signcheck-explore-seed {SEED}" in (
        other.problem
    )
    assert f"--signcheck-explore {EXAMPLES - 1} --signcheck-explore-seed {SEED}" in other.problem


def test_the_bodies_are_valid_cover_every_field_and_do_not_depend_on_the_process() -> None:
    bodies = draw(EXAMPLES, SEED)
    validator = jsonschema.Draft202012Validator(
        schemas.load_schema(schemas.schema_for(SCHEMA, "4.0")), registry=schemas.registry("4.0")
    )
    assert [list(validator.iter_errors(body)) for body in bodies] == [[]] * EXAMPLES
    leads = fields()
    assert [body.get(lead) is not None for lead, body in zip(leads, bodies, strict=False)] == [True] * len(
        leads
    )
    assert len({json.dumps(body, sort_keys=True) for body in bodies}) == EXAMPLES
    assert not {"executed", "expired"} & {
        s for body in draw(EXAMPLES, SEED, "3.6") for s in body.get("states") or ()
    }
    code = "import json; from pytest_signcheck.contract.list_requests import draw; "
    code += f"print(json.dumps(draw({EXAMPLES}, {SEED})))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    child = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert json.loads(child.stdout) == bodies


# --- as a user types it ---------------------------------------------------------------------------


def test_a_user_run_prints_the_body_that_reproduces_the_drift(
    ourtester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running(SandboxConfig(drifts=("days-ignored",))) as server:
        monkeypatch.setenv("SIGNCHECK_API_KEY", server.api_key)
        result = ourtester.runpytest(
            "--signcheck",
            "--signcheck-mode=live",
            f"--signcheck-base-url={server.base_url}",
            "--signcheck-explore=20",
            "--signcheck-report=report.json",
        )
    output = result.stdout.str()
    assert result.ret == 1, output
    assert "explore=20 seed=0" in output  # the header says what was asked
    assert re.search(r"FAILED .*test_signcheck\[explore\]", output)
    assert re.search(r'Request body to reproduce it: \{"days": \d+[,}]', output), output
    report = json.loads((ourtester.path / "report.json").read_bytes())
    assert report["outcome"] == "drift"


def test_replaying_the_shipped_cassettes_says_how_to_record_an_exploration(
    ourtester: pytest.Pytester,
) -> None:
    result = ourtester.runpytest("--signcheck", "--signcheck-explore", "5", "--signcheck-explore-seed", "3")
    output = result.stdout.str()
    assert result.ret == 10, output
    assert "the shipped cassettes hold no exploration" in output
    assert "--signcheck-mode record" in output
    assert "--signcheck-explore 5 --signcheck-explore-seed 3" in output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--signcheck", "--signcheck-explore", "-1"), "--signcheck-explore='-1' is not valid"),
        (("--signcheck", "--signcheck-explore", "abc"), "--signcheck-explore='abc' is not valid"),
        (
            ("--signcheck", f"--signcheck-explore={MAX_EXPLORE + 1}"),
            f"a whole number from 0 to {MAX_EXPLORE}",
        ),
        (
            ("--signcheck", "--signcheck-explore=2", "--signcheck-explore-seed=x"),
            "--signcheck-explore-seed='x'",
        ),
        (
            ("--signcheck-explore", "2"),
            "--signcheck-explore explores inside the conformance suite: add --signcheck",
        ),
    ],
)
def test_a_bad_exploration_option_is_a_usage_error(
    ourtester: pytest.Pytester, arguments: tuple[str, ...], message: str
) -> None:
    result = ourtester.runpytest(*arguments)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()
    assert "Traceback" not in result.stderr.str() + result.stdout.str()


def test_the_ini_key_asks_for_an_exploration(ourtester: pytest.Pytester) -> None:
    ourtester.makeini("[pytest]\nsigncheck_explore = x\n")
    result = ourtester.runpytest("--signcheck")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "tox.ini: signcheck_explore='x' is not valid" in result.stderr.str()  # the key, not a flag
