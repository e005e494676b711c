"""The organisation's templates (§4.12): seeded, deterministic, and rendered as ``templates/list`` shows them.

Template ``i`` has package type ``TYPES[i % 5]``; every fourth is an ``auto_template`` (the one
``types`` value the docs show), the rest ``template``; every third is shared; every fifth has never
been used. Seeded from their own stream (``templates/<seed>``), so adding templates never changes
the packages of a seed. People are fake, with ``example.com``/``example.org`` addresses only.
Inferred: the ``template`` type name, ``state`` ``"active"``, recipient ``type`` ``"cc"``, signer
``role`` and ``type`` ``"signer"``, a collection code per template (the docs have the
``collectionCode`` filter but no such field on the item), and every value below.
"""

from __future__ import annotations

from dataclasses import dataclass

from .clock import NOW, TICKS_PER_DAY, format_time
from .mint import Minter
from .model import TYPES, Json, Organisation

NAMES = (
    "Mortgage application",
    "Mutual non-disclosure agreement",
    "Offer letter – Montréal",
    "Lease renewal",
    "Consent to share records",
    "Vendor onboarding",
    "Power of attorney",
    "Procès-verbal du conseil",
)
ROLES = ("Borrower", "Lender", "Witness", "Employee", "Tenant", "Landlord")
PEOPLE = (("Avery", "Example"), ("Jordan", "Sample"), ("Noor", "Placeholder"), ("Kai", "Testperson"))
COLLECTIONS = ("lending", "hr", "real-estate")


@dataclass(frozen=True)
class TemplateDocument:
    document_id: str
    code: str
    index: int
    name: str
    file_name: str


@dataclass(frozen=True)
class TemplatePerson:
    """A signer or recipient slot, filled through its ``templateRole``."""

    person_id: str
    index: int
    first_name: str
    last_name: str
    email: str
    template_role: str
    kind: str


@dataclass(frozen=True)
class Template:
    template_id: str
    code: str
    organization_id: str
    member_id: str
    team_id: str | None
    folder_id: str | None
    shared: bool
    created: int
    updated: int
    last_used: int | None
    name: str
    description: str
    package_type: str
    kind: str
    collection: str
    documents: tuple[TemplateDocument, ...]
    signers: tuple[TemplatePerson, ...]
    recipients: tuple[TemplatePerson, ...]


def seed_templates(seed: int, count: int, owners: Organisation) -> list[Template]:
    minter = Minter(f"templates/{seed}")
    return [_template(minter, index, count, owners) for index in range(count)]


def _template(minter: Minter, index: int, count: int, owners: Organisation) -> Template:
    member = owners.owner_id if index % 3 != 2 else owners.members[1 + index % 2]
    teams = [team for team, members in owners.teams.items() if member in members]
    created = NOW - (count - index) * 5 * TICKS_PER_DAY - minter.random.randrange(TICKS_PER_DAY)
    updated = created + (index % 4) * TICKS_PER_DAY
    template_id, package_type = minter.guid(), TYPES[index % len(TYPES)]
    return Template(
        template_id=template_id,
        code=f"TPL-{index + 1:04d}",
        organization_id=owners.organization_id,
        member_id=member,
        team_id=teams[0] if teams and index % 2 == 0 else None,
        folder_id=owners.folders[index % 3] if index % 4 != 3 else None,
        shared=index % 3 == 0,
        created=created,
        updated=updated,
        last_used=None if index % 5 == 4 else NOW - (NOW - updated) * ((index * 37) % 100) // 100,
        name=f"{NAMES[index % len(NAMES)]} T{index + 1:03d}",
        description=f"Seeded template {index + 1} of the signcheck reference sandbox.",
        package_type=package_type,
        kind="auto_template" if index % 4 == 3 else "template",
        collection=COLLECTIONS[index % len(COLLECTIONS)],
        documents=tuple(_document(minter, index, n) for n in range(1 + index % 2)),
        signers=tuple(_person(minter, index, n, "signer") for n in range(_signer_count(index, package_type))),
        recipients=(_recipient(minter, index),) if index % 4 == 1 else (),
    )


def _signer_count(index: int, package_type: str) -> int:
    return 2 if package_type in ("Sequential", "video_closing_room") else 1 + index % 3


def _document(minter: Minter, index: int, number: int) -> TemplateDocument:
    name = ("Agreement", "Schedule A")[number]
    return TemplateDocument(
        minter.guid(), f"D{index + 1:03d}-{number + 1}", number, name, f"{name.lower().replace(' ', '-')}.pdf"
    )


def _person(minter: Minter, index: int, number: int, kind: str) -> TemplatePerson:
    first, last = PEOPLE[(index + number) % len(PEOPLE)]
    domain = "example.com" if (index + number) % 2 == 0 else "example.org"
    email = f"{first}.{last}.t{index}{number}@{domain}".lower()
    role = ROLES[(index + number) % len(ROLES)]
    return TemplatePerson(minter.guid(), number, first, last, email, role, kind)


def _recipient(minter: Minter, index: int) -> TemplatePerson:
    email = f"records.office.t{index}@example.org"
    return TemplatePerson(minter.guid(), 0, "Records", "Office", email, "Records", "cc")


def template_item(template: Template) -> Json:
    """One ``items[]`` entry of ``templates/list``, keys in the docs' order."""
    return {
        "organizationId": template.organization_id,
        "templateId": template.template_id,
        "templateCode": template.code,
        "memberId": template.member_id,
        "teamId": template.team_id,
        "folderId": template.folder_id,
        "shared": template.shared,
        "timeCreated": format_time(template.created),
        "timeUpdated": format_time(template.updated),
        "timeLastUsed": None if template.last_used is None else format_time(template.last_used),
        "name": template.name,
        "description": template.description,
        "packageType": template.package_type,
        "type": template.kind,
        "state": "active",
        "documents": [
            {
                "documentId": d.document_id,
                "documentCode": d.code,
                "index": d.index,
                "name": d.name,
                "fileName": d.file_name,
            }
            for d in template.documents
        ],
        "signers": [_signer(s) for s in template.signers],
        "recipients": [_recipient_item(r) for r in template.recipients],
    }


def _signer(person: TemplatePerson) -> Json:
    return {
        "signerId": person.person_id,
        "index": person.index,
        "firstName": person.first_name,
        "lastName": person.last_name,
        "email": person.email,
        "role": "signer",
        "templateRole": person.template_role,
        "type": person.kind,
    }


def _recipient_item(person: TemplatePerson) -> Json:
    return {
        "recipientId": person.person_id,
        "firstName": person.first_name,
        "lastName": person.last_name,
        "email": person.email,
        "templateRole": person.template_role,
        "type": person.kind,
    }
