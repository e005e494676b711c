"""Plain YAML, read straight from PyYAML's parser events: what a cassette is made of, twice as fast.

PyYAML's loaders build a node tree and then Python objects from it; on a large cassette that is two
thirds of the load. `load` builds the objects from the parser's events instead (libyaml's parser when
PyYAML has it), and resolves and constructs each plain scalar with the safe loader's own resolvers
and constructors, cached per distinct text. The result is what vcrpy's cassette loader (a safe loader
on libyaml) gives.

It covers one document of mappings, sequences and untagged scalars. Anything else (an explicit tag
such as ``!!binary`` or ``!!python/tuple``, an anchor or alias, a merge key, a key that is not a
scalar, a second document, a plain scalar its constructor refuses) raises `Unsupported`, and the caller
reads the text with the full loader, which gives the data, or the error, exactly as before. Malformed
YAML raises the parser's own error.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import ScalarNode

__all__ = ["Unsupported", "load"]

#: libyaml's parser when PyYAML was built with it; the resolvers and constructors are the same.
Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "str", "timestamp")
)
_NO_KEY: Any = object()


class Unsupported(Exception):
    """The text uses YAML beyond the plain subset: read it with the full loader."""


def load(text: str) -> Any:
    """The data of a single-document YAML text in the plain subset (None for an empty stream)."""
    loader = Loader(text)
    try:
        return _document(loader)
    finally:
        loader.dispose()


def _document(loader: Any) -> Any:
    get = loader.get_event
    if get().__class__ is not StreamStartEvent:  # pragma: no cover - every parser starts so
        raise Unsupported
    event = get()
    if event.__class__ is StreamEndEvent:
        return None
    if event.__class__ is not DocumentStartEvent:  # pragma: no cover - a stream holds documents
        raise Unsupported
    root = _content(loader, get)
    if get().__class__ is not DocumentEndEvent or get().__class__ is not StreamEndEvent:
        raise Unsupported  # a second document: the full loader reports it
    return root


def _content(loader: Any, get: Any) -> Any:
    """The one node of a document, built from its events."""
    plain: dict[str, Any] = {}  # plain scalar text -> its value (all immutable)
    containers: list[Any] = []  # open mappings and sequences, innermost last
    keys: list[Any] = []  # per open container: the key waiting for its value (mappings)
    while True:
        event = get()
        kind = event.__class__
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise Unsupported
            value = event.value
            if event.implicit[0]:  # plain: resolved like the safe loader does
                try:
                    value = plain[value]
                except KeyError:
                    value = plain[value] = _plain(loader, value)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                raise Unsupported
            if containers and keys[-1] is _NO_KEY and containers[-1].__class__ is dict:
                raise Unsupported  # a mapping or sequence as a key
            containers.append({} if kind is MappingStartEvent else [])
            keys.append(_NO_KEY)
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            keys.pop()
            value = containers.pop()
        else:  # an alias, or anything this subset does not know
            raise Unsupported
        if not containers:
            return value
        parent = containers[-1]
        if parent.__class__ is list:
            parent.append(value)
        elif keys[-1] is _NO_KEY:
            keys[-1] = value
        else:
            parent[keys[-1]] = value
            keys[-1] = _NO_KEY


def _plain(loader: Any, text: str) -> Any:
    tag = loader.resolve(ScalarNode, text, (True, False))
    if tag not in _PLAIN_TAGS:  # the merge key "<<" or the value key "="
        raise Unsupported
    try:
        return loader.yaml_constructors[tag](loader, ScalarNode(tag, text))
    except (ValueError, yaml.YAMLError):  # e.g. 2001-13-45: the full loader reports it, in its order
        raise Unsupported from None
