"""The shipped schemas stand alone: plain `referencing` + `jsonschema` load them from the files, with
nothing bound at run time, and every documented example validates (issue 13, point 2).

Only the first tests below read the package; the loading and validating use the files alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing
import referencing.exceptions
import referencing.jsonschema

from pytest_signcheck.contract import schemas

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "schemas"
EXAMPLES = Path(__file__).resolve().parent / "data" / "examples"
#: The vendor's API, as schemas; `report.json` beside them is the format of our own reports (tests/reports).
FILES = sorted(path for path in SCHEMAS.rglob("*.json") if path.name != "report.json")
BASE = "https://pytest-signcheck.dev/schemas/"
STATE_FILE = "package-state.json"


def name_of(path: Path) -> str:
    return path.relative_to(SCHEMAS).with_suffix("").as_posix()


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def plain_registry() -> referencing.Registry[Any]:
    """What any user can do: every file under `schemas/`, registered under its own ``$id``. Such a
    registry retrieves nothing: a reference without a file behind it is `Unresolvable`."""
    documents = [load(path) for path in FILES]
    return referencing.Registry().with_resources(
        (document["$id"], referencing.Resource.from_contents(document)) for document in documents
    )


REGISTRY = plain_registry()


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


# --- the package ships exactly these files and reads them as they are --------------------------------


def test_the_files_are_the_schemas_and_views_the_package_names() -> None:
    views = {view for per_release in schemas.RELEASE_VIEWS.values() for view in per_release.values()}
    assert {name_of(path) for path in FILES} == {*schemas.SCHEMA_NAMES, *views}
    assert sorted(uri for uri, _ in schemas.resources()) == sorted(load(path)["$id"] for path in FILES)


@pytest.mark.parametrize("path", FILES, ids=name_of)
def test_every_file_is_named_by_its_place_and_says_where_it_comes_from(path: Path) -> None:
    document = load(path)
    jsonschema.Draft202012Validator.check_schema(document)
    assert document["$id"] == BASE + path.relative_to(SCHEMAS).as_posix()
    assert document["title"] and document["description"] and document["x-docs"]


# --- plain referencing, from disk ----------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=name_of)
def test_every_ref_is_relative_and_resolves_with_the_files_alone(path: Path) -> None:
    document = load(path)
    resolver = REGISTRY.resolver(base_uri=document["$id"])
    for ref in refs(document):
        assert "://" not in ref, f"{ref}: an absolute reference would send a tool to the network"
        target = ref.partition("#")[0]
        if target:
            assert (path.parent / target).resolve().is_file(), f"{ref}: no file behind it"
        resolver.lookup(ref)  # raises Unresolvable otherwise


def test_the_default_state_file_holds_the_4_0_states() -> None:
    assert load(SCHEMAS / STATE_FILE)["$ref"] == "package-states.json#/$defs/4.0"
    states = REGISTRY.resolver().lookup(BASE + "package-states.json#/$defs/4.0").contents["enum"]
    assert set(states) == {"draft", "open", "executed", "expired", "rescinded", "select", "add"}
    status = jsonschema.Draft202012Validator(load(SCHEMAS / "package-status.json"), registry=REGISTRY)
    body = load(EXAMPLES / "package-status" / "status-page.json")
    assert status.is_valid({**body, "state": "executed"})
    assert not status.is_valid({**body, "state": "voided"})


EXAMPLE_FILES = sorted(EXAMPLES.glob("*/*.json"))


def validator(name: str) -> Any:
    return jsonschema.Draft202012Validator(load(SCHEMAS / f"{name}.json"), registry=REGISTRY)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_documented_example_validates_with_plain_jsonschema(path: Path) -> None:
    instance = load(path)
    errors = [error.message for error in validator(path.parent.name).iter_errors(instance)]
    assert errors == []


def test_every_schema_with_a_response_or_request_has_an_example() -> None:
    named = {
        *schemas.RESPONSE_SCHEMAS.values(),
        *schemas.REQUEST_SCHEMAS.values(),
        *schemas.WEBHOOK_SCHEMAS.values(),
        schemas.WEBHOOK_ENVELOPE,
        schemas.ERROR_SCHEMA,
    }
    undocumented = {"events-endpoints-set.response"}  # the docs give no example (DECISIONS.md, W2)
    assert named - undocumented <= {path.parent.name for path in EXAMPLE_FILES}


# --- the 3.6 view: files of its own, no binding ----------------------------------------------------------


def state_positions(name: str) -> set[str]:
    """Pointer patterns where schema `name` holds a package state (as the package walks schemas)."""
    return {
        pointer
        for pointer, node in schemas.schema_nodes(name)
        if str(node.get("$ref", "")).endswith(STATE_FILE)
    }


def narrowed_positions(view: str) -> set[str]:
    return {
        pointer
        for pointer, node in schemas.schema_nodes(view)
        if node.get("$ref") == "../package-states.json#/$defs/3.6"
    }


@pytest.mark.parametrize("name", schemas.SCHEMA_NAMES)
def test_the_3_6_view_narrows_every_package_state_of_every_schema(name: str) -> None:
    positions = state_positions(name)
    view = schemas.RELEASE_VIEWS["3.6"].get(name)
    if not positions:
        assert view is None
        return
    assert view is not None, f"{name} holds a package state at {positions} but has no 3.6 view"
    assert narrowed_positions(view) == positions


def set_everywhere(node: Any, tokens: list[str], value: Any) -> int:
    """Set `value` at every place the pointer pattern `tokens` (``*``: any item) reaches; how many."""
    head, rest = tokens[0], tokens[1:]
    if head == "*":
        children = list(range(len(node))) if isinstance(node, list) else []
    else:
        children = [head] if isinstance(node, dict) and head in node else []
    if not rest:
        for key in children:
            node[key] = value
        return len(children)
    return sum(set_everywhere(node[key], rest, value) for key in children)


@pytest.mark.parametrize("name", sorted(schemas.RELEASE_VIEWS["3.6"]))
def test_the_3_6_view_refuses_the_4_0_states_with_plain_jsonschema(name: str) -> None:
    plain_40, plain_36 = validator(name), validator(schemas.RELEASE_VIEWS["3.6"][name])
    exercised = 0
    for path in sorted((EXAMPLES / name).glob("*.json")):
        for pattern in state_positions(name):
            for state, in_36 in (("open", True), ("executed", False), ("expired", False)):
                instance = load(path)
                if not set_everywhere(instance, pattern.strip("/").split("/"), state):
                    continue
                exercised += 1
                assert plain_40.is_valid(instance)
                assert plain_36.is_valid(instance) is in_36, (path.name, pattern, state)
    assert exercised, f"no example of {name} has a package state to try"
