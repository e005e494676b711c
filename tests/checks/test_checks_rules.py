"""`Finding.rule`: every finding names the rule it breaks, and fingerprints survive a re-run.

A rule never holds an actual value (ids, tokens, times, the offending string): fingerprints are built
from it, and two runs against one unchanged API must agree. Where two findings at one pointer differ
in kind (severity), their rules differ too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pytest
from checkdata import LIST, STATUS, build_status, deep, load
from test_checks_drift import DRIFTS, Drift, run

from pytest_signcheck import PaginationWalk, check_pagination, check_response
from pytest_signcheck.findings import Finding

NOW = datetime(2026, 2, 26, tzinfo=UTC)
#: kebab-case names, a filter's field name, or a schema keyword with its expected type.
RULE = re.compile(r"[a-z][a-zA-Z]*(?:-[a-z]+)*(?::[a-z]+(?:\|[a-z]+)*)?")


def all_findings() -> list[Finding]:
    status, listing = load("status_example.json"), load("list_page.json")
    return [finding for drift in DRIFTS for finding in run(drift, status, listing)]


def test_every_finding_names_its_rule() -> None:
    for finding in all_findings():
        assert RULE.fullmatch(finding.rule), finding
        assert finding.actual not in finding.rule or len(finding.actual) < 4, finding


@pytest.mark.parametrize("drift", DRIFTS, ids=[drift.id for drift in DRIFTS])
def test_the_rule_of_each_drift_is_one_a_baseline_can_keep(drift: Drift) -> None:
    """The drift's findings carry a rule, and only values of the documentation, never the response's."""
    findings = [
        f for f in run(drift, load("status_example.json"), load("list_page.json")) if f.check == drift.check
    ]
    assert findings
    for finding in findings:
        assert finding.rule
        assert not re.search(r"\d{4}-\d{2}|[0-9a-f]{8}-|/link/", finding.rule)


def test_kinds_at_one_pointer_have_their_own_rules() -> None:
    rules: dict[tuple[str, str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for finding in all_findings():
        rules[(finding.check, finding.endpoint, finding.pointer)][finding.rule].add(finding.severity.value)
    for where, by_rule in rules.items():
        assert all(len(severities) == 1 for severities in by_rule.values()), (where, by_rule)


def _twin(status: dict[str, Any], salt: int) -> dict[str, Any]:
    """The same package with other ids, tokens and times: what another run against the same API gives."""

    def swap(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: swap(item) for key, item in value.items()}
        if isinstance(value, list):
            return [swap(item) for item in value]
        if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{8}-[0-9a-f-]{27}", value):
            return f"{salt:08x}{value[8:]}"
        if isinstance(value, str) and value.startswith("20"):
            return value.replace("2030", str(2030 + salt))
        return value.replace("x" * 10, f"{salt:x}" + "x" * 9) if isinstance(value, str) else value  # tokens

    return swap(deep(status))


MUTATIONS = {
    "revision-package": lambda s: s["documents"][1]["revisions"][2].update(packageId="x" * 36),
    "document-executed": lambda s: s["documents"][0].update(isExecuted=True),
    "next-count": lambda s: s["documents"][1]["revisions"][1].update(isNext=True),
    "link-flag": lambda s: s["signers"][2]["links"][0].update(isSigned=True),
    "token": lambda s: s["signers"][1]["links"][1].update(token="Q" * 22),
    "expired": lambda s: [
        link.update(timeExpires="2025-06-01T00:00:00Z") for link in s["signers"][0]["links"]
    ],
    "state": lambda s: s.update(state="Paused"),
}


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
def test_two_runs_against_one_api_give_the_same_fingerprints(rule: str) -> None:
    def fingerprints(salt: int) -> set[str]:
        status = _twin(build_status(2, 3), salt)
        MUTATIONS[rule](status)
        found = check_response(STATUS, status, generate_signer_links=True, now=NOW)
        assert found, rule
        return {f.fingerprint for f in found}

    assert fingerprints(1) == fingerprints(2)


def _page(skip: int, take: int, items: int, total: int = 10) -> dict[str, Any]:
    listed = [{"packageId": f"{n:08x}-0000-4000-8000-{n:012x}"} for n in range(skip, skip + items)]
    return {"items": listed, "total": total, "take": take, "skip": skip}


def test_a_walk_names_its_rules() -> None:
    walk = PaginationWalk()
    walk.add_page({"take": 5, "skip": 0}, _page(0, 5, 5))
    walk.add_page({"take": 5, "skip": 5}, _page(4, 5, 3, total=11) | {"skip": 5})
    rules = {f.rule for f in walk.finish()}
    assert rules == {"total-changed", "seen-before", "walk-total"}


def test_a_larger_take_and_a_capped_take_are_two_kinds() -> None:
    """More than asked breaks the contract; fewer may be a server maximum (`info`)."""
    pages = [_page(0, 3, 3, total=6) | {"take": 3}, _page(2, 1, 1, total=6) | {"take": 1}]
    found = {
        (f.rule, f.severity.value)
        for f in check_pagination({"take": 2, "skip": 0}, pages)
        if f.pointer == "/take"
    }
    assert found == {("take-echo", "breaking"), ("take-capped", "info")}


def test_a_list_page_names_its_rules() -> None:
    listing = load("list_page.json")
    page = listing["response"] | {"take": 2}
    found = {
        f.rule
        for f in check_response(LIST, page, request=listing["request"] | {"take": 2, "states": ["open"]})
    }
    assert {"size", "states"} <= found
