"""Detailed schema errors as `SchemaError`s: best match first, one per problem, redacted and short.

`schema_errors(validator, instance)` turns jsonschema's errors into what a finding needs: a JSON
pointer, the failing keyword, short expected/actual renderings that never show personal data or link
tokens, and the check id the failing subschema names (``x-signcheck-check``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema.exceptions  # type: ignore[import-untyped]

from pytest_signcheck.contract.redact import PERSONAL_FIELDS, TOKEN_FIELDS, render

__all__ = ["CHECK_KEY", "SchemaError", "pointer_of", "schema_errors"]

CHECK_KEY = "x-signcheck-check"
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


def schema_errors(validator: Any, instance: Any) -> Iterator[SchemaError]:
    """Every error of `instance` under `validator`, best match first, deduplicated, redacted."""
    errors = sorted(validator.iter_errors(instance), key=jsonschema.exceptions.relevance, reverse=True)
    leaves = _narrowest_enums([leaf for error in errors for leaf in _leaves(error)])
    seen: set[tuple[str, str, str, str]] = set()
    for leaf in leaves:
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


def _narrowest_enums(leaves: list[Any]) -> list[Any]:
    """Where two enums fail at one value, the narrower only: a release view (``3.6/``) narrows an
    enum of the schema it refers to, and the value breaks both."""
    enums: dict[tuple[Any, ...], list[frozenset[str]]] = {}
    for leaf in leaves:
        if leaf.validator == "enum":
            enums.setdefault(tuple(leaf.absolute_path), []).append(_allowed(leaf))
    return [
        leaf
        for leaf in leaves
        if leaf.validator != "enum"
        or not any(other < _allowed(leaf) for other in enums[tuple(leaf.absolute_path)])
    ]


def _allowed(leaf: Any) -> frozenset[str]:
    return frozenset(json.dumps(value, sort_keys=True) for value in leaf.validator_value)


def _type_mismatch_only(subs: list[Any], parent: Any) -> bool:
    return bool(subs) and all(
        sub.validator == "type" and sub.absolute_path == parent.absolute_path for sub in subs
    )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return next((label for kind, label in _JSON_TYPES if isinstance(value, kind)), type(value).__name__)


def pointer_of(parts: Any) -> str:
    """The RFC 6901 pointer of a path of keys and indexes."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _field(parts: list[Any]) -> str:
    return next((str(part) for part in reversed(parts) if isinstance(part, str)), "")


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."


def _convert(error: Any) -> Iterator[SchemaError]:
    parts = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    check = str(schema.get(CHECK_KEY, "schema"))
    schema_path = pointer_of(error.absolute_schema_path)
    keyword = "type" if _type_mismatch_only(error.context, error) else str(error.validator)
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, Mapping) else {}
        for missing in (prop for prop in error.validator_value if prop not in instance):
            message = f"documented field {missing!r} is missing"
            yield SchemaError(
                pointer_of([*parts, missing]), keyword, "present", "missing", message, schema_path
            )
        return
    expected, actual, message = _describe(error, keyword, _field(parts), check)
    yield SchemaError(pointer_of(parts), keyword, expected, actual, message, schema_path, check)


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
