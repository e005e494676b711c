"""The shipped JSON Schemas (Draft 2020-12) of the documented responses, and how to validate with them.

One `referencing.Registry` per API version holds every file in `schemas/`; the version-dependent
package state is the URI ``package-state.json``, bound per version to ``package-states.json#/$defs/<v>``.
`is_valid` is the fast path (jsonschema_rs, compiled once); `iter_schema_errors` is the detailed path
(jsonschema), best match first. Nothing is ever fetched: unknown references fail.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import jsonschema.exceptions  # type: ignore[import-untyped]
import jsonschema.protocols  # type: ignore[import-untyped]
import jsonschema_rs
import referencing
import referencing.jsonschema

from pytest_signcheck._resources import data_dir
from pytest_signcheck.contract.endpoints import API_VERSIONS, Endpoint
from pytest_signcheck.contract.redact import PERSONAL_FIELDS, TOKEN_FIELDS, render
from pytest_signcheck.errors import ConfigError

__all__ = [
    "ERROR_SCHEMA",
    "REQUEST_SCHEMAS",
    "RESPONSE_SCHEMAS",
    "SCHEMA_NAMES",
    "SchemaError",
    "documented_properties",
    "is_valid",
    "iter_schema_errors",
    "load_schema",
    "registry",
    "resources",
    "schemas_path",
    "validator_for",
]

SCHEMA_NAMES: tuple[str, ...] = (
    "defs",
    "error",
    "files-upload.response",
    "package",
    "package-states",
    "package-status",
    "packages-add.request",
    "packages-add.response",
    "packages-delete.request",
    "packages-delete.response",
    "packages-list.request",
    "packages-list.response",
    "packages-ref.response",
    "packages-rescind.request",
    "packages-send.request",
)
RESPONSE_SCHEMAS: Mapping[str, str] = MappingProxyType(
    {
        Endpoint.STATUS: "package-status",
        Endpoint.LIST: "packages-list.response",
        Endpoint.ADD: "packages-add.response",
        Endpoint.UPLOAD: "files-upload.response",
        Endpoint.GET: "package",
        Endpoint.SEND: "packages-ref.response",
        Endpoint.RESCIND: "packages-ref.response",
        Endpoint.DELETE: "packages-delete.response",
    }
)
REQUEST_SCHEMAS: Mapping[str, str] = MappingProxyType(
    {
        Endpoint.LIST: "packages-list.request",
        Endpoint.ADD: "packages-add.request",
        Endpoint.SEND: "packages-send.request",
        Endpoint.RESCIND: "packages-rescind.request",
        Endpoint.DELETE: "packages-delete.request",
    }
)
ERROR_SCHEMA = "error"

BASE_URI = "https://pytest-signcheck.dev/schemas/"
STATE_URI = BASE_URI + "package-state.json"
_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_CHECK_KEY = "x-signcheck-check"
_JSON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One way an instance breaks a schema, already redacted and short.

    `pointer` is an RFC 6901 pointer into the instance; for a missing field it names the field.
    `check` is ``schema`` or the ``x-signcheck-check`` annotation of the failing subschema.
    """

    pointer: str
    keyword: str
    expected: str
    actual: str
    message: str
    schema_path: str
    check: str = "schema"


@cache
def schemas_path() -> Traversable:
    """The shipped schema folder: ``_data/schemas`` in a wheel, the repo's ``schemas/`` otherwise."""
    return data_dir("schemas")


def _check_name(name: str) -> None:
    if name not in SCHEMA_NAMES:
        raise ConfigError(f"unknown schema {name!r}; known schemas: {', '.join(SCHEMA_NAMES)}")


def _check_version(api_version: str) -> None:
    if api_version not in API_VERSIONS:
        raise ConfigError(
            f"unknown API version {api_version!r}; supported versions: {', '.join(API_VERSIONS)}"
        )


def load_schema(name: str) -> Mapping[str, Any]:
    """The parsed schema file ``<name>.json`` (cached; do not mutate)."""
    return _load(name)


@cache
def _load(name: str) -> Mapping[str, Any]:
    _check_name(name)
    schema: dict[str, Any] = json.loads((schemas_path() / f"{name}.json").read_text(encoding="utf-8"))
    return schema


def resources(api_version: str) -> list[tuple[str, Any]]:
    """Every schema by its ``$id``, plus the version's binding of ``package-state.json``: what the
    registries of one API version hold (and what `checks._strict` tightens)."""
    _check_version(api_version)
    binding = {"$schema": _DRAFT, "$id": STATE_URI, "$ref": f"package-states.json#/$defs/{api_version}"}
    return [(str(load_schema(name)["$id"]), load_schema(name)) for name in SCHEMA_NAMES] + [
        (STATE_URI, binding)
    ]


def registry(api_version: str = "4.0") -> referencing.Registry[Any]:
    """All schemas of one API version, cached; it retrieves nothing (unknown URIs are unresolvable)."""
    return _registry(api_version)


@cache
def _registry(api_version: str) -> referencing.Registry[Any]:
    spec = referencing.jsonschema.DRAFT202012
    pairs = [(uri, spec.create_resource(contents)) for uri, contents in resources(api_version)]
    return referencing.Registry().with_resources(pairs).crawl()


def validator_for(name: str, api_version: str = "4.0") -> jsonschema.protocols.Validator:
    """The detailed (jsonschema) validator of one schema and API version, built once and reused."""
    return _validator(name, api_version)


@cache
def _validator(name: str, api_version: str) -> jsonschema.protocols.Validator:
    _check_name(name)
    return jsonschema.Draft202012Validator(load_schema(name), registry=_registry(api_version))


def _refuse(uri: str) -> Any:
    raise ValueError(f"signcheck never fetches schemas; {uri} is not a shipped schema")


@cache
def _fast_registry(api_version: str) -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry(resources(api_version), retriever=_refuse)


@cache
def _fast_validator(name: str, api_version: str) -> jsonschema_rs.Validator:
    _check_name(name)
    return jsonschema_rs.validator_for(
        dict(load_schema(name)), registry=_fast_registry(api_version), offline=True
    )


def is_valid(name: str, instance: Any, api_version: str = "4.0") -> bool:
    """Fast path: whether `instance` satisfies the schema (compiled jsonschema_rs validator)."""
    return _fast_validator(name, api_version).is_valid(instance)


def iter_schema_errors(name: str, instance: Any, api_version: str = "4.0") -> Iterator[SchemaError]:
    """Detailed path: every error, best match first, deduplicated, redacted."""
    errors = sorted(
        validator_for(name, api_version).iter_errors(instance),
        key=jsonschema.exceptions.relevance,
        reverse=True,
    )
    seen: set[tuple[str, str, str, str]] = set()
    for error in errors:
        for leaf in _leaves(error):
            for found in _convert(leaf):
                key = (found.pointer, found.keyword, found.expected, found.actual)
                if key not in seen:
                    seen.add(key)
                    yield found


def _leaves(error: Any) -> list[Any]:
    """Resolve anyOf/oneOf: the errors of the one branch whose type fits, else the best match."""
    if not error.context:
        return [error]
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    fitting = [subs for subs in branches.values() if not _type_mismatch_only(subs, error)]
    if len(fitting) == 1:
        return [leaf for sub in fitting[0] for leaf in _leaves(sub)]
    if not fitting:
        return [error]
    return [jsonschema.exceptions.best_match([error])]


def _type_mismatch_only(subs: list[Any], parent: Any) -> bool:
    return bool(subs) and all(
        sub.validator == "type" and sub.absolute_path == parent.absolute_path for sub in subs
    )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return next((label for kind, label in _JSON_TYPES if isinstance(value, kind)), type(value).__name__)


def _pointer(parts: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _field(parts: list[Any]) -> str:
    return next((str(part) for part in reversed(parts) if isinstance(part, str)), "")


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."


def _convert(error: Any) -> Iterator[SchemaError]:
    parts = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    check = str(schema.get(_CHECK_KEY, "schema"))
    schema_path = _pointer(error.absolute_schema_path)
    keyword = "type" if _type_mismatch_only(error.context, error) else str(error.validator)
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, Mapping) else {}
        for missing in (prop for prop in error.validator_value if prop not in instance):
            message = f"documented field {missing!r} is missing"
            yield SchemaError(
                _pointer([*parts, missing]), keyword, "present", "missing", message, schema_path
            )
        return
    expected, actual, message = _describe(error, keyword, _field(parts), check)
    yield SchemaError(_pointer(parts), keyword, expected, actual, message, schema_path, check)


def _describe(error: Any, keyword: str, field: str, check: str) -> tuple[str, str, str]:
    """(expected, actual, message) for a non-required error; never shows personal data or tokens."""
    value, rule = error.instance, error.validator_value
    shown = _short(render(value, field))
    if keyword == "type":
        wanted = _types_of(error)
        got = _json_type(value)
        private = field in PERSONAL_FIELDS or field in TOKEN_FIELDS
        actual = got if private or isinstance(value, dict | list) else _short(f"{got} {shown}")
        return wanted, actual, f"expected type {wanted}, got {got}"
    if keyword in {"enum", "const"}:
        allowed = ", ".join(render(item) for item in (rule if keyword == "enum" else [rule]))
        return _short(f"one of {allowed}"), shown, f"value {shown} is not a documented value ({allowed})"
    if keyword == "pattern":
        if check == "timestamp":
            return "ISO 8601 date-time", shown, f"value {shown} is not an ISO 8601 date-time"
        return _short(f"matches {rule}"), shown, f"value {shown} does not match {rule}"
    expected = _short(f"{keyword} {render(rule)}")
    return expected, shown, f"{keyword} constraint failed: expected {expected}, got {shown}"


def _types_of(error: Any) -> str:
    if error.validator == "type":
        rule = error.validator_value
        return " or ".join(rule) if isinstance(rule, list) else str(rule)
    return " or ".join(dict.fromkeys(_types_of(sub) for sub in error.context if sub.validator == "type"))


def documented_properties(name: str) -> Mapping[str, frozenset[str]]:
    """Documented property names per object, keyed by pointer pattern (``*`` = any array item).

    Free-form objects (``externalData``, ``options.embed``...) declare no properties and are absent.
    """
    return _documented_properties(name)


@cache
def _documented_properties(name: str) -> Mapping[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for pointer, node in schema_nodes(name):
        if node.get("properties"):
            found.setdefault(pointer, set()).update(node["properties"])
    return MappingProxyType({pointer: frozenset(names) for pointer, names in sorted(found.items())})


def schema_nodes(name: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every subschema of `name` (``$ref`` followed) with the instance pointer pattern it applies at.

    ``*`` stands for any array item. Used to derive documented property names and check annotations.
    """
    _check_name(name)
    root = load_schema(name)
    yield from _nodes(root, _registry("4.0").resolver(base_uri=str(root["$id"])), "", 0)


def _nodes(schema: Any, resolver: Any, pointer: str, depth: int) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if not isinstance(schema, Mapping) or depth > 32:
        return
    yield pointer, schema
    if "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        yield from _nodes(resolved.contents, resolved.resolver, pointer, depth + 1)
    for prop, sub in schema.get("properties", {}).items():
        yield from _nodes(sub, resolver, pointer + _pointer([prop]), depth + 1)
    if "items" in schema:
        yield from _nodes(schema["items"], resolver, pointer + "/*", depth + 1)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(keyword, []):
            yield from _nodes(sub, resolver, pointer, depth + 1)
    for keyword in ("then", "else"):
        yield from _nodes(schema.get(keyword), resolver, pointer, depth + 1)
