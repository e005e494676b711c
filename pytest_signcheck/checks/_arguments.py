"""The arguments of the public functions: the forms each accepts, read once where a caller's value enters.

`api` and the public functions of `checks` (`run_checks`, `check_webhook`, `check_pagination`,
`walk_pages`) call these; no check re-validates what they pass on. A value of the wrong kind is a
`TypeError` that names the argument, the type it was given (never the value: headers and bodies may
hold keys, tokens or personal data) and what is accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

__all__ = [
    "given",
    "headers_of",
    "optional_bool",
    "optional_datetime",
    "optional_str",
    "pages_of",
    "status_of",
]

_HEADERS = "a mapping (dict, httpx.Headers, requests' headers), a list of (name, value) pairs, or None"
_PAGES = "a list (or any iterable) of list pages, or of the (request, page) pairs walk_pages yields"


def given(value: Any) -> str:
    """What a caller passed, by type only: ``None``, ``a str``, ``a dict``."""
    return "None" if value is None else f"{_article(type(value).__name__)} {type(value).__name__}"


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeio" else "a"


def _refuse(function: str, name: str, value: Any, accepted: str) -> TypeError:
    return TypeError(f"{function}(): `{name}` must be {accepted}; got {given(value)}")


def headers_of(value: Any, function: str, name: str = "headers") -> dict[str, str]:
    """Headers with lower-case names; None is none known. Repeated names are joined with ", ", as
    HTTP folds them. Names and values may be `str` or `bytes` (httpx's ``headers.raw``)."""
    if value is None:
        return {}
    if isinstance(value, str | bytes | bytearray):
        raise _refuse(function, name, value, _HEADERS)
    items = getattr(value, "items", None)
    pairs = items() if callable(items) else value
    if not isinstance(pairs, Iterable):
        raise _refuse(function, name, value, _HEADERS)
    headers: dict[str, str] = {}
    for pair in pairs:
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise _refuse(function, name, value, _HEADERS + " (each pair a name and a value)")
        key, text = (_text(part, function, name, value) for part in pair)
        key = key.lower()
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def _text(part: Any, function: str, name: str, value: Any) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, bytes | bytearray):
        return bytes(part).decode("latin-1")
    raise _refuse(function, name, value, _HEADERS + " (names and values str or bytes)")


def status_of(value: Any, function: str, name: str = "status_code") -> int:
    """An HTTP status: an int (`http.HTTPStatus` too) or its decimal digits as a str, 100 to 599."""
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _refuse(function, name, value, 'an HTTP status code, an int such as 200 (or "200")')
    if not 100 <= value <= 599:
        raise ValueError(f"{function}(): `{name}` must be an HTTP status code, 100 to 599; got {value}")
    return value


def optional_bool(value: Any, function: str, name: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise _refuse(function, name, value, "True, False or None")
    return value


def instance_of(value: Any, kind: type | tuple[type, ...], function: str, name: str, accepted: str) -> None:
    """Refuse `value` unless it is a `kind`, naming what is `accepted`."""
    if not isinstance(value, kind):
        raise _refuse(function, name, value, accepted)


def count_of(value: Any, function: str, name: str) -> int:
    """A whole number of 1 or more (`take`, `max_pages`)."""
    if type(value) is not int or value < 1:
        shown = repr(value) if isinstance(value, int | float) else given(value)
        raise TypeError(f"{function}(): `{name}` must be a whole number of 1 or more; got {shown}")
    return value


def optional_str(value: Any, function: str, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _refuse(function, name, value, "a str or None")
    return value


def optional_datetime(value: Any, function: str, name: str = "now") -> datetime | None:
    if value is not None and not isinstance(value, datetime):
        raise _refuse(function, name, value, "a timezone-aware datetime or None")
    return value


def pages_of(value: Any, function: str, name: str = "pages") -> Iterable[Any]:
    """The pages of a walk; one page (a dict, a str or bytes) or a non-iterable is refused."""
    if isinstance(value, Mapping):
        raise _refuse(function, name, value, _PAGES + "; for one page, pass [page]")
    if isinstance(value, str | bytes | bytearray) or not isinstance(value, Iterable):
        raise _refuse(function, name, value, _PAGES)
    return value
