"""The sandbox's package model and the rules the docs state about it.

Rules (documented unless marked):
- a document is executed when all its revisions are signed; a package when all its documents are
  (a document with no revisions, or a package with no documents, is *not* executed: inferred);
- Sequential: only the lowest-order signer who still has unsigned revisions is next; every other
  type: every unsigned revision is next (whatever the package state: inferred);
- 4.0: an open package that is fully signed is ``executed``; one past its sign-by date is ``expired``;
  3.6 reports both as ``open``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .clock import NOW

TYPES = ("concurrent", "Sequential", "Counterpart", "video_closing_room", "Live Session")
"""The package type constants, exactly as documented (case-sensitive, one with a space)."""

STATES = ("draft", "open", "executed", "expired", "rescinded", "select", "add")
"""Every documented package state (4.0)."""

ADD_STATES = ("open", "draft", "add", "select")
"""The states packages/add accepts."""

SENDABLE_STATES = ("draft", "add", "select")
"""The states packages/send moves to ``open``: a package in any other state has been sent."""

DOCUMENT_STATE = "active"
"""Every document's ``state`` (inferred: the docs give the field, not its values)."""

Json = dict[str, Any]


@dataclass(frozen=True)
class Organisation:
    """The one organisation; the API key belongs to ``owner_id`` (an organisation key: inferred)."""

    organization_id: str
    owner_id: str
    key_id: str
    members: tuple[str, ...]
    teams: Mapping[str, frozenset[str]]
    folders: tuple[str, ...]


@dataclass
class Link:
    """A link that lets a signer act without logging in; ``url`` ends with ``/link/<token>``."""

    token: str
    url: str
    kind: str
    name: str
    expires: int


@dataclass
class Revision:
    """One signer's copy of one document."""

    revision_id: str
    document_id: str
    signer_id: str
    number: int
    before_id: str | None
    link: Link
    signed_at: int | None = None


@dataclass
class Document:
    document_id: str
    file_id: str
    external_id: str | None
    name: str
    file_name: str
    index: int
    size: int
    pages: int
    uploaded: int
    revisions: list[Revision] = field(default_factory=list)
    template_data: dict[str, str] = field(default_factory=dict)

    def is_executed(self) -> bool:
        return bool(self.revisions) and all(r.signed_at is not None for r in self.revisions)

    def time_executed(self) -> int | None:
        return max(r.signed_at or 0 for r in self.revisions) if self.is_executed() else None


@dataclass
class Signer:
    signer_id: str
    index: int
    first_name: str
    last_name: str
    email: str
    mobile: str | None
    role: str
    kind: str
    verify: bool
    created: int
    sign_link: Link
    meeting_link: Link | None = None
    state: str = "active"
    declined_at: int | None = None
    decline_reason: str | None = None
    decline_message: str | None = None


@dataclass
class Recipient:
    recipient_id: str
    first_name: str
    last_name: str
    email: str
    kind: str


@dataclass
class Meeting:
    """The scheduled video meeting of a Video Signing Room package."""

    meeting_id: str
    start: int
    duration: str = "01:00:00"


@dataclass
class Package:
    package_id: str
    organization_id: str
    member_id: str
    name: str
    type: str
    state: str
    created: int
    sign_by: int
    team_id: str | None = None
    folder_id: str | None = None
    key_id: str | None = None
    shared: bool = False
    generate_signer_links: bool = False
    embedded: bool = False
    embed: Json = field(default_factory=dict)
    external_data: Json | None = None
    category: str | None = None
    client_number: str | None = None
    matter_number: str | None = None
    description: str | None = None
    message: str | None = None
    rescind_message: str | None = None
    rescinded_at: int | None = None
    retention_until: int | None = None
    modified: int = 0
    meeting: Meeting | None = None
    documents: list[Document] = field(default_factory=list)
    signers: list[Signer] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)

    def revisions(self) -> Iterator[Revision]:
        for document in self.documents:
            yield from document.revisions

    def is_executed(self) -> bool:
        return bool(self.documents) and all(d.is_executed() for d in self.documents)

    def time_executed(self) -> int | None:
        return max(d.time_executed() or 0 for d in self.documents) if self.is_executed() else None

    def signer_revisions(self, signer_id: str) -> list[Revision]:
        return [r for r in self.revisions() if r.signer_id == signer_id]

    def signer(self, signer_id: str) -> Signer | None:
        return next((s for s in self.signers if s.signer_id == signer_id), None)

    def is_sent(self) -> bool:
        """Whether packages/send (or an add or update in ``open``) has happened: it cannot be undone."""
        return self.state not in SENDABLE_STATES


def current_state(package: Package) -> str:
    """The 4.0 state: stored ``open`` becomes ``executed`` or ``expired`` when the facts say so."""
    if package.state != "open":
        return package.state
    if package.is_executed():
        return "executed"
    return "expired" if package.sign_by < NOW else "open"


def reported_state(package: Package, api_version: str) -> str:
    """The state a given release reports: 3.6 folds executed and expired into ``open``."""
    state = current_state(package)
    if api_version == "3.6" and state in ("executed", "expired"):
        return "open"
    return state


def next_revision_ids(package: Package) -> set[str]:
    """The revisions whose signer is next (the docs' ``isNext``)."""
    unsigned = [r for r in package.revisions() if r.signed_at is None]
    if package.type != "Sequential":
        return {r.revision_id for r in unsigned}
    waiting = {r.signer_id for r in unsigned}
    for signer in sorted(package.signers, key=lambda s: s.index):
        if signer.signer_id in waiting:
            return {r.revision_id for r in unsigned if r.signer_id == signer.signer_id}
    return set()
