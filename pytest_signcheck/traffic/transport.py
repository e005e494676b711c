"""httpx client and cassettes behind one seam: every response becomes an `Exchange`.

Three transports: live (httpx's own), recording (live, keeping every interaction for the cassette)
and replay (serves a cassette; never opens a socket). Checks never know which one ran.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from pytest_signcheck.contract.endpoints import API_PREFIX, api_path, endpoint_for
from pytest_signcheck.contract.redact import redact_text
from pytest_signcheck.errors import CassetteError, CouldNotCheck
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.traffic._answers import REDIRECTS, RETRY_STATUSES, redirected, retry_after
from pytest_signcheck.traffic.accounting import Cost, Tally
from pytest_signcheck.traffic.cassettes import Cassette, Interaction, mask_personal, rerecord_command
from pytest_signcheck.traffic.encoding import without_encoding

__all__ = [
    "CONTROL_PREFIX",
    "MAX_RETRY_AFTER",
    "SOURCE",
    "Client",
    "RecordingTransport",
    "ReplayTransport",
    "Unanswered",
]

SOURCE = "signcheck_source"
#: Where the reference sandbox serves its own control surface (signing, declining): not the vendor's API.
CONTROL_PREFIX = "/_sandbox"
#: The longest `Retry-After` the client waits for; a longer one stops the request at once.
MAX_RETRY_AFTER = 60.0


class Unanswered(CouldNotCheck):
    """A request the API did not answer: still rate limited or unavailable after the retries, or no
    response at all. `retry_after` is how long the API asked to wait (0 when it did not say)."""

    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _body_key(content: bytes | None) -> str | None:
    if not content:
        return None
    try:
        return json.dumps(mask_personal(json.loads(content)), sort_keys=True)
    except ValueError:
        return None  # multipart uploads and other non-JSON bodies match on method and path alone


def _key(method: str, url: str, base_path: str, content: bytes | None) -> tuple[str, str, str, str | None]:
    parts = urlsplit(url)
    return method.upper(), api_path(parts.path, base_path), parts.query, _body_key(content)


class ReplayTransport(httpx.BaseTransport):
    """Serves a cassette's responses in recorded order; a request it lacks is a CassetteError."""

    def __init__(self, cassette: Cassette) -> None:
        self.cassette = cassette
        recorded_base = str(cassette.info.get("base_url", ""))
        self._base_path = urlsplit(recorded_base).path.rstrip("/")
        self._queues: dict[tuple[str, str, str, str | None], deque[int]] = {}
        for index, item in enumerate(cassette.interactions):
            key = _key(item.method, item.uri, self._base_path, item.request_body)
            self._queues.setdefault(key, deque()).append(index)
        self.request_base_path = ""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        key = _key(request.method, str(request.url), self.request_base_path, request.read())
        queue = self._queues.get(key)
        if not queue:
            raise CassetteError(self._miss_message(key))
        index = queue.popleft()
        item = self.cassette.interactions[index]
        headers = [(name, value) for name, values in item.headers.items() for value in values]
        return httpx.Response(
            item.status,
            headers=headers,
            content=item.body,
            request=request,
            extensions={SOURCE: f"{self.cassette.path.name}#{index}"},
        )

    def _miss_message(self, key: tuple[str, str, str, str | None]) -> str:
        method, path, query, body = key
        shown = f"{method} {path}{'?' + query if query else ''}"
        if body:
            shown += " " + redact_text(body)[:160]
        near = [k for k, q in self._queues.items() if q and k[:2] == key[:2]]
        hint = (
            f" It has {len(near)} unplayed interaction(s) for {method} {path} with other bodies."
            if near
            else ""
        )
        return (
            f"cassette {self.cassette.path} has no recorded interaction for {shown}.{hint} "
            "The suite changed since it was recorded, or the recording is incomplete. "
            f"Re-record with: {rerecord_command(self.cassette.path.parent)}"
        )


class RecordingTransport(httpx.BaseTransport):
    """Passes requests to the real transport and keeps every interaction (scrubbed on save).

    The body is kept as httpx decoded it, without its `Content-Encoding`: a gzip-compressing API
    records readable JSON, and neither the client nor a replay decodes it twice.
    """

    def __init__(self, inner: httpx.BaseTransport, label: str = "cassette") -> None:
        self.inner = inner
        self.label = label
        self.interactions: list[Interaction] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        content = response.read()  # decoded: gzip, deflate, br...
        headers = without_encoding({k: response.headers.get_list(k) for k in response.headers}, len(content))
        index = len(self.interactions)
        self.interactions.append(
            Interaction(
                method=request.method,
                uri=str(request.url),
                request_body=request.read() or None,
                request_headers={k: [v] for k, v in request.headers.items()},
                status=response.status_code,
                reason=response.reason_phrase,
                headers=headers,
                body=content,
            )
        )
        return httpx.Response(
            response.status_code,
            headers=[(name, value) for name, values in headers.items() for value in values],
            content=content,
            request=request,
            extensions={SOURCE: f"live, recorded as {self.label}#{index}"},
        )


class Client:
    """The suite's HTTP client: `api_key` header, timeouts, bounded retries on 429, 502, 503 and 504.

    `tally` counts the responses and how many looked like the API; `cost` counts the requests sent and
    the time spent waiting on them, and holds the scenario to `max_requests`. `via` names the proxy the
    transport goes through, for the message when the API cannot be reached.
    """

    def __init__(
        self,
        base_url: str,
        transport: httpx.BaseTransport,
        *,
        api_key: str | None = None,
        timeout: float = 30.0,
        retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        max_requests: int | None = None,
        via: str | None = None,
    ) -> None:
        headers = {"api_key": api_key} if api_key else {}
        self.base_url = base_url.rstrip("/")
        self._host = urlsplit(self.base_url).hostname or self.base_url
        self._via = via
        self._http = httpx.Client(transport=transport, headers=headers, timeout=timeout)
        self._retries = retries
        self._sleep = sleep
        self.tally = Tally()
        self.cost = Cost(cap=max_requests)
        if isinstance(transport, ReplayTransport):
            transport.request_base_path = urlsplit(self.base_url).path.rstrip("/")

    def close(self) -> None:
        self._http.close()

    def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        files: Mapping[str, Any] | list[Any] | None = None,
        cleanup: bool = False,
    ) -> Exchange:
        """Send one request; return its Exchange, or raise CouldNotCheck with what to do about it.

        A `cleanup` request counts against the cap but is never refused by it.
        """
        endpoint = endpoint_for(method, path) or f"{method.upper()} {path}"
        self.cost.call(endpoint, refusable=not cleanup)
        started = time.perf_counter()
        try:
            response = self._attempts(endpoint, lambda: self._send(method, path, json_body, files))
        finally:
            self.cost.waited += time.perf_counter() - started
        if response.status_code in (401, 403):
            raise CouldNotCheck(
                f"{endpoint}: the API refused the key (HTTP {response.status_code}). "
                "Check SIGNCHECK_API_KEY holds a valid key for this host."
            )
        if response.status_code in REDIRECTS:
            raise CouldNotCheck(redirected(endpoint, str(response.request.url), response))
        source = str(response.extensions.get(SOURCE, f"live {method.upper()} {path}"))
        exchange = Exchange.from_bytes(
            endpoint, response.status_code, response.content, response.headers, json_body, source
        )
        self.tally.add(exchange)
        return exchange

    def pause(self, seconds: float) -> None:
        """Wait `seconds` (at most `MAX_RETRY_AFTER`) before asking the API again, counted as waited."""
        seconds = min(max(seconds, 0.0), MAX_RETRY_AFTER)
        self._sleep(seconds)
        self.cost.waited += seconds

    def _attempts(self, what: str, send: Callable[[], httpx.Response]) -> httpx.Response:
        """The first answer that is not a 429, 502, 503 or 504, after at most `retries` pauses of
        `Retry-After`; `Unanswered` when none came."""
        for attempt in range(self._retries + 1):
            response = send()
            if response.status_code not in RETRY_STATUSES:
                break
            wait = retry_after(response, attempt)
            if attempt == self._retries or wait > MAX_RETRY_AFTER:
                raise Unanswered(
                    f"{what}: still HTTP {response.status_code} after {attempt + 1} attempt(s) "
                    f"(Retry-After {wait:g}s); the API is rate limiting or unavailable, try again later",
                    retry_after=wait,
                )
            self._sleep(wait)
        return response

    def control(self, method: str, path: str, json_body: Any = None) -> Any:
        """Call the reference sandbox's own control surface (`/_sandbox/...`): the parsed JSON answer.

        Not the vendor's API, and not on it: the suite calls this only for a loopback target. Never
        checked, never counted as a request to the API; retried like one (a 429 or a gateway error);
        recorded and replayed like any request, so a replay follows the path its recording took. A
        refusal is a CouldNotCheck naming the call.
        """
        url = self.base_url.removesuffix(API_PREFIX) + CONTROL_PREFIX + path
        what = f"{method} {CONTROL_PREFIX}{path}"
        response = self._attempts(what, lambda: self._send_url(method, url, json_body, None))
        if response.status_code != 200:
            raise CouldNotCheck(
                f"{what}: the reference sandbox's control surface answered HTTP "
                f"{response.status_code} ({redact_text(response.text[:200])})"
            )
        return response.json()

    def _send(self, method: str, path: str, json_body: Any, files: Any) -> httpx.Response:
        self.cost.requests += 1
        return self._send_url(method, self.base_url + path, json_body, files)

    def _send_url(self, method: str, url: str, json_body: Any, files: Any) -> httpx.Response:
        try:
            return self._http.request(method, url, json=json_body, files=files)
        except CassetteError:
            raise
        except httpx.TimeoutException:
            raise Unanswered(f"{method} {url}: timed out; is {self._host} up?") from None
        except httpx.TransportError as error:
            through = f" through the proxy {self._via}" if self._via else ""
            check = "the proxy (HTTPS_PROXY, NO_PROXY), " if self._via else ""
            raise Unanswered(
                f"{method} {url}: could not reach {self._host}{through} ({type(error).__name__}: {error}). "
                f"Check {check}--signcheck-base-url and that the sandbox is running."
            ) from None
        except RuntimeError as error:  # pytest-recording's --block-network, pytest-socket...
            raise CouldNotCheck(
                f"{method} {url}: the network is blocked in this process ({error}). A plugin such as "
                "pytest-recording (--block-network) or pytest-socket refuses the connection: allow "
                f"{self._host} (e.g. --allowed-hosts={self._host}), or run in replay mode."
            ) from None
