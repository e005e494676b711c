"""What redaction masks in free text: the token of a signing link, never the API's own link paths.

Sources name the request a finding came from (``live POST /packages/<id>/link/sign/<signerId>``);
`sign` and `edit` there are documented path words, not secrets. A link URL's last segment is its token.
"""

from __future__ import annotations

import json

import pytest

from pytest_signcheck.contract.redact import redact_text, redact_value, render

TOKEN = "6iC4sCyjRaMTm2FcMjwIVA"  # the documented example's 22 characters


@pytest.mark.parametrize(
    "text",
    [
        "live POST /packages/2dabbbf4-d9f4-45ff-8c78-6b1e06d341c5/link/sign/7c1a4a8e-0b1b-4c3e-9d55",
        "live POST /packages/pkg-1/link/edit",
        "POST /packages/{packageId}/link/sign/{signerId}",
        "POST /packages/{packageId}/link/edit",
        "http://127.0.0.1:8080/api/v1/packages/pkg-1/link/edit?x=1",
        "package.yaml#12 POST /packages/pkg-1/link/sign/s-1: 404",
    ],
)
def test_the_documented_link_paths_are_left_alone(text: str) -> None:
    assert redact_text(text) == text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"https://sign.syngrafii.com/link/{TOKEN}", "https://sign.syngrafii.com/link/***"),
        (
            f"https://sign.syngrafii.com/link/{TOKEN}?returnState=a",
            "https://sign.syngrafii.com/link/***?returnState=a",
        ),
        (f'{{"signLink": "https://x.example/link/{TOKEN}"}}', '{"signLink": "https://x.example/link/***"}'),
        # tokens that begin with the path words are tokens still
        ("https://x.example/link/signAbCdEf123456", "https://x.example/link/***"),
        ("https://x.example/link/edit-9f8e7d6c5b4a", "https://x.example/link/***"),
        ("served https://x.example/link/abcdef123456, twice", "served https://x.example/link/***, twice"),
    ],
)
def test_a_link_token_is_masked(text: str, shown: str) -> None:
    assert redact_text(text) == shown
    assert "abcdef123456" not in redact_text(text) and TOKEN not in redact_text(text)


def test_links_in_values_are_masked_and_paths_are_not() -> None:
    value = {
        "link": f"https://sign.syngrafii.com/link/{TOKEN}",
        "token": TOKEN,
        "path": "/packages/p-1/link/sign/s-1",
        "email": "signer@example.com",
    }
    shown = redact_value("", value)
    assert shown["link"] == "https://sign.syngrafii.com/link/***"
    assert shown["token"] == f"6i***({len(TOKEN)} chars)"
    assert shown["path"] == "/packages/p-1/link/sign/s-1"
    assert TOKEN not in render(value) and "signer@example.com" not in json.dumps(shown)
