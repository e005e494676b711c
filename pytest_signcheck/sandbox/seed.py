"""Seeding the organisation: deterministic from the seed, relative to the fixed ``NOW``.

Package ``i`` has state ``STATES[i % 7]`` and type ``TYPES[i % 5]``, so any 35 consecutive packages
cover every (state, type) pair; the first 35 belong to the key's member (the default list scope),
later ones are shared with two colleagues. Executed packages have every revision signed and are under
a retention policy; open, expired and rescinded ones are partly signed (Sequential strictly in
order); every other package has links shown (``generateSignerLinks``). Names are obviously fake;
addresses are only ``example.com``/``example.org``; phone numbers are 555-01xx.
"""

from __future__ import annotations

import random
import re
import unicodedata

from .build import (
    DocumentSpec,
    RecipientSpec,
    SignerSpec,
    StoredFile,
    add_documents,
    add_recipients,
    add_signers,
)
from .clock import NOW, TICKS_PER_DAY
from .mint import Minter
from .model import STATES, TYPES, Organisation, Package
from .store import Store
from .templates import seed_templates

TICKS_PER_HOUR = TICKS_PER_DAY // 24
FIRST_NAMES = ("Alice", "Bruno", "Chloé", "Dmitri", "Émilie", "Farid", "Greta", "Hiroshi", "Ingrid", "Zoë")
LAST_NAMES = ("Example", "Placeholder", "Testperson", "Fakename", "Sample", "Dummy", "Mockington")
PACKAGE_NAMES = (
    "Loan agreement",
    "Contrat de prêt – Ünïcødé",
    "Mietvertrag Büro Zürich",
    "Non-disclosure agreement",
    "Share purchase agreement",
    "Employment offer letter",
    "Договор аренды",
    "賃貸契約書",
    "Consent form – Ærøskøbing",
    "Board resolution",
)
DOCUMENT_NAMES = ("Agreement", "Schedule A", "Annexe – Conditions générales")
CATEGORIES = (None, "Lending", "Real estate", "HR", "Corporate")
SEVEN_YEARS = 7 * 365 * TICKS_PER_DAY


def seed_store(seed: int, count: int, templates: int = 0) -> Store:
    """A store holding ``count`` packages and ``templates`` templates, the same for the same seed."""
    minter = Minter(seed)
    store = Store(minter, _organisation(minter))
    for index in range(count):
        store.put(_package(store, index, count))
    store.templates = seed_templates(seed, templates, store.organisation)
    return store


def _organisation(minter: Minter) -> Organisation:
    organization_id, owner, colleague, other = (minter.guid() for _ in range(4))
    team_a, team_b = minter.guid(), minter.guid()
    return Organisation(
        organization_id=organization_id,
        owner_id=owner,
        key_id=minter.guid(),
        members=(owner, colleague, other),
        teams={team_a: frozenset({owner, colleague}), team_b: frozenset({other})},
        folders=(minter.guid(), minter.guid(), minter.guid()),
    )


def _package(store: Store, index: int, count: int) -> Package:
    state, rng, org = STATES[index % len(STATES)], store.minter.random, store.organisation
    created = NOW - (count - index) * TICKS_PER_DAY - rng.randrange(TICKS_PER_DAY // 2)
    member = org.owner_id if index < 35 or index % 3 else org.members[1 + index % 2]
    teams = [team for team, members in org.teams.items() if member in members]
    package = Package(
        package_id=store.minter.guid(),
        organization_id=org.organization_id,
        member_id=member,
        name=f"{PACKAGE_NAMES[index % len(PACKAGE_NAMES)]} {index + 1:03d}",
        type=TYPES[index % len(TYPES)],
        state=state if state not in ("executed", "expired") else "open",
        created=created,
        sign_by=_sign_by(state, index, created),
        team_id=teams[0] if teams and (index // 2) % 3 != 2 else None,
        folder_id=org.folders[index % 4] if index % 4 < len(org.folders) else None,
        key_id=org.key_id if index % 3 else None,
        shared=index % 4 == 0,
        generate_signer_links=index % 2 == 0,
        external_data={"seedIndex": index, "source": "signcheck-sandbox"} if index % 3 == 0 else None,
        category=CATEGORIES[index % len(CATEGORIES)],
        client_number=f"C-{1000 + index}" if index % 2 else None,
        matter_number=f"M-2025-{index:03d}" if index % 3 != 2 else None,
        description=f"Seeded package {index + 1} of the signcheck reference sandbox."
        if index % 2 == 0
        else None,
        message="Please review and sign." if index % 3 == 1 else None,
        modified=created,
    )
    empty = state in ("add", "select") and index % 3 == 0
    add_signers(store.minter, package, [] if empty else _signers(rng, package.type, index))
    add_documents(store.minter, package, [] if empty else _documents(store, package, 1 + index % 3))
    add_recipients(store.minter, package, [_recipient(index)] if index % 4 == 1 else [])
    _sign(package, state, rng)
    _finish(package, state)
    return package


def _sign_by(state: str, index: int, created: int) -> int:
    """Open: 1 to 21 days ahead (some within a week); expired: half-way between creation and now."""
    if state == "open":
        return NOW + (1 + (index // 7) % 5 * 5) * TICKS_PER_DAY + index * TICKS_PER_HOUR
    if state == "expired":
        return created + (NOW - created) // 2
    if state in ("executed", "rescinded"):
        return created + 30 * TICKS_PER_DAY
    return NOW + (10 + index) * TICKS_PER_DAY


def _signers(rng: random.Random, package_type: str, index: int) -> list[SignerSpec]:
    count = {"Sequential": 2 + index % 3, "video_closing_room": 2, "Live Session": 2}.get(
        package_type, 1 + index % 3
    )
    specs = [_person(rng, index, number) for number in range(count)]
    if package_type == "video_closing_room":
        guest = _person(rng, index, count)
        specs.append(SignerSpec(guest.first_name, guest.last_name, guest.email, guest.mobile, role="guest"))
    return specs


def _person(rng: random.Random, index: int, number: int) -> SignerSpec:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    domain = "example.com" if (index + number) % 2 == 0 else "example.org"
    email = f"{_ascii(first)}.{_ascii(last)}.{index}{number}@{domain}".lower()
    mobile = f"+1555555{100 + (index * 7 + number) % 100:04d}" if number % 2 == 0 else None
    return SignerSpec(first, last, email, mobile)


def _recipient(index: int) -> RecipientSpec:
    return RecipientSpec("Carbon", "Copyperson", f"carbon.copyperson.{index}@example.org")


def _documents(store: Store, package: Package, count: int) -> list[DocumentSpec]:
    specs = []
    for number in range(count):
        name = DOCUMENT_NAMES[number % len(DOCUMENT_NAMES)]
        file_name = re.sub(r"[^a-z0-9]+", "-", _ascii(name).lower()) + ".pdf"
        size, pages = 20_000 + 1_000 * number, 1 + number
        stored = StoredFile(store.minter.guid(), file_name, None, size, pages, package.created)
        store.files[stored.file_id] = stored
        external = (
            f"ext-{package.name[-3:]}-{number}" if number == 0 and package.type != "Counterpart" else None
        )
        specs.append(DocumentSpec(stored, name, file_name, external))
    return specs


def _sign(package: Package, state: str, rng: random.Random) -> None:
    """Executed: everything signed. Open, expired, rescinded: some signed, never all."""
    revisions = list(package.revisions())
    if state == "executed":
        chosen = revisions
    elif state not in ("open", "expired", "rescinded") or not revisions:
        return
    elif package.type == "Sequential":
        signing = [s.signer_id for s in package.signers if s.role == "signer"]
        done = set(signing[: rng.randrange(len(signing))])
        chosen = [r for r in revisions if r.signer_id in done]
    else:
        chosen = [r for r in revisions if rng.random() < 0.5][: len(revisions) - 1]
    order = {s.signer_id: s.index for s in package.signers}
    for step, revision in enumerate(sorted(chosen, key=lambda r: order[r.signer_id]), start=1):
        revision.signed_at = package.created + step * TICKS_PER_HOUR


def _finish(package: Package, state: str) -> None:
    """Times that follow from the state: rescinded, retention, last modified."""
    if state == "rescinded":
        package.rescinded_at = package.created + 2 * TICKS_PER_DAY
        package.rescind_message = "Rescinded: the terms changed before signing finished."
    if state == "executed":
        package.retention_until = NOW + SEVEN_YEARS
    signed = [r.signed_at for r in package.revisions() if r.signed_at is not None]
    package.modified = max([package.created, package.rescinded_at or 0, *signed])


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
