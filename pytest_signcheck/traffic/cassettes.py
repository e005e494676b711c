"""Cassettes in vcrpy's own format: loaded as vcrpy's safe loader would, scrubbed, written atomically.

Nothing secret is written: `api_key`/`Authorization`/cookie headers are dropped, signer personal data
is replaced by deterministic fakes, and link tokens are replaced consistently, so a token still equals
its link's last segment after scrubbing. A recording is written to a temporary file and renamed into
place, so a failed or interrupted recording never replaces a good cassette.
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from vcr.request import Request as VcrRequest
from vcr.serialize import deserialize, serialize
from vcr.serializers import jsonserializer, yamlserializer

from pytest_signcheck._atomic import atomic_write
from pytest_signcheck.contract.redact import PERSONAL_FIELDS, SECRET_HEADERS
from pytest_signcheck.errors import CassetteError
from pytest_signcheck.traffic import _yaml
from pytest_signcheck.traffic.encoding import decode_body

__all__ = [
    "Cassette",
    "Interaction",
    "NotACassette",
    "Scrubber",
    "load_cassette",
    "rerecord_command",
    "save_cassette",
]

_LINK = re.compile(r"(/link/)([A-Za-z0-9_-]+)")
_FAKES = {
    "firstName": "Given{n}",
    "lastName": "Family{n}",
    "email": "person{n}@example.com",
    "mobileNumber": "+1555010{n:04d}",
    "mobileNumberOriginal": "+1555010{n:04d}",
    "mobileNumberCountryCode": "+1",
    "declineMessage": "(redacted {n})",
    "token": "scrubbed{n:014d}",
}


class NotACassette(CassetteError):
    """The file is not a vcrpy cassette at all (empty, a list, a docker-compose.yml...); `reason` says why."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Interaction:
    """One recorded request and response, as vcrpy stores it."""

    method: str
    uri: str
    request_body: bytes | None
    request_headers: Mapping[str, Sequence[str]]
    status: int
    reason: str
    headers: Mapping[str, Sequence[str]]
    body: bytes


@dataclass
class Cassette:
    path: Path
    interactions: list[Interaction]
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def info(self) -> dict[str, Any]:
        """signcheck's own metadata (recorded_at, base_url, run_id, scenario...)."""
        value = self.metadata.get("signcheck", {})
        return value if isinstance(value, dict) else {}


def _serializer(path: Path) -> Any:
    return jsonserializer if path.suffix == ".json" else yamlserializer


def _as_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


def _interaction(request: Any, response: Any, where: str) -> Interaction:
    headers = {str(k): [str(v) for v in vs] for k, vs in (response.get("headers") or {}).items()}
    decoded_headers, body = decode_body(headers, _as_bytes(response["body"]["string"]), where)
    return Interaction(
        method=str(request.method).upper(),
        uri=str(request.uri),
        request_body=request.body if request.body is None else _as_bytes(request.body),
        request_headers={str(k): [str(v)] for k, v in dict(request.headers).items()},
        status=int(response["status"]["code"]),
        reason=str(response["status"].get("message") or ""),
        headers=decoded_headers,
        body=body,
    )


class _Parsed:
    """A vcrpy serializer whose `deserialize` hands back data already read."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def deserialize(self, _text: str) -> Any:
        return self.data


def rerecord_command(folder: Path) -> str:
    """The command that re-records the suite's cassettes into `folder`."""
    return (
        "SIGNCHECK_API_KEY=... pytest --signcheck --signcheck-mode record "
        f"--signcheck-base-url <sandbox> --signcheck-cassettes {folder}"
    )


def _rerecord_hint(path: Path) -> str:
    return f"Re-record it: {rerecord_command(path.parent)}"


def _parse(text: str, path: Path) -> Any:
    """The cassette file's data: `_yaml.load` for plain YAML, vcrpy's own serializer otherwise."""
    serializer = _serializer(path)
    if serializer is yamlserializer:
        with contextlib.suppress(_yaml.Unsupported):
            return _yaml.load(text)
    return serializer.deserialize(text)


def _shape_problem(data: Any) -> str | None:
    """Why parsed data is not a vcrpy cassette at all (None when it has the shape of one)."""
    if data is None:
        return "it is empty"
    if not isinstance(data, dict):
        return f"its top level is a {type(data).__name__}, not a mapping with `interactions`"
    items = data.get("interactions")
    if not isinstance(items, list):
        return "it has no `interactions` list"
    for index, item in enumerate(items):
        if not (isinstance(item, dict) and isinstance(item.get("request"), dict)):
            return f"interaction {index} has no `request` mapping"
        if not isinstance(item.get("response"), dict):
            return f"interaction {index} has no `response` mapping"
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CassetteError(f"cassette {path} does not exist. {_rerecord_hint(path)}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CassetteError(f"cassette {path} cannot be read ({error}). {_rerecord_hint(path)}") from None


def _data(text: str, path: Path) -> Any:
    """Parsed and shape-checked; a file that never was a cassette is `NotACassette`."""
    if not text.strip():
        raise NotACassette(
            f"cassette {path} is not in vcrpy's format (it is empty). {_rerecord_hint(path)}", "it is empty"
        )
    try:
        data = _parse(text, path)
    except (yaml.YAMLError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        message = f"cassette {path} is truncated or malformed ({reason}). {_rerecord_hint(path)}"
        if "interactions" not in text:  # not a damaged cassette: some other file
            raise NotACassette(message, f"it does not parse ({reason})") from None
        raise CassetteError(message) from None
    problem = _shape_problem(data)
    if problem is not None:
        raise NotACassette(
            f"cassette {path} is not in vcrpy's format ({problem}). {_rerecord_hint(path)}", problem
        )
    return data


def load_cassette(path: Path) -> Cassette:
    """Read a vcrpy cassette (.yaml or .json) into the data vcrpy's safe loader gives; CassetteError if
    unusable, `NotACassette` if the file is not a cassette at all. Compressed bodies are decoded.

    The cycle collector pauses meanwhile: a cassette has no cycles, and collecting while hundreds of
    thousands of objects are built costs half the load time.
    """
    text = _read(path)
    enabled = gc.isenabled()
    gc.disable()
    try:
        data = _data(text, path)
        requests, responses, *rest = deserialize(text, _Parsed(data))
        metadata = dict(rest[0]) if rest else {}
        interactions = [
            _interaction(rq, rs, f"cassette {path} interaction {index}")
            for index, (rq, rs) in enumerate(zip(requests, responses, strict=True))
        ]
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as error:
        what = (
            f"{error.args[0]!r} is missing" if isinstance(error, KeyError) else "a field has the wrong type"
        )
        raise CassetteError(
            f"cassette {path} is not in vcrpy's format ({what}). {_rerecord_hint(path)}"
        ) from None
    finally:
        if enabled:
            gc.enable()
    return Cassette(path, interactions, metadata)


class Scrubber:
    """Replaces secrets and personal data, consistently within one cassette."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._memo: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}
        self._secrets = [secret for secret in secrets if secret]

    def fake(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._memo:
            n = self._counts[kind] = self._counts.get(kind, 0) + 1
            self._memo[key] = _FAKES[kind].format(n=n)
        return self._memo[key]

    def text(self, value: str) -> str:
        for secret in self._secrets:
            value = value.replace(secret, "<api-key>")
        return _LINK.sub(lambda m: m.group(1) + self.fake("token", m.group(2)), value)

    def json(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self.json(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.json(item, key) for item in value]
        if isinstance(value, str) and value:
            if key in _FAKES:
                return self.fake(key, value)
            return self.text(value)
        return value

    def body(self, content: bytes | None) -> bytes | None:
        if not content:
            return content
        try:
            parsed = json.loads(content)
        except ValueError:
            text = content.decode("utf-8", "surrogateescape")
            return self.text(text).encode("utf-8", "surrogateescape")
        return json.dumps(self.json(parsed), ensure_ascii=False).encode("utf-8")

    def headers(self, headers: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
        return {
            name: [self.text(v) for v in values]
            for name, values in headers.items()
            if name.lower() not in SECRET_HEADERS
        }

    def interaction(self, item: Interaction) -> Interaction:
        return Interaction(
            method=item.method,
            uri=self.text(item.uri),
            request_body=self.body(item.request_body),
            request_headers=self.headers(item.request_headers),
            status=item.status,
            reason=item.reason,
            headers=self.headers(item.headers),
            body=self.body(item.body) or b"",
        )


def _to_vcr(item: Interaction) -> tuple[Any, dict[str, Any]]:
    headers = {name: values[0] for name, values in item.request_headers.items() if values}
    request = VcrRequest(item.method, item.uri, item.request_body, headers)
    response = {
        "status": {"code": item.status, "message": item.reason},
        "headers": {name: list(values) for name, values in item.headers.items()},
        "body": {"string": item.body},
    }
    return request, response


def save_cassette(
    path: Path, interactions: Sequence[Interaction], metadata: Mapping[str, Any], secrets: Iterable[str] = ()
) -> None:
    """Scrub, serialise with vcrpy, then atomically replace `path` (never a half-written file)."""
    scrubber = Scrubber(secrets)
    pairs = [_to_vcr(scrubber.interaction(item)) for item in interactions]
    text = serialize(
        {
            "requests": [request for request, _ in pairs],
            "responses": [response for _, response in pairs],
            "metadata": dict(metadata),
        },
        _serializer(path),
    )
    atomic_write(path, text)


def mask_personal(value: Any) -> Any:
    """A request body with personal fields blanked: what replay matching compares."""
    if isinstance(value, dict):
        return {k: ("*" if k in PERSONAL_FIELDS else mask_personal(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_personal(item) for item in value]
    return value
