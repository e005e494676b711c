"""``packages/{packageId}/data``: the values of a package's fields (§4.6).

Documented: the response shape and field names; the values are complete once the package is
finalised. Inferred: before that it holds the values entered so far; ``documents[].state`` is the
document state the Package object shows; a document's fields are its ``templateData`` (``source``
``"template"``, ``type`` ``"text"``, no signer, page 1, ``dataId`` the key given) and, for each
signed revision, the signer's ``signature`` (their name) and ``date`` (the day they signed), with
``source`` ``"signer"`` on the document's last page. Field ``id``\\ s are name-based GUIDs of the
document and field, so they stay the same from call to call.
"""

from __future__ import annotations

import uuid

from .clock import format_time
from .model import DOCUMENT_STATE, Document, Json, Package, Revision, reported_state

_NAMESPACE = uuid.UUID("6f1c2b1e-5d0a-4c55-9a57-5e0c1d2b3a4f")


def package_data(package: Package, api_version: str) -> Json:
    return {
        "packageId": package.package_id,
        "name": package.name,
        "type": package.type,
        "state": reported_state(package, api_version),
        "externalData": package.external_data,
        "documents": [_document(package, document) for document in package.documents],
    }


def _document(package: Package, document: Document) -> Json:
    fields = [
        _field(document, key, None, "template", "text", value, 1)
        for key, value in document.template_data.items()
    ]
    for revision in document.revisions:
        if revision.signed_at is not None:
            fields += _signed(package, document, revision, revision.signed_at)
    return {
        "documentId": document.document_id,
        "packageId": package.package_id,
        "name": document.name,
        "fileName": document.file_name,
        "state": DOCUMENT_STATE,
        "data": fields,
    }


def _signed(package: Package, document: Document, revision: Revision, signed_at: int) -> list[Json]:
    signer = package.signer(revision.signer_id)
    values = {
        "signature": f"{signer.first_name} {signer.last_name}".strip() if signer else "",
        "date": format_time(signed_at)[:10],
    }
    return [
        _field(
            document,
            _guid(document.document_id, f"signer/{revision.number}/{kind}"),
            revision.signer_id,
            "signer",
            kind,
            value,
            document.pages,
        )
        for kind, value in values.items()
    ]


def _field(
    document: Document, data_id: str, signer_id: str | None, source: str, kind: str, value: str, page: int
) -> Json:
    return {
        "id": _guid(document.document_id, f"{source}/{data_id}"),
        "dataId": data_id,
        "signerId": signer_id,
        "source": source,
        "type": kind,
        "value": value,
        "pageNumber": page,
    }


def _guid(document_id: str, name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{document_id}/{name}"))
