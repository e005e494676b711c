"""``packages/list``: reading the filters, matching, sorting and paging.

Documented: every filter below; ``sortBy`` ``created``; ``total`` counts every match; ``search`` is
full text over the package's name, description, message, category, client and matter numbers and
its signers' and recipients' names, emails and mobile numbers (``search.py``); paging and scopes
as ``query.py`` reads them. Inferred: ``sortBy`` defaults to ``created``, which sorts newest first,
``name`` A to Z (case-insensitive), ``signBy`` soonest first, ties by package id, and any other
``sortBy`` is a 400; ``days`` N > 0 keeps sign-by dates in [now, now + N days], N < 0 those in
[now + N days, now), 0 is no filter (now is the fixed ``NOW``); type and state values match
exactly, unknown ones match nothing; 3.6 filters on the states 3.6 reports (executed and expired
packages are ``open``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import errors
from .clock import NOW, TICKS_PER_DAY
from .effects import ListFlags
from .intake import text
from .model import Json, Package, reported_state
from .query import Page, Scope, integer, strings
from .search import Search
from .store import Store

SORTS: dict[str, Callable[[Package], tuple[object, ...]]] = {
    "created": lambda p: (-p.created, p.package_id),
    "name": lambda p: (p.name.casefold(), p.package_id),
    "signBy": lambda p: (p.sign_by, p.package_id),
}


@dataclass(frozen=True)
class ListQuery:
    scope: Scope = field(default_factory=Scope)
    search: str | None = None
    types: tuple[str, ...] | None = None
    states: tuple[str, ...] | None = None
    is_executed: bool | None = None
    days: int | None = None
    sort_by: str = "created"
    page: Page = field(default_factory=Page)


def read_query(body: Json) -> ListQuery:
    sort_by = text(body, "sortBy") or "created"
    if sort_by not in SORTS:
        raise errors.invalid("package", "sort_by", f"'sortBy' must be one of: {', '.join(SORTS)}.")
    executed = body.get("isExecuted")
    if executed is not None and not isinstance(executed, bool):
        raise errors.invalid("package", "is_executed", "'isExecuted' must be true, false or null.")
    return ListQuery(
        scope=Scope.read(body, "package"),
        search=text(body, "search"),
        types=strings(body, "types", "package"),
        states=strings(body, "states", "package"),
        is_executed=executed,
        days=integer(body, "days", "package"),
        sort_by=sort_by,
        page=Page.read(body, "package"),
    )


def select(store: Store, query: ListQuery, api_version: str, flags: ListFlags) -> tuple[list[Package], int]:
    """The page of packages the query asks for, and how many match in all."""
    owner = store.organisation.owner_id
    query.scope.authorise(owner, store.organisation.teams)
    search = Search.parse(query.search, flags.case_sensitive_search)
    matches = [
        p
        for p in store.packages.values()
        if query.scope.owns(p.member_id, owner)
        and query.scope.places(p.team_id, p.folder_id)
        and _wanted(p, query, api_version, flags)
        and search.matches(_searchable(p))
    ]
    if not flags.ignore_sort:
        matches.sort(key=SORTS[query.sort_by])
    end = query.page.skip + query.page.take * flags.take_factor
    return matches[query.page.skip : end], len(matches)


def _wanted(package: Package, query: ListQuery, api_version: str, flags: ListFlags) -> bool:
    if query.types is not None and package.type not in query.types:
        return False
    states = None if flags.ignore_states else query.states
    if states is not None and reported_state(package, api_version) not in states:
        return False
    if query.is_executed is not None and package.is_executed() != query.is_executed:
        return False
    if query.days and not flags.ignore_days:
        low, high = sorted((NOW, NOW + query.days * TICKS_PER_DAY))
        return low <= package.sign_by <= high if query.days > 0 else low <= package.sign_by < high
    return True


def _searchable(package: Package) -> Iterable[str]:
    yield from (package.name, package.description or "", package.message or "", package.category or "")
    yield from (package.client_number or "", package.matter_number or "")
    for signer in package.signers:
        yield from (signer.first_name, signer.last_name, signer.email, signer.mobile or "")
    for recipient in package.recipients:
        yield from (recipient.first_name, recipient.last_name, recipient.email)
