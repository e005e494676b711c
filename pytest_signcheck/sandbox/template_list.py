"""``templates/list``: reading the filters, matching, sorting and paging (§4.12).

Documented: the filters below, ``sortBy`` ``last_used``, and ``search`` as full text that includes
the template role (``search.py``, the packages' rule); paging and scopes as ``query.py`` reads
them. Inferred: without ``memberId``, ``teamId`` or ``allMembers`` the list holds the key member's
templates and every shared one; ``personal: true`` keeps templates that are not shared,
``shared: true`` those that are (both: either); ``mostRecent`` N > 0 keeps templates used in the
last N days (never-used ones never), 0 is no filter, below 0 a 400; ``collectionCode`` matches the
template's collection exactly; ``types`` and ``packageTypes`` match exactly; ``sortBy`` defaults to
``last_used`` (most recently used first, never-used last), and ``name`` (A to Z), ``created`` and
``updated`` (newest first) are the other values, ties by template id; any other is a 400.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import errors
from .clock import NOW, TICKS_PER_DAY
from .intake import flag, text
from .model import Json
from .query import Page, Scope, integer, strings
from .search import Search
from .store import Store
from .templates import Template

SORTS: dict[str, Callable[[Template], tuple[object, ...]]] = {
    "last_used": lambda t: (t.last_used is None, -(t.last_used or 0), t.template_id),
    "name": lambda t: (t.name.casefold(), t.template_id),
    "created": lambda t: (-t.created, t.template_id),
    "updated": lambda t: (-t.updated, t.template_id),
}


@dataclass(frozen=True)
class TemplateQuery:
    scope: Scope = field(default_factory=Scope)
    personal: bool = False
    shared: bool = False
    search: str | None = None
    types: tuple[str, ...] | None = None
    package_types: tuple[str, ...] | None = None
    most_recent: int = 0
    collection_code: str | None = None
    sort_by: str = "last_used"
    page: Page = field(default_factory=Page)


def read_template_query(body: Json) -> TemplateQuery:
    sort_by = text(body, "sortBy", "template") or "last_used"
    if sort_by not in SORTS:
        raise errors.invalid("template", "sort_by", f"'sortBy' must be one of: {', '.join(SORTS)}.")
    most_recent = integer(body, "mostRecent", "template") or 0
    if most_recent < 0:
        raise errors.out_of_range("template", "most_recent", "'mostRecent' must be zero or more days.")
    return TemplateQuery(
        scope=Scope.read(body, "template"),
        personal=flag(body, "personal", kind="template"),
        shared=flag(body, "shared", kind="template"),
        search=text(body, "search", "template"),
        types=strings(body, "types", "template"),
        package_types=strings(body, "packageTypes", "template"),
        most_recent=most_recent,
        collection_code=text(body, "collectionCode", "template"),
        sort_by=sort_by,
        page=Page.read(body, "template"),
    )


def select_templates(store: Store, query: TemplateQuery, ignore_types: bool) -> tuple[list[Template], int]:
    """The page of templates the query asks for, and how many match in all."""
    owner = store.organisation.owner_id
    query.scope.authorise(owner, store.organisation.teams)
    search = Search.parse(query.search)
    matches = [
        t
        for t in store.templates
        if _visible(t, query, owner) and _wanted(t, query, ignore_types) and search.matches(_searchable(t))
    ]
    matches.sort(key=SORTS[query.sort_by])
    return matches[query.page.skip : query.page.skip + query.page.take], len(matches)


def _visible(template: Template, query: TemplateQuery, owner: str) -> bool:
    scope = query.scope
    default = scope.member_id is None and scope.team_id is None and not scope.all_members
    mine = scope.owns(template.member_id, owner) or (default and template.shared)
    if not (mine and scope.places(template.team_id, template.folder_id)):
        return False
    if query.personal or query.shared:
        return (query.personal and not template.shared) or (query.shared and template.shared)
    return True


def _wanted(template: Template, query: TemplateQuery, ignore_types: bool) -> bool:
    if query.types is not None and not ignore_types and template.kind not in query.types:
        return False
    if query.package_types is not None and template.package_type not in query.package_types:
        return False
    if query.collection_code is not None and template.collection != query.collection_code:
        return False
    if query.most_recent:
        since = NOW - query.most_recent * TICKS_PER_DAY
        return template.last_used is not None and since <= template.last_used <= NOW
    return True


def _searchable(template: Template) -> Iterable[str]:
    yield from (template.name, template.description, template.code)
    for person in (*template.signers, *template.recipients):
        yield from (person.first_name, person.last_name, person.email, person.template_role)
