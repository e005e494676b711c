"""The shipped JSON Schemas (Draft 2020-12), and how to validate with them.

Every file in `schemas/` is a resource of one `referencing.Registry`, under its ``$id``; every
``$ref`` between them is relative, so the files resolve on their own too, from disk, with any tool.
Release 4.0 is the default: a package state refers to ``package-state.json`` (the 4.0 states). The
release 3.6 view is a second set of files, ``schemas/3.6/<name>.json``: each refers to the 4.0 schema
of the same name and narrows its package states to those of 3.6 (`RELEASE_VIEWS`).
`is_valid` is the fast path (jsonschema_rs, compiled once); `iter_schema_errors` is the detailed path
(jsonschema), best match first. Nothing is ever fetched: unknown references fail.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import jsonschema.protocols  # type: ignore[import-untyped]
import jsonschema_rs
import referencing
import referencing.jsonschema

from pytest_signcheck._resources import data_dir
from pytest_signcheck.contract._schema_errors import CHECK_KEY, SchemaError, pointer_of, schema_errors
from pytest_signcheck.contract.endpoints import API_VERSIONS, WEBHOOK_ACTIONS, Endpoint
from pytest_signcheck.errors import ConfigError

__all__ = [
    "CHECK_KEY",
    "ERROR_SCHEMA",
    "RELEASE_VIEWS",
    "REQUEST_SCHEMAS",
    "RESPONSE_SCHEMAS",
    "SCHEMA_NAMES",
    "WEBHOOK_ENVELOPE",
    "WEBHOOK_SCHEMAS",
    "SchemaError",
    "documented_properties",
    "is_valid",
    "iter_schema_errors",
    "load_schema",
    "registry",
    "resources",
    "schema_for",
    "schemas_path",
    "validator_for",
    "webhook_schema",
]

#: The shipped schemas of release 4.0 (the default), by file name without ``.json``.
SCHEMA_NAMES: tuple[str, ...] = (
    "defs",
    "error",
    "events-endpoints-set.request",
    "events-endpoints-set.response",
    "files-upload.response",
    "package",
    "package-state",
    "package-states",
    "package-status",
    "packages-add.request",
    "packages-add.response",
    "packages-data.response",
    "packages-delete.request",
    "packages-delete.response",
    "packages-link-edit.response",
    "packages-link-sign.response",
    "packages-list.request",
    "packages-list.response",
    "packages-ref.response",
    "packages-rescind.request",
    "packages-send.request",
    "packages-update.request",
    "templates-list.request",
    "templates-list.response",
    "webhook",
    "webhook-document-executed",
    "webhook-document-signed",
    "webhook-package-add",
    "webhook-package-decline",
    "webhook-package-executed",
)
#: Per release other than 4.0: the schemas that differ, and the file (``<release>/<name>``) to use.
RELEASE_VIEWS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "3.6": MappingProxyType(
            {
                name: f"3.6/{name}"
                for name in (
                    "package",
                    "package-status",
                    "packages-add.response",
                    "packages-data.response",
                    "packages-list.request",
                    "packages-list.response",
                )
            }
        ),
        "4.0": MappingProxyType({}),
    }
)
RESPONSE_SCHEMAS: Mapping[str, str] = MappingProxyType(
    {
        Endpoint.UPLOAD: "files-upload.response",
        Endpoint.ADD: "packages-add.response",
        Endpoint.UPDATE: "packages-add.response",
        Endpoint.GET: "package",
        Endpoint.STATUS: "package-status",
        Endpoint.DATA: "packages-data.response",
        Endpoint.LIST: "packages-list.response",
        Endpoint.SEND: "packages-ref.response",
        Endpoint.RESCIND: "packages-ref.response",
        Endpoint.DELETE: "packages-delete.response",
        Endpoint.SIGN_LINK: "packages-link-sign.response",
        Endpoint.EDIT_LINK: "packages-link-edit.response",
        Endpoint.TEMPLATES_LIST: "templates-list.response",
        Endpoint.EVENTS_ENDPOINT_SET: "events-endpoints-set.response",
    }
)
REQUEST_SCHEMAS: Mapping[str, str] = MappingProxyType(
    {
        Endpoint.ADD: "packages-add.request",
        Endpoint.UPDATE: "packages-update.request",
        Endpoint.LIST: "packages-list.request",
        Endpoint.SEND: "packages-send.request",
        Endpoint.RESCIND: "packages-rescind.request",
        Endpoint.DELETE: "packages-delete.request",
        Endpoint.TEMPLATES_LIST: "templates-list.request",
        Endpoint.EVENTS_ENDPOINT_SET: "events-endpoints-set.request",
    }
)
ERROR_SCHEMA = "error"
#: A webhook event of an action the docs do not list is judged by the envelope alone.
WEBHOOK_ENVELOPE = "webhook"
#: Each documented webhook `action` and the schema of its events.
WEBHOOK_SCHEMAS: Mapping[str, str] = MappingProxyType(
    {action: "webhook-" + action.replace("_", "-") for action in WEBHOOK_ACTIONS}
)

BASE_URI = "https://pytest-signcheck.dev/schemas/"
#: The ``$id`` of ``package-state.json``, the 4.0 states every schema refers to.
STATE_URI = BASE_URI + "package-state.json"
_VIEW_NAMES = frozenset(name for views in RELEASE_VIEWS.values() for name in views.values())


@cache
def schemas_path() -> Traversable:
    """The shipped schema folder: ``_data/schemas`` in a wheel, the repo's ``schemas/`` otherwise."""
    return data_dir("schemas")


def _check_name(name: str) -> None:
    if name not in SCHEMA_NAMES and name not in _VIEW_NAMES:
        raise ConfigError(f"unknown schema {name!r}; known schemas: {', '.join(SCHEMA_NAMES)}")


def _check_version(api_version: str) -> None:
    if api_version not in API_VERSIONS:
        raise ConfigError(
            f"unknown API version {api_version!r}; supported versions: {', '.join(API_VERSIONS)}"
        )


def load_schema(name: str) -> Mapping[str, Any]:
    """The parsed schema file ``<name>.json``, e.g. ``package-status`` or ``3.6/package-status``
    (cached; do not mutate)."""
    return _load(name)


@cache
def _load(name: str) -> Mapping[str, Any]:
    _check_name(name)
    folder = schemas_path()
    for part in name.split("/")[:-1]:
        folder = folder / part
    text = (folder / f"{name.rpartition('/')[2]}.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def schema_for(name: str, api_version: str = "4.0") -> str:
    """The file that describes schema `name` in release `api_version`: ``3.6/<name>`` where 3.6
    differs, else `name` itself."""
    _check_name(name)
    _check_version(api_version)
    return RELEASE_VIEWS[api_version].get(name, name)


def webhook_schema(action: str) -> str:
    """The schema of a webhook event with this `action` (the envelope for an undocumented action)."""
    return WEBHOOK_SCHEMAS.get(action, WEBHOOK_ENVELOPE)


def resources() -> list[tuple[str, Mapping[str, Any]]]:
    """Every shipped schema file (the 4.0 schemas and the release views), as (``$id``, contents).

    This is the whole of what the registries hold: a caller that derives validators of its own from
    the shipped files (the strict fast path) builds them from exactly this list.
    """
    names = [*SCHEMA_NAMES, *sorted(_VIEW_NAMES)]
    return [(str(load_schema(name)["$id"]), load_schema(name)) for name in names]


def registry(api_version: str = "4.0") -> referencing.Registry[Any]:
    """Every shipped schema, cached. One registry serves every release (a release picks its root
    with `schema_for`); `api_version` is checked, and kept for callers that name one. It retrieves
    nothing: unknown URIs are unresolvable."""
    _check_version(api_version)
    return _registry()


@cache
def _registry() -> referencing.Registry[Any]:
    spec = referencing.jsonschema.DRAFT202012
    pairs = [(uri, spec.create_resource(contents)) for uri, contents in resources()]
    return referencing.Registry().with_resources(pairs).crawl()


def validator_for(name: str, api_version: str = "4.0") -> jsonschema.protocols.Validator:
    """The detailed (jsonschema) validator of one schema and API version, built once and reused."""
    return _validator(name, api_version)


@cache
def _validator(name: str, api_version: str) -> jsonschema.protocols.Validator:
    root = load_schema(schema_for(name, api_version))
    inlined = _inlined(root, _registry().resolver(base_uri=str(root["$id"])), {}, ())
    return jsonschema.Draft202012Validator(inlined, registry=_registry())


#: Keywords whose values are data, not subschemas: a ``$ref`` key inside them is not a reference.
_DATA_KEYWORDS = frozenset({"const", "default", "enum", "examples"})
#: What an inlined target no longer needs: nothing inside it is looked up any more.
_RESOURCE_KEYWORDS = frozenset({"$id", "$schema", "$defs"})


def _inlined(schema: Any, resolver: Any, done: dict[int, Any], path: tuple[int, ...]) -> Any:
    """`schema` with every ``$ref`` replaced by the subschema it names, so that the detailed validator
    never looks a reference up (jsonschema resolves a ``$ref`` anew at each use: on a body with many
    errors, most of its time). Same meaning, same order of errors: a ``$ref`` alone becomes its target;
    beside other keywords it becomes an ``allOf`` in its place, as Draft 2020-12 applies it. The
    shipped schemas have no cycle; one would be refused here."""
    if isinstance(schema, list):
        return [_inlined(item, resolver, done, path) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    if "$ref" in schema and "allOf" in schema:
        raise ValueError("a shipped schema has both $ref and allOf in one object: give the $ref its own")
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$ref":
            out["allOf"] = [_target(value, resolver, done, path)]
        else:
            out[key] = value if key in _DATA_KEYWORDS else _inlined(value, resolver, done, path)
    return out["allOf"][0] if list(out) == ["allOf"] and "allOf" not in schema else out


def _target(ref: str, resolver: Any, done: dict[int, Any], path: tuple[int, ...]) -> Any:
    """The subschema `ref` names, inlined itself; each target once, however often it is named."""
    resolved = resolver.lookup(ref)
    key = id(resolved.contents)
    if key in path:
        raise ValueError(f"the shipped schemas refer to themselves through {ref!r}")
    if key not in done:
        target = _inlined(resolved.contents, resolved.resolver, done, (*path, key))
        keep = isinstance(target, Mapping)
        done[key] = {k: v for k, v in target.items() if k not in _RESOURCE_KEYWORDS} if keep else target
    return done[key]


def _refuse(uri: str) -> Any:
    raise ValueError(f"signcheck never fetches schemas; {uri} is not a shipped schema")


@cache
def _fast_registry() -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry([(uri, dict(doc)) for uri, doc in resources()], retriever=_refuse)


@cache
def _fast_validator(name: str, api_version: str) -> jsonschema_rs.Validator:
    root = load_schema(schema_for(name, api_version))
    return jsonschema_rs.validator_for(dict(root), registry=_fast_registry(), offline=True)


def is_valid(name: str, instance: Any, api_version: str = "4.0") -> bool:
    """Fast path: whether `instance` satisfies the schema (compiled jsonschema_rs validator)."""
    return _fast_validator(name, api_version).is_valid(instance)


def iter_schema_errors(name: str, instance: Any, api_version: str = "4.0") -> Iterator[SchemaError]:
    """Detailed path: every error, best match first, deduplicated, redacted."""
    return schema_errors(validator_for(name, api_version), instance)


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
    yield from _nodes(root, _registry().resolver(base_uri=str(root["$id"])), "", 0)


def _nodes(schema: Any, resolver: Any, pointer: str, depth: int) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if not isinstance(schema, Mapping) or depth > 32:
        return
    yield pointer, schema
    if "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        yield from _nodes(resolved.contents, resolved.resolver, pointer, depth + 1)
    for prop, sub in schema.get("properties", {}).items():
        yield from _nodes(sub, resolver, pointer + pointer_of([prop]), depth + 1)
    if "items" in schema:
        yield from _nodes(schema["items"], resolver, pointer + "/*", depth + 1)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(keyword, []):
            yield from _nodes(sub, resolver, pointer, depth + 1)
    for keyword in ("then", "else"):
        yield from _nodes(schema.get(keyword), resolver, pointer, depth + 1)
