"""What the API returned, as recorded, and what changed between two recordings, whatever the docs say.

A `Profile` of a recording says, per documented endpoint and status code: how many responses, which
media types (``Content-Type`` without its parameters), and for each field (a JSON pointer with array
indices and id-like keys folded, ``/signers/*/signerId``) the JSON types it took, ``null`` included,
and, for enum-like fields, which values.

**Enum-like**, defensibly: a string field whose every value looks like a constant (letters only, up to
four words joined by ``_``, ``-`` or single spaces, at most 40 characters: ``open``, ``Live Session``,
``package_not_found``, ``en-US``) and that takes at most 12 distinct values across both recordings.
Ids, times, tokens, URLs, file names, counts and most names carry digits, dots, ``@`` or ``/`` and so
are never enum-like; the fields the redaction rules name as personal data or tokens never are, whatever
their values. So a diff shows values only of states, types, roles, link types, error codes and the
like, never personal data or secrets.

`compare` lists, per endpoint: status codes that appeared or vanished; for a status code seen in both,
media types that appeared or vanished, fields that appeared or vanished (the outermost one: its own
fields go with it), JSON types that changed, ``null`` now served where it never was, and enum-like
values that appeared or vanished. Something that vanished or changed type is `breaking`: a client
that relied on it breaks. An endpoint recorded in only one of the two is not compared (said, not drift).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pytest_signcheck.contract.redact import PERSONAL_FIELDS, TOKEN_FIELDS
from pytest_signcheck.exchange import NOT_JSON, Exchange
from pytest_signcheck.findings import fold_pointer

__all__ = ["MAX_VALUES", "Profile", "Seen", "media_type"]

#: The most distinct values an enum-like field takes (in both recordings together).
MAX_VALUES = 12
_CONSTANT = re.compile(r"[A-Za-z]+(?:[ _-][A-Za-z]+){0,3}")
_SECRET_OR_PERSONAL = PERSONAL_FIELDS | TOKEN_FIELDS


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
    """One object key as a pointer segment, folded to ``/*`` when it is an id."""
    return fold_pointer("/" + key.replace("~", "~0").replace("/", "~1"))


def _constant(key: str, value: str) -> bool:
    return key not in _SECRET_OR_PERSONAL and len(value) <= 40 and _CONSTANT.fullmatch(value) is not None


@dataclass
class Seen:
    """What one endpoint answered with one status code, across a recording."""

    responses: int = 0
    media_types: Counter[str] = field(default_factory=Counter)
    fields: dict[str, set[str]] = field(default_factory=dict)
    values: dict[str, Counter[str]] = field(default_factory=dict)
    free_text: set[str] = field(default_factory=set)

    def add(self, exchange: Exchange) -> None:
        self.responses += 1
        self.media_types[media_type(exchange.content_type)] += 1
        if exchange.body is not NOT_JSON:
            self._walk(exchange.body, "", "")

    def _walk(self, value: Any, pointer: str, key: str) -> None:
        self.fields.setdefault(pointer, set()).add(json_type(value))
        if isinstance(value, dict):
            for name, item in value.items():
                self._walk(item, pointer + _segment(str(name)), str(name))
        elif isinstance(value, list):
            for item in value:
                self._walk(item, pointer + "/*", key)
        elif isinstance(value, str) and pointer not in self.free_text:
            self._string(pointer, key, value)

    def _string(self, pointer: str, key: str, value: str) -> None:
        values = self.values.setdefault(pointer, Counter())
        values[value] += 1
        if not _constant(key, value) or len(values) > MAX_VALUES:
            self.free_text.add(pointer)
            del self.values[pointer]

    def enum_values(self, pointer: str) -> set[str] | None:
        """The values of an enum-like field (None when it is not one, here)."""
        if pointer in self.free_text or pointer not in self.values:
            return None
        return set(self.values[pointer])


@dataclass
class Profile:
    """A recording, summarised: per endpoint, per status code, what came back (`Seen`); and which
    files it was read from, with how many interactions were compared and skipped (other endpoints)."""

    endpoints: dict[str, dict[int, Seen]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    not_cassettes: list[str] = field(default_factory=list)
    compared: int = 0
    skipped: int = 0

    def add(self, exchange: Exchange) -> None:
        statuses = self.endpoints.setdefault(str(exchange.endpoint), {})
        statuses.setdefault(exchange.status_code, Seen()).add(exchange)
        self.compared += 1

    def describe(self) -> dict[str, Any]:
        return {
            "files": list(self.files),
            "not_cassettes": list(self.not_cassettes),
            "responses": self.compared,
            "skipped": self.skipped,
        }
