"""Packages as ``packages/{id}/status`` and ``packages/list`` render them.

The status shape is copied from the docs' example response: ``order`` on documents and signers,
revision ``link``/``isNext``/``isSigned``, signer ``links[]`` (one per revision of theirs), and
``signLink``/``meetingLink`` on each signer. The example's ``exernalId`` is a typo of the field
table's ``externalId``; the sandbox follows the table. Without ``generateSignerLinks`` (documented):
revision ``link`` is null, ``links`` is ``[]``, ``signLink`` and ``meetingLink`` are null.
A signer's ``mobileNumber`` is ``""`` when unknown, as in the example. Guests (VSR) sign nothing, so
they get no ``signLink`` (inferred) but do get a ``meetingLink``.
"""

from __future__ import annotations

from .clock import format_time
from .model import (
    Document,
    Json,
    Link,
    Package,
    Recipient,
    Revision,
    Signer,
    next_revision_ids,
    reported_state,
)


def time_or_none(instant: int | None) -> str | None:
    return None if instant is None else format_time(instant)


def link_object(link: Link | None, package_id: str) -> Json | None:
    """A ``signLink``/``meetingLink`` object, keys in the docs' order."""
    if link is None:
        return None
    return {
        "name": link.name,
        "link": link.url,
        "type": link.kind,
        "token": link.token,
        "timeExpires": format_time(link.expires),
        "packageId": package_id,
    }


def signer_links(signer: Signer, package_id: str, links: bool) -> tuple[Json | None, Json | None]:
    """The (signLink, meetingLink) pair to show for a signer."""
    if not links:
        return None, None
    sign = link_object(signer.sign_link, package_id) if signer.role == "signer" else None
    return sign, link_object(signer.meeting_link, package_id)


def status(package: Package, api_version: str, links: bool) -> Json:
    """The ``packages/{id}/status`` body."""
    next_ids = next_revision_ids(package)
    return {
        "packageId": package.package_id,
        "organizationId": package.organization_id,
        "memberId": package.member_id,
        "name": package.name,
        "timeSignBy": format_time(package.sign_by),
        "type": package.type,
        "state": reported_state(package, api_version),
        "externalData": package.external_data,
        "isExecuted": package.is_executed(),
        "documents": [_status_document(package, d, next_ids, links) for d in package.documents],
        "signers": [_status_signer(package, s, next_ids, links) for s in package.signers],
    }


def _status_document(package: Package, document: Document, next_ids: set[str], links: bool) -> Json:
    return {
        "packageId": package.package_id,
        "documentId": document.document_id,
        "fileId": document.file_id,
        "externalId": document.external_id,
        "name": document.name,
        "fileName": document.file_name,
        "order": document.index,
        "isExecuted": document.is_executed(),
        "revisions": [
            {
                "packageId": package.package_id,
                "documentId": revision.document_id,
                "revisionId": revision.revision_id,
                "signerId": revision.signer_id,
                "link": revision.link.url if links else None,
                "isNext": revision.revision_id in next_ids,
                "isSigned": revision.signed_at is not None,
            }
            for revision in document.revisions
        ],
    }


def _status_signer(package: Package, signer: Signer, next_ids: set[str], links: bool) -> Json:
    sign_link, meeting_link = signer_links(signer, package.package_id, links)
    revisions = package.signer_revisions(signer.signer_id) if links else []
    return {
        "signerId": signer.signer_id,
        "firstName": signer.first_name,
        "lastName": signer.last_name,
        "email": signer.email,
        "mobileNumber": signer.mobile or "",
        "order": signer.index,
        "links": [_revision_link(package.package_id, revision, next_ids) for revision in revisions],
        "signLink": sign_link,
        "meetingLink": meeting_link,
    }


def _revision_link(package_id: str, revision: Revision, next_ids: set[str]) -> Json:
    return {
        **(link_object(revision.link, package_id) or {}),
        "documentId": revision.document_id,
        "revisionId": revision.revision_id,
        "isNext": revision.revision_id in next_ids,
        "isSigned": revision.signed_at is not None,
    }


def ownership(package: Package) -> Json:
    """The first keys of a list item and of the Package object: whose package it is."""
    return {
        "packageId": package.package_id,
        "organizationId": package.organization_id,
        "memberId": package.member_id,
        "teamId": package.team_id,
        "folderId": package.folder_id,
        "shared": package.shared,
    }


def list_item(package: Package, api_version: str) -> Json:
    """One ``items[]`` entry of ``packages/list``, keys in the docs' order."""
    next_ids = next_revision_ids(package)
    return {
        **ownership(package),
        "timeCreated": format_time(package.created),
        "timeLastModified": format_time(package.modified),
        "timeSignBy": format_time(package.sign_by),
        "name": package.name,
        "category": package.category,
        "clientNumber": package.client_number,
        "matterNumber": package.matter_number,
        "description": package.description,
        "type": package.type,
        "state": reported_state(package, api_version),
        "externalData": package.external_data,
        "documents": [_list_document(d) for d in package.documents],
        "signers": [_list_signer(package, s, next_ids) for s in package.signers],
        "recipients": [recipient(r) for r in package.recipients],
        "isExecuted": package.is_executed(),
        "timeExecuted": time_or_none(package.time_executed()),
    }


def recipient(entry: Recipient) -> Json:
    return {
        "recipientId": entry.recipient_id,
        "firstName": entry.first_name,
        "lastName": entry.last_name,
        "email": entry.email,
        "type": entry.kind,
    }


def _list_document(document: Document) -> Json:
    return {
        "documentId": document.document_id,
        "externalId": document.external_id,
        "index": document.index,
        "name": document.name,
        "fileName": document.file_name,
        "isExecuted": document.is_executed(),
        "timeExecuted": time_or_none(document.time_executed()),
    }


def _list_signer(package: Package, signer: Signer, next_ids: set[str]) -> Json:
    revisions = package.signer_revisions(signer.signer_id)
    executed = bool(revisions) and all(r.signed_at is not None for r in revisions)
    return {
        "signerId": signer.signer_id,
        "index": signer.index,
        "firstName": signer.first_name,
        "lastName": signer.last_name,
        "email": signer.email,
        "role": signer.role,
        "type": signer.kind,
        "verify": signer.verify,
        "isVerified": False,
        "isNext": any(r.revision_id in next_ids for r in revisions),
        "isExecuted": executed,
        "timeExecuted": time_or_none(max(r.signed_at or 0 for r in revisions)) if executed else None,
    }
