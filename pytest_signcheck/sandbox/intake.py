"""Reading request bodies: JSON objects, typed fields, and the packages/add request.

Documented: ``type`` must be an exact package-type constant (``package_invalid_type``); an ``open``
package needs documents (``package_add_no_documents``) and signers (``package_add_no_signers``);
duplicate recipient addresses (``package_duplicate_recipients``, ``..._recipients_signer``).
Documented fields read besides: ``options.embedded`` and ``options.embed``, ``generateEditLink``,
``generateSignerLinks``, ``documents[].templateData`` (``dataId`` -> value, text fields only).
Inferred: ``state`` defaults to ``open``; ``name`` is required; ``timeSignBy`` defaults to 30 days
after the add; at most 15 documents (the documented platform limit); ``returnPackage: false``
answers ``{packageId}`` alone; a ``fileId`` may be used by several documents and packages;
``templateData`` values must be strings; every other code below.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import errors
from .build import DocumentSpec, RecipientSpec, SignerSpec, StoredFile
from .clock import parse_time
from .model import ADD_STATES, TYPES, Json

MAX_DOCUMENTS = 15
EXTRA_TEXTS = ("category", "clientNumber", "matterNumber", "description", "message")
"""The optional package texts add (and update) take as they are."""


def parse_object(raw: bytes) -> Json:
    """The body as a JSON object; an empty body is ``{}``. Malformed JSON is a 400."""
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise errors.invalid("request", "json", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise errors.invalid("request", "body", "The request body must be a JSON object.")
    return body


def text(body: Json, key: str, kind: str = "package", *, required: bool = False) -> str | None:
    """An optional (or required, non-blank) string field."""
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise errors.invalid(kind, _snake(key), f"Valid '{key}' is required.")
    return value


def flag(body: Json, key: str, default: bool = False, kind: str = "package") -> bool:
    value = body.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise errors.invalid(kind, _snake(key), f"'{key}' must be true or false.")
    return value


def package_id(body: Json) -> str:
    """The required ``packageId`` of send, rescind and delete."""
    value = text(body, "packageId", required=True)
    assert value is not None
    return value


@dataclass(frozen=True)
class AddRequest:
    name: str
    type: str
    state: str
    sign_by: int | None
    signers: tuple[SignerSpec, ...]
    documents: tuple[DocumentSpec, ...]
    recipients: tuple[RecipientSpec, ...]
    external_data: Json | None
    generate_signer_links: bool
    return_package: bool
    extra: dict[str, str | None]
    options: Options
    generate_edit_link: bool


@dataclass(frozen=True)
class Options:
    """The documented package ``options``: embedded mode and the embedded editor's settings."""

    embedded: bool = False
    embed: Json | None = None


def read_add(body: Json, files: dict[str, StoredFile]) -> AddRequest:
    """Validate a packages/add body in the order the docs list their errors."""
    name = text(body, "name", required=True)
    package_type = package_type_of(body)
    state = state_of(body) or "open"
    documents = documents_of(body, files)
    signers = signers_of(body)
    recipients = recipients_of(body)
    check_contents(state, documents, signers, recipients)
    return AddRequest(
        name=name or "",
        type=package_type,
        state=state,
        sign_by=sign_by_of(body),
        signers=signers,
        documents=documents,
        recipients=recipients,
        external_data=external_data_of(body),
        generate_signer_links=flag(body, "generateSignerLinks"),
        return_package=flag(body, "returnPackage", default=True),
        extra={key: text(body, key) for key in EXTRA_TEXTS},
        options=options_of(body),
        generate_edit_link=flag(body, "generateEditLink"),
    )


def package_type_of(body: Json) -> str:
    package_type = body.get("type")
    if package_type not in TYPES:
        raise errors.invalid_type()
    return str(package_type)


def state_of(body: Json) -> str | None:
    """The requested ``state`` (``None`` when absent, null or empty)."""
    state = body.get("state") or None
    if state is not None and state not in ADD_STATES:
        raise errors.invalid("package", "state", f"'state' must be one of: {', '.join(ADD_STATES)}.")
    return state


def documents_of(body: Json, files: dict[str, StoredFile]) -> tuple[DocumentSpec, ...]:
    return tuple(_document(item, files) for item in _objects(body, "documents"))


def signers_of(body: Json) -> tuple[SignerSpec, ...]:
    return tuple(_signer(item) for item in _objects(body, "signers"))


def recipients_of(body: Json) -> tuple[RecipientSpec, ...]:
    return tuple(_recipient(item) for item in _objects(body, "recipients"))


def options_of(body: Json) -> Options:
    options = body.get("options")
    if options is None:
        return Options()
    if not isinstance(options, dict):
        raise errors.invalid("package", "options", "'options' must be an object.")
    embedded, embed = options.get("embedded", False), options.get("embed")
    if not isinstance(embedded, bool) or (embed is not None and not isinstance(embed, dict)):
        raise errors.invalid(
            "package", "options", "'options.embedded' must be true or false and 'options.embed' an object."
        )
    return Options(embedded, embed)


def check_contents(
    state: str,
    documents: Sequence[DocumentSpec],
    signers: Sequence[SignerSpec],
    recipients: Sequence[RecipientSpec],
) -> None:
    if state == "open" and not documents:
        raise errors.add_no_documents()
    if state == "open" and not signers:
        raise errors.add_no_signers()
    if len(documents) > MAX_DOCUMENTS:
        raise errors.out_of_range(
            "package", "documents", f"A package holds at most {MAX_DOCUMENTS} documents."
        )
    addresses = [r.email.casefold() for r in recipients]
    if len(set(addresses)) != len(addresses):
        raise errors.ApiError(
            400, "package_duplicate_recipients", "Two or more recipients share an email address."
        )
    if set(addresses) & {s.email.casefold() for s in signers}:
        raise errors.ApiError(
            400, "package_duplicate_recipients_signer", "A recipient has the same email address as a signer."
        )


def _objects(body: Json, key: str) -> list[Json]:
    value = body.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise errors.invalid("package", _snake(key), f"'{key}' must be a list of objects.")
    return value


def _signer(item: Json) -> SignerSpec:
    first, last = text(item, "firstName", "signer"), text(item, "lastName", "signer")
    email = text(item, "email", "signer", required=True)
    return SignerSpec(first or "", last or "", email or "", text(item, "mobileNumber", "signer"))


def _recipient(item: Json) -> RecipientSpec:
    email = text(item, "email", "recipient", required=True)
    first, last = text(item, "firstName", "recipient"), text(item, "lastName", "recipient")
    return RecipientSpec(first or "", last or "", email or "", text(item, "type", "recipient") or "cc")


def _document(item: Json, files: dict[str, StoredFile]) -> DocumentSpec:
    file_id = text(item, "fileId", "document", required=True)
    stored = files.get(file_id or "")
    if stored is None:
        raise errors.invalid("document", "file_id", "'fileId' does not name an uploaded file.")
    file_name = text(item, "fileName", "document") or stored.file_name
    name = text(item, "name", "document") or file_name.rsplit(".", 1)[0]
    external_id = text(item, "externalId", "document")
    return DocumentSpec(stored, name, file_name, external_id, _template_data(item))


def _template_data(item: Json) -> dict[str, str]:
    """``templateData``: values for a template's text fields, by ``dataId``."""
    value: Any = item.get("templateData")
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise errors.invalid(
            "document", "template_data", "'templateData' must map each dataId to a text value."
        )
    return dict(value)


def sign_by_of(body: Json) -> int | None:
    raw = text(body, "timeSignBy")
    if raw is None:
        return None
    instant = parse_time(raw)
    if instant is None:
        raise errors.invalid("package", "time_sign_by", "'timeSignBy' must be an ISO 8601 date-time.")
    return instant


def external_data_of(body: Json) -> Json | None:
    value: Any = body.get("externalData")
    if value is not None and not isinstance(value, dict):
        raise errors.invalid("package", "external_data", "'externalData' must be an object.")
    return value


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)
