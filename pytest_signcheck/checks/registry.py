"""The registry: every check, in one place, with the endpoints it applies to.

For each check id: the function that implements it, the endpoints whose responses it judges, whether it
judges only the documented 2xx JSON body (all but `http`), and whether a body that passes the strict
validator (`_strict`) silences it. That pass is the one short-cut in the checks: it is a property of the
whole response, and it implies that `schema`, `undocumented-field`, `state-enum`, `type-enum` and
`timestamp` have nothing to report, so `run_checks` does not run them. `integrity` and `signer-links`
judge what no schema can express, so they always run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from pytest_signcheck.checks._base import Check, CheckContext, CheckOptions
from pytest_signcheck.checks.filters import check_filters
from pytest_signcheck.checks.http import body_checkable, check_http
from pytest_signcheck.checks.integrity import check_integrity
from pytest_signcheck.checks.pagination import check_page
from pytest_signcheck.checks.schema import check_schema
from pytest_signcheck.checks.signer_links import check_signer_links
from pytest_signcheck.checks.state_enum import check_state_enum
from pytest_signcheck.checks.timestamp import check_timestamp
from pytest_signcheck.checks.type_enum import check_type_enum
from pytest_signcheck.checks.undocumented_field import check_undocumented_field
from pytest_signcheck.contract import schemas
from pytest_signcheck.contract.endpoints import ENDPOINTS, Endpoint
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import Finding

__all__ = ["CHECKS", "REGISTRY", "Registered", "checks_for", "run_checks"]


@dataclass(frozen=True, slots=True)
class Registered:
    """One check: its id, where it applies, and when it can be skipped."""

    id: str
    check: Check
    endpoints: frozenset[str] | None  # None: every endpoint, documented or not
    body: bool = True  # judges only the documented 2xx JSON body (`http.body_checkable`)
    strict_silences: bool = False  # a strictly valid body leaves it nothing to report

    def applies_to(self, endpoint: str) -> bool:
        return self.endpoints is None or endpoint in self.endpoints


_DOCUMENTED = frozenset(schemas.RESPONSE_SCHEMAS)
_STATUS, _LIST = frozenset({Endpoint.STATUS}), frozenset({Endpoint.LIST})

#: Every check, in the order `run_checks` runs them (and reports their findings).
REGISTRY: tuple[Registered, ...] = (
    Registered("http", check_http, None, body=False),
    Registered("schema", check_schema, _DOCUMENTED, strict_silences=True),
    Registered("undocumented-field", check_undocumented_field, _DOCUMENTED, strict_silences=True),
    Registered("state-enum", check_state_enum, _DOCUMENTED, strict_silences=True),
    Registered("type-enum", check_type_enum, _DOCUMENTED, strict_silences=True),
    Registered("timestamp", check_timestamp, _DOCUMENTED, strict_silences=True),
    Registered("pagination", check_page, _LIST),
    Registered("filters", check_filters, _LIST),
    Registered("signer-links", check_signer_links, _STATUS),
    Registered("integrity", check_integrity, _STATUS | _LIST),
)
_BY_ENDPOINT: Mapping[str, tuple[Registered, ...]] = MappingProxyType(
    {endpoint: tuple(entry for entry in REGISTRY if entry.applies_to(endpoint)) for endpoint in ENDPOINTS}
)
_UNDOCUMENTED = tuple(entry for entry in REGISTRY if entry.endpoints is None)
#: Endpoint -> the body checks that apply to its documented 2xx response, in reporting order.
CHECKS: Mapping[str, tuple[Check, ...]] = MappingProxyType(
    {
        endpoint: body_checks
        for endpoint, entries in _BY_ENDPOINT.items()
        if (body_checks := tuple(entry.check for entry in entries if entry.body))
    }
)
_DEFAULT = CheckOptions()


def checks_for(endpoint: str) -> tuple[Check, ...]:
    """The body checks registered for `endpoint` (none for an endpoint without a documented response)."""
    return CHECKS.get(endpoint, ())


def run_checks(exchange: Exchange, options: CheckOptions = _DEFAULT) -> list[Finding]:
    """Every finding for one exchange, each carrying its endpoint and source."""
    ctx = CheckContext.of(exchange, options)
    checkable = body_checkable(ctx)
    found: list[Finding] = []
    for entry in _BY_ENDPOINT.get(exchange.endpoint, _UNDOCUMENTED):
        if (entry.body and not checkable) or (entry.strict_silences and ctx.strictly_valid):
            continue
        found += entry.check(ctx)
    return found
