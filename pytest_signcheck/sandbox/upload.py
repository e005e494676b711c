"""``files/upload``: multipart files in, the reference's ``{"files": [...]}`` shape out.

Documented: raw multipart parts; a filename in ``Content-Disposition`` (UTF-8 names as RFC 5987
``filename*=UTF-8''...``, which the stdlib parser reads and python-multipart ignores); query
parameters ``type`` (only ``temporary``) and ``externalId``; the message ``PDF Error: PDF header not
found.`` for a PDF that is not one; at most 25 MB per document. Inferred: a ``.pdf`` without a
``%PDF-`` header in its first KiB is ``isInvalid``; one with ``/Encrypt`` is ``isPasswordProtected``;
Word/text formats are ``isConverted``; anything else ``isNotSupported``; a rejected file gets
``fileId: null``; one ``externalId`` applies to every file of the request; the error codes.
"""

from __future__ import annotations

import email.parser
import email.policy
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from . import errors
from .model import Json
from .store import Store

CONVERTED = (".doc", ".docx", ".rtf", ".odt", ".txt")
MAX_BYTES = 25 * 1024 * 1024
_PAGE = re.compile(rb"/Type\s*/Page(?!s)")


@dataclass(frozen=True)
class Verdict:
    invalid: bool = False
    converted: bool = False
    not_supported: bool = False
    password_protected: bool = False
    error: str | None = None
    message: str | None = None

    @property
    def accepted(self) -> bool:
        return not (self.invalid or self.not_supported or self.password_protected)


def upload(store: Store, content_type: str, body: bytes, query: dict[str, str]) -> Json:
    if query.get("type", "temporary") != "temporary":
        raise errors.invalid("file", "type", "'type' must be temporary.")
    parts = file_parts(content_type, body)
    if not parts:
        raise errors.invalid(
            "file", "multipart", "Post at least one file as multipart/form-data with a filename."
        )
    external_id = query.get("externalId")
    return {"files": [_accept(store, name, data, external_id) for name, data in parts]}


def file_parts(content_type: str, body: bytes) -> list[tuple[str, bytes]]:
    """(file name, bytes) for every part that names a file."""
    if not content_type.lower().startswith("multipart/form-data"):
        return []
    head = b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n"
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return []
    parts = []
    for part in message.iter_parts():
        name = part.get_filename()
        data = part.get_payload(decode=True)
        if name and isinstance(data, bytes):
            parts.append((PurePosixPath(name.replace("\\", "/")).name, data))
    return parts


def inspect(name: str, data: bytes) -> Verdict:
    suffix = PurePosixPath(name).suffix.lower()
    if not data:
        return Verdict(invalid=True, error="file_invalid_empty", message="The file is empty.")
    if len(data) > MAX_BYTES:
        return Verdict(invalid=True, error="file_length_size", message="Files may be at most 25 MB.")
    if suffix == ".pdf":
        if b"%PDF-" not in data[:1024]:
            return Verdict(invalid=True, error="file_invalid_pdf", message="PDF Error: PDF header not found.")
        if b"/Encrypt" in data:
            return Verdict(
                password_protected=True,
                error="file_password_protected",
                message="The PDF is password protected.",
            )
        return Verdict()
    if suffix in CONVERTED:
        return Verdict(converted=True)
    return Verdict(
        not_supported=True, error="file_not_supported", message="Only PDF and Word documents are supported."
    )


def _accept(store: Store, name: str, data: bytes, external_id: str | None) -> Json:
    verdict = inspect(name, data)
    file_id = None
    if verdict.accepted:
        pages = max(1, len(_PAGE.findall(data)))
        file_id = store.add_file(name, external_id, len(data), pages).file_id
    return {
        "fileId": file_id,
        "externalId": external_id,
        "fileName": name,
        "isInvalid": verdict.invalid,
        "isConverted": verdict.converted,
        "isNotSupported": verdict.not_supported,
        "isPasswordProtected": verdict.password_protected,
        "error": verdict.error,
        "message": verdict.message,
        "type": "temporary",
    }
