"""`http`: the status code, the JSON content type, and the documented error body.

Every documented error is ``{"error": code, "message": text}`` (400, 403, 404, 429, 500). The
snake_case shape of the code is a guess from the examples (`info`). Headers that were not recorded
(an empty mapping) are not judged. Unlike the body checks, `http` judges every response.

A webhook event (`_webhook`) is a request iinked Sign sends, not a response: only its body being JSON
and, when its headers are known, the `X-Syngrafii-Signature` header the docs say every notification
carries. Its algorithm is not documented, so only its presence is checked, and a missing one is `info`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pytest_signcheck.checks._base import BREAKING, INFO, CheckContext
from pytest_signcheck.checks._webhook import is_webhook
from pytest_signcheck.checks.schema import schema_findings
from pytest_signcheck.contract import schemas
from pytest_signcheck.contract.redact import render
from pytest_signcheck.exchange import NOT_JSON
from pytest_signcheck.findings import Finding

__all__ = ["CHECK", "DOCUMENTED_STATUSES", "SIGNATURE_HEADER", "body_checkable", "check_http"]

CHECK = "http"
#: The complete status table of the docs' errors guide.
DOCUMENTED_STATUSES = frozenset({200, 400, 403, 404, 429, 500})
#: The header every webhook notification carries, to verify against the endpoint's secret.
SIGNATURE_HEADER = "X-Syngrafii-Signature"
_CODE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")


def body_checkable(ctx: CheckContext) -> bool:
    """Whether the body is the documented 2xx response the endpoint's other checks apply to."""
    status = ctx.exchange.status_code
    return status == ctx.options.expected_status and 200 <= status < 300 and ctx.body is not NOT_JSON


def check_http(ctx: CheckContext) -> list[Finding]:
    if is_webhook(ctx.exchange.endpoint):
        return _json_body(ctx) + _signature(ctx)
    found = _status(ctx) + _content_type(ctx) + _json_body(ctx)
    if ctx.body is NOT_JSON:
        return found
    if ctx.exchange.status_code >= 400:
        found += _error_body(ctx)
    return found


def _json_body(ctx: CheckContext) -> list[Finding]:
    if ctx.body is not NOT_JSON:
        return []
    what = "webhook event" if is_webhook(ctx.exchange.endpoint) else "response"
    message = f"The {what} body is not JSON, although every documented {what} is."
    return [ctx.finding(CHECK, BREAKING, "", "a JSON body", "not JSON", message, rule="json-body")]


def _signature(ctx: CheckContext) -> list[Finding]:
    headers = ctx.exchange.headers
    if not headers or headers.get(SIGNATURE_HEADER.lower()):
        return []
    message = (
        f"The webhook event has no {SIGNATURE_HEADER} header; the docs say every notification carries one "
        "to verify against the endpoint's secret (its algorithm is not documented: only presence is checked)."
    )
    expected = f"an {SIGNATURE_HEADER} header"
    return [ctx.finding(CHECK, INFO, "", expected, "none", message, rule="signature")]


def _status(ctx: CheckContext) -> list[Finding]:
    status, expected = ctx.exchange.status_code, ctx.options.expected_status
    if status == expected:
        return []
    code = ctx.body.get("error") if isinstance(ctx.body, dict) else None
    detail = f" (error {render(code)})" if isinstance(code, str) else ""
    undocumented = "" if status in DOCUMENTED_STATUSES else "; the docs do not list this status at all"
    message = f"Expected HTTP {expected}, got {status}{detail}{undocumented}."
    return [ctx.finding(CHECK, BREAKING, "", str(expected), str(status), message, rule="status")]


def _content_type(ctx: CheckContext) -> list[Finding]:
    headers = ctx.exchange.headers
    if not headers:
        return []
    raw = ctx.exchange.content_type
    media = raw.split(";", 1)[0].strip().lower()
    if media == "application/json":
        return []
    severity, rule = (INFO, "json-suffix") if media.endswith("+json") else (BREAKING, "content-type")
    message = f"The Content-Type is {render(raw or 'missing')} instead of application/json."
    return [ctx.finding(CHECK, severity, "", "application/json", render(raw or None), message, rule=rule)]


def _error_body(ctx: CheckContext) -> list[Finding]:
    body = ctx.body
    if not schemas.is_valid(schemas.ERROR_SCHEMA, body, ctx.options.api_version):
        found = schema_findings(ctx, schemas.ERROR_SCHEMA, CHECK)
        return [_error_shape(finding) for finding in found]
    code, expected = body["error"], ctx.options.expected_error
    if expected is not None and code != expected and ctx.exchange.status_code == ctx.options.expected_status:
        message = f"Expected the error code {render(expected)}, got {render(code)}."
        return [
            ctx.finding(CHECK, BREAKING, "/error", render(expected), render(code), message, rule="error-code")
        ]
    if not _CODE.fullmatch(code):
        message = (
            f"The error code {render(code)} is not snake_case like every documented code "
            "(a guess from the examples, not a documented rule)."
        )
        return [ctx.finding(CHECK, INFO, "/error", "snake_case", render(code), message, rule="snake-case")]
    return []


def _error_shape(finding: Finding) -> Finding:
    detail = finding.message[:1].lower() + finding.message[1:]
    message = f"The error body does not have the documented {{error, message}} shape: {detail}"
    return replace(finding, message=message)
