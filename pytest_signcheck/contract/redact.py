"""Redaction: API keys, link tokens, secrets and signer personal data never leave the process.

Used by findings (messages, expected/actual), by the cassette scrubber and by replay matching. The API
will send fields its docs never name, so what is secret or personal is recognised by rules, not by the
documented names alone (`personal_kind` is the one place that decides):

1. a key that names a secret (containing ``token``, ``secret``, ``passw``, ``passcode``, ``apiKey`` or
   ``api_key``, ``credential``, ``signature``, ``privateKey``, or ending ``Pin``): its strings, and every
   string beneath it, wherever it is (`SECRET_KEY`);
2. an email address, anywhere, in any string;
3. a key that names personal data (`PERSONAL_FIELDS`, or a key containing ``name``, ``email``,
   ``phone``, ``mobile``, ``address`` or ``birth``, but for the names of things in `NAMES_OF_THINGS`):
   its strings, and every string beneath it;
4. inside a person object (what a key such as ``signers``, ``recipients``, ``members``, ``hosts``,
   ``actor`` or ``createdBy`` holds: `PERSON_KEYS`), every string but ids, documented constants, times
   and links (`PERSON_PUBLIC`);
5. a string that is an absolute URL keeps its scheme, host and path, but its query values, its fragment
   and every path segment that looks like a token (16 or more letters, digits, ``-`` or ``_``, with a
   letter and a digit, not a GUID) are replaced (`scrub_url`); the segment after ``/link/`` is a token
   in any string (`redact_text`);
6. in a field no shipped schema documents (`documented_names`), a phone number (an optional ``+``, then
   digits, spaces, ``().-``, at least 9 digits, not the start of a date) and an IPv4 or IPv6 address
   inside the string are replaced (`scrub_embedded`); a documented field's text is left as it is.

Keep it dependency-free.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from pytest_signcheck.contract._text import (
    DATE,
    PHONE,
    URL,
    UUID,
    documented_names,
    embeds,
    is_ip,
    scrub_embedded,
    scrub_url,
    stars,
)

__all__ = [
    "EMAIL",
    "LINK_TOKEN",
    "NAMES_OF_THINGS",
    "PERSONAL_FIELDS",
    "PERSON_KEYS",
    "PERSON_PUBLIC",
    "SECRET_HEADERS",
    "SECRET_KEY",
    "TOKEN_FIELDS",
    "documented_names",
    "map_strings",
    "personal_kind",
    "redact_text",
    "redact_value",
    "render",
    "scrub_embedded",
    "scrub_url",
]

#: JSON property names whose values are signer/recipient personal data.
PERSONAL_FIELDS = frozenset(
    {
        "firstName",
        "lastName",
        "email",
        "mobileNumber",
        "mobileNumberOriginal",
        "mobileNumberCountryCode",
        "declineMessage",
        # packages/{id}/data: what the signers filled into the documents' fields
        "value",
    }
)
#: JSON property names whose values are, or embed, a signing-link token.
TOKEN_FIELDS = frozenset({"token", "link"})
#: Request headers that carry credentials (compared lower-case).
SECRET_HEADERS = frozenset({"api_key", "authorization", "cookie", "set-cookie", "x-api-key"})
#: Keys (lower-case, a plural ``s`` dropped) whose object, or array of objects, describes people.
PERSON_KEYS = frozenset(
    {
        "signer",
        "recipient",
        "member",
        "host",
        "guest",
        "participant",
        "attendee",
        "contact",
        "owner",
        "sender",
        "user",
        "witness",
        "approver",
        "viewer",
        "person",
        "people",
        "createdby",
        "modifiedby",
        "updatedby",
        "actor",
        "author",
    }
)
#: Documented keys of a person object that hold no personal data (constants, tags, settings).
PERSON_PUBLIC = frozenset(
    {
        "state",
        "type",
        "role",
        "status",
        "action",
        "locale",
        "language",
        "order",
        "index",
        "next",
        "signerTag",
        "templateRole",
        "returnState",
        "declineReason",
        "verification",
        "verify",
        "signCac",
    }
)
#: Keys containing ``name`` that name things, not people.
NAMES_OF_THINGS = frozenset(
    {"name", "fileName", "documentName", "templateName", "packageName", "folderName", "fieldName"}
)
_PERSONAL_WORDS = ("name", "email", "phone", "mobile", "address", "birth")
_ID_KEY = re.compile(r"(?:^id|Ids?|IDs?|Guid|Uuid)$")
_LINK_KEY = re.compile(r"(?i)(?:link|links|url|uri)$")
#: A key that names a secret (rule 1): its strings are replaced wherever it stands.
SECRET_KEY = re.compile(
    r"(?i:token|secret|passw|passcode|api[_-]?key|credential|signature|private[_-]?key)|(?:^pin|Pin|PIN)$"
)
_TIME_KEY = re.compile(r"^time[A-Z]|[a-z](?:At|On|Time|Date)$")

#: The token of a signing link (``https://sign.example/link/<token>``): the segment after ``/link/``,
#: unless it is ``sign`` or ``edit`` followed by a path end, the documented API paths
#: ``/packages/{packageId}/link/sign/{signerId}`` and ``/packages/{packageId}/link/edit`` (no token).
LINK_TOKEN = re.compile(r"(/link/)(?!(?:sign|edit)(?![A-Za-z0-9_-]))([A-Za-z0-9_-]{4,})")
#: An email address, wherever it appears.
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def _looks_personal(key: str) -> bool:
    if key in PERSONAL_FIELDS:
        return True
    lower = key.lower()
    return key not in NAMES_OF_THINGS and any(word in lower for word in _PERSONAL_WORDS)


def _is_person_key(key: str) -> bool:
    lower = key.lower()
    return lower in PERSON_KEYS or lower.removesuffix("s") in PERSON_KEYS


def _public(key: str) -> bool:
    """A key whose strings are never personal data: ids, time stamps, links, documented constants."""
    return any(rule.search(key) for rule in (_ID_KEY, _LINK_KEY, _TIME_KEY)) or key in PERSON_PUBLIC


def _shape(value: str) -> str:
    """The kind of fake a personal string gets: one that keeps its shape."""
    if EMAIL.fullmatch(value):
        return "email"
    if DATE.fullmatch(value):
        return "date"
    if is_ip(value):
        return "ip"
    if PHONE.fullmatch(value) and sum(char.isdigit() for char in value) >= 7:
        return "phone"
    return "text"


def personal_kind(key: str, value: str, context: str = "") -> str | None:
    """Whether the string `value` at `key` is secret or personal data, and if so the kind of its fake:
    ``secret`` (rule 1), ``email``, ``date``, ``ip``, ``phone``, ``text`` (its shape), ``url`` (a URL whose
    query, fragment or token segments go, rule 5) or ``embedded`` (phone numbers or IP addresses inside,
    rule 6); None when it is neither. `context` is what `map_strings` says of the object holding it:
    ``secret``, ``person`` (a person object) or ``personal`` (all of it personal)."""
    if not value:
        return None
    if context == "secret" or SECRET_KEY.search(key):
        return "secret"
    if context == "personal" or (_looks_personal(key) and not _ID_KEY.search(key)):
        return _shape(value)
    if context == "person" and not _public(key) and not UUID.fullmatch(value):
        return _shape(value)
    if EMAIL.fullmatch(value):
        return "email"
    if URL.fullmatch(value):
        return "url" if scrub_url(value, stars) != value else None
    return "embedded" if embeds(key, value) else None


@lru_cache(maxsize=4096)
def _context(key: str, parent: str) -> str:
    """What the value at `key` is, inside an object that is `parent`."""
    if parent == "secret" or SECRET_KEY.search(key):
        return "secret"
    if parent == "personal" or (_looks_personal(key) and not _ID_KEY.search(key)):
        return "personal"
    if _LINK_KEY.search(key):
        return ""
    return "person" if _is_person_key(key) else parent


Convert = Callable[[str, str, "str | None"], str]


def map_strings(value: Any, convert: Convert, key: str = "", context: str = "") -> Any:
    """`value` (parsed JSON) with each string replaced by ``convert(key, string, personal_kind)``:
    one walk for the scrubber, replay matching and findings. JSON types are kept."""
    if isinstance(value, dict):
        return {k: map_strings(v, convert, str(k), _context(str(k), context)) for k, v in value.items()}
    if isinstance(value, list):
        return [map_strings(item, convert, key, context) for item in value]
    if isinstance(value, str):
        return convert(key, value, personal_kind(key, value, context))
    return value


def _mask(text: str) -> str:
    if len(text) <= 4:
        return "***"
    return f"{text[:2]}***({len(text)} chars)"


def redact_text(text: str) -> str:
    """Mask link tokens and email addresses wherever they appear in free text (the API's own
    ``/link/sign/`` and ``/link/edit`` paths stay as they are)."""
    text = LINK_TOKEN.sub(lambda m: m.group(1) + "***", text)
    return EMAIL.sub("***@***", text)


def _shown(key: str, value: str, kind: str | None) -> str:
    if kind == "url":
        return redact_text(scrub_url(value, stars))
    if kind == "embedded":
        return redact_text(scrub_embedded(value, stars))
    if kind is not None or key == "token":
        return _mask(value)
    return redact_text(value)


def redact_value(field: str, value: Any) -> Any:
    """The value as it may be shown: personal data and tokens masked, links kept to their shape."""
    return map_strings(value, _shown, field, _context(field, "") if field else "")


def render(value: object, field: str = "") -> str:
    """A short, redacted rendering of a JSON value for `Finding.expected`/`actual`."""
    text = json.dumps(redact_value(field, value), ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= 120 else text[:117] + "..."
