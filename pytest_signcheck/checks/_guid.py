"""`integrity` (info): ids that are not lower-case GUIDs, like every id in the docs' examples.

The docs only say string, so this is a guess. Package, document and signer ids are checked with one
comparison over their concatenation; revision ids are cross-checked through the signer links instead.
"""

from __future__ import annotations

import re
from typing import Any

from pytest_signcheck.checks._base import INFO, Aggregator, CheckContext
from pytest_signcheck.checks._index import StatusIndex, status_index
from pytest_signcheck.contract.redact import render

__all__ = ["guid_ids"]

_CHECK = "integrity"
_HEX = bytes.maketrans(b"0123456789abcdefh", b"h" * 16 + b"x")  # a real "h" must not pass
_SHAPE = b"hhhhhhhh-hhhh-hhhh-hhhh-hhhhhhhhhhhh\n"  # a lower-case GUID and a newline, hex digits as h
_BODY_IDS = ("packageId", "organizationId", "memberId")
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def guid_ids(ctx: CheckContext, body: dict[str, Any], aggregator: Aggregator) -> None:
    ids = _ids(body)
    if _all_guids(ids):
        return
    index = status_index(ctx)
    pointer, offender = next(
        (where, value) for where, value in _located_ids(index, body) if not _GUID.fullmatch(value)
    )
    message = (
        f"The id {render(offender)} is not a lower-case GUID, unlike every id in the docs' examples "
        "(a guess from the examples: the docs only say string)."
    )
    aggregator.add(("guid",), _CHECK, INFO, pointer, "a lower-case GUID", render(offender), message)


def _all_guids(ids: list[str]) -> bool:
    """One comparison for all: with hex digits read as "h", the ids, a newline after each, are the
    GUID shape repeated (no id can hold a newline: the count of newlines would differ)."""
    try:
        joined = "\n".join(ids).encode("ascii") + b"\n"
    except UnicodeEncodeError:
        return False
    return not ids or joined.translate(_HEX) == _SHAPE * len(ids)


def _ids(body: dict[str, Any]) -> list[str]:
    """Every package, organization, member, document and signer id that is a string."""
    ids = [value for key in _BODY_IDS if isinstance(value := body.get(key), str)]
    for group, key in (("documents", "documentId"), ("signers", "signerId")):
        items = body.get(group)
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict) and isinstance(value := item.get(key), str):
                ids.append(value)
    return ids


def _located_ids(index: StatusIndex, body: dict[str, Any]) -> list[tuple[str, str]]:
    """Slow path: every id with its pointer."""
    found = [(f"/{key}", body[key]) for key in _BODY_IDS if isinstance(body.get(key), str)]
    for i, document in index.documents:
        if isinstance(document.get("documentId"), str):
            found.append((f"/documents/{i}/documentId", document["documentId"]))
    found += [(f"/signers/{k}/signerId", sid) for sid, (k, _) in index.signer_by_id.items()]
    return found
