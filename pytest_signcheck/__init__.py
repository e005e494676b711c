"""pytest-signcheck."""

from __future__ import annotations
