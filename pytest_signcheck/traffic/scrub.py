"""Scrubbing: what a cassette may hold instead of secrets and personal data.

`api_key`/`Authorization`/cookie headers are dropped; secrets and personal data (as
`contract.redact.personal_kind` recognises them: the strings of every key that names a secret, wherever
it is; every email address, documented or not; keys that name personal data; every string of a person
object but its ids, constants, times and links; a URL's query values, fragment and token-like segments;
phone numbers and IP addresses inside undocumented fields) and the values of `packages/{id}/data` fields
are replaced by deterministic fakes of the same shape (an email stays an email at example.com, a date a
date, a phone number a phone number, an IP address one of 192.0.2.x, a secret a 22-character token),
the same value by the same fake within one cassette; link tokens are replaced consistently (a secret,
a link's last segment and a URL's token segment alike), so a token still equals its link's last
segment; the answer of
`events/endpoints/set` keeps only its `url` and `name` (the field that holds the webhook secret is not
documented, so every other string is replaced); a received webhook keeps its headers, but not its
signature. `mask_personal` is what replay matching compares instead of a request body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pytest_signcheck.contract.redact import (
    EMAIL,
    LINK_TOKEN,
    PERSONAL_FIELDS,
    SECRET_HEADERS,
    map_strings,
    scrub_embedded,
    scrub_url,
)
from pytest_signcheck.traffic.webhooks import SIGNATURE_HEADER, Delivery

if TYPE_CHECKING:
    from pytest_signcheck.traffic.cassettes import Interaction

__all__ = ["Scrubber", "mask_personal"]

#: A signing link's token: the segment after /link/, but not the API's own /link/sign/ and /link/edit.
_FAKES = {
    "firstName": "Given{n}",
    "lastName": "Family{n}",
    "email": "person{n}@example.com",
    "mobileNumber": "+1555010{n:04d}",
    "mobileNumberOriginal": "+1555010{n:04d}",
    "mobileNumberCountryCode": "+1",
    "declineMessage": "(redacted {n})",
    "token": "scrubbed{n:014d}",
    # packages/{id}/data: what the signers and the sender filled into the documents' fields
    "value": "redacted-value-{n}",
    # events/endpoints/set (inferred field name; the whole answer is scrubbed, see `Scrubber.secrets`)
    "secret": "scrubbed-secret-{n}",
    # personal data the docs do not name, by its shape (`contract.redact.personal_kind`); a date's
    # fake keeps the value's own format, see `Scrubber.fake`
    "phone": "+1555020{n:04d}",
    "text": "redacted-{n}",
    "ip": "192.0.2.{n}",
}
#: The documented fields that have a fake of their own, whatever their value looks like.
_FIELD_FAKES = PERSONAL_FIELDS | {"token"}
_DIGIT = re.compile(r"\d")
#: The strings of the events/endpoints/set answer that are not secret: the URL and name it was given.
_ENDPOINT_PUBLIC = frozenset({"url", "name"})
_ENDPOINT_PATH = "/events/endpoints/set"


class Scrubber:
    """Replaces secrets and personal data, consistently within one cassette.

    `secrets` (the API key) become ``<api-key>`` wherever they appear; `replacements` map other
    values (a user's webhook URL) to what is written instead.
    """

    def __init__(self, secrets: Iterable[str] = (), replacements: Mapping[str, str] | None = None) -> None:
        self._memo: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}
        self._replace = {secret: "<api-key>" for secret in secrets if secret}
        self._replace.update({value: shown for value, shown in (replacements or {}).items() if value})

    def fake(self, kind: str, value: str) -> str:
        """The fake of `value` (the same one each time); a ``date`` keeps its format, at 1970-01-01."""
        if kind == "date":
            return "1970-01-01" + _DIGIT.sub("0", value[10:])
        key = (kind, value)
        if key not in self._memo:
            n = self._counts[kind] = self._counts.get(kind, 0) + 1
            self._memo[key] = _FAKES[kind].format(n=n)
        return self._memo[key]

    def text(self, value: str) -> str:
        """Free text: secrets replaced, link tokens and email addresses faked wherever they are."""
        for secret, shown in self._replace.items():
            value = value.replace(secret, shown)
        value = EMAIL.sub(lambda m: self.fake("email", m.group()), value)
        return LINK_TOKEN.sub(lambda m: m.group(1) + self.fake("token", m.group(2)), value)

    def _token(self, value: str) -> str:
        return self.fake("token", value)

    def _string(self, key: str, value: str, kind: str | None) -> str:
        if key in _FIELD_FAKES and value:
            return self.fake(key, value)
        if kind == "secret":  # one fake for a token wherever it appears: a field, a link, a URL
            return self.fake("token", value)
        if kind == "url":
            return scrub_url(self.text(value), self._token)
        if kind == "embedded":
            return self.text(scrub_embedded(value, self.fake))
        return self.fake(kind, value) if kind is not None else self.text(value)

    def json(self, value: Any) -> Any:
        """Parsed JSON with its personal data and tokens faked; JSON types are kept."""
        return map_strings(value, self._string)

    def secrets(self, value: Any, key: str = "") -> Any:
        """Every string but the `url` and `name` replaced: an answer whose secret field is unnamed."""
        if isinstance(value, dict):
            return {k: self.secrets(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.secrets(item, key) for item in value]
        if isinstance(value, str) and value:
            return self.text(value) if key in _ENDPOINT_PUBLIC else self.fake("secret", value)
        return value

    def body(self, content: bytes | None, *, secret: bool = False) -> bytes | None:
        if not content:
            return content
        try:
            parsed = json.loads(content)
        except ValueError:
            if secret:  # not JSON, and it may hold the secret anyway
                return self.fake("secret", content.decode("utf-8", "replace")).encode("utf-8")
            text = content.decode("utf-8", "surrogateescape")
            return self.text(text).encode("utf-8", "surrogateescape")
        scrubbed = self.secrets(parsed) if secret else self.json(parsed)
        return json.dumps(scrubbed, ensure_ascii=False).encode("utf-8")

    def headers(self, headers: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
        return {
            name: [self.text(v) for v in values]
            for name, values in headers.items()
            if name.lower() not in SECRET_HEADERS
        }

    def interaction(self, item: Interaction) -> Interaction:
        secret = item.uri.split("?", 1)[0].endswith(_ENDPOINT_PATH)
        return replace(
            item,
            uri=self.text(item.uri),
            request_body=self.body(item.request_body),
            request_headers=self.headers(item.request_headers),
            headers=self.headers(item.headers),
            body=self.body(item.body, secret=secret) or b"",
        )

    def delivery(self, item: Delivery) -> dict[str, Any]:
        """A received webhook as a cassette keeps it: body scrubbed, signature replaced, no credentials."""
        headers = {
            name: ("scrubbed-signature" if name == SIGNATURE_HEADER else self.text(value))
            for name, value in (item.headers or {}).items()
            if name not in SECRET_HEADERS
        }
        body = self.body(item.body) or b""
        return {"headers": headers, "body": body.decode("utf-8", "replace")}


def _masked(key: str, value: str, kind: str | None) -> str:
    if kind is not None or (key in _FIELD_FAKES and value):
        return "*"
    return LINK_TOKEN.sub(r"\1*", EMAIL.sub("*", value))


def mask_personal(value: Any) -> Any:
    """A request body with every string the scrubber would change blanked: what replay matching
    compares (a recorded body holds fakes where the live one holds the real values)."""
    return map_strings(value, _masked)
