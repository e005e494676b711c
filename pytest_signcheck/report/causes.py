"""Causes: the finding groups a person reads as one drift, for the summary at the top of a report.

Two groups are one cause when

1. they break the same rule of the same check at the same severity, wherever they are: the same `rule`,
   or (for findings without one) the same expectation once quoted values and numbers are masked. The
   same wrong date format in twelve fields is one cause, not twelve;
2. two checks judged the same value at the same place (a type constant that `type-enum` calls a near
   miss and `integrity` calls a changed type);
3. two checks hold the same expectation against values of the same shape (a US date where an ISO 8601
   date-time is documented, whether `timestamp` found it in a package or `signer-links` in a link).

A cause names every check and place it holds; its groups, and every finding, stay in the report. Only
groups with drift a baseline did not accept make causes. A cause says what was expected and what was
served; where the findings of one group expected different things (each explored request asked for its
own states, each day its own `days` window), the expectation reads as its shape with the values masked,
``one of … (varies by request: 7 different)``, not as the first request's. What was served: values as
the checks rendered them (already redacted), date-like ones as their format (``MM/DD/YYYY HH:MM:SS``),
told apart from ``DD/MM`` by the values themselves (a day above 12); when
no value has a day above 12 the values cannot tell, and the format reads ``MM/DD/YYYY (or DD/MM)``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any

from pytest_signcheck.contract.redact import redact_text
from pytest_signcheck.findings import Severity
from pytest_signcheck.report.groups import Group

__all__ = ["describe", "find_causes", "served"]

#: Quoted values and numbers in an expectation: ``one of "draft"`` and ``one of "add"`` are one rule.
_LITERAL = re.compile(r'"[^"]*"|\d+(?:\.\d+)?')
_DIGIT = re.compile(r"\d")
_DATE = re.compile(
    r"(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})"  # the date, in any order of its parts
    r"(?:([ T])(\d{1,2}):(\d{2})(?::(\d{2}))?(\.\d+)?)?"  # a time
    r"(.*)"  # whatever follows (a zone, AM/PM)
)
_SHOWN = 3  # served values (or formats) named per expectation


def _rule_keys(group: Group) -> Iterator[Hashable]:
    first = group.first
    yield "rule", group.severity, first.check, first.rule or _LITERAL.sub("…", first.expected)


def _place_keys(group: Group) -> Iterator[Hashable]:
    first = group.first
    yield from (("place", first.endpoint, group.pointer, value) for value in group.values())


def _fault_keys(group: Group) -> Iterator[Hashable]:
    expected = group.first.expected
    yield from {("fault", expected, _DIGIT.sub("9", value)) for value in group.values()}


def _components(
    groups: list[Group], links: Iterable[Callable[[Group], Iterator[Hashable]]]
) -> list[list[Group]]:
    """The groups, partitioned: two groups that share a key of any `links` end up together."""
    parent = list(range(len(groups)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = index = parent[parent[index]]
        return index

    for keys in links:
        first: dict[Hashable, int] = {}
        for index, group in enumerate(groups):
            for key in keys(group):
                parent[root(index)] = root(first.setdefault(key, index))
    members: dict[int, list[Group]] = {}
    for index, group in enumerate(groups):
        members.setdefault(root(index), []).append(group)
    return list(members.values())


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def _date_format(matches: list[re.Match[str]]) -> str:
    """``MM/DD/YYYY HH:MM:SS`` for dates of one layout; which part is the day, the values tell (when
    they cannot, US order, marked ``(or DD/MM)``)."""
    first = matches[0]
    high = [any(int(m.group(n)) > 12 for m in matches) for n in (1, 3)]
    names = ("Y", "M", "D") if len(first.group(1)) == 4 else ("D", "M", "Y") if high[0] else ("M", "D", "Y")
    untold = len(first.group(1)) != 4 and not any(high)
    date = first.group(2).join(name * len(first.group(n)) for name, n in zip(names, (1, 3, 4), strict=True))
    rest = _DIGIT.sub("9", first.group(10)) + (f" (or DD{first.group(2)}MM)" if untold else "")
    if first.group(5) is None:
        return date + rest
    time = "HH:MM" + (":SS" if first.group(8) else "") + ("." + "f" * (len(first.group(9) or ".") - 1))
    return date + first.group(5) + time.rstrip(".") + rest


def served(values: Iterable[str]) -> list[str]:
    """What was served, for people: date-like values as their format, others as they are; most seen first."""
    dates: dict[str, list[tuple[re.Match[str], int]]] = {}
    shown: Counter[str] = Counter()
    for value, count in Counter(values).items():
        match = _DATE.fullmatch(_unquote(value))
        if match is None:
            shown[redact_text(value)] += count
        else:
            dates.setdefault(_DIGIT.sub("9", value), []).append((match, count))
    for layout in dates.values():
        shown[_date_format([match for match, _ in layout])] += sum(count for _, count in layout)
    return [value for value, _ in shown.most_common()]


def _expectation(group: Group) -> str:
    """What a group's findings expected: their one expectation, or, when it differs between them (each
    request asked for its own states), its shape with the values masked, never one finding's as all's."""
    expected = dict.fromkeys(redact_text(finding.expected) for finding in group.findings)
    if len(expected) == 1:
        return next(iter(expected))
    return f"{_LITERAL.sub('…', next(iter(expected)))} (varies by request: {len(expected)} different)"


def _expectations(groups: list[Group]) -> list[dict[str, Any]]:
    values: dict[str, list[str]] = {}
    for group in groups:
        values.setdefault(_expectation(group), []).extend(f.actual for f in group.findings)
    return [{"expected": expected, "served": served(found)} for expected, found in values.items()]


def _cause(groups: list[Group]) -> dict[str, Any]:
    groups = sorted(groups, key=lambda g: (g.severity.rank, -g.count))
    unique = dict.fromkeys((g.first.endpoint, g.pointer) for g in groups)
    places = [{"endpoint": endpoint, "pointer": pointer} for endpoint, pointer in unique]
    cause = {
        "severity": groups[0].severity.value,
        "checks": list(dict.fromkeys(g.first.check for g in groups)),
        "fingerprints": [g.first.fingerprint for g in groups],
        "count": sum(g.count for g in groups),
        "occurrences": sum(g.occurrences for g in groups),
        "failing": sum(g.failing for g in groups),
        "expected": _expectations(groups),
        "places": places,
    }
    return {**cause, "summary": describe(cause)}


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def describe(cause: dict[str, Any], code: Callable[[str], str] = str) -> str:
    """One sentence: severity, checks, what was expected and served, where, how often.

    `code` formats a served value (Markdown passes backticks)."""
    pairs = [
        f"expected {item['expected']}, served "
        + ", ".join(map(code, item["served"][:_SHOWN]))
        + (f" and {len(item['served']) - _SHOWN} more" if len(item["served"]) > _SHOWN else "")
        for item in cause["expected"][:2]
    ]
    if len(cause["expected"]) > 2:
        pairs.append(f"and {_plural(len(cause['expected']) - 2, 'other expectation')}")
    places = cause["places"]
    noun = "field" if all(place["pointer"] for place in places) else "place"
    endpoints = len({place["endpoint"] for place in places})
    checks = ", ".join(map(code, cause["checks"]))
    where = f"{_plural(len(places), noun)} on {_plural(endpoints, 'endpoint')}"
    return (
        f"{cause['severity']} {checks}: {'; '.join(pairs)}, in {where} ({_plural(cause['count'], 'finding')})"
    )


def find_causes(groups: list[Group]) -> list[dict[str, Any]]:
    """The causes of the drift not accepted by a baseline: failing ones first, then by severity, then
    the most findings."""
    live = [group for group in groups if group.live]
    causes = [_cause(members) for members in _components(live, (_rule_keys, _place_keys, _fault_keys))]
    return sorted(causes, key=lambda c: (not c["failing"], Severity(c["severity"]).rank, -c["count"]))
