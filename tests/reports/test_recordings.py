"""`signcheck diff OLD NEW` of two recordings: what the API returned differently, whatever the docs say.

Small vcrpy cassettes written here show each kind of change and what is never shown (personal data,
tokens, free text); recordings of the reference sandbox, clean and with drift switches, show that the
diff lists exactly what the switches change and nothing between two clean recordings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pytest_signcheck.cli import main
from pytest_signcheck.sandbox import SandboxConfig, SandboxServer, running
from pytest_signcheck.settings import Settings
from pytest_signcheck.suite import SCENARIOS, SuiteRunner

STATUS, LIST, ADD = "GET /packages/{packageId}/status", "POST /packages/list", "POST /packages/add"
STATUS_URI = "https://sandbox.syngrafii.com/api/v1/packages/{}/status"


def _interaction(
    body: Any, status: int = 200, content_type: str = "application/json", uri: str = ""
) -> dict[str, Any]:
    text = body if isinstance(body, str) else json.dumps(body)
    return {
        "request": {"method": "GET", "uri": uri or STATUS_URI.format("p1"), "body": None, "headers": {}},
        "response": {
            "status": {"code": status, "message": "OK"},
            "headers": {"Content-Type": [content_type]},
            "body": {"string": text},
        },
    }


def _cassette(path: Path, *interactions: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "interactions": list(interactions)}))
    return path


def _status(**fields: Any) -> dict[str, Any]:
    body = {"packageId": "9f0c3c1e-2b7d-4f7e-9a51-1c2d3e4f5a6b", "state": "open", "isExecuted": False}
    return {**body, **fields}


def _diff(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    """`signcheck diff OLD NEW --report diff.json` in this process: exit status and the JSON report."""
    status = main(["diff", *args, "--report", str(tmp_path / "diff.json")])
    capsys.readouterr()
    return status, json.loads((tmp_path / "diff.json").read_text())


def _changes(report: dict[str, Any]) -> set[tuple[Any, ...]]:
    return {
        (c["endpoint"], c["status"], c["kind"], c["pointer"], c["old"], c["new"]) for c in report["changes"]
    }


def test_fields_types_nullability_and_values_are_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _cassette(
        tmp_path / "old.json",
        _interaction(_status(signers=[{"signerId": "a1b2"}], timeSignBy="2025-06-02T09:00:00Z")),
        _interaction(_status(state="draft", signers=[], timeSignBy="2025-06-02T09:00:00Z")),
    )
    new = _cassette(
        tmp_path / "new.json",
        _interaction(
            _status(isExecuted="false", signers=[{"signerID": "a1b2"}], timeSignBy=None, archived=True)
        ),
        _interaction(
            _status(
                state="voided",
                isExecuted="true",
                signers=[],
                timeSignBy="2025-06-02T09:00:00Z",
                archived=False,
            )
        ),
    )
    status, report = _diff(tmp_path, capsys, str(old), str(new))
    assert status == 1 and report["outcome"] == "drift"
    assert _changes(report) == {
        (STATUS, 200, "field-vanished", "/signers/*/signerId", "string", ""),
        (STATUS, 200, "field-appeared", "/signers/*/signerID", "", "string"),
        (STATUS, 200, "field-appeared", "/archived", "", "boolean"),
        (STATUS, 200, "type-changed", "/isExecuted", "boolean", "string"),
        (STATUS, 200, "null-appeared", "/timeSignBy", "string", "null, string"),
        (STATUS, 200, "value-vanished", "/state", '"draft"', ""),
        (STATUS, 200, "value-appeared", "/state", "", '"voided"'),
    }
    renamed = next(c for c in report["changes"] if c["kind"] == "field-vanished")
    assert renamed["note"] == "`/signers/*/signerID` appeared beside it (renamed?)" and renamed["breaking"]


def test_status_codes_and_media_types_are_compared_and_a_vanished_body_hides_its_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    error = {"error": "package_not_found", "message": "Package not found."}
    old = _cassette(tmp_path / "old.json", _interaction(_status()), _interaction(error, 404))
    html = "<html><body>Not found</body></html>"
    new = _cassette(tmp_path / "new.json", _interaction(_status(), 201), _interaction(html, 404, "text/html"))
    status, report = _diff(tmp_path, capsys, str(old), str(new))
    assert status == 1
    assert _changes(report) == {
        (STATUS, 200, "status-vanished", "", "1", ""),
        (STATUS, 201, "status-appeared", "", "", "1"),
        (STATUS, 404, "media-type-vanished", "", "application/json", ""),
        (STATUS, 404, "media-type-appeared", "", "", "text/html"),
        (STATUS, 404, "field-vanished", "", "object", ""),  # the JSON body: /error and /message go with it
    }


def test_rate_limits_and_server_errors_coming_or_going_are_listed_never_breaking(
    tmp_path: Path, signcheck_cli: Any
) -> None:
    """A 502 the old recording met and a 429 the new one retried through are no change of the API; the
    HTML a gateway sent, and a 503's body, are no shape of it either."""
    gateway = "<html><body>Bad Gateway</body></html>"
    busy = {"error": "overloaded", "retryIn": 3}
    old = [_interaction(_status()), _interaction(gateway, 502, "text/html"), _interaction(busy, 503)]
    slow = {"message": "slow down"}
    new = [_interaction(_status()), _interaction(slow, 429), _interaction({"x": [1]}, 503)]
    _cassette(tmp_path / "old.json", *old)
    _cassette(tmp_path / "new.json", *new)
    result = signcheck_cli(tmp_path, "diff", "old.json", "new.json", "--report", "d.json", "--report", "d.md")
    assert result.returncode == 0, result.stdout
    report = json.loads((tmp_path / "d.json").read_text())
    assert report["outcome"] == "pass"
    assert _changes(report) == {
        (STATUS, 429, "status-appeared", "", "", "1"),
        (STATUS, 502, "status-vanished", "", "1", ""),
    }
    assert not any(change["breaking"] for change in report["changes"])
    vanished = "  - status 502 no longer answered (1 response(s) before); transient (a rate limit"
    assert vanished in result.stdout
    assert "(breaking)" not in (tmp_path / "d.md").read_text()
    # the same statuses, a breaking kind otherwise: a vanished 404 still breaks
    _cassette(tmp_path / "gone.json", _interaction(_status()))
    _cassette(tmp_path / "had.json", _interaction(_status()), _interaction({"error": "x"}, 404))
    assert signcheck_cli(tmp_path, "diff", "had.json", "gone.json").returncode == 1


def test_error_codes_are_constants_whose_values_are_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The docs list error codes by example, not as an enum (`x-signcheck-constant` in error.json)."""
    old = _cassette(
        tmp_path / "old.json", _interaction({"error": "package_not_found", "message": "Gone."}, 404)
    )
    renamed = {"error": "PackageNotFound", "message": "Package 9f0c3c1e was not found for a@b.example."}
    new = _cassette(tmp_path / "new.json", _interaction(renamed, 404))
    status, report = _diff(tmp_path, capsys, str(old), str(new))
    assert status == 1
    assert _changes(report) == {
        (STATUS, 404, "value-vanished", "/error", '"package_not_found"', ""),
        (STATUS, 404, "value-appeared", "/error", "", '"PackageNotFound"'),
    }  # the message is free text: neither compared nor shown


def test_personal_data_tokens_and_free_text_are_never_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def signer(first: str, token: str, note: str) -> dict[str, Any]:
        return {"firstName": first, "email": f"{first.lower()}@example.com", "token": token, "note": note}

    old = [
        _interaction(_status(signers=[signer("Alice", "Abcdefghijklmnopqrstuv", "call me")]))
        for _ in range(3)
    ]
    new = [
        _interaction(_status(signers=[signer("Bob", "Zyxwvutsrqponmlkjihgfe", "call 555 0100")]))
        for _ in range(3)
    ]
    status, report = _diff(
        tmp_path, capsys, str(_cassette(tmp_path / "o.json", *old)), str(_cassette(tmp_path / "n.json", *new))
    )
    assert status == 0 and report["changes"] == []
    text = (tmp_path / "diff.json").read_text()
    for secret in ("Alice", "Bob", "example.com", "Abcdefghij", "Zyxwvutsrq", "call"):
        assert secret not in text


def test_additions_alone_pass_and_two_equal_recordings_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _cassette(tmp_path / "old.json", _interaction(_status()))
    new = _cassette(tmp_path / "new.json", _interaction(_status(archived=True)))
    assert _diff(tmp_path, capsys, str(old), str(new))[0] == 0
    assert main(["diff", str(old), str(old)]) == 0
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == "pass: 0 change(s), 0 of which break a client (vanished or changed type)"
    )


def test_folders_are_walked_other_files_skipped_and_an_endpoint_seen_once_is_not_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _cassette(tmp_path / "old" / "a.json", _interaction(_status()))
    (tmp_path / "old" / "docker-compose.yml").write_text("services: {}\n")
    list_uri = "https://sandbox.syngrafii.com/api/v1/packages/list"
    listed = _interaction({"items": [], "total": 0, "take": 10, "skip": 0}, uri=list_uri)
    listed["request"]["method"] = "POST"
    _cassette(tmp_path / "new" / "b.json", _interaction(_status()), listed)
    status, report = _diff(tmp_path, capsys, str(tmp_path / "old"), str(tmp_path / "new"))
    assert status == 0 and report["changes"] == []
    assert report["not_compared"] == [{"endpoint": LIST, "recorded_in": "new"}]
    assert report["old"]["not_cassettes"] == [str(tmp_path / "old" / "docker-compose.yml")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "b.json"], "nowhere: no such file or folder"),
        (["notes.json", "b.json"], "notes.json: neither a vcrpy cassette nor a signcheck JSON report"),
        (["report.json", "tapes"], "report.json is a signcheck JSON report and tapes is not"),
        (["report.json", "report.json", "--report", "d.md"], "--report writes the diff of two recordings"),
    ],
)
def test_what_cannot_be_compared_is_a_usage_error(
    tmp_path: Path, signcheck_cli: Any, args: list[str], message: str
) -> None:
    _cassette(tmp_path / "b.json", _interaction(_status()))
    _cassette(tmp_path / "tapes" / "c.json", _interaction(_status()))
    (tmp_path / "notes.json").write_text('{"hello": 1}')
    (tmp_path / "report.json").write_text('{"signcheck_report": 1, "outcome": "pass", "findings": []}')
    result = signcheck_cli(tmp_path, "diff", *args)
    assert result.returncode == 4
    assert f"signcheck diff: error: {message}" in result.stderr


def test_a_recording_without_a_documented_response_could_not_be_compared(
    tmp_path: Path, signcheck_cli: Any
) -> None:
    _cassette(tmp_path / "b.json", _interaction(_status()))
    (tmp_path / "empty").mkdir()
    result = signcheck_cli(tmp_path, "diff", "empty", "b.json", "--report", "diff.md")
    assert result.returncode == 10
    assert "could not check: nothing to compare: the old recording held no response" in result.stdout
    assert "**Outcome: could-not-check.**" in (tmp_path / "diff.md").read_text()


# --- recordings of the reference sandbox ------------------------------------------------------------------

#: What each switch changes in what the suite's requests get back, from its description (`--list-drifts`).
SWITCHES: dict[str, set[tuple[Any, ...]]] = {
    "rename-signer-id": {  # status: signers[].signerId is renamed signerID
        (STATUS, 200, "field-vanished", "/signers/*/signerId", "string", ""),
        (STATUS, 200, "field-appeared", "/signers/*/signerID", "", "string"),
    },
    "executed-as-string": {  # status and list: every isExecuted is the string "true"/"false"
        *(
            (STATUS, 200, "type-changed", p, "boolean", "string")
            for p in ("/isExecuted", "/documents/*/isExecuted")
        ),
        *(
            (LIST, 200, "type-changed", f"/items/*{p}/isExecuted", "boolean", "string")
            for p in ("", "/documents/*", "/signers/*")
        ),
    },
    "extra-field": {  # status and list items gain undocumented timeCompleted and archived fields
        (STATUS, 200, "field-appeared", "/timeCompleted", "", "null"),
        (STATUS, 200, "field-appeared", "/archived", "", "boolean"),
        (LIST, 200, "field-appeared", "/items/*/timeCompleted", "", "null, string"),
        (LIST, 200, "field-appeared", "/items/*/archived", "", "boolean"),
    },
    "state-new-value": {  # rescinded packages report 'voided' (the suite reads status and list)
        *(
            (e, 200, "value-vanished", p, '"rescinded"', "")
            for e, p in ((STATUS, "/state"), (LIST, "/items/*/state"))
        ),
        *(
            (e, 200, "value-appeared", p, "", '"voided"')
            for e, p in ((STATUS, "/state"), (LIST, "/items/*/state"))
        ),
    },
    "type-lowercase": {  # Sequential -> sequential, Counterpart -> counterpart, wherever a type is
        (endpoint, 200, kind, pointer, *values)
        for endpoint, pointer in ((ADD, "/package/type"), (STATUS, "/type"), (LIST, "/items/*/type"))
        for name in ("Sequential", "Counterpart")
        for kind, values in (
            ("value-vanished", (f'"{name}"', "")),
            ("value-appeared", ("", f'"{name.lower()}"')),
        )
    },
    "not-found-200": {(STATUS, 404, "status-vanished", "", "2", "")},  # unknown package: 200 and {}
}


def _record(server: SandboxServer, folder: Path) -> Path:
    settings = Settings(
        enabled=True, mode="record", base_url=server.base_url, api_key=server.api_key, cassettes=folder
    )
    runner = SuiteRunner(settings)
    for scenario in SCENARIOS:
        assert runner.run(scenario).problem is None
    return folder


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The suite recorded twice against one clean sandbox (other run ids, package ids, tokens and times),
    and once against a sandbox with every switch of `SWITCHES` on."""
    root = tmp_path_factory.mktemp("recordings")
    with running(SandboxConfig()) as clean:
        first, second = _record(clean, root / "clean"), _record(clean, root / "later")
    with running(SandboxConfig(drifts=tuple(SWITCHES))) as drifted:
        yield {"clean": first, "later": second, "drift": _record(drifted, root / "drift")}


def test_two_recordings_of_the_clean_sandbox_differ_in_nothing(
    recordings: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (recordings["clean"] / "list.yaml").read_text() != (recordings["later"] / "list.yaml").read_text()
    status, report = _diff(tmp_path, capsys, str(recordings["clean"]), str(recordings["later"]))
    assert (status, report["changes"], report["not_compared"]) == (0, [], [])
    assert report["old"]["responses"] == report["new"]["responses"] > 100


def test_the_diff_lists_exactly_what_the_drift_switches_change(
    recordings: dict[str, Path], tmp_path: Path, signcheck_cli: Any
) -> None:
    result = signcheck_cli(
        tmp_path, "diff", recordings["clean"], recordings["drift"], "--report", "d.json", "--report", "d.md"
    )
    assert result.returncode == 1, result.stderr
    report = json.loads((tmp_path / "d.json").read_text())
    assert _changes(report) == set().union(*SWITCHES.values())
    assert report["outcome"] == "drift" and report["summary"]["breaking"] > 0
    markdown = (tmp_path / "d.md").read_text()
    assert markdown.startswith("# signcheck diff of two recordings\n\n**Outcome: drift.**")
    assert (
        "| GET /packages/{packageId}/status | 200 | field vanished (breaking) (`/signers/*/signerID` appeared"
        in markdown
    )
    assert result.stdout.splitlines()[-1].startswith(f"drift: {len(report['changes'])} change(s)")


# --- what a diff never shows or judges, and what it compares ---------------------------------------------

LIST_URI = "https://sandbox.syngrafii.com/api/v1/packages/list"


def _listed(items: list[dict[str, Any]], request: dict[str, Any] | None = None) -> dict[str, Any]:
    asked = request or {"allMembers": True, "take": 10, "skip": 0}
    listed = _interaction({"items": items, "total": len(items), "take": 10, "skip": 0}, uri=LIST_URI)
    listed["request"].update(method="POST", body=json.dumps(asked))
    return listed


def _item(name: str, matter: str, state: str = "open", **signer: str) -> dict[str, Any]:
    signers = [{"signerId": "a1b2", "role": "signer", **signer}]
    return {"packageId": "p1", "name": name, "description": name, "matterNumber": matter, "state": state,
            "signers": signers}  # fmt: skip


def _extra(full: str, company: str, owner: str, creator: str) -> dict[str, str]:
    """Undocumented fields a signer may come with, as a real client's models show."""
    return {"fullName": full, "company": company, "ownerName": owner, "createdBy": creator}


def test_free_text_and_undocumented_values_are_never_shown_nor_drift(
    tmp_path: Path, signcheck_cli: Any
) -> None:
    old = [
        _item(
            "Alice Smithson Divorce",
            "Acme Merger Secret",
            **_extra("Alice", "Acme", "Carol", "Dan"),
        ),
        _item(
            "Bob Jones Lease",
            "Orion Deal",
            **_extra("Bob Jones", "Initech", "Gil", "Hal"),
        ),
    ]
    new = [
        _item(
            "Erin Wu Will",
            "Zephyr Buyout",
            **_extra("Erin Wu", "Globex", "Frank", "Ivy"),
        )
    ]
    _cassette(tmp_path / "old.json", _listed(old))
    _cassette(tmp_path / "new.json", _listed(new))
    result = signcheck_cli(tmp_path, "diff", "old.json", "new.json", "--report", "d.json", "--report", "d.md")
    assert result.returncode == 0, result.stdout
    assert json.loads((tmp_path / "d.json").read_text())["changes"] == []
    assert result.stdout.splitlines()[-1].startswith("pass: 0 change(s)")
    shown = result.stdout + (tmp_path / "d.json").read_text() + (tmp_path / "d.md").read_text()
    for value in ("Alice", "Smithson", "Acme", "Orion", "Bob", "Carol", "Dan", "Erin", "Zephyr", "Globex"):
        assert value not in shown


def test_an_undocumented_field_that_vanished_is_named_and_its_values_are_not(
    tmp_path: Path, signcheck_cli: Any
) -> None:
    _cassette(tmp_path / "old.json", _listed([_item("Alice Divorce", "Acme Merger", company="Acme Corp")]))
    _cassette(tmp_path / "new.json", _listed([_item("Alice Divorce", "Acme Merger")]))
    result = signcheck_cli(tmp_path, "diff", "old.json", "new.json", "--report", "d.md")
    assert result.returncode == 1  # a client that read it breaks: structure, not a value
    assert "`/items/*/signers/*/company` (string) vanished" in result.stdout
    assert "Acme Corp" not in result.stdout + (tmp_path / "d.md").read_text()


def test_only_documented_constants_show_values(tmp_path: Path, signcheck_cli: Any) -> None:
    """`state` and a signer's `role` are enums in the shipped schemas; `category` is free text even
    when every value of it looks like a constant."""
    old = [{**_item("A", "B", "open", role="signer"), "category": "Divorce"}]
    new = [{**_item("A", "B", "voided"), "category": "Merger"}]
    new[0]["signers"][0]["role"] = "witness"
    _cassette(tmp_path / "old.json", _listed(old))
    _cassette(tmp_path / "new.json", _listed(new))
    result = signcheck_cli(tmp_path, "diff", "old.json", "new.json")
    assert result.returncode == 1
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert lines[1:5] == [
        '- 200: `/items/*/signers/*/role` no longer takes the value "signer"',
        '- 200: `/items/*/state` no longer takes the value "open"',
        '+ 200: `/items/*/signers/*/role` takes a new value "witness"',
        '+ 200: `/items/*/state` takes a new value "voided"',
    ]
    assert "Divorce" not in result.stdout and "Merger" not in result.stdout


def test_responses_to_requests_only_one_recording_asked_are_not_compared(
    tmp_path: Path, signcheck_cli: Any
) -> None:
    """The old recording also listed open packages with their recipients; the new one never asked."""
    everything = _listed([_item("A", "B", "draft")])
    open_only = _listed(
        [{**_item("C", "D", "open"), "recipients": [{"recipientId": "r1"}]}],
        {"allMembers": True, "states": ["open"], "take": 10, "skip": 0},
    )
    _cassette(tmp_path / "old.json", everything, open_only)
    _cassette(tmp_path / "new.json", _listed([_item("E", "F", "draft")]))
    result = signcheck_cli(tmp_path, "diff", "old.json", "new.json", "--report", "d.json")
    assert result.returncode == 0, result.stdout
    report = json.loads((tmp_path / "d.json").read_text())
    assert report["changes"] == []
    asked = '{"allMembers": true, "skip": "<number>", "states": ["open"], "take": "<number>"}'
    assert report["not_compared"] == [{"endpoint": LIST, "recorded_in": "old", "request": asked}]
    assert f"not compared: {LIST}: a request {asked} was asked in the old recording only" in result.stdout


def test_a_field_that_vanished_under_the_same_request_is_still_drift(
    tmp_path: Path, signcheck_cli: Any
) -> None:
    asked = {"allMembers": True, "states": ["open"], "take": 10, "skip": 0}
    _cassette(
        tmp_path / "old.json", _listed([{**_item("A", "B"), "recipients": [{"recipientId": "r"}]}], asked)
    )
    _cassette(tmp_path / "new.json", _listed([_item("C", "D")], {**asked, "take": 50, "skip": 50}))
    result = signcheck_cli(tmp_path, "diff", "old.json", "new.json")
    assert result.returncode == 1
    assert "- 200: `/items/*/recipients` (array) vanished" in result.stdout


def test_two_recordings_of_one_sandbox_with_different_requests_differ_in_nothing(
    recordings: dict[str, Path], tmp_path: Path, signcheck_cli: Any
) -> None:
    """A subset of the suite (two scenarios' cassettes) against the whole of another recording."""
    subset = tmp_path / "subset"
    subset.mkdir()
    for name in ("list.yaml", "lifecycle.yaml"):
        (subset / name).write_text((recordings["later"] / name).read_text())
    result = signcheck_cli(tmp_path, "diff", recordings["clean"], subset, "--report", "d.json")
    assert result.returncode == 0, result.stdout
    report = json.loads((tmp_path / "d.json").read_text())
    assert report["changes"] == [] and report["not_compared"]
