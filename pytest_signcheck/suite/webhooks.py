"""Webhooks (§7): register an endpoint, cause events, wait for them, judge every payload.

Registering replaces the organisation's one endpoint, which its integration relies on, so the suite
registers only a loopback receiver against a loopback API (the reference sandbox), or the URL the
user opted in with (`--signcheck-webhook-url`). What it can cause: `package_add`, from an add, on
any API; on the reference sandbox, whose control surface makes signers sign and decline (the
vendor's API has no call for that), also `document_signed`, `document_executed`, `package_executed`
and `package_decline`. It waits for them on a deadline, never blindly: an event still missing when
the deadline passes is a finding; no delivery at all is could-not-check (a receiver the deliveries
cannot reach says nothing about the API). Each payload is judged by the checks; with the secret in
hand (live, not replay) a signature that is not the hex HMAC-SHA256 of the body is reported as `info`,
the algorithm being undocumented.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Sequence
from typing import Any

from pytest_signcheck.checks import check_webhook
from pytest_signcheck.checks._webhook import webhook_endpoint
from pytest_signcheck.contract.schemas import WEBHOOK_SCHEMAS
from pytest_signcheck.errors import CouldNotCheck
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import Finding, Severity
from pytest_signcheck.suite.common import add_package, signer_ids
from pytest_signcheck.suite.context import NAME_PREFIX, NotExercised, ScenarioContext
from pytest_signcheck.traffic.webhooks import SIGNATURE_HEADER, Delivery

__all__ = ["WEBHOOK_REQUESTS", "webhooks"]

Expected = list[tuple[str, str]]
NOT_EXERCISED = (
    "webhooks were not exercised: registering an endpoint replaces the organisation's own, so the "
    "suite does it only against a loopback API or with --signcheck-webhook-url"
)


def webhooks(ctx: ScenarioContext) -> None:
    """Register the inbox's URL, cause the events this target allows, judge what arrives."""
    inbox = ctx.open_inbox()
    if inbox is None:
        raise NotExercised(NOT_EXERCISED)
    body = {"name": f"{NAME_PREFIX}-{ctx.run_id}", "url": inbox.url}
    registered = ctx.call("POST", "/events/endpoints/set", body)
    if registered.status_code != 200:
        return  # the checks judged the refusal; nothing will be delivered
    expected = _cause(ctx)
    inbox.wait(lambda arrived: not _missing(expected, arrived), ctx.webhook_timeout)
    deliveries = inbox.deliveries()
    ctx.evidence["webhooks"] = {"expected": len(expected), "delivered": len(deliveries)}
    if expected and not deliveries:
        raise CouldNotCheck(
            f"no webhook delivery reached the suite's receiver within {ctx.webhook_timeout:g} s "
            f"({len(expected)} event(s) expected). With --signcheck-webhook-url, check that it forwards "
            "to 127.0.0.1:--signcheck-webhook-port; a longer --signcheck-webhook-timeout may help"
        )
    for action, package_id in _missing(expected, deliveries):
        _missed(ctx, registered, action, package_id)
    secret = _secret(registered.body) if inbox.live else None
    for delivery in deliveries:
        _judge(ctx, delivery, secret)


def _cause(ctx: ScenarioContext) -> Expected:
    """Add packages (and, on the reference sandbox, sign and decline): the events that must follow."""
    first = add_package(ctx, "Sequential", "open", False, "webhooks", documents=1)
    if first is None:
        return []
    expected = [("package_add", first.package_id)]
    signers = signer_ids(first.package)[:2]
    if not ctx.loopback or len(signers) < 2:
        return expected  # the vendor's API has no call that signs or declines
    for signer in signers:
        ctx.control("sign", first.package_id, signer)
    expected += [("document_signed", first.package_id)] * 2
    expected += [("document_executed", first.package_id), ("package_executed", first.package_id)]
    declined = add_package(ctx, "concurrent", "open", False, "webhooks decline", documents=1)
    if declined is not None:
        ctx.control("decline", declined.package_id, signer_ids(declined.package)[0])
        expected += [("package_add", declined.package_id), ("package_decline", declined.package_id)]
    return expected


def _missing(expected: Expected, arrived: Sequence[Delivery]) -> Expected:
    """The expected (action, package) events not delivered. A delivery for the package with an action
    the docs do not list stands in for any one of them: the checks already judge its action."""
    have = Counter((d.action, d.package_id) for d in arrived if d.action in WEBHOOK_SCHEMAS)
    spare = Counter(d.package_id for d in arrived if d.action not in WEBHOOK_SCHEMAS)
    missing = []
    for action, package_id in expected:
        if have[action, package_id]:
            have[action, package_id] -= 1
        elif spare[package_id]:
            spare[package_id] -= 1
        else:
            missing.append((action, package_id))
    return missing


def _missed(ctx: ScenarioContext, registered: Exchange, action: str, package_id: str) -> None:
    del package_id  # an id is never part of a finding's expectation
    ctx.finding(
        "integrity",
        registered,
        "",
        f"a {action} event",
        "none",
        f"no {action} event arrived within {ctx.webhook_timeout:g} s of what causes it, although an "
        "endpoint was registered",
    )


def _secret(body: Any) -> str | None:
    """The secret of the registration answer (its field name is inferred: `secret`)."""
    value = body.get("secret") if isinstance(body, dict) else None
    return value if isinstance(value, str) and value else None


def _judge(ctx: ScenarioContext, delivery: Delivery, secret: str | None) -> None:
    """The checks' findings for one payload; and, with the secret, the signature (info)."""
    headers, version = delivery.headers, ctx.api_version
    ctx.findings.extend(
        check_webhook(delivery.body, headers=headers, api_version=version, source=delivery.source)
    )
    signature = (delivery.headers or {}).get(SIGNATURE_HEADER)
    if secret is None or not signature:
        return
    digest = hmac.new(secret.encode("utf-8"), delivery.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(digest, signature.strip().lower()):
        ctx.findings.append(
            Finding(
                "http",
                Severity.INFO,
                webhook_endpoint(delivery.action),
                "",
                "the hex HMAC-SHA256 of the body, keyed with the endpoint's secret",
                "another value",
                f"the {SIGNATURE_HEADER} header is not the hex HMAC-SHA256 of the body keyed with the "
                "secret (the algorithm is not documented: a guess)",
                delivery.source,
                "signature-algorithm",
            )
        )


#: The most requests the scenario makes: the registration, 2 packages (upload, add), 2 deletes.
WEBHOOK_REQUESTS = 1 + 2 * 2 + 2
