"""Request bodies for ``POST /packages/list``, drawn from its documented request schema (needs Hypothesis,
which the ``[schemathesis]`` extra brings).

What ``pytest --signcheck --signcheck-explore N`` sends, and what Schemathesis sends for that operation
with ``hooks = "pytest_signcheck.schemathesis"``. The schema (``packages-list.request``, in the release's
view) says which fields there are, their JSON types, which may be null, and the values `types` and
`states` take (release 3.6 never asks for ``executed``). What it cannot say is chosen here, each for a
reason, so that every body asks something the checks can judge in the response:

- numbers are whole and bounded (`NUMBERS`): the docs call them numbers, but a fraction or a count in
  the billions says nothing about the filters; ``take: 0`` and ``days: 0`` are left out, their meaning is
  open (no page, or the default? no window, or today?);
- a list of `types` or `states` holds one to three distinct values (an empty list's meaning is open);
- `sortBy` is ``created`` (the docs' value) or ``name`` (a guess, which the checks judge as info);
- `search` is a prefix of one to three letters with the documented ``*`` wildcard, so it matches
  something in most organisations;
- ids (`LEFT_OUT`) are never sent: an invented ``memberId`` or ``folderId`` lists nothing, and a
  ``teamId`` the key's member is not in is refused (403), which would end the run as could-not-check.

Every field is optional and, where the schema allows it, null about one time in five (the docs'
example sends null for unused filters; a null filter asks nothing, so it gets fewer examples). Every
body is valid against the schema. `draw` gives the same bodies, in the same order, for the same
count, seed, release and Hypothesis version, on any machine.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterator, Mapping
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st

from pytest_signcheck.contract import schemas

__all__ = ["LEFT_OUT", "NUMBERS", "SCHEMA", "draw", "list_bodies"]

#: The documented request schema the bodies are drawn from.
SCHEMA = "packages-list.request"
#: Fields never sent: ids of things the exploration does not know.
LEFT_OUT = frozenset({"memberId", "teamId", "folderId"})
#: Number fields: whole numbers within these bounds (both included), 0 left out.
NUMBERS: Mapping[str, tuple[int, int]] = {"take": (1, 50), "skip": (0, 100), "days": (-90, 90)}
_STRINGS: Mapping[str, st.SearchStrategy[str]] = {
    "sortBy": st.sampled_from(("created", "name")),
    "search": st.text(string.ascii_letters, min_size=1, max_size=3).map(lambda prefix: prefix + "*"),
}
#: No more than this many fields in one body: each filter narrows the page, and an empty page shows
#: nothing about any filter.
MAX_FIELDS = 4
#: No more than this many values in a `types` or `states` filter.
MAX_VALUES = 3
#: Draws per body asked for: repeats are skipped, so `draw` needs a few more draws than bodies.
DRAWS_PER_EXAMPLE = 3
#: A field that may be null is null about one time in this many.
NULL_ONE_IN = 5


def list_bodies(api_version: str = "4.0") -> st.SearchStrategy[dict[str, Any]]:
    """Bodies for ``POST /packages/list`` in release `api_version` (see the module's docstring)."""
    fields = {
        name: strategy
        for name, node in sorted(_properties(api_version).items())
        if name not in LEFT_OUT and (strategy := _strategy(name, node)) is not None
    }
    names = st.lists(st.sampled_from(sorted(fields)), unique=True, max_size=MAX_FIELDS)
    return names.flatmap(lambda chosen: st.fixed_dictionaries({name: fields[name] for name in sorted(chosen)}))


def draw(examples: int, seed_value: int, api_version: str = "4.0") -> list[dict[str, Any]]:
    """The first `examples` distinct bodies for this seed, in order.

    Derandomised by the seed, without an example database or shrinking, and whatever Hypothesis profile
    the caller loaded (`parent` is Hypothesis's own default). Hypothesis may draw a body twice; a repeat
    is skipped (it would ask the API nothing new), from a budget of `DRAWS_PER_EXAMPLE` draws per body.
    """
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
    @given(list_bodies(api_version))
    def collect(body: dict[str, Any]) -> None:
        if len(drawn) < examples:
            drawn.setdefault(json.dumps(body, sort_keys=True), body)

    collect()
    return list(drawn.values())


def _strategy(name: str, node: Mapping[str, Any]) -> st.SearchStrategy[Any] | None:
    """A field's values: its JSON type narrowed as the module says; null too where the schema allows."""
    types = set(node.get("type", ()))
    values: st.SearchStrategy[Any] | None = None
    if "array" in types and node.get("enum"):
        values = st.lists(st.sampled_from(node["enum"]), min_size=1, max_size=MAX_VALUES, unique=True)
    elif "boolean" in types:
        values = st.sampled_from((True, False))
    elif "number" in types and name in NUMBERS:
        values = _whole(name)
    elif "string" in types and name in _STRINGS:
        values = _STRINGS[name]
    if values is None or "null" not in types:
        return values
    # null one time in NULL_ONE_IN (the last choice, so that Hypothesis's simplest body has values)
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
