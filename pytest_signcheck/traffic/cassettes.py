"""Cassettes in vcrpy's own format: loaded as vcrpy's safe loader would, scrubbed, written atomically.

Nothing secret is written (`scrub.py` says what is replaced, and by what). Webhook deliveries a
recording received are kept in the cassette's metadata, scrubbed the same way. A recording is written
to a temporary file and renamed into place, so a failed or interrupted recording never replaces a good
cassette.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from vcr.request import Request as VcrRequest
from vcr.serialize import deserialize, serialize
from vcr.serializers import jsonserializer, yamlserializer

from pytest_signcheck._atomic import atomic_write
from pytest_signcheck.errors import CassetteError
from pytest_signcheck.traffic import _yaml
from pytest_signcheck.traffic.encoding import decode_body
from pytest_signcheck.traffic.scrub import Scrubber, mask_personal
from pytest_signcheck.traffic.webhooks import Delivery, RecordedInbox

__all__ = [
    "Cassette",
    "Interaction",
    "NotACassette",
    "Scrubber",
    "load_cassette",
    "mask_personal",
    "rerecord_command",
    "save_cassette",
]


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
    #: Why the body could not be read (compressed bytes that do not decode), else empty. Only in someone
    #: else's cassette, which an audit reads: it skips this interaction and says why, and checks the rest.
    unreadable: str = ""


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

    def inbox(self) -> RecordedInbox | None:
        """The webhook deliveries the recording received (None when it registered no endpoint)."""
        return RecordedInbox.from_metadata(self.info.get("webhooks"), self.path.name)


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
    body, unreadable = _as_bytes(response["body"]["string"]), ""
    try:
        decoded_headers, body = decode_body(headers, body, where)
    except CassetteError as error:
        decoded_headers, unreadable = headers, str(error)
    return Interaction(
        method=str(request.method).upper(),
        uri=str(request.uri),
        request_body=request.body if request.body is None else _as_bytes(request.body),
        request_headers={str(k): [str(v)] for k, v in dict(request.headers).items()},
        status=int(response["status"]["code"]),
        reason=str(response["status"].get("message") or ""),
        headers=decoded_headers,
        body=body,
        unreadable=unreadable,
    )


class _Parsed:
    """A vcrpy serializer whose `deserialize` hands back data already read."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def deserialize(self, _text: str) -> Any:
        return self.data


def rerecord_command(folder: Path, api_version: str | None = None) -> str:
    """The command that re-records the suite's cassettes into `folder` (for `api_version`, if given).

    Never into the shipped cassettes inside the installed package, which are not the user's to
    overwrite (and are replaced by the next upgrade): a folder of the user's, `cassettes`, instead.
    """
    target = Path("cassettes") if _installed(folder) else folder
    version = f" --signcheck-api-version {api_version}" if api_version else ""
    return (
        "SIGNCHECK_API_KEY=... pytest --signcheck --signcheck-mode record "
        f"--signcheck-base-url <sandbox>{version} --signcheck-cassettes {target}"
    )


def _installed(folder: Path) -> bool:
    """Whether `folder` is inside this installed package (its shipped `_data`) or any site-packages."""
    resolved = folder.resolve()
    package = Path(__file__).resolve().parents[1]
    inside = resolved == package or package in resolved.parents
    return inside or any(part in ("site-packages", "dist-packages") for part in resolved.parts)


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
        raise CassetteError(f"cassette {path} does not exist.") from None
    except UnicodeDecodeError:  # vcrpy writes UTF-8 text: these bytes were never a cassette
        reason = "it is not UTF-8 text"
        raise NotACassette(f"cassette {path} is not in vcrpy's format ({reason}).", reason) from None
    except OSError as error:
        raise CassetteError(f"cassette {path} cannot be read ({error}).") from None


def _data(text: str, path: Path) -> Any:
    """Parsed and shape-checked; a file that never was a cassette is `NotACassette`."""
    if not text.strip():
        raise NotACassette(f"cassette {path} is not in vcrpy's format (it is empty).", "it is empty")
    try:
        data = _parse(text, path)
    except (yaml.YAMLError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        message = f"cassette {path} is truncated or malformed ({reason})."
        if "interactions" not in text:  # not a damaged cassette: some other file
            raise NotACassette(message, f"it does not parse ({reason})") from None
        raise CassetteError(message) from None
    problem = _shape_problem(data)
    if problem is not None:
        raise NotACassette(f"cassette {path} is not in vcrpy's format ({problem}).", problem)
    return data


def load_cassette(path: Path, *, ours: bool = True) -> Cassette:
    """Read a vcrpy cassette (.yaml or .json) into the data vcrpy's safe loader gives; CassetteError if
    unusable, `NotACassette` if the file is not a cassette at all. Compressed bodies are decoded.

    `ours`: the file is one of the suite's own recordings (a replay), so an error says how to record it
    again, and a body that does not decode is an error. Otherwise (an audit, a diff: anyone's
    cassettes) it says so only when the cassette's metadata shows signcheck recorded it: re-recording
    with signcheck would not remake someone else's cassette. In someone else's cassette, such a body
    marks its interaction `unreadable` (the audit skips it and says why), not the whole file.
    """
    parsed: list[Any] = []
    try:
        cassette = _load(path, parsed)
        unreadable = next((item.unreadable for item in cassette.interactions if item.unreadable), "")
        if unreadable and (ours or cassette.info):  # a recording of signcheck's: it replays every body
            raise CassetteError(unreadable)
        return cassette
    except CassetteError as error:
        if ours or _by_signcheck(parsed):
            error.args = (f"{error} {_rerecord_hint(path)}",)
        raise


def _by_signcheck(parsed: Sequence[Any]) -> bool:
    """Whether the parsed cassette data (if it got that far) holds ``metadata.signcheck``."""
    metadata = parsed[0].get("metadata") if parsed and isinstance(parsed[0], dict) else None
    return isinstance(metadata, dict) and isinstance(metadata.get("signcheck"), dict)


def _load(path: Path, parsed: list[Any]) -> Cassette:
    """`load_cassette`, the parsed data appended to `parsed` as soon as there is some.

    The cycle collector pauses meanwhile: a cassette has no cycles, and collecting while hundreds of
    thousands of objects are built costs half the load time.
    """
    text = _read(path)
    enabled = gc.isenabled()
    gc.disable()
    try:
        data = _data(text, path)
        parsed.append(data)
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
        raise CassetteError(f"cassette {path} is not in vcrpy's format ({what}).") from None
    finally:
        if enabled:
            gc.enable()
    return Cassette(path, interactions, metadata)


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
    path: Path,
    interactions: Sequence[Interaction],
    metadata: Mapping[str, Any],
    secrets: Iterable[str] = (),
    *,
    webhooks: tuple[str, Sequence[Delivery]] | None = None,
    replacements: Mapping[str, str] | None = None,
) -> None:
    """Scrub, serialise with vcrpy, then atomically replace `path` (never a half-written file).

    `webhooks` (the URL registered, and the deliveries received) go to ``metadata.signcheck.webhooks``,
    scrubbed with the interactions, so a replay registers the same URL and judges the same payloads.
    """
    scrubber = Scrubber(secrets, replacements)
    pairs = [_to_vcr(scrubber.interaction(item)) for item in interactions]
    data = dict(metadata)
    if webhooks is not None:
        url, deliveries = webhooks
        hooks = {"url": scrubber.text(url), "deliveries": [scrubber.delivery(d) for d in deliveries]}
        data["signcheck"] = {**data.get("signcheck", {}), "webhooks": hooks}
    text = serialize(
        {
            "requests": [request for request, _ in pairs],
            "responses": [response for _, response in pairs],
            "metadata": data,
        },
        _serializer(path),
    )
    atomic_write(path, text)
