"""The Exchange seam: parsing response bytes and naming endpoints."""

from __future__ import annotations

import json

import pytest

from pytest_signcheck.contract.endpoints import endpoint_for
from pytest_signcheck.exchange import NOT_JSON, Exchange, field_getter, parse_json, parsed_keys


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"a": [1, 2.5, null, true]}', {"a": [1, 2.5, None, True]}),
        (b'{"n": 9223372036854775807, "m": -9223372036854775808}', {"n": 2**63 - 1, "m": -(2**63)}),
        ('{"name": "Contrat de prêt – Ünïcødé"}'.encode(), {"name": "Contrat de prêt – Ünïcødé"}),
    ],
)
def test_json_bodies_parse_like_the_standard_library(content: bytes, expected: object) -> None:
    assert parse_json(content) == expected


def test_nan_is_accepted_as_json_does() -> None:
    value = parse_json(b'{"x": NaN}')
    assert value["x"] != value["x"]


@pytest.mark.parametrize("content", [b"", b"<html>502</html>", b'{"truncated": ', b"\xff\xfe"])
def test_anything_else_is_not_json(content: bytes) -> None:
    assert parse_json(content) is NOT_JSON


def test_parsed_keys_are_the_parsers_own_objects() -> None:
    """The hot paths look fields up with the key objects orjson reuses, so lookups match by identity."""
    (key,) = parsed_keys("revisionId")
    body = parse_json(b'{"revisionId": "r-1", "other": 1}')
    assert any(found is key for found in body)


def test_parsed_keys_refuse_a_repeated_name() -> None:
    with pytest.raises(ValueError, match="repeated"):
        parsed_keys("token", "link", "token")


def test_field_getter_reads_bodies_parsed_any_way() -> None:
    get = field_getter("documentId", "isSigned")
    content = b'{"isSigned": false, "documentId": "d-1"}'
    assert get(parse_json(content)) == get(json.loads(content)) == ("d-1", False)


def test_from_bytes_lowers_header_names_and_marks_non_json() -> None:
    exchange = Exchange.from_bytes(
        "GET /packages/{packageId}/status", 502, b"<h1>Bad gateway</h1>", {"Content-Type": "text/html"}
    )
    assert exchange.content_type == "text/html"
    assert exchange.body is NOT_JSON


@pytest.mark.parametrize(
    ("method", "path", "endpoint"),
    [
        ("GET", "/packages/7a17e4e7/status", "GET /packages/{packageId}/status"),
        ("get", "/packages/7a17e4e7", "GET /packages/{packageId}"),
        ("POST", "/packages/list", "POST /packages/list"),
        ("POST", "/files/upload/", "POST /files/upload"),
        ("DELETE", "/packages/7a17e4e7", None),
        ("POST", "/templates/list", "POST /templates/list"),
        ("POST", "/templates/add", None),
    ],
)
def test_concrete_paths_map_to_documented_endpoints(method: str, path: str, endpoint: str | None) -> None:
    assert endpoint_for(method, path) == endpoint
