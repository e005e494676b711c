"""Request bodies for ``POST /packages/list``, drawn from its documented request schema (needs Hypothesis,
which the ``[schemathesis]`` extra brings).

What ``pytest --signcheck --signcheck-explore N`` sends. The schema (``packages-list.request``, in the
release's view) says which fields there are, their JSON types, which may be null, and the values
`types` and `states` take (release 3.6 never asks for ``executed``). What it cannot say is chosen here,
each for a reason, so that every body asks something the checks can judge in the response:

- numbers are whole and bounded (`NUMBERS`): the docs call them numbers, but a fraction or a count in
  the billions says nothing about the filters, and a `skip` past the last package gives an empty page,
  which says nothing either; ``take: 0`` and ``days: 0`` are left out, their meaning is open (no page,
  or the default? no window, or today?); `days` reaches 90 days ahead (documented: the next N days) and
  30 behind (a guess, judged as info), so the documented meaning is asked three times in four;
- a list of `types` or `states` holds one to three distinct values (an empty list's meaning is open);
- `sortBy` is ``created`` (the docs' value) or ``name`` (a guess, which the checks judge as info);
- `search` is one letter with the documented ``*`` wildcard, so it matches something in most
  organisations (a longer prefix mostly empties the page, and an empty page shows no filter);
- ids (`LEFT_OUT`) are never sent: an invented ``memberId`` or ``folderId`` lists nothing, and a
  ``teamId`` the key's member is not in is refused (403), which would end the run as could-not-check.

Every body leads with one field (set, never null) and adds up to `MAX_FIELDS` - 1 others, each null
about one time in five (the docs' example sends null for unused filters). The leads take turns, in the
order of `fields`: the first bodies ask each field on its own, so any N of at least ``len(fields)``
asks every documented filter, and no filter is left to chance. Every body is valid against the schema.

`draw` gives the same bodies, in the same order, for the same count, seed, release and Hypothesis
version, on any machine. Schemathesis, run on ``schemas/openapi.yaml``, draws bodies of its own from the
same schema (ids, fractions and zeros included); its hooks judge them with the same checks.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterator, Mapping
from itertools import zip_longest
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st

from pytest_signcheck.contract import schemas

__all__ = ["LEFT_OUT", "MAX_FIELDS", "NUMBERS", "SCHEMA", "draw", "fields", "list_bodies"]

#: The documented request schema the bodies are drawn from.
SCHEMA = "packages-list.request"
#: Fields never sent: ids of things the exploration does not know.
LEFT_OUT = frozenset({"memberId", "teamId", "folderId"})
#: Number fields: whole numbers within these bounds (both included), 0 left out.
NUMBERS: Mapping[str, tuple[int, int]] = {"take": (1, 50), "skip": (0, 50), "days": (-30, 90)}
_STRINGS: Mapping[str, st.SearchStrategy[str]] = {
    "sortBy": st.sampled_from(("created", "name")),
    "search": st.text(string.ascii_letters, min_size=1, max_size=1).map(lambda prefix: prefix + "*"),
}
#: The order the leads take turns in: the filters the checks judge first, then paging, then scope.
_LEADS = ("states", "types", "isExecuted", "days", "sortBy", "take", "skip", "search", "allMembers")
#: No more than this many fields in one body: each filter narrows the page, and an empty page shows
#: nothing about any filter.
MAX_FIELDS = 3
#: No more than this many values in a `types` or `states` filter.
MAX_VALUES = 3
#: Draws per body asked for: repeats are skipped, so `draw` needs a few more draws than bodies.
DRAWS_PER_EXAMPLE = 3
#: A field that may be null is null about one time in this many.
NULL_ONE_IN = 5

_Fields = dict[str, tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]]


def fields(api_version: str = "4.0") -> tuple[str, ...]:
    """The fields the bodies set, in the order they lead."""
    return tuple(_fields(api_version))


def list_bodies(api_version: str = "4.0", lead: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Bodies for ``POST /packages/list`` in release `api_version` (see the module's docstring) that set
    `lead` (any field, when None)."""
    known = _fields(api_version)
    if lead is None:
        return st.sampled_from(tuple(known)).flatmap(lambda name: list_bodies(api_version, name))
    others = tuple(name for name in known if name != lead)
    picked = st.tuples(st.permutations(others), st.integers(0, MAX_FIELDS - 1))
    names = picked.map(lambda chosen: sorted((lead, *chosen[0][: chosen[1]])))
    return names.flatmap(
        lambda chosen: st.fixed_dictionaries(
            {name: known[name][0] if name == lead else known[name][1] for name in chosen}
        )
    )


def draw(examples: int, seed_value: int, api_version: str = "4.0") -> list[dict[str, Any]]:
    """The first `examples` distinct bodies for this seed, in order, the leads taking turns.

    Each lead's bodies come from one Hypothesis run derandomised by the seed, without an example
    database or shrinking, and whatever Hypothesis profile the caller loaded (`parent` is Hypothesis's
    own default). Hypothesis starts from the simplest body (the lead alone) and grows it; a repeat is
    skipped (it would ask the API nothing new).
    """
    leads = fields(api_version)
    share = -(-examples // len(leads)) + 1  # one spare per lead, for repeats across leads
    columns = [_run(list_bodies(api_version, lead), share, seed_value) for lead in leads]
    drawn: dict[str, dict[str, Any]] = {}
    for body in (body for row in zip_longest(*columns) for body in row if body is not None):
        drawn.setdefault(json.dumps(body, sort_keys=True), body)
    return list(drawn.values())[:examples]


def _run(strategy: st.SearchStrategy[dict[str, Any]], examples: int, seed_value: int) -> list[dict[str, Any]]:
    """The first `examples` distinct bodies one seeded Hypothesis run generates from `strategy`."""
    drawn: dict[str, dict[str, Any]] = {}

    @seed(seed_value)
    @settings(
        parent=settings.get_profile("default"),
        max_examples=examples * DRAWS_PER_EXAMPLE,
        database=None,
        derandomize=False,
        phases=(Phase.generate,),
        deadline=None,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        print_blob=False,
    )
    @given(strategy)
    def collect(body: dict[str, Any]) -> None:
        if len(drawn) < examples:
            drawn.setdefault(json.dumps(body, sort_keys=True), body)

    collect()
    return list(drawn.values())


def _fields(api_version: str) -> _Fields:
    """Per field the bodies set, in lead order: its values, and its values or null."""
    found: _Fields = {}
    properties = _properties(api_version)
    for name in sorted(
        properties, key=lambda name: (name not in _LEADS, _LEADS.index(name) if name in _LEADS else 0, name)
    ):
        values = _values(name, properties[name])
        if name not in LEFT_OUT and values is not None:
            found[name] = (
                values,
                _nullable(values) if "null" in properties[name].get("type", ()) else values,
            )
    return found


def _values(name: str, node: Mapping[str, Any]) -> st.SearchStrategy[Any] | None:
    """A field's values: its JSON type narrowed as the module says (None: a field not sent)."""
    types = set(node.get("type", ()))
    if "array" in types and node.get("enum"):
        return st.lists(st.sampled_from(node["enum"]), min_size=1, max_size=MAX_VALUES, unique=True)
    if "boolean" in types:
        return st.sampled_from((True, False))
    if "number" in types and name in NUMBERS:
        return _whole(name)
    if "string" in types and name in _STRINGS:
        return _STRINGS[name]
    return None


def _nullable(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`values`, or null one time in NULL_ONE_IN (the last choice, so Hypothesis's simplest is a value)."""
    last = NULL_ONE_IN - 1
    return st.sampled_from(range(NULL_ONE_IN)).flatmap(lambda n: st.none() if n == last else values)


def _whole(name: str) -> st.SearchStrategy[int]:
    """A whole number within `NUMBERS[name]`; never 0 for `take` and `days`, whose 0 means nothing
    documented (`skip: 0` is the first page)."""
    low, high = NUMBERS[name]
    values = st.integers(low, high)
    return values if name == "skip" else values.filter(bool)


def _properties(api_version: str) -> dict[str, dict[str, Any]]:
    """Per top-level property: the JSON types every subschema allows there (``$ref``s followed, so a
    release view narrows), and for an array, the values every subschema of its items allows."""
    root = schemas.load_schema(schemas.schema_for(SCHEMA, api_version))
    resolver = schemas.registry(api_version).resolver(base_uri=str(root["$id"]))
    found: dict[str, dict[str, Any]] = {}
    for pointer, node in _nodes(root, resolver, ""):
        name, _, rest = pointer.lstrip("/").partition("/")
        if not name or rest not in ("", "*"):
            continue
        entry = found.setdefault(name, {})
        key, value = ("type", node.get("type")) if not rest else ("enum", node.get("enum"))
        if value is not None:
            allowed = {value} if isinstance(value, str) else set(value)
            entry[key] = allowed if key not in entry else entry[key] & allowed
    return {name: _ordered(entry) for name, entry in found.items()}


def _ordered(entry: dict[str, Any]) -> dict[str, Any]:
    """Sets as sorted tuples: the same order on every machine, whatever the hash seed."""
    return {key: tuple(sorted(values)) for key, values in entry.items()}


def _nodes(node: Any, resolver: Any, pointer: str, depth: int = 0) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every subschema under `node` down to a field's items, with its instance pointer (``*``: an array
    item), ``$ref`` followed."""
    if not isinstance(node, Mapping) or pointer.count("/") > 2 or depth > 16:
        return
    yield pointer, node
    if "$ref" in node:
        resolved = resolver.lookup(node["$ref"])
        yield from _nodes(resolved.contents, resolved.resolver, pointer, depth + 1)
    for name, sub in node.get("properties", {}).items():
        yield from _nodes(sub, resolver, f"{pointer}/{name}", depth + 1)
    yield from _nodes(node.get("items"), resolver, f"{pointer}/*", depth + 1)
