"""`undocumented-field`: properties the docs do not name, on every documented object.

Additive by default: the vendor adds fields over time. Only the name and JSON type of an
undocumented field are shown, never its value (it may hold anything). Free-form objects
(`externalData`, `options.embed`) declare no properties and are not walked. A new field that took the
place of a missing documented one is a rename, `schema`'s one finding (`_plan.renames`), not this
check's. (A body that passes the strict validator has no undocumented field: the registry does not
run this check on it.)
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any

from pytest_signcheck.checks._base import ADDITIVE, Aggregator, CheckContext, json_type
from pytest_signcheck.checks._plan import Node, escape, plan
from pytest_signcheck.findings import Finding, pattern_of

__all__ = ["CHECK", "check_undocumented_field"]

CHECK = "undocumented-field"


def check_undocumented_field(ctx: CheckContext) -> list[Finding]:
    root = plan(ctx.exchange.endpoint)
    if root is None:
        return []
    aggregator = _Report(ctx.aggregator(CHECK), ctx)
    _walk(root, ctx.body, "", aggregator)
    return aggregator.findings()


class _Report:
    """The aggregator, and what `schema` already reports: the renamed fields (read only if needed)."""

    __slots__ = ("_ctx", "aggregator")

    def __init__(self, aggregator: Aggregator, ctx: CheckContext) -> None:
        self.aggregator, self._ctx = aggregator, ctx

    def renamed(self, pointer: str) -> frozenset[str]:
        """The fields of the object at `pointer` that took the place of a documented one."""
        return frozenset(self._ctx.renames.get(pointer, {}).values())

    def findings(self) -> list[Finding]:
        return self.aggregator.findings()


def _walk(node: Node, value: Any, pointer: str, aggregator: _Report) -> None:
    if isinstance(value, dict):
        names = node.names
        if names is not None and not names.issuperset(value):
            _report(names, value, pointer, aggregator)
        for key, child in node.children.items():
            if key in value:
                _walk(child, value[key], f"{pointer}/{escape(key)}", aggregator)
    elif isinstance(value, list):
        items = node.children.get("*")
        if items is None:
            return
        names = items.names
        if names is not None and not items.children:  # leaf objects (revisions, links): no recursion
            for index, item in enumerate(value):
                if item.__class__ is dict and not names.issuperset(item):
                    _report(names, item, f"{pointer}/{index}", aggregator)
            return
        for index, item in enumerate(value):
            _walk(items, item, f"{pointer}/{index}", aggregator)


def _report(names: frozenset[str], value: dict[str, Any], pointer: str, report: _Report) -> None:
    absent = sorted(names.difference(value))
    renamed, aggregator = report.renamed(pointer), report.aggregator
    for key in value:
        if key in names or key in renamed:
            continue
        where = f"{pointer}/{escape(key)}"
        shown = key if len(key) <= 60 else key[:57] + "..."
        close = get_close_matches(key, absent, n=1, cutoff=0.8)
        hint = f" (the documented {close[0]!r} is absent, so it may be a renamed field)" if close else ""
        message = f"The response has a field {shown!r} that the docs do not name{hint}."
        actual = f"present ({json_type(value[key])})"
        group = ("undocumented", pattern_of(where))
        aggregator.add(
            "undocumented", ADDITIVE, where, "absent (not documented)", actual, message, group=group
        )
