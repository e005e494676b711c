"""A live run through the proxy the environment names, as a CI runner in a company network needs it:
``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY``, less ``NO_PROXY``; never one for a loopback API.

The API "behind" the proxy is a host that does not exist (``api.signcheck.invalid``): the proxy on
127.0.0.1 forwards whatever it is asked for to a reference sandbox, so a request that skipped the proxy
could reach nothing.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

import pytest

from pytest_signcheck.sandbox import SandboxConfig, SandboxServer, running
from pytest_signcheck.settings import Settings
from pytest_signcheck.suite import SuiteRunner
from pytest_signcheck.traffic.proxy import environment_proxy, proxy_label

Serve = Callable[[type[BaseHTTPRequestHandler]], AbstractContextManager[str]]
BEHIND = "http://api.signcheck.invalid/api/v1"
_HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "transfer-encoding", "host"}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with running(SandboxConfig()) as server:
        yield server


@pytest.fixture(autouse=True)
def _no_proxy_but_ours(monkeypatch: pytest.MonkeyPatch) -> None:
    """This machine's own proxy variables, whatever their case, are not the tests'."""
    for name in [name for name in os.environ if name.lower().endswith("_proxy")]:
        monkeypatch.delenv(name)


def _forwarding_to(upstream: str, asked: list[str]) -> type[BaseHTTPRequestHandler]:
    """An HTTP forward proxy that sends every request it is asked for to `upstream` (host:port)."""

    class ForwardProxy(BaseHTTPRequestHandler):
        def forward(self) -> None:
            asked.append(self.path)  # a proxy is asked for the absolute URL
            target = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            connection = http.client.HTTPConnection(upstream, timeout=10)
            path = target.path + (f"?{target.query}" if target.query else "")
            connection.request(self.command, path, self.rfile.read(length), headers)
            answer = connection.getresponse()
            body = answer.read()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in _HOP_BY_HOP | {"content-length"}:
                    self.send_header(name, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            connection.close()

        do_GET = do_POST = do_PUT = do_DELETE = forward

        def log_message(self, *args: object) -> None:  # quiet
            pass

    return ForwardProxy


def _behind_a_proxy(sandbox: SandboxServer) -> SuiteRunner:
    settings = Settings(
        enabled=True, mode="live", base_url=BEHIND, api_key=sandbox.api_key, allow_writes=True
    )
    return SuiteRunner(settings)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_live_run_goes_through_the_proxy_the_environment_names(
    sandbox: SandboxServer, serve_http: Serve, ourtester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setenv("SIGNCHECK_API_KEY", sandbox.api_key)
    with serve_http(_forwarding_to(urlsplit(sandbox.base_url).netloc, asked)) as url:
        monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # not for an http URL
        monkeypatch.setenv("HTTP_PROXY", url.removesuffix("/api/v1"))
        result = ourtester.runpytest(
            "--signcheck", "--signcheck-mode", "live", "--signcheck-base-url", BEHIND,
            "--signcheck-allow-writes", "--signcheck-report", "r.json", "-k", "errors",
        )  # fmt: skip
    report = json.loads((ourtester.path / "r.json").read_bytes())
    assert result.ret == 0 and report["outcome"] == "pass", result.stdout.str()
    assert report["summary"]["responses"] == len(asked) > 0
    assert all(path.startswith(f"{BEHIND}/") for path in asked)


def test_an_unreachable_proxy_is_named_without_its_password(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = _closed_port()
    monkeypatch.setenv("HTTP_PROXY", f"http://ci:hunter2@127.0.0.1:{port}")
    result = _behind_a_proxy(sandbox).run("errors")
    assert result.problem is not None
    assert (
        f"could not reach api.signcheck.invalid through the proxy http://127.0.0.1:{port}" in result.problem
    )
    assert "hunter2" not in result.problem and "Check the proxy (HTTPS_PROXY, NO_PROXY)" in result.problem


def test_a_socks_proxy_without_its_extra_is_could_not_check_naming_it(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        import socksio  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("httpx[socks] is installed here")
    monkeypatch.setenv("ALL_PROXY", "socks5://ci:hunter2@127.0.0.1:1080")
    result = _behind_a_proxy(sandbox).run("errors")
    assert result.problem is not None and "pip install httpx[socks]" in result.problem
    assert "socks5://127.0.0.1:1080" in result.problem and "hunter2" not in result.problem


def test_a_loopback_api_is_never_sent_through_a_proxy(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reference sandbox on this machine: no proxy elsewhere can reach it."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{_closed_port()}")
    settings = Settings(enabled=True, mode="live", base_url=sandbox.base_url, api_key=sandbox.api_key)
    result = SuiteRunner(settings).run("errors")
    assert result.problem is None, result.problem


COM, EU, CORP = (
    "https://sandbox.syngrafii.com/api/v1",
    "https://sandbox.syngrafii.eu",
    "http://proxy.corp:3128",
)


@pytest.mark.parametrize(
    ("environment", "url", "proxy"),
    [
        ({"HTTPS_PROXY": CORP}, COM, CORP),
        ({"HTTPS_PROXY": "proxy.corp:3128"}, COM, CORP),
        ({"HTTPS_PROXY": CORP}, "http://sandbox.syngrafii.com/api/v1", None),
        ({"ALL_PROXY": CORP}, COM, CORP),
        ({"HTTPS_PROXY": "http://upper:1", "https_proxy": CORP}, COM, CORP),
        ({"HTTPS_PROXY": CORP, "NO_PROXY": "localhost,.syngrafii.com"}, COM, None),
        ({"HTTPS_PROXY": CORP, "NO_PROXY": "SANDBOX.syngrafii.com"}, COM, None),
        ({"HTTPS_PROXY": CORP, "NO_PROXY": "syngrafii.com"}, EU, CORP),
        ({"HTTPS_PROXY": CORP, "NO_PROXY": "*"}, EU, None),
        ({}, COM, None),
    ],
    ids=[
        "https",
        "no-scheme",
        "http-url",
        "all",
        "lower-case-wins",
        "no-proxy-domain",
        "no-proxy-host",
        "no-proxy-other",
        "no-proxy-star",
        "none",
    ],
)
def test_the_proxy_is_read_as_curl_reads_it(
    environment: dict[str, str], url: str, proxy: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert environment_proxy(url) == proxy


def test_a_proxy_is_named_without_its_credentials() -> None:
    assert proxy_label("http://ci:hunter2@proxy.corp:3128") == "http://proxy.corp:3128"
    assert proxy_label("socks5://127.0.0.1:1080") == "socks5://127.0.0.1:1080"
