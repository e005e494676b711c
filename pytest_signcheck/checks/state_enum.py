"""`state-enum`: a package `state` is a documented value of the configured API release, exactly.

The check judges every string the schemas annotate as a state (a value of another type is a changed
type, reported once by `schema`); the state sets per release come from the schemas. A state of another
release (`executed` in 3.6) and a spelling variant of a documented state (`Open`, an empty state) are
breaking; an unknown state is additive, since the docs say new states may be added.
"""

from __future__ import annotations

from pytest_signcheck.checks._base import ADDITIVE, BREAKING, CheckContext, Judgement, fold
from pytest_signcheck.contract.endpoints import API_VERSIONS
from pytest_signcheck.contract.redact import render
from pytest_signcheck.contract.schemas import load_schema
from pytest_signcheck.findings import Finding, pattern_of

__all__ = ["CHECK", "STATES", "check_state_enum", "judge_state"]

CHECK = "state-enum"
#: Documented package states per API release (exact, lower case).
STATES: dict[str, tuple[str, ...]] = {
    version: tuple(load_schema("package-states")["$defs"][version]["enum"]) for version in API_VERSIONS
}
_STATE_SETS = {version: frozenset(states) for version, states in STATES.items()}
_EVERY_STATE = frozenset().union(*_STATE_SETS.values())
_FOLDED = {fold(state): state for state in _EVERY_STATE}


def check_state_enum(ctx: CheckContext) -> list[Finding]:
    aggregator = ctx.aggregator(CHECK)
    for field, value, pointer in ctx.annotated.get(CHECK, ()):
        judged = judge_state(value, ctx.options.api_version)
        if judged is not None:
            rule, severity, expected, message = judged
            group = (rule, value, pattern_of(pointer))
            aggregator.add(rule, severity, pointer, expected, render(value, field), message, group=group)
    return aggregator.findings()


def judge_state(value: str, api_version: str) -> Judgement | None:
    """None for a documented state of `api_version`; else (rule, severity, expected, message)."""
    if value in _STATE_SETS[api_version]:
        return None
    expected = "one of " + ", ".join(STATES[api_version])
    if value in _EVERY_STATE:
        message = (
            f"The state {value!r} only exists from release 4.0; a {api_version} API reports executed "
            "and expired packages as 'open'."
        )
        return "other-release", BREAKING, expected, message
    near = _FOLDED.get(fold(value))
    if near is not None:
        message = f"The state {value!r} is the documented state {near!r} spelt differently; "
        return "near-miss", BREAKING, expected, message + "states are exact lower-case constants."
    if not value.strip():
        message = f"The state {value!r} is an empty state; states are exact lower-case constants."
        return "empty", BREAKING, expected, message
    message = (
        f"The state {value!r} is not documented for release {api_version}; the docs say new states "
        "may be added, so make sure your integration handles it."
    )
    return "new-value", ADDITIVE, expected, message
