"""The sandbox's public API: configuration, the drift catalogue, create_app and running()."""

from __future__ import annotations

import ast
import pathlib
import re
import socket
import threading
import time

import httpx
import pytest

import pytest_signcheck.sandbox as sandbox_package
from pytest_signcheck import findings
from pytest_signcheck.sandbox import (
    DEFAULT_API_KEY,
    DRIFTS,
    SANDBOX_NOW,
    Drift,
    SandboxConfig,
    create_app,
    running,
)

CHECK_IDS = set(findings.CHECK_IDS)


def test_defaults() -> None:
    config = SandboxConfig()
    assert DEFAULT_API_KEY == "signcheck-sandbox-key"
    assert (config.api_key, config.api_version, config.drifts) == (DEFAULT_API_KEY, "4.0", ())
    assert (config.seed, config.packages, config.throttle) == (0, 60, 0)
    assert SANDBOX_NOW == "2025-06-02T09:00:00.0000000Z"


def test_unknown_drift_is_a_value_error_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown drift 'no-such-drift'") as raised:
        SandboxConfig(drifts=("type-lowercase", "no-such-drift"))
    assert all(name in str(raised.value) for name in DRIFTS)


@pytest.mark.parametrize("version", ["4", "4.1", "3.5", ""])
def test_unknown_api_version_is_a_value_error(version: str) -> None:
    with pytest.raises(ValueError, match=r"known versions: 4\.0, 3\.6"):
        SandboxConfig(api_version=version)


@pytest.mark.parametrize(
    ("field", "value"),
    [("packages", -1), ("throttle", -2), ("api_key", "")],
    ids=["packages", "throttle", "key"],
)
def test_other_bad_values_are_value_errors(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field):
        SandboxConfig(**{field: value})  # type: ignore[arg-type]


def test_every_drift_is_documented_and_names_a_check_id() -> None:
    assert len(DRIFTS) >= 20
    for name, drift in DRIFTS.items():
        assert isinstance(drift, Drift)
        assert drift.name == name
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
        assert drift.check in CHECK_IDS
        assert len(drift.description) > 20
    assert {drift.check for drift in DRIFTS.values()} == CHECK_IDS, "every check id has a drift"


def test_drifts_combine() -> None:
    assert SandboxConfig(drifts=tuple(DRIFTS)).drifts == tuple(DRIFTS)


def test_create_app_is_an_asgi_app() -> None:
    app = create_app(SandboxConfig())
    assert callable(app)
    assert {getattr(route, "path", "") for route in app.routes} >= {
        "/api/v1/packages/list",
        "/api/v1/packages/{packageId}/status",
    }


def test_running_serves_on_loopback_and_stops() -> None:
    with running(SandboxConfig(packages=3)) as server:
        assert server.base_url == f"http://127.0.0.1:{server.port}/api/v1"
        assert server.api_key == DEFAULT_API_KEY
        assert server.config.packages == 3
        response = httpx.post(
            f"{server.base_url}/packages/list", headers={"api_key": server.api_key}, json={}
        )
        assert response.json()["total"] == 3
        port = server.port
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_running_on_a_port_in_use_raises_oserror() -> None:
    with (
        running(SandboxConfig(packages=0)) as server,
        pytest.raises(OSError, match="in use"),
        running(port=server.port),
    ):
        pass


def test_running_with_a_custom_key() -> None:
    with running(SandboxConfig(api_key="another-key", packages=1)) as server:
        url = f"{server.base_url}/packages/list"
        assert httpx.post(url, headers={"api_key": "another-key"}, json={}).status_code == 200
        assert httpx.post(url, headers={"api_key": DEFAULT_API_KEY}, json={}).status_code == 403


def test_the_sandbox_imports_nothing_from_the_rest_of_the_package() -> None:
    folder = pathlib.Path(sandbox_package.__file__).parent
    for module in folder.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.level in (0, 1), f"{module.name} reaches outside the sandbox"
                assert not (node.module or "").startswith("pytest_signcheck"), module.name
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("pytest_signcheck") for a in node.names), module.name


def test_importing_the_package_does_not_need_the_server_stack() -> None:
    source = pathlib.Path(sandbox_package.__file__).parent
    eager = {"__init__.py", "config.py", "drifts.py", "clock.py", "server.py"}
    for name in eager:
        tree = ast.parse((source / name).read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        names = {getattr(n, "module", None) or n.names[0].name for n in top}
        assert not any(str(m).split(".")[0] in ("starlette", "uvicorn") for m in names), name


def test_a_response_in_flight_when_the_sandbox_stops_is_still_answered_in_full() -> None:
    """Stopping waits for the running responses (it no longer sleeps a fixed 0.1 s instead)."""
    answers: list[httpx.Response] = []
    with running(SandboxConfig(packages=2, delay_ms=300)) as server:
        url, headers = f"{server.base_url}/packages/list", {"api_key": server.api_key}
        asking = threading.Thread(target=lambda: answers.append(httpx.post(url, headers=headers, json={})))
        asking.start()
        # until the request has reached the sandbox (it is in flight), or the asking failed without
        while asking.is_alive() and not server.stats()["requests"]:
            time.sleep(0.005)
    asking.join(timeout=10)
    assert [answer.status_code for answer in answers] == [200]
    assert answers[0].json()["total"] == 2
