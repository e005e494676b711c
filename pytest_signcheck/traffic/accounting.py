"""Request accounting: how many responses a run saw, and how many of them looked like the API at all.

A wrong `--signcheck-base-url` (a web server answering HTML for every path, or another API answering
404 everywhere) is not vendor drift: checked against the documentation, every one of its responses
"drifts". The report compares the two counts over the whole run: when no response looked like the
API, it did not check the API, whatever the findings say.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pytest_signcheck.exchange import NOT_JSON, Exchange

__all__ = ["Tally", "looks_like_api"]


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
class Tally:
    """Responses seen and responses that looked like the API: plain counts for a scenario's evidence."""

    responses: int = 0
    api_like: int = 0

    def add(self, exchange: Exchange) -> None:
        self.responses += 1
        self.api_like += looks_like_api(exchange)

    @property
    def nothing_like_the_api(self) -> bool:
        """Responses came, and not one looked like the API: a wrong address, not the API drifting."""
        return self.responses > 0 and not self.api_like

    def to_dict(self) -> dict[str, Any]:
        return {"responses": self.responses, "api_like": self.api_like}
