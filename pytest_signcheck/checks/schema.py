"""`schema`: the response (or webhook event) against the shipped JSON Schema of its endpoint and release.

The compiled `is_valid` first; the detailed errors (jsonschema, best match first) only when it fails,
computed once per response (`CheckContext.schema_errors`). (A body that passes the strict validator
never gets here: the registry knows it has nothing to say.) An error on a *string* value at a position
another check owns is skipped here, so each drift is reported once: where the schema annotates
(``x-signcheck-check``) a timestamp, a state or a type, and where a check claims a constant
(`_plan.claimed`). A missing field, `null` or a changed
type stays here. A renamed field is one finding (rule `renamed`): a documented field missing and a new
field in its place in the same object (`_plan.renames`), which `undocumented-field` then leaves alone.
A webhook event's `action` and a link response's `type`, constants the schema pins, are judged here by
their own rule (`_constants`): renamed or another documented value (breaking), or new (additive).
A finding's rule is the failing keyword, with the expected type for ``type`` (``type:string|null``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from difflib import get_close_matches
from typing import Any

from pytest_signcheck.checks._base import BREAKING, Aggregator, CheckContext, json_type
from pytest_signcheck.checks._constants import LINK_TYPES, judge_action, judge_link_type
from pytest_signcheck.checks._plan import claimed, owner, resolve, schema_of
from pytest_signcheck.contract import schemas
from pytest_signcheck.contract.redact import render
from pytest_signcheck.findings import Finding, pattern_of

__all__ = ["CHECK", "check_schema", "schema_findings"]

CHECK = "schema"


def check_schema(ctx: CheckContext) -> list[Finding]:
    if schema_of(ctx.exchange.endpoint) is None:
        return []
    return _constant(ctx) + _findings(ctx, ctx.schema_errors, CHECK, ctx.renames)


def _constant(ctx: CheckContext) -> list[Finding]:
    """A webhook event's `action` or a link response's `type` (`_constants`): renamed (breaking),
    another documented value (breaking) or new (additive)."""
    endpoint, body = ctx.exchange.endpoint, ctx.body
    field, judge = ("type", judge_link_type) if endpoint in LINK_TYPES else ("action", judge_action)
    value = body.get(field) if isinstance(body, dict) else None
    judged = judge(endpoint, value)
    if judged is None:
        return []
    rule, severity, expected, message = judged
    return [ctx.finding(CHECK, severity, f"/{field}", expected, render(value), message, rule=rule)]


def schema_findings(ctx: CheckContext, name: str, check: str) -> list[Finding]:
    """The detailed errors of schema `name`, reported under `check`, minus those another check owns."""
    return _findings(ctx, schemas.iter_schema_errors(name, ctx.body, ctx.options.api_version), check, {})


def _findings(
    ctx: CheckContext,
    errors: Iterable[schemas.SchemaError],
    check: str,
    renamed: Mapping[str, Mapping[str, str]],
) -> list[Finding]:
    body, endpoint = ctx.body, ctx.exchange.endpoint
    aggregator = ctx.aggregator(check)
    for error in errors:
        value = resolve(body, error.pointer)
        if isinstance(value, str) and _owned(endpoint, error):
            continue
        parent, _, field = error.pointer.rpartition("/")
        new = renamed.get(parent, {}).get(field) if error.keyword == "required" else None
        if new is not None:
            _renamed(aggregator, error, field, new)
            continue
        group = (error.keyword, pattern_of(error.pointer), error.expected)
        message = _sentence(error, body, value)
        aggregator.add(
            _rule(error), BREAKING, error.pointer, error.expected, error.actual, message, group=group
        )
    return aggregator.findings()


def _renamed(aggregator: Aggregator, error: schemas.SchemaError, field: str, new: str) -> None:
    """One finding for a rename: the documented field missing, a new one in its place (`_plan.renames`)."""
    shown = new if len(new) <= 60 else new[:57] + "..."
    message = f"The documented field {field!r} is missing; {shown!r} appeared in its place (a rename)."
    actual, group = f"missing; {shown!r} present", ("renamed", pattern_of(error.pointer), new)
    aggregator.add("renamed", BREAKING, error.pointer, "present", actual, message, group=group)


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
