"""``packages/update``: the add fields again, applied to an existing package.

Documented (§4.3, §5): ``packageId`` is required and the answer has add's shape; a package added
with ``generateSignerLinks`` gets *new* signer links (new tokens) on every update unless that
update sets ``generateSignerLinks: false``; an update without ``state: "add"`` moves an ``add``
package to ``draft``; a sent package never goes back to ``add``; ``documents[].templateData`` may
be given here too. Inferred: a field left out keeps its value; the refusals are 400
``package_invalid_state`` (an executed, expired or rescinded package; a sent package asked to go
back to ``add``, ``draft`` or ``select``; new signers, documents, recipients or type once anyone
has signed); ``signers``, ``documents`` and ``recipients`` replace the lists they name (new ids),
and new signers or a new type rebuild the documents' revisions; an update to ``open`` needs
documents and signers, refused with add's codes; ``generateSignerLinks: true`` on an update turns
links on for the package from then on, ``false`` leaves them out of that one answer only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import errors
from .build import (
    DocumentSpec,
    RecipientSpec,
    SignerSpec,
    StoredFile,
    add_documents,
    add_recipients,
    populate,
    renew_links,
    specs_of,
)
from .effects import UpdateFlags
from .intake import (
    EXTRA_TEXTS,
    Options,
    check_contents,
    documents_of,
    external_data_of,
    flag,
    options_of,
    package_id,
    package_type_of,
    recipients_of,
    sign_by_of,
    signers_of,
    state_of,
    text,
)
from .model import Json, Package, current_state
from .store import Store

FINAL_STATES = ("executed", "expired", "rescinded")
_ATTRIBUTES = {
    "category": "category",
    "clientNumber": "client_number",
    "matterNumber": "matter_number",
    "description": "description",
    "message": "message",
}


@dataclass(frozen=True)
class Contents:
    """New signers, documents or recipients (``None``: unchanged), and the package type they need."""

    type: str
    signers: Sequence[SignerSpec] | None = None
    documents: Sequence[DocumentSpec] | None = None
    recipients: Sequence[RecipientSpec] | None = None


@dataclass(frozen=True)
class Plan:
    """A validated update: everything it will change."""

    state: str
    contents: Contents | None
    name: str | None
    sign_by: int | None
    texts: dict[str, str | None]
    external_data: tuple[Json | None] | None
    options: Options | None
    links: bool | None
    edit_link: bool
    return_package: bool


@dataclass(frozen=True)
class Updated:
    """An updated package, whether its answer shows signer links, and whether it asked for an edit link."""

    package: Package
    links: bool
    edit_link: bool
    return_package: bool


def update(store: Store, body: Json, flags: UpdateFlags) -> Updated:
    """Validate the whole request, then change the package: a refused update changes nothing."""
    package = store.package(package_id(body))
    if current_state(package) in FINAL_STATES:  # 3.6 reports executed and expired as open: name none
        raise errors.invalid(
            "package", "state", "An executed, expired or rescinded package cannot be updated."
        )
    plan = _plan(package, body, store.files, flags)
    _apply(store, package, plan)
    links = package.generate_signer_links and plan.links is not False
    if links and flags.renew_links:
        renew_links(store.minter, package)
    package.modified = store.tick()
    return Updated(package, links, plan.edit_link and package.embedded, plan.return_package)


def _plan(package: Package, body: Json, files: dict[str, StoredFile], flags: UpdateFlags) -> Plan:
    state = _next_state(package, state_of(body), flags)
    links = body.get("generateSignerLinks")
    return Plan(
        state=state,
        contents=_contents(package, body, files, state),
        name=text(body, "name", required=True) if body.get("name") is not None else None,
        sign_by=sign_by_of(body),
        texts={key: text(body, key) for key in EXTRA_TEXTS if key in body},
        external_data=(external_data_of(body),) if "externalData" in body else None,
        options=options_of(body) if body.get("options") is not None else None,
        links=None if links is None else flag(body, "generateSignerLinks"),
        edit_link=flag(body, "generateEditLink"),
        return_package=flag(body, "returnPackage", default=True),
    )


def _next_state(package: Package, requested: str | None, flags: UpdateFlags) -> str:
    if requested is None:
        return "draft" if package.state == "add" and not flags.keep_add_state else package.state
    if package.is_sent() and requested != package.state:
        if requested == "add" and flags.back_to_add:
            return requested
        raise errors.invalid(
            "package", "state", f"A package that has been sent can never go back to '{requested}'."
        )
    return requested


def _contents(package: Package, body: Json, files: dict[str, StoredFile], state: str) -> Contents | None:
    """The validated new contents, or ``None`` when the package keeps its own."""
    new_type = package_type_of(body) if body.get("type") is not None else package.type
    given = {key: body.get(key) is not None for key in ("signers", "documents", "recipients")}
    if new_type == package.type and not any(given.values()):
        if state == "open":
            check_contents(state, _documents(package, files), specs_of(package)[0], [])
        return None
    if any(r.signed_at is not None for r in package.revisions()):
        raise errors.invalid(
            "package", "state", "Signers, documents, recipients and type are fixed once anyone has signed."
        )
    contents = Contents(
        new_type,
        signers_of(body) if given["signers"] else None,
        documents_of(body, files) if given["documents"] else None,
        recipients_of(body) if given["recipients"] else None,
    )
    check_contents(state, *_resulting(package, contents, files))
    return contents


def _resulting(
    package: Package, contents: Contents, files: dict[str, StoredFile]
) -> tuple[Sequence[DocumentSpec], Sequence[SignerSpec], Sequence[RecipientSpec]]:
    """The documents, signers and recipients the package will have."""
    signers, recipients = specs_of(package)
    return (
        _documents(package, files) if contents.documents is None else contents.documents,
        signers if contents.signers is None else contents.signers,
        recipients if contents.recipients is None else contents.recipients,
    )


def _documents(package: Package, files: dict[str, StoredFile]) -> list[DocumentSpec]:
    return [
        DocumentSpec(files[d.file_id], d.name, d.file_name, d.external_id, d.template_data)
        for d in package.documents
    ]


def _apply(store: Store, package: Package, plan: Plan) -> None:
    package.state = plan.state
    package.name = plan.name if plan.name is not None else package.name
    package.sign_by = plan.sign_by if plan.sign_by is not None else package.sign_by
    for key, value in plan.texts.items():
        setattr(package, _ATTRIBUTES[key], value)
    if plan.external_data is not None:
        package.external_data = plan.external_data[0]
    if plan.options is not None:
        package.embedded, package.embed = plan.options.embedded, dict(plan.options.embed or {})
    if plan.links:
        package.generate_signer_links = True
    if plan.contents is not None:
        _rebuild(store, package, plan.contents)


def _rebuild(store: Store, package: Package, contents: Contents) -> None:
    """New signers or a new type rebuild everything; new documents or recipients only themselves."""
    documents, signers, recipients = _resulting(package, contents, store.files)
    if contents.signers is not None or contents.type != package.type:
        package.type = contents.type
        populate(store.minter, package, signers, documents, recipients)
        return
    if contents.documents is not None:
        add_documents(store.minter, package, documents)
    if contents.recipients is not None:
        add_recipients(store.minter, package, recipients)
