"""`signcheck audit` and `signcheck diff` of recordings made by other tools, as a user runs them.

The gzip cassette is recorded for real: `requests` through vcrpy, through a gzip-compressing proxy in
front of the reference sandbox. vcrpy then stores the body `requests` already decompressed, beside the
``Content-Encoding: gzip`` header it kept.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from checkdata import vcr_cassette as cassette
from checkdata import vcr_interaction as interaction

from pytest_signcheck.sandbox import SandboxServer
from pytest_signcheck.traffic.encoding import decode_body

LIST_BODY = {"take": 10, "skip": 0, "allMembers": True}


def _record_with_requests(path: Path, url: str, api_key: str, upstream: str) -> None:
    """What pytest-recording does around a `requests` test: vcrpy records, the key header filtered.

    vcrpy patches the whole process, so the proxy's own (httpx) requests to `upstream` are left out."""
    requests = pytest.importorskip("requests")
    vcr = pytest.importorskip("vcr")
    port = urlsplit(upstream).port

    def the_tests_own(request: Any) -> Any:
        return None if request.port == port else request

    recorder = vcr.VCR(filter_headers=["api_key"], before_record_request=the_tests_own)
    with recorder.use_cassette(str(path)):
        listed = requests.post(f"{url}/packages/list", json=LIST_BODY, headers={"api_key": api_key})
        assert listed.headers["content-encoding"] == "gzip" and listed.json()["items"]
        requests.get(f"{url}/healthz", headers={"api_key": api_key})


@pytest.fixture
def requests_tapes(tmp_path: Path, sandbox: SandboxServer, proxy: Any) -> Path:
    with proxy(sandbox.base_url, "gzip") as url:
        _record_with_requests(tmp_path / "tapes" / "test_list.yaml", url, sandbox.api_key, sandbox.base_url)
    return tmp_path / "tapes"


def test_requests_cassette_of_gzip_responses_is_audited(requests_tapes: Path, signcheck_cli: Any) -> None:
    interactions = yaml.safe_load((requests_tapes / "test_list.yaml").read_text())["interactions"]
    assert [item["request"]["method"] for item in interactions] == ["POST", "GET"]  # the test's two requests
    response = interactions[0]["response"]
    headers = {name.lower(): values for name, values in response["headers"].items()}
    assert headers["content-encoding"] == ["gzip"]  # as the user's file was: the header kept,
    json.loads(response["body"]["string"])  # and the body stored already decoded
    result = signcheck_cli(requests_tapes.parent, "audit", "tapes", "--report", "r.json")
    assert result.returncode == 0, result.stdout
    assert "audited tapes/test_list.yaml: 1 checked (1 like the API), 1 skipped" in result.stdout, (
        result.stdout
    )
    assert "does not decode" not in result.stdout
    report = json.loads((requests_tapes.parent / "r.json").read_text())
    assert report["outcome"] == "pass" and report["summary"]["responses"] == 1


def test_requests_cassette_of_gzip_responses_diffs(requests_tapes: Path, signcheck_cli: Any) -> None:
    result = signcheck_cli(requests_tapes.parent, "diff", "tapes", "tapes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "does not decode" not in result.stdout


def _gzip_labelled(body: bytes) -> dict[str, Any]:
    item = interaction("POST", "https://x.test/api/v1/packages/list", {})
    item["response"]["headers"]["content-encoding"] = ["gzip"]
    item["response"]["body"]["string"] = body
    return item


def test_a_body_neither_gzip_nor_json_is_skipped_and_the_rest_is_audited(
    tmp_path: Path, signcheck_cli: Any
) -> None:
    """Someone else's cassette with one corrupt body: that interaction is skipped, named with why, and
    the others are checked (a recording of signcheck's own stays an error: see test_compression)."""
    page = {"items": [], "total": 0, "take": 50, "skip": 0}
    good = interaction("POST", "https://x.test/api/v1/packages/list", page)
    cassette(tmp_path / "tapes" / "mixed.yaml", _gzip_labelled(b"\x1f\x8b not really gzip"), good)
    result = signcheck_cli(tmp_path, "audit", "tapes", "--report", "r.json", "--report", "r.md")
    assert result.returncode == 0, result.stdout
    assert "audited tapes/mixed.yaml: 1 checked (1 like the API), 1 skipped" in result.stdout
    (evidence,) = json.loads((tmp_path / "r.json").read_text())["evidence"]
    (skipped,) = evidence["skipped_interactions"]
    assert skipped["index"] == 0 and skipped["reason"].startswith("its gzip body does not decode (")
    assert "1 skipped (its gzip body does not decode" in (tmp_path / "r.md").read_text()


def test_a_cassette_of_corrupt_bodies_alone_is_could_not_check_and_says_why(
    tmp_path: Path, signcheck_cli: Any
) -> None:
    cassette(tmp_path / "tapes" / "bad.yaml", _gzip_labelled(b"\x1f\x8b not really gzip"))
    result = signcheck_cli(tmp_path, "audit", "tapes")
    assert result.returncode == 10
    assert "1 with a body that could not be read: its gzip body does not decode" in result.stdout
    assert "Re-record" not in result.stdout  # not signcheck's recording: its command would not remake it


def test_a_binary_json_file_is_skipped_as_not_a_cassette(tmp_path: Path, signcheck_cli: Any) -> None:
    cassette(
        tmp_path / "tree" / "list.yaml",
        interaction(
            "POST", "https://x.test/api/v1/packages/list", {"items": [], "total": 0, "take": 10, "skip": 0}
        ),
    )
    (tmp_path / "tree" / "sub").mkdir()
    (tmp_path / "tree" / "sub" / "blob.json").write_bytes(b"\xff\xfe\x00\x9c" + os.urandom(196))
    result = signcheck_cli(tmp_path, "audit", "tree", "--report", "r.json")
    assert result.returncode == 0, result.stdout
    assert "skipped tree/sub/blob.json: not a vcrpy cassette: it is not UTF-8 text" in result.stdout
    assert "Re-record" not in result.stdout and "could not check" not in result.stdout
    evidence = json.loads((tmp_path / "r.json").read_text())["evidence"]
    assert {
        "source": "tree/sub/blob.json",
        "responses": 0,
        "skipped_file": "not a vcrpy cassette: it is not UTF-8 text",
    } in evidence


@pytest.mark.parametrize(
    ("metadata", "advised"),
    [({}, False), ({"signcheck": {"scenario": "list"}}, True)],
    ids=["theirs", "ours"],
)
def test_re_record_advice_only_for_signcheck_recordings(
    tmp_path: Path, signcheck_cli: Any, metadata: dict[str, Any], advised: bool
) -> None:
    tape = cassette(tmp_path / "tapes" / "list.yaml", _gzip_labelled(b"\x00garbage"))
    data = yaml.safe_load(tape.read_text())
    tape.write_text(yaml.safe_dump({**data, "metadata": metadata}))
    result = signcheck_cli(tmp_path, "audit", "tapes")
    assert result.returncode == 10
    assert ("Re-record it: SIGNCHECK_API_KEY=... pytest --signcheck" in result.stdout) is advised


def test_audit_names_the_interactions_it_skipped(tmp_path: Path, signcheck_cli: Any) -> None:
    api = "https://x.test/api/v1"
    others = [interaction("GET", f"{api}/healthz?api_key=k3y", {"ok": True})]
    others += [interaction("GET", f"https://x.test/link/Tok3nSecretValue/view/{n}", {}) for n in range(6)]
    cassette(tmp_path / "tapes" / "mixed.yaml", interaction("POST", f"{api}/packages/list", {}), *others)
    result = signcheck_cli(tmp_path, "audit", "-v", "tapes", "--report", "r.json", "--report", "r.md")
    assert (
        "audited tapes/mixed.yaml: 1 checked (1 like the API), 7 skipped (not a documented endpoint: "
        "GET /api/v1/healthz, GET /link/***/view/0, GET /link/***/view/1, GET /link/***/view/2, "
        "GET /link/***/view/3; and 2 more)"
    ) in result.stdout
    markdown = (tmp_path / "r.md").read_text()
    assert "GET /api/v1/healthz, GET /link/***/view/0" in markdown and "and 2 more" in markdown
    skipped = json.loads((tmp_path / "r.json").read_text())["evidence"][0]["skipped_interactions"]
    assert len(skipped) == 7 and skipped[-1] == {
        "index": 7,
        "method": "GET",
        "path": "/link/***/view/5",
        "reason": "not a documented endpoint",
    }
    everything = result.stdout + markdown + (tmp_path / "r.json").read_text()
    assert "Tok3nSecretValue" not in everything and "k3y" not in everything


def test_audit_without_verbose_only_counts_the_skipped(tmp_path: Path, signcheck_cli: Any) -> None:
    api = "https://x.test/api/v1"
    cassette(
        tmp_path / "tapes" / "t.yaml",
        interaction("POST", f"{api}/packages/list", {}),
        interaction("GET", f"{api}/healthz", {}),
    )
    result = signcheck_cli(tmp_path, "audit", "tapes")
    assert "1 checked (1 like the API), 1 skipped; " in result.stdout
    assert "GET /api/v1/healthz" not in result.stdout


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "compress"])
def test_a_plain_body_under_any_content_encoding_is_read_as_it_is(encoding: str) -> None:
    body = json.dumps({"items": [], "total": 0}).encode()
    headers, decoded = decode_body({"Content-Encoding": [encoding], "Content-Length": ["99"]}, body, "here")
    assert decoded == body and dict(headers) == {"Content-Length": [str(len(body))]}


def test_a_truncated_cassette_of_someone_else_gets_no_re_record_advice(
    tmp_path: Path, signcheck_cli: Any
) -> None:
    (tmp_path / "tapes").mkdir()
    (tmp_path / "tapes" / "cut.yaml").write_text("interactions:\n- request: {method: GET, uri: 'http://x/'\n")
    result = signcheck_cli(tmp_path, "audit", "tapes")
    assert result.returncode == 10
    assert (
        "could not check tapes/cut.yaml: cassette tapes/cut.yaml is truncated or malformed" in result.stdout
    )
    assert "Re-record" not in result.stdout
