"""`integrity`: cross-references and roll-ups inside one response.

Status: revisions name their package, document and a signer of the package; signer links name real
revisions of that signer; `isExecuted` of documents and package agree with the revisions; `state`
agrees with `isExecuted`; a `Sequential` package has at most one next signer, the lowest-order one who
has not signed. List pages: `state` agrees with `isExecuted` per item. Package, document and signer
ids that are not lower-case GUIDs, and link flags that differ from their revision's, are `info`
(guesses from the examples; revision ids are cross-checked through the links instead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pytest_signcheck.checks._base import BREAKING, INFO, Aggregator, CheckContext
from pytest_signcheck.checks._guid import guid_ids
from pytest_signcheck.checks._happy import integrity_clean
from pytest_signcheck.checks._index import StatusIndex, status_index
from pytest_signcheck.checks.enums import STATES
from pytest_signcheck.contract.redact import render
from pytest_signcheck.findings import Finding, Severity

__all__ = ["check_list_integrity", "check_status_integrity", "state_agrees"]

_CHECK = "integrity"
_OTHER = ("the id of its parent", "another id")
#: rule -> (severity, expected, actual, message) for the fixed-text rules.
_RULES: dict[str, tuple[Severity, str, str, str]] = {
    "document-package": (BREAKING, *_OTHER, "The document names another package."),
    "revision-package": (BREAKING, *_OTHER, "The revision names another package."),
    "revision-document": (BREAKING, *_OTHER, "The revision names another document than the one it is in."),
    "revision-signer": (
        BREAKING,
        "a signer's id",
        "unknown",
        "The revision's signerId is not the id of any signer of the package.",
    ),
    "link-package": (BREAKING, *_OTHER, "The signer link names another package."),
    "link-revision": (BREAKING, "a revision id", "unknown", "The signer link names an unknown revision."),
    "link-document": (
        BREAKING,
        *_OTHER,
        "The signer link names another document than the one its revision is in.",
    ),
    "link-signer": (
        BREAKING,
        "own revision",
        "another signer's",
        "The signer link points at a revision that belongs to another signer.",
    ),
    "link-flag": (
        INFO,
        "the revision's value",
        "another value",
        "The signer link's isNext or isSigned differs from its revision's "
        "(a guess: both describe the same revision).",
    ),
}
_FLAGS = ("isNext", "isSigned")


@dataclass(slots=True)
class _Facts:
    """What one pass over the revisions learnt, for the roll-up and Sequential rules."""

    judged: set[int] = field(default_factory=set)
    unsigned: set[int] = field(default_factory=set)
    unclear: set[int] = field(default_factory=set)
    waiting: set[str] = field(default_factory=set)
    unsure: set[str] = field(default_factory=set)  # signers with a revision whose isSigned is not a boolean
    following: dict[str, str] = field(default_factory=dict)


def check_status_integrity(ctx: CheckContext) -> list[Finding]:
    body = ctx.body
    if not isinstance(body, dict):
        return []
    aggregator = ctx.aggregator()
    if integrity_clean(ctx):  # the happy path: whole-column comparisons (`_happy`)
        state_agrees(body, "", ctx.options.api_version, aggregator)
    else:
        _cross_references(ctx, body, aggregator)
    guid_ids(ctx, body, aggregator)
    return aggregator.findings()


def _cross_references(ctx: CheckContext, body: dict[str, Any], aggregator: Aggregator) -> None:
    """The detailed walk: every rule, with the pointer of each offender."""
    index = status_index(ctx)
    _duplicates(index, aggregator)
    facts = _revisions(index, aggregator)
    _links(index, aggregator)
    _rollups(index, facts, body, aggregator)
    state_agrees(body, "", ctx.options.api_version, aggregator)
    if body.get("type") == "Sequential":
        _sequential(index, facts, aggregator)


def check_list_integrity(ctx: CheckContext) -> list[Finding]:
    items = ctx.body.get("items") if isinstance(ctx.body, dict) else None
    if not isinstance(items, list):
        return []
    aggregator = ctx.aggregator()
    for i, item in enumerate(items):
        if isinstance(item, dict):
            state_agrees(item, f"/items/{i}", ctx.options.api_version, aggregator)
    return aggregator.findings()


def state_agrees(package: dict[str, Any], prefix: str, version: str, aggregator: Aggregator) -> None:
    """`state` against `isExecuted`: 4.0 reports an executed package as executed, 3.6 as open."""
    state, executed = package.get("state"), package.get("isExecuted")
    if not isinstance(state, str) or not isinstance(executed, bool) or state not in STATES[version]:
        return
    wanted = "executed" if version == "4.0" else "open"
    if executed and state != wanted:
        message = (
            f"The package is executed (isExecuted is true) but its state is {state!r}; "
            f"in release {version} an executed package has the state {wanted!r}."
        )
        where = f"{prefix}/state"
        aggregator.add(("state", state), _CHECK, BREAKING, where, render(wanted), render(state), message)
    elif not executed and state == "executed":
        message = "The package state is 'executed' but isExecuted is false."
        aggregator.add(("state", state), _CHECK, BREAKING, f"{prefix}/isExecuted", "true", "false", message)


def _report(aggregator: Aggregator, rule: str, pointer: str) -> None:
    severity, expected, actual, message = _RULES[rule]
    aggregator.add((rule,), _CHECK, severity, pointer, expected, actual, message)


def _differs(left: Any, right: Any) -> bool:
    return isinstance(left, str) and isinstance(right, str) and left != right


def _duplicates(index: StatusIndex, aggregator: Aggregator) -> None:
    for pointer, kind in index.duplicates:
        message = f"Two {kind}s share one id, but ids are unique identifiers."
        aggregator.add(
            ("duplicate", kind), _CHECK, BREAKING, pointer, "a unique id", "a repeated id", message
        )


def _revisions(index: StatusIndex, aggregator: Aggregator) -> _Facts:
    """Cross-references of documents and revisions, in one pass that also gathers the facts."""
    package_id, signers, facts = index.package_id, index.signer_by_id, _Facts()
    documents = dict(index.documents)
    for i, document in index.documents:
        if document.get("packageId") != package_id and _differs(document.get("packageId"), package_id):
            _report(aggregator, "document-package", f"/documents/{i}/packageId")
    for i, j, revision in index.revisions:
        get = revision.get
        if get("packageId") != package_id and _differs(get("packageId"), package_id):
            _report(aggregator, "revision-package", f"/documents/{i}/revisions/{j}/packageId")
        if get("documentId") != documents[i].get("documentId") and _differs(
            get("documentId"), documents[i].get("documentId")
        ):
            _report(aggregator, "revision-document", f"/documents/{i}/revisions/{j}/documentId")
        signer_id = get("signerId")
        signer_id = signer_id if signer_id.__class__ is str else None
        if signer_id is not None and signers and signer_id not in signers:
            _report(aggregator, "revision-signer", f"/documents/{i}/revisions/{j}/signerId")
        _gather(facts, i, j, get, signer_id)
    return facts


def _gather(facts: _Facts, i: int, j: int, get: Any, signer_id: str | None) -> None:
    facts.judged.add(i)
    signed = get("isSigned")
    if signed is False:
        facts.unsigned.add(i)
        if signer_id is not None:
            facts.waiting.add(signer_id)
    elif signed is not True:
        facts.unclear.add(i)
        if signer_id is not None:
            facts.unsure.add(signer_id)
    if signer_id is not None and get("isNext") is True and signer_id not in facts.following:
        facts.following[signer_id] = f"/documents/{i}/revisions/{j}/isNext"


def _links(index: StatusIndex, aggregator: Aggregator) -> None:
    """Signer links name a real revision of their signer, in their package and document."""
    revisions, package_id, signers = index.revision_by_id, index.package_id, index.signer_by_id
    documents = dict(index.documents)
    for k, signer in index.signers:
        links, signer_id = signer.get("links"), signer.get("signerId")
        for m, link in enumerate(links) if links.__class__ is list else ():
            if link.__class__ is not dict:
                continue
            get = link.get
            if get("packageId") != package_id and _differs(get("packageId"), package_id):
                _report(aggregator, "link-package", f"/signers/{k}/links/{m}/packageId")
            revision_id = get("revisionId")
            entry = revisions.get(revision_id) if revision_id.__class__ is str else None
            if entry is None:
                if revision_id.__class__ is str and index.readable:
                    _report(aggregator, "link-revision", f"/signers/{k}/links/{m}/revisionId")
                continue
            revision, document_id = entry[2], documents[entry[0]].get("documentId")
            if get("documentId") != document_id and _differs(get("documentId"), document_id):
                _report(aggregator, "link-document", f"/signers/{k}/links/{m}/documentId")
            owner = revision.get("signerId")
            if owner != signer_id and _differs(owner, signer_id) and owner in signers:
                _report(aggregator, "link-signer", f"/signers/{k}/links/{m}/revisionId")
            if get("isNext") != revision.get("isNext") or get("isSigned") != revision.get("isSigned"):
                _flags(link, revision, f"/signers/{k}/links/{m}", aggregator)


def _flags(link: dict[str, Any], revision: dict[str, Any], where: str, aggregator: Aggregator) -> None:
    for flag in _FLAGS:
        mine, theirs = link.get(flag), revision.get(flag)
        if mine != theirs and mine is not None and type(mine) is type(theirs):
            _report(aggregator, "link-flag", f"{where}/{flag}")


def _rollups(index: StatusIndex, facts: _Facts, body: dict[str, Any], aggregator: Aggregator) -> None:
    flags = []  # per document: executed as its revisions say when they can, else as it says itself
    for i, document in index.documents:
        executed = document.get("isExecuted")
        known = i in facts.judged and i not in facts.unclear
        flags.append(i not in facts.unsigned if known else executed)
        if isinstance(executed, bool) and known and executed is (i in facts.unsigned):
            why = "a revision is not signed yet" if executed else "every revision is signed"
            message = f"The document's isExecuted is {render(executed)}, but {why}."
            where = f"/documents/{i}/isExecuted"
            aggregator.add(
                ("document",), _CHECK, BREAKING, where, render(not executed), render(executed), message
            )
    executed = body.get("isExecuted")
    if not flags or not isinstance(executed, bool) or not all(isinstance(flag, bool) for flag in flags):
        return
    if executed != all(flags):
        why = "every document is executed" if all(flags) else "a document is not executed"
        message = f"The package's isExecuted is {render(executed)}, but {why}."
        aggregator.add(
            ("package",), _CHECK, BREAKING, "/isExecuted", render(not executed), render(executed), message
        )


def _sequential(index: StatusIndex, facts: _Facts, aggregator: Aggregator) -> None:
    """At most one next signer; and (when every isSigned is a boolean) the lowest-order waiting one."""
    following = facts.following
    if len(following) > 1:
        count = len(following)
        message = f"The Sequential package has {count} next signers; sequential signing has at most one."
        where = list(following.values())[1]
        aggregator.add(("next-count",), _CHECK, BREAKING, where, "at most 1", str(count), message)
    elif following and not facts.unsure:
        ((signer_id, where),) = following.items()
        _next_is_lowest(index, facts, signer_id, where, aggregator)


def _next_is_lowest(
    index: StatusIndex, facts: _Facts, signer_id: str, where: str, aggregator: Aggregator
) -> None:
    if signer_id not in facts.waiting:
        message = "The next signer of the Sequential package has already signed every revision."
        aggregator.add(
            ("next-signed",), _CHECK, BREAKING, where, "a signer still to sign", "none left", message
        )
        return
    orders = {sid: _order(signer) for sid, (_, signer) in index.signer_by_id.items()}
    waiting = [order for sid in facts.waiting if (order := orders.get(sid)) is not None]
    mine = orders.get(signer_id)
    if mine is not None and waiting and mine > min(waiting):
        lowest = min(waiting)
        message = (
            f"The next signer has order {mine:g}, but a signer with order {lowest:g} has not signed yet; "
            "in a Sequential package the next signer is the lowest-order one who has not signed."
        )
        aggregator.add(
            ("next-order",), _CHECK, BREAKING, where, f"order {lowest:g}", f"order {mine:g}", message
        )


def _order(signer: dict[str, Any]) -> float | None:
    order = signer.get("order")
    return float(order) if isinstance(order, int | float) and not isinstance(order, bool) else None
