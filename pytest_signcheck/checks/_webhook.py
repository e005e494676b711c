"""Webhook events (§7): which schema judges an event, and its `action`.

An event is judged like a response, under a label in place of an endpoint (`_plan.WEBHOOK_ENDPOINTS`):
``WEBHOOK <action>`` for a documented action, or for a spelling variant of one (`packageAdded`), which
is judged by that action's schema; ``WEBHOOK *`` for any other action, judged by the envelope alone.
The action itself is `schema`'s rule (`_constants.judge_action`): a documented action spelt differently
is breaking (an integration matching on the documented constant misses those events); an action the
docs do not list is additive, since the docs' catalogue is incomplete.
"""

from __future__ import annotations

from typing import Any

from pytest_signcheck.checks._base import near_miss
from pytest_signcheck.checks._plan import WEBHOOK_ENDPOINTS
from pytest_signcheck.contract import schemas
from pytest_signcheck.contract.endpoints import WEBHOOK_ACTIONS, WEBHOOK_PREFIX, WEBHOOK_UNDOCUMENTED

__all__ = ["ACTIONS", "PREFIX", "UNDOCUMENTED", "documented_action", "is_webhook", "webhook_endpoint"]

PREFIX, UNDOCUMENTED, ACTIONS = WEBHOOK_PREFIX, WEBHOOK_UNDOCUMENTED, WEBHOOK_ACTIONS


def is_webhook(endpoint: str) -> bool:
    return endpoint in WEBHOOK_ENDPOINTS


def documented_action(value: Any) -> str | None:
    """The documented action `value` is, or spells differently; None for anything else."""
    if not isinstance(value, str):
        return None
    return value if value in schemas.WEBHOOK_SCHEMAS else near_miss(value, ACTIONS)


def webhook_endpoint(action: Any) -> str:
    """The label an event with this `action` is judged under."""
    documented = documented_action(action)
    return UNDOCUMENTED if documented is None else PREFIX + documented
