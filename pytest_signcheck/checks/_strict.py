"""The strict pass: one compiled validator that passes only when the documented checks are silent.

`strictly_valid` validates a body against a schema derived, in memory, from the shipped one: every
object schema with ``properties`` gains ``additionalProperties: false`` (so no undocumented field),
and the ``timestamp`` pattern is narrowed to real date-times (so every annotated date-time is in the
documented form and parses). Enums (package `state` per API release, package `type`) are already
exact in the shipped schemas. Passing therefore implies that `schema`, `undocumented-field`,
`state-enum`, `type-enum` and `timestamp` have nothing to report: the registry (`registry.py`) skips
them for such a body. Failing implies nothing: they then run as usual.

The derived schema only ever adds constraints. Keywords under which a tighter subschema could accept
more (``not``, ``if``, ``oneOf``, ``contains``) are kept verbatim; a schema that reaches a tightened
resource through them has no strict validator (`strictly_valid` is then always False).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import urljoin

import jsonschema_rs

from pytest_signcheck.checks._plan import schema_of
from pytest_signcheck.checks._time import DOCUMENTED_PATTERN
from pytest_signcheck.contract import schemas

__all__ = ["STRICT_TIMESTAMP", "strict_validator", "strictly_valid"]

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


def strictly_valid(endpoint: str, body: Any, api_version: str) -> bool:
    """Whether `body` passes the strict validator of `endpoint`'s documented response.

    A webhook event of an action the docs do not list never does: its action is the finding.
    """
    name = schema_of(endpoint)
    if name is None or name == schemas.WEBHOOK_ENVELOPE:
        return False
    validator = strict_validator(name, api_version)
    if validator is None or not validator.is_valid(body):
        return False
    # An overlay's strict validator is its base's: the overlay's narrowing is checked as shipped.
    return not _overlay(name, api_version) or schemas.is_valid(name, body, api_version)


@cache
def strict_validator(name: str, api_version: str = "4.0") -> jsonschema_rs.Validator | None:
    """The compiled strict validator of schema `name`, or None when it cannot be derived safely."""
    try:
        resources = [(uri, _tighten(contents)) for uri, contents in schemas.resources()]
    except _Unsafe:
        return None
    root = schemas.load_schema(schemas.schema_for(name, api_version))
    base = _overlay(name, api_version) or str(root["$id"])
    registry = jsonschema_rs.Registry(resources, retriever=_refuse)
    entry = {"$schema": str(root["$schema"]), "$ref": base}
    return jsonschema_rs.validator_for(entry, registry=registry, offline=True)


@cache
def _overlay(name: str, api_version: str) -> str | None:
    """The ``$id`` of the schema that schema `name` (in `api_version`) only narrows, or None.

    An overlay (a ``$ref`` beside ``properties``, as the release views and the link responses are)
    lists only the fields it narrows: closing it would forbid every other field. Its strict
    validator is therefore its base's, and the narrowing is checked by the shipped validator.
    """
    root = schemas.load_schema(schemas.schema_for(name, api_version))
    if "$ref" not in root or "properties" not in root:
        return None
    return urljoin(str(root["$id"]), str(root["$ref"]))


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
    if schema.get(_CHECK_KEY) == "timestamp" and schema.get("pattern") == DOCUMENTED_PATTERN:
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
