"""What the API returned, as recorded, and what changed between two recordings, whatever the docs say.

A `Profile` of a recording says, per documented endpoint, per request shape (`request_shape`) and per
status code: how many responses, which media types (``Content-Type`` without its parameters), and for
each field (a JSON pointer with array indices and id-like keys folded, ``/signers/*/signerId``) the JSON
types it took, ``null`` included, and, for enum-like fields, which values.

**Enum-like** means documented as one: a field the shipped schema of that response (the error schema
for an error status) gives an ``enum`` or a ``const``, in any release (package states and types, signer
roles, types and states, link types, webhook actions), or marks ``x-signcheck-constant`` (error codes,
documented by example rather than as a closed set): `enum_pointers`. Only their values are kept, and
only values that look like a constant (letters only, up to four words joined by ``_``, ``-`` or single
spaces, at most 40 characters), so a diff never shows a name, an email, a matter number, a description,
a token or anything else the API puts in a free-text or undocumented field: those fields' values are
not kept at all. Object keys that hold an email address fold to ``*`` like ids do.

**Request shape**: the JSON body asked, with every string replaced by ``<string>`` unless the request
schema documents it as a constant, every number by ``<number>``, array items as a sorted set; ``""``
without a body. Two recordings are compared only where both asked a request of the same shape (see
`report.changes`).

**Transient statuses** (`transient`: 429 and every 5xx, a rate limit or a server or gateway error) are
counted, never profiled: their media types, fields and values say what a proxy or an overloaded server
sent that time, not what the API's shape is.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pytest_signcheck.contract.endpoints import API_VERSIONS
from pytest_signcheck.contract.redact import EMAIL
from pytest_signcheck.exchange import NOT_JSON, Exchange
from pytest_signcheck.findings import fold_pointer

__all__ = ["Profile", "Seen", "enum_pointers", "media_type", "request_shape", "transient"]

_CONSTANT = re.compile(r"[A-Za-z]+(?:[ _-][A-Za-z]+){0,3}")


def transient(status: int) -> bool:
    """Whether a status code says "try again" rather than anything about the API's shape: 429 (rate
    limited) and 5xx (server and gateway errors)."""
    return status == 429 or status >= 500


def media_type(content_type: str) -> str:
    """``application/json; charset=utf-8`` -> ``application/json``; no header: ``(none)``."""
    return content_type.split(";", 1)[0].strip().lower() or "(none)"


def json_type(value: Any) -> str:
    """The JSON type of a parsed value; integers and fractions are both ``number``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


@cache
def _segment(key: str) -> str:
    """One object key as a pointer segment, folded to ``/*`` when it is an id or holds an email."""
    if EMAIL.search(key):
        return "/*"
    return fold_pointer("/" + key.replace("~", "~0").replace("/", "~1"))


def _constant(value: str) -> bool:
    return len(value) <= 40 and _CONSTANT.fullmatch(value) is not None


#: What makes a field enum-like in a shipped schema.
_CONSTANT_KEYWORDS = frozenset({"enum", "const", "x-signcheck-constant"})


@cache
def enum_pointers(schema: str) -> frozenset[str]:
    """The fields (pointer patterns, as a `Profile` folds them) that shipped schema `schema` documents
    as an ``enum``, a ``const`` or an ``x-signcheck-constant``, in any release; empty for a name no
    schema has."""
    from pytest_signcheck.contract import schemas  # jsonschema: only a diff of recordings needs it

    if schema not in schemas.SCHEMA_NAMES:
        return frozenset()
    found: set[str] = set()
    for version in API_VERSIONS:
        nodes = schemas.schema_nodes(schemas.schema_for(schema, version))
        found.update(fold_pointer(pointer) for pointer, node in nodes if _CONSTANT_KEYWORDS & node.keys())
    return frozenset(found)


def _response_schema(endpoint: str, status: int) -> str:
    from pytest_signcheck.contract import schemas

    return schemas.RESPONSE_SCHEMAS.get(endpoint, "") if status < 400 else schemas.ERROR_SCHEMA


def _key(key: str) -> str:
    return "*" if EMAIL.search(key) else key


def _shape(value: Any, pointer: str, enums: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {_key(str(k)): _shape(v, pointer + _segment(str(k)), enums) for k, v in value.items()}
    if isinstance(value, list):
        items = {json.dumps(_shape(item, pointer + "/*", enums), sort_keys=True) for item in value}
        return [json.loads(item) for item in sorted(items)]
    if isinstance(value, str):
        return value if pointer in enums and _constant(value) else "<string>"
    if isinstance(value, bool) or value is None:
        return value
    return "<number>"


def request_shape(endpoint: str, request: Any) -> str:
    """What was asked, without what varies from run to run (see the module's docstring)."""
    if request is None:
        return ""
    from pytest_signcheck.contract import schemas

    enums = enum_pointers(schemas.REQUEST_SCHEMAS.get(endpoint, ""))
    return json.dumps(_shape(request, "", enums), sort_keys=True, ensure_ascii=False)


@dataclass
class Seen:
    """What one endpoint answered with one status code, across a recording."""

    enums: frozenset[str] = frozenset()
    responses: int = 0
    media_types: Counter[str] = field(default_factory=Counter)
    fields: dict[str, set[str]] = field(default_factory=dict)
    values: dict[str, Counter[str]] = field(default_factory=dict)
    free_text: set[str] = field(default_factory=set)

    def add(self, exchange: Exchange) -> None:
        self.responses += 1
        if transient(exchange.status_code):
            return  # counted, not profiled: what a gateway sent this time is no shape of the API
        self.media_types[media_type(exchange.content_type)] += 1
        if exchange.body is not NOT_JSON:
            self._walk(exchange.body, "")

    def _walk(self, value: Any, pointer: str) -> None:
        self.fields.setdefault(pointer, set()).add(json_type(value))
        if isinstance(value, dict):
            for name, item in value.items():
                self._walk(item, pointer + _segment(str(name)))
        elif isinstance(value, list):
            for item in value:
                self._walk(item, pointer + "/*")
        elif isinstance(value, str) and pointer in self.enums and pointer not in self.free_text:
            self._string(pointer, value)

    def _string(self, pointer: str, value: str) -> None:
        if not _constant(value):  # a documented constant that came back as free text: no value shown
            self.free_text.add(pointer)
            self.values.pop(pointer, None)
            return
        self.values.setdefault(pointer, Counter())[value] += 1

    def merge(self, other: Seen) -> None:
        """Add what `other` saw (the same endpoint and status code, other requests) to this."""
        self.responses += other.responses
        self.media_types.update(other.media_types)
        for pointer, kinds in other.fields.items():
            self.fields.setdefault(pointer, set()).update(kinds)
        for pointer, values in other.values.items():
            self.values.setdefault(pointer, Counter()).update(values)
        self.free_text |= other.free_text
        for pointer in self.free_text & self.values.keys():
            del self.values[pointer]

    def enum_values(self, pointer: str) -> set[str] | None:
        """The values of an enum-like field (None when it is not one, here)."""
        if pointer in self.free_text or pointer not in self.values:
            return None
        return set(self.values[pointer])


@dataclass
class Profile:
    """A recording, summarised: per endpoint, per request shape, per status code, what came back
    (`Seen`); and which files it was read from, with how many interactions were compared and skipped
    (other endpoints)."""

    endpoints: dict[str, dict[str, dict[int, Seen]]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    not_cassettes: list[str] = field(default_factory=list)
    compared: int = 0
    skipped: int = 0

    def add(self, exchange: Exchange) -> None:
        endpoint, status = str(exchange.endpoint), exchange.status_code
        shapes = self.endpoints.setdefault(endpoint, {})
        statuses = shapes.setdefault(request_shape(endpoint, exchange.request), {})
        if status not in statuses:
            statuses[status] = Seen(enum_pointers(_response_schema(endpoint, status)))
        statuses[status].add(exchange)
        self.compared += 1

    def describe(self) -> dict[str, Any]:
        return {
            "files": list(self.files),
            "not_cassettes": list(self.not_cassettes),
            "responses": self.compared,
            "skipped": self.skipped,
        }
