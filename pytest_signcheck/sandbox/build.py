"""Assembling a package's signers, documents, revisions and links (shared by seeding and add).

Every package gets its links minted, whether or not it asked for them; whether they are *shown* is
decided when rendering (``generateSignerLinks``), which is what lets the ``links-leak`` drift leak them.
One revision per (document, signer with role ``signer``); a revision's link expires at the package's
sign-by time, as in the docs' status example. ``renew_links`` mints a package's links again (new
tokens), as ``packages/update`` does for a package with ``generateSignerLinks``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .clock import TICKS_PER_DAY
from .mint import Minter
from .model import Document, Link, Meeting, Package, Recipient, Revision, Signer

MEETING_LINK_TYPE = "package_meeting"
"""Inferred: the docs name no link type for VSR meeting links."""


@dataclass(frozen=True)
class StoredFile:
    """An uploaded (or seeded) file that documents refer to by ``fileId``."""

    file_id: str
    file_name: str
    external_id: str | None
    size: int
    pages: int
    uploaded: int


@dataclass(frozen=True)
class SignerSpec:
    first_name: str
    last_name: str
    email: str
    mobile: str | None = None
    role: str = "signer"


@dataclass(frozen=True)
class DocumentSpec:
    file: StoredFile
    name: str
    file_name: str
    external_id: str | None = None
    template_data: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecipientSpec:
    first_name: str
    last_name: str
    email: str
    kind: str = "cc"


def populate(
    minter: Minter,
    package: Package,
    signers: Sequence[SignerSpec],
    documents: Sequence[DocumentSpec],
    recipients: Sequence[RecipientSpec] = (),
) -> None:
    """Give ``package`` its meeting (VSR only), signers, documents with revisions, and recipients."""
    add_signers(minter, package, signers)
    add_documents(minter, package, documents)
    add_recipients(minter, package, recipients)


def add_signers(minter: Minter, package: Package, specs: Sequence[SignerSpec]) -> None:
    """Signers in order (and the meeting of a Video Signing Room package); call before documents."""
    package.meeting = None
    if package.type == "video_closing_room":
        package.meeting = Meeting(minter.guid(), start=package.sign_by - 7 * TICKS_PER_DAY)
    package.signers = [_signer(minter, package, index, spec) for index, spec in enumerate(specs)]


def add_documents(minter: Minter, package: Package, specs: Sequence[DocumentSpec]) -> None:
    """Documents in order, each with one revision per signer whose role is ``signer``."""
    package.documents = [_document(minter, package, index, spec) for index, spec in enumerate(specs)]


def add_recipients(minter: Minter, package: Package, specs: Sequence[RecipientSpec]) -> None:
    package.recipients = [
        Recipient(minter.guid(), spec.first_name, spec.last_name, spec.email, spec.kind) for spec in specs
    ]


def renew_links(minter: Minter, package: Package) -> None:
    """New links (new tokens) for every signer and revision of ``package``."""
    for signer in package.signers:
        signer.sign_link, signer.meeting_link = _signer_links(minter, package)
    for document in package.documents:
        for revision in document.revisions:
            revision.link = minter.link("document", document.name, package.sign_by)


def specs_of(package: Package) -> tuple[list[SignerSpec], list[RecipientSpec]]:
    """The specs that would build ``package``'s signers and recipients again."""
    signers = [SignerSpec(s.first_name, s.last_name, s.email, s.mobile, s.role) for s in package.signers]
    recipients = [RecipientSpec(r.first_name, r.last_name, r.email, r.kind) for r in package.recipients]
    return signers, recipients


def _signer_links(minter: Minter, package: Package) -> tuple[Link, Link | None]:
    sign_link = minter.link("package_sign", package.name, package.sign_by)
    meeting_link: Link | None = None
    if package.meeting is not None:
        meeting_link = minter.link(MEETING_LINK_TYPE, package.name, package.sign_by)
    return sign_link, meeting_link


def _signer(minter: Minter, package: Package, index: int, spec: SignerSpec) -> Signer:
    signer_id = minter.guid()
    sign_link, meeting_link = _signer_links(minter, package)
    return Signer(
        signer_id=signer_id,
        index=index,
        first_name=spec.first_name,
        last_name=spec.last_name,
        email=spec.email,
        mobile=spec.mobile,
        role=spec.role,
        kind="signer",
        verify=False,
        created=package.created,
        sign_link=sign_link,
        meeting_link=meeting_link,
    )


def _document(minter: Minter, package: Package, index: int, spec: DocumentSpec) -> Document:
    document = Document(
        document_id=minter.guid(),
        file_id=spec.file.file_id,
        external_id=spec.external_id if spec.external_id is not None else spec.file.external_id,
        name=spec.name,
        file_name=spec.file_name,
        index=index,
        size=spec.file.size,
        pages=spec.file.pages,
        uploaded=spec.file.uploaded,
        template_data=dict(spec.template_data),
    )
    before: str | None = None
    for number, signer in enumerate((s for s in package.signers if s.role == "signer"), start=1):
        link = minter.link("document", document.name, package.sign_by)
        revision = Revision(minter.guid(), document.document_id, signer.signer_id, number, before, link)
        document.revisions.append(revision)
        before = revision.revision_id
    return document
