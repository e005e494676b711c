"""The endpoints issue 12 added: update, data, sign and edit links, templates/list, webhook registration.

Links (§4.11): ``{name, link, type, token, timeExpires, packageId}`` in the docs' example order;
the token is the link's last segment (22 base64url characters); ``name`` is the package's name
(the docs' example shows "Signing" on both pages, a copy-paste). Inferred: a new link on every
call, for any package and any of its signers whatever their state; a sign link expires 7 days
after it is made, an edit link (documented as short-lived) after 1 hour; a body is ignored; an
unknown signer is a 404 ``signer_not_found`` (the documented ``{type}_not_found`` pattern).
"""

from __future__ import annotations

from . import errors
from .clock import TICKS_PER_DAY
from .context import Call, Context, Reply
from .data import package_data
from .model import Link, Package
from .render import link_object
from .render_package import package_object
from .template_list import read_template_query, select_templates
from .templates import template_item
from .update import update

SIGN_LINK_LIFETIME = 7 * TICKS_PER_DAY
EDIT_LINK_LIFETIME = TICKS_PER_DAY // 24


def mint_edit_link(ctx: Context, package: Package) -> Link:
    """A new edit link for ``package``, minted now."""
    now = ctx.store.tick()
    return ctx.store.minter.link("package_edit", package.name, now + EDIT_LINK_LIFETIME)


def update_package(call: Call, ctx: Context) -> Reply:
    updated = update(ctx.store, call.json(), ctx.effects.update_flags())
    package = updated.package
    if not updated.return_package:  # inferred, as on add
        return "update", {"packageId": package.package_id}
    links = ctx.links(updated.links) or ctx.effects.on("update-links-leak")
    edit = mint_edit_link(ctx, package) if updated.edit_link else None
    body = package_object(package, ctx.config.api_version, links, edit)
    return "update", {"packageId": package.package_id, "package": body}


def data(call: Call, ctx: Context) -> Reply:
    package = ctx.store.package(call.params["packageId"])
    return "data", package_data(package, ctx.config.api_version)


def sign_link(call: Call, ctx: Context) -> Reply:
    package = ctx.store.package(call.params["packageId"])
    if package.signer(call.params["signerId"]) is None:
        raise errors.ApiError(404, "signer_not_found", "The Signer was not found in this Package.")
    now = ctx.store.tick()
    link = ctx.store.minter.link("package_sign", package.name, now + SIGN_LINK_LIFETIME)
    return "link-sign", link_object(link, package.package_id) or {}


def edit_link(call: Call, ctx: Context) -> Reply:
    package = ctx.store.package(call.params["packageId"])
    return "link-edit", link_object(mint_edit_link(ctx, package), package.package_id) or {}


def templates(call: Call, ctx: Context) -> Reply:
    query = read_template_query(call.json())
    page, total = select_templates(ctx.store, query, ctx.effects.on("templates-types-ignored"))
    return "templates", query.page.body([template_item(t) for t in page], total)


def set_endpoint(call: Call, ctx: Context) -> Reply:
    return "endpoint", ctx.outbox.register(call.json())
