"""The drift switches: named, documented ways the API could change in a release.

Each drift names the check id (a plain string) that should catch it. What a drift actually does to
a response lives in ``effects.py``; this module is only the catalogue, so it can be printed and
tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Drift:
    """One way the sandbox can depart from the documentation, and the check that should notice."""

    name: str
    check: str
    description: str


_CATALOGUE = (
    Drift("rename-signer-id", "schema", "status: signers[].signerId is renamed signerID"),
    Drift(
        "executed-as-string",
        "schema",
        'status and list: every isExecuted is the string "true"/"false" instead of a boolean',
    ),
    Drift(
        "documents-as-object", "schema", "status: documents is an object keyed by documentId, not an array"
    ),
    Drift(
        "extra-field",
        "undocumented-field",
        "status and list items gain undocumented timeCompleted and archived fields",
    ),
    Drift(
        "state-capitalised",
        "state-enum",
        "package state is capitalised (Open, Draft, Executed...) in status, get, add, update, list, data",
    ),
    Drift(
        "state-new-value",
        "state-enum",
        "rescinded packages report a new, undocumented state 'voided' in status, get, list and data",
    ),
    Drift(
        "type-lowercase",
        "type-enum",
        "package type Sequential is reported as sequential and Counterpart as counterpart",
    ),
    Drift(
        "live-session-underscore", "type-enum", "package type 'Live Session' is reported as 'Live_Session'"
    ),
    Drift(
        "timestamp-us-format",
        "timestamp",
        "every time* field of every API response is rendered US-style without a zone, "
        "like 03/02/2022 20:08:41",
    ),
    Drift("total-off-by-one", "pagination", "list: total is one more than the number of matching packages"),
    Drift(
        "templates-total-off-by-one",
        "pagination",
        "templates/list: total is one more than the number of matching templates",
    ),
    Drift("take-ignored", "pagination", "list: a page holds up to twice take items"),
    Drift("states-filter-ignored", "filters", "list: the states filter is accepted but not applied"),
    Drift(
        "search-case-sensitive", "filters", "list: search matches case-sensitively (documented as full text)"
    ),
    Drift("days-ignored", "filters", "list: the days filter is accepted but not applied"),
    Drift(
        "sortby-ignored",
        "filters",
        "list: sortBy is accepted but not applied; items come oldest first, whatever was asked",
    ),
    Drift(
        "templates-types-ignored", "filters", "templates/list: the types filter is accepted but not applied"
    ),
    Drift(
        "links-leak",
        "signer-links",
        "status, get, add and update carry signer links although generateSignerLinks was not set",
    ),
    Drift(
        "links-missing",
        "signer-links",
        "status, get, add and update carry no signer links although generateSignerLinks was true",
    ),
    Drift(
        "token-mismatch",
        "signer-links",
        "status, get, add and update: link tokens are no longer the last path segment of their link",
    ),
    Drift(
        "add-signlink-missing",
        "signer-links",
        "add with generateSignerLinks answers signLink null for every signer (status still has links)",
    ),
    Drift(
        "update-links-not-renewed",
        "signer-links",
        "update of a package added with generateSignerLinks returns the same link tokens as before",
    ),
    Drift(
        "update-links-leak",
        "signer-links",
        "update of a package added without generateSignerLinks answers with signer links",
    ),
    Drift(
        "link-sign-token-mismatch",
        "signer-links",
        "links/sign: the token is no longer the last path segment of the link",
    ),
    Drift(
        "link-expiry-us-format",
        "timestamp",
        "links/sign and links/edit: timeExpires is rendered US-style, like 06/09/2025 09:00:03",
    ),
    Drift(
        "revision-wrong-document",
        "integrity",
        "status: every revision's documentId differs from the document it sits in",
    ),
    Drift(
        "executed-reported-open",
        "integrity",
        "4.0: a fully executed package reports state open (its isExecuted stays true)",
    ),
    Drift(
        "update-keeps-add-state",
        "integrity",
        "update without state 'add' leaves a package in the add state (documented: it moves to draft)",
    ),
    Drift(
        "update-sent-back-to-add",
        "integrity",
        "update with state 'add' on a sent package is accepted and the package reports add again",
    ),
    Drift(
        "data-field-renamed",
        "schema",
        "packages/{id}/data: every documents[].data[].dataId is renamed fieldId",
    ),
    Drift("webhook-field-renamed", "schema", "webhook events: eventTime is renamed eventTimestamp"),
    Drift(
        "webhook-action-renamed",
        "schema",
        "webhook events: action names are camel case (package_add is packageAdded...)",
    ),
    Drift(
        "webhook-time-us-format",
        "timestamp",
        "webhook events: eventTime is rendered US-style, like 06/02/2025 09:00:01",
    ),
    Drift("webhook-unsigned", "http", "webhook events are delivered without an X-Syngrafii-Signature header"),
    Drift("html-errors", "http", "errors are an HTML page with Content-Type: text/html (same status code)"),
    Drift("error-code-renamed", "http", "error bodies are {code, detail} instead of {error, message}"),
    Drift("not-found-200", "http", "an unknown package answers 200 with {} instead of 404 package_not_found"),
    Drift("add-returns-201", "http", "packages/add answers 201 Created instead of the documented 200"),
)

DRIFTS: Mapping[str, Drift] = MappingProxyType({drift.name: drift for drift in _CATALOGUE})
"""Every drift switch by name, in catalogue order."""


def unknown_drifts(names: tuple[str, ...]) -> list[str]:
    """The names in ``names`` that are not drift switches, in the order given."""
    return [name for name in names if name not in DRIFTS]
