"""pytest-signcheck: does the iinked Sign (Syngrafii) API still behave as its docs say?

The public API: check a response you already have, and fail a test on drift.

    from pytest_signcheck import assert_conforms, check_status

    assert_conforms(check_status(body, generate_signer_links=True))

Names are imported on first use, so loading the plugin into a pytest run that does not use
signcheck does not pay for the schema and validator imports.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_signcheck.api import (
        assert_conforms,
        check_list_page,
        check_pagination,
        check_response,
        check_status,
        check_webhook,
    )
    from pytest_signcheck.checks import CheckOptions, PaginationWalk, run_checks, walk_pages
    from pytest_signcheck.findings import CHECK_IDS, Finding, Severity

__all__ = [
    "CHECK_IDS",
    "CheckOptions",
    "Finding",
    "PaginationWalk",
    "Severity",
    "assert_conforms",
    "check_list_page",
    "check_pagination",
    "check_response",
    "check_status",
    "check_webhook",
    "run_checks",
    "walk_pages",
]

_HOMES = {
    **dict.fromkeys(("CHECK_IDS", "Finding", "Severity"), "pytest_signcheck.findings"),
    **dict.fromkeys(
        ("CheckOptions", "PaginationWalk", "run_checks", "walk_pages"), "pytest_signcheck.checks"
    ),
    **dict.fromkeys(
        (
            "assert_conforms",
            "check_list_page",
            "check_pagination",
            "check_response",
            "check_status",
            "check_webhook",
        ),
        "pytest_signcheck.api",
    ),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'pytest_signcheck' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
