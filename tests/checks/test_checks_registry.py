"""The registry: one entry per check id, one module per check, and `run_checks` reads it."""

from __future__ import annotations

import dataclasses

import pytest
from checkdata import LIST, STATUS, build_status, load

from pytest_signcheck import CHECK_IDS, CheckOptions, run_checks
from pytest_signcheck.checks import CHECKS, CheckContext, checks_for, registry
from pytest_signcheck.checks._plan import WEBHOOK_ENDPOINTS
from pytest_signcheck.checks.registry import REGISTRY, Registered
from pytest_signcheck.contract.endpoints import ENDPOINTS, Endpoint
from pytest_signcheck.contract.schemas import RESPONSE_SCHEMAS
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import Finding

JSON = {"content-type": "application/json"}


def test_the_registry_has_each_check_id_once() -> None:
    ids = [entry.id for entry in REGISTRY]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(CHECK_IDS)


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda entry: entry.id)
def test_each_check_lives_in_the_module_named_after_its_id(entry: Registered) -> None:
    assert entry.check.__module__ == "pytest_signcheck.checks." + entry.id.replace("-", "_")
    assert entry.id == __import__(entry.check.__module__, fromlist=["CHECK"]).CHECK


def test_where_each_check_applies() -> None:
    where = {entry.id: entry.endpoints for entry in REGISTRY}
    documented = frozenset(RESPONSE_SCHEMAS)
    assert where["http"] is None  # every response, documented endpoint or not
    webhooks = frozenset(WEBHOOK_ENDPOINTS)
    for check in ("schema", "undocumented-field", "timestamp"):
        assert where[check] == documented | webhooks
    for check in ("state-enum", "type-enum"):
        assert where[check] == documented
    assert where["pagination"] == where["filters"] == {LIST, Endpoint.TEMPLATES_LIST}
    links = {Endpoint.ADD, Endpoint.UPDATE, Endpoint.GET, Endpoint.SIGN_LINK, Endpoint.EDIT_LINK}
    assert where["signer-links"] == {STATUS} | links
    assert where["integrity"] == {STATUS, LIST}
    assert [entry.id for entry in REGISTRY if not entry.body] == ["http"]


def test_checks_for_lists_the_body_checks_in_order() -> None:
    assert [check.__name__ for check in checks_for(STATUS)] == [
        "check_schema",
        "check_undocumented_field",
        "check_state_enum",
        "check_type_enum",
        "check_timestamp",
        "check_signer_links",
        "check_integrity",
    ]
    assert [check.__name__ for check in checks_for(LIST)][-3:] == [
        "check_page",
        "check_filters",
        "check_integrity",
    ]
    assert checks_for("GET /somewhere/else") == ()
    assert set(CHECKS) == {endpoint for endpoint in ENDPOINTS if endpoint in RESPONSE_SCHEMAS}


def test_an_undocumented_endpoint_still_gets_http() -> None:
    found = run_checks(Exchange("GET /not/documented", 502, {"error": "bad_gateway"}, JSON))
    assert {finding.check for finding in found} == {"http"}
    assert ("status", "502") in {(finding.rule, finding.actual) for finding in found}


def _spy(calls: list[str], entry: Registered) -> Registered:
    def check(ctx: CheckContext) -> list[Finding]:
        calls.append(entry.id)
        return entry.check(ctx)

    return dataclasses.replace(entry, check=check)


def _spied(monkeypatch: pytest.MonkeyPatch, exchange: Exchange) -> list[str]:
    """The ids of the checks `run_checks` calls for `exchange`, in order."""
    calls: list[str] = []
    spied = {
        key: tuple(_spy(calls, entry) for entry in found) for key, found in registry._BY_ENDPOINT.items()
    }
    monkeypatch.setattr(registry, "_BY_ENDPOINT", spied)
    run_checks(exchange, CheckOptions(generate_signer_links=True))
    return calls


def test_a_strictly_valid_body_skips_only_the_checks_it_silences(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _spied(monkeypatch, Exchange(STATUS, 200, build_status(), JSON)) == [
        "http",
        "signer-links",
        "integrity",
    ]
    listing = load("list_page.json")
    assert _spied(monkeypatch, Exchange(LIST, 200, listing["response"], JSON, listing["request"])) == [
        "http",
        "pagination",
        "filters",
        "integrity",
    ]


def test_any_other_body_gets_every_check_of_its_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    example = load("status_example.json")  # `exernalId` is undocumented: not strictly valid
    every = [entry.id for entry in REGISTRY if entry.applies_to(STATUS)]
    assert _spied(monkeypatch, Exchange(STATUS, 200, example, JSON)) == every


def test_a_body_that_is_not_the_documented_2xx_gets_only_http(monkeypatch: pytest.MonkeyPatch) -> None:
    error = {"error": "package_not_found", "message": "No."}
    assert _spied(monkeypatch, Exchange(STATUS, 404, error, JSON)) == ["http"]
