"""The seam between transports and checks: one request and its response, however obtained.

A live httpx response and a replayed cassette interaction become the same `Exchange` before any
check sees it, so checks never know which mode they run in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Literal

import orjson

__all__ = [
    "ERROR",
    "NOT_JSON",
    "SUCCESS",
    "Answer",
    "Exchange",
    "answer_class",
    "field_getter",
    "parse_json",
    "parsed_keys",
]

#: The two kinds of answer a response is, for what a run exercised: a 2xx, or an error (anything else).
Answer = Literal["2xx", "error"]
SUCCESS: Answer = "2xx"
ERROR: Answer = "error"


def answer_class(status: int) -> Answer:
    """The kind of response a status code is: a 2xx, or an error (anything else)."""
    return SUCCESS if 200 <= status < 300 else ERROR


class _NotJson:
    """Marker for a response body that is not JSON (an HTML error page, an empty body...)."""

    def __repr__(self) -> str:
        return "NOT_JSON"


NOT_JSON: Any = _NotJson()


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and its response.

    `headers` has lower-case names. `body` is the parsed JSON response, or `NOT_JSON`.
    `request` is the parsed JSON request body (None when there was none, e.g. GET or multipart).
    `source` names where it came from: ``cassettes/status.yaml#3`` or ``live``.
    """

    endpoint: str
    status_code: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)
    request: Any = None
    source: str = ""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @classmethod
    def from_bytes(
        cls,
        endpoint: str,
        status_code: int,
        content: bytes,
        headers: Mapping[str, str],
        request: Any = None,
        source: str = "",
    ) -> Exchange:
        lowered = {key.lower(): value for key, value in headers.items()}
        return cls(endpoint, status_code, parse_json(content), lowered, request, source)


def parse_json(content: bytes) -> Any:
    """The parsed body, or NOT_JSON. orjson first (integers past 64 bits become floats: the docs type
    every count as `number`); the standard library for what orjson refuses, such as NaN."""
    if not content:
        return NOT_JSON
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        try:
            return json.loads(content)
        except ValueError:
            return NOT_JSON


def parsed_keys(*names: str) -> tuple[str, ...]:
    """`names` as the very str objects `parse_json` gives dict keys.

    orjson keeps one object per short key across parses, so a dict lookup with that object matches
    by identity and skips comparing characters: about half the cost of a lookup on the hot paths.
    A body parsed otherwise (or after orjson's cache dropped a key) is read all the same, by value.
    """
    if len(set(names)) != len(names):
        raise ValueError(f"repeated names in {names}: every column after the repeat would shift")
    return tuple(orjson.loads(orjson.dumps(dict.fromkeys(names, 0))))


def field_getter(*names: str) -> itemgetter[Any]:
    """`itemgetter(*names)` with the keys of `parsed_keys`."""
    return itemgetter(*parsed_keys(*names))
