"""The one short-cut: a body that passes the strict validator leaves the checks it silences nothing.

`run_checks` skips `schema`, `undocumented-field`, `state-enum`, `type-enum` and `timestamp` for a
strictly valid body (`registry.py`). Here every same-type change of the documented responses that
keeps the body strictly valid is run through those checks directly: none may find anything.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from checkdata import LIST, STATUS, build_status, deep, load

from pytest_signcheck.checks import CheckContext, CheckOptions
from pytest_signcheck.checks._strict import STRICT_TIMESTAMP, strict_validator, strictly_valid
from pytest_signcheck.checks._time import DOCUMENTED_PATTERN, TimestampJudge
from pytest_signcheck.checks.integrity import _GUID, _all_guids
from pytest_signcheck.checks.registry import REGISTRY
from pytest_signcheck.contract import schemas
from pytest_signcheck.contract.endpoints import Endpoint
from pytest_signcheck.exchange import Exchange

#: Both patterns as jsonschema-rs reads them (its ``$`` does not match before a final newline).
ISO8601 = jsonschema_rs.validator_for({"pattern": DOCUMENTED_PATTERN})
STRICT = jsonschema_rs.validator_for({"pattern": STRICT_TIMESTAMP})
HEADERS = {"content-type": "application/json"}
SILENCED = [entry for entry in REGISTRY if entry.strict_silences]


def clean_example() -> dict[str, Any]:
    """The vendor example without its one undocumented field, so that it is strictly valid."""
    example: dict[str, Any] = load("status_example.json")
    for document in example["documents"]:
        document["externalId"] = document.pop("exernalId")
    return example


def bases() -> dict[str, tuple[str, Any, Any]]:
    listing = load("list_page.json")
    return {
        "example": (STATUS, clean_example(), None),
        "generated": (STATUS, build_status(), None),
        "generated-no-links": (STATUS, build_status(links=False), None),
        "list": (LIST, listing["response"], listing["request"]),
    }


def test_the_silenced_checks_are_the_documented_ones() -> None:
    assert {entry.id for entry in SILENCED} == {
        "schema",
        "undocumented-field",
        "state-enum",
        "type-enum",
        "timestamp",
    }


@pytest.mark.parametrize("base", sorted(bases()))
def test_documented_responses_are_strictly_valid(base: str) -> None:
    endpoint, body, _ = bases()[base]
    assert strictly_valid(endpoint, body, "4.0")


def test_the_vendor_example_is_not() -> None:
    assert not strictly_valid(STATUS, load("status_example.json"), "4.0")  # `exernalId` is undocumented


def test_the_strict_schema_narrows_the_shipped_timestamp_pattern() -> None:
    """The tightening finds the one ISO 8601 pattern (defs.json's) and replaces it with real dates."""
    assert schemas.load_schema("defs")["$defs"]["iso8601"]["pattern"] == DOCUMENTED_PATTERN
    impossible = clean_example() | {"timeSignBy": "2022-02-30T20:08:41Z"}
    assert schemas.is_valid("package-status", impossible)
    validator = strict_validator("package-status")
    assert validator is not None
    assert not validator.is_valid(impossible)


def _stamps() -> Iterator[str]:
    rng = random.Random(5)
    for year in range(1, 10000, 7):
        yield f"{year:04d}-02-29T00:00:00Z"
    for day in range(0, 366 * 3, 3):
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
    for _ in range(5000):
        yield "".join(rng.choice(digits) if c.isdigit() else c for c in "2022-03-02T20:08:41+05:30")


def test_the_strict_timestamp_is_a_real_documented_date_time() -> None:
    """Strict implies the shipped pattern and a clean `timestamp` verdict (the converse need not hold)."""
    judge, matched = TimestampJudge(), 0
    for stamp in _stamps():
        if STRICT.is_valid(stamp):
            matched += 1
            assert ISO8601.is_valid(stamp), stamp
            assert judge(stamp) is None, stamp
    assert matched > 1000


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
        return [value + 1, -value]
    if not isinstance(value, str):
        return []
    key = next((part for part in reversed(path) if isinstance(part, str)), "")
    others = {v for p, v in _leaves(body) if p and p[-1] == key and isinstance(v, str) and v != value}
    return [*sorted(others)[:3], "x", value.upper(), "2022-02-29T00:00:00Z", "2024-02-29T00:00:00Z"]


def _mutations(body: Any) -> Iterator[Any]:
    for path, value in _leaves(body):
        for replacement in _alternatives(body, path, value):
            copy = deep(body)
            target = copy
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = replacement
            yield copy


@pytest.mark.parametrize("api_version", ["3.6", "4.0"])
@pytest.mark.parametrize("base", sorted(bases()))
def test_a_strictly_valid_body_leaves_the_silenced_checks_nothing(base: str, api_version: str) -> None:
    endpoint, body, request = bases()[base]
    if api_version == "3.6":  # release 3.6 reports executed packages as open
        for item in body.get("items", ()):
            item["state"] = "open" if item["state"] == "executed" else item["state"]
    options, strict = CheckOptions(api_version=api_version), 0
    for mutated in _mutations(body):
        ctx = CheckContext.of(Exchange(endpoint, 200, mutated, HEADERS, request), options)
        if ctx.strictly_valid:
            strict += 1
            for entry in SILENCED:
                assert entry.check(ctx) == [], (entry.id, mutated)
    assert strict > 50


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


EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


@pytest.mark.parametrize("endpoint", [Endpoint.SIGN_LINK, Endpoint.EDIT_LINK])
def test_an_overlay_takes_the_fast_path_only_when_its_narrowing_holds(endpoint: Endpoint) -> None:
    """Link responses narrow `type` of a shared link schema: the strict pass closes the base schema and
    checks the narrowing as shipped, so the documented example is strictly valid, a wrong `type` or an
    undocumented field is not."""
    kind = "sign" if endpoint is Endpoint.SIGN_LINK else "edit"
    example = json.loads(
        next((EXAMPLES / f"packages-link-{kind}.response").glob("*.json")).read_text(encoding="utf-8")
    )
    assert strictly_valid(endpoint, example, "4.0")
    other = "package_edit" if kind == "sign" else "package_sign"
    assert not strictly_valid(endpoint, {**example, "type": other}, "4.0")
    assert not strictly_valid(endpoint, {**example, "undocumented": 1}, "4.0")
