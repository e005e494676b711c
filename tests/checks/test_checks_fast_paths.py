"""The fast paths report exactly what the walks they skip would report.

Every drift case, and every same-type mutation of the documented responses (a flipped flag, a string
swapped for another value of that field found elsewhere in the body, a changed number), is checked
twice: with the fast paths (strict validator, happy-path comparisons) and with them switched off.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import jsonschema_rs
import pytest
from conftest import LIST, STATUS, build_status, deep, load
from test_checks_drift import DRIFTS, Drift, run

from pytest_signcheck import CheckOptions, Finding, run_checks
from pytest_signcheck.checks import _strict
from pytest_signcheck.checks._base import CheckContext
from pytest_signcheck.checks._guid import _GUID, _all_guids
from pytest_signcheck.checks._happy import integrity_clean, links_clean
from pytest_signcheck.checks._strict import STRICT_TIMESTAMP, strict_validator
from pytest_signcheck.checks._time import TimestampJudge
from pytest_signcheck.contract.schemas import load_schema
from pytest_signcheck.exchange import Exchange

#: Both patterns as jsonschema-rs reads them (its ``$`` does not match before a final newline).
ISO8601 = jsonschema_rs.validator_for({"pattern": load_schema("defs")["$defs"]["iso8601"]["pattern"]})
STRICT = jsonschema_rs.validator_for({"pattern": STRICT_TIMESTAMP})
HEADERS = {"content-type": "application/json"}
OPTIONS = [
    CheckOptions(),
    CheckOptions(generate_signer_links=True, now=datetime(2026, 2, 26, tzinfo=UTC)),
    CheckOptions(generate_signer_links=False, api_version="3.6"),
    CheckOptions(generate_signer_links=True, now=datetime(2031, 1, 1, tzinfo=UTC)),
]


def both_ways(
    monkeypatch: pytest.MonkeyPatch, check: Callable[..., list[Finding]], *args: Any
) -> tuple[list[Finding], list[Finding]]:
    """(fast, slow) results of `check(*args)`."""
    fast = check(*args)
    with monkeypatch.context() as patch:
        patch.setattr(_strict, "FAST_PATHS", False)
        slow = check(*args)
    return fast, slow


def clean_example() -> dict[str, Any]:
    """The vendor example without its one undocumented field, so that it takes the fast paths."""
    example: dict[str, Any] = load("status_example.json")
    for document in example["documents"]:
        document["externalId"] = document.pop("exernalId")
    return example


def bases() -> dict[str, tuple[str, Any, Any]]:
    listing = load("list_page.json")
    return {
        "example": (STATUS, clean_example(), None),
        "big": (STATUS, build_status(), None),
        "big-no-links": (STATUS, build_status(links=False), None),
        "executed": (STATUS, _executed(build_status(documents=1, signers=2)), None),
        "reordered": (STATUS, _reordered(build_status(documents=3, signers=3)), None),
        "ragged": (STATUS, _ragged(build_status(documents=3, signers=3)), None),
        "list": (LIST, listing["response"], listing["request"]),
    }


def _executed(status: dict[str, Any]) -> dict[str, Any]:
    for document in status["documents"]:
        for revision in document["revisions"]:
            revision.update(isSigned=True, isNext=False)
        document["isExecuted"] = True
    for signer in status["signers"]:
        for link in signer.get("links", []):
            link.update(isSigned=True, isNext=False)
    status.update(isExecuted=True, state="executed")
    return status


def _reordered(status: dict[str, Any]) -> dict[str, Any]:
    """Consistent, but revisions and links in another order than the usual grid."""
    for document in status["documents"]:
        document["revisions"].reverse()
    for signer in status["signers"]:
        signer["links"].reverse()
    return status


def _ragged(status: dict[str, Any]) -> dict[str, Any]:
    """Consistent, but the last signer does not sign the first document."""
    revisions, last = status["documents"][0]["revisions"], status["signers"][-1]
    gone = revisions.pop()
    last["links"] = [link for link in last["links"] if link["revisionId"] != gone["revisionId"]]
    return status


def findings(endpoint: str, body: Any, request: Any, options: CheckOptions) -> list[Finding]:
    return run_checks(Exchange(endpoint, 200, body, HEADERS, request), options)


# --- the strict validator ----------------------------------------------------------------------


@pytest.mark.parametrize("base", sorted(bases()))
def test_documented_responses_take_the_fast_path(base: str) -> None:
    endpoint, body, _ = bases()[base]
    name = {STATUS: "package-status", LIST: "packages-list.response"}[endpoint]
    validator = strict_validator(name)
    assert validator is not None
    assert validator.is_valid(body)


@pytest.mark.parametrize("base", ["big", "executed", "reordered", "ragged"])
def test_consistent_statuses_in_any_layout_skip_the_walks(base: str) -> None:
    """The happy-path comparisons clear a consistent status whatever order its lists are in."""
    _, body, _ = bases()[base]
    ctx = CheckContext.of(Exchange(STATUS, 200, body, HEADERS), OPTIONS[1])
    assert integrity_clean(ctx)
    assert links_clean(ctx)


def test_the_vendor_example_does_not() -> None:
    validator = strict_validator("package-status")
    assert validator is not None
    assert not validator.is_valid(load("status_example.json"))  # `exernalId` is undocumented


def _stamps() -> Iterator[str]:
    rng = random.Random(5)
    for year in range(1, 10000):
        yield f"{year:04d}-02-29T00:00:00Z"
    for day in range(0, 366 * 3, 1):
        moment = date(2023, 1, 1) + timedelta(days=day)
        yield f"{moment.isoformat()}T23:59:59.1234567+05:30"
    for month in range(14):
        for day in range(33):
            yield f"2021-{month:02d}-{day:02d}T12:00:00Z"
    for hour, minute, second in ((23, 59, 59), (24, 0, 0), (12, 60, 0), (12, 0, 60), (0, 0, 0)):
        yield f"2022-03-02T{hour:02d}:{minute:02d}:{second:02d}Z"
    for offset in ("+23:59", "-24:00", "+12:60", "-00:00", "+00:00", "Z", ""):
        yield f"2022-03-02T20:08:41{offset}"
    yield from ("0000-01-01T00:00:00Z", "2022-03-02T20:08:41.12345678Z", "2022-03-02T20:08:41.Z")
    yield from ("2022-03-02T20:08:41Z\n", "٢٠٢٢-03-02T20:08:41Z", "2022-03-02 20:08:41Z")
    digits = "0123456789"
    for _ in range(20000):
        yield "".join(rng.choice(digits) if c.isdigit() else c for c in "2022-03-02T20:08:41+05:30")


def test_the_strict_timestamp_is_a_real_documented_date_time() -> None:
    """Strict implies the shipped pattern and a clean `timestamp` verdict (the converse need not hold)."""
    judge, matched = TimestampJudge(), 0
    for stamp in _stamps():
        if STRICT.is_valid(stamp):
            matched += 1
            assert ISO8601.is_valid(stamp), stamp
            assert judge(stamp) is None, stamp
    assert matched > 3000


# --- fast and slow agree ---------------------------------------------------------------------


@pytest.mark.parametrize("drift", DRIFTS, ids=[drift.id for drift in DRIFTS])
def test_drifts_agree(drift: Drift, monkeypatch: pytest.MonkeyPatch) -> None:
    listing = load("list_page.json")
    for status in (load("status_example.json"), clean_example()):
        fast, slow = both_ways(monkeypatch, run, drift, status, deep(listing))
        assert fast == slow


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _leaves(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaves(child, (*path, index))
    else:
        yield path, value


def _alternatives(body: Any, path: tuple[Any, ...], value: Any) -> list[Any]:
    """Same-type replacements: a flipped flag, other numbers, other values of this field, junk."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int | float):
        return [value + 1, value - 1, -value]
    if not isinstance(value, str):
        return []
    key = next((part for part in reversed(path) if isinstance(part, str)), "")
    others = {v for p, v in _leaves(body) if p and p[-1] == key and isinstance(v, str) and v != value}
    return [*sorted(others)[:3], "x", value.upper(), value + "/x", "2022-02-29T00:00:00Z"]


def _mutations(body: Any) -> Iterator[Any]:
    for path, value in _leaves(body):
        for replacement in _alternatives(body, path, value):
            copy = deep(body)
            target = copy
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = replacement
            yield copy


@pytest.mark.parametrize("base", sorted(bases()))
def test_same_type_mutations_agree(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    endpoint, body, request = bases()[base]
    compared = 0
    for mutated in _mutations(body):
        for options in OPTIONS:
            fast, slow = both_ways(monkeypatch, findings, endpoint, mutated, request, options)
            assert fast == slow, (options, [f for f in fast + slow if (f in fast) != (f in slow)])
            compared += 1
    assert compared > 100


def _next_has_signed(status: dict[str, Any]) -> None:
    for document in status["documents"]:
        document["revisions"][0]["isSigned"] = True  # signer 0, still marked next


def _documents_share_an_id(status: dict[str, Any]) -> None:
    first, second = status["documents"][:2]
    second["documentId"] = first["documentId"]
    for revision in second["revisions"]:
        revision["documentId"] = first["documentId"]


def _signers_share_an_id(status: dict[str, Any]) -> None:
    first, second = status["signers"][1:3]
    for document in status["documents"]:
        for revision in document["revisions"]:
            if revision["signerId"] == second["signerId"]:
                revision["signerId"] = first["signerId"]
    second["signerId"] = first["signerId"]


#: Drifts that take two coordinated edits (one edit would break a cheaper rule first).
TARGETED = {
    "next-has-signed": (False, _next_has_signed),
    "documents-share-an-id": (False, _documents_share_an_id),
    "signers-share-an-id": (True, _signers_share_an_id),
}


@pytest.mark.parametrize("case", sorted(TARGETED))
def test_coordinated_drifts_agree(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    links, mutate = TARGETED[case]
    status = build_status(links=links)
    mutate(status)
    for options in OPTIONS:
        fast, slow = both_ways(monkeypatch, findings, STATUS, status, None, options)
        assert fast == slow
    assert findings(STATUS, status, None, OPTIONS[1])


def _ids_like_guids(rng: random.Random) -> Iterator[list[str]]:
    guid = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    changes = ["A", "g", "h", "-", "\n", "", "٣", "0" * 2, " ", "é", "f\nf"]
    for _ in range(3000):
        ids = [guid] * rng.randrange(4)
        if ids and rng.random() < 0.8:
            at, cut = rng.randrange(len(ids)), rng.randrange(37)
            ids[at] = ids[at][:cut] + rng.choice(changes) + ids[at][cut + rng.randrange(2) :]
        yield ids


def test_the_one_comparison_guid_check_agrees_with_the_regex() -> None:
    """`_all_guids` (one translate over all ids) says exactly what the per-id regex says."""
    agreed = [_all_guids(ids) for ids in _ids_like_guids(random.Random(3))]
    expected = [all(_GUID.fullmatch(i) for i in ids) for ids in _ids_like_guids(random.Random(3))]
    assert agreed == expected
    assert 0 < sum(agreed) < len(agreed)
