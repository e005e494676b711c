"""`state-enum`, `type-enum` and `timestamp`: the string values the schemas annotate, judged exactly.

These checks own every *string* at an annotated position; a value of another type (null, a number)
is a changed type and is reported once, by `schema`. State and type sets come from the schemas. A body
that passes the strict validator (`_strict`) has only documented values there, so it is not walked.
"""

from __future__ import annotations

from typing import Any

from pytest_signcheck.checks._base import ADDITIVE, BREAKING, Aggregator, CheckContext, escape, pattern_of
from pytest_signcheck.checks._plan import Node, plan
from pytest_signcheck.checks._strict import strictly_valid
from pytest_signcheck.checks._time import TimestampJudge
from pytest_signcheck.contract.endpoints import API_VERSIONS
from pytest_signcheck.contract.redact import render
from pytest_signcheck.contract.schemas import load_schema
from pytest_signcheck.findings import Finding, Severity

__all__ = ["PACKAGE_TYPES", "STATES", "check_enums", "judge_state", "judge_type"]

#: Documented package states per API release (exact, lower case).
STATES: dict[str, tuple[str, ...]] = {
    version: tuple(load_schema("package-states")["$defs"][version]["enum"]) for version in API_VERSIONS
}
#: Documented package type constants (exact case; `Live Session` has a space).
PACKAGE_TYPES: tuple[str, ...] = tuple(load_schema("defs")["$defs"]["package-type"]["enum"])

_STATE_SETS = {version: frozenset(states) for version, states in STATES.items()}
_EVERY_STATE = frozenset().union(*_STATE_SETS.values())
_TYPE_SET = frozenset(PACKAGE_TYPES)
_UI_NAMES = {"groupsend": "Counterpart", "inperson": "Live Session", "videosigningroom": "video_closing_room"}


def _fold(value: str) -> str:
    return value.lower().replace(" ", "").replace("_", "").replace("-", "")


_FOLDED_TYPES = {**_UI_NAMES, **{_fold(constant): constant for constant in PACKAGE_TYPES}}
_FOLDED_STATES = {_fold(state): state for state in _EVERY_STATE}
Judgement = tuple[Severity, str, str]  # severity, expected, message


def judge_state(value: str, api_version: str) -> Judgement | None:
    """None for a documented state of `api_version`; else (severity, expected, message)."""
    documented = _STATE_SETS[api_version]
    if value in documented:
        return None
    expected = "one of " + ", ".join(STATES[api_version])
    if value in _EVERY_STATE:
        return (
            BREAKING,
            expected,
            (
                f"The state {value!r} only exists from release 4.0; a {api_version} API reports executed "
                "and expired packages as 'open'."
            ),
        )
    near = _FOLDED_STATES.get(_fold(value))
    if near is not None or not value.strip():
        shown = f"the documented state {near!r} spelt differently" if near else "an empty state"
        return BREAKING, expected, f"The state {value!r} is {shown}; states are exact lower-case constants."
    return (
        ADDITIVE,
        expected,
        (
            f"The state {value!r} is not documented for release {api_version}; the docs say new states "
            "may be added, so make sure your integration handles it."
        ),
    )


def judge_type(value: str) -> Judgement | None:
    """None for a documented package type constant; else (severity, expected, message)."""
    if value in _TYPE_SET:
        return None
    expected = "one of " + ", ".join(PACKAGE_TYPES)
    near = _FOLDED_TYPES.get(_fold(value))
    if near is not None:
        how = "a UI name" if _fold(value) in _UI_NAMES else "a case or separator variant"
        return (
            BREAKING,
            render(near),
            (
                f"The package type {value!r} is {how} of the documented constant {near!r}; "
                "type constants are case-sensitive and must match exactly."
            ),
        )
    return BREAKING, expected, f"The package type {value!r} is not one of the documented type constants."


def check_enums(ctx: CheckContext) -> list[Finding]:
    """Judge every annotated string: package `state`, package `type`, documented date-times."""
    root = plan(ctx.exchange.endpoint)
    if root is None or not root.walk_annotated or strictly_valid(ctx):  # strict: all documented
        return []
    walker = _Walker(ctx.options.api_version, ctx.aggregator())
    walker.walk(root, ctx.body, "")
    return walker.aggregator.findings()


class _Walker:
    __slots__ = ("aggregator", "timestamps", "version")

    def __init__(self, version: str, aggregator: Aggregator) -> None:
        self.version = version
        self.aggregator = aggregator
        self.timestamps = TimestampJudge()

    def walk(self, node: Node, value: Any, pointer: str) -> None:
        if isinstance(value, dict):
            for field, check in node.annotated.items():
                item = value.get(field)
                if isinstance(item, str):
                    self.judge(check, field, item, f"{pointer}/{escape(field)}")
            for key, child in node.children.items():
                if child.walk_annotated and key in value:
                    self.walk(child, value[key], f"{pointer}/{escape(key)}")
        elif isinstance(value, list):
            items = node.children.get("*")
            if items is not None and items.walk_annotated:
                for index, item in enumerate(value):
                    self.walk(items, item, f"{pointer}/{index}")

    def judge(self, check: str, field: str, value: str, pointer: str) -> None:
        if check == "timestamp":
            stamp = self.timestamps(value)
            if stamp is not None:
                severity, problem = stamp
                message = f"The date-time {field!r} {render(value, field)} {problem}."
                self.aggregator.add(
                    (check, severity, pattern_of(pointer)),
                    check,
                    severity,
                    pointer,
                    "ISO 8601 date-time",
                    render(value, field),
                    message,
                )
            return
        judged = judge_state(value, self.version) if check == "state-enum" else judge_type(value)
        if judged is not None:
            severity, expected, message = judged
            key = (check, value, pattern_of(pointer))
            self.aggregator.add(key, check, severity, pointer, expected, render(value, field), message)
