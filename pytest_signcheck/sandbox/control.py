"""The sandbox's control surface: what the vendor's API has no call for, so tests can drive it.

Not part of the iinked Sign API. Signers sign and decline in the vendor's web app, not through the
API; here a test makes them, from Python (``SandboxServer.sign``/``decline``) or over HTTP under
``/_sandbox`` (never under ``/api/v1``), with the same ``api_key`` header:

- ``POST /_sandbox/packages/{packageId}/sign/{signerId}`` (body ``{"documentId": ...}`` optional)
- ``POST /_sandbox/packages/{packageId}/decline/{signerId}`` (body ``{"declineReason", "declineMessage"}``)
- ``GET /_sandbox/events``: every webhook event so far and how its delivery went (waits for
  pending deliveries first, up to 10 s)
- ``GET /_sandbox/stats``: API requests answered and milliseconds of ``delay_ms`` they were held

Control calls are neither throttled, delayed nor drifted; errors have the API's ``{error, message}`` shape.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from . import errors, signing
from .context import Context
from .intake import parse_object, text
from .model import Json

FLUSH_TIMEOUT = 10.0


class SandboxControl:
    """Signing, declining, webhook deliveries and counters of one sandbox; safe from any thread."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def sign(self, package_id: str, signer_id: str, document_id: str | None = None) -> Json:
        """Make a signer sign (one document, or all they have left); fires the events. Raises ``ApiError``."""
        with self._ctx.lock:
            return self._fire(signing.sign(self._ctx.store, package_id, signer_id, document_id))

    def decline(
        self, package_id: str, signer_id: str, reason: str | None = None, message: str | None = None
    ) -> Json:
        """A signer declines, rescinding the package; fires ``package_decline``. Raises ``ApiError``."""
        with self._ctx.lock:
            return self._fire(signing.decline(self._ctx.store, package_id, signer_id, reason, message))

    def flush(self, timeout: float = FLUSH_TIMEOUT) -> list[Json]:
        """Wait for every pending webhook delivery, then list all events; ``TimeoutError`` if they hang."""
        if not self._ctx.courier.flush(timeout):
            raise TimeoutError(f"webhook deliveries still pending after {timeout:g} s")
        return self.events()

    def events(self) -> list[Json]:
        """Every webhook event so far, oldest first, with its delivery outcome (no waiting)."""
        with self._ctx.lock:
            return [event.record() for event in self._ctx.outbox.events]

    def stats(self) -> Json:
        """API requests answered, and the milliseconds ``delay_ms`` held them in all."""
        with self._ctx.lock:
            return {"requests": self._ctx.requests, "delayedMs": self._ctx.delayed_ms}

    def close(self) -> None:
        """Stop delivering webhooks (pending ones are marked failed)."""
        self._ctx.courier.close()

    def _fire(self, outcome: signing.Outcome) -> Json:
        for action, extra in outcome.events:
            self._ctx.outbox.publish(action, outcome.package, outcome.time, extra)
        return {
            "packageId": outcome.package.package_id,
            "revisionsSigned": outcome.revisions,
            "events": [action for action, _ in outcome.events],
        }


Action = Callable[[Request, Json], Json]


def control_routes(control: SandboxControl, api_key: str) -> list[BaseRoute]:
    def sign(request: Request, body: Json) -> Json:
        params = request.path_params
        return control.sign(params["packageId"], params["signerId"], text(body, "documentId", "document"))

    def decline(request: Request, body: Json) -> Json:
        params = request.path_params
        reason, message = text(body, "declineReason", "signer"), text(body, "declineMessage", "signer")
        return control.decline(params["packageId"], params["signerId"], reason, message)

    async def events(request: Request) -> Response:
        if not _authorised(request, api_key):
            return _error(errors.not_authorized())
        try:
            return JSONResponse({"events": await run_in_threadpool(control.flush)})
        except TimeoutError as error:
            return JSONResponse({"error": "sandbox_exception_timeout", "message": str(error)}, 500)

    async def stats(request: Request) -> Response:
        if not _authorised(request, api_key):
            return _error(errors.not_authorized())
        return JSONResponse(control.stats())

    base = "/_sandbox/packages/{packageId}"
    return [
        Route(f"{base}/sign/{{signerId}}", _action(sign, api_key), methods=["POST"]),
        Route(f"{base}/decline/{{signerId}}", _action(decline, api_key), methods=["POST"]),
        Route("/_sandbox/events", events, methods=["GET"]),
        Route("/_sandbox/stats", stats, methods=["GET"]),
    ]


def _action(action: Action, api_key: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        if not _authorised(request, api_key):
            return _error(errors.not_authorized())
        try:
            return JSONResponse(action(request, parse_object(await request.body())))
        except errors.ApiError as error:
            return _error(error)

    return endpoint


def _authorised(request: Request, api_key: str) -> bool:
    return hmac.compare_digest(request.headers.get("api_key", ""), api_key)


def _error(error: errors.ApiError) -> Response:
    return JSONResponse({"error": error.code, "message": error.message}, error.status, dict(error.headers))
