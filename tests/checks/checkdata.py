"""Data the tests share: the documented examples (`load`), a generated status of any size
(`build_status`), endpoint labels, `deep` copies, and plain vcrpy cassettes (`vcr_interaction`,
`vcr_cassette`, as vcrpy writes them for `requests`). Importable as `checkdata` (`pythonpath` in
pyproject.toml), under any --import-mode: `conftest` is a name several folders of tests have."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"
STATUS = "GET /packages/{packageId}/status"
LIST = "POST /packages/list"


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _guid(n: int) -> str:
    return f"{n:08x}-0000-4000-8000-{n:012x}"


def build_status(documents: int = 2, signers: int = 3, *, links: bool = True) -> dict[str, Any]:
    """A documented Sequential status: every id a GUID, nothing signed, the order-0 signer next."""
    package_id = _guid(1)
    people = [
        {"signerId": _guid(100 + n), "firstName": f"Signer{n}", "lastName": "Example"}
        | {"email": f"signer{n}@example.com", "mobileNumber": "", "order": n}
        for n in range(signers)
    ]
    docs = []
    for d in range(documents):
        document_id, revisions = _guid(10 + d), []
        for n, person in enumerate(people):
            revision = {
                "packageId": package_id,
                "documentId": document_id,
                "revisionId": _guid(1000 + 10 * d + n),
            }
            revision |= {"signerId": person["signerId"], "isNext": n == 0, "isSigned": False}
            revisions.append(revision)
            if links:
                token = f"T{d}{n}".ljust(22, "x")
                revision["link"] = f"https://sandbox.syngrafii.com/link/{token}"
                link = {"name": f"document {d}", "link": revision["link"], "type": "document", "token": token}
                link |= {
                    "timeExpires": "2030-01-01T00:00:00Z",
                    "packageId": package_id,
                    "documentId": document_id,
                }
                link |= {"revisionId": revision["revisionId"], "isNext": n == 0, "isSigned": False}
                person.setdefault("links", []).append(link)
        docs.append(
            {"packageId": package_id, "documentId": document_id, "fileId": _guid(50 + d), "externalId": None}
            | {"name": f"Document {d}", "fileName": f"document-{d}.pdf", "order": d, "isExecuted": False}
            | {"revisions": revisions}
        )
    return {
        "packageId": package_id, "organizationId": _guid(2), "memberId": _guid(3), "name": "Generated",
        "timeSignBy": "2030-03-02T20:08:41Z", "type": "Sequential", "state": "open", "externalData": None,
        "isExecuted": False, "documents": docs, "signers": people,
    }  # fmt: skip


def deep(value: Any) -> Any:
    return copy.deepcopy(value)


def vcr_interaction(method: str, uri: str, body: Any, status: int = 200) -> dict[str, Any]:
    """One interaction as vcrpy writes it for `requests`: the JSON body a plain string, dated."""
    return {
        "request": {"method": method, "uri": uri, "body": "{}", "headers": {}},
        "response": {
            "status": {"code": status, "message": "OK"},
            "headers": {"content-type": ["application/json"], "date": ["Mon, 30 Nov 2026 10:00:00 GMT"]},
            "body": {"string": json.dumps(body)},
        },
    }


def vcr_cassette(path: Path, *interactions: dict[str, Any]) -> Path:
    """A YAML cassette of `interactions` at `path` (its folders made)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"version": 1, "interactions": list(interactions)}))
    return path
