"""One pass over a status response, shared by `signer-links` and `integrity`.

Only what can be interpreted is indexed: a document that is not an object, or a revision list that is
not a list, is skipped here (the `schema` check reports it). Nothing is copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pytest_signcheck.checks._base import CheckContext

__all__ = ["Revision", "StatusIndex", "status_index"]

#: (document index, revision index, the revision object)
Revision = tuple[int, int, dict[str, Any]]


@dataclass(slots=True)
class StatusIndex:
    """Documents, revisions and signers of one status, by position and by id."""

    package_id: Any = None
    readable: bool = False  # `documents` is a list, so an id missing from revision_by_id is really absent
    documents: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    signers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    revision_by_id: dict[str, Revision] = field(default_factory=dict)
    signer_by_id: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (pointer, kind)


def status_index(ctx: CheckContext) -> StatusIndex:
    """The index of `ctx.body`, built once per exchange."""
    index = ctx.cache.get("status-index")
    if index is None:
        index = ctx.cache["status-index"] = _build(ctx.body)
    assert isinstance(index, StatusIndex)
    return index


def _build(body: Any) -> StatusIndex:
    index = StatusIndex()
    if not isinstance(body, dict):
        return index
    index.package_id = body.get("packageId")
    documents = body.get("documents")
    if isinstance(documents, list):
        index.readable = True
        _documents(index, documents)
    signers = body.get("signers")
    if isinstance(signers, list):
        _signers(index, signers)
    return index


def _documents(index: StatusIndex, documents: list[Any]) -> None:
    seen_documents: set[str] = set()
    by_id = index.revision_by_id
    for i, document in enumerate(documents):
        if not isinstance(document, dict):
            continue
        index.documents.append((i, document))
        document_id = document.get("documentId")
        if isinstance(document_id, str):
            if document_id in seen_documents:
                index.duplicates.append((f"/documents/{i}/documentId", "document"))
            seen_documents.add(document_id)
        revisions = document.get("revisions")
        if not isinstance(revisions, list):
            continue
        for j, revision in enumerate(revisions):
            if isinstance(revision, dict):
                entry = (i, j, revision)
                index.revisions.append(entry)
                revision_id = revision.get("revisionId")
                if isinstance(revision_id, str):
                    if revision_id in by_id:
                        index.duplicates.append((f"/documents/{i}/revisions/{j}/revisionId", "revision"))
                    by_id[revision_id] = entry


def _signers(index: StatusIndex, signers: list[Any]) -> None:
    by_id = index.signer_by_id
    for k, signer in enumerate(signers):
        if not isinstance(signer, dict):
            continue
        index.signers.append((k, signer))
        signer_id = signer.get("signerId")
        if isinstance(signer_id, str):
            if signer_id in by_id:
                index.duplicates.append((f"/signers/{k}/signerId", "signer"))
            by_id[signer_id] = (k, signer)
