"""What a run exercised, for a baseline: which responses of which endpoint its completed scenarios checked.

A baseline entry can only match a finding that the responses it is about could show. The body checks
judge only a documented 2xx body, and `http` alone judges an error answer (its status, its error body);
so an entry about a success body is exercised only by a 2xx response of its endpoint, and an entry of
check `http` only by an error (non-2xx) response of it, unless its note says the status it expected was
a 2xx (then a 2xx response, which is what the fixed API would serve). An entry whose check cannot be
told (a bare fingerprint) is exercised only when both kinds of response of its endpoint were checked.

Each scenario's evidence lists the endpoints (and webhook events) it judged under `checked`, and splits
the endpoints by answer under `checked_2xx` and `checked_error`; evidence without the split (an older
report) counts its `checked` endpoints as both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pytest_signcheck.exchange import ERROR, SUCCESS, Answer, answer_class

__all__ = ["ERROR", "SUCCESS", "Answer", "Scope", "answer_class", "answer_of", "exercised_scope"]

#: The `http` check's status message, as a baseline entry's `finding` note quotes it.
_EXPECTED_STATUS = re.compile(r"Expected HTTP (\d{3})\b")


def answer_of(check: str | None, note: str) -> Answer | None:
    """Which kind of response can show a finding of `check` (None when the check is unknown): a body
    check's, a 2xx; `http`'s, an error, unless `note` says the status expected was a 2xx."""
    if check is None:
        return None
    if check != "http":
        return SUCCESS
    expected = _EXPECTED_STATUS.search(note)
    return answer_class(int(expected.group(1))) if expected else ERROR


@dataclass(frozen=True, slots=True)
class Scope:
    """The endpoints (and webhook labels) a run checked, and the endpoints it saw 2xx and error answers of."""

    checked: frozenset[str]
    success: frozenset[str]
    error: frozenset[str]

    def covers(self, about: str, answer: Answer | None) -> bool:
        """Whether the run checked the responses of `about` that can show drift of kind `answer`."""
        if about not in self.success | self.error:  # a webhook event (judged or not), or nothing of it
            return about in self.checked
        if answer is None:
            return about in self.success and about in self.error
        return about in (self.success if answer == SUCCESS else self.error)


def exercised_scope(evidence: Iterable[Mapping[str, Any]], problems: Iterable[Mapping[str, Any]]) -> Scope:
    """What the scenarios that ran to the end checked; a scenario that could not check counts for none."""
    failed = {str(problem.get("scenario")) for problem in problems}
    done = [item for item in evidence if str(item.get("scenario")) not in failed]
    checked = {str(label) for item in done for label in item.get("checked") or ()}

    def split(key: str) -> frozenset[str]:
        return frozenset(str(label) for item in done for label in item.get(key, item.get("checked")) or ())

    return Scope(frozenset(checked), split("checked_2xx"), split("checked_error"))
