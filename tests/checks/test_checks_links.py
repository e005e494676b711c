"""`signer-links` beyond the status: the Package object of add, update and get (§5, §4.2, §4.3), the
links/sign and links/edit responses (§4.11), and `renewed_links` across two responses. (A link
response's `type`, a constant the schema pins, is `schema`'s rule: tested here beside the links.)

Bases: the documented add response (a Video Signing Room package whose signer has both links and whose
host has a sign link object), and the same package made Sequential, with one URL string per signer.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from checkdata import deep

from pytest_signcheck import Finding, Severity, check_response
from pytest_signcheck.checks import _links, renewed_links
from pytest_signcheck.checks._base import Aggregator
from pytest_signcheck.contract.endpoints import Endpoint

EXAMPLES = Path(__file__).parent.parent / "data" / "examples"
B, A, INFO = Severity.BREAKING, Severity.ADDITIVE, Severity.INFO
LINK = "https://sign.syngrafii.com/link/"
ADD, UPDATE, GET = Endpoint.ADD, Endpoint.UPDATE, Endpoint.GET
SIGN, EDIT = Endpoint.SIGN_LINK, Endpoint.EDIT_LINK


def example(folder: str, name: str) -> Any:
    return json.loads((EXAMPLES / folder / name).read_text(encoding="utf-8"))


def video_room() -> dict[str, Any]:
    """The documented add response: a VSR package, its signer with both links, its host a link object."""
    body: dict[str, Any] = example("packages-add.response", "with-package.json")
    return body


def sequential(signers: int = 2) -> dict[str, Any]:
    """The documented add response as a Sequential package: every signer has a signLink string only."""
    body = video_room()
    package = body["package"]
    package["type"], package["meeting"], package["meetingId"] = "Sequential", None, None
    first = package["signers"][0]
    package["signers"] = []
    for n in range(signers):
        signer = deep(first) | {"signerId": f"{n:08x}-0000-4000-8000-000000000001", "index": n}
        signer |= {"signLink": f"{LINK}{'S' * 21}{n}", "meetingLink": None}
        package["signers"].append(signer)
    package["editLink"] = None
    return body


def signer_links(endpoint: str, body: Any, **options: Any) -> list[Finding]:
    return [f for f in check_response(endpoint, body, **options) if f.check == "signer-links"]


def rules(findings: list[Finding]) -> list[tuple[str, Severity, str]]:
    return [(f.rule, f.severity, f.pointer) for f in findings]


# Documented responses pass.


@pytest.mark.parametrize("endpoint", [ADD, UPDATE])
def test_the_documented_add_response_passes_with_the_flag(endpoint: str) -> None:
    assert check_response(endpoint, video_room(), generate_signer_links=True) == []
    assert check_response(endpoint, sequential(), generate_signer_links=True) == []


@pytest.mark.parametrize("links", [True, False, None])
def test_an_add_response_without_its_package_has_nothing_to_judge(links: bool | None) -> None:
    body = example("packages-add.response", "return-package-false.json")
    assert check_response(ADD, body, generate_signer_links=links) == []


def test_the_documented_package_object_passes_get() -> None:
    assert check_response(GET, example("package", "vsr-with-links.json")) == []


LINK_EXAMPLES = [
    (SIGN, "packages-link-sign.response", "sign-page.json"),
    (EDIT, "packages-link-edit.response", "edit-page.json"),
]


@pytest.mark.parametrize(("endpoint", "folder", "file"), LINK_EXAMPLES)
def test_the_documented_link_responses_pass(endpoint: str, folder: str, file: str) -> None:
    assert check_response(endpoint, example(folder, file)) == []
    before = datetime(2021, 8, 10, 15, 0, tzinfo=UTC)  # the example expires at 15:40:51 that day
    assert check_response(endpoint, example(folder, file), now=before) == []


# Presence on add and update.


@pytest.mark.parametrize("endpoint", [ADD, UPDATE])
@pytest.mark.parametrize("none", ["absent", None, ""])
def test_with_the_flag_a_signer_without_its_sign_link_is_breaking(endpoint: str, none: Any) -> None:
    body = sequential()
    if none == "absent":
        del body["package"]["signers"][1]["signLink"]
    else:
        body["package"]["signers"][1]["signLink"] = none
    found = signer_links(endpoint, body, generate_signer_links=True)
    assert rules(found) == [("missing", B, "/package/signers/1/signLink")]
    assert "generateSignerLinks is in effect" in found[0].message


def test_with_the_flag_a_video_room_signer_needs_its_meeting_link() -> None:
    body = video_room()
    body["package"]["signers"][0]["meetingLink"] = None  # its signLink is still there
    found = signer_links(ADD, body, generate_signer_links=True)
    assert rules(found) == [("missing", B, "/package/signers/0/meetingLink")]


def test_a_video_room_is_told_by_its_type_whatever_its_spelling() -> None:
    body = video_room()
    body["package"]["type"] = "VideoClosingRoom"  # type-enum's finding; the links stay judged as a VSR's
    body["package"]["signers"][0]["signLink"] = None
    assert signer_links(ADD, body, generate_signer_links=True) == []


@pytest.mark.parametrize(("field", "value"), [("role", "host"), ("role", "guest"), ("state", "deleted")])
def test_hosts_guests_and_deleted_signers_need_no_link(field: str, value: str) -> None:
    body = sequential()
    body["package"]["signers"][1] |= {field: value, "signLink": None}
    assert signer_links(ADD, body, generate_signer_links=True) == []


@pytest.mark.parametrize("endpoint", [ADD, UPDATE])
def test_without_the_flag_every_link_a_signer_carries_is_breaking(endpoint: str) -> None:
    found = signer_links(endpoint, video_room(), generate_signer_links=False)
    assert rules(found) == [
        ("present", B, "/package/signers/0/signLink"),
        ("present", B, "/package/signers/0/meetingLink"),
    ]  # the host's signLink object is folded into the first group: one problem per field
    assert "(and 1 more at /package/signers/*/signLink)" in found[0].message
    assert [finding.occurrences for finding in found] == [2, 1]  # what the report's totals add up


def test_add_reads_the_flag_from_its_request_when_none_is_given() -> None:
    body = sequential()
    body["package"]["signers"][0]["signLink"] = None
    asked = signer_links(ADD, body, request={"name": "x", "generateSignerLinks": True})
    assert rules(asked) == [("missing", B, "/package/signers/0/signLink")]
    not_asked = signer_links(ADD, sequential(), request={"name": "x"})
    assert [f.rule for f in not_asked] == ["present"]
    assert signer_links(ADD, body) == []  # no request, no flag: presence is not judged


def test_an_update_that_turns_links_off_must_carry_none() -> None:
    request = {"packageId": "p", "generateSignerLinks": False}
    assert [f.rule for f in signer_links(UPDATE, sequential(), request=request)] == ["present"]
    # An update that does not name the flag inherits the add's, which only the caller knows.
    assert signer_links(UPDATE, sequential(), request={"packageId": "p"}) == []


def test_the_given_flag_wins_over_the_request() -> None:
    request = {"name": "x", "generateSignerLinks": False}
    assert signer_links(ADD, sequential(), request=request, generate_signer_links=True) == []


def test_get_never_judges_presence() -> None:
    package = sequential()["package"]
    for signer in package["signers"]:
        signer["signLink"] = None
    assert signer_links(GET, package, generate_signer_links=True) == []
    assert signer_links(GET, sequential()["package"], generate_signer_links=False) == []


# Every link's own rules, on the Package object.


@pytest.mark.parametrize("endpoint", [ADD, UPDATE, GET])
@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("sign here", ("malformed", B)),
        ("ftp://sign.syngrafii.com/link/abc", ("malformed", B)),
        ("//sign.syngrafii.com/link/abc", ("malformed", B)),
        ("https://sign.syngrafii.com/sign?token=abc", ("shape", INFO)),
        ("HTTPS://SIGN.SYNGRAFII.COM/link/ABC", None),  # scheme and host in any case
        ("https://sign.syngrafii.com/LINK/abc", ("shape", INFO)),  # a path is case-sensitive
        ("http://127.0.0.1:8080/tws/link/abc/", None),
    ],
)
def test_a_sign_link_is_an_absolute_url_ending_with_its_token(
    endpoint: str, link: str, expected: tuple[str, Severity] | None
) -> None:
    body = sequential()
    body["package"]["signers"][0]["signLink"] = link
    pointer = "/package/signers/0/signLink"
    if endpoint == GET:
        body, pointer = body["package"], pointer.removeprefix("/package")
    found = signer_links(endpoint, body, generate_signer_links=True)
    assert rules(found) == ([] if expected is None else [(*expected, pointer)])
    assert all(link not in str(finding) for finding in found)


def test_a_link_object_token_must_be_its_last_segment() -> None:
    body = video_room()
    host_link = body["package"]["signers"][1]["signLink"]
    host_link["token"] = "B" + host_link["token"][1:]
    found = signer_links(ADD, body, generate_signer_links=True)
    assert rules(found) == [("token", B, "/package/signers/1/signLink/link")]
    assert host_link["token"] not in str(found[0]) and host_link["link"] not in str(found[0])


def test_an_edit_link_is_judged_like_every_link() -> None:
    body = sequential()
    body["package"]["editLink"] = {"link": "not a url"}
    assert rules(signer_links(ADD, body)) == [("malformed", B, "/package/editLink/link")]


def test_a_link_that_expired_before_the_response_creating_it_is_info() -> None:
    after = datetime(2022, 1, 1, tzinfo=UTC)  # the host's link expired in 2021
    found = signer_links(ADD, video_room(), generate_signer_links=True, now=after)
    assert rules(found) == [("expired", INFO, "/package/signers/1/signLink/timeExpires")]
    assert signer_links(GET, video_room()["package"], now=after) == []  # get creates no link


def test_a_link_expiry_that_is_not_iso_is_timestamp_s_alone() -> None:
    body = video_room()
    body["package"]["signers"][1]["signLink"]["timeExpires"] = "08/10/2021 15:40:51"
    found = check_response(ADD, body, generate_signer_links=True, now=datetime(2022, 1, 1, tzinfo=UTC))
    assert [(f.check, f.pointer) for f in found] == [("timestamp", "/package/signers/1/signLink/timeExpires")]


# The link responses.


@pytest.mark.parametrize(
    ("endpoint", "value", "expected"),
    [
        (SIGN, "package_edit", ("link-type", B)),
        (EDIT, "package_sign", ("link-type", B)),
        (SIGN, "document", ("link-type", B)),
        (SIGN, "packageSign", ("near-miss", B)),
        (EDIT, "PACKAGE-EDIT", ("near-miss", B)),
        (SIGN, "package_signed", ("near-miss", B)),
        (SIGN, "package_sign_mfa", ("new-value", A)),
        (EDIT, "meeting", ("new-value", A)),
    ],
)
def test_a_link_response_has_its_endpoint_s_type(
    endpoint: str, value: str, expected: tuple[str, Severity]
) -> None:
    body = example("packages-link-sign.response", "sign-page.json") | {"type": value}
    found = check_response(endpoint, body)
    assert [(f.check, f.rule, f.severity, f.pointer) for f in found] == [("schema", *expected, "/type")]


def test_a_link_response_whose_token_is_not_its_last_segment_is_breaking() -> None:
    body = example("packages-link-sign.response", "sign-page.json")
    body["token"] = "A" + body["token"][1:]
    assert [(f.check, f.rule, f.pointer) for f in check_response(SIGN, body)] == [
        ("signer-links", "token", "/link")
    ]


def test_a_link_response_already_expired_is_info_and_a_us_date_is_timestamp_s() -> None:
    body = example("packages-link-edit.response", "edit-page.json")
    later = datetime(2021, 8, 11, tzinfo=UTC)
    assert rules(check_response(EDIT, body, now=later)) == [("expired", INFO, "/timeExpires")]
    body["timeExpires"] = "08/10/2021 15:40:51"
    assert [(f.check, f.rule) for f in check_response(EDIT, body, now=later)] == [("timestamp", "not-iso")]


# Renewed links: two responses.


def updated(body: dict[str, Any], suffix: str = "N") -> dict[str, Any]:
    """`body` with every signer link replaced by a new one."""
    body = deep(body)
    for signer in body["package"]["signers"]:
        for key in ("signLink", "meetingLink"):
            link = signer.get(key)
            if isinstance(link, str):
                signer[key] = link[:-1] + suffix
            elif isinstance(link, dict):
                link["token"] = link["token"][:-1] + suffix
                link["link"] = link["link"][:-1] + suffix
    return body


def test_an_update_with_new_links_passes() -> None:
    for before in (sequential(), video_room()):
        assert renewed_links(before, updated(before)) == []


def test_an_update_that_returned_the_same_links_is_breaking() -> None:
    before = video_room()
    found = renewed_links(before, deep(before), source="cassettes/update.yaml#4")
    assert [(f.check, f.rule, f.severity, f.endpoint, f.pointer) for f in found] == [
        ("signer-links", "not-renewed", B, UPDATE, "/package/signers/0/signLink"),
        ("signer-links", "not-renewed", B, UPDATE, "/package/signers/0/meetingLink"),
    ]
    assert "(and 1 more at /package/signers/*/signLink)" in found[0].message
    assert {f.source for f in found} == {"cassettes/update.yaml#4"}
    assert all(LINK not in str(f) for f in found)


def test_renewal_matches_signers_by_id_and_skips_what_has_no_link() -> None:
    before = sequential(3)
    after = deep(before)
    after["package"]["signers"].reverse()
    after["package"]["signers"][0]["signLink"] = None  # the last signer lost its link: run_checks' finding
    found = renewed_links(before, after)
    assert [f.pointer for f in found] == ["/package/signers/1/signLink"]
    assert "(and 1 more" in found[0].message


@pytest.mark.parametrize(
    "odd",
    [
        None,
        [],
        "x",
        {"package": None},
        {"package": {"signers": {}}},
        {"package": {"signers": [1, {"signerId": 5}]}},
    ],
)
def test_renewal_of_odd_shapes_finds_nothing(odd: Any) -> None:
    assert renewed_links(odd, sequential()) == []
    assert renewed_links(sequential(), odd) == []


# The quick pass over a column of URLs never passes one the exact rule fails.

GOOD = [f"https://sign.syngrafii.com/tws/link/{n:022d}" for n in range(3)]
ODD_URLS = [
    "https://sign.syngrafii.com/tws/link/",  # no token
    "https://sign.syngrafii.com/tws/link/a b",
    "https://sign.syngrafii.com/tws/link/a\tb",
    "https://sign.syngrafii.com/tws/link/a\x1fb",
    "https://sign.syngrafii.com/tws/link/a?b=1",
    "https://sign.syngrafii.com/tws/link/a#b",
    "https://sign.syngrafii.com/tws/link/a/b",
    "https://sign.syngrafii.com/tws/link/é",
    "https://sign.syngrafii.com/tws/link/a\u00a0b",
    "https://sign.syngrafii.com/tws/links/abc",
    "https://sign.syngrafii.com/tws/other/abc",
    "https://other.example/link/abc",
    "https:///link/abc",
    "http://sign.syngrafii.com/link/abc",
    "sign.syngrafii.com/link/abc",
]


@pytest.mark.parametrize("odd", ODD_URLS, ids=repr)
def test_the_quick_url_pass_agrees_with_the_exact_rule(odd: str) -> None:
    column = (*GOOD, odd)
    assert not _links._usable(column) or _links._problem(odd) is None
    aggregator = Aggregator(ADD, "signer-links")
    _links.check_urls(aggregator, (column, lambda row: f"/urls/{row}"))
    expected = _links._problem(odd)
    assert [(f.rule, f.pointer) for f in aggregator.findings()] == (
        [] if expected is None else [(expected, "/urls/3")]
    )
