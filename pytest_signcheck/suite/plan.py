"""What a scenario is to the runner: the function it runs, its request cap, and what its recording must
hold. Every scenario of the suite is its function and its documented cap; the exploration also depends
on the run's N and seed, which its recording keeps and a replay compares, and no cassette of it ships."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_signcheck.suite.context import ScenarioContext

__all__ = ["Plan", "ScenarioFunction"]

ScenarioFunction = Callable[[ScenarioContext], None]


def _matches(info: Mapping[str, Any], record: str) -> str | None:
    return None


@dataclass(frozen=True)
class Plan:
    """`run` with at most `cap` requests. `recorded`: keys a recording adds to its
    ``metadata.signcheck``; `mismatch(info, record)`: why a recording (its ``metadata.signcheck``) cannot
    answer this run, or None; `missing(path, record)`: what to say when there is no cassette at all
    (None: the usual could-not-check of a missing cassette). `record` is the command that records."""

    run: ScenarioFunction
    cap: int | None
    recorded: Mapping[str, Any] = field(default_factory=dict)
    mismatch: Callable[[Mapping[str, Any], str], str | None] = _matches
    missing: Callable[[Path, str], str] | None = None
