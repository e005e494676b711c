"""`signer-links`: links in a status follow the `generateSignerLinks` flag the package was added with.

Without the flag there is no link anywhere: an absent key, `null`, an empty string and an empty list
all count as "no link" (`documents[].revisions[].link`, `signers[].links`, `signLink`, `meetingLink`).
With it, every revision has a link and every signer who has revisions has links. With the flag
unknown, only malformed links are reported: a token that is not the link's last segment, or an
expiry (`timeExpires`, owned here, not by `timestamp`) that is not a date-time. Guesses are `info`:
a token that is not 22 characters, a link already expired although its revision is still to be
signed in an open package before its sign-by date.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from pytest_signcheck.checks._base import BREAKING, INFO, Aggregator, CheckContext, pattern_of
from pytest_signcheck.checks._happy import links_clean, signing_now
from pytest_signcheck.checks._index import StatusIndex, status_index
from pytest_signcheck.checks._time import TimestampJudge, parse_timestamp
from pytest_signcheck.contract.redact import render
from pytest_signcheck.findings import Finding

__all__ = ["check_signer_links", "has_link"]

_CHECK = "signer-links"
_PACKAGE_LINKS = ("signLink", "meetingLink")
_ABSENT = "no link (generateSignerLinks was not set)"
_WITHOUT = (
    "although the package was added without generateSignerLinks; the docs say a status has no links then"
)


def has_link(value: Any) -> bool:
    """Whether a link field holds a link: a non-empty string, list or object."""
    return bool(value) and isinstance(value, str | list | dict)


def check_signer_links(ctx: CheckContext) -> list[Finding]:
    if links_clean(ctx):  # the happy path: whole-column comparisons (`_happy`)
        return []
    index = status_index(ctx)
    aggregator = ctx.aggregator()
    flag = ctx.options.generate_signer_links
    if flag is False:
        _no_links(index, aggregator)
    elif flag is True:
        _all_links(index, aggregator)
    _LinkShape(aggregator, signing_now(ctx)).signers(index)
    return aggregator.findings()


def _no_links(index: StatusIndex, aggregator: Aggregator) -> None:
    for i, j, revision in index.revisions:
        if has_link(revision.get("link")):
            where = f"/documents/{i}/revisions/{j}/link"
            message = f"The revision has a signing link {_WITHOUT}."
            aggregator.add(("present", "revision"), _CHECK, BREAKING, where, _ABSENT, "a link", message)
    for k, signer in index.signers:
        for key in ("links", *_PACKAGE_LINKS):
            if has_link(signer.get(key)):
                where = f"/signers/{k}/{key}"
                message = f"The signer has {key!r} {_WITHOUT}."
                aggregator.add(("present", key), _CHECK, BREAKING, where, _ABSENT, "a link", message)


_NO_REVISION_LINK = (
    "The revision has no signing link although the package was added with generateSignerLinks."
)
_NO_SIGNER_LINKS = "The signer has revisions to sign but no links, although the package was added with them."
_UNCOVERED = (
    "A signer has no link for their revision of this document; every example has one link per revision "
    "(a guess from the examples, not a documented rule)."
)


def _all_links(index: StatusIndex, aggregator: Aggregator) -> None:
    """With the flag: every revision has a link, every signer with revisions has links."""
    with_revisions = _revisions_have_links(index, aggregator)
    for k, signer in index.signers:
        signer_id, links = signer.get("signerId"), signer.get("links")
        if (
            signer_id.__class__ is str
            and signer_id in with_revisions
            and not (links and isinstance(links, list))
        ):
            where = f"/signers/{k}/links"
            aggregator.add(("missing", "links"), _CHECK, BREAKING, where, "links", "none", _NO_SIGNER_LINKS)


def _revisions_have_links(index: StatusIndex, aggregator: Aggregator) -> set[str]:
    """Report revisions without a link (or a signer link); return the ids of the signers they name."""
    covered = _covered(index)
    with_revisions: set[str] = set()
    for i, j, revision in index.revisions:
        link, signer_id = revision.get("link"), revision.get("signerId")
        if not link or link.__class__ is not str:
            where = f"/documents/{i}/revisions/{j}/link"
            aggregator.add(
                ("missing", "revision"), _CHECK, BREAKING, where, "a link", "none", _NO_REVISION_LINK
            )
        if signer_id.__class__ is not str:
            continue
        with_revisions.add(signer_id)
        mine, revision_id = covered.get(signer_id), revision.get("revisionId")
        if mine and revision_id.__class__ is str and revision_id not in mine:
            where = f"/documents/{i}/revisions/{j}/revisionId"
            aggregator.add(("uncovered",), _CHECK, INFO, where, "a signer link", "none", _UNCOVERED)
    return with_revisions


def _covered(index: StatusIndex) -> dict[str, set[str]]:
    """Signer id -> the revision ids their links name."""
    covered: dict[str, set[str]] = {}
    for _, signer in index.signers:
        signer_id, links = signer.get("signerId"), signer.get("links")
        if signer_id.__class__ is str and links.__class__ is list:
            covered[signer_id] = {
                revision_id
                for link in links
                if link.__class__ is dict and (revision_id := link.get("revisionId")).__class__ is str
            }
    return covered


class _LinkShape:
    """Malformed link objects: the token and the link disagree, the expiry is not a date-time."""

    __slots__ = ("aggregator", "good", "now", "stamps")

    def __init__(self, aggregator: Aggregator, now: datetime | None) -> None:
        self.aggregator = aggregator
        self.now = now
        self.stamps = TimestampJudge()
        self.good: dict[str, datetime | None] = {}  # documented-form expiries, parsed

    def signers(self, index: StatusIndex) -> None:
        for k, signer in index.signers:
            links = signer.get("links")
            for m, link in enumerate(links) if links.__class__ is list else ():
                if link.__class__ is dict:
                    self.link(link, k, f"links/{m}")
            for key in _PACKAGE_LINKS:
                link = signer.get(key)
                if link.__class__ is dict:
                    self.link(link, k, key)

    def link(self, link: dict[str, Any], k: int, where: str) -> None:
        token, url, expires = link.get("token"), link.get("link"), link.get("timeExpires")
        if (
            token.__class__ is str
            and url.__class__ is str
            and not (url.endswith("/" + token) and len(token) == 22)
        ):
            self.token(token, url, f"/signers/{k}/{where}")
        pending = self.now is not None and link.get("isSigned") is False
        if expires.__class__ is str and (expires not in self.good or pending):
            self.expires(expires, f"/signers/{k}/{where}/timeExpires", pending)

    def token(self, token: str, url: str, pointer: str) -> None:
        if not (url.endswith("/" + token) or _last_segment(url) == token):
            message = (
                "The link's token is not the last segment of its URL, so the link and the token disagree."
            )
            key = ("token", pattern_of(pointer))
            self.aggregator.add(
                key, _CHECK, BREAKING, pointer + "/link", ".../<token>", "another last segment", message
            )
        elif len(token) != 22:
            message = (
                f"The link token has {len(token)} characters; every documented example has 22 "
                "(a guess from the examples, not a documented rule)."
            )
            self.aggregator.add(
                ("length",), _CHECK, INFO, pointer + "/token", "22 characters", str(len(token)), message
            )

    def expires(self, value: str, pointer: str, pending: bool) -> None:
        judged = self.stamps(value)
        if judged is not None:
            severity, problem = judged
            message = f"The link expiry {render(value, 'timeExpires')} {problem}."
            key = ("expiry", severity, pattern_of(pointer))
            self.aggregator.add(key, _CHECK, severity, pointer, "ISO 8601 date-time", render(value), message)
            return
        if value not in self.good:
            self.good[value] = parse_timestamp(value)
        moment = self.good[value]
        if pending and self.now is not None and moment is not None and moment < self.now:
            message = (
                "The link of a revision still to be signed, in an open package before its sign-by date, "
                "had expired when the response was sent (a guess: the docs give no link lifetime)."
            )
            after = f"after {self.now.isoformat()}"
            self.aggregator.add(("expired",), _CHECK, INFO, pointer, after, render(value), message)


def _last_segment(url: str) -> str:
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    return path.rstrip("/").rpartition("/")[2]
