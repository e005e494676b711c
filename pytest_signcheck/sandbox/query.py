"""What both list endpoints read the same way: typed filters, paging, and whose items to list.

Documented: ``take``/``skip`` paging with ``{items, total, take, skip}``; ``memberId``, ``teamId``,
``folderId`` and ``allMembers`` scopes; filtering by team needs the member to belong to it.
Inferred: ``take`` defaults to 50 and has no maximum; a negative ``take`` or ``skip`` is a 400
``{kind}_range_{field}``; without ``memberId``, ``teamId`` or ``allMembers`` the list holds the
key member's items; a team the key's member does not belong to is a 403 ``team_not_authorized``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import errors
from .intake import flag, text
from .model import Json

DEFAULT_TAKE = 50


def strings(body: Json, key: str, kind: str) -> tuple[str, ...] | None:
    """A list of strings, or ``None`` when absent or null."""
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise errors.invalid(kind, key, f"'{key}' must be a list of strings or null.")
    return tuple(value)


def integer(body: Json, key: str, kind: str) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.invalid(kind, key, f"'{key}' must be a whole number.")
    return value


def count(body: Json, key: str, kind: str, default: int) -> int:
    """A whole number of zero or more (``take``, ``skip``)."""
    value = integer(body, key, kind)
    if value is None:
        return default
    if value < 0:
        raise errors.out_of_range(kind, key, f"'{key}' must be zero or more.")
    return value


@dataclass(frozen=True)
class Page:
    take: int = DEFAULT_TAKE
    skip: int = 0

    @classmethod
    def read(cls, body: Json, kind: str) -> Page:
        return cls(count(body, "take", kind, DEFAULT_TAKE), count(body, "skip", kind, 0))

    def body(self, items: list[Json], total: int) -> Json:
        return {"items": items, "total": total, "take": self.take, "skip": self.skip}


@dataclass(frozen=True)
class Scope:
    """Whose items a list request asks for."""

    member_id: str | None = None
    team_id: str | None = None
    folder_id: str | None = None
    all_members: bool = False

    @classmethod
    def read(cls, body: Json, kind: str) -> Scope:
        return cls(
            member_id=text(body, "memberId", kind),
            team_id=text(body, "teamId", kind),
            folder_id=text(body, "folderId", kind),
            all_members=flag(body, "allMembers", kind=kind),
        )

    def authorise(self, owner: str, teams: Mapping[str, frozenset[str]]) -> None:
        if self.team_id is not None and owner not in teams.get(self.team_id, ()):
            raise errors.ApiError(
                403, "team_not_authorized", "The authenticated member does not belong to the team."
            )

    def owns(self, member_id: str, owner: str) -> bool:
        """Whether an item of ``member_id`` is among the members this scope lists."""
        if self.member_id is not None:
            return member_id == self.member_id
        return self.all_members or self.team_id is not None or member_id == owner

    def places(self, team_id: str | None, folder_id: str | None) -> bool:
        """Whether an item in this team and folder passes the team and folder filters."""
        return self.team_id in (None, team_id) and self.folder_id in (None, folder_id)
