"""`signer-links`: links follow `generateSignerLinks`, and every link is usable.

Status (`packages/{id}/status`): without the flag the package was added with there is no link anywhere
(an absent key, `null`, an empty string and an empty list all count as "no link":
`documents[].revisions[].link`, `signers[].links`, `signLink`, `meetingLink`); with it, every revision
has a link and every signer who has revisions has links. (info) A revision its signer has no link for;
a link already expired although its revision is still to be signed in an open package before its
sign-by date.

Add and update (`_package_links`): with the flag in effect, every signer whose role is `signer` has
its `signLink` (in a Video Signing Room package its `meetingLink`); without it, no signer has either.
Get: only the rules below (the docs do not say whether get shows links). Links/sign and links/edit
(`_package_links`): the link had not expired when it was sent (info); its `type` is `schema`'s.
`renewed_links` compares two responses: every update of a package with links gives new links.

Every link, wherever it is (`_links`): an absolute http(s) URL; a link object's token is its URL's last
segment; (info) 22-character tokens, URLs ending /link/<token>. With the flag unknown only those rules
apply. A link expiry that is not ISO 8601 is `timestamp`'s finding, like every other date-time.

Each status rule reads the status as columns (`_status`): it judges a whole column at once and walks
only the rows that break it, for their pointers.
"""

from __future__ import annotations

from datetime import datetime

from pytest_signcheck.checks import _package_links
from pytest_signcheck.checks._base import BREAKING, INFO, Aggregator, CheckContext
from pytest_signcheck.checks._links import check_expiries, check_tokens, check_urls, has_link
from pytest_signcheck.checks._rows import Column, repeated
from pytest_signcheck.checks._status import StatusTable, package_links
from pytest_signcheck.checks._time import parse_timestamp
from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.findings import Finding

__all__ = ["CHECK", "check_signer_links", "has_link", "renewed_links", "signing_now"]

CHECK = _package_links.CHECK
renewed_links = _package_links.renewed_links
_ABSENT = _package_links.NO_LINK
_WITHOUT = (
    "although the package was added without generateSignerLinks; the docs say a status has no links then"
)
_NO_REVISION_LINK = (
    "The revision has no signing link although the package was added with generateSignerLinks."
)
_NO_SIGNER_LINKS = "The signer has revisions to sign but no links, although the package was added with them."
_UNCOVERED = (
    "A signer has no link for their revision of this document; every example has one link per revision "
    "(a guess from the examples, not a documented rule)."
)
_EXPIRED = (
    "The link of a revision still to be signed, in an open package before its sign-by date, "
    "had expired when the response was sent (a guess: the docs give no link lifetime)."
)


def check_signer_links(ctx: CheckContext) -> list[Finding]:
    endpoint = ctx.exchange.endpoint
    if endpoint == Endpoint.STATUS:
        return _status_links(ctx)
    if endpoint in _package_links.LINK_ENDPOINTS:
        return _package_links.check_link_response(ctx)
    return _package_links.check_package_links(ctx)


def _status_links(ctx: CheckContext) -> list[Finding]:
    table, aggregator = ctx.status, ctx.aggregator(CHECK)
    flag = ctx.options.generate_signer_links
    if flag is False:
        _no_links(table, aggregator)
    elif flag is True:
        _all_links(table, aggregator)
    objects = _StatusLinks(table)
    revisions, signers = table.revisions, table.signers
    check_urls(
        aggregator,
        (revisions.columns.link, lambda row: revisions.pointer(row, "link")),
        (signers.columns.signLink, lambda row: signers.pointer(row, "signLink")),  # the guide's strings
        (signers.columns.meetingLink, lambda row: signers.pointer(row, "meetingLink")),
        (objects.urls, lambda row: objects.pointer(row, "link")),
    )
    check_tokens(objects, aggregator)
    check_expiries(objects, signing_now(ctx), aggregator, _EXPIRED, pending=True)
    return aggregator.findings()


def signing_now(ctx: CheckContext) -> datetime | None:
    """The reference time, when the package is still out for signing (open, sign-by ahead); else None.

    Only then is an expired link of an unsigned revision worth a note: links of finished, expired or
    rescinded packages expire as a matter of course.
    """
    body, now = ctx.body, ctx.now
    if now is None or not isinstance(body, dict) or body.get("state") != "open":
        return None
    sign_by = parse_timestamp(body.get("timeSignBy"))
    return now if sign_by is None or sign_by > now else None


def _no_links(table: StatusTable, aggregator: Aggregator) -> None:
    """Without the flag: no revision and no signer has a link."""
    revisions, signers = table.revisions, table.signers
    for row in _linked(revisions.columns.link):
        message = f"The revision has a signing link {_WITHOUT}."
        where, group = revisions.pointer(row, "link"), ("present", "revision")
        aggregator.add("present", BREAKING, where, _ABSENT, "a link", message, group=group)
    for key in ("links", "signLink", "meetingLink"):
        message = f"The signer has {key!r} {_WITHOUT}."
        for row in _linked(getattr(signers.columns, key)):
            where = signers.pointer(row, key)
            aggregator.add("present", BREAKING, where, _ABSENT, "a link", message, group=("present", key))


def _linked(column: Column) -> list[int]:
    """Rows holding a link (`has_link`)."""
    if not any(column):
        return []
    return [row for row, value in enumerate(column) if has_link(value)]


def _all_links(table: StatusTable, aggregator: Aggregator) -> None:
    """With the flag: every revision has a link, every signer with revisions has links."""
    revisions, signers = table.revisions, table.signers
    urls = revisions.columns.link
    if not _non_empty_strings(urls):
        for row, url in enumerate(urls):
            if not url or not isinstance(url, str):
                where, group = revisions.pointer(row, "link"), ("missing", "revision")
                aggregator.add("missing", BREAKING, where, "a link", "none", _NO_REVISION_LINK, group=group)
    _uncovered(table, aggregator)
    links = signers.columns.links
    if all(links) and set(map(type, links)) <= {list}:
        return
    with_revisions = {signer for signer in revisions.columns.signerId if isinstance(signer, str)}
    for row, (signer, found) in enumerate(zip(signers.columns.signerId, links, strict=True)):
        if isinstance(signer, str) and signer in with_revisions and not (found and isinstance(found, list)):
            where, group = signers.pointer(row, "links"), ("missing", "links")
            aggregator.add("missing", BREAKING, where, "links", "none", _NO_SIGNER_LINKS, group=group)


def _non_empty_strings(column: Column) -> bool:
    try:
        return all(map(str.__len__, column))
    except TypeError:  # a value that is not a string
        return False


def _uncovered(table: StatusTable, aggregator: Aggregator) -> None:
    """(info) Each revision is named by a link of its signer, when that signer has links to revisions."""
    if _each_revision_linked(table):
        return
    revisions, links = table.revisions.columns, table.links.columns
    covered: dict[str, set[str]] = {}  # signer id -> the revision ids their links name
    for parent, start, end in table.links.spans():
        signer = table.signers.columns.signerId[parent]
        if isinstance(signer, str):
            covered[signer] = {named for named in links.revisionId[start:end] if isinstance(named, str)}
    for row, (signer, revision) in enumerate(zip(revisions.signerId, revisions.revisionId, strict=True)):
        mine = covered.get(signer) if isinstance(signer, str) else None
        if mine and isinstance(revision, str) and revision not in mine:
            where = table.revisions.pointer(row, "revisionId")
            aggregator.add("uncovered", INFO, where, "a signer link", "none", _UNCOVERED)


def _each_revision_linked(table: StatusTable) -> bool:
    """Whether every revision is named by a link of the one signer with its signer id: then none is
    uncovered."""
    return table.own_links and not repeated(table.signers.columns.signerId)


class _StatusLinks:
    """Every link object of a status as one set of columns (a `LinkRows`): the signer links, then the
    sign and meeting link objects (`package_links`); `in_order` puts rows back in the order of the
    response, signer by signer."""

    def __init__(self, table: StatusTable) -> None:
        self._links, self._signers = table.links, table.signers
        self._places, package = package_links(table.signers)  # (signer row, field) of each
        links = table.links.columns
        self.tokens, self.urls = links.token + package.token, links.link + package.link
        self.expiries: Column = links.timeExpires + package.timeExpires
        self.signed: Column = links.isSigned + package.isSigned

    def pointer(self, row: int, field: str = "") -> str:
        count = len(self._links)
        if row < count:
            return self._links.pointer(row, field)
        signer, key = self._places[row - count]
        where = f"{self._signers.pointer(signer)}/{key}"
        return f"{where}/{field}" if field else where

    def in_order(self, rows: list[int]) -> list[int]:
        count = len(self._links)

        def place(row: int) -> tuple[int, int, int]:
            if row < count:
                return self._links.parent(row), 0, row
            return self._places[row - count][0], 1, row

        return sorted(rows, key=place)
