"""Behavioural checks: pure functions from one `Exchange` to `Finding`s, one module per check id.

`run_checks(exchange, options)` is the one entry point (`check_webhook` builds a webhook event's
exchange and calls it); `registry.py` says which check applies to which endpoint. `http` judges every
response; the body checks only the expected 2xx JSON body. Each value is judged by one check (see
`_plan.owner`), so a drift is reported once. Cross-page pagination spans several exchanges and lives in
`PaginationWalk` / `walk_pages`; so does the comparison of two update responses, `renewed_links`.
"""

from __future__ import annotations

from pytest_signcheck.checks._base import Check, CheckContext, CheckOptions
from pytest_signcheck.checks._plan import WEBHOOK_ENDPOINTS
from pytest_signcheck.checks._webhook import webhook_endpoint
from pytest_signcheck.checks.pagination import PaginationWalk, check_pagination, check_walk, walk_pages
from pytest_signcheck.checks.registry import CHECKS, REGISTRY, check_webhook, checks_for, run_checks
from pytest_signcheck.checks.signer_links import renewed_links

__all__ = [
    "CHECKS",
    "REGISTRY",
    "WEBHOOK_ENDPOINTS",
    "Check",
    "CheckContext",
    "CheckOptions",
    "PaginationWalk",
    "check_pagination",
    "check_walk",
    "check_webhook",
    "checks_for",
    "renewed_links",
    "run_checks",
    "walk_pages",
    "webhook_endpoint",
]
