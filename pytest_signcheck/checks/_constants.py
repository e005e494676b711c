"""Constants the schemas pin (``const``) that `schema` judges itself, to tell a renamed constant from
a new one: a webhook event's `action` (`_webhook`) and a link response's `type` (§4.11).

The documented value spelt differently (`packageAdded` for `package_add`, `packageSign` for
`package_sign`: `_base.near_miss`), or another documented value where this one belongs, is breaking:
an integration matching on the documented constant misses it. A value the docs never show is
additive: the webhook catalogue is incomplete, and links of a new kind may come.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from pytest_signcheck.checks._base import ADDITIVE, BREAKING, Judgement, near_miss
from pytest_signcheck.checks._webhook import ACTIONS, PREFIX, UNDOCUMENTED, is_webhook
from pytest_signcheck.contract.endpoints import Endpoint

__all__ = ["DOCUMENTED_LINK_TYPES", "LINK_TYPES", "judge_action", "judge_link_type"]

#: The `type` each link endpoint documents for the link it creates.
LINK_TYPES: Mapping[str, str] = MappingProxyType(
    {Endpoint.SIGN_LINK: "package_sign", Endpoint.EDIT_LINK: "package_edit"}
)
#: Every link type the docs show: the two link endpoints' and the status example's `document`.
DOCUMENTED_LINK_TYPES = frozenset({"package_sign", "package_edit", "document"})


def judge_action(endpoint: str, value: Any) -> Judgement | None:
    """None when an event's `action` is the one its label documents (or not a string: `schema`'s)."""
    if not isinstance(value, str) or not is_webhook(endpoint):
        return None
    expected = endpoint.removeprefix(PREFIX)
    if endpoint == UNDOCUMENTED:
        message = (
            f"The webhook action {value!r} is not one the docs list; their catalogue is incomplete, "
            "so make sure your integration handles it."
        )
        return "new-action", ADDITIVE, "one of " + ", ".join(ACTIONS), message
    if value == expected:
        return None
    message = (
        f"The webhook action {value!r} is the documented {expected!r} spelt differently; actions are "
        f"exact constants, so an integration matching on {expected!r} misses these events."
    )
    return "action-renamed", BREAKING, expected, message


def judge_link_type(endpoint: str, value: Any) -> Judgement | None:
    """None when `value` is the link type `endpoint` documents (or not a string: `schema`'s)."""
    expected = LINK_TYPES.get(endpoint)
    if expected is None or not isinstance(value, str) or value == expected:
        return None
    if value in DOCUMENTED_LINK_TYPES:
        message = f"The link's type {value!r} is another link's documented type; this one's is {expected!r}."
        return "link-type", BREAKING, expected, message
    if near_miss(value, (expected,)) is not None:
        message = f"The link's type {value!r} is the documented {expected!r} spelt differently."
        return "near-miss", BREAKING, expected, message + " Link types are exact constants."
    message = (
        f"The link's type {value!r} is not one the docs show (this endpoint documents {expected!r}); "
        "perhaps a new kind of link: make sure your integration handles it."
    )
    return "new-value", ADDITIVE, expected, message
