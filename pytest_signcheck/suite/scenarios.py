"""The conformance scenarios: what a careful integration does, each checked on every response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytest_signcheck.checks import PaginationWalk
from pytest_signcheck.checks.state_enum import STATES
from pytest_signcheck.checks.type_enum import PACKAGE_TYPES
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import Finding, Severity
from pytest_signcheck.suite.context import NAME_PREFIX, ScenarioContext

__all__ = ["SCENARIO_FUNCTIONS"]

LIST_TAKE = 10
MAX_PAGES = 200


def _file_ids(exchange: Exchange) -> list[str]:
    """Both documented upload shapes: `{files: [{fileId}]}` (reference) and `{fileId}` (signing guide)."""
    body = exchange.body
    if not isinstance(body, dict):
        return []
    files = body.get("files")
    items: list[Any] = files if isinstance(files, list) else [body]
    return [str(item["fileId"]) for item in items if isinstance(item, dict) and item.get("fileId")]


def _package_id(exchange: Exchange) -> str | None:
    body = exchange.body
    # any 2xx: a package created under a drifted status code must still be cleaned up
    if (
        200 <= exchange.status_code < 300
        and isinstance(body, dict)
        and isinstance(body.get("packageId"), str)
    ):
        return str(body["packageId"])
    return None


def upload(ctx: ScenarioContext) -> None:
    """Upload a small generated PDF and accept either documented response shape."""
    exchange = ctx.upload(["signcheck-upload.pdf"])
    if exchange.status_code == 200 and not _file_ids(exchange):
        ctx.finding(
            "schema", exchange, "", "a fileId", exchange.body, "the upload response carries no fileId"
        )


def _add(ctx: ScenarioContext, package_type: str, state: str, links: bool, label: str) -> str | None:
    file_ids = _file_ids(ctx.upload([f"{label}-1.pdf", f"{label}-2.pdf"]))
    body = ctx.package_body(package_type, state, links, file_ids, label)
    exchange = ctx.client.call("POST", "/packages/add", json_body=body)
    if exchange.status_code == 400 and isinstance(exchange.body, dict):
        _refused(ctx, exchange, package_type)
        return None
    ctx.check(exchange, generate_signer_links=links)
    package_id = _package_id(exchange)
    if package_id:
        ctx.created.append(package_id)
    return package_id


def _refused(ctx: ScenarioContext, exchange: Exchange, package_type: str) -> None:
    """A documented type refused as invalid is drift; any other refusal is reported, not failed."""
    ctx.check(exchange, expected_status=400)
    code = exchange.body.get("error")
    if code == "package_invalid_type":
        ctx.finding(
            "type-enum",
            exchange,
            "/type",
            package_type,
            code,
            f"the documented type constant {package_type!r} was refused as invalid",
        )
    else:
        ctx.finding(
            "http",
            exchange,
            "",
            200,
            f"400 {code}",
            f"the API refused to add a {package_type!r} package ({code}): reported, not failed",
            severity=Severity.INFO,
        )


def _compare_status(ctx: ScenarioContext, exchange: Exchange, package_type: str, state: str) -> None:
    body = exchange.body
    if exchange.status_code != 200 or not isinstance(body, dict):
        return
    # a case variant is type-enum's (or state-enum's) finding; here only a different documented value
    if str(body.get("type")).lower() != package_type.lower():
        ctx.finding(
            "integrity",
            exchange,
            "/type",
            package_type,
            body.get("type"),
            f"a package added as {package_type!r} reports another type in its status",
        )
    if str(body.get("state")).lower() != state:
        ctx.finding(
            "integrity",
            exchange,
            "/state",
            state,
            body.get("state"),
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
                package_id = _add(ctx, package_type, state, links, label)
                if package_id is None:
                    continue
                status = ctx.call("GET", f"/packages/{package_id}/status", generate_signer_links=links)
                _compare_status(ctx, status, package_type, state)


def _walk_once(ctx: ScenarioContext) -> tuple[list[Finding], dict[tuple[str, str], str], list[str]]:
    """One walk over every page with a small take: its findings, a sample per (type, state), names."""
    request: dict[str, Any] = {"allMembers": True, "sortBy": "created", "take": LIST_TAKE, "skip": 0}
    walk = PaginationWalk(page_checks=False)  # run_checks already judges each page on its own
    samples: dict[tuple[str, str], str] = {}
    names: list[str] = []
    for _ in range(MAX_PAGES):
        exchange = ctx.call("POST", "/packages/list", dict(request))
        walk.add_page(request, exchange.body, exchange.source)
        items = exchange.body.get("items") if isinstance(exchange.body, dict) else None
        if not isinstance(items, list) or not items:
            break
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("packageId"), str):
                continue
            name = str(item.get("name") or "")
            if name.startswith(NAME_PREFIX + "-"):
                continue  # the suite's own packages come and go while it runs: never sample them
            names.append(name)
            samples.setdefault((str(item.get("type")), str(item.get("state"))), item["packageId"])
        request["skip"] += LIST_TAKE
    return walk.finish(), samples, names


def _walk(ctx: ScenarioContext) -> tuple[dict[tuple[str, str], str], list[str]]:
    """Walk all pages; if the walk saw the list change under it, walk once more and trust that one.

    Another client (or a parallel scenario) adding packages mid-walk changes `total`; a second walk
    separates that from an API whose pagination is really broken, which fails both times.
    """
    found, samples, names = _walk_once(ctx)
    if found:
        found, samples, names = _walk_once(ctx)
    ctx.findings.extend(found)
    return samples, names


def _search_term(names: list[str]) -> str | None:
    """A word of a known package name, case swapped, as a prefix: full text search must still match."""
    for name in names:
        for word in name.split():
            if len(word) >= 4 and word.isalpha() and word.isascii():
                return word.swapcase() + "*"
    return None


def _filter(
    ctx: ScenarioContext, name: str, value: Any, expect_matches: bool, severity: Severity = Severity.BREAKING
) -> None:
    exchange = ctx.call("POST", "/packages/list", {"allMembers": True, name: value, "take": 50, "skip": 0})
    body = exchange.body
    if expect_matches and exchange.status_code == 200 and isinstance(body, dict) and body.get("total") == 0:
        ctx.finding(
            "filters",
            exchange,
            "/total",
            "at least 1",
            0,
            f"filter {name} matched nothing although the full walk saw packages it should match",
            severity=severity,
        )


def list_packages(ctx: ScenarioContext) -> None:
    """Walk every page, exercise each filter with values known to match, sample statuses per (type, state)."""
    samples, names = _walk(ctx)
    # filters are exercised with documented values only: a drifted value is already a finding
    states = sorted({state for _, state in samples} & set(STATES[ctx.api_version]))
    types = sorted({package_type for package_type, _ in samples} & set(PACKAGE_TYPES))
    for state in states[:4]:
        _filter(ctx, "states", [state], True)
    for package_type in types[:5]:
        _filter(ctx, "types", [package_type], True)
    _filter(ctx, "isExecuted", True, "executed" in states)
    _filter(ctx, "isExecuted", False, True)
    term = _search_term(names)
    if term:  # case-insensitivity of full text search is inferred, not documented: info
        _filter(ctx, "search", term, True, Severity.INFO)
    for package_id in samples.values():
        ctx.call("GET", f"/packages/{package_id}/status")


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
    if isinstance(status.body, dict) and status.body.get("state") != expected:
        ctx.finding(
            "integrity",
            status,
            "/state",
            expected,
            status.body.get("state"),
            f"after {action} the package should be {expected!r}",
        )


def lifecycle(ctx: ScenarioContext) -> None:
    """Send a draft (open), rescind an open one (rescinded), delete one (then 404)."""
    draft = _add(ctx, "concurrent", "draft", False, "lifecycle send")
    if draft:
        ctx.call("POST", "/packages/send", {"packageId": draft})
        _state_after(ctx, draft, "open", "packages/send")
    opened = _add(ctx, "concurrent", "open", False, "lifecycle rescind")
    if opened:
        body = {"packageId": opened, "rescindMessage": "Rescinded by pytest-signcheck.", "notify": False}
        ctx.call("POST", "/packages/rescind", body)
        _state_after(ctx, opened, "rescinded", "packages/rescind")
    doomed = _add(ctx, "concurrent", "draft", False, "lifecycle delete")
    if doomed:
        ctx.call("POST", "/packages/delete", {"packageId": doomed, "notify": False})
        ctx.created.remove(doomed)
        ctx.call(
            "GET",
            f"/packages/{doomed}/status",
            expected_status=404,
            expected_error="package_not_found",
            severity_cap=Severity.INFO,
        )


SCENARIO_FUNCTIONS: dict[str, Callable[[ScenarioContext], None]] = {
    "upload": upload,
    "add-and-status": add_and_status,
    "list": list_packages,
    "errors": errors,
    "lifecycle": lifecycle,
}
