"""Compressed responses: record stores the decoded body, replay plays it back, live keeps working.

End to end against a compressing proxy in front of the reference sandbox on 127.0.0.1 (gzip and
deflate always; br where a Brotli decoder is installed), and unit by unit for the decoder and the
loading of someone else's compressed cassettes.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from pytest_signcheck.errors import CassetteError
from pytest_signcheck.sandbox import SandboxServer
from pytest_signcheck.traffic.cassettes import load_cassette
from pytest_signcheck.traffic.encoding import decode_body
from pytest_signcheck.traffic.transport import Client, RecordingTransport

BODY = json.dumps({"items": [], "total": 0, "take": 10, "skip": 0}).encode()
HAS_BROTLI = any(importlib.util.find_spec(name) for name in ("brotli", "brotlicffi"))
ENCODINGS = [
    "gzip",
    "deflate",
    pytest.param("br", marks=pytest.mark.skipif(not HAS_BROTLI, reason="no brotli/brotlicffi installed")),
]
#: libyaml's loader where PyYAML has it: ten times faster on a whole cassette.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: What the proxy answers with, in turn, one response after the other: every encoding end to end in
#: one run (each is also checked on its own below, through the recording transport and on load).
ROTATION = ("gzip", "deflate", "br") if HAS_BROTLI else ("gzip", "deflate")
#: Two scenarios are enough for the transport: 57 responses, successes and error bodies, 19 or more in
#: each encoding (decoding comes before anything that depends on the endpoint).
SOME = ("-k", "list or errors")


def test_record_then_replay_against_a_compressing_server(
    ourtester: pytest.Pytester, sandbox: SandboxServer, proxy: Any, run_record: Any, run_signcheck: Any
) -> None:
    served: list[str] = []
    with proxy(sandbox.base_url, ROTATION, served=served) as url:
        recorded, first = run_record(ourtester, url, *SOME)
    assert recorded.ret == 0, recorded.stdout.str()
    assert first["outcome"] == "pass" and first["summary"]["responses"] > 50
    assert sorted(path.name for path in (ourtester.path / "tapes").iterdir()) == ["errors.yaml", "list.yaml"]
    assert set(served) == set(ROTATION)  # each encoding went over the wire
    for tape in (ourtester.path / "tapes").iterdir():
        for item in yaml.load(tape.read_text(), Loader=LOADER)["interactions"]:
            response = item["response"]
            assert "content-encoding" not in {name.lower() for name in response["headers"]}, tape.name
            json.loads(response["body"]["string"])  # readable JSON, not compressed bytes
    replayed, second = run_signcheck(ourtester, "--signcheck-cassettes", "tapes", *SOME)  # no proxy now
    assert replayed.ret == 0, replayed.stdout.str()
    assert second["outcome"] == "pass" and second["summary"]["responses"] == first["summary"]["responses"]


def test_live_mode_against_a_compressing_server(
    ourtester: pytest.Pytester, sandbox: SandboxServer, proxy: Any, run_live: Any
) -> None:
    served: list[str] = []
    with proxy(sandbox.base_url, ROTATION, served=served) as url:
        result, report = run_live(ourtester, url, *SOME)
    assert result.ret == 0, result.stdout.str()
    assert report["outcome"] == "pass" and report["summary"]["responses"] > 50
    assert set(served) == set(ROTATION)
    assert "DecodingError" not in result.stdout.str()


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_recording_transport_keeps_the_decoded_body_without_its_encoding(
    encoding: str, compressors: Any
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        compressed = compressors[encoding](BODY)
        headers = {"content-type": "application/json", "content-encoding": encoding}
        return httpx.Response(
            200, headers={**headers, "content-length": str(len(compressed))}, content=compressed
        )

    recorder = RecordingTransport(httpx.MockTransport(handler), "list.yaml")
    exchange = Client("http://127.0.0.1:1/api/v1", recorder).call("POST", "/packages/list", json_body={})
    assert exchange.body == json.loads(BODY)
    item = recorder.interactions[0]
    assert item.body == BODY
    assert "content-encoding" not in item.headers and item.headers["content-length"] == [str(len(BODY))]


def _vcrpy_cassette(path: Path, body: bytes, encoding: str) -> None:
    """A cassette as vcrpy writes it without decode_compressed_response: the compressed bytes."""
    interaction = {
        "request": {
            "method": "POST",
            "uri": "https://x.test/api/v1/packages/list",
            "body": "{}",
            "headers": {},
        },
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {"Content-Type": ["application/json"], "Content-Encoding": [encoding]},
            "body": {"string": body},
        },
    }
    path.write_text(yaml.safe_dump({"version": 1, "interactions": [interaction]}))


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_someone_elses_compressed_cassette_is_decoded_on_load(
    tmp_path: Path, encoding: str, compressors: Any
) -> None:
    _vcrpy_cassette(tmp_path / "c.yaml", compressors[encoding](BODY), encoding)
    item = load_cassette(tmp_path / "c.yaml").interactions[0]
    assert item.body == BODY and "Content-Encoding" not in item.headers


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"content-encoding": ["deflate"]}, zlib.compress(BODY)[2:-4]),  # raw deflate, no zlib wrapper
        ({"Content-Encoding": ["gzip, deflate"]}, zlib.compress(gzip.compress(BODY))),  # applied in order
        ({"content-encoding": ["identity"]}, BODY),
        ({}, BODY),
    ],
    ids=["raw-deflate", "gzip-then-deflate", "identity", "plain"],  # compressed bytes vary: never an id
)
def test_decode_body_undoes_every_listed_encoding(headers: dict[str, list[str]], body: bytes) -> None:
    assert decode_body(headers, body, "here")[1] == BODY


@pytest.mark.parametrize(
    ("encoding", "body", "message"),
    [
        ("gzip", b"not gzip at all", "here: its gzip body does not decode"),
        ("compress", b"...", "here: its body is compress-compressed and cannot be decoded"),
    ],
)
def test_a_body_that_does_not_decode_is_a_cassette_error(encoding: str, body: bytes, message: str) -> None:
    with pytest.raises(CassetteError, match=message):
        decode_body({"content-encoding": [encoding]}, body, "here")


def _corrupt(path: Path, metadata: dict[str, Any] | None) -> Path:
    item = {
        "request": {
            "method": "POST",
            "uri": "https://x.test/api/v1/packages/list",
            "body": None,
            "headers": {},
        },
        "response": {
            "status": {"code": 200, "message": "OK"},
            "headers": {"content-encoding": ["gzip"], "content-type": ["application/json"]},
            "body": {"string": b"\x1f\x8b not really gzip"},
        },
    }
    document: dict[str, Any] = {"version": 1, "interactions": [item]}
    if metadata is not None:
        document["metadata"] = metadata
    path.write_text(yaml.safe_dump(document))
    return path


@pytest.mark.parametrize(
    ("ours", "metadata", "whole_file"),
    [
        (True, None, True),  # a replay: every body is played back
        (False, {"signcheck": {"scenario": "list"}}, True),  # an audit of a recording of signcheck's
        (False, None, False),  # an audit of someone else's: that interaction alone is unreadable
    ],
    ids=["replay", "signcheck-recording", "someone-elses"],
)
def test_a_corrupt_body_fails_a_recording_of_signchecks_and_marks_one_interaction_of_anothers(
    tmp_path: Path, ours: bool, metadata: dict[str, Any] | None, whole_file: bool
) -> None:
    path = _corrupt(tmp_path / "list.yaml", metadata)
    if whole_file:
        with pytest.raises(CassetteError, match=r"interaction 0: its gzip body does not decode.*Re-record"):
            load_cassette(path, ours=ours)
        return
    (item,) = load_cassette(path, ours=ours).interactions
    assert "interaction 0: its gzip body does not decode" in item.unreadable
    assert "Re-record" not in item.unreadable and item.body == b"\x1f\x8b not really gzip"
