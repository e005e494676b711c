"""The in-memory organisation: its members, teams, folders, files and packages, and their transitions.

One store per app. Requests and the control surface (on other threads) hold the app context's lock
while they read or change it. Every mutation reads a logical clock (``NOW`` plus one second per
mutation), never the wall clock.
"""

from __future__ import annotations

from . import errors
from .build import StoredFile, populate
from .clock import NOW, TICKS_PER_DAY, TICKS_PER_SECOND
from .intake import AddRequest
from .mint import Minter
from .model import SENDABLE_STATES, Organisation, Package, current_state
from .templates import Template


class Store:
    """Packages by id (in insertion order), uploaded files by id, and the templates."""

    def __init__(self, minter: Minter, organisation: Organisation) -> None:
        self.minter = minter
        self.organisation = organisation
        self.packages: dict[str, Package] = {}
        self.files: dict[str, StoredFile] = {}
        self.templates: list[Template] = []
        self._mutations = 0

    def tick(self) -> int:
        """The logical time of the next mutation."""
        self._mutations += 1
        return NOW + self._mutations * TICKS_PER_SECOND

    def package(self, package_id: str) -> Package:
        """The package with this id, or a 404 ``package_not_found``."""
        found = self.packages.get(package_id)
        if found is None:
            raise errors.package_not_found()
        return found

    def put(self, package: Package) -> None:
        self.packages[package.package_id] = package

    def add(self, request: AddRequest) -> Package:
        """A new package owned by the key's member; ``timeSignBy`` defaults to 30 days on (inferred)."""
        now, org = self.tick(), self.organisation
        package = Package(
            package_id=self.minter.guid(),
            organization_id=org.organization_id,
            member_id=org.owner_id,
            name=request.name,
            type=request.type,
            state=request.state,
            created=now,
            modified=now,
            sign_by=request.sign_by if request.sign_by is not None else now + 30 * TICKS_PER_DAY,
            key_id=org.key_id,
            generate_signer_links=request.generate_signer_links,
            embedded=request.options.embedded,
            embed=dict(request.options.embed or {}),
            external_data=request.external_data,
            category=request.extra["category"],
            client_number=request.extra["clientNumber"],
            matter_number=request.extra["matterNumber"],
            description=request.extra["description"],
            message=request.extra["message"],
        )
        populate(self.minter, package, request.signers, request.documents, request.recipients)
        self.put(package)
        return package

    def send(self, package_id: str) -> Package:
        """draft/add/select -> open; anything else is a 400 (code inferred)."""
        package = self.package(package_id)
        if package.state not in SENDABLE_STATES:
            raise errors.invalid(
                "package", "state", f"Only packages in the {', '.join(SENDABLE_STATES)} state can be sent."
            )
        if not package.documents:
            raise errors.invalid(
                "package", "documents", "At least one document is required to send a package."
            )
        if not package.signers:
            raise errors.invalid("package", "signers", "At least one signer is required to send a package.")
        package.state = "open"
        package.modified = self.tick()
        return package

    def rescind(self, package_id: str, message: str | None) -> Package:
        """open (still signable) -> rescinded, with ``timeRescinded`` and ``rescindMessage`` set."""
        package = self.package(package_id)
        if current_state(package) != "open":
            raise errors.invalid("package", "state", "Only open packages can be rescinded.")
        package.state = "rescinded"
        package.rescind_message = message
        package.rescinded_at = package.modified = self.tick()
        return package

    def delete(self, package_id: str, override_retention: bool) -> Package:
        """Remove the package; one under retention needs ``overrideRetention``."""
        package = self.package(package_id)
        if package.retention_until is not None and package.retention_until > NOW and not override_retention:
            raise errors.delete_retention()
        del self.packages[package_id]
        return package

    def add_file(self, file_name: str, external_id: str | None, size: int, pages: int) -> StoredFile:
        stored = StoredFile(self.minter.guid(), file_name, external_id, size, pages, self.tick())
        self.files[stored.file_id] = stored
        return stored
