"""`schemas/openapi.yaml`: valid OpenAPI 3.1, every documented endpoint and webhook, and every body a
reference to the shipped JSON Schemas (one source of truth), each of which resolves (issue 13, point 3).
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
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from pytest_signcheck.contract import schemas
from pytest_signcheck.contract.endpoints import ENDPOINTS

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "schemas"
OPENAPI = SCHEMAS / "openapi.yaml"
DOCUMENT: dict[str, Any] = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
BASE = "https://pytest-signcheck.dev/schemas/"
ERRORS = {"400", "403", "404", "429", "500"}
METHODS = {"get", "post", "put", "patch", "delete"}
EXAMPLES = Path(__file__).resolve().parent / "data" / "examples"


def operations() -> Iterator[tuple[str, dict[str, Any]]]:
    """(``METHOD /path``, operation) for every path operation."""
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def local(node: dict[str, Any]) -> dict[str, Any]:
    """A ``#/components/...`` reference followed, or the node itself."""
    ref = node.get("$ref", "")
    if not ref.startswith("#/"):
        return node
    target: Any = DOCUMENT
    for part in ref[2:].split("/"):
        target = target[part]
    return local(target)


def json_schema(holder: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = local(holder)["content"]["application/json"]["schema"]
    return schema


OPERATIONS = dict(operations())


def test_the_document_is_valid_openapi_3_1_and_every_reference_resolves() -> None:
    spec, base_uri = read_from_filename(str(OPENAPI))
    validate(spec, base_uri=base_uri)  # the OpenAPI 3.1 schema, and every $ref followed into the files
    assert DOCUMENT["openapi"].startswith("3.1.")


def test_a_broken_reference_is_caught(tmp_path: Path) -> None:
    for path in SCHEMAS.glob("*.json"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    broken = OPENAPI.read_text(encoding="utf-8").replace('"package-status.json"', '"package-statuz.json"')
    (tmp_path / "openapi.yaml").write_text(broken, encoding="utf-8")
    spec, base_uri = read_from_filename(str(tmp_path / "openapi.yaml"))
    with pytest.raises(referencing.exceptions.Unresolvable, match=r"package-statuz\.json"):
        validate(spec, base_uri=base_uri)


def test_every_documented_endpoint_is_an_operation() -> None:
    assert set(OPERATIONS) == {str(endpoint) for endpoint in ENDPOINTS}
    ids = [operation["operationId"] for operation in OPERATIONS.values()]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_bodies_are_the_shipped_schemas_and_nothing_else(endpoint: str) -> None:
    operation = OPERATIONS[endpoint]
    ok = json_schema(operation["responses"]["200"])
    assert ok == {"$ref": f"{schemas.RESPONSE_SCHEMAS[endpoint]}.json"}
    request = schemas.REQUEST_SCHEMAS.get(endpoint)
    if request is not None:
        assert json_schema(operation["requestBody"]) == {"$ref": f"{request}.json"}
        assert operation["requestBody"]["required"] is True


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_every_operation_documents_the_documented_errors(endpoint: str) -> None:
    responses = OPERATIONS[endpoint]["responses"]
    assert set(responses) == {"200", *ERRORS}
    for status in ERRORS:
        assert json_schema(responses[status]) == {"$ref": f"{schemas.ERROR_SCHEMA}.json"}


def test_every_documented_webhook_action_is_a_webhook() -> None:
    webhooks = DOCUMENT["webhooks"]
    assert set(webhooks) == set(schemas.WEBHOOK_SCHEMAS)
    for action, item in webhooks.items():
        post = item["post"]
        assert json_schema(post["requestBody"]) == {"$ref": f"{schemas.WEBHOOK_SCHEMAS[action]}.json"}
        assert local(post["parameters"][0])["name"] == "X-Syngrafii-Signature"


def test_api_key_header_and_the_vendor_sandboxes() -> None:
    assert DOCUMENT["security"] == [{"api_key": []}]
    scheme = DOCUMENT["components"]["securitySchemes"]["api_key"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "api_key")
    assert [server["url"] for server in DOCUMENT["servers"]] == [
        "https://sandbox.syngrafii.com/api/v1",
        "https://sandbox.syngrafii.eu/api/v1",
    ]


def registry() -> referencing.Registry[Any]:
    """The document (at its place beside the schemas) and every schema file, loaded plainly."""
    documents = [json.loads(path.read_text(encoding="utf-8")) for path in SCHEMAS.rglob("*.json")]
    pairs = [(d["$id"], referencing.Resource.from_contents(d)) for d in documents]
    openapi = referencing.jsonschema.DRAFT202012.create_resource(DOCUMENT)
    return referencing.Registry().with_resources([*pairs, (BASE + "openapi.yaml", openapi)])


REGISTRY = registry()


def through_the_document(pointer: str) -> Any:
    """A validator of the schema at `pointer` in openapi.yaml, resolving as a tool reading it would."""
    return jsonschema.Draft202012Validator({"$ref": f"{BASE}openapi.yaml#{pointer}"}, registry=REGISTRY)


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def schema_pointer(at: str) -> str:
    """The pointer of the JSON body schema of the request or response at `at`, past a component."""
    target: Any = DOCUMENT
    for part in at.strip("/").split("/"):
        target = target[part.replace("~1", "/").replace("~0", "~")]
    ref = target.get("$ref", "")
    return f"{ref[1:] if ref.startswith('#/') else at}/content/application~1json/schema"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_documented_examples_validate_through_the_document(endpoint: str) -> None:
    method, _, path = endpoint.partition(" ")
    at = f"/paths/{escape(path)}/{method.lower()}"
    response = through_the_document(schema_pointer(f"{at}/responses/200"))
    for example in sorted((EXAMPLES / schemas.RESPONSE_SCHEMAS[endpoint]).glob("*.json")):
        assert response.is_valid(json.loads(example.read_text(encoding="utf-8"))), example
    if schemas.RESPONSE_SCHEMAS[endpoint] != "events-endpoints-set.response":  # constrains nothing (W2)
        assert not response.is_valid([])  # a reference resolved to an empty schema would accept anything
    request = schemas.REQUEST_SCHEMAS.get(endpoint)
    if request is not None:
        body = through_the_document(schema_pointer(f"{at}/requestBody"))
        for example in sorted((EXAMPLES / request).glob("*.json")):
            assert body.is_valid(json.loads(example.read_text(encoding="utf-8"))), example
        assert not body.is_valid([])
