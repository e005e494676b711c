"""The registry: every check, in one place, with the endpoints it applies to.

For each check id: the function that implements it, the endpoints whose responses it judges, whether it
judges only the documented 2xx JSON body (all but `http`), and whether a body that passes the strict
validator (`_strict`) silences it. That pass is the one short-cut in the checks: it is a property of the
whole response, and it implies that `schema`, `undocumented-field`, `state-enum`, `type-enum` and
`timestamp` have nothing to report, so `run_checks` does not run them. `integrity` and `signer-links`
judge what no schema can express, so they always run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from pytest_signcheck.checks._arguments import headers_of, instance_of
from pytest_signcheck.checks._base import Check, CheckContext, CheckOptions
from pytest_signcheck.checks._plan import WEBHOOK_ENDPOINTS
from pytest_signcheck.checks._webhook import webhook_endpoint
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
from pytest_signcheck.exchange import Exchange, parse_json
from pytest_signcheck.findings import Finding

__all__ = ["CHECKS", "REGISTRY", "Registered", "check_webhook", "checks_for", "run_checks"]


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
_WEBHOOKS = frozenset(WEBHOOK_ENDPOINTS)
_STATUS, _LIST = frozenset({Endpoint.STATUS}), frozenset({Endpoint.LIST})
_LISTS = frozenset({Endpoint.LIST, Endpoint.TEMPLATES_LIST})
_LINKS = frozenset(
    {Endpoint.STATUS, Endpoint.ADD, Endpoint.UPDATE, Endpoint.GET, Endpoint.SIGN_LINK, Endpoint.EDIT_LINK}
)

#: Every check, in the order `run_checks` runs them (and reports their findings).
REGISTRY: tuple[Registered, ...] = (
    Registered("http", check_http, None, body=False),
    Registered("schema", check_schema, _DOCUMENTED | _WEBHOOKS, strict_silences=True),
    Registered("undocumented-field", check_undocumented_field, _DOCUMENTED | _WEBHOOKS, strict_silences=True),
    Registered("state-enum", check_state_enum, _DOCUMENTED, strict_silences=True),
    Registered("type-enum", check_type_enum, _DOCUMENTED, strict_silences=True),
    Registered("timestamp", check_timestamp, _DOCUMENTED | _WEBHOOKS, strict_silences=True),
    Registered("pagination", check_page, _LISTS),
    Registered("filters", check_filters, _LISTS),
    Registered("signer-links", check_signer_links, _LINKS),
    Registered("integrity", check_integrity, _STATUS | _LIST),
)
_BY_ENDPOINT: Mapping[str, tuple[Registered, ...]] = MappingProxyType(
    {
        endpoint: tuple(entry for entry in REGISTRY if entry.applies_to(endpoint))
        for endpoint in (*ENDPOINTS, *WEBHOOK_ENDPOINTS)
    }
)
_UNDOCUMENTED = tuple(entry for entry in REGISTRY if entry.endpoints is None)
#: Endpoint -> the body checks that apply to its documented 2xx response, in reporting order.
CHECKS: Mapping[str, tuple[Check, ...]] = MappingProxyType(
    {
        endpoint: body_checks
        for endpoint, entries in _BY_ENDPOINT.items()
        if endpoint in ENDPOINTS and (body_checks := tuple(entry.check for entry in entries if entry.body))
    }
)
_DEFAULT = CheckOptions()


def checks_for(endpoint: str) -> tuple[Check, ...]:
    """The body checks registered for `endpoint` (none for an endpoint without a documented response)."""
    return CHECKS.get(endpoint, ())


def run_checks(exchange: Exchange, options: CheckOptions = _DEFAULT) -> list[Finding]:
    """Every finding for one exchange, each carrying its endpoint and source."""
    hint = "an Exchange (for a response body, use check_response(endpoint, body))"
    instance_of(exchange, Exchange, "run_checks", "exchange", hint)
    instance_of(options, CheckOptions, "run_checks", "options", "a CheckOptions")
    ctx = CheckContext.of(exchange, options)
    checkable = body_checkable(ctx)
    found: list[Finding] = []
    for entry in _BY_ENDPOINT.get(exchange.endpoint, _UNDOCUMENTED):
        if (entry.body and not checkable) or (entry.strict_silences and ctx.strictly_valid):
            continue
        found += entry.check(ctx)
    return found


def check_webhook(
    payload: Any,
    *,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    api_version: str = "4.0",
    source: str = "",
) -> list[Finding]:
    """Every finding for one webhook event (§7): its body, parsed or as the raw JSON (`bytes`/`str`),
    and the headers it was delivered with (any case; a mapping or (name, value) pairs; None or empty:
    not known, so not judged).

    Its findings' endpoint is a label, ``WEBHOOK <action>`` for a documented action (or a spelling
    variant of one) and ``WEBHOOK *`` for any other (`checks._plan.WEBHOOK_ENDPOINTS`): the envelope
    and the action's fields (`schema`), a renamed or new action (`schema`), `eventTime` (`timestamp`),
    undocumented fields (`undocumented-field`), and the `X-Syngrafii-Signature` header (`http`, info).
    """
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    body = parse_json(bytes(payload)) if isinstance(payload, bytes | bytearray) else payload
    action = body.get("action") if isinstance(body, dict) else None
    lowered = headers_of(headers, "check_webhook")
    exchange = Exchange(webhook_endpoint(action), 200, body, lowered, None, source)
    return run_checks(exchange, CheckOptions(api_version=api_version))
