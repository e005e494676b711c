"""The strict fast path: one compiled validator that passes only when the documented checks are silent.

`strictly_valid(ctx)` validates the body against a schema derived, in memory, from the shipped one:
every object schema with ``properties`` gains ``additionalProperties: false`` (so no undocumented
field), and the ``timestamp`` pattern is narrowed to real date-times (so every annotated date-time
is in the documented form and parses). Enums (package `state` per API release, package `type`) are
already exact in the shipped schemas. Passing therefore implies that `schema`, `undocumented-field`,
`state-enum`, `type-enum` and `timestamp` have nothing to report, and that the body has every
required field with its documented type. Failing implies nothing: the checks then walk as usual.

The derived schema only ever adds constraints. Keywords under which a tighter subschema could accept
more (``not``, ``if``, ``oneOf``, ``contains``) are kept verbatim; a schema that reaches a tightened
resource through them has no strict validator (`strictly_valid` is then always False).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import jsonschema_rs

from pytest_signcheck.checks._base import CheckContext
from pytest_signcheck.contract import schemas

__all__ = ["FAST_PATHS", "STRICT_TIMESTAMP", "strict_validator", "strictly_valid"]

#: Tests switch this off to compare every fast path with the walk it replaces.
FAST_PATHS = True

_YEAR = r"(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"  # 0001-9999
_LEAP = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = (
    r"(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    r"|(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|(?:0[13578]|1[02])-31"
)
_HOURS = r"(?:[01][0-9]|2[0-3])"
#: A real date-time in the documented form; a subset of the ``iso8601`` pattern of ``defs.json``.
STRICT_TIMESTAMP = (
    rf"^(?:{_YEAR}-(?:{_MONTH_DAY})|{_LEAP}-02-29)T{_HOURS}:[0-5][0-9]:[0-5][0-9](?:\.[0-9]{{1,7}})?"
    rf"(?:Z|[+-]{_HOURS}:[0-5][0-9])$"
)
_ISO8601 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$"
_CHECK_KEY = "x-signcheck-check"
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "prefixItems"})
_SCHEMA_VALUES = frozenset(
    {"items", "then", "else", "additionalProperties", "propertyNames", "unevaluatedItems"}
)
_VERBATIM = frozenset({"not", "if", "oneOf", "contains"})
_OPEN = ("additionalProperties", "unevaluatedProperties", "patternProperties")


class _Unsafe(Exception):
    """A verbatim subschema refers elsewhere: tightening could loosen it."""


def strictly_valid(ctx: CheckContext) -> bool:
    """Whether the body passes the strict validator of its endpoint (computed once per exchange)."""
    verdict = ctx.cache.get("strict")
    if verdict is None:
        name = schemas.RESPONSE_SCHEMAS.get(ctx.exchange.endpoint)
        validator = strict_validator(name, ctx.options.api_version) if name and FAST_PATHS else None
        verdict = ctx.cache["strict"] = validator is not None and validator.is_valid(ctx.body)
    return bool(verdict)


@cache
def strict_validator(name: str, api_version: str = "4.0") -> jsonschema_rs.Validator | None:
    """The compiled strict validator of schema `name`, or None when it cannot be derived safely."""
    try:
        resources = [(uri, _tighten(contents)) for uri, contents in _resources(api_version)]
    except _Unsafe:
        return None
    root = dict(resources)[str(schemas.load_schema(name)["$id"])]
    registry = jsonschema_rs.Registry(resources, retriever=_refuse)
    return jsonschema_rs.validator_for(root, registry=registry, offline=True)


def _resources(api_version: str) -> list[tuple[str, Any]]:
    binding = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schemas.STATE_URI,
        "$ref": f"package-states.json#/$defs/{api_version}",
    }
    shipped = [schemas.load_schema(name) for name in schemas.SCHEMA_NAMES]
    return [(str(schema["$id"]), schema) for schema in shipped] + [(schemas.STATE_URI, binding)]


def _refuse(uri: str) -> Any:
    raise ValueError(f"signcheck never fetches schemas; {uri} is not a shipped schema")


def _tighten(schema: Any) -> Any:
    """A copy of `schema` with closed objects and strict timestamps (see the module docstring)."""
    if not isinstance(schema, Mapping):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, Mapping):
            out[key] = {name: _tighten(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [_tighten(sub) for sub in value]
        elif key in _SCHEMA_VALUES:
            out[key] = _tighten(value)
        elif key in _VERBATIM:
            _refuse_refs(value)
            out[key] = value
        else:
            out[key] = value
    if "properties" in schema and not any(key in schema for key in _OPEN):
        out["additionalProperties"] = False
    if schema.get(_CHECK_KEY) == "timestamp" and schema.get("pattern") == _ISO8601:
        out["pattern"] = STRICT_TIMESTAMP
    return out


def _refuse_refs(value: Any) -> None:
    if isinstance(value, Mapping):
        if "$ref" in value or "$dynamicRef" in value:
            raise _Unsafe
        for sub in value.values():
            _refuse_refs(sub)
    elif isinstance(value, list):
        for sub in value:
            _refuse_refs(sub)
