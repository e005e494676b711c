"""Happy paths of `integrity` and `signer-links` on a status: whole-response comparisons, no pointers.

Only for a body that passed the strict validator (`_strict`): every required field is there with
its documented type, so each field of every revision and link is read once, into columns, with
`itemgetter`s keyed by the parser's own key objects (`exchange.parsed_keys`) and no check per value.
Each verdict is True only when the check's detailed walk could not report anything; False says
nothing (the walk then runs and finds, or not, what is wrong). The comparisons:

- ids: document, revision and signer ids are unique; every package id is the body's.
- revisions in their document; revision signers among the signers.
- links against revisions, as (signer, documentId, revisionId, isNext, isSigned) keys: every link
  is a revision of its signer with the same flags (`integrity`) and, with `generateSignerLinks`, every
  revision is a link of its signer (`signer-links`). In the usual grid layout the key columns are
  compared as they are; otherwise, or when they differ, as sets.
- roll-ups of `isExecuted`, and the next signer of a Sequential package.
- link shape: each token is the 22-character last segment of its link; no pending link has expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate, chain, compress, repeat
from operator import itemgetter, methodcaller, not_
from typing import Any

from pytest_signcheck.checks._base import CheckContext
from pytest_signcheck.checks._strict import strictly_valid
from pytest_signcheck.checks._time import parse_timestamp
from pytest_signcheck.exchange import field_getter, parsed_keys

__all__ = ["StatusRows", "integrity_clean", "links_clean", "signing_now", "status_rows"]

_PACKAGE, _DOCUMENT, _SIGNER = field_getter("packageId"), field_getter("documentId"), field_getter("signerId")
_EXECUTED, _REVISIONS = field_getter("isExecuted"), field_getter("revisions")
_LINK_KEY, _LINKS_KEY, _SIGN_LINK, _MEETING_LINK = parsed_keys("link", "links", "signLink", "meetingLink")
_LINK, _LINKS = methodcaller("get", _LINK_KEY), methodcaller("get", _LINKS_KEY)
_PACKAGE_LINKS = (methodcaller("get", _SIGN_LINK), methodcaller("get", _MEETING_LINK))
_TAIL = itemgetter(slice(-23, None))  # "/" and a 22-character token
#: The fields read from every revision and link, each in one pass; the first five make the key a
#: revision and its link share (a link's signer is the signer it is listed under).
_SHARED = ("signerId", "documentId", "revisionId", "isNext", "isSigned", "packageId")
_REVISION_FIELDS = field_getter(*_SHARED)
_LINKED_REVISION_FIELDS = field_getter(*_SHARED, "link")
_LINK_FIELDS = field_getter(*_SHARED[1:], "token", "link", "timeExpires")
Key = tuple[Any, ...]


@dataclass(slots=True)
class Columns:
    """One tuple per field of the flattened revisions or links (`urls` of revisions: None when one
    has no ``link`` field)."""

    signers: tuple[str, ...]
    documents: tuple[str, ...]
    ids: tuple[str, ...]
    next: tuple[bool, ...]
    signed: tuple[bool, ...]
    packages: tuple[str, ...]
    urls: tuple[Any, ...] | None = None
    tokens: tuple[str, ...] = ()
    expires: tuple[str, ...] = ()

    @classmethod
    def of_revisions(cls, revisions: list[dict[str, Any]]) -> Columns:
        try:
            return cls(*_transpose(_LINKED_REVISION_FIELDS, revisions, 7))
        except KeyError:  # a revision without `link`
            return cls(*_transpose(_REVISION_FIELDS, revisions, 6))

    @classmethod
    def of_links(cls, links: list[dict[str, Any]], owners: tuple[str, ...]) -> Columns:
        documents, ids, next_, signed, packages, tokens, urls, expires = _transpose(_LINK_FIELDS, links, 8)
        return cls(owners, documents, ids, next_, signed, packages, urls, tokens, expires)

    def key_columns(self) -> tuple[tuple[Any, ...], ...]:
        return self.signers, self.documents, self.ids, self.next, self.signed

    def keys(self) -> set[Key]:
        return set(zip(*self.key_columns(), strict=True))


def _transpose(getter: itemgetter[Any], objects: list[dict[str, Any]], width: int) -> list[tuple[Any, ...]]:
    return list(zip(*map(getter, objects), strict=True)) or [()] * width


@dataclass(slots=True)
class StatusRows:
    """The objects of a strictly valid status, flattened, and the columns the comparisons read.

    `grid`: the common layout, where every document has one revision per signer and every signer one
    link per document. The links are then taken document by document, like the revisions, so that in
    a consistent response the key columns of both are equal (`same_keys`), with no sets to build.
    """

    body: dict[str, Any]
    documents: list[dict[str, Any]]
    counts: list[int]  # revisions per document
    revisions: list[dict[str, Any]]
    signers: list[dict[str, Any]]
    signer_ids: set[str]
    links: list[dict[str, Any]]
    grid: bool
    revision_columns: Columns
    link_columns: Columns
    _keys: tuple[set[Key], set[Key]] | None = None
    _same: bool | None = None

    def same_keys(self) -> bool:
        """Whether revision and link keys are equal column by column (False says nothing: `keys`)."""
        if self._same is None:
            mine, theirs = self.revision_columns.key_columns(), self.link_columns.key_columns()
            self._same = self.grid and mine == theirs
        return self._same

    def keys(self) -> tuple[set[Key], set[Key]]:
        """(revision keys, link keys) as sets, computed once."""
        if self._keys is None:
            self._keys = (self.revision_columns.keys(), self.link_columns.keys())
        return self._keys


def status_rows(ctx: CheckContext) -> StatusRows | None:
    """The rows of a strictly valid status body (built once per exchange), else None."""
    if not strictly_valid(ctx):
        return None
    rows = ctx.cache.get("status-rows")
    if rows is None:
        rows = ctx.cache["status-rows"] = _rows(ctx.body)
    assert isinstance(rows, StatusRows)
    return rows


def _rows(body: dict[str, Any]) -> StatusRows:
    documents, signers = body["documents"], body["signers"]
    per_document = list(map(_REVISIONS, documents))
    per_signer = [links or () for links in map(_LINKS, signers)]
    counts, signer_ids = list(map(len, per_document)), list(map(_SIGNER, signers))
    revisions, links = list(chain.from_iterable(per_document)), list(chain.from_iterable(per_signer))
    width, height = len(signers), len(documents)
    grid = bool(links) and counts.count(width) == height and [*map(len, per_signer)].count(height) == width
    if grid:  # document by document: the i-th link of every signer, in signer order
        links = list(chain.from_iterable(links[i::height] for i in range(height)))
        owners = tuple(signer_ids) * height
    else:
        owners = tuple(chain.from_iterable(map(repeat, signer_ids, map(len, per_signer))))
    return StatusRows(
        body,
        documents,
        counts,
        revisions,
        signers,
        set(signer_ids),
        links,
        grid,
        Columns.of_revisions(revisions),
        Columns.of_links(links, owners),
    )


def integrity_clean(ctx: CheckContext) -> bool:
    """No cross-reference, roll-up or Sequential finding (`state_agrees` and GUIDs are not covered)."""
    rows = status_rows(ctx)
    return rows is not None and _ids(rows) and _documents(rows) and _sequential(rows) and _linked(rows)


def _ids(rows: StatusRows) -> bool:
    revisions = rows.revision_columns
    if len(rows.signer_ids) != len(rows.signers) or len(set(revisions.ids)) != len(revisions.ids):
        return False
    if len(set(map(_DOCUMENT, rows.documents))) != len(rows.documents):
        return False
    package = rows.body["packageId"]
    for packages in (tuple(map(_PACKAGE, rows.documents)), revisions.packages, rows.link_columns.packages):
        if packages.count(package) != len(packages):
            return False
    # Equal key columns make every revision signer a link owner, that is a signer (no hashing).
    return not rows.signers or rows.same_keys() or rows.signer_ids.issuperset(revisions.signers)


def _documents(rows: StatusRows) -> bool:
    """Revisions name their document; `isExecuted` of documents and package follow the revisions."""
    documents, counts, signed = rows.documents, rows.counts, rows.revision_columns.signed
    named = tuple(chain.from_iterable(map(repeat, map(_DOCUMENT, documents), counts)))
    if named != rows.revision_columns.documents:
        return False
    executed = list(map(_EXECUTED, documents))
    if True not in signed:  # nothing signed: no document with revisions is executed
        rolled_up = True not in compress(executed, counts)
    elif False not in signed:  # everything signed: every document with revisions is
        rolled_up = False not in compress(executed, counts)
    else:
        ends = list(accumulate(counts))
        rolled_up = all(
            flag is all(signed[end - count : end])
            for flag, count, end in zip(executed, counts, ends, strict=True)
            if count
        )
    return rolled_up and (not executed or rows.body["isExecuted"] is all(executed))


def _sequential(rows: StatusRows) -> bool:
    """At most one next signer, who still has to sign and has the lowest order of those who do."""
    if rows.body["type"] != "Sequential":
        return True
    revisions = rows.revision_columns
    following = set(compress(revisions.signers, revisions.next))
    if len(following) != 1:
        return not following
    (next_signer,) = following
    if True in revisions.signed:
        waiting = set(compress(revisions.signers, map(not_, revisions.signed)))
    elif rows.same_keys():  # nothing signed; equal key columns give every signer revisions
        waiting = rows.signer_ids
    else:
        waiting = set(revisions.signers)
    if next_signer not in waiting:
        return False
    orders = {signer["signerId"]: signer["order"] for signer in rows.signers}
    mine = orders.get(next_signer)
    return mine is None or all(mine <= orders[signer] for signer in waiting if signer in orders)


def _linked(rows: StatusRows) -> bool:
    """Every link is a revision of its signer, with the same document and flags."""
    if not rows.links or rows.same_keys():
        return True
    revision_keys, link_keys = rows.keys()
    return link_keys <= revision_keys


def links_clean(ctx: CheckContext) -> bool:
    """No `signer-links` finding: links follow the flag, and every link object is well formed."""
    rows = status_rows(ctx)
    if rows is None or len(rows.signer_ids) != len(rows.signers):
        return False
    flag = ctx.options.generate_signer_links
    if flag is False and (_any_link(rows) or rows.links):
        return False
    if flag is True and not (_all_revisions_linked(rows) and _covered(rows)):
        return False
    return _well_formed(rows, signing_now(ctx))


def _all_revisions_linked(rows: StatusRows) -> bool:
    urls = rows.revision_columns.urls
    return urls is not None and all(urls)


def _covered(rows: StatusRows) -> bool:
    """Every revision is a link of its signer."""
    if rows.same_keys():
        return True
    revision_keys, link_keys = rows.keys()
    return revision_keys <= link_keys


def _any_link(rows: StatusRows) -> bool:
    """Whether any revision or signer has a link (an empty list or string is no link)."""
    getters = (_LINKS, *_PACKAGE_LINKS)
    return any(map(_LINK, rows.revisions)) or any(any(map(get, rows.signers)) for get in getters)


def _well_formed(rows: StatusRows, now: datetime | None) -> bool:
    links = rows.link_columns
    package_links = [link for get in _PACKAGE_LINKS for link in map(get, rows.signers) if link]
    tokens, urls = links.tokens, links.urls or ()
    if package_links:
        tokens = (*tokens, *(link["token"] for link in package_links))
        urls = (*urls, *(link["link"] for link in package_links))
    if not set(map(len, tokens)) <= {22}:
        return False
    # Every token is 22 characters, so this holds exactly when each link ends with "/" + its token.
    if tokens and "".join(map(_TAIL, urls)) != "/" + "/".join(tokens):
        return False
    if now is None:
        return True
    expires = links.expires
    if expires and expires.count(expires[0]) == len(expires):  # one expiry for every link
        pending = {expires[0]} if False in links.signed else set()
    elif True in links.signed:
        pending = set(compress(expires, map(not_, links.signed)))
    else:
        pending = set(expires)
    return all(moment is not None and moment >= now for moment in map(parse_timestamp, pending))


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
