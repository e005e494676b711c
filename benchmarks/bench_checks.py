"""Cost of the full checks (schema + behavioural) on a large status response, against json.loads.

Target (issue 6): `run_checks` on a ~90 KB status (15 documents x 10 signers, links on) costs at most
3x `json.loads` of the same bytes. Prints a table; asserts nothing.

    .venv/bin/python benchmarks/bench_checks.py [--repeat 300]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from pytest_signcheck.checks import CheckOptions, run_checks
from pytest_signcheck.exchange import Exchange

STATUS = "GET /packages/{packageId}/status"
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _link(rng: random.Random) -> tuple[str, str]:
    token = "".join(rng.choice(_ALPHABET) for _ in range(22))
    return token, f"https://sandbox.syngrafii.com/link/{token}"


def build_status(documents: int = 15, signers: int = 10, seed: int = 7) -> dict[str, Any]:
    """A documented status response: a Sequential package, links on, the first signer next."""
    rng = random.Random(seed)
    package_id, expires = _id(rng), "2030-03-02T20:08:41.2610000Z"
    people = [_signer(rng, n) for n in range(signers)]
    docs = []
    for d in range(documents):
        document_id, revisions = _id(rng), []
        for n, person in enumerate(people):
            token, url = _link(rng)
            revision: dict[str, Any] = {"packageId": package_id, "documentId": document_id}
            revision["revisionId"] = _id(rng)
            revision |= {"signerId": person["signerId"], "link": url, "isNext": n == 0, "isSigned": False}
            revisions.append(revision)
            person["links"].append(
                {"name": f"Document {d}", "link": url, "type": "document", "token": token}
                | {"timeExpires": expires, "packageId": package_id, "documentId": document_id}
                | {"revisionId": revision["revisionId"], "isNext": n == 0, "isSigned": False}
            )
        docs.append(
            {"packageId": package_id, "documentId": document_id, "fileId": _id(rng), "externalId": None}
            | {"name": f"Document {d}", "fileName": f"document-{d}.pdf", "order": d, "isExecuted": False}
            | {"revisions": revisions}
        )
    for person in people:
        token, url = _link(rng)
        person["signLink"] = {"name": "Benchmark", "link": url, "type": "package_sign", "token": token}
        person["signLink"] |= {"timeExpires": expires, "packageId": package_id}
    return {
        "packageId": package_id, "organizationId": _id(rng), "memberId": _id(rng), "name": "Benchmark",
        "timeSignBy": "2030-03-02T20:08:41Z", "type": "Sequential", "state": "open", "externalData": None,
        "isExecuted": False, "documents": docs, "signers": people,
    }  # fmt: skip


def _signer(rng: random.Random, n: int) -> dict[str, Any]:
    return {
        "signerId": _id(rng), "firstName": f"Signer{n}", "lastName": "Example",
        "email": f"signer{n}@example.com", "mobileNumber": "", "order": n, "links": [], "meetingLink": None,
    }  # fmt: skip


def best_of(repeat: int, action: Callable[[], object]) -> float:
    """The fastest of `repeat` runs, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def measure(content: bytes, repeat: int) -> tuple[float, float, int]:
    """(json.loads ms, run_checks ms, findings) for one encoding; rounds interleave to share noise."""
    exchange = Exchange(
        STATUS, 200, json.loads(content), {"content-type": "application/json"}, source="bench"
    )
    options = CheckOptions(generate_signer_links=True)
    findings = len(run_checks(exchange, options))  # warm: compiles the validators and walk plans
    loads = checks = float("inf")
    for _ in range(5):
        loads = min(loads, best_of(repeat // 5, lambda: json.loads(content)))
        checks = min(checks, best_of(repeat // 5, lambda: run_checks(exchange, options)))
    return loads, checks, findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=500)
    args = parser.parse_args(argv)
    status = build_status()
    forms = {
        "compact": json.dumps(status, separators=(",", ":")).encode(),
        "indent=4": json.dumps(status, indent=4).encode(),
    }
    print(f"python {platform.python_version()}, 15 documents x 10 signers, links on, best of {args.repeat}")
    print(f"{'encoding':<10}{'KB':>7}{'json.loads ms':>15}{'run_checks ms':>15}{'ratio':>8}{'findings':>10}")
    for name, content in forms.items():
        loads, checks, findings = measure(content, args.repeat)
        size = len(content) / 1024
        print(f"{name:<10}{size:>7.1f}{loads:>15.3f}{checks:>15.3f}{checks / loads:>8.2f}{findings:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
