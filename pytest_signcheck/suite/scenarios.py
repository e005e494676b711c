"""The conformance scenarios: what a careful integration does, each checked on every response."""

from __future__ import annotations

from collections.abc import Callable

from pytest_signcheck.checks.type_enum import PACKAGE_TYPES
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import Severity
from pytest_signcheck.suite.common import add_package, documented_state, documented_type, file_ids
from pytest_signcheck.suite.context import ScenarioContext
from pytest_signcheck.suite.listing import LIST_REQUESTS, TEMPLATE_REQUESTS, list_packages, templates
from pytest_signcheck.suite.updates import PACKAGE_REQUESTS, UPDATE_REQUESTS, package, update
from pytest_signcheck.suite.webhooks import WEBHOOK_REQUESTS, webhooks

__all__ = ["REQUEST_CAPS", "SCENARIO_FUNCTIONS"]


def upload(ctx: ScenarioContext) -> None:
    """Upload a small generated PDF and accept either documented response shape."""
    exchange = ctx.upload(["signcheck-upload.pdf"])
    if exchange.status_code == 200 and not file_ids(exchange):
        ctx.finding(
            "schema", exchange, "", "a fileId", exchange.body, "the upload response carries no fileId"
        )


def _compare_status(ctx: ScenarioContext, exchange: Exchange, package_type: str, state: str) -> None:
    body = exchange.body
    if exchange.status_code != 200 or not isinstance(body, dict):
        return
    # an undocumented value (a case variant, a near miss, a new one) is type-enum's or state-enum's
    # finding; here only another documented value
    reported_type, reported_state = body.get("type"), body.get("state")
    if documented_type(reported_type) and reported_type != package_type:
        ctx.finding(
            "integrity",
            exchange,
            "/type",
            package_type,
            reported_type,
            f"a package added as {package_type!r} reports another type in its status",
        )
    if documented_state(reported_state, ctx.api_version) and reported_state != state:
        ctx.finding(
            "integrity",
            exchange,
            "/state",
            state,
            reported_state,
            f"a package added in state {state!r} reports another state in its status",
        )
    for key in ("documents", "signers"):
        items = body.get(key)
        if isinstance(items, list) and len(items) != 2:
            ctx.finding(
                "integrity",
                exchange,
                f"/{key}",
                2,
                len(items),
                f"the package was added with 2 {key} but its status lists {len(items)}",
            )


def add_and_status(ctx: ScenarioContext) -> None:
    """Add each type, with and without signer links, open and draft; check add and status responses."""
    for package_type in PACKAGE_TYPES:
        for links in (False, True):
            for state in ("open", "draft"):
                label = f"{package_type} {state} links={'on' if links else 'off'}"
                added = add_package(ctx, package_type, state, links, label)
                if added is None:
                    continue
                path = f"/packages/{added.package_id}/status"
                status = ctx.call("GET", path, generate_signer_links=links)
                _compare_status(ctx, status, package_type, state)


def errors(ctx: ScenarioContext) -> None:
    """The documented error contract: 404 for an unknown package, 400 for a bad type and a negative take."""
    ctx.call(
        "GET", f"/packages/{ctx.unknown_id()}/status", expected_status=404, expected_error="package_not_found"
    )
    body = ctx.package_body("sequential", "draft", False, [], "invalid type")
    ctx.call("POST", "/packages/add", body, expected_status=400, expected_error="package_invalid_type")
    ctx.call("POST", "/packages/list", {"take": -1, "skip": 0}, expected_status=400)


def _state_after(ctx: ScenarioContext, package_id: str, expected: str, action: str) -> None:
    status = ctx.call("GET", f"/packages/{package_id}/status")
    state = status.body.get("state") if isinstance(status.body, dict) else None
    if documented_state(state, ctx.api_version) and state != expected:  # others are state-enum's
        ctx.finding(
            "integrity",
            status,
            "/state",
            expected,
            state,
            f"after {action} the package should be {expected!r}",
        )


def lifecycle(ctx: ScenarioContext) -> None:
    """Send a draft (open), rescind an open one (rescinded), delete one (then 404)."""
    draft = add_package(ctx, "concurrent", "draft", False, "lifecycle send")
    if draft:
        ctx.call("POST", "/packages/send", {"packageId": draft.package_id})
        _state_after(ctx, draft.package_id, "open", "packages/send")
    opened = add_package(ctx, "concurrent", "open", False, "lifecycle rescind")
    if opened:
        body = {
            "packageId": opened.package_id,
            "rescindMessage": "Rescinded by pytest-signcheck.",
            "notify": False,
        }
        ctx.call("POST", "/packages/rescind", body)
        _state_after(ctx, opened.package_id, "rescinded", "packages/rescind")
    doomed = add_package(ctx, "concurrent", "draft", False, "lifecycle delete")
    if doomed:
        ctx.call("POST", "/packages/delete", {"packageId": doomed.package_id, "notify": False})
        ctx.created.remove(doomed.package_id)
        ctx.call(
            "GET",
            f"/packages/{doomed.package_id}/status",
            expected_status=404,
            expected_error="package_not_found",
            severity_cap=Severity.INFO,
        )


SCENARIO_FUNCTIONS: dict[str, Callable[[ScenarioContext], None]] = {
    "upload": upload,
    "add-and-status": add_and_status,
    "list": list_packages,
    "templates": templates,
    "update": update,
    "package": package,
    "errors": errors,
    "lifecycle": lifecycle,
    "webhooks": webhooks,
}
#: The most requests each scenario sends to the API, cleanup included, whatever the organisation's
#: size (retries after a 429, 502, 503 or 504 come on top: at most 3 per request, and a cleanup
#: delete that got no answer is tried once more). `Client` holds each scenario
#: to its cap; the README's table of live-run costs lists them.
REQUEST_CAPS: dict[str, int] = {
    "upload": 1,
    "add-and-status": len(PACKAGE_TYPES)
    * 2
    * 2
    * 4,  # each type x links x state: upload, add, status, delete
    "list": LIST_REQUESTS,
    "templates": TEMPLATE_REQUESTS,
    "update": UPDATE_REQUESTS,
    "package": PACKAGE_REQUESTS,
    "errors": 3,
    "lifecycle": 3 * 4 + 2,  # 3 packages: upload, add, an action, a status; 2 deleted at the end
    "webhooks": WEBHOOK_REQUESTS,
}
