"""Personal data the docs never name is scrubbed too: the real API sends fields nobody has seen.

End to end: a proxy in front of the reference sandbox adds undocumented personal fields to every signer
(and an undocumented owner), the suite records through it, the cassettes hold none of those values, and
replaying them passes. Then the rules one by one, on the scrubber, replay matching and findings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest

from pytest_signcheck.contract.redact import render
from pytest_signcheck.sandbox import SandboxConfig, SandboxServer, running
from pytest_signcheck.traffic.scrub import Scrubber, mask_personal

#: What the proxy adds to each signer (and `createdBy`/`ownerName` to each package), and must not leak.
PERSONAL = ("Alice Smithson", "alice.smithson@acme-corp.com", "+44 20 7946 0958", "1984-03-02", "Acme Corp")

#: tests/conftest.py's `reverse_proxy`: ``with reverse_proxy(upstream, answer) as url``.
Proxy = Callable[..., AbstractContextManager[str]]


def _person(item: dict[str, Any]) -> None:
    item.update(
        fullName="Alice Smithson",
        phone="+44 20 7946 0958",
        emailAddress="alice.smithson@acme-corp.com",
        birthDate="1984-03-02",
        company="Acme Corp",
        nickname="Ally",
        verifiedAt="2025-06-02T09:00:00Z",
    )


def _inject(value: Any, key: str = "") -> None:
    """Adds the undocumented fields to every object in a `signers` array, and an owner beside them."""
    if isinstance(value, dict):
        if "signers" in value:
            value.update(ownerName="Alice Smithson", createdBy={"display": "Alice Smithson"})
        for name, item in value.items():
            _inject(item, name)
    elif isinstance(value, list):
        for item in value:
            if key == "signers" and isinstance(item, dict):
                _person(item)
            _inject(item, key)


#: What the second proxy adds: a signer's token and portal URL, a package's notes and audit trail.
SECRETS = ("TOKSECRET1234567890abcd", "647) 555-0100", "203.0.113.7", "2001:db8::7", "PortalSess10n0paque")


def _secrets(value: Any, key: str = "") -> None:
    """Adds a secret token and a tokened URL to every signer, and free text with a phone number and an
    audit trail with IP addresses beside every `signers` array."""
    if isinstance(value, dict):
        if "signers" in value:
            trail = [{"actor": {"ip": "203.0.113.7"}, "action": "viewed", "from": "via 2001:db8::7"}]
            value.update(internalNotes="Call Bob Realname at +1 (647) 555-0100 re: closing", auditTrail=trail)
        for name, item in value.items():
            _secrets(item, name)
    elif isinstance(value, list):
        for item in value:
            if key == "signers" and isinstance(item, dict):
                portal = "https://portal.example/s/PortalSess10n0paque/view?token=TOKSECRET1234567890abcd"
                item.update(signingUrlToken="TOKSECRET1234567890abcd", portalUrl=portal)
            _secrets(item, key)


def _injecting(inject: Callable[[Any], None] = _inject) -> Callable[[Any], tuple[int, dict[str, str], bytes]]:
    """A reverse proxy's answer: the upstream's, with `inject` applied to a JSON body and the served-for
    header of a proxy that names the person it served."""

    def answer(request: Any) -> tuple[int, dict[str, str], bytes]:
        status, headers, content = request.forward()
        if headers["content-type"].startswith("application/json"):
            parsed = json.loads(content)
            inject(parsed)
            content = json.dumps(parsed).encode()
        return status, {**headers, "x-served-for": "alice.smithson@acme-corp.com"}, content

    return answer


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with running(SandboxConfig()) as server:
        yield server


def test_undocumented_personal_fields_never_reach_a_cassette_and_replay_passes(
    ourtester: pytest.Pytester,
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    reverse_proxy: Proxy,
) -> None:
    monkeypatch.setenv("SIGNCHECK_API_KEY", sandbox.api_key)
    some = ("-k", "add-and-status or list", "--signcheck-report", "report.json")
    with reverse_proxy(sandbox.base_url, _injecting()) as url:
        into = ("--signcheck-mode", "record", "--signcheck-base-url", url, "--signcheck-cassettes", "tapes")
        recorded = ourtester.runpytest("--signcheck", *into, *some)
    assert recorded.ret == 0, recorded.stdout.str()
    text = "\n".join(path.read_text() for path in (ourtester.path / "tapes").glob("*.yaml"))
    assert "fullName" in text and "emailAddress" in text  # the proxy's fields were recorded...
    for value in (*PERSONAL, "Ally", "Smithson", "acme-corp", "7946"):
        assert value not in text  # ...but none of their values
    assert not re.findall(r"[\w.+-]+@(?!example\.com)[\w-]+\.[\w.]+", text)
    # bodies are JSON text in the YAML: an email is still an email (for `schema`), a date a date
    assert re.search(r'emailAddress\\?": \\?"person\d+@example\.com', text)
    assert re.search(r'birthDate\\?": \\?"1970-01-01\\?"', text)
    assert re.search(r'verifiedAt\\?": \\?"2025-06-02T09:00:00Z', text)  # a time, not personal
    assert "x-served-for:\n      - person" in text
    monkeypatch.delenv("SIGNCHECK_API_KEY")
    replayed = ourtester.runpytest("--signcheck", "--signcheck-cassettes", "tapes", *some)
    assert replayed.ret == 0, replayed.stdout.str()
    report = json.loads((ourtester.path / "report.json").read_text())
    assert report["outcome"] == "pass" and report["target"]["mode"] == "replay"
    assert not any(value in json.dumps(report) for value in PERSONAL)


def test_secret_keys_tokened_urls_phones_and_ips_never_reach_a_cassette_and_replay_passes(
    ourtester: pytest.Pytester,
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    reverse_proxy: Proxy,
) -> None:
    """A key naming a token is scrubbed even inside a person (`signingUrlToken` ends like a link key); a
    URL keeps its shape but not its token; an undocumented field keeps its text but not a phone number
    or an IP address in it."""
    monkeypatch.setenv("SIGNCHECK_API_KEY", sandbox.api_key)
    some = ("-k", "add-and-status or list", "--signcheck-report", "report.json")
    with reverse_proxy(sandbox.base_url, _injecting(_secrets)) as url:
        into = ("--signcheck-mode", "record", "--signcheck-base-url", url, "--signcheck-cassettes", "tapes")
        recorded = ourtester.runpytest("--signcheck", *into, *some)
    assert recorded.ret == 0, recorded.stdout.str()
    text = "\n".join(path.read_text() for path in (ourtester.path / "tapes").glob("*.yaml"))
    assert "signingUrlToken" in text and "internalNotes" in text  # the proxy's fields were recorded...
    for value in SECRETS:
        assert value not in text  # ...but none of their secrets
    assert re.search(r'signingUrlToken\\?": \\?"scrubbed\d{14}\\?"', text)
    assert re.search(r"https://portal\.example/s/scrubbed\d{14}/view\?token=scrubbed\d{14}", text)
    assert "Call Bob Realname at +1555020" in text and re.search(r'ip\\?": \\?"192\.0\.2\.\d+', text)
    monkeypatch.delenv("SIGNCHECK_API_KEY")
    replayed = ourtester.runpytest("--signcheck", "--signcheck-cassettes", "tapes", *some)
    assert replayed.ret == 0, replayed.stdout.str()
    assert not any(value in (ourtester.path / "report.json").read_text() for value in SECRETS)


def _status_body() -> dict[str, Any]:
    signer = {
        "signerId": "0b5f6a9e-63a1-4b51-8d8c-1f2e3d4c5b6a",
        "email": "bob@acme-corp.com",
        "role": "signer",
        "state": "active",
        "timeSigned": "2025-06-02T09:00:00Z",
        "memberGuid": "3c1e2b7d-4f7e-4a51-9c2d-3e4f5a6b7c8d",
        "signLink": {"name": "Lease", "link": "https://x.example/link/Abcdefghijklmnop"},
        "fullName": "Bob Jones",
        "title": "Chief Counsel",
        "mobile": {"number": "+1 212 555 0199", "verified": True},
        "age": 41,
    }
    return {
        "name": "Lease 12",
        "description": "contact carol@acme-corp.com",
        "organizationName": "Acme Corp",
        "signers": [signer, {**signer, "fullName": "Dan Ray", "email": "dan@acme-corp.com"}],
        "createdBy": "Carol Ng",
        "fileName": "lease.pdf",
    }


def test_the_rules_for_what_the_docs_never_name() -> None:
    scrubbed = Scrubber().json(_status_body())
    first, second = scrubbed["signers"]
    # kept: the package's own name and file name, ids, constants, times, numbers, booleans, link shapes
    assert (scrubbed["name"], scrubbed["fileName"]) == ("Lease 12", "lease.pdf")
    assert (first["role"], first["state"]) == ("signer", "active")
    assert first["timeSigned"] == "2025-06-02T09:00:00Z"
    assert first["memberGuid"] == "3c1e2b7d-4f7e-4a51-9c2d-3e4f5a6b7c8d" and first["age"] == 41
    assert first["signLink"]["name"] == "Lease" and first["mobile"]["verified"] is True
    assert re.fullmatch(r"https://x\.example/link/scrubbed\d{14}", first["signLink"]["link"])
    # replaced: every email (in free text too), a person's every other string, keys naming personal data
    assert scrubbed["description"] == "contact person1@example.com"
    assert re.fullmatch(r"person\d@example\.com", first["email"]) and first["email"] != second["email"]
    assert first["fullName"] != second["fullName"] and first["title"] == second["title"]
    assert re.fullmatch(r"\+1555020\d{4}", first["mobile"]["number"])
    text = json.dumps(scrubbed)
    for value in ("acme-corp", "Bob", "Dan", "Carol", "Counsel", "Acme Corp", "555 0199"):
        assert value not in text


def test_the_same_value_gets_the_same_fake_within_a_cassette() -> None:
    scrubber = Scrubber()
    body = scrubber.json({"signers": [{"emailAddress": "a@b.io"}], "note": "mail a@b.io"})
    assert body == {"signers": [{"emailAddress": "person1@example.com"}], "note": "mail person1@example.com"}
    assert scrubber.headers({"x-owner": ["a@b.io"]}) == {"x-owner": ["person1@example.com"]}


def test_replay_matching_masks_what_the_scrubber_changes() -> None:
    """A recorded request body holds fakes where the live one holds real values: both mask alike."""
    live = {"signers": [{"firstName": "Ann", "fullName": "Ann Lee", "role": "signer"}], "search": "a@b.io"}
    assert mask_personal(live) == mask_personal(Scrubber().json(live))
    assert mask_personal({"states": ["open"], "take": 10}) == {"states": ["open"], "take": 10}


def test_findings_never_show_undocumented_personal_data() -> None:
    shown = render(_status_body()["signers"][0])
    for value in ("acme-corp", "Bob Jones", "Counsel", "555 0199"):
        assert value not in shown
    assert render("Bob Jones", "fullName") != '"Bob Jones"'


def test_the_rules_for_secrets_urls_phones_and_ips() -> None:
    guid = "9f0c3c1e-2b7d-4f7e-9a51-1c2d3e4f5a6b"
    body = {
        "description": "call +1 (647) 555-0100",  # documented free text: kept
        "internalNotes": "Call Bob at +1 (647) 555-0100 on 2025-06-02 09:00:00, ref 2025-06-02",
        "signers": [{"signingUrlToken": "TOKSECRET1234567890abcd", "role": "signer"}],
        "auth": {"credentials": {"user": "svc"}, "apiKey": "k-1", "accessPin": "4321"},
        "returnUrl": f"https://app.example/packages/{guid}/link/sign/ok",
        "portal": "https://p.example/s/Op4queSegment0000x/v?token=TOKSECRET1234567890abcd&x=1#f",
        "actor": {"ip": "203.0.113.7"},
        "seenFrom": "2001:db8::7 then 10.0.0.999",
        "timeCreated": "2025-06-02 09:00:00",
    }
    scrubbed = Scrubber().json(body)
    token = scrubbed["signers"][0]["signingUrlToken"]
    assert re.fullmatch(r"scrubbed\d{14}", token) and scrubbed["signers"][0]["role"] == "signer"
    assert scrubbed["description"] == body["description"]
    assert scrubbed["internalNotes"] == "Call Bob at +15550200001 on 2025-06-02 09:00:00, ref 2025-06-02"
    assert "svc" not in json.dumps(scrubbed) and scrubbed["auth"]["apiKey"] != "k-1"
    assert scrubbed["auth"]["accessPin"] != "4321"
    assert scrubbed["returnUrl"] == body["returnUrl"]  # a GUID and the API's own /link/sign/ stay
    # the same token in a field and in a URL gets the same fake; the URL keeps its shape
    portal = rf"https://p\.example/s/scrubbed\d{{14}}/v\?token={token}&x=scrubbed\d{{14}}#scrubbed\d{{14}}"
    assert re.fullmatch(portal, scrubbed["portal"])
    assert re.fullmatch(r"192\.0\.2\.\d", scrubbed["actor"]["ip"])
    assert scrubbed["seenFrom"].startswith("192.0.2.") and scrubbed["seenFrom"].endswith("10.0.0.999")
    assert scrubbed["timeCreated"] == body["timeCreated"]
    shown = render(body)
    for value in ("TOKSECRET", "555-0100 on", "203.0.113", "Op4que", "svc"):
        assert value not in shown
    assert mask_personal(body) == mask_personal(Scrubber().json(body))
