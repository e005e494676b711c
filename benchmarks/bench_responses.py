"""Per response: the cost of checking one real sandbox response, against the floor of parsing it.

Issue 6, part 1. Status responses of 1x1, 5x3 and 15x10 documents x signers (links on) and list
pages of 50 and 500 items are fetched once from the reference sandbox; then, offline and on the very
same bytes, each contender is warmed up and timed (best of N, `time.perf_counter`):

  json.loads            parse the bytes: the floor every other figure is divided by
  signcheck checks      run_checks (schema + behavioural) on the parsed Exchange
  signcheck from bytes  Exchange.from_bytes + run_checks: what replay pays per response
  jsonschema            Draft202012Validator.is_valid on the parsed body (the detailed path alone)
  jsonschema-rs         the compiled validator's is_valid on the parsed body (the fast path alone)
  schemathesis          its response-conformance check, APIOperation.validate_response, on a
                        Response built from the bytes (it parses them itself) for an OpenAPI 3.1
                        document that embeds the shipped schemas

Before timing, each contender must call every documented response valid and a copy with a required
field removed invalid. A breakdown then times what `run_checks` pays per body check: the strict pass,
then each check the registry runs, on its own. Targets: signcheck checks on the 15x10 status within 3x
json.loads, and signcheck from bytes at or below Schemathesis (both start from the bytes). Prints;
asserts nothing.

    .venv/bin/python benchmarks/bench_responses.py [--budget 0.4] [--statuses 1x1,5x3,15x10] [--lists 50,500]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from _common import (
    LIST,
    SANDBOX_TIME,
    STATUS,
    Fetched,
    SandboxClient,
    Timing,
    environment,
    measure,
    measure_all,
    print_table,
    verdict,
)

from pytest_signcheck.checks import REGISTRY, Check, CheckContext, CheckOptions, run_checks
from pytest_signcheck.contract import schemas
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import Severity
from pytest_signcheck.sandbox import SandboxConfig, running

CHECKS_TARGET = 3.0
_REMOVED = {STATUS: "packageId", LIST: "total"}
Action = Callable[[bytes], object]


@dataclass(frozen=True, slots=True)
class Contender:
    """A name, what is timed (given the bytes), and its verdict on bytes (True: conforms)."""

    name: str
    action: Action
    valid: Callable[[bytes], bool] | None  # None: not a validator (the json.loads floor)
    parses: bool  # whether the timed action parses the bytes itself


# --- fetching ---------------------------------------------------------------------------------


def fetch(statuses: list[tuple[int, int]], lists: list[int], seed: int) -> list[Fetched]:
    """Every response, fetched once from a fresh sandbox (links on for statuses)."""
    config = SandboxConfig(packages=max([*lists, 0]) + 100, seed=seed)
    with running(config) as server:
        client = SandboxClient(server.base_url, server.api_key)
        try:
            found = []
            for documents, signers in statuses:
                package_id = client.add_package(documents, signers, links=True)
                found.append(client.status(package_id, f"status {documents}x{signers}", links=True))
            for take in lists:
                request = {"allMembers": True, "sortBy": "created", "take": take, "skip": 0}
                found.append(client.list_page(request, f"list {take} items"))
        finally:
            client.close()
    return found


def broken(item: Fetched) -> bytes:
    """The same response with one required field removed: every contender must reject it."""
    body = json.loads(item.content)
    del body[_REMOVED[item.endpoint]]
    return json.dumps(body).encode()


# --- contenders -------------------------------------------------------------------------------


def options_for(item: Fetched) -> CheckOptions:
    return CheckOptions(generate_signer_links=item.links, now=SANDBOX_TIME)


def _no_breaking(findings: list[Any]) -> bool:
    return not any(finding.severity is Severity.BREAKING for finding in findings)


def signcheck_contenders(item: Fetched) -> list[Contender]:
    options, headers = options_for(item), item.headers

    def exchange(content: bytes) -> Exchange:
        return Exchange.from_bytes(item.endpoint, item.status, content, headers, item.request, "bench")

    parsed = exchange(item.content)  # the timed "checks" contender gets the good response pre-parsed
    return [
        Contender(
            "signcheck checks",
            lambda _: run_checks(parsed, options),
            lambda content: _no_breaking(run_checks(exchange(content), options)),
            parses=False,
        ),
        Contender(
            "signcheck from bytes",
            lambda content: run_checks(exchange(content), options),
            lambda content: _no_breaking(run_checks(exchange(content), options)),
            parses=True,
        ),
    ]


def validator_contenders(item: Fetched) -> list[Contender]:
    name = schemas.RESPONSE_SCHEMAS[item.endpoint]
    body = json.loads(item.content)
    detailed = schemas.validator_for(name)  # built once, cached by signcheck
    schemas.is_valid(name, body)  # compiles the jsonschema-rs validator once

    def slow(content: bytes) -> bool:
        return bool(detailed.is_valid(json.loads(content)))

    def fast(content: bytes) -> bool:
        return schemas.is_valid(name, json.loads(content))

    return [
        Contender("jsonschema", lambda _: detailed.is_valid(body), slow, parses=False),
        Contender("jsonschema-rs", lambda _: schemas.is_valid(name, body), fast, parses=False),
    ]


# --- Schemathesis -----------------------------------------------------------------------------

_COMPONENTS = "#/components/schemas/"


def _rewrite(node: Any, name: str) -> Any:
    """A shipped schema with its `$ref`s pointed into ``components/schemas`` (and no `$id`)."""
    if isinstance(node, dict):
        out = {key: _rewrite(value, name) for key, value in node.items() if key not in ("$id", "$schema")}
        if isinstance(node.get("$ref"), str):
            out["$ref"] = _target(node["$ref"], name)
        return out
    if isinstance(node, list):
        return [_rewrite(value, name) for value in node]
    return node


def _target(ref: str, name: str) -> str:
    document, _, pointer = ref.partition("#")
    target = document.removesuffix(".json") if document else name
    return _COMPONENTS + target + pointer


def openapi_document(api_version: str = "4.0") -> dict[str, Any]:
    """OpenAPI 3.1 (JSON Schema 2020-12) whose 200 responses are the shipped schemas, unchanged."""
    components = {
        name: _rewrite(copy.deepcopy(dict(schemas.load_schema(name))), name) for name in schemas.SCHEMA_NAMES
    }
    components["package-state"] = {"$ref": f"{_COMPONENTS}package-states/$defs/{api_version}"}

    def ok(schema: str) -> dict[str, Any]:
        content = {"application/json": {"schema": {"$ref": _COMPONENTS + schema}}}
        return {"200": {"description": "documented response", "content": content}}

    package_id = {"name": "packageId", "in": "path", "required": True, "schema": {"type": "string"}}
    request = {"content": {"application/json": {"schema": {"$ref": _COMPONENTS + "packages-list.request"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "iinked Sign (documented responses)", "version": api_version},
        "paths": {
            "/packages/{packageId}/status": {
                "get": {"parameters": [package_id], "responses": ok("package-status")}
            },
            "/packages/list": {"post": {"requestBody": request, "responses": ok("packages-list.response")}},
        },
        "components": {"schemas": components},
    }


def schemathesis_contender(item: Fetched, schema: Any) -> Contender:
    import requests
    from schemathesis.core.transport import Response

    path, method = (
        ("/packages/{packageId}/status", "GET") if item.endpoint == STATUS else ("/packages/list", "POST")
    )
    operation = schema[path][method]
    prepared = requests.Request(method, "http://127.0.0.1/api/v1" + path).prepare()
    headers = {key: [value] for key, value in item.headers.items()}

    def response(content: bytes) -> Any:  # a fresh one per call: a Response caches its parsed JSON
        return Response(item.status, headers, content, prepared, elapsed=0.0, verify=True)

    return Contender(
        "schemathesis",
        lambda content: operation.validate_response(response(content)),
        lambda content: bool(operation.is_valid_response(response(content))),
        parses=True,
    )


def breakdown(item: Fetched, budget: float, min_samples: int) -> list[tuple[str, Timing | None]]:
    """What `run_checks` pays per body check of the endpoint: the strict pass once, then each check the
    registry runs, alone, on a fresh context (so each builds what it shares). None: skipped, because the
    body is strictly valid."""
    exchange = Exchange.from_bytes(item.endpoint, item.status, item.content, item.headers, item.request)
    options = options_for(item)

    def strict() -> bool:
        return CheckContext.of(exchange, options).strictly_valid

    found: list[tuple[str, Timing | None]] = [("(strict pass)", measure(strict, budget, min_samples))]
    for entry in REGISTRY:
        if not entry.body or not entry.applies_to(item.endpoint):
            continue
        if entry.strict_silences and strict():
            found.append((entry.id, None))
            continue

        def action(check: Check = entry.check) -> object:
            return check(CheckContext.of(exchange, options))

        found.append((entry.id, measure(action, budget, min_samples)))
    return found


# --- running ----------------------------------------------------------------------------------


def sanity(item: Fetched, contenders: list[Contender]) -> list[str]:
    """Problems: a contender that rejects the documented response or accepts a broken one."""
    bad = broken(item)
    problems = []
    for contender in contenders:
        if contender.valid is None:
            continue
        if not contender.valid(item.content):
            problems.append(f"{item.label}: {contender.name} rejects the documented response")
        if contender.valid(bad):
            problems.append(f"{item.label}: {contender.name} accepts it without {_REMOVED[item.endpoint]!r}")
    return problems


def bench(
    item: Fetched, schema: Any, budget: float, min_samples: int, rounds: int
) -> tuple[dict[str, Timing], list[str]]:
    contenders = [
        Contender("json.loads", json.loads, None, parses=True),
        *signcheck_contenders(item),
        *validator_contenders(item),
        schemathesis_contender(item, schema),
    ]
    problems = sanity(item, contenders)
    content = item.content
    actions: dict[str, Callable[[], object]] = {}
    for contender in contenders:

        def action(contender: Contender = contender) -> object:
            return contender.action(content)

        actions[contender.name] = action
    return measure_all(actions, budget, min_samples, rounds), problems


def _pair(text: str) -> tuple[int, int]:
    documents, _, signers = text.partition("x")
    return int(documents), int(signers)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--budget", type=float, default=0.4, help="seconds of timing per contender (0.4)")
    parser.add_argument("--min-samples", type=int, default=3, help="fewest timed samples per contender (3)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over the contenders (3)")
    parser.add_argument("--statuses", default="1x1,5x3,15x10", help="documents x signers (1x1,5x3,15x10)")
    parser.add_argument("--lists", default="50,500", help="list page sizes (50,500)")
    parser.add_argument("--seed", type=int, default=0, help="sandbox seed (0)")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the per-check breakdown")
    return parser.parse_args(argv)


def report(results: list[tuple[Fetched, dict[str, Timing]]]) -> None:
    rows = []
    for item, timings in results:
        floor = timings["json.loads"].best
        label, size = item.label, f"{len(item.content) / 1024:.1f} KB"
        for name, timing in timings.items():
            ratio, median = f"{timing.best / floor:.2f}x", f"{timing.median * 1000:.3f}"
            rows.append(
                [label, size, name, f"{timing.ms:.3f}", ratio, median, timing.samples * timing.number]
            )
            label = size = ""
    print_table(
        "Per response (best ms per call; x = ratio to json.loads of the same bytes)",
        ["response", "size", "contender", "best ms", "x loads", "median ms", "calls"],
        rows,
    )


def print_breakdown(
    fetched: list[Fetched], results: list[tuple[Fetched, dict[str, Timing]]], budget: float, min_samples: int
) -> None:
    rows = []
    for item, (_, timings) in zip(fetched, results, strict=True):
        floor, label = timings["json.loads"].best, item.label
        for name, timing in breakdown(item, budget / 2, min_samples):
            if timing is None:
                rows.append([label, name, "skipped", "(strictly valid)"])
            else:
                rows.append([label, name, f"{timing.ms:.3f}", f"{timing.best / floor:.2f}x"])
            label = ""
    print_table(
        "Where the checks' time goes (the strict pass, then each body check run_checks runs, alone)",
        ["response", "check", "best ms", "x loads"],
        rows,
    )


def targets(results: list[tuple[Fetched, dict[str, Timing]]]) -> None:
    largest = [(item, t) for item, t in results if item.label == "status 15x10"]
    if not largest:
        print("\n(targets are judged on the 15x10 status; it was not among the responses)")
        return
    item, timings = largest[0]
    floor = timings["json.loads"].best
    checks = timings["signcheck checks"].best / floor
    ours, theirs = timings["signcheck from bytes"].best, timings["schemathesis"].best
    alone = timings["signcheck checks"].best
    rows = [
        ["signcheck checks <= 3x json.loads", f"{checks:.2f}x", verdict(checks <= CHECKS_TARGET)],
        [
            "signcheck from bytes at or below schemathesis",
            f"{ours * 1000:.3f} vs {theirs * 1000:.3f} ms (x{ours / theirs:.2f})",
            verdict(ours <= theirs),
        ],
        [
            "  (checks alone, parse excluded, vs schemathesis)",
            f"{alone * 1000:.3f} vs {theirs * 1000:.3f} ms (x{alone / theirs:.2f})",
            verdict(alone < theirs),
        ],
    ]
    print_table(
        f"Targets on {item.label} ({len(item.content) / 1024:.1f} KB)", ["target", "measured", "status"], rows
    )


def main(argv: list[str] | None = None) -> int:
    import schemathesis

    args = parse_args(argv)
    statuses = [_pair(text) for text in args.statuses.split(",") if text]
    lists = [int(text) for text in args.lists.split(",") if text]
    print(environment())
    fetched = fetch(statuses, lists, args.seed)
    schema = schemathesis.openapi.from_dict(openapi_document())
    results, problems = [], []
    for item in fetched:
        timings, found = bench(item, schema, args.budget, args.min_samples, args.rounds)
        results.append((item, timings))
        problems += found
    report(results)
    if not args.no_breakdown:
        print_breakdown(fetched, results, args.budget, args.min_samples)
    targets(results)
    print("\nsanity: " + ("every contender accepts each documented response and rejects each broken copy"
                           if not problems else "; ".join(problems)))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
