"""Behavioural checks: pure functions from one `Exchange` to `Finding`s, one module per check id.

`run_checks(exchange, options)` is the one entry point; `registry.py` says which check applies to which
endpoint. `http` judges every response; the body checks only the expected 2xx JSON body. Each value is
judged by one check (see `_plan.owner`), so a drift is reported once. Cross-page pagination spans
several exchanges and lives in `PaginationWalk` / `walk_pages`.
"""

from __future__ import annotations

from pytest_signcheck.checks._base import Check, CheckContext, CheckOptions
from pytest_signcheck.checks.pagination import PaginationWalk, check_pagination, check_walk, walk_pages
from pytest_signcheck.checks.registry import CHECKS, REGISTRY, checks_for, run_checks

__all__ = [
    "CHECKS",
    "REGISTRY",
    "Check",
    "CheckContext",
    "CheckOptions",
    "PaginationWalk",
    "check_pagination",
    "check_walk",
    "checks_for",
    "run_checks",
    "walk_pages",
]
