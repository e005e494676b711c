"""pytest glue."""

from __future__ import annotations
