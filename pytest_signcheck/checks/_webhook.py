"""Webhook events (§7): which schema judges an event, and its `action`.

An event is judged like a response, under a label in place of an endpoint (`_plan.WEBHOOK_ENDPOINTS`):
``WEBHOOK <action>`` for a documented action, or for a spelling variant of one (`packageAdded`), which
is judged by that action's schema; ``WEBHOOK *`` for any other action, judged by the envelope alone.
The action itself is `schema`'s rule (`judge_action`): a documented action spelt differently is
breaking (an integration matching on the documented constant misses those events); an action the docs
do not list is additive, since the docs' catalogue is incomplete.
"""

from __future__ import annotations

from typing import Any

from pytest_signcheck.checks._base import ADDITIVE, BREAKING, Judgement, near_miss
from pytest_signcheck.checks._plan import WEBHOOK_ENDPOINTS
from pytest_signcheck.contract import schemas

__all__ = ["UNDOCUMENTED", "documented_action", "is_webhook", "judge_action", "webhook_endpoint"]

PREFIX = "WEBHOOK "
#: The label of an event whose action the docs do not list.
UNDOCUMENTED = PREFIX + "*"
_ACTIONS = tuple(schemas.WEBHOOK_SCHEMAS)


def is_webhook(endpoint: str) -> bool:
    return endpoint in WEBHOOK_ENDPOINTS


def documented_action(value: Any) -> str | None:
    """The documented action `value` is, or spells differently; None for anything else."""
    if not isinstance(value, str):
        return None
    return value if value in schemas.WEBHOOK_SCHEMAS else near_miss(value, _ACTIONS)


def webhook_endpoint(action: Any) -> str:
    """The label an event with this `action` is judged under."""
    documented = documented_action(action)
    return UNDOCUMENTED if documented is None else PREFIX + documented


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
        return "new-action", ADDITIVE, "one of " + ", ".join(_ACTIONS), message
    if value == expected:
        return None
    message = (
        f"The webhook action {value!r} is the documented {expected!r} spelt differently; actions are "
        f"exact constants, so an integration matching on {expected!r} misses these events."
    )
    return "action-renamed", BREAKING, expected, message
