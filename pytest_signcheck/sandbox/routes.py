"""The starlette application: the documented paths under ``/api/v1``, auth, throttling, delay, errors.

Every API request is, in order: counted against ``throttle`` (429 with ``Retry-After: 0``),
checked for the ``api_key`` header (403 otherwise), read in full, handled under the context's
lock, rendered through the active drifts, and held ``delay_ms`` before it is answered. An unknown
path or method is a 404 ``endpoint_not_found`` (inferred: 405 is not among the documented
statuses). ``packages/{id}/status`` ignores the JSON body the docs' playground sends, and
``templates/list`` answers GET with a JSON body as well as POST (the docs show both). The sandbox's
own control surface (``control.py``) lives outside ``/api/v1``.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from . import errors, handlers
from .config import SandboxConfig
from .context import Call, Context, Handler, Reply
from .control import SandboxControl, control_routes
from .intake import flag, package_id, read_add, text
from .listing import read_query, select
from .render import list_item, status
from .render_package import package_object
from .seed import seed_store
from .upload import upload

PREFIX = "/api/v1"
LOG = logging.getLogger("pytest_signcheck.sandbox")


def _upload(call: Call, ctx: Context) -> Reply:
    return "upload", upload(ctx.store, call.content_type, call.body, dict(call.query))


def _add(call: Call, ctx: Context) -> Reply:
    add = read_add(call.json(), ctx.store.files)
    package = ctx.store.add(add)
    ctx.outbox.publish("package_add", package, package.created)
    if not add.return_package:  # inferred: returnPackage false leaves out the package object
        return "add", {"packageId": package.package_id}
    edit = handlers.mint_edit_link(ctx, package) if add.generate_edit_link and package.embedded else None
    body = package_object(package, ctx.config.api_version, ctx.links(package.generate_signer_links), edit)
    return "add", {"packageId": package.package_id, "package": body}


def _get(call: Call, ctx: Context) -> Reply:
    package = ctx.store.package(call.params["packageId"])
    links = ctx.links(package.generate_signer_links)
    return "package", package_object(package, ctx.config.api_version, links)


def _status(call: Call, ctx: Context) -> Reply:
    package = ctx.store.package(call.params["packageId"])
    return "status", status(package, ctx.config.api_version, ctx.links(package.generate_signer_links))


def _list(call: Call, ctx: Context) -> Reply:
    query = read_query(call.json())
    page, total = select(ctx.store, query, ctx.config.api_version, ctx.effects.list_flags())
    items = [list_item(package, ctx.config.api_version) for package in page]
    return "list", query.page.body(items, total)


def _send(call: Call, ctx: Context) -> Reply:
    package = ctx.store.send(package_id(call.json()))
    return "reference", {"packageId": package.package_id}


def _rescind(call: Call, ctx: Context) -> Reply:
    body = call.json()
    flag(body, "notify")
    package = ctx.store.rescind(package_id(body), text(body, "rescindMessage"))
    return "reference", {"packageId": package.package_id}


def _delete(call: Call, ctx: Context) -> Reply:
    body = call.json()
    flag(body, "notify")
    package = ctx.store.delete(package_id(body), flag(body, "overrideRetention"))
    return "delete", {"packageId": package.package_id, "videos": []}


TABLE: list[tuple[tuple[str, ...], str, Handler]] = [
    (("POST",), "/files/upload", _upload),
    (("POST",), "/packages/add", _add),
    (("POST",), "/packages/update", handlers.update_package),
    (("POST",), "/packages/list", _list),
    (("POST",), "/packages/send", _send),
    (("POST",), "/packages/rescind", _rescind),
    (("POST",), "/packages/delete", _delete),
    (("GET",), "/packages/{packageId}/status", _status),
    (("GET",), "/packages/{packageId}/data", handlers.data),
    (("POST",), "/packages/{packageId}/link/sign/{signerId}", handlers.sign_link),
    (("POST",), "/packages/{packageId}/link/edit", handlers.edit_link),
    (("GET",), "/packages/{packageId}", _get),
    (("POST", "GET"), "/templates/list", handlers.templates),
    (("POST",), "/events/endpoints/set", handlers.set_endpoint),
]


async def read_call(request: Request) -> Call:
    content_type = request.headers.get("content-type", "")
    return Call(request.path_params, request.query_params, content_type, await request.body())


def _endpoint(ctx: Context, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        ctx.count()
        try:
            if ctx.throttled():
                raise errors.rate_limited()
            if not hmac.compare_digest(request.headers.get("api_key", ""), ctx.config.api_key):
                raise errors.not_authorized()
            call = await read_call(request)
            with ctx.lock:
                kind, payload = handler(call, ctx)
                response = ctx.effects.success(kind, payload)
        except errors.ApiError as error:
            response = ctx.effects.error(error)
        except Exception:  # a sandbox bug still answers with the documented 500 body
            LOG.exception("sandbox failed on %s %s", request.method, request.url.path)
            response = ctx.effects.error(errors.server_exception())
        return await _delayed(ctx, response)

    return endpoint


async def _delayed(ctx: Context, response: Response) -> Response:
    if ctx.config.delay_ms:
        await asyncio.sleep(ctx.config.delay_ms / 1000)
    return response


def build_app(config: SandboxConfig) -> Starlette:
    """The app, with its control object at ``app.state.sandbox``."""
    store = seed_store(config.seed, config.packages, config.templates)
    ctx = Context.create(config, store)
    control = SandboxControl(ctx)
    routes: list[BaseRoute] = [
        Route(PREFIX + path, _endpoint(ctx, handler), methods=list(methods))
        for methods, path, handler in TABLE
    ]
    routes += control_routes(control, config.api_key)

    async def unknown(request: Request, exc: Exception) -> Response:
        del exc
        if request.url.path.startswith(PREFIX):
            ctx.count()
            return await _delayed(ctx, ctx.effects.error(errors.endpoint_not_found()))
        return ctx.effects.error(errors.endpoint_not_found())

    app = Starlette(routes=routes, exception_handlers={HTTPException: unknown})
    app.state.sandbox = control
    return app
