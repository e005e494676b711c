"""The text rules of redaction that read inside a string (rules 5 and 6 of `contract.redact`): a URL's
token-like parts, and phone numbers and IP addresses inside the text of a field no shipped schema
documents. Dependency-free: the documented names are read from the schema files with `json` alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache, partial
from typing import Any

from pytest_signcheck._resources import data_dir

__all__ = [
    "DATE",
    "EMBEDDED",
    "PHONE",
    "URL",
    "UUID",
    "documented_names",
    "embeds",
    "is_ip",
    "scrub_embedded",
    "scrub_url",
    "stars",
]

DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
#: What a whole personal string looks like when it is a phone number (its fake keeps that shape).
PHONE = re.compile(r"\+?[\d ().-]{7,}")
UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
URL = re.compile(r"(?i)(https?://[^/?#\s]+)([^?#\s]*)(\?[^#\s]*)?(#\S*)?")
_OPAQUE = re.compile(r"(?<=/)(?<!/link/)(?=[0-9_-]*[A-Za-z])(?=[A-Za-z_-]*[0-9])[A-Za-z0-9_-]{16,}(?=/|$)")
_QUERY_VALUE = re.compile(r"(?<=[?&;])([^=&;#]+=)([^&;#]+)")
#: Rule 6: a phone number and an IP address inside the text of an undocumented field.
EMBEDDED = {
    "phone": re.compile(r"(?<![\w.+-])\+?\(?\d[\d ().-]{7,}\d(?![\w-])"),
    "ip": re.compile(
        r"(?<![\w.:])(?:(?:\d{1,3}\.){3}\d{1,3}|(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}"
        r"|(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,5})?)(?![\w.:])"
    ),
}


def stars(value: str, kind: str = "") -> str:
    return "***"


def scrub_url(url: str, fake: Callable[[str], str]) -> str:
    """`url` (an absolute URL) with its query values, its fragment and its token-like path segments
    (not a GUID, not the segment after ``/link/``, which `redact_text` and the scrubber replace)
    replaced by ``fake(value)``: scheme, host, path and query keys are kept (rule 5)."""
    match = URL.fullmatch(url)
    if match is None:
        return url
    origin, path, query, fragment = match.group(1, 2, 3, 4)
    path = _OPAQUE.sub(lambda m: m.group() if UUID.fullmatch(m.group()) else fake(m.group()), path)
    query = _QUERY_VALUE.sub(lambda m: m.group(1) + fake(m.group(2)), query or "")
    return origin + path + query + ("#" + fake(fragment[1:]) if fragment and len(fragment) > 1 else "")


@cache
def documented_names() -> frozenset[str]:
    """Every property name a shipped schema of the API documents, in any release (read from the schema
    files once, with `json` alone; `report.json`, the report's own format, is not the API's)."""
    names: set[str] = set()
    stack = [data_dir("schemas")]
    while stack:
        for item in stack.pop().iterdir():
            if item.is_dir():
                stack.append(item)
            elif item.name.endswith(".json") and item.name != "report.json":
                _collect(json.loads(item.read_text(encoding="utf-8")), names)
    return frozenset(names)


def _collect(node: Any, names: set[str]) -> None:
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict):
            names.update(properties)
        for value in node.values():
            _collect(value, names)
    elif isinstance(node, list):
        for value in node:
            _collect(value, names)


def _embedded(kind: str, found: str) -> bool:
    """Whether a match of `EMBEDDED[kind]` is one: an IPv4 octet is at most 255; a phone number has 9
    digits or more and is not the start of a date."""
    if kind == "ip":
        return ":" in found or all(int(octet) <= 255 for octet in found.split("."))
    return sum(char.isdigit() for char in found) >= 9 and not DATE.match(found.lstrip("+("))


def scrub_embedded(text: str, fake: Callable[[str, str], str]) -> str:
    """`text` with each IP address and phone number in it replaced by ``fake(kind, found)`` (rule 6)."""
    for kind, pattern in EMBEDDED.items():
        text = pattern.sub(partial(_replaced, kind, fake), text)
    return text


def _replaced(kind: str, fake: Callable[[str, str], str], match: re.Match[str]) -> str:
    found = match.group()
    return fake(kind, found) if _embedded(kind, found) else found


def embeds(key: str, value: str) -> bool:
    """Whether `value`, at an undocumented `key`, holds a phone number or an IP address (rule 6)."""
    if key in documented_names() or DATE.fullmatch(value) or UUID.fullmatch(value):
        return False
    return scrub_embedded(value, stars) != value


def is_ip(value: str) -> bool:
    """Whether the whole of `value` is an IPv4 or IPv6 address."""
    return EMBEDDED["ip"].fullmatch(value) is not None and _embedded("ip", value)
