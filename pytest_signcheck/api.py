"""Public helpers: check a response you already have, in any test, without the plugin's suite.

    from pytest_signcheck import assert_conforms, check_status

    findings = check_status(response.json(), generate_signer_links=True)
    assert_conforms(findings)               # fails on breaking drift, listing every finding

A `response` is a parsed JSON value, or the raw JSON as `str`/`bytes`. `check_webhook(payload,
headers=...)` checks a webhook event your endpoint received (see `checks.registry.check_webhook`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pytest_signcheck.checks import CheckOptions, check_webhook, run_checks
from pytest_signcheck.checks._arguments import given, headers_of, pages_of, status_of
from pytest_signcheck.checks.pagination import check_pagination as _check_pagination
from pytest_signcheck.contract.endpoints import ENDPOINTS, Endpoint, endpoint_for
from pytest_signcheck.errors import ConfigError
from pytest_signcheck.exchange import NOT_JSON, Exchange
from pytest_signcheck.findings import FAIL_ON, Finding, summarize

__all__ = [
    "FAIL_ON",
    "assert_conforms",
    "check_list_page",
    "check_pagination",
    "check_response",
    "check_status",
    "check_webhook",
]


def check_response(
    endpoint: str,
    response: Any,
    *,
    status_code: int | str = 200,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    request: Any = None,
    api_version: str = "4.0",
    generate_signer_links: bool | None = None,
    expected_status: int = 200,
    expected_error: str | None = None,
    now: datetime | None = None,
    source: str = "",
) -> list[Finding]:
    """Every finding for one response of `endpoint` (``"GET /packages/{packageId}/status"``, or a
    concrete ``"GET /packages/7a17.../status"``). `status_code` is an int (or its digits as a str).
    `headers` is a mapping (a dict, httpx's or requests' headers) or (name, value) pairs; None means
    "not known": not judged. A value of the wrong type is a `TypeError` naming the argument."""
    options = CheckOptions(api_version, generate_signer_links, expected_status, expected_error, now)
    status = status_of(status_code, "check_response")
    lowered = headers_of(headers, "check_response")
    if not isinstance(source, str):
        raise TypeError(f"check_response(): `source` must be a str; got {given(source)}")
    exchange = Exchange(_endpoint(endpoint), status, _parse(response), lowered, _parse(request), source)
    return run_checks(exchange, options)


def check_status(
    response: Any,
    *,
    generate_signer_links: bool | None = None,
    api_version: str = "4.0",
    now: datetime | None = None,
    source: str = "",
) -> list[Finding]:
    """A `packages/{id}/status` response; pass the `generateSignerLinks` the package was added with."""
    return check_response(
        Endpoint.STATUS,
        response,
        api_version=api_version,
        generate_signer_links=generate_signer_links,
        now=now,
        source=source,
    )


def check_list_page(
    request: Any, response: Any, *, api_version: str = "4.0", now: datetime | None = None, source: str = ""
) -> list[Finding]:
    """One `packages/list` page against its request (pagination and filters); `now` enables `days`."""
    return check_response(
        Endpoint.LIST, response, request=request, api_version=api_version, now=now, source=source
    )


def check_pagination(
    request: Any, pages: Iterable[Any], *, endpoint: str = Endpoint.LIST, id_field: str | None = None
) -> list[Finding]:
    """A walk of list pages in order: plain pages (page n asked for with skip = skip0 + n * take), or
    the (request body, page) pairs `walk_pages` yields; each parsed or raw JSON. A page that is not a
    list page is a finding; no page at all is a `ValueError` (see `checks.pagination.check_pagination`)."""
    walk = (_parse_pair(page) for page in pages_of(pages, "check_pagination"))
    return _check_pagination(_parse(request), walk, endpoint=_endpoint(endpoint), id_field=id_field)


def _parse_pair(page: Any) -> Any:
    if isinstance(page, tuple) and len(page) == 2:
        return _parse(page[0]), _parse(page[1])
    return _parse(page)


def assert_conforms(
    findings_or_response: Any, *, fail_on: str = "breaking", endpoint: str | None = None, **options: Any
) -> None:
    """Raise `AssertionError` listing the findings when any of them fails under `fail_on`.

    Give findings, or a response plus `endpoint` (default: a list page when the body has ``items``,
    else a status) and any `check_response` keyword. Messages carry no keys, tokens or personal data.
    A failure's traceback ends at the caller's line: pytest hides this frame (``__tracebackhide__``).
    """
    __tracebackhide__ = True
    if fail_on not in FAIL_ON:
        raise ConfigError(f"unknown fail_on {fail_on!r}; use one of {', '.join(FAIL_ON)}")
    findings = _findings(findings_or_response, endpoint, options)
    failing = [f for f in findings if f.fails(fail_on)]
    if failing:
        raise AssertionError(describe(findings, failing, fail_on))


def describe(findings: Sequence[Finding], failing: Sequence[Finding], fail_on: str) -> str:
    """A header line with counts, then one line per finding, failing ones first."""
    counts = summarize(findings)["by_severity"]
    shown = ", ".join(f"{count} {severity}" for severity, count in counts.items())
    header = f"signcheck: {len(failing)} of {len(findings)} findings fail (fail_on={fail_on}): {shown}"
    rest = [finding for finding in findings if finding not in failing]
    return "\n".join([header, *(f"  {finding}" for finding in [*failing, *rest])])


def _findings(value: Any, endpoint: str | None, options: dict[str, Any]) -> list[Finding]:
    if isinstance(value, list | tuple) and all(isinstance(item, Finding) for item in value):
        return list(value)
    if isinstance(value, Finding):
        return [value]
    body = _parse(value)
    if endpoint is None:
        endpoint = Endpoint.LIST if isinstance(body, dict) and "items" in body else Endpoint.STATUS
    return check_response(endpoint, body, **options)


def _parse(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | str):
        try:
            return json.loads(value)
        except ValueError:
            return NOT_JSON
    return value


def _endpoint(endpoint: str) -> Endpoint:
    if not isinstance(endpoint, str):
        raise TypeError(f'`endpoint` must be a str such as "POST /packages/list"; got {given(endpoint)}')
    if endpoint in ENDPOINTS:
        return Endpoint(endpoint)
    method, _, path = endpoint.partition(" ")
    known = endpoint_for(method, path)
    if known is None:
        raise ConfigError(f"unknown endpoint {endpoint!r}; use one of: {', '.join(ENDPOINTS)}")
    return known
