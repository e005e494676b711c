"""Compressed bodies: a cassette stores the body the API meant, never the bytes of its compression.

Most APIs gzip their JSON when the client accepts it (httpx always asks for gzip and deflate, and for
br when a Brotli decoder is installed). A recording keeps the decoded body and drops the
`Content-Encoding` header, as vcrpy's ``decode_compressed_response`` does, so the cassette holds
readable JSON and replays without a decoder. A cassette recorded by someone else with its
compressed bytes is decoded the same way when it is loaded.

Some recorders keep the header but not the compression: vcrpy with `requests` stores the body
`requests` already decompressed, beside ``Content-Encoding: gzip``. A body that does not decode but is
already what the response declares (JSON, or text for a ``text/*`` type) is read as it is.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pytest_signcheck.errors import CassetteError

__all__ = ["DECODERS", "already_decoded", "decode_body", "without_encoding"]


def _gzip(data: bytes) -> bytes:
    return zlib.decompress(data, zlib.MAX_WBITS | 32)  # gzip or zlib header, whichever it is


def _deflate(data: bytes) -> bytes:
    try:
        return zlib.decompress(data)
    except zlib.error:  # some servers send raw deflate without the zlib wrapper (httpx accepts both)
        return zlib.decompress(data, -zlib.MAX_WBITS)


def _brotli() -> Callable[[bytes], bytes] | None:
    for name in ("brotli", "brotlicffi"):
        try:
            module: Any = __import__(name)
        except ImportError:
            continue
        return module.decompress  # type: ignore[no-any-return]
    return None


#: Content-Encoding token -> decoder. br only where a Brotli decoder is installed.
DECODERS: dict[str, Callable[[bytes], bytes]] = {"gzip": _gzip, "x-gzip": _gzip, "deflate": _deflate}
if (_br := _brotli()) is not None:
    DECODERS["br"] = _br


def _encodings(headers: Mapping[str, Sequence[str]]) -> list[str]:
    values = [v for name, vs in headers.items() if name.lower() == "content-encoding" for v in vs]
    tokens = [token.strip().lower() for value in values for token in value.split(",")]
    return [token for token in tokens if token and token != "identity"]


def without_encoding(headers: Mapping[str, Sequence[str]], length: int) -> dict[str, list[str]]:
    """`headers` for a body that is no longer compressed: no Content-Encoding, the right length."""
    kept: dict[str, list[str]] = {}
    for name, values in headers.items():
        lowered = name.lower()
        if lowered == "content-encoding":
            continue
        kept[name] = [str(length)] if lowered == "content-length" else list(values)
    return kept


def _content_type(headers: Mapping[str, Sequence[str]]) -> str:
    values = [v for name, vs in headers.items() if name.lower() == "content-type" for v in vs]
    return values[0].split(";")[0].strip().lower() if values else ""


def already_decoded(headers: Mapping[str, Sequence[str]], body: bytes) -> bool:
    """Whether `body` is already the content the response declares, whatever its Content-Encoding says:
    nothing at all, JSON (for any type but ``text/*``), or UTF-8 text (for ``text/*``)."""
    if not body:
        return True
    try:
        text = body.decode("utf-8")
        if not _content_type(headers).startswith("text/"):
            json.loads(text)
    except ValueError:  # UnicodeDecodeError and json.JSONDecodeError are both ValueErrors
        return False
    return True


def decode_body(
    headers: Mapping[str, Sequence[str]], body: bytes, where: str
) -> tuple[Mapping[str, Sequence[str]], bytes]:
    """The headers and body as they were before the server compressed them (unchanged when plain).

    `where` names the interaction in the CassetteError raised for an encoding signcheck cannot decode.
    A body that is already plain (`already_decoded`) is kept as it is, without its Content-Encoding.
    """
    encodings = _encodings(headers)
    if not encodings:
        return headers, body
    try:
        body = _decoded(encodings, body, where)
    except CassetteError:
        if not already_decoded(headers, body):
            raise
    return without_encoding(headers, len(body)), body


def _decoded(encodings: Sequence[str], body: bytes, where: str) -> bytes:
    for token in reversed(encodings):  # the last encoding listed was applied last
        decoder = DECODERS.get(token)
        if decoder is None:
            hint = " (pip install brotli)" if token == "br" else ""
            raise CassetteError(f"{where}: its body is {token}-compressed and cannot be decoded here{hint}")
        try:
            body = decoder(body)
        except Exception as error:  # zlib.error, brotli.error: both say the bytes are not what they claim
            raise CassetteError(f"{where}: its {token} body does not decode ({error})") from None
    return body
