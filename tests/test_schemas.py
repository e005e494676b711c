"""The shipped JSON Schemas and the schema API: vendor examples pass, drift fails at the right pointer."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
import referencing.exceptions

from pytest_signcheck.contract import schemas
from pytest_signcheck.contract._schema_errors import schema_errors
from pytest_signcheck.contract.endpoints import API_VERSIONS, ENDPOINTS
from pytest_signcheck.contract.schemas import SchemaError
from pytest_signcheck.errors import ConfigError
from pytest_signcheck.findings import CHECK_IDS

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = Path(__file__).resolve().parent / "data" / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*/*.json"))
STATUS = "package-status"


def example(path: str) -> Any:
    return json.loads((EXAMPLES / path).read_text(encoding="utf-8"))


def status_example() -> dict[str, Any]:
    data: dict[str, Any] = example("package-status/status-page.json")
    return data


def errors_of(name: str, instance: Any, version: str = "4.0") -> list[SchemaError]:
    """Detailed errors, after checking that the fast path agrees."""
    errors = list(schemas.iter_schema_errors(name, instance, version))
    assert schemas.is_valid(name, instance, version) is (not errors), errors
    return errors


def all_subschemas(node: Any, parent_key: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (key it sits under, subschema) in a schema document."""
    if isinstance(node, dict):
        yield parent_key, node
        for key, value in node.items():
            yield from all_subschemas(value, key)
    elif isinstance(node, list):
        for item in node:
            yield from all_subschemas(item, parent_key)


# --- the files themselves --------------------------------------------------------------------------


@pytest.mark.parametrize("name", schemas.SCHEMA_NAMES)
def test_schema_is_valid_against_its_metaschema(name: str) -> None:
    schema = schemas.load_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema_rs.meta.validate(dict(schema))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", schemas.SCHEMA_NAMES)
def test_schema_header_names_its_source(name: str) -> None:
    schema = schemas.load_schema(name)
    assert schema["$id"] == f"https://pytest-signcheck.dev/schemas/{name}.json"
    assert schema["title"]
    assert schema["description"]
    assert re.fullmatch(r"https://docs\.iinkedsign\.com/v4/[a-z0-9/-]+", schema["x-docs"])


@pytest.mark.parametrize("name", schemas.SCHEMA_NAMES)
def test_every_property_says_what_the_vendor_documents(name: str) -> None:
    for key, subschema in all_subschemas(schemas.load_schema(name)):
        if key == "properties":
            continue
        for prop, prop_schema in subschema.get("properties", {}).items():
            assert prop_schema.get("description"), f"{name}: property {prop!r} has no description"


@pytest.mark.parametrize("name", schemas.SCHEMA_NAMES)
def test_undocumented_fields_are_never_a_schema_failure(name: str) -> None:
    for _, subschema in all_subschemas(schemas.load_schema(name)):
        assert subschema.get("additionalProperties", True) is not False
        assert "unevaluatedProperties" not in subschema
        assert subschema.get(schemas.CHECK_KEY, "schema") in CHECK_IDS


def test_schema_names_are_the_shipped_files() -> None:
    vendor = [
        p.stem for p in (REPO / "schemas").glob("*.json") if p.name != "report.json"
    ]  # ours: tests/reports
    assert sorted(schemas.SCHEMA_NAMES) == sorted(vendor)
    shipped = Path(str(schemas.schemas_path()))  # the checkout's folder, or the wheel's copy of it
    for source in (REPO / "schemas").glob("*.json"):
        assert (shipped / source.name).read_bytes() == source.read_bytes()


def test_every_documented_endpoint_has_a_response_schema() -> None:
    assert set(schemas.RESPONSE_SCHEMAS) == set(ENDPOINTS)
    assert set(schemas.REQUEST_SCHEMAS) <= set(ENDPOINTS)
    used = {*schemas.RESPONSE_SCHEMAS.values(), *schemas.REQUEST_SCHEMAS.values(), schemas.ERROR_SCHEMA}
    assert used <= set(schemas.SCHEMA_NAMES)


def test_inferred_constraints_are_not_enforced() -> None:
    status = status_example()
    status["packageId"] = "not-a-guid"
    assert errors_of(STATUS, status) == []
    assert errors_of("error", {"error": "Not Snake Case", "message": ""}) == []


# --- the vendor's documented examples ----------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_documented_example_validates(path: Path) -> None:
    instance = json.loads(path.read_text(encoding="utf-8"))
    assert errors_of(path.parent.name, instance, "4.0") == []
    errors_of(path.parent.name, instance, "3.6")  # both paths must agree under 3.6 as well


@pytest.mark.parametrize(
    ("name", "instance"),
    [
        pytest.param("packages-ref.response", {"packageId": 1}, id="ref-id-not-string"),
        pytest.param("error", {"error": "package_not_found"}, id="error-without-message"),
        pytest.param("files-upload.response", {}, id="upload-empty-body"),
        pytest.param("files-upload.response", {"fileId": "x", "fileName": "a.pdf"}, id="upload-half-flat"),
        pytest.param("packages-add.request", {"name": "x"}, id="add-without-type"),
        pytest.param("packages-add.response", {"packageId": "x", "package": "x"}, id="add-package-string"),
        pytest.param("packages-delete.response", {"packageId": "x"}, id="delete-without-videos"),
    ],
)
def test_small_shapes_reject_drift(name: str, instance: Any) -> None:
    assert errors_of(name, instance)


# --- hand-made drift of the status example -------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(pointer: str, value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in pointer.strip("/").split("/")]
        target: Any = doc
        for part in parents:
            target = target[part]
        target[last] = value

    return mutate


def _rename(pointer: str, new: str) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in pointer.strip("/").split("/")]
        target: Any = doc
        for part in parents:
            target = target[part]
        target[new] = target.pop(last)

    return mutate


def _delete(pointer: str) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in pointer.strip("/").split("/")]
        target: Any = doc
        for part in parents:
            target = target[part]
        del target[last]

    return mutate


REV = "/documents/0/revisions/0"
LINK = "/signers/0/links/0"
EXPIRES = f"{LINK}/timeExpires"
DRIFT = [
    ("renamed-signerId", _rename("/signers/0/signerId", "signerID"), "/signers/0/signerId", "required"),
    ("renamed-fileName", _rename("/documents/0/fileName", "filename"), "/documents/0/fileName", "required"),
    ("missing-isExecuted", _delete("/isExecuted"), "/isExecuted", "required"),
    ("missing-signers", _delete("/signers"), "/signers", "required"),
    ("missing-revisionId", _delete(f"{REV}/revisionId"), f"{REV}/revisionId", "required"),
    ("missing-link-token", _delete("/signers/0/links/0/token"), "/signers/0/links/0/token", "required"),
    ("missing-signLink-token", _delete("/signers/0/signLink/token"), "/signers/0/signLink/token", "required"),
    ("isExecuted-as-string", _set("/isExecuted", "false"), "/isExecuted", "type"),
    ("isSigned-as-string", _set(f"{REV}/isSigned", "false"), f"{REV}/isSigned", "type"),
    ("order-as-string", _set("/documents/0/order", "0"), "/documents/0/order", "type"),
    ("packageId-as-number", _set("/packageId", 7), "/packageId", "type"),
    ("name-null", _set("/name", None), "/name", "type"),
    ("mobileNumber-null", _set("/signers/0/mobileNumber", None), "/signers/0/mobileNumber", "type"),
    ("revisions-null", _set("/documents/0/revisions", None), "/documents/0/revisions", "type"),
    ("documents-as-object", _set("/documents", {"documentId": "x"}), "/documents", "type"),
    ("links-as-object", _set("/signers/0/links", {"token": "x"}), "/signers/0/links", "type"),
    ("signLink-as-string", _set("/signers/0/signLink", "https://x/link/abc"), "/signers/0/signLink", "type"),
    ("externalData-as-string", _set("/externalData", "{}"), "/externalData", "type"),
    ("type-lower-cased", _set("/type", "sequential"), "/type", "enum"),
    ("type-Live-session", _set("/type", "Live session"), "/type", "enum"),
    ("type-dashed", _set("/type", "video-closing-room"), "/type", "enum"),
    ("state-Open", _set("/state", "Open"), "/state", "enum"),
    ("state-unknown", _set("/state", "archived"), "/state", "enum"),
    ("timeSignBy-date-only", _set("/timeSignBy", "2022-03-02"), "/timeSignBy", "pattern"),
    ("timeSignBy-space", _set("/timeSignBy", "2022-03-02 20:08:41Z"), "/timeSignBy", "pattern"),
    ("timeSignBy-8-digits", _set("/timeSignBy", "2022-03-02T20:08:41.12345678Z"), "/timeSignBy", "pattern"),
    ("timeSignBy-no-zone", _set("/timeSignBy", "2022-03-02T20:08:41"), "/timeSignBy", "pattern"),
    ("timeSignBy-null", _set("/timeSignBy", None), "/timeSignBy", "type"),
    ("timeExpires-no-zone", _set(EXPIRES, "2022-03-02T20:08:41.261"), EXPIRES, "pattern"),
    ("root-is-a-list", lambda doc: None, "", "type"),
]  # fmt: skip


@pytest.mark.parametrize(("mutate", "pointer", "keyword"), [d[1:] for d in DRIFT], ids=[d[0] for d in DRIFT])
def test_status_drift_fails_at_the_right_pointer(mutate: Mutation, pointer: str, keyword: str) -> None:
    doc = status_example()
    mutate(doc)
    instance: Any = [doc] if pointer == "" else doc
    errors = errors_of(STATUS, instance)
    assert [(e.pointer, e.keyword) for e in errors] == [(pointer, keyword)]
    expected_check = {"/type": "type-enum", "/state": "state-enum"}.get(pointer, "schema")
    if keyword == "pattern" or pointer == "/timeSignBy":
        expected_check = "timestamp"
    assert errors[0].check == expected_check


def test_executed_is_a_4_0_state_only() -> None:
    doc = status_example()
    for state in ("executed", "expired"):
        doc["state"] = state
        assert errors_of(STATUS, doc, "4.0") == []
        (error,) = errors_of(STATUS, doc, "3.6")
        assert (error.pointer, error.keyword, error.check) == ("/state", "enum", "state-enum")
        assert not schemas.validator_for(STATUS, api_version="3.6").is_valid(doc)


TOLERATED = [
    ("timeSignBy-3-digits", _set("/timeSignBy", "2022-03-02T20:08:41.261Z")),
    ("timeSignBy-7-digits", _set("/timeSignBy", "2021-08-10T15:40:51.7746401Z")),
    ("timeSignBy-offset", _set("/timeSignBy", "2022-03-02T20:08:41.1234567+05:30")),
    ("externalId-spelled-right", _rename("/documents/0/exernalId", "externalId")),
    ("externalId-string", _set("/documents/0/externalId", "crm-42")),
    ("no-externalId-at-all", _delete("/documents/0/exernalId")),
    ("externalData-object", _set("/externalData", {"internalId": "12345"})),
    ("links-absent", _delete("/signers/0/links")),
    ("links-null", _set("/signers/0/links", None)),
    ("links-empty", _set("/signers/0/links", [])),
    ("signLink-absent", _delete("/signers/0/signLink")),
    ("signLink-null", _set("/signers/0/signLink", None)),
    ("meetingLink-absent", _delete("/signers/0/meetingLink")),
    ("revision-link-absent", _delete("/documents/0/revisions/0/link")),
    ("revision-link-null", _set("/documents/0/revisions/0/link", None)),
    ("fileId-string", _set("/documents/0/fileId", "51400d7a-4f34-4844-9138-46a365130f97")),
    ("undocumented-field", _set("/newField", {"anything": True})),
    ("link-type-unlisted", _set("/signers/0/links/0/type", "meeting")),
    ("order-as-float", _set("/signers/0/order", 1.0)),
    ("state-expired", _set("/state", "expired")),
]


@pytest.mark.parametrize("mutate", [t[1] for t in TOLERATED], ids=[t[0] for t in TOLERATED])
def test_status_tolerates_what_the_docs_leave_open(mutate: Mutation) -> None:
    doc = status_example()
    mutate(doc)
    assert errors_of(STATUS, doc) == []


# --- generated negatives: every required field and every enum -----------------------------------------


def _walk(schema: Any, resolver: Any, instance: Any, path: tuple[Any, ...]) -> Iterator[tuple[str, Any]]:
    """(kind, detail) for every `required` name and `enum` the instance actually exercises."""
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        yield from _walk(resolved.contents, resolved.resolver, instance, path)
    if "enum" in schema and instance in schema["enum"]:
        yield "enum", (path, id(schema), schema["enum"])
    if isinstance(instance, dict):
        for prop in schema.get("required", []):
            if prop in instance:
                yield "required", (path, id(schema), prop)
        for prop, sub in schema.get("properties", {}).items():
            if prop in instance:
                yield from _walk(sub, resolver, instance[prop], (*path, prop))
    if isinstance(instance, list) and "items" in schema:
        for index, item in enumerate(instance):
            yield from _walk(schema["items"], resolver, item, (*path, index))
    for sub in schema.get("anyOf", []):
        yield from _walk(sub, resolver, instance, path)
    if "if" in schema and isinstance(instance, dict):
        chosen = "then" if any(set(b["required"]) <= set(instance) for b in schema["if"]["anyOf"]) else "else"
        yield from _walk(schema[chosen], resolver, instance, path)


def _pointer(path: tuple[Any, ...]) -> str:
    return "".join(f"/{part}" for part in path)


def _near_miss(value: str) -> str:
    return value[0].swapcase() + value[1:]


def _generated_cases() -> Iterator[Any]:
    for path in EXAMPLE_FILES:
        name, instance = path.parent.name, json.loads(path.read_text(encoding="utf-8"))
        for version in API_VERSIONS:
            if not schemas.is_valid(name, instance, version):
                continue
            root = schemas.load_schema(schemas.schema_for(name, version))  # 3.6: the release view
            resolver = schemas.registry(version).resolver(base_uri=root["$id"])
            for kind, detail in _walk(root, resolver, instance, ()):
                if kind == "required" and version == "4.0":
                    where, schema_id, prop = detail
                    case_id = f"{name}/{path.stem}:{_pointer(where)}/{prop}:required"
                    yield pytest.param(name, instance, version, where, prop, None, schema_id, id=case_id)
                elif kind == "enum":
                    where, schema_id, values = detail
                    case_id = f"{name}/{path.stem}@{version}:{_pointer(where)}:enum"
                    yield pytest.param(name, instance, version, where, None, values, schema_id, id=case_id)


GENERATED = list(_generated_cases())


@pytest.mark.parametrize(("name", "instance", "version", "where", "prop", "values", "schema_id"), GENERATED)
def test_generated_negative_fails_at_the_right_pointer(
    name: str,
    instance: Any,
    version: str,
    where: tuple[Any, ...],
    prop: str | None,
    values: Any,
    schema_id: int,
) -> None:
    doc = copy.deepcopy(instance)
    target = doc
    for part in where if prop else where[:-1]:
        target = target[part]
    if prop:
        del target[prop]
        expected = (_pointer((*where, prop)), "required")
    else:
        target[where[-1]] = _near_miss(target[where[-1]])
        assert target[where[-1]] not in values
        expected = (_pointer(where), "enum")
    errors = errors_of(name, doc, version)
    assert [(e.pointer, e.keyword) for e in errors] == [expected]
    assert all(len(e.expected) <= 120 and len(e.actual) <= 120 for e in errors)


def _constraints_in_files() -> tuple[set[tuple[int, str]], set[int]]:
    required: set[tuple[int, str]] = set()
    enums: set[int] = set()
    for name in schemas.SCHEMA_NAMES:
        for key, subschema in all_subschemas(schemas.load_schema(name)):
            if key == "anyOf" and "required" in subschema:  # the `if` of files-upload: a condition
                continue
            required |= {(id(subschema), prop) for prop in subschema.get("required", [])}
            if "enum" in subschema:
                enums.add(id(subschema))
    return required, enums


def test_generated_negatives_cover_every_required_field_and_every_enum() -> None:
    required, enums = _constraints_in_files()
    covered_required = {(p.values[6], p.values[4]) for p in GENERATED if p.values[4]}
    covered_enums = {p.values[6] for p in GENERATED if p.values[5]}
    assert required - covered_required == set()
    assert enums - covered_enums == set()


# --- error rendering ----------------------------------------------------------------------------------


def test_personal_data_and_tokens_never_appear_in_errors() -> None:
    doc = status_example()
    doc["signers"][0]["email"] = ["signer.one@example.com"]
    doc["signers"][0]["firstName"] = {"given": "Signer"}
    doc["signers"][0]["links"][0]["token"] = ["BKhD5EA0Dw6o0fv7-p3wnw"]
    doc["signers"][0]["lastName"] = 12
    doc["timeExpiresNote"] = "x"
    doc["name"] = "signer.one@example.com"
    doc["state"] = "https://localhost/tws/link/BKhD5EA0Dw6o0fv7-p3wnw"
    doc["documents"] = "signer.one@example.com"
    errors = errors_of(STATUS, doc)
    text = " ".join(f"{e.expected} {e.actual} {e.message}" for e in errors)
    assert {e.pointer for e in errors} >= {
        "/signers/0/email",
        "/signers/0/links/0/token",
        "/state",
        "/documents",
    }
    for secret in ("signer.one", "example.com", "BKhD5EA0Dw6o0fv7", "Signer"):
        assert secret not in text
    by_pointer = {e.pointer: e for e in errors}
    assert by_pointer["/signers/0/email"].actual == "array"
    assert by_pointer["/signers/0/lastName"].message == "expected type string, got integer"


def test_messages_are_readable_sentences() -> None:
    doc = status_example()
    del doc["signers"][0]["signerId"]
    doc["isExecuted"] = "false"
    doc["timeSignBy"] = "2022-03-02"
    messages = {e.pointer: e for e in errors_of(STATUS, doc)}
    assert messages["/signers/0/signerId"].message == "documented field 'signerId' is missing"
    assert messages["/isExecuted"].message == "expected type boolean, got string"
    assert messages["/isExecuted"].actual == 'string "false"'
    assert messages["/timeSignBy"].expected == "ISO 8601 date-time"
    assert messages["/timeSignBy"].schema_path.endswith("/pattern")


def test_best_match_comes_first_and_duplicates_are_dropped() -> None:
    doc = status_example()
    doc["signers"][0]["order"] = "0"
    doc["documents"] = {}
    errors = errors_of(STATUS, doc)
    best = jsonschema.exceptions.best_match(schemas.validator_for(STATUS).iter_errors(doc))
    assert errors[0].pointer == "/" + "/".join(map(str, best.absolute_path))
    assert len(errors) == len({(e.pointer, e.keyword) for e in errors}) == 2


def test_nullable_package_in_add_response_reports_inside_the_package() -> None:
    doc = example("packages-add.response/with-package.json")
    del doc["package"]["documents"][0]["fileName"]
    errors = errors_of("packages-add.response", doc)
    assert [(e.pointer, e.keyword) for e in errors] == [("/package/documents/0/fileName", "required")]
    (error,) = errors_of("packages-add.response", {"packageId": "x", "package": 5})
    assert (error.pointer, error.keyword, error.expected, error.actual) == (
        "/package",
        "type",
        "null or object",
        "integer 5",
    )


# --- documented properties ----------------------------------------------------------------------------


def test_documented_properties_of_status() -> None:
    props = schemas.documented_properties(STATUS)
    assert set(props) == {
        "",
        "/documents/*",
        "/documents/*/revisions/*",
        "/signers/*",
        "/signers/*/links/*",
        "/signers/*/signLink",
        "/signers/*/meetingLink",
    }
    assert "exernalId" not in props["/documents/*"]
    assert {"externalId", "fileId", "order"} <= props["/documents/*"]
    assert props["/signers/*/signLink"] == {"name", "link", "type", "token", "timeExpires", "packageId"}


def test_documented_properties_cover_every_required_name() -> None:
    required_cases = [p.values for p in GENERATED if p.values[4]]
    assert len({case[0] for case in required_cases}) >= 12
    for name, _, _, where, prop, _, _ in required_cases:
        pattern = "".join("/*" if isinstance(part, int) else f"/{part}" for part in where)
        assert prop in schemas.documented_properties(name)[pattern], (name, pattern, prop)


def test_documented_properties_spot_the_vendor_typo() -> None:
    props = schemas.documented_properties(STATUS)
    document = status_example()["documents"][0]
    assert set(document) - props["/documents/*"] == {"exernalId"}
    assert "/externalData" not in props  # free-form: its keys belong to the caller
    assert set(schemas.documented_properties("files-upload.response")) == {"", "/files/*"}


# --- the API's edges ----------------------------------------------------------------------------------


def test_unknown_schema_name_is_a_config_error() -> None:
    with pytest.raises(
        ConfigError, match=r"unknown schema 'status'; known schemas: defs, error, .*package-status"
    ):
        schemas.validator_for("status")
    with pytest.raises(ConfigError, match="unknown schema"):
        schemas.is_valid("nope", {})
    with pytest.raises(ConfigError, match="unknown schema"):
        schemas.documented_properties("nope")


def test_unknown_api_version_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"unknown API version '3\.5'; supported versions: 3\.6, 4\.0"):
        schemas.validator_for(STATUS, "3.5")
    with pytest.raises(ConfigError, match="unknown API version '5'"):
        schemas.is_valid(STATUS, {}, "5")
    with pytest.raises(ConfigError, match="unknown API version"):
        list(schemas.iter_schema_errors(STATUS, {}, "4"))


def test_validators_are_built_once() -> None:
    assert schemas.validator_for(STATUS) is schemas.validator_for(STATUS, "4.0")
    assert schemas.validator_for(STATUS, "3.6") is not schemas.validator_for(STATUS, "4.0")
    assert schemas.registry("4.0") is schemas.registry()
    assert schemas._fast_validator(STATUS, "4.0") is schemas._fast_validator(STATUS, "4.0")


def _values_replaced(document: Any, shape: Any, depth: int = 3) -> Iterator[Any]:
    """`document` with each of its values down to `depth`, one at a time, replaced by `shape`."""
    if depth and isinstance(document, dict | list):
        keys = list(document) if isinstance(document, dict) else range(len(document))
        for key in keys:
            yield (
                {**document, key: shape}
                if isinstance(document, dict)
                else [
                    *document[:key],
                    shape,
                    *document[key + 1 :],
                ]
            )
            for inner in _values_replaced(document[key], shape, depth - 1):
                if isinstance(document, dict):
                    yield {**document, key: inner}
                else:
                    yield [*document[:key], inner, *document[key + 1 :]]


@pytest.mark.parametrize("version", API_VERSIONS)
def test_the_detailed_validator_reads_the_schemas_as_written(version: str) -> None:
    """The detailed validator works on the schemas with their ``$ref``s inlined (for speed): on every
    documented example with each value replaced, it gives exactly the errors, in the order, of a plain
    jsonschema validator of the files as shipped."""
    compared = 0
    for path in {path.parent.name: path for path in EXAMPLE_FILES}.values():  # one example per schema
        name = path.parent.name
        inlined = schemas.validator_for(name, version)
        assert "$ref" not in json.dumps(inlined.schema)
        root = schemas.load_schema(schemas.schema_for(name, version))
        plain = jsonschema.Draft202012Validator(root, registry=schemas.registry())
        instance = json.loads(path.read_text(encoding="utf-8"))
        for shape in (None,):
            for drifted in _values_replaced(instance, shape):
                expected = [
                    (e.pointer, e.keyword, e.expected, e.actual, e.check)
                    for e in schema_errors(plain, drifted)
                ]
                got = [
                    (e.pointer, e.keyword, e.expected, e.actual, e.check)
                    for e in schema_errors(inlined, drifted)
                ]
                assert got == expected, (path.name, drifted)
                compared += bool(expected)
    assert compared > 200, compared  # the drifted examples did break the schemas


def test_nothing_is_ever_fetched() -> None:
    resolver = schemas.registry().resolver()
    with pytest.raises(referencing.exceptions.Unresolvable):
        resolver.lookup("http://127.0.0.1:9/not-shipped.json")
    with pytest.raises(ValueError, match="never fetches"):
        jsonschema_rs.validator_for(
            {"$ref": "http://127.0.0.1:9/not-shipped.json"},
            registry=schemas._fast_registry(),
        )
