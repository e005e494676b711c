"""`timestamp`: every documented date-time is ISO 8601, in the form the docs show.

The positions are the strings the schemas annotate as timestamps, except link expiries, which
`signer-links` owns. A value that is not ISO 8601 (an impossible date included) is breaking; one that
is ISO 8601 in another form than the documented one is `info` (see `_time`). A value of another type
is a changed type, reported once by `schema`.
"""

from __future__ import annotations

from pytest_signcheck.checks._base import CheckContext
from pytest_signcheck.checks._time import TimestampJudge
from pytest_signcheck.contract.redact import render
from pytest_signcheck.findings import Finding, pattern_of

__all__ = ["CHECK", "check_timestamp"]

CHECK = "timestamp"


def check_timestamp(ctx: CheckContext) -> list[Finding]:
    aggregator, judge = ctx.aggregator(CHECK), TimestampJudge()
    for field, value, pointer in ctx.annotated.get(CHECK, ()):
        judged = judge(value)
        if judged is not None:
            severity, rule, problem = judged
            shown = render(value, field)
            message = f"The date-time {field!r} {shown} {problem}."
            group = (rule, pattern_of(pointer))
            aggregator.add(rule, severity, pointer, "ISO 8601 date-time", shown, message, group=group)
    return aggregator.findings()
