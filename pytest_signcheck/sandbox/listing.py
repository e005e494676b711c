"""``packages/list``: reading the filters, matching, sorting and paging.

Documented: every filter below; ``take`` defaults to 50, ``sortBy`` to ``created``; ``total`` counts
every match; ``search`` is full text over the package's name, description, message, category,
client and matter numbers and its signers' and recipients' names, emails and mobile numbers, with a
``*`` suffix wildcard. Inferred: search is word based and case-insensitive; each whitespace-separated
term is a phrase whose words must follow one another inside one field (so an email or ``M-2025-004``
matches as a whole), and every term must match;
``created`` sorts newest first, ``name`` A to Z (case-insensitive), ``signBy`` soonest first, ties by
package id, and any other ``sortBy`` is a 400; no ``take`` maximum; without ``memberId``,
``teamId`` or ``allMembers`` the list holds the key member's packages; a ``teamId`` the key's member
does not belong to is a 403 ``team_not_authorized``; ``days`` N > 0 keeps sign-by dates in
[now, now + N days], N < 0 those in [now + N days, now), 0 is no filter (now is the fixed ``NOW``);
type and state values match exactly, unknown ones match nothing; 3.6 filters on the states 3.6
reports (executed and expired packages are ``open``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import errors
from .clock import NOW, TICKS_PER_DAY
from .effects import ListFlags
from .intake import flag, text
from .model import Json, Package, reported_state
from .store import Store

SORTS: dict[str, Callable[[Package], tuple[object, ...]]] = {
    "created": lambda p: (-p.created, p.package_id),
    "name": lambda p: (p.name.casefold(), p.package_id),
    "signBy": lambda p: (p.sign_by, p.package_id),
}
DEFAULT_TAKE = 50
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    """A search phrase: consecutive words, the last one perhaps a prefix (``Contract*``)."""

    words: tuple[str, ...]
    prefix: bool

    def within(self, field: list[str]) -> bool:
        *head, last = self.words
        for start in range(len(field) - len(self.words) + 1):
            window = field[start : start + len(self.words)]
            ends = window[-1].startswith(last) if self.prefix else window[-1] == last
            if ends and window[:-1] == head:
                return True
        return False


@dataclass(frozen=True)
class ListQuery:
    member_id: str | None = None
    team_id: str | None = None
    folder_id: str | None = None
    all_members: bool = False
    search: str | None = None
    types: tuple[str, ...] | None = None
    states: tuple[str, ...] | None = None
    is_executed: bool | None = None
    days: int | None = None
    sort_by: str = "created"
    take: int = DEFAULT_TAKE
    skip: int = 0


def read_query(body: Json) -> ListQuery:
    sort_by = text(body, "sortBy") or "created"
    if sort_by not in SORTS:
        raise errors.invalid("package", "sort_by", f"'sortBy' must be one of: {', '.join(SORTS)}.")
    executed = body.get("isExecuted")
    if executed is not None and not isinstance(executed, bool):
        raise errors.invalid("package", "is_executed", "'isExecuted' must be true, false or null.")
    return ListQuery(
        member_id=text(body, "memberId"),
        team_id=text(body, "teamId"),
        folder_id=text(body, "folderId"),
        all_members=flag(body, "allMembers"),
        search=text(body, "search"),
        types=_strings(body, "types"),
        states=_strings(body, "states"),
        is_executed=executed,
        days=_integer(body, "days", None),
        sort_by=sort_by,
        take=_count(body, "take", DEFAULT_TAKE),
        skip=_count(body, "skip", 0),
    )


def select(store: Store, query: ListQuery, api_version: str, flags: ListFlags) -> tuple[list[Package], int]:
    """The page of packages the query asks for, and how many match in all."""
    owner = store.organisation.owner_id
    if query.team_id is not None and owner not in store.organisation.teams.get(query.team_id, ()):
        raise errors.ApiError(
            403, "team_not_authorized", "The authenticated member does not belong to the team."
        )
    terms = _terms(query.search or "", flags.case_sensitive_search)
    matches = [
        p
        for p in store.packages.values()
        if _in_scope(p, query, owner)
        and _wanted(p, query, api_version, flags)
        and _found(p, terms, flags.case_sensitive_search)
    ]
    matches.sort(key=SORTS[query.sort_by])
    end = query.skip + query.take * flags.take_factor
    return matches[query.skip : end], len(matches)


def _in_scope(package: Package, query: ListQuery, owner: str) -> bool:
    if query.member_id is not None:
        mine = package.member_id == query.member_id
    else:
        mine = query.all_members or query.team_id is not None or package.member_id == owner
    return mine and query.team_id in (None, package.team_id) and query.folder_id in (None, package.folder_id)


def _wanted(package: Package, query: ListQuery, api_version: str, flags: ListFlags) -> bool:
    if query.types is not None and package.type not in query.types:
        return False
    states = None if flags.ignore_states else query.states
    if states is not None and reported_state(package, api_version) not in states:
        return False
    if query.is_executed is not None and package.is_executed() != query.is_executed:
        return False
    if query.days:
        low, high = sorted((NOW, NOW + query.days * TICKS_PER_DAY))
        return low <= package.sign_by <= high if query.days > 0 else low <= package.sign_by < high
    return True


def _terms(search: str, case_sensitive: bool) -> list[Term]:
    """One phrase per whitespace-separated chunk; a trailing ``*`` makes its last word a prefix."""
    terms = []
    for chunk in search.split():
        words = tuple(_WORD.findall(chunk if case_sensitive else chunk.casefold()))
        if words:
            terms.append(Term(words, chunk.endswith("*")))
    return terms


def _found(package: Package, terms: list[Term], case_sensitive: bool) -> bool:
    """Every term occurs, as consecutive words, inside one searchable field."""
    if not terms:
        return True
    fields = [_WORD.findall(f if case_sensitive else f.casefold()) for f in _searchable(package)]
    return all(any(term.within(words) for words in fields) for term in terms)


def _searchable(package: Package) -> Iterable[str]:
    yield from (package.name, package.description or "", package.message or "", package.category or "")
    yield from (package.client_number or "", package.matter_number or "")
    for signer in package.signers:
        yield from (signer.first_name, signer.last_name, signer.email, signer.mobile or "")
    for recipient in package.recipients:
        yield from (recipient.first_name, recipient.last_name, recipient.email)


def _strings(body: Json, key: str) -> tuple[str, ...] | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise errors.invalid("package", key, f"'{key}' must be a list of strings or null.")
    return tuple(value)


def _integer(body: Json, key: str, default: int | None) -> int | None:
    value = body.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.invalid("package", key, f"'{key}' must be a whole number.")
    return value


def _count(body: Json, key: str, default: int) -> int:
    value = _integer(body, key, default)
    assert value is not None
    if value < 0:
        raise errors.out_of_range("package", key, f"'{key}' must be zero or more.")
    return value
