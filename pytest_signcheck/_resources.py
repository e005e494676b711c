"""Where the shipped data lives: inside the wheel (`_data/`), or the repository root in a checkout."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["data_dir"]


def data_dir(name: str) -> Traversable:
    """`schemas` or `cassettes`: the wheel's copy if installed, else the checkout's top-level folder."""
    packaged = files("pytest_signcheck") / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name
