"""Redaction: API keys, link tokens and signer personal data never leave the process.

Used by findings (messages, expected/actual) and by the cassette scrubber. Keep it dependency-free.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["PERSONAL_FIELDS", "SECRET_HEADERS", "TOKEN_FIELDS", "redact_text", "redact_value", "render"]

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

#: The token of a signing link (``https://sign.example/link/<token>``): the segment after ``/link/``,
#: unless it is ``sign`` or ``edit`` followed by a path end, the documented API paths
#: ``/packages/{packageId}/link/sign/{signerId}`` and ``/packages/{packageId}/link/edit`` (no token).
_LINK_TOKEN = re.compile(r"(/link/)(?!(?:sign|edit)(?![A-Za-z0-9_-]))([A-Za-z0-9_-]{4,})")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def _mask(text: str) -> str:
    if len(text) <= 4:
        return "***"
    return f"{text[:2]}***({len(text)} chars)"


def redact_text(text: str) -> str:
    """Mask link tokens and email addresses wherever they appear in free text (the API's own
    ``/link/sign/`` and ``/link/edit`` paths stay as they are)."""
    text = _LINK_TOKEN.sub(lambda m: m.group(1) + "***", text)
    return _EMAIL.sub("***@***", text)


def redact_value(field: str, value: Any) -> Any:
    """The value as it may be shown: personal fields and tokens masked, links kept to their shape."""
    if isinstance(value, str):
        if field in PERSONAL_FIELDS:
            return _mask(value) if value else value
        if field == "token":
            return _mask(value)
        return redact_text(value)
    if isinstance(value, dict):
        return {key: redact_value(key, item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_value(field, item) for item in value]
    return value


def render(value: object, field: str = "") -> str:
    """A short, redacted rendering of a JSON value for `Finding.expected`/`actual`."""
    text = json.dumps(redact_value(field, value), ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= 120 else text[:117] + "..."
