"""Recordings as exchanges: the cassette files under the paths given, and each interaction of a cassette
at a documented endpoint as the `Exchange` a check (or a comparison of two recordings) reads.

Used by `signcheck audit` (check every interaction) and `signcheck diff` of two recordings (compare
what the API returned). Interactions with other endpoints are left out; their count is what a
cassette has beyond what `exchanges` yields.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pytest_signcheck.contract.endpoints import api_path, endpoint_for
from pytest_signcheck.errors import ConfigError
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.traffic.cassettes import Cassette

__all__ = ["SUFFIXES", "cassette_files", "exchanges"]

#: The files a folder is searched for: vcrpy writes YAML, or JSON with its JSON serializer.
SUFFIXES = (".yaml", ".yml", ".json")


def cassette_files(paths: Sequence[str], suffixes: Sequence[str] = SUFFIXES) -> list[Path]:
    """The files named, and every file with one of `suffixes` (default .yaml/.yml/.json) under the
    folders named (hidden folders skipped). A path that does not exist is a ConfigError naming it."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise ConfigError(f"{name}: no such file or folder")
        if not path.is_dir():
            found.append(path)
            continue
        for item in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in item.relative_to(path).parts)
            if item.suffix in suffixes and item.is_file() and not hidden:
                found.append(item)
    return found


def _json(content: bytes | None) -> Any:
    try:
        return json.loads(content) if content else None
    except ValueError:
        return None


def exchanges(cassette: Cassette) -> Iterator[tuple[str, Exchange]]:
    """(API-relative path, exchange) of each readable interaction at a documented endpoint, in order;
    each exchange's source is ``<cassette file name>#<interaction index>``."""
    for index, item in enumerate(cassette.interactions):
        path = api_path(item.uri)
        endpoint = endpoint_for(item.method, path)
        if endpoint is None or item.unreadable:
            continue
        headers = {name: values[0] for name, values in item.headers.items() if values}
        source = f"{cassette.path.name}#{index}"
        request = _json(item.request_body)
        yield path, Exchange.from_bytes(endpoint, item.status, item.body, headers, request, source)
