"""links/sign and links/edit (§4.11), and the edit link add and update return (§5), over real HTTP."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SANDBOX_NOW

Json = dict[str, Any]
NET_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")
LINK_KEYS = ["name", "link", "type", "token", "timeExpires", "packageId"]
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
NOT_FOUND = {
    "error": "package_not_found",
    "message": "The Package was not found or you do not have permission to access the Package.",
}


def assert_link(link: Json, kind: str, package: Json) -> None:
    assert list(link) == LINK_KEYS
    assert (link["type"], link["packageId"], link["name"]) == (kind, package["packageId"], package["name"])
    assert TOKEN.match(link["token"])
    assert link["link"].endswith("/link/" + link["token"])
    assert NET_TIME.match(link["timeExpires"]) and link["timeExpires"] > SANDBOX_NOW


@pytest.fixture(scope="module")
def package(api: httpx.Client, add_package: Callable[..., Json]) -> Json:
    added: Json = add_package(api, name="Links package")["package"]
    return added


def test_a_sign_link_has_the_documented_shape(api: httpx.Client, package: Json) -> None:
    signer_id = package["signers"][1]["signerId"]
    response = api.post(f"/packages/{package['packageId']}/link/sign/{signer_id}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert_link(response.json(), "package_sign", package)


def test_an_edit_link_has_the_documented_shape(api: httpx.Client, package: Json) -> None:
    response = api.post(f"/packages/{package['packageId']}/link/edit")
    assert response.status_code == 200
    link = response.json()
    assert_link(link, "package_edit", package)
    sign = api.post(f"/packages/{package['packageId']}/link/sign/{package['signers'][0]['signerId']}")
    assert link["timeExpires"] < sign.json()["timeExpires"], "edit links are the short-lived ones"


def test_every_call_mints_a_new_link(api: httpx.Client, package: Json) -> None:
    path = f"/packages/{package['packageId']}/link/sign/{package['signers'][0]['signerId']}"
    tokens = {api.post(path).json()["token"] for _ in range(3)}
    tokens |= {api.post(f"/packages/{package['packageId']}/link/edit").json()["token"] for _ in range(2)}
    assert len(tokens) == 5


def test_a_body_is_ignored(api: httpx.Client, package: Json) -> None:
    response = api.post(f"/packages/{package['packageId']}/link/edit", json={"type": "package_sign"})
    assert response.json()["type"] == "package_edit"


def test_unknown_packages_and_signers_are_404s(api: httpx.Client, package: Json) -> None:
    signer_id = package["signers"][0]["signerId"]
    for path in (f"/packages/{UNKNOWN_ID}/link/sign/{signer_id}", f"/packages/{UNKNOWN_ID}/link/edit"):
        response = api.post(path)
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    response = api.post(f"/packages/{package['packageId']}/link/sign/{UNKNOWN_ID}")
    assert response.status_code == 404
    assert response.json()["error"] == "signer_not_found" and response.json()["message"]


def test_links_need_post_and_the_key(sandbox: Any, api: httpx.Client, package: Json) -> None:
    path = f"/packages/{package['packageId']}/link/edit"
    assert api.get(path).json()["error"] == "endpoint_not_found"
    assert httpx.post(sandbox.base_url + path).json()["error"] == "api_key_not_authorized"


# the edit link inside add and update ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"generateEditLink": True, "options": {"embedded": True, "embed": {"focusTemplating": True}}}, True),
        ({"generateEditLink": True}, False),
        ({"options": {"embedded": True}}, False),
    ],
    ids=["both", "flag-only", "embedded-only"],
)
def test_add_returns_an_edit_link_only_for_an_embedded_package_that_asks(
    api: httpx.Client, fields: Json, expected: bool
) -> None:
    body = {"name": "Embedded editor", "type": "concurrent", "state": "draft", **fields}
    package = api.post("/packages/add", json=body).json()["package"]
    assert package["options"]["embedded"] is bool(fields.get("options"))
    if expected:
        assert_link(package["editLink"], "package_edit", package)
        assert package["options"]["embed"] == {"focusTemplating": True}
    else:
        assert package["editLink"] is None
    assert api.get(f"/packages/{package['packageId']}").json()["editLink"] is None, "only when asked"


def test_update_returns_a_new_edit_link_when_asked(api: httpx.Client) -> None:
    body = {"name": "Embedded", "type": "concurrent", "state": "add", "options": {"embedded": True}}
    package_id = api.post("/packages/add", json=body).json()["packageId"]
    update = {"packageId": package_id, "state": "add", "generateEditLink": True}
    first, second = (api.post("/packages/update", json=update).json()["package"] for _ in range(2))
    assert_link(first["editLink"], "package_edit", first)
    assert first["editLink"]["token"] != second["editLink"]["token"]
    plain = api.post("/packages/update", json={"packageId": package_id, "state": "add"}).json()["package"]
    assert plain["editLink"] is None


@pytest.mark.parametrize("options", [[], {"embedded": "yes"}, {"embed": "x"}])
def test_bad_options_are_400s(api: httpx.Client, options: Any) -> None:
    body = {"name": "Bad options", "type": "concurrent", "state": "draft", "options": options}
    response = api.post("/packages/add", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "package_invalid_options"
