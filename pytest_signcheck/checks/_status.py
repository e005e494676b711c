"""A status response as rows (`_rows`): its documents, revisions, signers and links, read once into
columns, and how they refer to each other (which document a revision is in, which revision a link
names), for `integrity` and `signer-links`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import itemgetter
from typing import Any, NamedTuple

from pytest_signcheck.checks._rows import NO_ROW, Column, Reader, Rows, below, gather, top

__all__ = [
    "Document",
    "Link",
    "PackageLink",
    "Revision",
    "Signer",
    "StatusTable",
    "Targets",
    "package_links",
    "status_table",
]

# The column sets of each kind of object. Each column is named exactly as the JSON field it holds, so
# no mapping between the two can drift; the usual fields come first (see `Reader`).


class Document(NamedTuple):
    packageId: Column
    documentId: Column
    isExecuted: Column
    revisions: Column


class Revision(NamedTuple):
    packageId: Column
    documentId: Column
    revisionId: Column
    signerId: Column
    isNext: Column
    isSigned: Column
    link: Column  # only with generateSignerLinks


class Signer(NamedTuple):
    signerId: Column
    order: Column
    links: Column  # the last three only with generateSignerLinks (meetingLink: only for video rooms)
    signLink: Column
    meetingLink: Column


class Link(NamedTuple):
    """A signer's link to one revision (``signers[].links[]``)."""

    packageId: Column
    documentId: Column
    revisionId: Column
    isNext: Column
    isSigned: Column
    token: Column
    link: Column
    timeExpires: Column


class PackageLink(NamedTuple):
    """A signer's `signLink` or `meetingLink` (the docs show no `isSigned` on them)."""

    token: Column
    link: Column
    timeExpires: Column
    isSigned: Column


_DOCUMENTS = Reader(Document, 4)
_REVISIONS = Reader(Revision, 6)
_SIGNERS = Reader(Signer, 2)
_LINKS = Reader(Link, 8)
_PACKAGE_LINKS = Reader(PackageLink, 3, rare=True)


def package_links(signers: Rows[Signer]) -> tuple[list[tuple[int, str]], PackageLink]:
    """Every `signLink`, then every `meetingLink` object: (signer row, field) of each, and their columns."""
    places: list[tuple[int, str]] = []
    objects: list[Any] = []
    for key in ("signLink", "meetingLink"):
        column = getattr(signers.columns, key)
        chosen = tuple(map(isinstance, column, repeat(dict)))
        places += zip(compress(range(len(column)), chosen), repeat(key))
        objects += compress(column, chosen)
    return places, _PACKAGE_LINKS(objects)[2]


def _strings(column: Column) -> bool:
    return set(map(type, column)) <= {str}


@dataclass(frozen=True, slots=True)
class Targets:
    """Which revision each signer link names by its `revisionId`.

    `rows[n]`: the row of the revision link n names (the last one with that id), or `NO_ROW`;
    `read(column)` reads a revision column at those rows (None at `NO_ROW`). `one_to_one`: every
    link names a revision, and every revision is named by exactly one link.
    """

    rows: tuple[int, ...]
    read: Callable[[Column], Column]
    one_to_one: bool


def _distinct_strings(column: Column) -> bool:
    """Whether every value of `column` is a string, and no two are equal."""
    return _strings(column) and len(set(column)) == len(column)


def _targets(revisions: Rows[Revision], links: Rows[Link], unique: bool) -> Targets:
    """Looked up by id, unless the usual layout (`_grid_targets`) is confirmed by the ids themselves:
    revision ids that are distinct strings (`unique`), at the rows the layout says, are what a lookup
    finds."""
    ids, named = revisions.columns.revisionId, links.columns.revisionId
    shape = revisions.shape()
    if unique and shape is not None and links.shape() == shape[::-1]:
        grid = _grid_targets(*shape)
        if grid.read(ids) == named:
            return grid
    row_of = dict(zip(ids, range(len(ids)), strict=True)) if unique else _row_of(ids)
    try:  # a value that is not a string finds no row: the keys are strings
        rows = tuple(map(row_of.get, named, repeat(NO_ROW)))
    except TypeError:  # an unhashable value
        rows = tuple(row_of.get(value, NO_ROW) if isinstance(value, str) else NO_ROW for value in named)
    named_once = NO_ROW not in rows and len(set(rows)) == len(rows) == len(revisions)
    return Targets(rows, _gatherer(rows), named_once)


@lru_cache(maxsize=64)
def _grid_targets(documents: int, signers: int) -> Targets:
    """The usual layout: each of `documents` documents has one revision per signer, in signer order,
    and each of `signers` signers one link per document, in document order."""
    rows = tuple(document * signers + signer for signer in range(signers) for document in range(documents))
    return Targets(rows, _gatherer(rows), True)


def _row_of(column: Column) -> dict[str, int]:
    """The row of each string value of `column` (of its last row, for a repeated one)."""
    if _strings(column):
        return dict(zip(column, range(len(column)), strict=True))
    return {value: row for row, value in enumerate(column) if isinstance(value, str)}


def _gatherer(rows: tuple[int, ...]) -> Callable[[Column], Column]:
    """`gather` at `rows`, with one `itemgetter` for every column read at those rows."""
    if len(rows) < 2:
        return lambda column: gather(column, rows)
    pick = itemgetter(*rows)
    if NO_ROW in rows:
        return lambda column: tuple(pick((*column, None)))
    return lambda column: tuple(pick(column))


@dataclass(frozen=True, slots=True)
class StatusTable:
    """One status response as rows and columns, and how its parts refer to each other.

    `readable`: `documents` is a list, so a revision id found nowhere is really unknown.
    `revision_home`: per revision, the id of the document it is in. `link_owner`: per link, the id of
    the signer it is listed under. `targets`: the revision each link names. `signer_row`: each signer
    id's (last) row. `revision_ids_unique`: every revision id is a string, none repeated.
    `signed_known`: every revision's isSigned is a boolean. `own_links`: the usual
    linking, where every revision is named by exactly one link, listed under the revision's own signer
    (so every revision's signer id is a signer's, and every link points at its own signer's revision).
    """

    package_id: Any
    readable: bool
    documents: Rows[Document]
    revisions: Rows[Revision]
    signers: Rows[Signer]
    links: Rows[Link]
    revision_home: Column
    link_owner: Column
    targets: Targets
    signer_row: dict[str, int]
    revision_ids_unique: bool
    signed_known: bool
    own_links: bool


def status_table(body: Any) -> StatusTable:
    """The table of a status body (an empty one for a body that is not an object)."""
    body = body if isinstance(body, dict) else {}
    documents = top(_DOCUMENTS, body.get("documents"), "/documents")
    revisions = below(_REVISIONS, documents, documents.columns.revisions, "/revisions")
    signers = top(_SIGNERS, body.get("signers"), "/signers")
    links = below(_LINKS, signers, signers.columns.links, "/links")
    unique = _distinct_strings(revisions.columns.revisionId)
    owners, targets = links.spread(signers.columns.signerId), _targets(revisions, links, unique)
    return StatusTable(
        body.get("packageId"),
        isinstance(body.get("documents"), list),
        documents,
        revisions,
        signers,
        links,
        revisions.spread(documents.columns.documentId),
        owners,
        targets,
        _row_of(signers.columns.signerId),
        unique,
        set(map(type, revisions.columns.isSigned)) <= {bool},
        targets.one_to_one and owners == targets.read(revisions.columns.signerId),
    )
