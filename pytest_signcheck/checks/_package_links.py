"""`signer-links` on the Package object (add, update, get) and on the link responses (links/sign, edit).

Add and update (§5, §4.2, §4.3): with `generateSignerLinks` in effect, every signer whose role is
`signer` (and who is not deleted) carries a link: its `signLink`, or in a Video Signing Room package its
`meetingLink`; hosts and guests need none. Without it no signer carries either. An absent key, `null`
and an empty string all count as no link. The flag in effect is `CheckOptions.generate_signer_links`
when given; otherwise, for add, the request's `generateSignerLinks` (absent: no links), and for
update, the request's when it sets one (else unknown: presence is not judged).

Get: the docs do not say whether a Package object read later shows links, so only the rules every
link follows apply (`_links`). Links/sign and links/edit (§4.11): those rules (the link's `type` is a
documented constant, `schema`'s to judge: `_constants`).
A link created by the very response that carries it (add, update, links/sign, links/edit) had not
expired when the response was sent (info: the docs give no lifetime).

`renewed_links` compares two responses, which no single response can show: every update of a package
with links gives new links.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_signcheck.checks._base import (
    BREAKING,
    Aggregator,
    CheckContext,
    fold,
)
from pytest_signcheck.checks._links import ListedLinks, check_expiries, check_tokens, check_urls, has_link
from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.findings import Finding

__all__ = [
    "CHECK",
    "LINK_ENDPOINTS",
    "check_link_response",
    "check_package_links",
    "links_flag",
    "renewed_links",
]

CHECK = "signer-links"
NO_LINK = "no link (generateSignerLinks not in effect)"
"""What `present` expects, on add, update and status alike: a cause reads it once, whichever found it."""
#: The endpoints that create one link and answer with it.
LINK_ENDPOINTS = frozenset({Endpoint.SIGN_LINK, Endpoint.EDIT_LINK})
_LINK_KEYS = ("signLink", "meetingLink")
_VIDEO_ROOM = fold("video_closing_room")
_FRESH = (
    "The link had already expired when the response that created it was sent "
    "(a guess: the docs give no link lifetime)."
)
_FRESH_ENDPOINTS = frozenset({Endpoint.ADD, Endpoint.UPDATE, *LINK_ENDPOINTS})


def links_flag(ctx: CheckContext) -> bool | None:
    """The `generateSignerLinks` in effect for an add or update response (None: unknown)."""
    endpoint, flag = ctx.exchange.endpoint, ctx.options.generate_signer_links
    if endpoint not in (Endpoint.ADD, Endpoint.UPDATE):
        return None
    if flag is not None:
        return flag
    request = ctx.exchange.request
    asked = request.get("generateSignerLinks") if isinstance(request, dict) else None
    if isinstance(asked, bool):
        return asked
    return False if endpoint == Endpoint.ADD and isinstance(request, dict) and asked is None else None


def check_package_links(ctx: CheckContext) -> list[Finding]:
    """Add, update and get: presence per signer (add and update), and every link's own rules."""
    located = _package(ctx.exchange.endpoint, ctx.body)
    if located is None:
        return []
    package, base = located
    signers = package.get("signers")
    signers = signers if isinstance(signers, list) else []
    aggregator = ctx.aggregator(CHECK)
    flag = links_flag(ctx)
    if flag is not None:
        _presence(package, signers, base, flag, aggregator)
    strings, objects = _links_in(package, signers, base)
    links = ListedLinks(objects)
    urls = tuple(url for _, url in strings)
    check_urls(
        aggregator, (urls, lambda row: strings[row][0]), (links.urls, lambda row: links.pointer(row, "link"))
    )
    check_tokens(links, aggregator)
    if ctx.exchange.endpoint in _FRESH_ENDPOINTS:
        check_expiries(links, ctx.now, aggregator, _FRESH, pending=False)
    return aggregator.findings()


def _package(endpoint: str, body: Any) -> tuple[dict[str, Any], str] | None:
    """The Package object of a response and its pointer: `package` of add and update, get's body."""
    if not isinstance(body, dict):
        return None
    if endpoint == Endpoint.GET:
        return body, ""
    package = body.get("package")
    return (package, "/package") if isinstance(package, dict) else None


def _presence(
    package: dict[str, Any], signers: list[Any], base: str, flag: bool, aggregator: Aggregator
) -> None:
    keys = _expected_keys(package.get("type"))
    for index, signer in enumerate(signers):
        if not isinstance(signer, dict):
            continue
        where = f"{base}/signers/{index}"
        if not flag:
            for key in _LINK_KEYS:
                if has_link(signer.get(key)):
                    message = f"The signer has a {key} although generateSignerLinks is not in effect."
                    pointer, group = f"{where}/{key}", ("present", key)
                    aggregator.add("present", BREAKING, pointer, NO_LINK, "a link", message, group=group)
        elif _needs_link(signer) and not any(has_link(signer.get(key)) for key in keys):
            message = (
                f"The signer has no {keys[0]} although generateSignerLinks is in effect; the docs say "
                "every signer then gets one (in a Video Signing Room, a meetingLink)."
            )
            group = ("missing", keys[0])
            aggregator.add("missing", BREAKING, f"{where}/{keys[0]}", "a link", "none", message, group=group)


def _expected_keys(package_type: Any) -> tuple[str, ...]:
    """The link a signer gets: `meetingLink` in a Video Signing Room, else `signLink`; either when the
    package's type is not a string (`schema` reports that)."""
    if not isinstance(package_type, str):
        return _LINK_KEYS
    return ("meetingLink",) if fold(package_type) == _VIDEO_ROOM else ("signLink",)


def _needs_link(signer: dict[str, Any]) -> bool:
    """A signer who signs (role `signer`, or no role to tell otherwise) and is not deleted."""
    role, state = signer.get("role"), signer.get("state")
    if isinstance(state, str) and fold(state) == "deleted":
        return False
    return not isinstance(role, str) or fold(role) == "signer"


def _links_in(
    package: dict[str, Any], signers: list[Any], base: str
) -> tuple[list[tuple[str, str]], list[tuple[str, dict[str, Any]]]]:
    """The link URL strings and the link objects of a Package object, each with its pointer."""
    strings: list[tuple[str, str]] = []
    objects: list[tuple[str, dict[str, Any]]] = []
    for pointer, value in _link_values(package, signers, base):
        if isinstance(value, str):
            strings.append((pointer, value))
        elif isinstance(value, dict):
            objects.append((pointer, value))
    return strings, objects


def _link_values(package: dict[str, Any], signers: list[Any], base: str) -> Iterator[tuple[str, Any]]:
    for index, signer in enumerate(signers):
        if isinstance(signer, dict):
            for key in _LINK_KEYS:
                yield f"{base}/signers/{index}/{key}", signer.get(key)
    yield f"{base}/editLink", package.get("editLink")


def check_link_response(ctx: CheckContext) -> list[Finding]:
    """Links/sign and links/edit: the link's own rules (its `type` is `schema`'s, `_constants`)."""
    body = ctx.body
    if not isinstance(body, dict):
        return []
    aggregator = ctx.aggregator(CHECK)
    links = ListedLinks([("", body)])
    check_urls(aggregator, (links.urls, lambda row: "/link"))
    check_tokens(links, aggregator)
    check_expiries(links, ctx.now, aggregator, _FRESH, pending=False)
    return aggregator.findings()


def renewed_links(before: Any, after: Any, *, source: str = "") -> list[Finding]:
    """`signer-links` findings (rule `not-renewed`, on packages/update) for links an update did not renew.

    `before` is the add response (or the previous update's) of a package added with
    `generateSignerLinks`, `after` the next update's response, both parsed. The docs (§4.3, §5) say such
    a package gets *new* signer links on every update, unless the update sets `generateSignerLinks:
    false` (then `after` has none: `run_checks` judges that). Signers are matched by `signerId`; a link
    is the same when its URL (a link object: its token, else its URL) is. Nothing else is compared, and
    no finding shows a link.
    """
    earlier = dict(_signer_links(before))
    aggregator = Aggregator(Endpoint.UPDATE, CHECK, source)
    for (signer, key), (pointer, link) in _signer_links(after):
        if earlier.get((signer, key), (None, None))[1] == link:
            message = (
                f"The update returned the same {key} this signer had before; the docs say a package added "
                "with generateSignerLinks gets new signer links on every update."
            )
            group, actual = ("not-renewed", key), "the same link"
            aggregator.add("not-renewed", BREAKING, pointer, "a new link", actual, message, group=group)
    return aggregator.findings()


def _signer_links(body: Any) -> Iterator[tuple[tuple[str, str], tuple[str, str]]]:
    """((signerId, key), (pointer, link identity)) of every signer link of an add or update response."""
    located = _package(Endpoint.UPDATE, body)
    if located is None:
        return
    package, base = located
    signers = package.get("signers")
    for index, signer in enumerate(signers if isinstance(signers, list) else ()):
        signer_id = signer.get("signerId") if isinstance(signer, dict) else None
        if not isinstance(signer_id, str):
            continue
        for key in _LINK_KEYS:
            link = _identity(signer.get(key))
            if link is not None:
                yield (signer_id, key), (f"{base}/signers/{index}/{key}", link)


def _identity(value: Any) -> str | None:
    """What makes a link this link: a URL string, or a link object's token (else its URL)."""
    if isinstance(value, dict):
        value = value.get("token") or value.get("link")
    return value if isinstance(value, str) and value else None
