"""Request accounting: how many responses a run saw, how many looked like the API at all, and what the
requests cost.

A wrong `--signcheck-base-url` (a web server answering HTML for every path, or another API answering
404 everywhere) is not vendor drift: checked against the documentation, every one of its responses
"drifts". The report compares the two counts over the whole run: when no response looked like the
API, it did not check the API, whatever the findings say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pytest_signcheck.errors import CouldNotCheck
from pytest_signcheck.exchange import ERROR, NOT_JSON, SUCCESS, Answer, Exchange, answer_class

__all__ = ["Answered", "Cost", "Tally", "looks_like_api"]


def looks_like_api(exchange: Exchange) -> bool:
    """A JSON response that is not a 404 in some other shape than the documented error body.

    A whole-response property, not a rule: the `http` check still judges every response.
    """
    if exchange.body is NOT_JSON:
        return False
    if exchange.status_code != 404:
        return True
    from pytest_signcheck.contract import schemas  # only for 404s: keeps the schemas out of startup

    return schemas.is_valid(schemas.ERROR_SCHEMA, exchange.body)


@dataclass
class Answered:
    """The endpoints whose responses were checked, by the kind of answer (`answer_class`): what a run
    exercised, for a baseline (`report.scope`). Evidence keys: `checked`, `checked_2xx`, `checked_error`."""

    by_answer: dict[Answer, set[str]] = field(default_factory=lambda: {SUCCESS: set(), ERROR: set()})

    def add(self, exchange: Exchange) -> None:
        self.by_answer[answer_class(exchange.status_code)].add(str(exchange.endpoint))

    @property
    def endpoints(self) -> set[str]:
        return self.by_answer[SUCCESS] | self.by_answer[ERROR]

    def evidence(self, *others: str) -> dict[str, list[str]]:
        """The evidence keys; `others` (webhook labels, findings' endpoints) join `checked` alone."""
        return {
            "checked": sorted(self.endpoints.union(others)),
            "checked_2xx": sorted(self.by_answer[SUCCESS]),
            "checked_error": sorted(self.by_answer[ERROR]),
        }


@dataclass
class Tally:
    """Responses seen and responses that looked like the API: plain counts for a scenario's evidence;
    and the endpoints they came from."""

    responses: int = 0
    api_like: int = 0
    answered: Answered = field(default_factory=Answered)

    def add(self, exchange: Exchange) -> None:
        self.responses += 1
        self.api_like += looks_like_api(exchange)
        self.answered.add(exchange)

    @property
    def nothing_like_the_api(self) -> bool:
        """Responses came, and not one looked like the API: a wrong address, not the API drifting."""
        return self.responses > 0 and not self.api_like

    def to_dict(self) -> dict[str, Any]:
        return {"responses": self.responses, "api_like": self.api_like}


@dataclass
class Cost:
    """What a client's requests cost: how many went out and how long the client waited on the API.

    `calls` counts the requests the suite asked for, and `cap` bounds them: a scenario that would go
    past its documented cap stops with `CouldNotCheck` instead of spending a rate limit. `requests`
    also counts each retry after a 429, 502, 503 or 504; `waited` is the seconds spent in round trips
    and in the `Retry-After` pauses between them (in replay, reading the cassette: next to nothing).
    """

    cap: int | None = None
    calls: int = 0
    requests: int = 0
    waited: float = 0.0

    def call(self, what: str, *, refusable: bool = True) -> None:
        """Count one request the suite asks for; refuse it if it would go past the cap (cleanup is never
        refused: a package must not be left behind)."""
        if refusable and self.cap is not None and self.calls >= self.cap:
            raise CouldNotCheck(
                f"{what}: this scenario reached its cap of {self.cap} requests, so it stopped rather than "
                "spend more of the API's rate limit. The cap holds whatever the organisation's size "
                "(README, Live runs and what they cost): reaching it is a bug in pytest-signcheck, "
                "please report it"
            )
        self.calls += 1

    def to_dict(self) -> dict[str, Any]:
        return {"requests": self.requests, "waited_s": round(self.waited, 3), "request_cap": self.cap}
