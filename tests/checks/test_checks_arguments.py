"""The public functions' arguments: reasonable forms are accepted, anything else is a `TypeError` that
names the argument, the type given (never the value) and what is accepted; never a raw Python error
from deep inside a check."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

import httpx
import pytest

from pytest_signcheck import CheckOptions, check_response, check_webhook, run_checks
from pytest_signcheck.exchange import Exchange

STATUS = "GET /packages/{packageId}/status"
ERROR = {"error": "package_not_found", "message": "Package not found."}
HTML = "text/html; charset=utf-8"


def rules(findings: list[Any]) -> list[str]:
    return [f"{f.check}/{f.rule}" for f in findings]


@pytest.mark.parametrize("status_code", [404, "404", " 404 ", HTTPStatus.NOT_FOUND])
def test_a_status_code_is_an_int_or_its_digits(status_code: Any) -> None:
    findings = check_response(STATUS, ERROR, status_code=status_code, expected_status=404)
    assert findings == check_response(STATUS, ERROR, status_code=404, expected_status=404) == []
    assert rules(check_response(STATUS, ERROR, status_code=status_code)) == ["http/status"]


@pytest.mark.parametrize(
    ("status_code", "got"), [("OK", "a str"), (200.0, "a float"), (True, "a bool"), (None, "None")]
)
def test_a_status_code_of_another_type_is_a_type_error(status_code: Any, got: str) -> None:
    accepted = re.escape('an HTTP status code, an int such as 200 (or "200")')
    with pytest.raises(
        TypeError, match=rf"^check_response\(\): `status_code` must be {accepted}; got {got}$"
    ):
        check_response(STATUS, {}, status_code=status_code)


def test_a_status_code_out_of_range_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"`status_code` must be an HTTP status code, 100 to 599; got 2000$"):
        check_response(STATUS, {}, status_code=2000)


HEADER_FORMS = [
    {"Content-Type": HTML},
    [("Content-Type", HTML)],
    (("content-type", HTML),),
    [(b"Content-Type", HTML.encode())],
    httpx.Headers({"Content-Type": HTML}),
]


@pytest.mark.parametrize("headers", HEADER_FORMS, ids=["dict", "pairs", "tuple", "bytes", "httpx"])
def test_headers_are_a_mapping_or_pairs(headers: Any) -> None:
    assert "http/content-type" in rules(check_response(STATUS, ERROR, status_code=404, headers=headers))


@pytest.mark.parametrize("headers", HEADER_FORMS, ids=["dict", "pairs", "tuple", "bytes", "httpx"])
def test_webhook_headers_are_a_mapping_or_pairs(headers: Any) -> None:
    assert "http/signature" in rules(check_webhook({"action": "package_add"}, headers=headers))


@pytest.mark.parametrize("headers", [{"X-Syngrafii-Signature": "s"}, [("x-syngrafii-signature", "s")]])
def test_a_signed_webhook_has_no_signature_finding_in_either_form(headers: Any) -> None:
    assert "http/signature" not in rules(check_webhook({"action": "package_add"}, headers=headers))


def test_repeated_header_names_are_folded_as_http_folds_them() -> None:
    headers = [("Content-Type", "application/json"), ("content-type", "text/html")]
    found = check_response(STATUS, ERROR, status_code=404, headers=headers)
    assert [f.actual for f in found if f.rule == "content-type"] == ['"application/json, text/html"']


@pytest.mark.parametrize(
    ("headers", "got"), [("Content-Type: text/html", "a str"), (3, "an int"), ([("only-a-name",)], "a list")]
)
@pytest.mark.parametrize("function", ["check_response", "check_webhook"])
def test_headers_of_another_form_are_a_type_error(function: str, headers: Any, got: str) -> None:
    call = {
        "check_response": lambda: check_response(STATUS, {}, headers=headers),
        "check_webhook": lambda: check_webhook({}, headers=headers),
    }[function]
    with pytest.raises(TypeError, match=rf"^{function}\(\): `headers` must be a mapping .*; got {got}$"):
        call()


def test_a_type_error_names_the_type_never_the_value() -> None:
    secret = "api_key: 3f9c2d-secret"
    with pytest.raises(TypeError) as raised:
        check_response(STATUS, {}, headers=secret)
    assert "secret" not in str(raised.value)


@pytest.mark.parametrize(("exchange", "got"), [({}, "a dict"), (None, "None"), ({"status": 200}, "a dict")])
def test_run_checks_takes_an_exchange(exchange: Any, got: str) -> None:
    hint = re.escape("an Exchange (for a response body, use check_response(endpoint, body))")
    with pytest.raises(TypeError, match=rf"^run_checks\(\): `exchange` must be {hint}; got {got}$"):
        run_checks(exchange)


def test_run_checks_takes_check_options() -> None:
    exchange = Exchange(STATUS, 404, ERROR)
    with pytest.raises(TypeError, match=r"`options` must be a CheckOptions; got a dict$"):
        run_checks(exchange, {"api_version": "4.0"})  # type: ignore[arg-type]
    assert run_checks(exchange, CheckOptions(expected_status=404)) == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"now": "2025-06-02T09:00:00Z"}, "`now` must be a timezone-aware datetime or None; got a str"),
        ({"generate_signer_links": "yes"}, "`generate_signer_links` must be True, False or None; got a str"),
        ({"expected_status": "abc"}, "`expected_status` must be an HTTP status code"),
        ({"expected_error": 404}, "`expected_error` must be a str or None; got an int"),
    ],
)
def test_bad_option_types_are_type_errors(options: dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError, match=re.escape(message)):
        check_response(STATUS, {}, **options)
    with pytest.raises(TypeError, match=re.escape(message)):
        CheckOptions(**options)


def test_an_endpoint_that_is_not_a_str_is_a_type_error() -> None:
    with pytest.raises(
        TypeError, match=r'`endpoint` must be a str such as "POST /packages/list"; got a tuple$'
    ):
        check_response(("GET", "/packages/x/status"), {})
