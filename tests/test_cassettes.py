"""Cassettes: vcrpy's format both ways, scrubbing that keeps links consistent, atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from vcr.cassette import Cassette as VcrCassette
from vcr.request import Request as VcrRequest

from pytest_signcheck.errors import CassetteError
from pytest_signcheck.traffic.cassettes import Interaction, Scrubber, load_cassette, save_cassette

TOKEN = "BKhD5EA0Dw6o0fv7-p3wnw"
STATUS = {
    "packageId": "7a17e4e7-bc32-4256-bf81-27eac794c2b7",
    "documents": [{"revisions": [{"link": f"https://localhost/tws/link/{TOKEN}"}]}],
    "signers": [
        {
            "firstName": "Jane",
            "lastName": "Realperson",
            "email": "jane.realperson@corp.test",
            "mobileNumber": "+44 7700 900123",
            "links": [{"token": TOKEN, "link": f"https://localhost/tws/link/{TOKEN}"}],
        }
    ],
}


def _interaction(body: object = STATUS, request_body: bytes | None = None) -> Interaction:
    return Interaction(
        method="GET",
        uri="http://127.0.0.1:8080/api/v1/packages/7a17e4e7-bc32-4256-bf81-27eac794c2b7/status",
        request_body=request_body,
        request_headers={"api_key": ["super-secret-key-123"], "Accept": ["application/json"]},
        status=200,
        reason="OK",
        headers={"content-type": ["application/json"], "set-cookie": ["session=abc"]},
        body=json.dumps(body).encode(),
    )


def test_saved_cassette_holds_no_key_token_or_personal_data(tmp_path: Path) -> None:
    path = tmp_path / "status.yaml"
    save_cassette(path, [_interaction()], {"signcheck": {"run_id": "r1"}}, secrets=["super-secret-key-123"])
    text = path.read_text()
    for secret in ("super-secret-key-123", TOKEN, "Jane", "Realperson", "corp.test", "7700", "session=abc"):
        assert secret not in text


def test_scrubbed_token_still_equals_its_links_last_segment(tmp_path: Path) -> None:
    path = tmp_path / "status.yaml"
    save_cassette(path, [_interaction()], {})
    body = json.loads(load_cassette(path).interactions[0].body)
    token = body["signers"][0]["links"][0]["token"]
    assert body["signers"][0]["links"][0]["link"].rsplit("/", 1)[1] == token
    assert body["documents"][0]["revisions"][0]["link"].endswith("/" + token)
    assert token != TOKEN and len(token) == len(TOKEN)


def test_scrubbing_is_deterministic_and_distinguishes_people() -> None:
    first, second = Scrubber(), Scrubber()
    people = [{"email": "a@corp.test"}, {"email": "b@corp.test"}, {"email": "a@corp.test"}]
    assert first.json(people) == second.json(people)
    emails = [person["email"] for person in first.json(people)]
    assert emails[0] == emails[2] != emails[1]


def test_round_trip_keeps_everything_that_is_not_secret(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    save_cassette(path, [_interaction(request_body=b'{"take": 10}')], {"signcheck": {"run_id": "abc"}})
    cassette = load_cassette(path)
    item = cassette.interactions[0]
    assert (item.method, item.status, item.reason) == ("GET", 200, "OK")
    assert json.loads(item.request_body or b"") == {"take": 10}
    assert cassette.info == {"run_id": "abc"}
    assert "set-cookie" not in item.headers and "api_key" not in item.request_headers


def test_vcrpy_itself_loads_what_we_write(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    save_cassette(path, [_interaction()], {})
    cassette = VcrCassette.load(path=str(path), record_mode="none")
    request = VcrRequest("GET", _interaction().uri, None, {})
    assert cassette.can_play_response_for(request)
    assert cassette.play_response(request)["status"]["code"] == 200


def test_json_cassettes_are_supported(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    save_cassette(path, [_interaction()], {})
    assert json.loads(path.read_text())["version"] == 1
    assert load_cassette(path).interactions[0].status == 200


def test_a_failed_write_leaves_the_good_cassette_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.yaml"
    save_cassette(path, [_interaction()], {})
    good = path.read_bytes()

    def explode(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("pytest_signcheck._atomic.os.replace", explode)
    with pytest.raises(KeyboardInterrupt):
        save_cassette(path, [_interaction(body={"different": True})], {})
    assert path.read_bytes() == good
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (
            "interactions:\n- request: {method: GET, uri: 'http://x/', body: null, headers: {}}\n"
            "  response: {st",
            "truncated or malformed",
        ),
        ("just: a mapping\n", "not in vcrpy's format"),
        ("!!python/object/apply:os.system ['true']\n", "truncated or malformed"),
    ],
)
def test_bad_cassettes_give_a_clear_message(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(CassetteError, match=fragment) as info:
        load_cassette(path)
    assert "Re-record it" in str(info.value) and str(path) in str(info.value)


def test_missing_cassette_says_how_to_record_it(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match=r"does not exist.*--signcheck-mode record"):
        load_cassette(tmp_path / "nope.yaml")


def test_cassette_yaml_is_plain_text_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    save_cassette(path, [_interaction()], {})
    data = yaml.safe_load(path.read_text())
    assert isinstance(data["interactions"][0]["response"]["body"]["string"], str)
