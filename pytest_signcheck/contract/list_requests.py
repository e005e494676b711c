"""Request bodies for ``POST /packages/list``, drawn at random from its documented request schema.

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
one time in `NULL_ONE_IN` (the docs' example sends null for unused filters). The leads take turns, in
the order of `fields`: body i sets field i (modulo their number), so any N of at least ``len(fields)``
asks every documented filter, and no filter is left to chance. Every body is valid against the schema.

The draws come from Python's `random.Random` seeded with the seed, nothing else: the same count, seed
and release give the same bodies, in the same order, on any machine, in any process (Hypothesis's
engine was tried and left: it mixes constants from whichever local modules the process has loaded into
its draws, so a recording made under one pytest run did not replay under another). Schemathesis, run
on ``schemas/openapi.yaml``, draws bodies of its own from the same schema (ids, fractions and zeros
included); its hooks judge them with the same checks.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable, Mapping
from functools import partial
from random import Random
from typing import Any

from pytest_signcheck.contract import schemas

__all__ = ["LEFT_OUT", "MAX_FIELDS", "NUMBERS", "SCHEMA", "draw", "fields"]

#: The documented request schema the bodies are drawn from.
SCHEMA = "packages-list.request"
#: Fields never sent: ids of things the exploration does not know.
LEFT_OUT = frozenset({"memberId", "teamId", "folderId"})
#: Number fields: whole numbers within these bounds (both included), 0 left out.
NUMBERS: Mapping[str, tuple[int, int]] = {"take": (1, 50), "skip": (0, 50), "days": (-30, 90)}
#: String fields: the values drawn from.
STRINGS: Mapping[str, tuple[str, ...]] = {
    "sortBy": ("created", "name"),
    "search": tuple(letter + "*" for letter in string.ascii_letters),
}
#: The order the leads take turns in: the filters the checks judge first, then paging, then scope.
_LEADS = ("states", "types", "isExecuted", "days", "sortBy", "take", "skip", "search", "allMembers")
#: No more than this many fields in one body: each filter narrows the page, and an empty page shows
#: nothing about any filter.
MAX_FIELDS = 3
#: No more than this many values in a `types` or `states` filter.
MAX_VALUES = 3
#: A field that may be null is null one time in this many.
NULL_ONE_IN = 5
#: Draws per body asked for: a repeat is drawn again, up to this many times per body.
DRAWS_PER_EXAMPLE = 3

#: One field's value from the random source.
Value = Callable[[Random], Any]


def fields(api_version: str = "4.0") -> tuple[str, ...]:
    """The fields the bodies set, in the order they lead."""
    return tuple(_fields(api_version))


def draw(examples: int, seed_value: int, api_version: str = "4.0") -> list[dict[str, Any]]:
    """The first `examples` distinct bodies for this seed, in order, the leads taking turns.

    A body drawn twice is skipped (it would ask the API nothing new); after `DRAWS_PER_EXAMPLE` draws
    per body asked for, fewer bodies are returned (only a very large N gets there).
    """
    known = _fields(api_version)
    leads = tuple(known)
    source = Random(seed_value)
    drawn: dict[str, dict[str, Any]] = {}
    for _ in range(examples * DRAWS_PER_EXAMPLE):
        if len(drawn) == examples:
            break
        body = _body(source, known, leads[len(drawn) % len(leads)])
        drawn.setdefault(json.dumps(body, sort_keys=True), body)
    return list(drawn.values())


def _body(source: Random, known: Mapping[str, tuple[Value, bool]], lead: str) -> dict[str, Any]:
    """One body: `lead` set, and up to MAX_FIELDS - 1 other fields, each null now and then if it may be."""
    others = source.sample([name for name in known if name != lead], source.randint(0, MAX_FIELDS - 1))
    body = {lead: known[lead][0](source)}
    for name in others:
        value, nullable = known[name]
        body[name] = None if nullable and source.randrange(NULL_ONE_IN) == 0 else value(source)
    return dict(sorted(body.items()))


def _fields(api_version: str) -> dict[str, tuple[Value, bool]]:
    """Per field the bodies set, in lead order: how its value is drawn, and whether it may be null."""
    found: dict[str, tuple[Value, bool]] = {}
    properties = _properties(api_version)
    for name in sorted(properties, key=lambda name: (*_LEADS, name).index(name)):
        value = _value(name, properties[name])
        if name not in LEFT_OUT and value is not None:
            found[name] = (value, "null" in properties[name].get("type", ()))
    return found


def _value(name: str, node: Mapping[str, Any]) -> Value | None:
    """How a field's value is drawn: its JSON type narrowed as the module says (None: not sent)."""
    types = set(node.get("type", ()))
    if "array" in types and node.get("enum"):
        return partial(_some, tuple(node["enum"]))
    if "boolean" in types:
        return partial(Random.choice, seq=(True, False))
    if "number" in types and name in NUMBERS:
        return partial(_whole, NUMBERS[name], name == "skip")
    if "string" in types and name in STRINGS:
        return partial(Random.choice, seq=STRINGS[name])
    return None


def _some(values: tuple[str, ...], source: Random) -> list[str]:
    """One to MAX_VALUES distinct values, in the order drawn."""
    return source.sample(values, source.randint(1, min(MAX_VALUES, len(values))))


def _whole(bounds: tuple[int, int], zero: bool, source: Random) -> int:
    """A whole number within `bounds`; 0 only when `zero` (`skip: 0` is the first page; `take: 0` and
    `days: 0` mean nothing documented)."""
    number = source.randint(*bounds)
    while number == 0 and not zero:
        number = source.randint(*bounds)
    return number


def _properties(api_version: str) -> dict[str, dict[str, Any]]:
    """Per top-level property: the JSON types every subschema allows there (``$ref``s followed, so a
    release view narrows), and for an array, the values every subschema of its items allows."""
    found: dict[str, dict[str, Any]] = {}
    for pointer, node in schemas.schema_nodes(schemas.schema_for(SCHEMA, api_version)):
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
