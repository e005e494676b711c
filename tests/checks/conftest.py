"""Fixtures for the check tests; the data they build on is in `checkdata`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from checkdata import build_status, load


@pytest.fixture
def status_example() -> dict[str, Any]:
    """The vendor's own example response of packages/{id}/status, verbatim (a fresh copy)."""
    example: dict[str, Any] = load("status_example.json")
    return example


@pytest.fixture
def list_data() -> dict[str, Any]:
    """A documented list exchange: the docs' example request and an executed-packages page."""
    data: dict[str, Any] = load("list_page.json")
    return data


@pytest.fixture
def make_status() -> Callable[..., dict[str, Any]]:
    return build_status
