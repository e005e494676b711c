"""What the drift switches do: reshaping documented payloads and errors after they are built.

Most drifts are a shaper over the rendered JSON of one or more payload kinds. They run in a fixed
order (value changes, then renames, then container changes), so any combination composes. A few
change behaviour instead: which links are shown, how the list is filtered and paged, and how errors
and the add status look. ``links-missing`` wins over ``links-leak`` if both are set.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from starlette.responses import HTMLResponse, JSONResponse, Response

from .clock import parse_time
from .errors import ApiError
from .model import Json

Kind = Literal["status", "package", "add", "list", "upload", "reference", "delete"]
PACKAGE_KINDS: tuple[Kind, ...] = ("status", "package", "add", "list")
Shaper = Callable[[Json], None]


@dataclass(frozen=True)
class ListFlags:
    """How the list departs from the docs: ignored states, case-sensitive search, page size factor."""

    ignore_states: bool = False
    case_sensitive_search: bool = False
    take_factor: int = 1


def _packages(kind: Kind, payload: Json) -> Iterator[Json]:
    """The package-level objects inside a payload."""
    if kind in ("status", "package"):
        yield payload
    elif kind == "add" and isinstance(payload.get("package"), dict):
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


def _us_timestamps(payload: Json) -> None:
    def visit(node: Json) -> None:
        for key, value in node.items():
            if key.startswith("time") and isinstance(value, str) and parse_time(value) is not None:
                node[key] = f"{value[5:7]}/{value[8:10]}/{value[0:4]} {value[11:19]}"

    _walk(payload, visit)


def _total_off_by_one(payload: Json) -> None:
    payload["total"] += 1


# (drift, kinds it applies to, shaper, whether the shaper takes each package or the whole payload)
_SHAPERS: tuple[tuple[str, tuple[Kind, ...], Shaper, bool], ...] = (
    ("executed-reported-open", PACKAGE_KINDS, _set_state("executed", "open"), True),
    ("state-new-value", ("status", "package", "list"), _set_state("rescinded", "voided"), True),
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
    ("token-mismatch", ("status", "package", "add"), _mismatch_tokens, True),
    ("timestamp-us-format", ("status", "package", "add", "list", "upload"), _us_timestamps, False),
    ("total-off-by-one", ("list",), _total_off_by_one, False),
    ("rename-signer-id", ("status",), _rename_signer_id, True),
    ("documents-as-object", ("status",), _documents_by_id, True),
)


class DriftEffects:
    """The active drifts, applied to responses."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = frozenset(names)

    def shows_links(self, requested: bool) -> bool:
        """Whether a package's links are shown, given whether ``generateSignerLinks`` asked for them."""
        return (requested or "links-leak" in self.names) and "links-missing" not in self.names

    def list_flags(self) -> ListFlags:
        return ListFlags(
            ignore_states="states-filter-ignored" in self.names,
            case_sensitive_search="search-case-sensitive" in self.names,
            take_factor=2 if "take-ignored" in self.names else 1,
        )

    def success(self, kind: Kind, payload: Json) -> Response:
        for name, kinds, shaper, per_package in _SHAPERS:
            if name in self.names and kind in kinds:
                for target in _packages(kind, payload) if per_package else (payload,):
                    shaper(target)
        status = 201 if kind == "add" and "add-returns-201" in self.names else 200
        return JSONResponse(payload, status_code=status)

    def error(self, error: ApiError) -> Response:
        headers = dict(error.headers)
        if error.code == "package_not_found" and "not-found-200" in self.names:
            return JSONResponse({}, status_code=200)
        if "html-errors" in self.names:
            page = (
                f"<!DOCTYPE html><html><head><title>{error.status} {html.escape(error.code)}</title></head>"
            )
            page += f"<body><h1>{error.status}</h1><p>{html.escape(error.message)}</p></body></html>"
            return HTMLResponse(page, status_code=error.status, headers=headers)
        if "error-code-renamed" in self.names:
            return JSONResponse({"code": error.code, "detail": error.message}, error.status, headers)
        return JSONResponse({"error": error.code, "message": error.message}, error.status, headers)
