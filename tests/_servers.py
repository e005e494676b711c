"""Small HTTP servers on 127.0.0.1 for the verdict tests: what a real, imperfect deployment looks like.

- `proxy`: forwards to an upstream (the reference sandbox) and compresses every response body with
  gzip, deflate or br, as most production APIs do when the client accepts it; it can also answer one
  path with an HTML error page, as a load balancer does.
- `canned`: answers every request with one fixed response (an HTML page, a JSON 404): a wrong base URL.

Each serves from a daemon thread until its `with` block ends.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

HTML = b"<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>"


def _brotli(data: bytes) -> bytes:
    import brotli  # only the br tests get here, and they skip without it

    return bytes(brotli.compress(data))


COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "identity": lambda data: data,
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": _brotli,
}


@contextmanager
def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


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


@contextmanager
def proxy(upstream: str, encoding: str = "gzip", html_path: str | None = None) -> Iterator[str]:
    """A compressing reverse proxy in front of `upstream` (a base URL ending in /api/v1)."""
    compress = COMPRESSORS[encoding]
    client = httpx.Client(timeout=30)

    class Handler(_Quiet):
        def _forward(self) -> None:
            if html_path is not None and self.path.endswith(html_path):
                self._answer(502, {"content-type": "text/html"}, HTML)
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("api_key", "content-type")}
            url = upstream.removesuffix("/api/v1") + self.path
            response = client.request(self.command, url, headers=headers, content=self._body())
            out = {"content-type": response.headers.get("content-type", "")}
            accepted = self.headers.get("accept-encoding", "")
            body = response.content
            if encoding != "identity" and encoding in accepted:
                body, out["content-encoding"] = compress(body), encoding
            self._answer(response.status_code, out, body)

        do_GET = do_POST = _forward

    try:
        with _serve(Handler) as url:
            yield url
    finally:
        client.close()


@contextmanager
def canned(status: int, content_type: str, body: bytes) -> Iterator[str]:
    """Every path, every method: the same answer."""

    class Handler(_Quiet):
        def _reply(self) -> None:
            self._body()
            self._answer(status, {"content-type": content_type}, body)

        do_GET = do_POST = _reply

    with _serve(Handler) as url:
        yield url
