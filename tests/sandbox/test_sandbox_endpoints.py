"""Every endpoint over real HTTP: shapes, documented errors, auth, content types, transitions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SandboxConfig, running

Json = dict[str, Any]
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NET_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$")
NOT_FOUND = {
    "error": "package_not_found",
    "message": "The Package was not found or you do not have permission to access the Package.",
}
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
UPLOAD_KEYS = [
    "fileId",
    "externalId",
    "fileName",
    "isInvalid",
    "isConverted",
    "isNotSupported",
    "isPasswordProtected",
    "error",
    "message",
    "type",
]
# The keys of the docs' status example (and field table: externalId, not the example's "exernalId").
STATUS_KEYS = ["packageId", "organizationId", "memberId", "name", "timeSignBy", "type", "state"]
STATUS_KEYS += ["externalData", "isExecuted", "documents", "signers"]
DOCUMENT_KEYS = ["packageId", "documentId", "fileId", "externalId", "name", "fileName", "order", "isExecuted"]
DOCUMENT_KEYS += ["revisions"]
REVISION_KEYS = ["packageId", "documentId", "revisionId", "signerId", "link", "isNext", "isSigned"]
SIGNER_KEYS = ["signerId", "firstName", "lastName", "email", "mobileNumber", "order", "links"]
SIGNER_KEYS += ["signLink", "meetingLink"]
LINK_KEYS = ["name", "link", "type", "token", "timeExpires", "packageId", "documentId", "revisionId"]
LINK_KEYS += ["isNext", "isSigned"]
SIGN_LINK_KEYS = ["name", "link", "type", "token", "timeExpires", "packageId"]
PACKAGE_KEYS = [
    "packageId",
    "organizationId",
    "memberId",
    "teamId",
    "folderId",
    "shared",
    "meetingId",
    "templateId",
    "formId",
    "keyId",
    "name",
    "category",
    "clientNumber",
    "matterNumber",
    "description",
    "message",
    "rescindMessage",
    "reminderMessage",
    "timeCreated",
    "timeReminder",
    "timeRetention",
    "timeRescinded",
    "timeDeleted",
    "timeSignBy",
    "timeLastModified",
    "options",
    "hasSecurityPassphrase",
    "locale",
    "timeZone",
    "format",
    "revisionsSigned",
    "revisionsCount",
    "restrictedType",
    "api",
    "type",
    "state",
    "externalData",
    "version",
    "meeting",
    "documents",
    "signers",
    "recipients",
    "editLink",
]


def error_of(response: httpx.Response, status: int, code: str) -> Json:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: Json = response.json()
    assert set(body) == {"error", "message"}
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


def multipart(name_header: str, content: bytes) -> tuple[bytes, str]:
    boundary = "signcheck-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; {name_header}\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


# files/upload ------------------------------------------------------------------------------------


def test_upload_a_pdf(api: httpx.Client) -> None:
    response = api.post(
        "/files/upload", files={"file": ("agreement.pdf", b"%PDF-1.7\n%%EOF", "application/pdf")}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    (entry,) = response.json()["files"]
    assert list(entry) == UPLOAD_KEYS
    assert GUID.match(entry["fileId"])
    assert entry | {"fileId": None} == {
        "fileId": None,
        "externalId": None,
        "fileName": "agreement.pdf",
        "isInvalid": False,
        "isConverted": False,
        "isNotSupported": False,
        "isPasswordProtected": False,
        "error": None,
        "message": None,
        "type": "temporary",
    }


@pytest.mark.parametrize(
    ("name", "content", "flag", "has_file_id"),
    [
        ("fake.pdf", b"this is not a pdf", "isInvalid", False),
        ("locked.pdf", b"%PDF-1.7\ntrailer <</Encrypt 5 0 R>>", "isPasswordProtected", False),
        ("letter.docx", b"PK\x03\x04 word", "isConverted", True),
        ("tool.exe", b"MZ\x90\x00", "isNotSupported", False),
        ("empty.pdf", b"", "isInvalid", False),
    ],
)
def test_upload_flags_files_it_cannot_use(
    api: httpx.Client, name: str, content: bytes, flag: str, has_file_id: bool
) -> None:
    (entry,) = api.post("/files/upload", files={"file": (name, content)}).json()["files"]
    flags = ["isInvalid", "isConverted", "isNotSupported", "isPasswordProtected"]
    assert {f: entry[f] for f in flags} == {f: f == flag for f in flags}
    assert (entry["fileId"] is not None) is has_file_id
    assert (entry["error"] is None) is has_file_id


def test_upload_reports_the_documented_pdf_message(api: httpx.Client) -> None:
    (entry,) = api.post("/files/upload", files={"file": ("x.pdf", b"JVBERi0x base64")}).json()["files"]
    assert entry["message"] == "PDF Error: PDF header not found."


def test_upload_reads_rfc5987_utf8_file_names(api: httpx.Client) -> None:
    body, content_type = multipart("filename*=UTF-8''r%C3%A9sum%C3%A9.pdf", b"%PDF-1.4\n%%EOF")
    response = api.post("/files/upload", content=body, headers={"content-type": content_type})
    assert response.json()["files"][0]["fileName"] == "résumé.pdf"


def test_upload_keeps_binary_content_and_several_files(api: httpx.Client) -> None:
    blob = b"%PDF-1.4\r\n" + bytes(range(256)) * 40 + b"\r\n--not-a-boundary\r\n"
    files = [("file", ("a.pdf", blob, "application/pdf")), ("file", ("b – Ünï.pdf", blob, "application/pdf"))]
    entries = api.post("/files/upload", files=files).json()["files"]
    assert [e["fileName"] for e in entries] == ["a.pdf", "b – Ünï.pdf"]
    assert all(e["fileId"] and not e["isInvalid"] for e in entries)


def test_upload_external_id_reaches_the_status(api: httpx.Client, add_package: Callable[..., Json]) -> None:
    response = api.post(
        "/files/upload",
        params={"externalId": "crm-42"},
        files={"file": ("a.pdf", b"%PDF-1.4", "application/pdf")},
    )
    (entry,) = response.json()["files"]
    assert entry["externalId"] == "crm-42"
    added = add_package(api, documents=[{"fileName": "a.pdf", "fileId": entry["fileId"]}])
    status = api.get(f"/packages/{added['packageId']}/status").json()
    assert status["documents"][0]["externalId"] == "crm-42"


def test_upload_errors(api: httpx.Client) -> None:
    pdf = {"file": ("a.pdf", b"%PDF-1.4", "application/pdf")}
    error_of(api.post("/files/upload", params={"type": "permanent"}, files=pdf), 400, "file_invalid_type")
    error_of(api.post("/files/upload", json={"file": "a.pdf"}), 400, "file_invalid_multipart")


# packages/add ------------------------------------------------------------------------------------


def test_add_returns_the_package_with_sign_links(api: httpx.Client, add_package: Callable[..., Json]) -> None:
    added = add_package(api, generateSignerLinks=True, externalData={"crm": "42"})
    assert list(added) == ["packageId", "package"]
    package = added["package"]
    assert list(package) == PACKAGE_KEYS
    assert package["packageId"] == added["packageId"]
    assert (package["state"], package["type"], package["externalData"]) == (
        "open",
        "Sequential",
        {"crm": "42"},
    )
    for signer in package["signers"]:  # a URL string, as the sign-links guide shows it
        assert signer["signLink"].startswith("https://sign.example.test/link/")
        assert signer["meetingLink"] is None
    assert [d["revisionsCount"] for d in package["documents"]] == [2, 2]


def test_add_without_links_has_null_sign_links(api: httpx.Client, add_package: Callable[..., Json]) -> None:
    package = add_package(api)["package"]
    assert [(s["signLink"], s["meetingLink"]) for s in package["signers"]] == [(None, None)] * 2


def test_add_vsr_with_links_has_meeting_links(api: httpx.Client, add_package: Callable[..., Json]) -> None:
    package = add_package(api, type="video_closing_room", generateSignerLinks=True)["package"]
    assert package["meeting"]["meetingId"] == package["meetingId"]
    assert all(s["meetingLink"].startswith("https://") and s["signLink"] is None for s in package["signers"])


def test_add_return_package_false_returns_only_the_id(
    api: httpx.Client, add_package: Callable[..., Json]
) -> None:
    added = add_package(api, returnPackage=False)
    assert list(added) == ["packageId"]
    assert api.get(f"/packages/{added['packageId']}").status_code == 200


@pytest.mark.parametrize(
    "package_type", ["concurrent", "Sequential", "Counterpart", "video_closing_room", "Live Session"]
)
def test_add_accepts_every_type_constant(
    api: httpx.Client, add_package: Callable[..., Json], package_type: str
) -> None:
    assert add_package(api, type=package_type)["package"]["type"] == package_type


@pytest.mark.parametrize(
    "package_type", ["sequential", "SEQUENTIAL", "counterpart", "Live_Session", "", None, 1]
)
def test_add_rejects_a_wrong_type(api: httpx.Client, package_type: object) -> None:
    body = {"name": "x", "type": package_type, "state": "draft"}
    assert error_of(api.post("/packages/add", json=body), 400, "package_invalid_type") == {
        "error": "package_invalid_type",
        "message": "Valid Package 'type' is required.",
    }


def test_add_open_needs_documents_and_signers(api: httpx.Client, upload_pdf: Callable[..., str]) -> None:
    signer = {"firstName": "A", "lastName": "Example", "email": "a@example.com"}
    document = {"fileName": "a.pdf", "fileId": upload_pdf(api)}
    for state in ({"state": "open"}, {}):  # open is the default (inferred)
        base = {"name": "x", "type": "concurrent"} | state
        error_of(
            api.post("/packages/add", json=base | {"signers": [signer]}), 400, "package_add_no_documents"
        )
        error_of(
            api.post("/packages/add", json=base | {"documents": [document]}), 400, "package_add_no_signers"
        )


@pytest.mark.parametrize("state", ["draft", "add", "select"])
def test_add_unsent_states_need_no_contents(api: httpx.Client, state: str) -> None:
    response = api.post("/packages/add", json={"name": "Empty", "type": "concurrent", "state": state})
    assert response.status_code == 200
    assert response.json()["package"]["state"] == state


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"name": ""}, "package_invalid_name"),
        ({"state": "executed"}, "package_invalid_state"),
        ({"documents": [{"fileId": UNKNOWN_ID}]}, "document_invalid_file_id"),
        ({"signers": [{"firstName": "No", "lastName": "Email"}]}, "signer_invalid_email"),
        ({"signers": "everyone"}, "package_invalid_signers"),
        ({"timeSignBy": "03/02/2022 20:08:41"}, "package_invalid_time_sign_by"),
        ({"externalData": ["a"]}, "package_invalid_external_data"),
        ({"generateSignerLinks": "yes"}, "package_invalid_generate_signer_links"),
        (
            {"recipients": [{"email": "cc@example.org"}, {"email": "CC@example.org"}]},
            "package_duplicate_recipients",
        ),
        ({"recipients": [{"email": "signer.one@example.com"}]}, "package_duplicate_recipients_signer"),
    ],
)
def test_add_validation_errors(
    api: httpx.Client, upload_pdf: Callable[..., str], change: Json, code: str
) -> None:
    body = {
        "name": "x",
        "type": "concurrent",
        "signers": [{"firstName": "Signer", "lastName": "One", "email": "signer.one@example.com"}],
        "documents": [{"fileId": upload_pdf(api)}],
    }
    error_of(api.post("/packages/add", json=body | change), 400, code)


def test_add_rejects_more_than_fifteen_documents(api: httpx.Client, upload_pdf: Callable[..., str]) -> None:
    documents = [{"fileId": upload_pdf(api)}] * 16
    body = {"name": "x", "type": "concurrent", "state": "draft", "documents": documents}
    error_of(api.post("/packages/add", json=body), 400, "package_range_documents")


@pytest.mark.parametrize(
    ("raw", "code"), [(b"{nope", "request_invalid_json"), (b"[1, 2]", "request_invalid_body")]
)
def test_malformed_bodies_are_400(api: httpx.Client, raw: bytes, code: str) -> None:
    for path in (
        "/packages/add",
        "/packages/list",
        "/packages/send",
        "/packages/rescind",
        "/packages/delete",
    ):
        error_of(api.post(path, content=raw, headers={"content-type": "application/json"}), 400, code)


def test_add_keeps_the_sign_by_time(api: httpx.Client, add_package: Callable[..., Json]) -> None:
    package = add_package(api, timeSignBy="2025-12-31T23:59:59Z")["package"]
    assert package["timeSignBy"] == "2025-12-31T23:59:59.0000000Z"
    assert NET_TIME.match(package["timeCreated"])


# packages/{id} and packages/{id}/status ------------------------------------------------------------


def test_get_returns_the_package_object(api: httpx.Client, add_package: Callable[..., Json]) -> None:
    added = add_package(api, generateSignerLinks=True)
    package = api.get(f"/packages/{added['packageId']}").json()
    assert package == added["package"]


def test_status_has_exactly_the_documented_shape(api: httpx.Client, add_package: Callable[..., Json]) -> None:
    added = add_package(api, generateSignerLinks=True)
    status = api.get(f"/packages/{added['packageId']}/status").json()
    assert list(status) == STATUS_KEYS
    for document in status["documents"]:
        assert list(document) == DOCUMENT_KEYS
        assert all(list(revision) == REVISION_KEYS for revision in document["revisions"])
    for signer in status["signers"]:
        assert list(signer) == SIGNER_KEYS
        assert all(list(link) == LINK_KEYS for link in signer["links"])
        assert list(signer["signLink"]) == SIGN_LINK_KEYS


def test_status_ignores_the_body_the_docs_playground_sends(api: httpx.Client) -> None:
    package_id = api.post("/packages/list", json={"take": 1}).json()["items"][0]["packageId"]
    response = api.request("GET", f"/packages/{package_id}/status", json={"packageId": package_id})
    assert response.json()["packageId"] == package_id


@pytest.mark.parametrize(
    "path", [f"/packages/{UNKNOWN_ID}", f"/packages/{UNKNOWN_ID}/status", "/packages/nope"]
)
def test_unknown_packages_are_404_with_the_documented_body(api: httpx.Client, path: str) -> None:
    assert error_of(api.get(path), 404, "package_not_found") == NOT_FOUND


# send, rescind, delete -----------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "add", "select"])
def test_send_opens_an_unsent_package(
    api: httpx.Client, add_package: Callable[..., Json], state: str
) -> None:
    package_id = add_package(api, state=state)["packageId"]
    assert api.post("/packages/send", json={"packageId": package_id}).json() == {"packageId": package_id}
    assert api.get(f"/packages/{package_id}/status").json()["state"] == "open"
    error_of(api.post("/packages/send", json={"packageId": package_id}), 400, "package_invalid_state")


def test_send_needs_contents(api: httpx.Client) -> None:
    package_id = api.post("/packages/add", json={"name": "x", "type": "concurrent", "state": "add"}).json()[
        "packageId"
    ]
    error_of(api.post("/packages/send", json={"packageId": package_id}), 400, "package_invalid_documents")


def test_rescind_an_open_package(api: httpx.Client, add_package: Callable[..., Json]) -> None:
    package_id = add_package(api)["packageId"]
    body = {"packageId": package_id, "rescindMessage": "Wrong documents.", "notify": True}
    assert api.post("/packages/rescind", json=body).json() == {"packageId": package_id}
    package = api.get(f"/packages/{package_id}").json()
    assert (package["state"], package["rescindMessage"]) == ("rescinded", "Wrong documents.")
    assert NET_TIME.match(package["timeRescinded"])
    error_of(api.post("/packages/rescind", json={"packageId": package_id}), 400, "package_invalid_state")


def test_rescind_refuses_a_draft(api: httpx.Client, add_package: Callable[..., Json]) -> None:
    package_id = add_package(api, state="draft")["packageId"]
    error_of(api.post("/packages/rescind", json={"packageId": package_id}), 400, "package_invalid_state")


def test_delete_removes_the_package(api: httpx.Client, add_package: Callable[..., Json]) -> None:
    package_id = add_package(api)["packageId"]
    body = {"packageId": package_id, "notify": False, "overrideRetention": False}
    assert api.post("/packages/delete", json=body).json() == {"packageId": package_id, "videos": []}
    assert error_of(api.get(f"/packages/{package_id}/status"), 404, "package_not_found") == NOT_FOUND
    assert error_of(api.get(f"/packages/{package_id}"), 404, "package_not_found") == NOT_FOUND
    error_of(api.post("/packages/delete", json=body), 404, "package_not_found")


def test_delete_respects_retention(api: httpx.Client) -> None:
    executed = api.post("/packages/list", json={"states": ["executed"], "take": 1}).json()["items"][0]
    body = {"packageId": executed["packageId"]}
    error_of(api.post("/packages/delete", json=body), 400, "package_delete_retention")
    assert api.post("/packages/delete", json=body | {"overrideRetention": True}).status_code == 200


@pytest.mark.parametrize("path", ["/packages/send", "/packages/rescind", "/packages/delete"])
def test_lifecycle_calls_need_a_package_id(api: httpx.Client, path: str) -> None:
    error_of(api.post(path, json={}), 400, "package_invalid_package_id")
    error_of(api.post(path, json={"packageId": 7}), 400, "package_invalid_package_id")
    assert error_of(api.post(path, json={"packageId": UNKNOWN_ID}), 404, "package_not_found") == NOT_FOUND


# auth, unknown paths, server errors ------------------------------------------------------------------

ENDPOINTS = [
    ("POST", "/files/upload"),
    ("POST", "/packages/add"),
    ("POST", "/packages/list"),
    ("POST", "/packages/send"),
    ("POST", "/packages/rescind"),
    ("POST", "/packages/delete"),
    ("GET", f"/packages/{UNKNOWN_ID}"),
    ("GET", f"/packages/{UNKNOWN_ID}/status"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize(
    "headers", [{}, {"api_key": "wrong-key"}, {"Authorization": "Bearer signcheck-sandbox-key"}]
)
def test_every_endpoint_needs_the_api_key(
    sandbox: Any, method: str, path: str, headers: dict[str, str]
) -> None:
    response = httpx.request(method, sandbox.base_url + path, headers=headers, json={})
    body = error_of(response, 403, "api_key_not_authorized")
    assert "API key" in body["message"]


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/nothing"), ("DELETE", "/packages/add"), ("PUT", "/packages/list")]
)
def test_unknown_endpoints_are_json_404s(api: httpx.Client, method: str, path: str) -> None:
    error_of(api.request(method, path), 404, "endpoint_not_found")


def test_a_sandbox_bug_is_a_documented_500(monkeypatch: pytest.MonkeyPatch) -> None:
    from pytest_signcheck.sandbox import routes

    def broken(*args: object) -> Json:
        raise RuntimeError("boom")

    monkeypatch.setattr(routes, "status", broken)
    with (
        running(SandboxConfig(packages=1)) as server,
        httpx.Client(base_url=server.base_url, headers={"api_key": server.api_key}) as client,
    ):
        package_id = client.post("/packages/list", json={}).json()["items"][0]["packageId"]
        error_of(client.get(f"/packages/{package_id}/status"), 500, "server_exception_unhandled")
