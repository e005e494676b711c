"""Fixtures for the verdict tests: signcheck run as a user runs it, and servers that play real deployments.

- `run_signcheck`, `run_live`, `run_record`: ``pytest --signcheck --signcheck-report report.json ...``
  through pytester's `runpytest`, in this process (tests/conftest.py says why that is safe; add
  ``--runpytest=subprocess`` for a child process each), returning its result and report; each checks
  that no traceback was printed and that the exit code agrees with the report's outcome.
- `signcheck_cli` (tests/conftest.py): the ``signcheck`` command, in this process.
- `proxy`: a reverse proxy in front of a sandbox that compresses every body (gzip, deflate, br) as most
  production APIs do, and can answer one path with an HTML 500 page, as a web server in front of a
  crashed application does (not a 502, 503 or 504: the client retries those as transient).
- `canned`: a server that answers every request with one fixed response (a wrong base URL).

The helpers are fixtures, not an imported module, so these tests collect under any --import-mode.
"""

from __future__ import annotations

import gzip
import itertools
import json
import threading
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from pytest_signcheck.report.build import EXIT_STATUS
from pytest_signcheck.sandbox import SandboxConfig, SandboxServer, running

Run = tuple[pytest.RunResult, dict[str, Any]]
#: tests/conftest.py's `serve_http`: ``with serve(Handler) as url``, a handler on a free loopback port.
Serve = Callable[[type[BaseHTTPRequestHandler]], AbstractContextManager[str]]
_ERROR_PAGE = b"<!doctype html><html><body><h1>500 Internal Server Error</h1></body></html>"


def _brotli(data: bytes) -> bytes:
    import brotli  # only the br tests get here, and they skip without it

    return bytes(brotli.compress(data))


_COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "identity": lambda data: data,
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": _brotli,
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    """A default reference sandbox shared by one test module."""
    with running(SandboxConfig()) as server:
        yield server


def _run_signcheck(tester: pytest.Pytester, *args: str) -> Run:
    result = tester.runpytest("--signcheck", "--signcheck-report", "report.json", *args)
    path = tester.path / "report.json"
    report = json.loads(path.read_bytes()) if path.exists() else {}
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    if report and result.ret in (0, 1, 10) and "test_mine.py" not in args:  # own tests may fail beside it
        assert EXIT_STATUS[report["outcome"]] == result.ret, "the exit code contradicts the report"
    return result, report


@pytest.fixture(scope="session")
def run_signcheck() -> Callable[..., Run]:
    """``run_signcheck(pytester, *args)``: the result and the JSON report of ``pytest --signcheck args``."""
    return _run_signcheck


@pytest.fixture(scope="session")
def run_live() -> Callable[..., Run]:
    """``run_live(pytester, url, *args)``: `run_signcheck` in live mode against `url`."""
    return lambda tester, url, *args: _run_signcheck(
        tester, "--signcheck-mode", "live", "--signcheck-base-url", url, *args
    )


@pytest.fixture(scope="session")
def run_record() -> Callable[..., Run]:
    """``run_record(pytester, url, *args)``: `run_signcheck` recording from `url` into ./tapes."""
    into = ("--signcheck-cassettes", "tapes")
    return lambda tester, url, *args: _run_signcheck(
        tester, "--signcheck-mode", "record", "--signcheck-base-url", url, *into, *args
    )


@pytest.fixture(scope="session")
def compressors() -> dict[str, Callable[[bytes], bytes]]:
    """Content-Encoding -> a function that compresses bytes that way."""
    return dict(_COMPRESSORS)


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _compressing(
    reverse_proxy: Callable[..., AbstractContextManager[str]],
    upstream: str,
    encoding: str | Sequence[str] = "gzip",
    html_path: str | None = None,
    served: list[str] | None = None,
) -> AbstractContextManager[str]:
    encodings = itertools.cycle([encoding] if isinstance(encoding, str) else encoding)
    lock = threading.Lock()

    def compress(body: bytes, accepted: str) -> tuple[bytes, str | None]:
        with lock:
            chosen = next(encodings)
        if chosen == "identity" or chosen not in accepted:
            return body, None
        if served is not None:
            served.append(chosen)
        return _COMPRESSORS[chosen](body), chosen

    def answer(request: Any) -> tuple[int, dict[str, str], bytes]:
        if html_path is not None and request.path.endswith(html_path):
            return 500, {"content-type": "text/html"}, _ERROR_PAGE
        status, headers, body = request.forward()
        body, used = compress(body, request.headers.get("accept-encoding", ""))
        if used is not None:
            headers["content-encoding"] = used
        return status, headers, body

    return reverse_proxy(upstream, answer)


@pytest.fixture(scope="session")
def proxy(
    reverse_proxy: Callable[..., AbstractContextManager[str]],
) -> Callable[..., AbstractContextManager[str]]:
    """``with proxy(upstream, encoding="gzip", html_path=None, served=None) as url``: a compressing
    reverse proxy. `encoding` may be a sequence, taken in turn for each response; each encoding it
    applied is appended to `served`."""
    return partial(_compressing, reverse_proxy)


@contextmanager
def _canned(
    serve: Serve,
    status: int,
    content_type: str,
    body: bytes,
) -> Iterator[str]:
    class Handler(_Quiet):
        def _reply(self) -> None:
            self._body()
            self._answer(status, {"content-type": content_type}, body)

        do_GET = do_POST = _reply

    with serve(Handler) as url:
        yield url


@pytest.fixture(scope="session")
def canned(
    serve_http: Callable[..., AbstractContextManager[str]],
) -> Callable[..., AbstractContextManager[str]]:
    """``with canned(status, content_type, body) as url``: every path, every method, the same answer."""
    return partial(_canned, serve_http)
