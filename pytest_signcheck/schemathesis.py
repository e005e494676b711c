"""pytest-signcheck's behavioural checks inside Schemathesis (needs ``pytest-signcheck[schemathesis]``).

Importing this module registers six Schemathesis checks, each named after the signcheck check id it
runs: ``type-enum``, ``state-enum``, ``signer-links``, ``integrity``, ``pagination`` and ``filters``.
Enable them with one line in ``schemathesis.toml``::

    hooks = "pytest_signcheck.schemathesis"

(or ``SCHEMATHESIS_HOOKS=pytest_signcheck.schemathesis`` in the environment), then run Schemathesis on
``schemas/openapi.yaml``. Each check adapts Schemathesis's response and the request it sent into an
`Exchange` and calls `run_checks`: the very rules ``pytest --signcheck`` applies, no copy of them.
A finding that fails under ``fail_on`` (breaking ones, by default) fails the check, with the
finding's id, JSON pointer and message; a response of an operation the check does not cover (an
error status, another endpoint) is skipped.

Each check takes, in its own ``[checks.<id>]`` section: ``api_version`` (``"4.0"``, or ``"3.6"``:
which states are documented), ``fail_on`` (``breaking``, ``any``, ``never``) and ``now`` (an ISO 8601
date-time that ``filters`` and ``signer-links`` take as the present instead of the response's
``Date`` header; for a server with a clock of its own, such as the reference sandbox).

What one response cannot show is not covered here: ``pagination`` judges each page on its own
(``take``, ``skip``, ``total`` against the page's items and the request), not a walk across pages
(``pytest --signcheck`` and `walk_pages` do that); ``signer-links`` judges the links a status has, but
whether a package should have links depends on the ``generateSignerLinks`` it was added with, which a
status request does not carry, so links that leak or go missing are not caught.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

import schemathesis

from pytest_signcheck.checks import CheckOptions, run_checks
from pytest_signcheck.contract.endpoints import endpoint_for
from pytest_signcheck.errors import ConfigError
from pytest_signcheck.exchange import NOT_JSON, Exchange, parse_json
from pytest_signcheck.findings import FAIL_ON, Finding

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["CHECK_IDS", "exchange_of"]

#: The signcheck check ids registered as Schemathesis checks, each under its own name.
CHECK_IDS: tuple[str, ...] = ("type-enum", "state-enum", "signer-links", "integrity", "pagination", "filters")

# The six checks see the same response one after the other; it is judged once (per thread: the
# Schemathesis workers are threads).
_LAST = threading.local()


def exchange_of(response: Any, case: Any) -> Exchange | None:
    """The `Exchange` of a Schemathesis response, or None when there is nothing to judge: an operation
    signcheck does not know, or a body Schemathesis kept only in part.

    The request body is the one actually sent (the prepared request's bytes), parsed as JSON.
    """
    operation = case.operation
    endpoint = endpoint_for(operation.method, operation.path)
    content = response.content or b""
    if endpoint is None or getattr(response, "content_size", len(content)) > len(content):
        return None
    headers = {name: values[0] for name, values in response.headers.items() if values}
    sent = getattr(response.request, "body", None)
    request = parse_json(sent.encode() if isinstance(sent, str) else sent or b"")
    return Exchange.from_bytes(
        endpoint,
        response.status_code,
        content,
        headers,
        request=None if request is NOT_JSON else request,
        source=f"schemathesis {operation.label}",
    )


def _findings(response: Any, case: Any, options: CheckOptions) -> list[Finding] | None:
    cached = getattr(_LAST, "entry", None)
    if cached is not None and cached[0] is response and cached[1] == options:
        found: list[Finding] | None = cached[2]
        return found
    exchange = exchange_of(response, case)
    found = None if exchange is None else run_checks(exchange, options)
    _LAST.entry = (response, options, found)
    return found


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ConfigError(
            f"now must be an ISO 8601 date-time with a zone, e.g. 2025-06-02T09:00:00Z; got {value!r}"
        )
    return moment


class _SigncheckCheck:
    """One signcheck check id as a Schemathesis check (subclassed once per id, below)."""

    check_id = ""

    def __init__(self, api_version: str = "4.0", fail_on: str = "breaking", now: str | None = None) -> None:
        if fail_on not in FAIL_ON:
            raise ConfigError(f"fail_on must be one of {', '.join(FAIL_ON)}; got {fail_on!r}")
        self.fail_on = fail_on
        self.options = CheckOptions(api_version=api_version, now=_parse_now(now))

    def after_response(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """Raise AssertionError with the failing findings of this check id; True means skipped."""
        findings = _findings(response, case, self.options)
        if findings is None:
            return True
        failing = [f for f in findings if f.check == self.check_id and f.fails(self.fail_on)]
        if failing:
            raise AssertionError("\n".join(str(finding) for finding in failing))
        return None


def _register(check_id: str) -> type[_SigncheckCheck]:
    doc = f"pytest-signcheck's `{check_id}` check (see the signcheck README, 'Check ids')."
    check = type(check_id, (_SigncheckCheck,), {"check_id": check_id, "__doc__": doc})
    register: Callable[[type[_SigncheckCheck]], type[_SigncheckCheck]] = schemathesis.check
    return register(check)


CHECKS = {check_id: _register(check_id) for check_id in CHECK_IDS}
