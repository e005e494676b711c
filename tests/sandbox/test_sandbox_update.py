"""packages/update over real HTTP: the add shape, the link persistence rule, the state rules (§4.3, §5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SandboxConfig, SandboxServer, running

Json = dict[str, Any]
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
LINK_BASE = "https://sign.example.test/link/"


def update(client: httpx.Client, package_id: str, **fields: Any) -> httpx.Response:
    return client.post("/packages/update", json={"packageId": package_id, **fields})


def updated(client: httpx.Client, package_id: str, **fields: Any) -> Json:
    response = update(client, package_id, **fields)
    assert response.status_code == 200, response.text
    body: Json = response.json()
    return body


def refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "message"} and body["error"] == code and body["message"]


def sign_links(package: Json) -> list[str | None]:
    return [signer["signLink"] for signer in package["signers"]]


def status_of(client: httpx.Client, package_id: str) -> Json:
    body: Json = client.get(f"/packages/{package_id}/status").json()
    return body


def status_tokens(status: Json) -> list[str]:
    """Every token a status shows: signLink objects and per-revision links."""
    tokens = [s["signLink"]["token"] for s in status["signers"] if s["signLink"]]
    return tokens + [link["token"] for s in status["signers"] for link in s["links"]]


# the answer --------------------------------------------------------------------------------------


def test_update_answers_with_the_add_shape(client: httpx.Client, add_package: Callable[..., Json]) -> None:
    added = add_package(client, state="draft")
    answer = updated(client, added["packageId"], name="Renamed package")
    assert list(answer) == ["packageId", "package"]
    assert list(answer["package"]) == list(added["package"])
    assert answer["packageId"] == answer["package"]["packageId"] == added["packageId"]
    assert answer["package"]["name"] == "Renamed package"
    assert answer["package"]["timeLastModified"] > added["package"]["timeLastModified"]
    assert client.get(f"/packages/{added['packageId']}").json() == answer["package"]


def test_return_package_false_answers_the_id_alone(
    client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    package_id = add_package(client, state="draft")["packageId"]
    assert updated(client, package_id, returnPackage=False) == {"packageId": package_id}


def test_left_out_fields_keep_their_values(client: httpx.Client, add_package: Callable[..., Json]) -> None:
    added = add_package(client, state="draft", externalData={"crm": "7"}, category="Lending")
    package = updated(client, added["packageId"], description="New terms")["package"]
    assert (package["externalData"], package["category"], package["description"]) == (
        {"crm": "7"},
        "Lending",
        "New terms",
    )
    assert package["timeSignBy"] == added["package"]["timeSignBy"]
    assert [s["signerId"] for s in package["signers"]] == [s["signerId"] for s in added["package"]["signers"]]
    cleared = updated(client, added["packageId"], externalData=None, timeSignBy="2025-12-31T23:59:59Z")
    assert cleared["package"]["externalData"] is None
    assert cleared["package"]["timeSignBy"] == "2025-12-31T23:59:59.0000000Z"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": ""}, "package_invalid_name"),
        ({"type": "sequential"}, "package_invalid_type"),
        ({"state": "closed"}, "package_invalid_state"),
        ({"timeSignBy": "next week"}, "package_invalid_time_sign_by"),
        ({"generateSignerLinks": "yes"}, "package_invalid_generate_signer_links"),
        ({"documents": [{"fileId": UNKNOWN_ID}]}, "document_invalid_file_id"),
        ({"signers": [{"firstName": "No", "lastName": "Email"}]}, "signer_invalid_email"),
    ],
)
def test_a_refused_update_changes_nothing(
    client: httpx.Client, add_package: Callable[..., Json], fields: Json, code: str
) -> None:
    added = add_package(client, state="draft")
    refused(update(client, added["packageId"], description="changed", **fields), 400, code)
    assert client.get(f"/packages/{added['packageId']}").json() == added["package"]


def test_template_data_takes_text_values_only(
    client: httpx.Client, add_package: Callable[..., Json], upload_pdf: Callable[..., str]
) -> None:
    added = add_package(client, state="draft")
    documents = [{"fileId": upload_pdf(client), "templateData": {"loanAmount": 250000}}]
    refused(update(client, added["packageId"], documents=documents), 400, "document_invalid_template_data")
    assert client.get(f"/packages/{added['packageId']}").json() == added["package"]


def test_update_needs_a_known_package_id(client: httpx.Client) -> None:
    refused(client.post("/packages/update", json={"name": "x"}), 400, "package_invalid_package_id")
    refused(update(client, UNKNOWN_ID, name="x"), 404, "package_not_found")


# signer links (§5) -------------------------------------------------------------------------------


def test_every_update_of_a_linked_package_returns_new_links(
    client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    added = add_package(client, generateSignerLinks=True)
    seen = [sign_links(added["package"])]
    for name in ("First update", "Second update"):
        seen.append(sign_links(updated(client, added["packageId"], name=name)["package"]))
    for links in seen:
        assert all(link and link.startswith(LINK_BASE) for link in links)
    flat = [link for links in seen for link in links]
    assert len(set(flat)) == len(flat), "every update mints new tokens"
    status = status_of(client, added["packageId"])
    assert [s["signLink"]["link"] for s in status["signers"]] == seen[-1], "status shows the newest links"


def test_an_update_of_a_linked_package_renews_the_status_links(
    client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    package_id = add_package(client, generateSignerLinks=True)["packageId"]
    before = status_tokens(status_of(client, package_id))
    updated(client, package_id, message="Please sign")
    after = status_tokens(status_of(client, package_id))
    assert len(after) == len(before) > 0
    assert not set(before) & set(after)


def test_generate_signer_links_false_leaves_links_out_of_that_update_only(
    client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    package_id = add_package(client, generateSignerLinks=True)["packageId"]
    quiet = updated(client, package_id, generateSignerLinks=False)["package"]
    assert sign_links(quiet) == [None, None]
    assert all(link for link in sign_links(updated(client, package_id, name="Again")["package"]))
    assert status_of(client, package_id)["signers"][0]["links"], "the setting persists"


def test_a_package_added_without_links_gets_none_on_update(
    client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    package_id = add_package(client)["packageId"]
    package = updated(client, package_id, name="Still no links")["package"]
    assert [(s["signLink"], s["meetingLink"]) for s in package["signers"]] == [(None, None)] * 2
    assert all(s["links"] == [] for s in status_of(client, package_id)["signers"])


def test_generate_signer_links_true_on_update_turns_links_on(
    client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    package_id = add_package(client)["packageId"]
    assert all(sign_links(updated(client, package_id, generateSignerLinks=True)["package"]))
    assert all(sign_links(updated(client, package_id, name="Later")["package"]))
    assert status_of(client, package_id)["signers"][0]["links"]


def test_add_shows_sign_links_as_the_sign_links_guide_does(
    client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    package = add_package(client, generateSignerLinks=True)["package"]
    for signer in package["signers"]:
        assert signer["signLink"].startswith(LINK_BASE) and signer["meetingLink"] is None
    status = status_of(client, package["packageId"])
    assert [s["signLink"]["link"] for s in status["signers"]] == sign_links(package)


def test_a_video_signing_room_gets_meeting_links_instead(
    client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    added = add_package(client, type="video_closing_room", generateSignerLinks=True)
    for package in (added["package"], updated(client, added["packageId"], name="Moved")["package"]):
        assert all(
            s["signLink"] is None and s["meetingLink"].startswith(LINK_BASE) for s in package["signers"]
        )
    assert sign_links(updated(client, added["packageId"], generateSignerLinks=False)["package"]) == [None] * 2


# states (§4.3) -----------------------------------------------------------------------------------


def test_an_update_without_state_add_moves_an_add_package_to_draft(
    client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    package_id = add_package(client, state="add")["packageId"]
    assert updated(client, package_id, state="add")["package"]["state"] == "add"
    assert updated(client, package_id, name="Edited")["package"]["state"] == "draft"
    assert updated(client, package_id, name="Edited again")["package"]["state"] == "draft"
    assert updated(client, package_id, state="add")["package"]["state"] == "add", "not sent yet"


@pytest.mark.parametrize("back_to", ["add", "draft", "select"])
def test_a_sent_package_never_goes_back(
    client: httpx.Client, add_package: Callable[..., Json], back_to: str
) -> None:
    package_id = add_package(client, state="draft")["packageId"]
    client.post("/packages/send", json={"packageId": package_id})
    refused(update(client, package_id, state=back_to), 400, "package_invalid_state")
    assert status_of(client, package_id)["state"] == "open"
    assert updated(client, package_id, state="open")["package"]["state"] == "open"


def test_an_update_to_open_needs_documents_and_signers(client: httpx.Client) -> None:
    added = client.post("/packages/add", json={"name": "Empty", "type": "concurrent", "state": "draft"})
    package_id = added.json()["packageId"]
    refused(update(client, package_id, state="open"), 400, "package_add_no_documents")
    assert status_of(client, package_id)["state"] == "draft"


def test_executed_and_rescinded_packages_cannot_be_updated(
    server: SandboxServer, client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    rescinded = add_package(client)["packageId"]
    client.post("/packages/rescind", json={"packageId": rescinded})
    refused(update(client, rescinded, name="x"), 400, "package_invalid_state")
    executed = add_package(client, type="concurrent")
    for signer in executed["package"]["signers"]:
        server.sign(executed["packageId"], signer["signerId"])
    refused(update(client, executed["packageId"], name="x"), 400, "package_invalid_state")


# contents ------------------------------------------------------------------------------------------


def test_new_signers_replace_the_old_ones_and_rebuild_revisions(
    client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    added = add_package(client, state="draft")
    signers = [{"firstName": "Only", "lastName": "Signer", "email": "only.signer@example.com"}]
    package = updated(client, added["packageId"], signers=signers)["package"]
    assert [s["email"] for s in package["signers"]] == ["only.signer@example.com"]
    assert [d["revisionsCount"] for d in package["documents"]] == [1, 1]
    assert package["signers"][0]["signerId"] not in {s["signerId"] for s in added["package"]["signers"]}


def test_contents_are_fixed_once_anyone_signed(
    server: SandboxServer, client: httpx.Client, add_package: Callable[..., Json]
) -> None:
    added = add_package(client)
    server.sign(added["packageId"], added["package"]["signers"][0]["signerId"])
    signers = [{"firstName": "Late", "lastName": "Comer", "email": "late.comer@example.com"}]
    refused(update(client, added["packageId"], signers=signers), 400, "package_invalid_state")
    refused(update(client, added["packageId"], type="concurrent"), 400, "package_invalid_state")
    assert updated(client, added["packageId"], name="Fine")["package"]["name"] == "Fine"


def test_a_new_type_rebuilds_the_meeting(client: httpx.Client, add_package: Callable[..., Json]) -> None:
    added = add_package(client, state="draft", type="concurrent", generateSignerLinks=True)
    room = updated(client, added["packageId"], type="video_closing_room")["package"]
    assert room["type"] == "video_closing_room" and room["meeting"]["meetingId"] == room["meetingId"]
    assert all(s["meetingLink"] for s in room["signers"])
    back = updated(client, added["packageId"], type="Sequential")["package"]
    assert (back["meetingId"], back["meeting"]) == (None, None)


def test_template_data_is_taken_on_update(
    client: httpx.Client, add_package: Callable[..., Json], upload_pdf: Callable[..., str]
) -> None:
    package_id = add_package(client, state="draft")["packageId"]
    documents = [{"fileId": upload_pdf(client), "templateData": {"loanAmount": "250 000"}}]
    updated(client, package_id, documents=documents)
    data = client.get(f"/packages/{package_id}/data").json()
    assert [(d["dataId"], d["value"], d["source"]) for d in data["documents"][0]["data"]] == [
        ("loanAmount", "250 000", "template")
    ]


def test_updates_are_deterministic(add_package: Callable[..., Json]) -> None:
    answers = []
    for _ in range(2):
        with (
            running(SandboxConfig(packages=0, templates=0, seed=3)) as fresh,
            httpx.Client(base_url=fresh.base_url, headers={"api_key": fresh.api_key}) as api,
        ):
            package_id = add_package(api, generateSignerLinks=True)["packageId"]
            answers.append(update(api, package_id, name="Same").content)
    assert answers[0] == answers[1]
