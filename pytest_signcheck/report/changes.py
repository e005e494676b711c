"""What changed between two recordings of the API: `compare` two `Profile`s into `Change`s.

See `report.recordings` for what a profile holds, what counts as enum-like and what a request shape is.
Each change names its endpoint, status code, what kind of change it is and where; `breaking` ones
(something vanished or changed type, or ``null`` appeared) make ``signcheck diff`` exit 1. A transient
status (429 or 5xx, `report.recordings.transient`) appearing or vanishing is listed, never breaking: a
retried rate limit or a gateway's bad minute is no change of the API (nor are its bodies profiled).

A change is claimed only where both recordings asked the same request: each recording's responses to
requests of a shape the other never asked (same endpoint, same request shape) are left out of the
comparison and listed as not compared, never as a change; so is an endpoint recorded in one only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any

from pytest_signcheck.report.recordings import Profile, Seen, transient

__all__ = ["KINDS", "Change", "compare"]

#: Every kind of change, in the order a diff lists them, with whether it breaks a client.
KINDS: dict[str, bool] = {
    "status-vanished": True,
    "status-appeared": False,
    "media-type-vanished": True,
    "media-type-appeared": False,
    "field-vanished": True,
    "field-appeared": False,
    "type-changed": True,
    "null-appeared": True,
    "null-vanished": False,
    "value-vanished": True,
    "value-appeared": False,
}


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between what two recordings of one endpoint and status code returned.

    `pointer` is the field (``""``: the whole body; empty for status codes and media types); `old` and
    `new` say what each recording had there (JSON types, a status code, a media type, a value).
    """

    endpoint: str
    status: int
    kind: str
    pointer: str = ""
    old: str = ""
    new: str = ""
    note: str = ""

    @property
    def breaking(self) -> bool:
        """Whether it breaks a client: its kind says, but for a transient status coming or going."""
        return KINDS[self.kind] and not (self.kind.startswith("status-") and transient(self.status))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "breaking": self.breaking, "text": self.text()}

    def text(self) -> str:
        """The change in words, without its endpoint."""
        where = f"`{self.pointer}`" if self.pointer else "the JSON body"
        text = {
            "status-vanished": f"status {self.status} no longer answered ({self.old} response(s) before)",
            "status-appeared": f"status {self.status} now answered ({self.new} response(s))",
            "media-type-vanished": f"{self.status}: Content-Type {self.old} no longer served",
            "media-type-appeared": f"{self.status}: Content-Type {self.new} now served",
            "field-vanished": f"{self.status}: {where} ({self.old}) vanished",
            "field-appeared": f"{self.status}: {where} ({self.new}) appeared",
            "type-changed": f"{self.status}: {where} changed type: {self.old} -> {self.new}",
            "null-appeared": f"{self.status}: {where} is now null at times (it never was; {self.old})",
            "null-vanished": f"{self.status}: {where} is no longer ever null ({self.new})",
            "value-vanished": f"{self.status}: {where} no longer takes the value {self.old}",
            "value-appeared": f"{self.status}: {where} takes a new value {self.new}",
        }[self.kind]
        note = self.note or (_TRANSIENT if self.kind.startswith("status-") and transient(self.status) else "")
        return f"{text}; {note}" if note else text


_TRANSIENT = "transient (a rate limit or a server error), not a change of the API"


def _types(kinds: set[str]) -> str:
    return ", ".join(sorted(kinds))


def _under(pointer: str, parents: set[str]) -> bool:
    """Whether `pointer` lies inside one of `parents` (whose own change says it all)."""
    return any(pointer.startswith(parent + "/") for parent in parents)


def _field_changes(endpoint: str, status: int, old: Seen, new: Seen) -> Iterator[Change]:
    moved: set[str] = set()
    for pointer in sorted(old.fields.keys() | new.fields.keys()):
        if _under(pointer, moved):
            continue
        before, after = old.fields.get(pointer), new.fields.get(pointer)
        if before is None or after is None:
            moved.add(pointer)
            kind = "field-appeared" if before is None else "field-vanished"
            yield Change(endpoint, status, kind, pointer, _types(before or set()), _types(after or set()))
            continue
        yield from _type_changes(endpoint, status, pointer, before, after, moved)
        yield from _value_changes(endpoint, status, pointer, old, new)


def _type_changes(
    endpoint: str, status: int, pointer: str, before: set[str], after: set[str], moved: set[str]
) -> Iterator[Change]:
    kinds_before, kinds_after = before - {"null"}, after - {"null"}
    if kinds_before and kinds_after and kinds_before != kinds_after:
        moved.add(pointer)
        yield Change(endpoint, status, "type-changed", pointer, _types(before), _types(after))
    elif ("null" in after) != ("null" in before):
        kind = "null-appeared" if "null" in after else "null-vanished"
        yield Change(endpoint, status, kind, pointer, _types(before), _types(after))


def _value_changes(endpoint: str, status: int, pointer: str, old: Seen, new: Seen) -> Iterator[Change]:
    before, after = old.enum_values(pointer), new.enum_values(pointer)
    if before is None or after is None:
        return
    for value in sorted(before - after):
        yield Change(endpoint, status, "value-vanished", pointer, old=f'"{value}"')
    for value in sorted(after - before):
        yield Change(endpoint, status, "value-appeared", pointer, new=f'"{value}"')


def _renames(changes: list[Change]) -> list[Change]:
    """A field that vanished beside one that appeared, in the same object and with the same types, is
    probably that field renamed: each says so (a hint for people; both stay changes)."""
    vanished: dict[tuple[str, str], list[Change]] = {}
    appeared: dict[tuple[str, str], list[Change]] = {}
    for change in changes:
        parent = change.pointer.rpartition("/")[0]
        if change.kind == "field-vanished":
            vanished.setdefault((parent, change.old), []).append(change)
        elif change.kind == "field-appeared":
            appeared.setdefault((parent, change.new), []).append(change)
    pairs: dict[Change, Change] = {}
    for key, gone in vanished.items():
        came = appeared.get(key, [])
        if len(gone) == 1 and len(came) == 1:
            pairs[gone[0]] = replace(gone[0], note=f"`{came[0].pointer}` appeared beside it (renamed?)")
            pairs[came[0]] = replace(came[0], note=f"`{gone[0].pointer}` vanished beside it (renamed?)")
    return [pairs.get(change, change) for change in changes]


def _media_changes(endpoint: str, status: int, old: Seen, new: Seen) -> Iterator[Change]:
    for media in sorted(old.media_types.keys() - new.media_types.keys()):
        yield Change(endpoint, status, "media-type-vanished", old=media)
    for media in sorted(new.media_types.keys() - old.media_types.keys()):
        yield Change(endpoint, status, "media-type-appeared", new=media)


def _endpoint_changes(endpoint: str, old: dict[int, Seen], new: dict[int, Seen]) -> Iterator[Change]:
    for status in sorted(old.keys() | new.keys()):
        if status not in new:
            yield Change(endpoint, status, "status-vanished", old=str(old[status].responses))
        elif status not in old:
            yield Change(endpoint, status, "status-appeared", new=str(new[status].responses))
        else:
            yield from _media_changes(endpoint, status, old[status], new[status])
            yield from _renames(list(_field_changes(endpoint, status, old[status], new[status])))


def _asked_by_both(mine: dict[str, dict[int, Seen]], theirs: dict[str, dict[int, Seen]]) -> dict[int, Seen]:
    """What one recording's requests of the shapes the other recording asked too returned, by status."""
    merged: dict[int, Seen] = {}
    for shape in sorted(mine.keys() & theirs.keys()):
        for status, seen in mine[shape].items():
            merged.setdefault(status, Seen(seen.enums)).merge(seen)
    return merged


def _only(old: Profile, new: Profile) -> list[dict[str, str]]:
    """The endpoints, then the request shapes of shared endpoints, that one recording asked alone."""
    only = [
        {"endpoint": endpoint, "recorded_in": "old" if endpoint in old.endpoints else "new"}
        for endpoint in sorted(old.endpoints.keys() ^ new.endpoints.keys())
    ]
    for endpoint in sorted(old.endpoints.keys() & new.endpoints.keys()):
        before, after = old.endpoints[endpoint], new.endpoints[endpoint]
        only += [
            {"endpoint": endpoint, "recorded_in": "old" if shape in before else "new", "request": shape}
            for shape in sorted(before.keys() ^ after.keys())
        ]
    return only


def compare(old: Profile, new: Profile) -> tuple[list[Change], list[dict[str, str]]]:
    """The changes from `old` to `new`, by endpoint and status code (kinds in `KINDS` order), and what
    only one of them asked (not compared): endpoints, and request shapes (``request``)."""
    changes: list[Change] = []
    for endpoint in sorted(old.endpoints.keys() & new.endpoints.keys()):
        before, after = old.endpoints[endpoint], new.endpoints[endpoint]
        found = _endpoint_changes(endpoint, _asked_by_both(before, after), _asked_by_both(after, before))
        changes += sorted(found, key=lambda c: (c.status, list(KINDS).index(c.kind), c.pointer))
    return changes, _only(old, new)
