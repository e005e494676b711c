"""The starlette application: the documented paths under ``/api/v1``, auth, throttling, errors.

Every API request is, in order: counted against ``throttle`` (429 with ``Retry-After: 0``),
checked for the ``api_key`` header (403 otherwise), handled, and rendered through the active
drifts. An unknown path or method is a 404 ``endpoint_not_found`` (inferred: 405 is not among the
documented statuses). ``packages/{id}/status`` ignores the JSON body the docs' playground sends.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import errors
from .config import SandboxConfig
from .effects import DriftEffects, Kind
from .intake import flag, package_id, parse_object, read_add, text
from .listing import read_query, select
from .model import Json
from .render import list_item, status
from .render_package import package_object
from .seed import seed_store
from .store import Store
from .upload import upload

PREFIX = "/api/v1"
LOG = logging.getLogger("pytest_signcheck.sandbox")


@dataclass
class Context:
    config: SandboxConfig
    store: Store
    effects: DriftEffects
    requests: int = 0

    def throttled(self) -> bool:
        """Counts the request; true while the throttle still refuses requests."""
        self.requests += 1
        return self.config.throttle == -1 or self.requests <= self.config.throttle

    def links(self, requested: bool) -> bool:
        return self.effects.shows_links(requested)


Reply = tuple[Kind, Json]
Handler = Callable[[Request, Context], Awaitable[Reply]]


async def _upload(request: Request, ctx: Context) -> Reply:
    content_type = request.headers.get("content-type", "")
    return "upload", upload(ctx.store, content_type, await request.body(), dict(request.query_params))


async def _add(request: Request, ctx: Context) -> Reply:
    add = read_add(parse_object(await request.body()), ctx.store.files)
    package = ctx.store.add(add)
    if not add.return_package:  # inferred: returnPackage false leaves out the package object
        return "add", {"packageId": package.package_id}
    body = package_object(package, ctx.config.api_version, ctx.links(package.generate_signer_links))
    return "add", {"packageId": package.package_id, "package": body}


async def _get(request: Request, ctx: Context) -> Reply:
    package = ctx.store.package(request.path_params["packageId"])
    return "package", package_object(
        package, ctx.config.api_version, ctx.links(package.generate_signer_links)
    )


async def _status(request: Request, ctx: Context) -> Reply:
    package = ctx.store.package(request.path_params["packageId"])
    return "status", status(package, ctx.config.api_version, ctx.links(package.generate_signer_links))


async def _list(request: Request, ctx: Context) -> Reply:
    query = read_query(parse_object(await request.body()))
    page, total = select(ctx.store, query, ctx.config.api_version, ctx.effects.list_flags())
    items = [list_item(package, ctx.config.api_version) for package in page]
    return "list", {"items": items, "total": total, "take": query.take, "skip": query.skip}


async def _send(request: Request, ctx: Context) -> Reply:
    package = ctx.store.send(package_id(parse_object(await request.body())))
    return "reference", {"packageId": package.package_id}


async def _rescind(request: Request, ctx: Context) -> Reply:
    body = parse_object(await request.body())
    flag(body, "notify")
    package = ctx.store.rescind(package_id(body), text(body, "rescindMessage"))
    return "reference", {"packageId": package.package_id}


async def _delete(request: Request, ctx: Context) -> Reply:
    body = parse_object(await request.body())
    flag(body, "notify")
    package = ctx.store.delete(package_id(body), flag(body, "overrideRetention"))
    return "delete", {"packageId": package.package_id, "videos": []}


def _endpoint(ctx: Context, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            if ctx.throttled():
                raise errors.rate_limited()
            if not hmac.compare_digest(request.headers.get("api_key", ""), ctx.config.api_key):
                raise errors.not_authorized()
            kind, payload = await handler(request, ctx)
        except errors.ApiError as error:
            return ctx.effects.error(error)
        except Exception:  # a sandbox bug still answers with the documented 500 body
            LOG.exception("sandbox failed on %s %s", request.method, request.url.path)
            return ctx.effects.error(errors.server_exception())
        return ctx.effects.success(kind, payload)

    return endpoint


def build_app(config: SandboxConfig) -> Starlette:
    ctx = Context(config, seed_store(config.seed, config.packages), DriftEffects(config.drifts))
    table: list[tuple[str, str, Handler]] = [
        ("POST", "/files/upload", _upload),
        ("POST", "/packages/add", _add),
        ("POST", "/packages/list", _list),
        ("POST", "/packages/send", _send),
        ("POST", "/packages/rescind", _rescind),
        ("POST", "/packages/delete", _delete),
        ("GET", "/packages/{packageId}/status", _status),
        ("GET", "/packages/{packageId}", _get),
    ]
    routes = [
        Route(PREFIX + path, _endpoint(ctx, handler), methods=[method]) for method, path, handler in table
    ]

    async def unknown(request: Request, exc: Exception) -> Response:
        del request, exc
        return ctx.effects.error(errors.endpoint_not_found())

    return Starlette(routes=routes, exception_handlers={HTTPException: unknown})
