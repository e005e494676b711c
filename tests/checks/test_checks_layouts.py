"""Integrity and signer links in any layout: each rule finds the right row, whatever the order.

The rules judge whole columns and recover pointers from row indices (`checks/_status.py`), so these
tests break one value at every position of consistent statuses laid out as a grid, reordered, ragged
and large, and assert the exact findings and pointers; then every same-type change of a value the
checks cross-reference must be found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from checkdata import STATUS, build_status, deep

from pytest_signcheck import CheckOptions, run_checks
from pytest_signcheck.checks._plan import resolve
from pytest_signcheck.checks._status import status_table
from pytest_signcheck.exchange import Exchange

HEADERS = {"content-type": "application/json"}
NOW = datetime(2026, 2, 26, tzinfo=UTC)
OPTIONS = CheckOptions(generate_signer_links=True, now=NOW)
OTHER = "00000000-0000-4000-8000-0000000000ff"
FLIP = object()  # a boolean's other value
Body = dict[str, Any]


def concurrent(documents: int, signers: int) -> Body:
    """A consistent status with links and no Sequential rule, so one change has one effect."""
    return build_status(documents, signers) | {"type": "concurrent"}


def reordered(status: Body) -> Body:
    for document in status["documents"]:
        document["revisions"].reverse()
    for signer in status["signers"]:
        signer["links"].reverse()
    status["signers"].reverse()
    return status


def ragged(status: Body) -> Body:
    """The last signer signs only the first document."""
    last = status["signers"][-1]
    for document in status["documents"][1:]:
        gone = document["revisions"].pop()
        last["links"] = [link for link in last["links"] if link["revisionId"] != gone["revisionId"]]
    return status


def package_links(status: Body) -> Body:
    for signer in status["signers"]:
        token = signer["signerId"][-22:].replace("-", "x")
        signer["signLink"] = {"name": "p", "link": f"https://sandbox.syngrafii.com/link/{token}"}
        signer["signLink"] |= {"type": "package_sign", "token": token, "timeExpires": "2030-01-01T00:00:00Z"}
        signer["signLink"] |= {"packageId": status["packageId"]}
    return status


LAYOUTS: dict[str, Callable[[], Body]] = {
    "grid": lambda: concurrent(3, 3),
    "one-by-one": lambda: concurrent(1, 1),
    "reordered": lambda: reordered(concurrent(3, 4)),
    "ragged": lambda: ragged(concurrent(3, 3)),
    "package-links": lambda: package_links(concurrent(2, 3)),
    "large": lambda: concurrent(15, 10),
}


def findings(body: Any, options: CheckOptions = OPTIONS) -> set[tuple[str, str, str]]:
    return {(f.check, f.rule, f.pointer) for f in run_checks(Exchange(STATUS, 200, body, HEADERS), options)}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_consistent_layouts_are_clean(layout: str) -> None:
    body = LAYOUTS[layout]()
    assert findings(body) == set()
    assert findings(body | {"type": "Sequential"}) == set()  # in every layout, the order-0 signer is next


def revisions(body: Body) -> Iterator[str]:
    for i, document in enumerate(body["documents"]):
        for j in range(len(document["revisions"])):
            yield f"/documents/{i}/revisions/{j}"


def link_of(body: Body, revision: str) -> str | None:
    """The pointer of the signer link that names the revision at `revision`."""
    revision_id = resolve(body, revision)["revisionId"]
    for k, signer in enumerate(body["signers"]):
        for m, link in enumerate(signer.get("links") or ()):
            if link["revisionId"] == revision_id:
                return f"/signers/{k}/links/{m}"
    return None


def positions(body: Body, places: list[Any]) -> list[Any]:
    """All of them, or the first, a middle and the last in a large status."""
    return places if len(places) < 30 else [places[0], places[len(places) // 2], places[-1]]


def changed(body: Body, pointer: str, value: Any) -> Body:
    copy = deep(body)
    parent, _, key = pointer.rpartition("/")
    target, at = resolve(copy, parent), int(key) if key.isdigit() else key
    target[at] = (not target[at]) if value is FLIP else deep(value)
    return copy


#: field of a revision -> (new value, the findings it must cause: (check, rule, where, field)), where
#: "where" is the changed revision ("revision") or the link that names it ("link").
REVISION_CHANGES: dict[str, tuple[Any, set[tuple[str, str, str, str]]]] = {
    "packageId": (OTHER, {("integrity", "revision-package", "revision", "packageId")}),
    "documentId": (OTHER, {("integrity", "revision-document", "revision", "documentId")}),
    "signerId": (OTHER, {("integrity", "revision-signer", "revision", "signerId")}),
    "revisionId": (
        OTHER,
        {
            ("integrity", "link-revision", "link", "revisionId"),
            ("signer-links", "uncovered", "revision", "revisionId"),
        },
    ),
    "isSigned": (FLIP, {("integrity", "link-flag", "link", "isSigned")}),
    "isNext": (FLIP, {("integrity", "link-flag", "link", "isNext")}),
    "link": (None, {("signer-links", "missing", "revision", "link")}),
}
LINK_CHANGES: dict[str, tuple[Any, set[tuple[str, str, str]]]] = {
    "packageId": (OTHER, {("integrity", "link-package", "packageId")}),
    "documentId": (OTHER, {("integrity", "link-document", "documentId")}),
    "isSigned": (FLIP, {("integrity", "link-flag", "isSigned")}),
    "isNext": (FLIP, {("integrity", "link-flag", "isNext")}),
    "token": ("Z" * 22, {("signer-links", "token", "link")}),
    "timeExpires": ("2031-02-30T00:00:00Z", {("timestamp", "not-iso", "timeExpires")}),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("field", sorted(REVISION_CHANGES))
def test_a_changed_revision_is_found_at_its_row(layout: str, field: str) -> None:
    body = LAYOUTS[layout]()
    value, expected = REVISION_CHANGES[field]
    for revision in positions(body, list(revisions(body))):
        link = link_of(body, revision)
        assert link is not None
        where = {"revision": revision, "link": link}
        wanted = {(check, rule, f"{where[kind]}/{name}") for check, rule, kind, name in expected}
        if field == "isSigned" and layout == "one-by-one":  # its only revision signed: all executed
            wanted |= {("integrity", "document-executed", "/documents/0/isExecuted")}
            wanted |= {("integrity", "package-executed", "/isExecuted")}
        assert findings(changed(body, f"{revision}/{field}", value)) == wanted, revision


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("field", sorted(LINK_CHANGES))
def test_a_changed_link_is_found_at_its_row(layout: str, field: str) -> None:
    body = LAYOUTS[layout]()
    value, expected = LINK_CHANGES[field]
    links = [link for revision in revisions(body) if (link := link_of(body, revision))]
    for link in positions(body, links):
        wanted = {(check, rule, f"{link}/{name}") for check, rule, name in expected}
        assert findings(changed(body, f"{link}/{field}", value)) == wanted, link


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_link_to_another_signers_revision_is_found(layout: str) -> None:
    body = LAYOUTS[layout]()
    links = [(revision, link) for revision in revisions(body) if (link := link_of(body, revision))]
    pairs = list(zip(links, links[1:] + links[:1], strict=True))
    for (revision, link), (other, _) in positions(body, pairs):
        mine, theirs = resolve(body, revision), resolve(body, other)
        if mine["signerId"] == theirs["signerId"] or mine["documentId"] != theirs["documentId"]:
            continue
        found = findings(changed(body, f"{link}/revisionId", theirs["revisionId"]))
        assert ("integrity", "link-signer", f"{link}/revisionId") in found
        assert ("signer-links", "uncovered", f"{revision}/revisionId") in found


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_document_and_signer_changes_are_found_at_their_rows(layout: str) -> None:
    body = LAYOUTS[layout]()
    for i in range(len(body["documents"])):
        where = f"/documents/{i}"
        executed = findings(changed(body, f"{where}/isExecuted", True))
        assert executed == {("integrity", "document-executed", f"{where}/isExecuted")}
        assert findings(changed(body, f"{where}/packageId", OTHER)) == {
            ("integrity", "document-package", f"{where}/packageId")
        }
    for k in range(len(body["signers"])):
        where = f"/signers/{k}/links"
        assert findings(changed(body, where, [])) == {("signer-links", "missing", where)}


def test_repeated_ids_point_at_the_repeat() -> None:
    body = reordered(concurrent(3, 3))
    first, second = body["documents"][0], body["documents"][2]
    dup = changed(body, "/documents/2/documentId", first["documentId"])
    for revision in dup["documents"][2]["revisions"]:
        revision["documentId"] = first["documentId"]
    for signer in dup["signers"]:
        for link in signer["links"]:
            if link["documentId"] == second["documentId"]:
                link["documentId"] = first["documentId"]
    assert findings(dup) == {("integrity", "duplicate-document", "/documents/2/documentId")}
    signer = body["signers"][1]["signerId"]
    twice = changed(body, "/signers/2/signerId", signer)
    found = findings(twice)
    assert ("integrity", "duplicate-signer", "/signers/2/signerId") in found


@pytest.mark.parametrize("layout", ["grid", "reordered", "large"])
def test_a_next_signer_who_signed_everything_is_found_at_their_first_revision(layout: str) -> None:
    body = LAYOUTS[layout]() | {"type": "Sequential"}
    order_zero = next(signer["signerId"] for signer in body["signers"] if signer["order"] == 0)
    first = None
    for revision in revisions(body):
        mine = resolve(body, revision)
        if mine["signerId"] == order_zero:
            first = first or revision
            mine["isSigned"] = True
            link = link_of(body, revision)
            assert link is not None
            resolve(body, link)["isSigned"] = True
    assert findings(body) == {("integrity", "next-signed", f"{first}/isNext")}


def _only(body: Body, rule: str) -> Any:
    (finding,) = [f for f in run_checks(Exchange(STATUS, 200, body, HEADERS), OPTIONS) if f.rule == rule]
    return finding


def test_link_findings_come_in_the_order_of_the_response() -> None:
    """Signer by signer: a signer's links, then its sign link, then the next signer's."""
    body = package_links(concurrent(2, 3))
    for signer in body["signers"]:
        for link in [*signer["links"], signer["signLink"]]:
            link["timeExpires"] = "2025-01-01T00:00:00Z"
    expired = _only(body, "expired")
    assert expired.pointer == "/signers/0/links/0/timeExpires"
    assert "(and 5 more at /signers/*/links/*/timeExpires)" in expired.message  # sign links: no isSigned
    short = package_links(concurrent(2, 3))
    short["signers"][0]["links"] = []  # signer 0: no document links, so its sign link comes first
    for k, signer in enumerate(short["signers"]):
        for link in [signer["signLink"], *signer["links"]][: 1 if k == 0 else 2]:
            link["token"] = f"t{k}"
            link["link"] = f"https://sandbox.syngrafii.com/link/t{k}"
    assert _only(short, "token-length").pointer == "/signers/0/signLink/token"


def test_every_same_type_change_of_a_cross_referenced_value_is_found() -> None:
    """Flip a flag, or swap a judged string for another value of the same field, an unknown GUID, an
    upper-cased copy, junk or an empty string: something must be reported, in any layout."""
    for layout in ("reordered", "package-links"):
        body = LAYOUTS[layout]() | {"type": "Sequential"}
        checked = 0
        for pointer, value in _judged(body):
            for other in _alternatives(body, pointer, value):
                assert findings(changed(body, pointer, other)), (layout, pointer, other)
                checked += 1
        assert checked > 100


#: Fields whose every change is judged (ids, flags, links, times, constants). Not the revision's own
#: `link` (only its presence is documented), `fileId` (an id nothing refers to), nor the `packageId`
#: of a sign or meeting link (no rule compares it with the package's: a gap, kept as it was).
_JUDGED = {"packageId", "documentId", "revisionId", "signerId", "isNext", "isSigned", "isExecuted"}
_JUDGED |= {"token", "link", "timeExpires", "timeSignBy", "state", "type"}


def _judged(body: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(body, dict):
        for key, value in body.items():
            revision_link = key == "link" and "/revisions/" in pointer
            free_text = key == "type" and pointer  # a link's type; the package's is a constant
            package_link = key == "packageId" and pointer.endswith(("signLink", "meetingLink"))
            skipped = revision_link or free_text or package_link
            if key in _JUDGED and not isinstance(value, dict | list) and not skipped:
                yield f"{pointer}/{key}", value
            yield from _judged(value, f"{pointer}/{key}")
    elif isinstance(body, list):
        for index, item in enumerate(body):
            yield from _judged(item, f"{pointer}/{index}")


def _alternatives(body: Any, pointer: str, value: Any) -> list[Any]:
    if isinstance(value, bool):
        return [not value]
    field = pointer.rpartition("/")[2]
    same_field = {v for p, v in _judged(body) if p.rpartition("/")[2] == field and v != value}
    others = [*sorted(map(str, same_field))[:2], OTHER, "x", ""]
    if field in {"timeExpires", "timeSignBy"}:
        others = ["x", "", "2022-02-30T00:00:00Z"]
    return [other for other in {*others, str(value).upper()} if other != value]


def test_pointers_lead_back_to_their_objects_in_any_shape() -> None:
    """Rows skip what is not an object; every row's pointer still resolves to that very object."""
    body = ragged(concurrent(3, 3))
    body["documents"].insert(1, "not a document")
    body["documents"][0]["revisions"].insert(1, None)
    body["documents"][2]["revisions"] = {"not": "a list"}
    body["signers"][0]["links"].insert(0, [])
    del body["documents"][3]["revisions"][0]["isNext"]
    table = status_table(body)
    for rows in (table.documents, table.revisions, table.signers, table.links):
        assert len(rows) > 0
        for row, obj in enumerate(rows.objects):
            assert resolve(body, rows.pointer(row)) is obj
    assert table.revisions.columns.isNext.count(None) == 1  # a missing field reads as None
