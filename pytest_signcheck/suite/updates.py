"""`packages/update` (§4.3, §5), and one package read every documented way (§4.4, §4.6, §4.11).

Update's documented rules: a package added with `generateSignerLinks` gets *new* signer links on every
later update unless that update sets `generateSignerLinks: false`; a package added without it gets
none; an update without `state: "add"` moves an `add` package to `draft`; a sent package never goes
back to `add`. Whether an answer may carry links at all is `signer-links`' judgement (given the flag in
effect for that answer); here, only what one answer promised about the next.
"""

from __future__ import annotations

from typing import Any

from pytest_signcheck.checks import renewed_links
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.suite.common import (
    add_package,
    documented_state,
    package_object,
    signer_ids,
)
from pytest_signcheck.suite.context import ScenarioContext

__all__ = ["PACKAGE_REQUESTS", "UPDATE_REQUESTS", "package", "update"]

_CHANGE = {"description": "Updated by pytest-signcheck."}


def _update(ctx: ScenarioContext, package_id: str, changes: dict[str, Any], links: bool) -> Exchange:
    """An update, judged with the signer-links flag in effect for its answer."""
    body = {"packageId": package_id, **changes}
    return ctx.call("POST", "/packages/update", body, generate_signer_links=links)


def update(ctx: ScenarioContext) -> None:
    """Links renewed on every update (and none when one says false), none for a package added
    without them; `add` moves to `draft`; a sent package never goes back to `add`."""
    _links_renewed(ctx)
    _never_back_to_add(ctx)
    _add_moves_to_draft(ctx)


def _links_renewed(ctx: ScenarioContext) -> None:
    added = add_package(ctx, "concurrent", "open", True, "update links", documents=1)
    if added is None:
        return
    first = _update(ctx, added.package_id, _CHANGE, links=True)
    _renewed(ctx, added.exchange, first)
    _update(ctx, added.package_id, {"generateSignerLinks": False}, links=False)
    again = _update(ctx, added.package_id, _CHANGE, links=True)  # the flag persists past a `false`
    _renewed(ctx, first, again)


def _renewed(ctx: ScenarioContext, before: Exchange, after: Exchange) -> None:
    """Every link of `after` is new (§5.3: new links on every later update): the checks' rule."""
    ctx.findings.extend(renewed_links(before.body, after.body, source=after.source))


def _never_back_to_add(ctx: ScenarioContext) -> None:
    """An open package added without links: an update gives no links, and `state: add` is refused or
    ignored, never obeyed."""
    sent = add_package(ctx, "concurrent", "open", False, "update sent", documents=1)
    if sent is None:
        return
    _update(ctx, sent.package_id, _CHANGE, links=False)
    body = {"packageId": sent.package_id, "state": "add"}
    back = ctx.client.call("POST", "/packages/update", json_body=body)
    refused = 400 <= back.status_code < 500  # which error is not documented: any refusal is right
    ctx.check(back, expected_status=back.status_code if refused else 200, generate_signer_links=False)
    status = ctx.call("GET", f"/packages/{sent.package_id}/status", generate_signer_links=False)
    state = status.body.get("state") if isinstance(status.body, dict) else None
    if state == "add":
        ctx.finding(
            "integrity",
            status,
            "/state",
            "open",
            state,
            "a sent package reports 'add' after an update asked for it; the docs say a package that "
            "has been sent can never go back to 'add'",
        )


def _add_moves_to_draft(ctx: ScenarioContext) -> None:
    added = add_package(ctx, "concurrent", "add", False, "update add state", documents=1)
    if added is None:
        return
    moved = _update(ctx, added.package_id, _CHANGE, links=False)
    state = package_object(moved).get("state")
    if documented_state(state, ctx.api_version) and state != "draft":  # others are state-enum's
        ctx.finding(
            "integrity",
            moved,
            "/package/state",
            "draft",
            state,
            "an update without state 'add' should move a package in the 'add' state to 'draft'",
        )


def package(ctx: ScenarioContext) -> None:
    """One package through get, data, a sign link per signer and the edit link. Against the reference
    sandbox a signer signs first (its control surface), so the data holds a signer's values."""
    added = add_package(ctx, "concurrent", "open", False, "package", documents=1)
    if added is None:
        return
    path = f"/packages/{added.package_id}"
    ctx.call("GET", path, generate_signer_links=False)
    signers = signer_ids(added.package)[:2]
    if ctx.loopback and signers:
        ctx.control("sign", added.package_id, signers[0])
    ctx.call("GET", f"{path}/data")
    for signer in signers:
        ctx.call("POST", f"{path}/link/sign/{signer}")
    ctx.call("POST", f"{path}/link/edit")


#: The most requests each scenario makes, cleanup included.
UPDATE_REQUESTS = 3 * 2 + 6 + 1 + 3  # 3 packages (upload, add), 6 updates, a status, 3 deletes
PACKAGE_REQUESTS = 2 + 1 + 1 + 2 + 1 + 1  # upload and add, get, data, 2 sign links, edit link, delete
