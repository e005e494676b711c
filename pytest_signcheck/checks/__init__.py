"""Behavioural checks: pure functions from one `Exchange` to `Finding`s, and their registry.

`run_checks(exchange, options)` is the one entry point. `http` always runs; the body checks of an
endpoint (`CHECKS`) run only when the status is the expected 2xx and the body is JSON. Each value is
judged by one check (see `_plan.owner`), so a drift is reported once. Cross-page pagination spans
several exchanges and lives in `PaginationWalk` / `walk_pages`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pytest_signcheck.checks._base import Check, CheckContext, CheckOptions
from pytest_signcheck.checks.enums import check_enums
from pytest_signcheck.checks.filters import check_filters
from pytest_signcheck.checks.http import body_checkable, check_http
from pytest_signcheck.checks.integrity import check_list_integrity, check_status_integrity
from pytest_signcheck.checks.links import check_signer_links
from pytest_signcheck.checks.pagination import check_page
from pytest_signcheck.checks.schema import check_schema
from pytest_signcheck.checks.undocumented import check_undocumented
from pytest_signcheck.checks.walk import PaginationWalk, check_pagination, check_walk, walk_pages
from pytest_signcheck.contract import schemas
from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import Finding

__all__ = [
    "CHECKS",
    "Check",
    "CheckContext",
    "CheckOptions",
    "PaginationWalk",
    "check_pagination",
    "check_walk",
    "checks_for",
    "run_checks",
    "walk_pages",
]

_DOCUMENTED: tuple[Check, ...] = (check_schema, check_undocumented, check_enums)

#: Endpoint -> the body checks that apply to its documented 2xx response, in reporting order.
CHECKS: Mapping[str, tuple[Check, ...]] = MappingProxyType(
    {
        **dict.fromkeys(schemas.RESPONSE_SCHEMAS, _DOCUMENTED),
        Endpoint.STATUS: (*_DOCUMENTED, check_signer_links, check_status_integrity),
        Endpoint.LIST: (*_DOCUMENTED, check_page, check_filters, check_list_integrity),
    }
)
_DEFAULT = CheckOptions()


def checks_for(endpoint: str) -> tuple[Check, ...]:
    """The body checks registered for `endpoint` (none for an endpoint without a documented response)."""
    return CHECKS.get(endpoint, ())


def run_checks(exchange: Exchange, options: CheckOptions = _DEFAULT) -> list[Finding]:
    """Every finding for one exchange, each carrying its endpoint and source."""
    ctx = CheckContext.of(exchange, options)
    found = check_http(ctx)
    if body_checkable(ctx):
        for check in checks_for(exchange.endpoint):
            found.extend(check(ctx))
    return found
