"""`integrity`: cross-references and roll-ups inside one response.

Status: ids are unique; documents, revisions and signer links name the package; a revision names the
document it is in and a signer of the package; a signer link names a revision of its own signer, in
that revision's document; `isExecuted` of documents and package agrees with the revisions; `state`
agrees with `isExecuted`; a `Sequential` package has at most one next signer, the lowest-order one who
has not signed. List pages: `state` agrees with `isExecuted` per item. Guesses from the examples are
`info`: link flags that differ from their revision's, and package, document and signer ids that are
not lower-case GUIDs (revision ids are cross-checked through the links instead).

Each rule reads the status as columns (`_status`): it judges a whole column at once and walks only
the rows that break it, for their pointers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import compress, repeat
from operator import is_
from typing import Any

from pytest_signcheck.checks._base import BREAKING, INFO, Aggregator, CheckContext
from pytest_signcheck.checks._rows import NO_ROW, differing, other_than, repeated, strings_at, unknown
from pytest_signcheck.checks._status import Revision, StatusTable
from pytest_signcheck.checks.state_enum import STATES
from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.contract.redact import render
from pytest_signcheck.findings import Finding, Severity

__all__ = ["CHECK", "check_integrity", "state_agrees"]

CHECK = "integrity"
_OTHER = ("the id of its parent", "another id")
_FLAG = ("the revision's value", "another value")
#: rule -> (severity, expected, actual, message) for the fixed-text rules.
_RULES: dict[str, tuple[Severity, str, str, str]] = {
    "document-package": (BREAKING, *_OTHER, "The document names another package."),
    "revision-package": (BREAKING, *_OTHER, "The revision names another package."),
    "revision-document": (BREAKING, *_OTHER, "The revision names another document than the one it is in."),
    "revision-signer": (
        *(BREAKING, "a signer's id", "unknown"),
        "The revision's signerId is not the id of any signer of the package.",
    ),
    "link-package": (BREAKING, *_OTHER, "The signer link names another package."),
    "link-revision": (BREAKING, "a revision id", "unknown", "The signer link names an unknown revision."),
    "link-document": (
        *(BREAKING, *_OTHER),
        "The signer link names another document than the one its revision is in.",
    ),
    "link-signer": (
        *(BREAKING, "own revision", "another signer's"),
        "The signer link points at a revision that belongs to another signer.",
    ),
    "link-flag": (
        *(INFO, *_FLAG),
        "The signer link's isNext or isSigned differs from its revision's "
        "(a guess: both describe the same revision).",
    ),
}
_FLAGS = ("isNext", "isSigned")


def check_integrity(ctx: CheckContext) -> list[Finding]:
    body = ctx.body
    if not isinstance(body, dict):
        return []
    aggregator, version = ctx.aggregator(CHECK), ctx.options.api_version
    if ctx.exchange.endpoint == Endpoint.LIST:
        items = body.get("items")
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict):
                state_agrees(item, f"/items/{i}", version, aggregator)
    else:
        _status(ctx.status, body, version, aggregator)
    return aggregator.findings()


def _status(table: StatusTable, body: dict[str, Any], version: str, aggregator: Aggregator) -> None:
    _unique_ids(table, aggregator)
    _in_place(table, aggregator)
    _links_name_revisions(table, aggregator)
    _link_flags(table, aggregator)
    _rollups(table, body, aggregator)
    state_agrees(body, "", version, aggregator)
    if body.get("type") == "Sequential":
        _sequential(table, aggregator)
    _guid_ids(table, body, aggregator)


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
        where, group = f"{prefix}/state", ("executed-state", state)
        aggregator.add(group[0], BREAKING, where, render(wanted), render(state), message, group=group)
    elif not executed and state == "executed":
        message = "The package state is 'executed' but isExecuted is false."
        where, group = f"{prefix}/isExecuted", ("executed-flag", state)
        aggregator.add(group[0], BREAKING, where, "true", "false", message, group=group)


def _report(aggregator: Aggregator, rule: str, pointer: str) -> None:
    severity, expected, actual, message = _RULES[rule]
    aggregator.add(rule, severity, pointer, expected, actual, message)


def _unique_ids(table: StatusTable, aggregator: Aggregator) -> None:
    """Document, revision and signer ids are unique (revision ids: already known, in the table)."""
    revision_ids = () if table.revision_ids_unique else table.revisions.columns.revisionId
    for kind, rows, ids in (
        ("document", table.documents, table.documents.columns.documentId),
        ("revision", table.revisions, revision_ids),
        ("signer", table.signers, table.signers.columns.signerId),
    ):
        message = f"Two {kind}s share one id, but ids are unique identifiers."
        for row in repeated(ids):
            where = rows.pointer(row, f"{kind}Id")
            aggregator.add(f"duplicate-{kind}", BREAKING, where, "a unique id", "a repeated id", message)


def _in_place(table: StatusTable, aggregator: Aggregator) -> None:
    """Documents and revisions name the package; revisions their document and a signer."""
    documents, revisions = table.documents, table.revisions
    for row in other_than(documents.columns.packageId, table.package_id):
        _report(aggregator, "document-package", documents.pointer(row, "packageId"))
    for row in other_than(revisions.columns.packageId, table.package_id):
        _report(aggregator, "revision-package", revisions.pointer(row, "packageId"))
    for row in differing(revisions.columns.documentId, table.revision_home):
        _report(aggregator, "revision-document", revisions.pointer(row, "documentId"))
    if table.signer_row and not table.own_links:  # own links: every revision signer is a signer
        for row in unknown(revisions.columns.signerId, table.signer_row):
            _report(aggregator, "revision-signer", revisions.pointer(row, "signerId"))


def _links_name_revisions(table: StatusTable, aggregator: Aggregator) -> None:
    """A signer link names the package, and a known revision of its signer in its document."""
    links, targets = table.links, table.targets
    named = links.columns.revisionId
    for row in other_than(links.columns.packageId, table.package_id):
        _report(aggregator, "link-package", links.pointer(row, "packageId"))
    if table.readable and not targets.one_to_one and NO_ROW in targets.rows:
        for row, target in enumerate(targets.rows):
            if target == NO_ROW and isinstance(named[row], str):
                _report(aggregator, "link-revision", links.pointer(row, "revisionId"))
    for row in differing(links.columns.documentId, targets.read(table.revision_home)):
        _report(aggregator, "link-document", links.pointer(row, "documentId"))
    if table.own_links:  # every link points at its own signer's revision
        return
    owners = targets.read(table.revisions.columns.signerId)
    for row in differing(table.link_owner, owners):
        if owners[row] in table.signer_row:
            _report(aggregator, "link-signer", links.pointer(row, "revisionId"))


def _link_flags(table: StatusTable, aggregator: Aggregator) -> None:
    """(info) A link's isNext and isSigned, when given, are its revision's (same type, other value)."""
    revisions = table.revisions.columns
    mine = (table.links.columns.isNext, table.links.columns.isSigned)
    theirs = (table.targets.read(revisions.isNext), table.targets.read(revisions.isSigned))
    if mine == theirs:
        return
    for row in range(len(table.links)):
        for flag, link_flag, revision_flag in zip(_FLAGS, mine, theirs, strict=True):
            value, wanted = link_flag[row], revision_flag[row]
            if value != wanted and value is not None and type(value) is type(wanted):
                _report(aggregator, "link-flag", table.links.pointer(row, flag))


def _said_by_revisions(table: StatusTable) -> dict[int, bool]:
    """Document row -> whether every revision is signed, where its revisions say (at least one
    revision, each isSigned a boolean)."""
    signed = table.revisions.columns.isSigned
    spans = [(parent, start, end) for parent, start, end in table.revisions.spans() if end > start]
    if table.signed_known and (True not in signed or False not in signed):
        return dict.fromkeys((parent for parent, _, _ in spans), False not in signed)  # all alike
    said = {}
    for parent, start, end in spans:
        part = signed[start:end]
        if set(map(type, part)) <= {bool}:
            said[parent] = False not in part
    return said


def _rollups(table: StatusTable, body: dict[str, Any], aggregator: Aggregator) -> None:
    """`isExecuted` of a document follows its revisions, and the package's follows the documents'."""
    said, executed = _said_by_revisions(table), table.documents.columns.isExecuted
    flags = tuple(said.get(row, value) for row, value in enumerate(executed))  # what is known of each
    if flags != executed:
        for row, value in enumerate(executed):
            if isinstance(value, bool) and row in said and value is not said[row]:
                why = "a revision is not signed yet" if value else "every revision is signed"
                message = f"The document's isExecuted is {render(value)}, but {why}."
                where = table.documents.pointer(row, "isExecuted")
                aggregator.add(
                    "document-executed", BREAKING, where, render(not value), render(value), message
                )
    package = body.get("isExecuted")
    if flags and isinstance(package, bool) and set(map(type, flags)) <= {bool} and package != all(flags):
        why = "every document is executed" if all(flags) else "a document is not executed"
        message = f"The package's isExecuted is {render(package)}, but {why}."
        aggregator.add(
            "package-executed", BREAKING, "/isExecuted", render(not package), render(package), message
        )


def _sequential(table: StatusTable, aggregator: Aggregator) -> None:
    """At most one next signer; and (when every isSigned is a boolean) the lowest-order waiting one."""
    revisions = table.revisions.columns
    following = strings_at(revisions.signerId, map(is_, revisions.isNext, repeat(True)))
    if len(following) > 1:
        count = len(following)
        message = f"The Sequential package has {count} next signers; sequential signing has at most one."
        in_order = (signer for signer in _marked(revisions) if isinstance(signer, str))
        second = list(dict.fromkeys(in_order))[1]
        where = table.revisions.pointer(_first_next(revisions, second), "isNext")
        aggregator.add("next-count", BREAKING, where, "at most 1", str(count), message)
    elif following and (table.signed_known or not _unsure(revisions)):
        (signer,) = following
        _next_is_lowest(table, signer, aggregator)


def _marked(revisions: Revision) -> Iterator[Any]:
    """The signer ids of the revisions marked next, in order."""
    return compress(revisions.signerId, map(is_, revisions.isNext, repeat(True)))


def _first_next(revisions: Revision, signer: str) -> int:
    """The row of the first revision of `signer` marked next."""
    return next(
        row
        for row, (mine, marked) in enumerate(zip(revisions.signerId, revisions.isNext, strict=True))
        if marked is True and mine == signer
    )


def _unsure(revisions: Revision) -> set[str]:
    """The signers with a revision whose isSigned is not a boolean."""
    return strings_at(revisions.signerId, (not isinstance(one, bool) for one in revisions.isSigned))


def _waiting(table: StatusTable) -> set[str]:
    """The signers with a revision still to sign (isSigned false, not merely absent)."""
    revisions = table.revisions.columns
    if table.own_links:  # each revision's signer is its link's owner: the same ids, one object per signer
        unsigned = map(is_, table.targets.read(revisions.isSigned), repeat(False))
        return strings_at(table.link_owner, unsigned)
    return strings_at(revisions.signerId, map(is_, revisions.isSigned, repeat(False)))


def _next_is_lowest(table: StatusTable, signer: str, aggregator: Aggregator) -> None:
    revisions = table.revisions.columns
    waiting = _waiting(table)
    if signer not in waiting:
        message = "The next signer of the Sequential package has already signed every revision."
        where = table.revisions.pointer(_first_next(revisions, signer), "isNext")
        aggregator.add("next-signed", BREAKING, where, "a signer still to sign", "none left", message)
        return
    order, rows = table.signers.columns.order, table.signer_row
    orders = [found for sid in waiting if sid in rows and (found := _order(order[rows[sid]])) is not None]
    mine = _order(order[rows[signer]]) if signer in rows else None
    if mine is not None and orders and mine > min(orders):
        lowest = min(orders)
        message = (
            f"The next signer has order {mine:g}, but a signer with order {lowest:g} has not signed yet; "
            "in a Sequential package the next signer is the lowest-order one who has not signed."
        )
        where = table.revisions.pointer(_first_next(revisions, signer), "isNext")
        aggregator.add("next-order", BREAKING, where, f"order {lowest:g}", f"order {mine:g}", message)


def _order(order: Any) -> float | None:
    return float(order) if isinstance(order, int | float) and not isinstance(order, bool) else None


_HEX = bytes.maketrans(b"0123456789abcdefh", b"h" * 16 + b"x")  # a real "h" must not pass
_SHAPE = b"hhhhhhhh-hhhh-hhhh-hhhh-hhhhhhhhhhhh\n"  # a lower-case GUID and a newline, hex digits as h
_BODY_IDS = ("packageId", "organizationId", "memberId")
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _guid_ids(table: StatusTable, body: dict[str, Any], aggregator: Aggregator) -> None:
    """(info) Package, organization, member, document and signer ids are lower-case GUIDs, like every
    id in the docs' examples (the docs only say string); the first that is not is reported."""
    ids = [value for key in _BODY_IDS if isinstance(value := body.get(key), str)]
    for column in (table.documents.columns.documentId, table.signers.columns.signerId):
        ids += [value for value in column if isinstance(value, str)]
    if _all_guids(ids):
        return
    located = _located_ids(table, body)
    pointer, offender = next((where, value) for where, value in located if not _GUID.fullmatch(value))
    message = (
        f"The id {render(offender)} is not a lower-case GUID, unlike every id in the docs' examples "
        "(a guess from the examples: the docs only say string)."
    )
    aggregator.add("guid", INFO, pointer, "a lower-case GUID", render(offender), message)


def _all_guids(ids: list[str]) -> bool:
    """Whether every id is a lower-case GUID, in one comparison: with hex digits read as "h", the ids,
    a newline after each, are the GUID shape repeated (no id can hold a newline: the count of newlines
    would differ)."""
    try:
        joined = "\n".join(ids).encode("ascii") + b"\n"
    except UnicodeEncodeError:
        return False
    return not ids or joined.translate(_HEX) == _SHAPE * len(ids)


def _located_ids(table: StatusTable, body: dict[str, Any]) -> list[tuple[str, str]]:
    """Every id that is a string, with its pointer (a repeated signer id: at its last row)."""
    found = [(f"/{key}", value) for key in _BODY_IDS if isinstance(value := body.get(key), str)]
    documents = table.documents
    found += [
        (documents.pointer(row, "documentId"), value)
        for row, value in enumerate(documents.columns.documentId)
        if isinstance(value, str)
    ]
    found += [(table.signers.pointer(row, "signerId"), value) for value, row in table.signer_row.items()]
    return found
