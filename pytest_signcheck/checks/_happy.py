"""Happy paths of `integrity` and `signer-links` on a status: whole-response comparisons, no pointers.

Only for a body that passed the strict validator (`_strict`): every required field is there with
its documented type, so the columns below are read with `itemgetter`, without a check per value.
Each verdict is True only when the check's detailed walk could not report anything; False says
nothing (the walk then runs and finds, or not, what is wrong). The comparisons:

- ids: document, revision and signer ids are unique; every package id is the body's.
- revisions in their document; revision signers among the signers.
- links against revisions, as sets of (signer, documentId, revisionId, isNext, isSigned): every link
  is a revision of its signer with the same flags (`integrity`) and, with `generateSignerLinks`, every
  revision is a link of its signer (`signer-links`).
- roll-ups of `isExecuted`, and the next signer of a Sequential package.
- link shape: each token is the 22-character last segment of its link; no pending link has expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import chain, compress, repeat
from operator import itemgetter, methodcaller, not_
from typing import Any

from pytest_signcheck.checks._base import CheckContext
from pytest_signcheck.checks._strict import strictly_valid
from pytest_signcheck.checks._time import parse_timestamp

__all__ = ["StatusRows", "integrity_clean", "links_clean", "signing_now", "status_rows"]

_PACKAGE, _DOCUMENT, _REVISION = itemgetter("packageId"), itemgetter("documentId"), itemgetter("revisionId")
_SIGNER, _SIGNED, _NEXT = itemgetter("signerId"), itemgetter("isSigned"), itemgetter("isNext")
_EXECUTED, _REVISIONS = itemgetter("isExecuted"), itemgetter("revisions")
_KEY = itemgetter("documentId", "revisionId", "isNext", "isSigned")
_URL, _TOKEN, _EXPIRES = itemgetter("link"), itemgetter("token"), itemgetter("timeExpires")
_LINK, _LINKS = methodcaller("get", "link"), methodcaller("get", "links")
_PACKAGE_LINKS = (methodcaller("get", "signLink"), methodcaller("get", "meetingLink"))
_TAIL = itemgetter(slice(-23, None))  # "/" and a 22-character token
Key = tuple[str, tuple[Any, ...]]


@dataclass(slots=True)
class StatusRows:
    """The objects of a strictly valid status, flattened; `owners` is the signer id of each link."""

    body: dict[str, Any]
    documents: list[dict[str, Any]]
    revisions: list[dict[str, Any]]
    signers: list[dict[str, Any]]
    signer_ids: set[str]
    links: list[dict[str, Any]]
    owners: list[str]
    _keys: tuple[set[Key], set[Key]] | None = None

    def keys(self) -> tuple[set[Key], set[Key]]:
        """(revision keys, link keys), computed once: (signer id, (documentId, revisionId, flags))."""
        if self._keys is None:
            revisions, links = self.revisions, self.links
            self._keys = (
                set(zip(map(_SIGNER, revisions), map(_KEY, revisions), strict=True)),
                set(zip(self.owners, map(_KEY, links), strict=True)),
            )
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
    revisions = list(chain.from_iterable(map(_REVISIONS, documents)))
    per_signer = [links or () for links in map(_LINKS, signers)]
    links = list(chain.from_iterable(per_signer))
    owners = list(chain.from_iterable(map(repeat, map(_SIGNER, signers), map(len, per_signer))))
    signer_ids = set(map(_SIGNER, signers))
    return StatusRows(body, documents, revisions, signers, signer_ids, links, owners)


def integrity_clean(ctx: CheckContext) -> bool:
    """No cross-reference, roll-up or Sequential finding (`state_agrees` and GUIDs are not covered)."""
    rows = status_rows(ctx)
    return rows is not None and _ids(rows) and _documents(rows) and _sequential(rows) and _linked(rows)


def _unique(values: list[Any]) -> bool:
    return len(set(values)) == len(values)


def _ids(rows: StatusRows) -> bool:
    if len(rows.signer_ids) != len(rows.signers) or not _unique(list(map(_REVISION, rows.revisions))):
        return False
    if not _unique(list(map(_DOCUMENT, rows.documents))):
        return False
    packages = set(map(_PACKAGE, chain(rows.documents, rows.revisions, rows.links)))
    if not packages <= {rows.body["packageId"]}:
        return False
    return not rows.signers or set(map(_SIGNER, rows.revisions)) <= rows.signer_ids


def _documents(rows: StatusRows) -> bool:
    """Revisions name their document; `isExecuted` of documents and package follow the revisions."""
    flags = []
    for document in rows.documents:
        revisions, executed = document["revisions"], document["isExecuted"]
        if revisions:
            if not set(map(_DOCUMENT, revisions)) <= {document["documentId"]}:
                return False
            if executed is not all(map(_SIGNED, revisions)):
                return False
        flags.append(executed)
    return not flags or rows.body["isExecuted"] is all(flags)


def _sequential(rows: StatusRows) -> bool:
    """At most one next signer, who still has to sign and has the lowest order of those who do."""
    if rows.body["type"] != "Sequential":
        return True
    signers, revisions = list(map(_SIGNER, rows.revisions)), rows.revisions
    following = set(compress(signers, map(_NEXT, revisions)))
    if len(following) != 1:
        return not following
    (next_signer,) = following
    waiting = set(compress(signers, map(not_, map(_SIGNED, revisions))))
    if next_signer not in waiting:
        return False
    orders = {signer["signerId"]: signer["order"] for signer in rows.signers}
    mine = orders.get(next_signer)
    return mine is None or all(mine <= orders[signer] for signer in waiting if signer in orders)


def _linked(rows: StatusRows) -> bool:
    """Every link is a revision of its signer, with the same document and flags."""
    if not rows.links:
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
    if flag is True and not (all(map(_LINK, rows.revisions)) and _covered(rows)):
        return False
    return _well_formed(rows, signing_now(ctx))


def _covered(rows: StatusRows) -> bool:
    """Every revision is a link of its signer."""
    revision_keys, link_keys = rows.keys()
    return revision_keys <= link_keys


def _any_link(rows: StatusRows) -> bool:
    """Whether any revision or signer has a link (an empty list or string is no link)."""
    getters = (_LINKS, *_PACKAGE_LINKS)
    return any(map(_LINK, rows.revisions)) or any(any(map(get, rows.signers)) for get in getters)


def _well_formed(rows: StatusRows, now: datetime | None) -> bool:
    package_links = [link for get in _PACKAGE_LINKS for link in map(get, rows.signers) if link]
    objects = rows.links + package_links
    tokens = list(map(_TOKEN, objects))
    if not set(map(len, tokens)) <= {22}:
        return False
    # Every token is 22 characters, so this holds exactly when each link ends with "/" + its token.
    if objects and "".join(map(_TAIL, map(_URL, objects))) != "/" + "/".join(tokens):
        return False
    if now is None:
        return True
    pending = set(compress(map(_EXPIRES, rows.links), map(not_, map(_SIGNED, rows.links))))
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
