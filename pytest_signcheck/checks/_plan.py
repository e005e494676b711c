"""Walk plans derived from the shipped schemas, and who owns each annotated value.

A plan is a tree that mirrors a response: at each documented object it holds the documented
property names (for `undocumented-field`) and the annotated fields (``x-signcheck-check``:
`timestamp`, `state-enum`, `type-enum`). Deriving both from the schemas keeps one source of truth:
the dedicated checks judge exactly the strings the schema annotates (`annotated_strings`, one walk
for the three), so the schema check can leave those values to them (see `owner`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from difflib import get_close_matches
from functools import cache
from types import MappingProxyType
from typing import Any, NamedTuple

from pytest_signcheck.contract import schemas
from pytest_signcheck.contract.endpoints import WEBHOOK_PREFIX, WEBHOOK_UNDOCUMENTED, Endpoint
from pytest_signcheck.findings import pattern_of

__all__ = [
    "WEBHOOK_ENDPOINTS",
    "Annotated",
    "Node",
    "annotated",
    "annotated_strings",
    "claimed",
    "escape",
    "owner",
    "pair_renames",
    "plan",
    "renames",
    "resolve",
    "schema_of",
]

_CHECK_KEY = "x-signcheck-check"
#: Strings judged by a rule of their own where the schema pins a constant (`const`, no annotation): a
#: link response's `type` and a webhook's `action` are `schema`'s rule (`_constants`: a renamed
#: constant, or a new one), not the `const` error.
_CLAIMED: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        Endpoint.SIGN_LINK: MappingProxyType({"/type": "schema"}),
        Endpoint.EDIT_LINK: MappingProxyType({"/type": "schema"}),
        **dict.fromkeys(
            (f"WEBHOOK {action}" for action in schemas.WEBHOOK_SCHEMAS),
            MappingProxyType({"/action": "schema"}),
        ),
    }
)
#: Webhook events are judged like responses, under a label in place of an endpoint: ``WEBHOOK <action>``
#: for each documented action, ``WEBHOOK *`` for an action the docs do not list (the envelope alone).
WEBHOOK_ENDPOINTS: Mapping[str, str] = MappingProxyType(
    {
        **{WEBHOOK_PREFIX + action: name for action, name in schemas.WEBHOOK_SCHEMAS.items()},
        WEBHOOK_UNDOCUMENTED: schemas.WEBHOOK_ENVELOPE,
    }
)
_MISSING = object()


class Node:
    """One position of the response: documented names, annotated fields, children by key or ``*``."""

    __slots__ = ("annotated", "children", "names", "walk_annotated")

    def __init__(self) -> None:
        self.names: frozenset[str] | None = None
        self.annotated: dict[str, str] = {}
        self.children: dict[str, Node] = {}
        self.walk_annotated = False

    def child(self, segment: str) -> Node:
        return self.children.setdefault(segment, Node())

    def _seal(self) -> bool:
        below = [child._seal() for child in self.children.values()]
        self.walk_annotated = bool(self.annotated) or any(below)
        return self.walk_annotated


@cache
def annotated(name: str) -> Mapping[str, str]:
    """Pointer pattern of every annotated value in schema `name` -> its check id."""
    found: dict[str, str] = {}
    for pointer, node in schemas.schema_nodes(name):
        if _CHECK_KEY in node and pointer:
            found.setdefault(pointer, str(node[_CHECK_KEY]))
    return MappingProxyType(found)


def schema_of(endpoint: str) -> str | None:
    """The shipped schema of an endpoint's documented 2xx body (or of a webhook label's events)."""
    return schemas.RESPONSE_SCHEMAS.get(endpoint) or WEBHOOK_ENDPOINTS.get(endpoint)


def owner(endpoint: str, pointer: str) -> str | None:
    """The check that judges string values at `pointer`, or None when only `schema` does."""
    name = schema_of(endpoint)
    if name is None:
        return None
    pattern = pattern_of(pointer)
    return claimed(endpoint, pattern) or annotated(name).get(pattern)


def claimed(endpoint: str, pattern: str) -> str | None:
    """The check that judges strings at `pattern` although the schema does not annotate it, if any."""
    return _CLAIMED.get(endpoint, {}).get(pattern)


@cache
def plan(endpoint: str) -> Node | None:
    """The walk plan of an endpoint's 200 response, or None when no schema describes it."""
    name = schema_of(endpoint)
    if name is None:
        return None
    root = Node()
    for pattern, names in schemas.documented_properties(name).items():
        _at(root, pattern).names = names
    for pattern, check in annotated(name).items():
        parent, _, field = pattern.rpartition("/")
        _at(root, parent).annotated[_unescape(field)] = check
    root._seal()
    return root


def renames(
    endpoint: str, body: Any, errors: Iterable[schemas.SchemaError]
) -> Mapping[str, Mapping[str, str]]:
    """Renamed fields, from the schema errors of a body: the pointer of each object where a documented
    field is missing and an undocumented one appeared -> {missing field: the field in its place}.

    `schema` reports each pair as one finding; `undocumented-field` leaves the new field to it.
    """
    name = schema_of(endpoint)
    documented = schemas.documented_properties(name) if name is not None else {}
    missing: dict[str, list[str]] = {}
    for error in errors:
        if error.keyword == "required":
            parent, _, field = error.pointer.rpartition("/")
            missing.setdefault(parent, []).append(_unescape(field))
    found: dict[str, Mapping[str, str]] = {}
    for parent, fields in missing.items():
        value, names = resolve(body, parent), documented.get(pattern_of(parent))
        if isinstance(value, dict) and names is not None:
            pairs = pair_renames(fields, _appeared(value, names, fields))
            if pairs:
                found[parent] = pairs
    return MappingProxyType(found)


def _appeared(value: dict[str, Any], names: frozenset[str], missing: list[str]) -> list[str]:
    """The undocumented fields of an object, but for a near name of an optional documented field it
    lacks (`exernalId` for `externalId`): that one is its own story, told by `undocumented-field`."""
    optional = [name for name in names.difference(value) if name not in missing]
    new = [key for key in value if key not in names]
    return [key for key in new if not get_close_matches(key, optional, n=1, cutoff=0.8)]


def pair_renames(missing: list[str], appeared: list[str]) -> dict[str, str]:
    """Which new field took the place of which missing one, within one object: a near name first
    (`signerID` for `signerId`, `eventTimestamp` for `eventTime`), then the one missing field left with
    the one new field left, whatever their names (`index` for `order`). Anything else stays unpaired:
    a removal and an addition."""
    pairs: dict[str, str] = {}
    for field in missing:
        near = _nearest(field, [key for key in appeared if key not in pairs.values()])
        if near is not None:
            pairs[field] = near
    left = [field for field in missing if field not in pairs]
    free = [key for key in appeared if key not in pairs.values()]
    if len(left) == 1 and len(free) == 1:
        pairs[left[0]] = free[0]
    return pairs


def _prefixed(one: str, other: str) -> bool:
    shorter, longer = sorted((one, other), key=len)
    return len(shorter) >= 4 and longer.startswith(shorter)


def _nearest(field: str, names: list[str]) -> str | None:
    """The one of `names` that is `field` respelt (case aside, or one the other's prefix, of four
    characters or more), or the closest by `difflib` (ratio 0.8 or more)."""
    folded = field.lower()
    near = [name for name in names if _prefixed(folded, name.lower())]
    if len(near) == 1:
        return near[0]
    close = get_close_matches(field, names, n=1, cutoff=0.8)
    return close[0] if close else None


class Annotated(NamedTuple):
    """A string at an annotated position: its field name, the value, and where it is."""

    field: str
    value: str
    pointer: str


def annotated_strings(endpoint: str, body: Any) -> Mapping[str, list[Annotated]]:
    """Every string at a position the schema annotates, by the check id that judges it."""
    found: dict[str, list[Annotated]] = {}
    root = plan(endpoint)
    if root is not None and root.walk_annotated:
        _collect(root, body, "", found)
    return found


def _collect(node: Node, value: Any, pointer: str, found: dict[str, list[Annotated]]) -> None:
    if isinstance(value, dict):
        for field, check in node.annotated.items():
            item = value.get(field)
            if isinstance(item, str):
                found.setdefault(check, []).append(Annotated(field, item, f"{pointer}/{escape(field)}"))
        for key, child in node.children.items():
            if child.walk_annotated and key in value:
                _collect(child, value[key], f"{pointer}/{escape(key)}", found)
    elif isinstance(value, list):
        items = node.children.get("*")
        if items is not None and items.walk_annotated:
            for index, item in enumerate(value):
                _collect(items, item, f"{pointer}/{index}", found)


def escape(key: str) -> str:
    """One RFC 6901 reference token."""
    return key.replace("~", "~0").replace("/", "~1") if ("~" in key or "/" in key) else key


def resolve(instance: Any, pointer: str) -> Any:
    """The value at `pointer`, or a private sentinel when there is none (never raises)."""
    value = instance
    for token in _tokens(pointer):
        if isinstance(value, dict):
            value = value.get(token, _MISSING)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return _MISSING
    return value


def _at(root: Node, pattern: str) -> Node:
    node = root
    for token in _tokens(pattern):
        node = node.child(token)
    return node


def _tokens(pointer: str) -> Iterator[str]:
    if pointer:
        yield from (_unescape(token) for token in pointer[1:].split("/"))


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")
