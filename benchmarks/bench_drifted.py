"""The detailed schema errors of drifted bodies: what a run against a drifting API pays per response.

A valid body takes the fast path (jsonschema-rs) and never reaches the detailed errors; a drifted one
does. Every documented example in tests/data/examples, with each of its values down to three levels
replaced by ``null`` in turn, is read twice, offline, by `schema_errors` (best match first, redacted):

  jsonschema, files as shipped   Draft202012Validator of the schema files, resolving each ``$ref``
  signcheck (refs inlined)       `validator_for`: the same schemas with their ``$ref``s inlined once

Both must give the same errors in the same order (tests/test_schemas.py checks that too). Prints the
total seconds of each, best of `--runs`; asserts nothing.

    .venv/bin/python benchmarks/bench_drifted.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from typing import Any

import jsonschema
from _common import REPO, environment, print_table

from pytest_signcheck.contract import schemas
from pytest_signcheck.contract._schema_errors import schema_errors

EXAMPLES = REPO / "tests" / "data" / "examples"


def drifted(document: Any, depth: int = 3) -> Iterator[Any]:
    """`document` with each value down to `depth`, one at a time, replaced by ``null``."""
    if not depth or not isinstance(document, dict | list):
        return
    for key in list(document) if isinstance(document, dict) else range(len(document)):
        for value in (None, *drifted(document[key], depth - 1)):
            copy = dict(document) if isinstance(document, dict) else list(document)
            copy[key] = value
            yield copy


def bodies() -> list[tuple[str, Any]]:
    """(schema name, drifted body) for every documented example."""
    found = []
    for path in sorted(EXAMPLES.glob("*/*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        found += [(path.parent.name, body) for body in drifted(document)]
    return found


def _shown(error: Any) -> tuple[str, ...]:
    """What a finding shows of an error (its schema path differs once the refs are inlined)."""
    return (error.pointer, error.keyword, error.expected, error.actual, error.message, error.check)


def timed(validators: dict[str, Any], work: list[tuple[str, Any]], runs: int) -> tuple[float, list[Any]]:
    best, errors = float("inf"), []
    for _ in range(runs):
        start = time.perf_counter()
        errors = [[_shown(e) for e in schema_errors(validators[name], body)] for name, body in work]
        best = min(best, time.perf_counter() - start)
    return best, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    work = bodies()
    names = {name for name, _ in work}
    shipped = {
        name: jsonschema.Draft202012Validator(schemas.load_schema(name), registry=schemas.registry())
        for name in names
    }
    inlined = {name: schemas.validator_for(name) for name in names}
    plain_s, plain_errors = timed(shipped, work, runs)
    ours_s, our_errors = timed(inlined, work, runs)
    if plain_errors != our_errors:
        raise SystemExit("the two validators disagree: see tests/test_schemas.py")
    errors = sum(len(found) for found in our_errors)
    print(environment())
    print(f"{len(work)} drifted bodies of {len(names)} schemas, {errors} errors; best of {runs}")
    rows = [
        ("jsonschema, files as shipped", f"{plain_s:.2f}", f"{plain_s / len(work) * 1000:.2f}", "1.00x"),
        (
            "signcheck (refs inlined)",
            f"{ours_s:.2f}",
            f"{ours_s / len(work) * 1000:.2f}",
            f"{ours_s / plain_s:.2f}x",
        ),
    ]
    print_table("Detailed schema errors", ("validator", "total s", "ms per body", "vs jsonschema"), rows)


if __name__ == "__main__":
    main()
