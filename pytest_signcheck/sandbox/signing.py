"""Signing and declining: not in the vendor API, so only the sandbox control surface drives them.

Documented consequences: a document is executed when every signer signed it, a package when every
document is (4.0 reports ``executed``; 3.6 still ``open``); Sequential signers sign in order; a
decline rescinds the package; the events ``document_signed`` (``documentId``, ``revisionId``,
``signerId``, ``nextSignerId``, ``externalId``), ``document_executed`` (``documentId``, and
``externalId``: document events carry it), ``package_executed`` and ``package_decline``
(``signerId``, ``rescinded``, ``declineReason``, ``state``). Inferred: only an ``open`` package can
be signed or declined, only by a signer whose role is ``signer`` and state ``active``, and signing
out of Sequential order is refused (400s following ``{type}_invalid_{error}``); ``nextSignerId`` is
the lowest-order signer still to sign that document, or null; a ``declined_geolocation`` decline
(the docs' example) leaves the signer ``active`` and the package open; any other decline marks the
signer ``declined`` with the reason and message, and rescinds the package. An unknown signer or
document is a 404 ``signer_not_found``/``document_not_found``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import errors
from .model import Document, Json, Package, Revision, Signer, current_state, next_revision_ids
from .store import Store

GEOLOCATION = "declined_geolocation"


@dataclass(frozen=True)
class Outcome:
    """What a control action did: the package, when, and the events (action, extra fields) it fires."""

    package: Package
    time: int
    events: list[tuple[str, Json]]
    revisions: list[str]


def sign(store: Store, package_id: str, signer_id: str, document_id: str | None = None) -> Outcome:
    """The signer signs every revision they still have to sign (of one document, if given)."""
    package, signer = _signer(store, package_id, signer_id, "signed")
    mine = _to_sign(package, signer, document_id)
    now = store.tick()
    events: list[tuple[str, Json]] = []
    for revision in mine:
        revision.signed_at = now
        events += _revision_events(package, revision)
    package.modified = now
    if package.is_executed():
        events.append(("package_executed", {}))
    return Outcome(package, now, events, [r.revision_id for r in mine])


def _to_sign(package: Package, signer: Signer, document_id: str | None) -> list[Revision]:
    """The revisions the signer is to sign now; refuses what cannot be signed."""
    if signer.role != "signer":
        raise errors.invalid("signer", "role", "Only signers whose role is 'signer' sign documents.")
    if document_id is not None and not any(d.document_id == document_id for d in package.documents):
        raise errors.ApiError(404, "document_not_found", "The Document was not found in this Package.")
    mine = [
        r
        for r in package.signer_revisions(signer.signer_id)
        if r.signed_at is None and document_id in (None, r.document_id)
    ]
    if not mine:
        raise errors.invalid("signer", "state", "The signer has nothing left to sign here.")
    if mine[0].revision_id not in next_revision_ids(package):
        raise errors.invalid("signer", "order", "In a Sequential package only the next signer can sign.")
    return mine


def _revision_events(package: Package, revision: Revision) -> list[tuple[str, Json]]:
    """``document_signed``, and ``document_executed`` when the revision completes its document."""
    document = next(d for d in package.documents if d.document_id == revision.document_id)
    signed = {
        "documentId": document.document_id,
        "revisionId": revision.revision_id,
        "signerId": revision.signer_id,
        "nextSignerId": _next_signer(package, document),
        "externalId": document.external_id,
    }
    events: list[tuple[str, Json]] = [("document_signed", signed)]
    if document.is_executed():
        events.append(
            ("document_executed", {"documentId": document.document_id, "externalId": document.external_id})
        )
    return events


def decline(
    store: Store, package_id: str, signer_id: str, reason: str | None = None, message: str | None = None
) -> Outcome:
    """The signer declines: the package is rescinded (unless it is the geolocation decline)."""
    package, signer = _signer(store, package_id, signer_id, "declined")
    now = store.tick()
    rescinded = reason != GEOLOCATION
    if rescinded:
        signer.state, signer.declined_at = "declined", now
        signer.decline_reason, signer.decline_message = reason, message
        package.state, package.rescinded_at = "rescinded", now
    package.modified = now
    fields = {"signerId": signer_id, "rescinded": rescinded, "declineReason": reason, "state": signer.state}
    return Outcome(package, now, [("package_decline", fields)], [])


def _signer(store: Store, package_id: str, signer_id: str, verb: str) -> tuple[Package, Signer]:
    package = store.package(package_id)
    signer = package.signer(signer_id)
    if signer is None:
        raise errors.ApiError(404, "signer_not_found", "The Signer was not found in this Package.")
    if current_state(package) != "open":
        raise errors.invalid("package", "state", f"Only open packages can be {verb}.")
    if signer.state != "active":
        raise errors.invalid("signer", "state", f"A {signer.state} signer cannot act on the package.")
    return package, signer


def _next_signer(package: Package, document: Document) -> str | None:
    waiting = {r.signer_id for r in document.revisions if r.signed_at is None}
    order = sorted((s for s in package.signers if s.signer_id in waiting), key=lambda s: s.index)
    return order[0].signer_id if order else None
