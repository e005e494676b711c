"""Fixtures for the reference sandbox's tests: real servers on loopback, real HTTP with httpx."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import Any

import httpx
import pytest

from pytest_signcheck.sandbox import SandboxConfig, SandboxServer, running

Json = dict[str, Any]
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj <</Type /Page>> endobj\ntrailer <<>>\n%%EOF\n"


def client_for(server: SandboxServer) -> httpx.Client:
    return httpx.Client(base_url=server.base_url, headers={"api_key": server.api_key}, timeout=10)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    """A default sandbox (4.0, seed 0, 60 packages) shared by one test module."""
    with running() as server:
        yield server


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    """An empty organisation (no packages, no templates) of its own for each test module."""
    with running(SandboxConfig(packages=0, templates=0)) as running_server:
        yield running_server


@pytest.fixture(scope="module")
def client(server: SandboxServer) -> Iterator[httpx.Client]:
    """A client of the module's empty organisation, sending its key."""
    with client_for(server) as api:
        yield api


@pytest.fixture(scope="module")
def api(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """A client of the module's sandbox, sending its key."""
    with client_for(sandbox) as client:
        yield client


@pytest.fixture(scope="module")
def start() -> Iterator[Callable[..., httpx.Client]]:
    """Start another sandbox: ``start(drifts=(...), api_version="3.6")`` returns a client of it.

    The servers stop together at the end of the module: each stop waits out uvicorn's shutdown
    (about 0.2 s), so stopping them one by one would dominate the run.
    """
    managers: list[AbstractContextManager[SandboxServer]] = []
    clients: list[httpx.Client] = []

    def launch(**config: Any) -> httpx.Client:
        manager = running(SandboxConfig(**config))
        server = manager.__enter__()
        managers.append(manager)
        clients.append(client_for(server))
        return clients[-1]

    try:
        yield launch
    finally:
        for client in clients:
            client.close()
        with ThreadPoolExecutor(max_workers=len(managers) or 1) as pool:
            list(pool.map(lambda manager: manager.__exit__(None, None, None), managers))


def _upload_pdf(client: httpx.Client, name: str = "agreement.pdf") -> str:
    response = client.post("/files/upload", files={"file": (name, MINIMAL_PDF, "application/pdf")})
    assert response.status_code == 200, response.text
    file_id: str = response.json()["files"][0]["fileId"]
    return file_id


def _add_package(client: httpx.Client, **fields: Any) -> Json:
    """Add a package with two signers and two documents; ``fields`` override the body."""
    body: Json = {
        "name": "Sandbox test package",
        "type": "Sequential",
        "signers": [
            {"firstName": "Signer", "lastName": "One", "email": "signer.one@example.com"},
            {"firstName": "Signer", "lastName": "Two", "email": "signer.two@example.org"},
        ],
        "documents": [
            {"fileName": "agreement.pdf", "fileId": _upload_pdf(client)},
            {"fileName": "schedule.pdf", "fileId": _upload_pdf(client, "schedule.pdf")},
        ],
    }
    body.update(fields)
    response = client.post("/packages/add", json=body)
    assert response.status_code == 200, response.text
    result: Json = response.json()
    return result


def _walk(client: httpx.Client, body: Json, take: int = 7) -> list[Json]:
    """Every item of a list query, page by page (``take`` per page)."""
    items: list[Json] = []
    while True:
        page = client.post("/packages/list", json={**body, "take": take, "skip": len(items)}).json()
        items += page["items"]
        if not page["items"] or len(items) >= page["total"]:
            return items


@pytest.fixture(scope="session")
def upload_pdf() -> Callable[..., str]:
    """``upload_pdf(client, name=...)``: upload a minimal PDF, return its fileId."""
    return _upload_pdf


@pytest.fixture(scope="session")
def add_package() -> Callable[..., Json]:
    """``add_package(client, **fields)``: add a two-signer, two-document package, return the response."""
    return _add_package


@pytest.fixture(scope="session")
def walk() -> Callable[..., list[Json]]:
    """``walk(client, body, take=7)``: every item of a list query, page by page."""
    return _walk
