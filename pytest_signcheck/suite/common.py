"""What several scenarios do the same way: upload and add a package, read ids, compare documented values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pytest_signcheck.checks.state_enum import STATES
from pytest_signcheck.checks.type_enum import PACKAGE_TYPES
from pytest_signcheck.errors import CouldNotCheck
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import Severity
from pytest_signcheck.suite.context import NAME_PREFIX, ScenarioContext

__all__ = [
    "Added",
    "add_package",
    "documented_state",
    "documented_type",
    "file_ids",
    "is_ours",
    "package_id",
    "package_object",
    "signer_ids",
]


@dataclass(frozen=True)
class Added:
    """A package the scenario added (and will delete): its id and the add exchange."""

    package_id: str
    exchange: Exchange

    @property
    def package(self) -> dict[str, Any]:
        """The `package` object of the add answer ({} when the answer has none)."""
        return package_object(self.exchange)


def file_ids(exchange: Exchange) -> list[str]:
    """Both documented upload shapes: `{files: [{fileId}]}` (reference) and `{fileId}` (signing guide)."""
    body = exchange.body
    if not isinstance(body, dict):
        return []
    files = body.get("files")
    items: list[Any] = files if isinstance(files, list) else [body]
    return [str(item["fileId"]) for item in items if isinstance(item, dict) and item.get("fileId")]


def package_id(exchange: Exchange) -> str | None:
    body = exchange.body
    # any 2xx: a package created under a drifted status code must still be cleaned up
    if (
        200 <= exchange.status_code < 300
        and isinstance(body, dict)
        and isinstance(body.get("packageId"), str)
    ):
        return str(body["packageId"])
    return None


def package_object(exchange: Exchange) -> dict[str, Any]:
    """The `package` of an add or update answer ({} when there is none)."""
    body = exchange.body
    package = body.get("package") if isinstance(body, dict) else None
    return package if isinstance(package, dict) else {}


def signer_ids(package: dict[str, Any]) -> list[str]:
    """The signer ids of a Package object, in its order."""
    signers = package.get("signers")
    found = [s.get("signerId") for s in signers if isinstance(s, dict)] if isinstance(signers, list) else []
    return [value for value in found if isinstance(value, str)]


def is_ours(item: Any) -> bool:
    """Whether a list item is a package the suite created (named `signcheck-<run id> ...`)."""
    return isinstance(item, dict) and str(item.get("name") or "").startswith(NAME_PREFIX + "-")


def documented_type(value: Any) -> bool:
    """A value `type-enum` accepts: anything else is its finding, never another check's."""
    return value in PACKAGE_TYPES


def documented_state(value: Any, api_version: str) -> bool:
    """A value `state-enum` accepts: anything else is its finding, never another check's."""
    return value in STATES[api_version]


def add_package(
    ctx: ScenarioContext, package_type: str, state: str, links: bool, label: str, documents: int = 2
) -> Added | None:
    """Upload `documents` PDFs and add a package with them (None when the API refused it).

    An upload that gives no fileId stops the scenario (could-not-check): a package added without its
    documents would be judged on what the suite broke, not on what the API did.
    """
    upload = ctx.upload([f"{label}-{n}.pdf" for n in range(1, documents + 1)])
    uploaded = file_ids(upload)
    if not uploaded:
        raise CouldNotCheck(_no_file(upload))
    body = ctx.package_body(package_type, state, links, uploaded, label)
    exchange = ctx.client.call("POST", "/packages/add", json_body=body)
    if exchange.status_code == 400 and isinstance(exchange.body, dict):
        _refused(ctx, exchange, package_type)
        return None
    ctx.check(exchange, generate_signer_links=links)
    added = package_id(exchange)
    if added is None:
        return None
    ctx.created.append(added)
    return Added(added, exchange)


def _no_file(upload: Exchange) -> str:
    """Why the scenario stopped before its add: the prerequisite upload and what it answered."""
    body = upload.body
    said = f" {body.get('error')}" if isinstance(body, dict) and body.get("error") else ""
    return (
        f"{upload.endpoint} answered HTTP {upload.status_code}{said} without a fileId, so the package "
        "that needed it was not added and nothing built on it was checked; the upload's own response is "
        "judged by the `upload` scenario. Run again; if it persists, the upload is what to look at"
    )


def _refused(ctx: ScenarioContext, exchange: Exchange, package_type: str) -> None:
    """A documented type refused as invalid is drift; any other refusal is reported, not failed."""
    ctx.check(exchange, expected_status=400)
    code = exchange.body.get("error")
    if code == "package_invalid_type":
        ctx.finding(
            "type-enum",
            exchange,
            "/type",
            package_type,
            code,
            f"the documented type constant {package_type!r} was refused as invalid",
        )
    else:
        ctx.finding(
            "http",
            exchange,
            "",
            200,
            f"400 {code}",
            f"the API refused to add a {package_type!r} package ({code}): reported, not failed",
            severity=Severity.INFO,
        )
