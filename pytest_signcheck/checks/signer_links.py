"""`signer-links`: links in a status follow the `generateSignerLinks` flag the package was added with.

Without the flag there is no link anywhere: an absent key, `null`, an empty string and an empty list
all count as "no link" (`documents[].revisions[].link`, `signers[].links`, `signLink`, `meetingLink`).
With it, every revision has a link and every signer who has revisions has links. With the flag
unknown, only malformed links are reported: a token that is not the link's last segment, or an
expiry (`timeExpires`, owned here, not by `timestamp`) that is not a date-time. Guesses are `info`:
a revision its signer has no link for, a token that is not 22 characters, a link already expired
although its revision is still to be signed in an open package before its sign-by date.

Each rule reads the status as columns (`_status`): it judges a whole column at once and walks only
the rows that break it, for their pointers.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from datetime import datetime
from itertools import compress, repeat
from operator import getitem, is_
from typing import Any
from urllib.parse import urlsplit

from pytest_signcheck.checks._base import BREAKING, INFO, Aggregator, CheckContext
from pytest_signcheck.checks._rows import Column, distinct_strings, repeated
from pytest_signcheck.checks._status import StatusTable, package_links
from pytest_signcheck.checks._time import TimestampJudge, parse_timestamp
from pytest_signcheck.contract.redact import render
from pytest_signcheck.findings import Finding, pattern_of

__all__ = ["CHECK", "check_signer_links", "has_link", "signing_now"]

CHECK = "signer-links"
_ABSENT = "no link (generateSignerLinks was not set)"
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


def has_link(value: Any) -> bool:
    """Whether a link field holds a link: a non-empty string, list or object."""
    return bool(value) and isinstance(value, str | list | dict)


def check_signer_links(ctx: CheckContext) -> list[Finding]:
    table, aggregator = ctx.status, ctx.aggregator(CHECK)
    flag = ctx.options.generate_signer_links
    if flag is False:
        _no_links(table, aggregator)
    elif flag is True:
        _all_links(table, aggregator)
    objects = _LinkObjects(table)
    _tokens(objects, aggregator)
    _expiries(objects, signing_now(ctx), aggregator)
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


class _LinkObjects:
    """Every link object as one set of columns: the signer links, then the sign and meeting links
    (`package_links`); `in_order` puts rows back in the order of the response, signer by signer."""

    def __init__(self, table: StatusTable) -> None:
        self._links, self._signers = table.links, table.signers
        self._places, package = package_links(table.signers)  # (signer row, field) of each
        links = table.links.columns
        self.tokens, self.urls = links.token + package.token, links.link + package.link
        self.expiries, self.signed = (
            links.timeExpires + package.timeExpires,
            links.isSigned + package.isSigned,
        )

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


def _tokens(objects: _LinkObjects, aggregator: Aggregator) -> None:
    """Each link ends with "/" and its token; the token has 22 characters (info)."""
    for row in objects.in_order(_mismatched(objects.tokens, objects.urls)):
        token, url, pointer = objects.tokens[row], objects.urls[row], objects.pointer(row)
        if not (url.endswith("/" + token) or _last_segment(url) == token):
            message = (
                "The link's token is not the last segment of its URL, so the link and the token disagree."
            )
            group = ("token", pattern_of(pointer))
            where, shown = pointer + "/link", "another last segment"
            aggregator.add("token", BREAKING, where, ".../<token>", shown, message, group=group)
        elif len(token) != 22:
            message = (
                f"The link token has {len(token)} characters; every documented example has 22 "
                "(a guess from the examples, not a documented rule)."
            )
            where = pointer + "/token"
            aggregator.add("token-length", INFO, where, "22 characters", str(len(token)), message)


def _mismatched(tokens: Column, urls: Column) -> list[int]:
    """Rows whose link (a string) does not end with "/" and its token (a 22-character string)."""
    try:  # every token 22 characters long, at the end of its link, after the link's 23rd-last "/"
        if (
            set(map(len, tokens)) <= {22}
            and all(map(str.endswith, urls, tokens))
            and set(map(getitem, urls, repeat(-23))) <= {"/"}
        ):
            return []
    except (TypeError, IndexError):  # a token or a link that is not a string, a link too short
        pass
    return [
        row
        for row, (token, url) in enumerate(zip(tokens, urls, strict=True))
        if isinstance(token, str)
        and isinstance(url, str)
        and not (url.endswith("/" + token) and len(token) == 22)
    ]


def _last_segment(url: str) -> str:
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    return path.rstrip("/").rpartition("/")[2]


def _expiries(objects: _LinkObjects, now: datetime | None, aggregator: Aggregator) -> None:
    """Each expiry is a date-time; (info) none has passed for a revision still to sign, while signing."""
    judge = TimestampJudge()
    verdicts = {value: judge(value) for value in distinct_strings(objects.expiries)}  # a few distinct values
    bad = {value: verdict for value, verdict in verdicts.items() if verdict is not None}
    for row in _holding(objects, bad.keys()):
        value = objects.expiries[row]
        severity, rule, problem = bad[value]
        message = f"The link expiry {render(value, 'timeExpires')} {problem}."
        pointer = objects.pointer(row, "timeExpires")
        group = (rule, pattern_of(pointer))
        aggregator.add(rule, severity, pointer, "ISO 8601 date-time", render(value), message, group=group)
    if now is None:
        return
    message = (
        "The link of a revision still to be signed, in an open package before its sign-by date, "
        "had expired when the response was sent (a guess: the docs give no link lifetime)."
    )
    past = {value for value, verdict in verdicts.items() if verdict is None and _before(value, now)}
    for row in _holding(objects, past, pending=True):
        value, pointer = objects.expiries[row], objects.pointer(row, "timeExpires")
        aggregator.add("expired", INFO, pointer, f"after {now.isoformat()}", render(value), message)


def _before(value: str, now: datetime) -> bool:
    moment = parse_timestamp(value)
    return moment is not None and moment < now


def _holding(objects: _LinkObjects, values: AbstractSet[str], *, pending: bool = False) -> list[int]:
    """The rows whose expiry is one of `values` (and, with `pending`, whose isSigned is false, not
    merely absent), in the order of the response."""
    if not values:
        return []
    rows: Iterable[int] = range(len(objects.expiries))
    if pending:
        rows = compress(rows, map(is_, objects.signed, repeat(False)))
    expiries = objects.expiries
    found = [row for row in rows if isinstance(expiries[row], str) and expiries[row] in values]
    return objects.in_order(found)
