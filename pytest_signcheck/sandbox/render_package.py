"""The full Package object (docs §6.1, documents §6.2, signers §6.3), as get, add and update return it.

Field names and order follow the reference tables. Signer links follow the sign-links guide (§5):
with ``generateSignerLinks`` each signer carries ``signLink``, a URL string, or, in a Video Signing
Room package, ``meetingLink`` instead (every participant, guests included: they join the meeting);
without it both are null. ``editLink`` is the edit link object when the request asked for one
(``generateEditLink``) and the package is embedded (``options.embedded``), else null.
Values the docs leave open are guesses (inferred): ``templateId``/``formId``/``reminderMessage``/
``timeReminder``/``timeDeleted`` are null, ``restrictedType`` is ``"none"``, ``locale`` ``"en-US"``,
``timeZone`` ``"UTC"``, ``version`` the API release, ``api`` is true when an API key created the
package, document ``fileType`` ``"pdf"``, ``meeting`` (VSR only) has ``type`` ``"video"`` and
``state`` ``"scheduled"``, absent optional texts are null; both edit-link conditions are needed
(the embed-editor guide; the sign-links guide names ``options.embedded`` alone).
"""

from __future__ import annotations

from .clock import format_time
from .model import (
    DOCUMENT_STATE,
    Document,
    Json,
    Link,
    Package,
    Signer,
    next_revision_ids,
    reported_state,
)
from .render import link_object, ownership, recipient, time_or_none


def package_object(package: Package, api_version: str, links: bool, edit_link: Link | None = None) -> Json:
    """The Package object; ``links``: whether signer links are shown."""
    revisions = list(package.revisions())
    return {
        **ownership(package),
        "meetingId": package.meeting.meeting_id if package.meeting else None,
        "templateId": None,
        "formId": None,
        "keyId": package.key_id,
        "name": package.name,
        "category": package.category,
        "clientNumber": package.client_number,
        "matterNumber": package.matter_number,
        "description": package.description,
        "message": package.message,
        "rescindMessage": package.rescind_message,
        "reminderMessage": None,
        "timeCreated": format_time(package.created),
        "timeReminder": None,
        "timeRetention": time_or_none(package.retention_until),
        "timeRescinded": time_or_none(package.rescinded_at),
        "timeDeleted": None,
        "timeSignBy": format_time(package.sign_by),
        "timeLastModified": format_time(package.modified),
        "options": {"embedded": package.embedded, "embed": package.embed},
        "hasSecurityPassphrase": False,
        "locale": "en-US",
        "timeZone": "UTC",
        "format": {"locale": "en-US"},
        "revisionsSigned": sum(r.signed_at is not None for r in revisions),
        "revisionsCount": len(revisions),
        "restrictedType": "none",
        "api": package.key_id is not None,
        "type": package.type,
        "state": reported_state(package, api_version),
        "externalData": package.external_data,
        "version": api_version,
        "meeting": _meeting(package),
        "documents": [_document(package, d) for d in package.documents],
        "signers": [_signer(package, s, links) for s in package.signers],
        "recipients": [recipient(r) | {"packageId": package.package_id} for r in package.recipients],
        "editLink": link_object(edit_link, package.package_id),
    }


def signer_urls(package: Package, signer: Signer, links: bool) -> tuple[str | None, str | None]:
    """The (signLink, meetingLink) URLs of a signer in the Package object."""
    if not links:
        return None, None
    if package.meeting is not None:
        return None, signer.meeting_link.url if signer.meeting_link else None
    return (signer.sign_link.url if signer.role == "signer" else None), None


def _meeting(package: Package) -> Json | None:
    if package.meeting is None:
        return None
    return {
        "meetingId": package.meeting.meeting_id,
        "organizationId": package.organization_id,
        "packageId": package.package_id,
        "timeStart": format_time(package.meeting.start),
        "duration": package.meeting.duration,
        "isPrivate": False,
        "type": "video",
        "state": "scheduled",
    }


def _document(package: Package, document: Document) -> Json:
    signed = [r.signed_at for r in document.revisions if r.signed_at is not None]
    return {
        "documentId": document.document_id,
        "packageId": package.package_id,
        "fileId": document.file_id,
        "name": document.name,
        "fileName": document.file_name,
        "fileType": "pdf",
        "description": None,
        "state": DOCUMENT_STATE,
        "autoTemplateId": None,
        "autoTemplateDocumentId": None,
        "externalId": document.external_id,
        "index": document.index,
        "fileSize": document.size,
        "numberPages": document.pages,
        "revisionsSigned": len(signed),
        "revisionsCount": len(document.revisions),
        "cacPages": 0,
        "timeUploaded": format_time(document.uploaded),
        "timeLastModified": format_time(max([document.uploaded, *signed])),
        "cac": False,
        "revisions": [
            {
                "documentId": r.document_id,
                "revisionId": r.revision_id,
                "revisionNumber": r.number,
                "revisionBeforeId": r.before_id,
                "timeLastOpened": time_or_none(r.signed_at),
                "signerId": r.signer_id,
                "isSigned": r.signed_at is not None,
                "timeSigned": time_or_none(r.signed_at),
                "address": None,
            }
            for r in document.revisions
        ],
    }


def _signer(package: Package, signer: Signer, links: bool) -> Json:
    revisions = package.signer_revisions(signer.signer_id)
    signed = [r.signed_at for r in revisions if r.signed_at is not None]
    sign_link, meeting_link = signer_urls(package, signer, links)
    next_ids = next_revision_ids(package)
    return {
        "signerId": signer.signer_id,
        "packageId": package.package_id,
        "memberId": None,
        "signerTag": None,
        "timeCreated": format_time(signer.created),
        "timeDeclined": time_or_none(signer.declined_at),
        "timeUpdated": format_time(max([signer.created, signer.declined_at or 0, *signed])),
        "index": signer.index,
        "locale": None,
        "signCac": False,
        "verify": signer.verify,
        "firstName": signer.first_name,
        "lastName": signer.last_name,
        "email": signer.email,
        "mobileNumberCountryCode": "1" if signer.mobile else None,
        "mobileNumberOriginal": signer.mobile,
        "mobileNumber": signer.mobile,
        "declineMessage": signer.decline_message,
        "declineReason": signer.decline_reason,
        "next": any(r.revision_id in next_ids for r in revisions),
        "revisionsSigned": len(signed),
        "revisionsCount": len(revisions),
        "role": signer.role,
        "type": signer.kind,
        "state": signer.state,
        "verification": None,
        "signLink": sign_link,
        "meetingLink": meeting_link,
    }
