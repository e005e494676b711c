"""`schema`: the response against the shipped JSON Schema of its endpoint and API version.

The compiled `is_valid` first; the detailed errors (jsonschema, best match first) only when it fails.
(A body that passes the strict validator never gets here: the registry knows it has nothing to say.)
An error the schema annotates (``x-signcheck-check``) on a *string* value belongs to the check that
owns that position (`state-enum`, `type-enum`, `timestamp`, or `signer-links` for link expiry) and is
skipped here, so each drift is reported once. A missing field, `null` or a changed type stays here.
A finding's rule is the failing keyword, with the expected type for ``type`` (``type:string|null``).
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any

from pytest_signcheck.checks._base import BREAKING, CheckContext, json_type
from pytest_signcheck.checks._plan import claimed, owner, resolve, schema_of
from pytest_signcheck.checks._webhook import judge_action
from pytest_signcheck.contract import schemas
from pytest_signcheck.contract.redact import render
from pytest_signcheck.findings import Finding, pattern_of

__all__ = ["CHECK", "check_schema", "schema_findings"]

CHECK = "schema"


def check_schema(ctx: CheckContext) -> list[Finding]:
    name = schema_of(ctx.exchange.endpoint)
    if name is None:
        return []
    found = _action(ctx)
    if not schemas.is_valid(name, ctx.body, ctx.options.api_version):
        found += schema_findings(ctx, name, CHECK)
    return found


def _action(ctx: CheckContext) -> list[Finding]:
    """A webhook event's `action` (`_webhook`): renamed (breaking) or new (additive)."""
    body = ctx.body
    value = body.get("action") if isinstance(body, dict) else None
    judged = judge_action(ctx.exchange.endpoint, value)
    if judged is None:
        return []
    rule, severity, expected, message = judged
    return [ctx.finding(CHECK, severity, "/action", expected, render(value), message, rule=rule)]


def schema_findings(ctx: CheckContext, name: str, check: str) -> list[Finding]:
    """The detailed errors of schema `name`, reported under `check`, minus those another check owns."""
    body, endpoint = ctx.body, ctx.exchange.endpoint
    aggregator = ctx.aggregator(check)
    for error in schemas.iter_schema_errors(name, body, ctx.options.api_version):
        value = resolve(body, error.pointer)
        if isinstance(value, str) and _owned(endpoint, error):
            continue
        group = (error.keyword, pattern_of(error.pointer), error.expected)
        message = _sentence(error, body, value)
        aggregator.add(
            _rule(error), BREAKING, error.pointer, error.expected, error.actual, message, group=group
        )
    return aggregator.findings()


def _owned(endpoint: str, error: schemas.SchemaError) -> bool:
    """Whether another check judges the string `error` is about: at a position the schema annotates
    for it, or one it claims outright (`_plan.claimed`)."""
    if claimed(endpoint, pattern_of(error.pointer)):
        return True
    return error.check != "schema" and owner(endpoint, error.pointer) is not None


def _rule(error: schemas.SchemaError) -> str:
    if error.keyword == "type":
        return "type:" + error.expected.replace(" or ", "|")
    return error.keyword


def _sentence(error: schemas.SchemaError, body: Any, value: Any) -> str:
    parent, _, field = error.pointer.rpartition("/")
    if error.keyword == "required":
        return _missing(field, resolve(body, parent))
    subject = _subject(parent, field)
    if error.keyword in {"type", "anyOf", "oneOf"}:
        return f"{subject} is {json_type(value)} where the docs say {error.expected}."
    if error.keyword in {"enum", "const"}:
        return f"{subject} is {error.actual}, which is not a documented value."
    return f"{subject} does not match the documented schema: {error.message}."


def _missing(field: str, parent: Any) -> str:
    found = [key for key in parent if isinstance(key, str)] if isinstance(parent, dict) else []
    close = get_close_matches(field, found, n=1, cutoff=0.8)
    if close:
        return (
            f"The documented field {field!r} is missing; the response has {close[0]!r} instead, "
            "which may be a rename."
        )
    return f"The documented field {field!r} is missing."


def _subject(parent: str, field: str) -> str:
    if not field and not parent:
        return "The response body"
    if field.isdigit():
        return f"Item {field} of {parent.rpartition('/')[2] or 'the body'!r}"
    return f"The field {field!r}"
