"""`type-enum`: a package `type` is exactly one of the documented constants.

The constants are case-sensitive and come from the schemas: `concurrent`, `Sequential`, `Counterpart`,
`video_closing_room`, `Live Session`. A case or separator variant of one, or the name the web UI shows
(`Group Send`, `In Person`), is a near miss and names the constant; anything else is unknown. Only
strings at the positions the schemas annotate are judged; another type is `schema`'s.
"""

from __future__ import annotations

from pytest_signcheck.checks._base import BREAKING, CheckContext, Judgement, fold
from pytest_signcheck.contract.redact import render
from pytest_signcheck.contract.schemas import load_schema
from pytest_signcheck.findings import Finding, pattern_of

__all__ = ["CHECK", "PACKAGE_TYPES", "check_type_enum", "judge_type"]

CHECK = "type-enum"
#: Documented package type constants (exact case; `Live Session` has a space).
PACKAGE_TYPES: tuple[str, ...] = tuple(load_schema("defs")["$defs"]["package-type"]["enum"])
_TYPE_SET = frozenset(PACKAGE_TYPES)
_UI_NAMES = {"groupsend": "Counterpart", "inperson": "Live Session", "videosigningroom": "video_closing_room"}
_FOLDED = {**_UI_NAMES, **{fold(constant): constant for constant in PACKAGE_TYPES}}


def check_type_enum(ctx: CheckContext) -> list[Finding]:
    aggregator = ctx.aggregator(CHECK)
    for field, value, pointer in ctx.annotated.get(CHECK, ()):
        judged = judge_type(value)
        if judged is not None:
            rule, severity, expected, message = judged
            group = (rule, value, pattern_of(pointer))
            aggregator.add(rule, severity, pointer, expected, render(value, field), message, group=group)
    return aggregator.findings()


def judge_type(value: str) -> Judgement | None:
    """None for a documented package type constant; else (rule, severity, expected, message)."""
    if value in _TYPE_SET:
        return None
    near = _FOLDED.get(fold(value))
    if near is None:
        message = f"The package type {value!r} is not one of the documented type constants."
        return "unknown", BREAKING, "one of " + ", ".join(PACKAGE_TYPES), message
    ui_name = fold(value) in _UI_NAMES
    message = (
        f"The package type {value!r} is {'a UI name' if ui_name else 'a case or separator variant'} "
        f"of the documented constant {near!r}; type constants are case-sensitive and must match exactly."
    )
    return "ui-name" if ui_name else "near-miss", BREAKING, render(near), message
