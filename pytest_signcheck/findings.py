"""Findings: what a check reports, as data.

A `Finding` is the unit that reports, baselines and CI gates rely on. Its `check` id is stable
(see `CHECK_IDS`); its text never carries secrets or signer personal data (see `redact`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

__all__ = [
    "CHECK_IDS",
    "FAIL_ON",
    "Finding",
    "Severity",
    "fold_pointer",
    "pattern_of",
    "repeated",
    "summarize",
    "without_repeats",
]

#: Stable check ids. More may be added; none may be renamed.
CHECK_IDS: tuple[str, ...] = (
    "schema",
    "undocumented-field",
    "state-enum",
    "type-enum",
    "timestamp",
    "pagination",
    "filters",
    "signer-links",
    "integrity",
    "http",
)


#: Which findings fail a run or an assertion: breaking ones (default), any finding at all, or none.
FAIL_ON: tuple[str, ...] = ("breaking", "any", "never")


class Severity(StrEnum):
    """How much a finding matters to an integration."""

    BREAKING = "breaking"
    ADDITIVE = "additive"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most serious: breaking, additive, info."""
        return _RANKS[self]


_RANKS = {severity: rank for rank, severity in enumerate(Severity)}


_INDEX = re.compile(r"/\d+(?=/|$)")
#: Pointer segments that are ids (a GUID, or a long run of id characters with a digit): a response
#: keyed by id (drift) must not give every package its own fingerprint.
_ID_SEGMENT = re.compile(r"/(?=[^/]*\d)[0-9A-Za-z_-]{16,}(?=/|$)|/[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}(?=/|$)")
#: What varies between runs inside an expectation's text: date-times, GUIDs, link tokens, numbers
#: with a fraction. Replaced before fingerprinting, so two runs against one API agree.
_VOLATILE = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?"
    r"|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|/link/[A-Za-z0-9_*-]+"
)


#: How a finding that stands for several occurrences inside one response ends its message: the checks'
#: aggregation writes it (see `repeated`), and a finding read back from a report is counted by it.
_REPEATS = re.compile(r" \(and (\d+) more at [^()]*\)\.?$")


def pattern_of(pointer: str) -> str:
    """``/documents/3/revisions/0/link`` -> ``/documents/*/revisions/*/link``."""
    return _INDEX.sub("/*", pointer)


def fold_pointer(pointer: str) -> str:
    """`pattern_of`, with id-like keys folded too: the pointer part of a fingerprint."""
    return _ID_SEGMENT.sub("/*", pattern_of(pointer))


@dataclass(frozen=True, slots=True)
class Finding:
    """One way a response differs from what the vendor documents.

    `pointer` is a JSON pointer into the response (or into the request, for request-side facts);
    `source` says where the response came from: ``cassettes/list.yaml#12`` or ``live``.
    `expected` and `actual` are short renderings, already redacted. `rule` names the broken rule
    within its check (``revision-document``, ``required``); with the check, the endpoint and the
    pointer pattern it makes the `fingerprint`. `occurrences` is how many places of one response this
    finding stands for (the checks collapse repeats of one problem into the first one, see `repeated`);
    left out, it is read from the message's "(and N more at ...)" ending, else 1.
    """

    check: str
    severity: Severity
    endpoint: str
    pointer: str
    expected: str
    actual: str
    message: str
    source: str = ""
    rule: str = ""
    occurrences: int = 0

    def __post_init__(self) -> None:
        if self.check not in CHECK_IDS:
            raise ValueError(f"unknown check id {self.check!r}; known ids: {', '.join(CHECK_IDS)}")
        if self.occurrences < 1:  # not given: what the message says ("... (and 3 more at /a/*/b).")
            match = _REPEATS.search(self.message)
            object.__setattr__(self, "occurrences", 1 + int(match.group(1)) if match else 1)

    @property
    def breaking(self) -> bool:
        return self.severity is Severity.BREAKING

    def fails(self, fail_on: str) -> bool:
        """Whether this finding fails a run under `fail_on` (one of `FAIL_ON`)."""
        return fail_on == "any" or (fail_on == "breaking" and self.breaking)

    @property
    def fingerprint(self) -> str:
        """The stable identity of this drift: check id, endpoint, the pointer with indices and ids
        folded, and the rule broken (or, without one, the expectation with its times, ids and tokens
        masked). Never the actual value or the source: two runs against one unchanged API agree."""
        expectation = self.rule or _VOLATILE.sub("*", self.expected)
        key = "\x1f".join((self.check, self.endpoint, fold_pointer(self.pointer), expectation))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def with_source(self, source: str) -> Finding:
        return replace(self, source=source)

    def to_dict(self) -> dict[str, str]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["fingerprint"] = self.fingerprint
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(
            check=str(data["check"]),
            severity=Severity(data["severity"]),
            endpoint=str(data["endpoint"]),
            pointer=str(data["pointer"]),
            expected=str(data["expected"]),
            actual=str(data["actual"]),
            message=str(data["message"]),
            source=str(data.get("source", "")),
            rule=str(data.get("rule", "")),
            occurrences=int(data.get("occurrences") or 0),
        )

    def __str__(self) -> str:
        where = f" [{self.source}]" if self.source else ""
        pointer = self.pointer or "/"
        return f"{self.severity.value} {self.check}: {self.endpoint} {pointer}: {self.message}{where}"


def repeated(finding: Finding, count: int) -> Finding:
    """`finding` standing for `count` occurrences in one response: its message ends with
    "(and N more at <pattern>)." and `occurrences` is `count`. The one place that wording is made."""
    if count <= 1:
        return finding
    more = f"(and {count - 1} more at {pattern_of(finding.pointer)})"
    return replace(finding, message=f"{finding.message.rstrip('.')} {more}.", occurrences=count)


def without_repeats(message: str) -> str:
    """A finding's message without its "(and N more at ...)" ending: the text of one occurrence."""
    return _REPEATS.sub(".", message) if _REPEATS.search(message) else message


def summarize(findings: Iterable[Finding]) -> dict[str, dict[str, int]]:
    """Counts by severity and by check id, with every known key present."""
    by_severity = {severity.value: 0 for severity in Severity}
    by_check = dict.fromkeys(CHECK_IDS, 0)
    for finding in findings:
        by_severity[finding.severity.value] += 1
        by_check[finding.check] = by_check.get(finding.check, 0) + 1
    return {"by_severity": by_severity, "by_check": by_check}
