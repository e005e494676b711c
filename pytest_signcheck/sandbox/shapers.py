"""The drifts that reshape a payload after it is built: one small function each, and where it applies.

They run in table order (value changes, then renames, then container changes), so any combination
composes. Each applies to the payload kinds it lists, to each package inside (``per_package``) or to
the whole payload.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any, Literal

from .clock import parse_time
from .model import Json

Kind = Literal[
    "status",
    "package",
    "add",
    "update",
    "list",
    "upload",
    "reference",
    "delete",
    "data",
    "link-sign",
    "link-edit",
    "templates",
    "endpoint",
    "webhook",
]
PACKAGE_KINDS: tuple[Kind, ...] = ("status", "package", "add", "update", "list", "data")
LINK_KINDS: tuple[Kind, ...] = ("link-sign", "link-edit")
Shaper = Callable[[Json], None]
WEBHOOK_ACTIONS = {
    "package_add": "packageAdded",
    "document_signed": "documentSigned",
    "document_executed": "documentExecuted",
    "package_executed": "packageExecuted",
    "package_decline": "packageDeclined",
}


def packages_in(kind: Kind, payload: Json) -> Iterator[Json]:
    """The package-level objects inside a payload."""
    if kind in ("status", "package", "data"):
        yield payload
    elif kind in ("add", "update") and isinstance(payload.get("package"), dict):
        yield payload["package"]
    elif kind == "list":
        yield from payload["items"]


def _walk(value: Any, visit: Callable[[Json], None]) -> None:
    """Call ``visit`` on every object nested in ``value``, outermost first."""
    if isinstance(value, dict):
        visit(value)
        for child in list(value.values()):
            _walk(child, visit)
    elif isinstance(value, list):
        for child in value:
            _walk(child, visit)


def _set_state(old: str, new: str) -> Shaper:
    def shape(package: Json) -> None:
        if package.get("state") == old:
            package["state"] = new

    return shape


def _capitalise_state(package: Json) -> None:
    package["state"] = str(package["state"]).capitalize()


def _retype(mapping: dict[str, str]) -> Shaper:
    def shape(package: Json) -> None:
        package["type"] = mapping.get(package["type"], package["type"])

    return shape


def _add_fields(package: Json) -> None:
    package["timeCompleted"] = package.get("timeExecuted")
    package["archived"] = False


def _executed_as_string(package: Json) -> None:
    def visit(node: Json) -> None:
        if isinstance(node.get("isExecuted"), bool):
            node["isExecuted"] = "true" if node["isExecuted"] else "false"

    _walk(package, visit)


def _wrong_document(package: Json) -> None:
    for document in package["documents"]:
        for revision in document["revisions"]:
            revision["documentId"] = str(uuid.uuid5(uuid.NAMESPACE_URL, revision["documentId"]))


def _mismatch_tokens(package: Json) -> None:
    def visit(node: Json) -> None:
        token = node.get("token")
        if isinstance(token, str) and token:
            node["token"] = ("B" if token[0] == "A" else "A") + token[1:]

    _walk(package, visit)


def _rename_signer_id(package: Json) -> None:
    package["signers"] = [
        {("signerID" if k == "signerId" else k): v for k, v in s.items()} for s in package["signers"]
    ]


def _documents_by_id(package: Json) -> None:
    package["documents"] = {d["documentId"]: d for d in package["documents"]}


def us_time(value: str) -> str:
    """``2025-06-02T09:00:00.0000000Z`` as ``06/02/2025 09:00:00``."""
    return f"{value[5:7]}/{value[8:10]}/{value[0:4]} {value[11:19]}"


def _us_timestamps(payload: Json) -> None:
    def visit(node: Json) -> None:
        for key, value in node.items():
            if key.startswith("time") and isinstance(value, str) and parse_time(value) is not None:
                node[key] = us_time(value)

    _walk(payload, visit)


def _us_field(key: str) -> Shaper:
    def shape(payload: Json) -> None:
        if isinstance(payload.get(key), str):
            payload[key] = us_time(payload[key])

    return shape


def _total_off_by_one(payload: Json) -> None:
    payload["total"] += 1


def _no_sign_links(package: Json) -> None:
    for signer in package.get("signers") or []:
        signer["signLink"] = None


def _rename_data_id(payload: Json) -> None:
    for document in payload["documents"]:
        document["data"] = [
            {("fieldId" if k == "dataId" else k): v for k, v in entry.items()} for entry in document["data"]
        ]


def _rename_key(old: str, new: str) -> Shaper:
    """Rename a top-level key where it stands (key order kept)."""

    def shape(payload: Json) -> None:
        renamed = {(new if k == old else k): v for k, v in payload.items()}
        payload.clear()
        payload.update(renamed)

    return shape


def _rename_action(payload: Json) -> None:
    payload["action"] = WEBHOOK_ACTIONS.get(payload["action"], payload["action"])


_API_TIMES: tuple[Kind, ...] = (
    "status",
    "package",
    "add",
    "update",
    "list",
    "upload",
    "templates",
    *LINK_KINDS,
)

# (drift, kinds it applies to, shaper, whether the shaper takes each package or the whole payload)
SHAPERS: tuple[tuple[str, tuple[Kind, ...], Shaper, bool], ...] = (
    ("executed-reported-open", PACKAGE_KINDS, _set_state("executed", "open"), True),
    ("state-new-value", ("status", "package", "list", "data"), _set_state("rescinded", "voided"), True),
    ("state-capitalised", PACKAGE_KINDS, _capitalise_state, True),
    (
        "type-lowercase",
        PACKAGE_KINDS,
        _retype({"Sequential": "sequential", "Counterpart": "counterpart"}),
        True,
    ),
    ("live-session-underscore", PACKAGE_KINDS, _retype({"Live Session": "Live_Session"}), True),
    ("extra-field", ("status", "list"), _add_fields, True),
    ("executed-as-string", ("status", "list"), _executed_as_string, True),
    ("revision-wrong-document", ("status",), _wrong_document, True),
    ("token-mismatch", ("status", "package", "add", "update"), _mismatch_tokens, True),
    ("link-sign-token-mismatch", ("link-sign",), _mismatch_tokens, False),
    ("add-signlink-missing", ("add",), _no_sign_links, True),
    ("timestamp-us-format", _API_TIMES, _us_timestamps, False),
    ("link-expiry-us-format", LINK_KINDS, _us_field("timeExpires"), False),
    ("webhook-time-us-format", ("webhook",), _us_field("eventTime"), False),
    ("webhook-action-renamed", ("webhook",), _rename_action, False),
    ("total-off-by-one", ("list",), _total_off_by_one, False),
    ("templates-total-off-by-one", ("templates",), _total_off_by_one, False),
    ("rename-signer-id", ("status",), _rename_signer_id, True),
    ("data-field-renamed", ("data",), _rename_data_id, False),
    ("webhook-field-renamed", ("webhook",), _rename_key("eventTime", "eventTimestamp"), False),
    ("documents-as-object", ("status",), _documents_by_id, True),
)
