"""What the drift switches do: reshaping payloads after they are built, and changing behaviour.

The reshaping drifts are a table in ``shapers.py``. The others change behaviour: which links are
shown, how the lists filter, sort and page, what ``packages/update`` does to state and links,
whether webhooks are signed, and how errors and the add status look. ``links-missing`` wins over
``links-leak`` if both are set.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from starlette.responses import HTMLResponse, JSONResponse, Response

from .drifts import DRIFTS
from .errors import ApiError
from .model import Json
from .shapers import SHAPERS, Kind, packages_in

__all__ = ["DriftEffects", "Kind", "ListFlags", "UpdateFlags"]


@dataclass(frozen=True)
class ListFlags:
    """How packages/list departs from the docs."""

    ignore_states: bool = False
    case_sensitive_search: bool = False
    take_factor: int = 1
    ignore_days: bool = False
    ignore_sort: bool = False


@dataclass(frozen=True)
class UpdateFlags:
    """How packages/update departs from the docs."""

    renew_links: bool = True
    keep_add_state: bool = False
    back_to_add: bool = False


class DriftEffects:
    """The active drifts, applied to responses."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = frozenset(names)

    def on(self, name: str) -> bool:
        """Whether the drift ``name`` (which must exist) is switched on."""
        assert name in DRIFTS, name
        return name in self.names

    def shows_links(self, requested: bool) -> bool:
        """Whether a package's links are shown, given whether ``generateSignerLinks`` asked for them."""
        return (requested or self.on("links-leak")) and not self.on("links-missing")

    def list_flags(self) -> ListFlags:
        return ListFlags(
            ignore_states=self.on("states-filter-ignored"),
            case_sensitive_search=self.on("search-case-sensitive"),
            take_factor=2 if self.on("take-ignored") else 1,
            ignore_days=self.on("days-ignored"),
            ignore_sort=self.on("sortby-ignored"),
        )

    def update_flags(self) -> UpdateFlags:
        return UpdateFlags(
            renew_links=not self.on("update-links-not-renewed"),
            keep_add_state=self.on("update-keeps-add-state"),
            back_to_add=self.on("update-sent-back-to-add"),
        )

    def shape(self, kind: Kind, payload: Json) -> Json:
        """``payload`` (changed in place) as the active drifts render it."""
        for name, kinds, shaper, per_package in SHAPERS:
            if name in self.names and kind in kinds:
                for target in packages_in(kind, payload) if per_package else (payload,):
                    shaper(target)
        return payload

    def success(self, kind: Kind, payload: Json) -> Response:
        self.shape(kind, payload)
        status = 201 if kind == "add" and self.on("add-returns-201") else 200
        return JSONResponse(payload, status_code=status)

    def error(self, error: ApiError) -> Response:
        headers = dict(error.headers)
        if error.code == "package_not_found" and self.on("not-found-200"):
            return JSONResponse({}, status_code=200)
        if self.on("html-errors"):
            page = (
                f"<!DOCTYPE html><html><head><title>{error.status} {html.escape(error.code)}</title></head>"
            )
            page += f"<body><h1>{error.status}</h1><p>{html.escape(error.message)}</p></body></html>"
            return HTMLResponse(page, status_code=error.status, headers=headers)
        if self.on("error-code-renamed"):
            return JSONResponse({"code": error.code, "detail": error.message}, error.status, headers)
        return JSONResponse({"error": error.code, "message": error.message}, error.status, headers)
