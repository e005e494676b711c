"""Links wherever they appear, as rows, and the `signer-links` rules that hold for every link.

A link is a URL string (a revision's `link`, the `signLink` or `meetingLink` string of a Package object)
or a link object (`{name, link, type, token, timeExpires, ...}`: a status signer's `links[]`, a
`signLink` object, an `editLink`, the links/sign and links/edit responses). The rules written here,
once, for all of them:

- `malformed` (breaking): a link is an absolute http(s) URL; an empty one counts as no link, which
  the presence rules judge.
- `shape` (info): the URL ends ``/link/<token>``, as every documented example does (a guess).
- `token` (breaking): a link object's token is the last segment of its URL; `token-length` (info): it
  has 22 characters, as every example does.
- `expired` (info): a link that should still work had expired when the response was sent.

Whether a date-time is ISO 8601 is `timestamp`'s to judge, wherever it stands: these rules read only
the expiries that parse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from datetime import datetime
from itertools import compress, repeat
from operator import getitem, is_
from typing import Any, Protocol
from urllib.parse import urlsplit

from pytest_signcheck.checks._base import BREAKING, INFO, Aggregator
from pytest_signcheck.checks._rows import Column, distinct_strings
from pytest_signcheck.checks._time import parse_timestamp
from pytest_signcheck.contract.redact import render
from pytest_signcheck.findings import pattern_of

__all__ = [
    "LinkRows",
    "ListedLinks",
    "check_expiries",
    "check_tokens",
    "check_urls",
    "has_link",
    "last_segment",
]

_ABSOLUTE = re.compile(r"(?i:https?)://[^/?#\s]+(?:[/?#]\S*)?")
_SHAPED = re.compile(r".*/link/[^/]+/?", re.DOTALL)
_BASE = re.compile(r"(?i:https?)://[^/?#\s]+(?:/[^?#\s]*)?/link/")
_MALFORMED = "The link is not an absolute http(s) URL, so nobody can open it."
_SHAPE = (
    "The link does not end with /link/<token> like every documented link "
    "(a guess from the examples, not a documented rule)."
)


def has_link(value: Any) -> bool:
    """Whether a link field holds a link: a non-empty string, list or object."""
    return bool(value) and isinstance(value, str | list | dict)


class LinkRows(Protocol):
    """Link objects as columns (`tokens`, `urls`, `expiries`, `signed`), each row traceable to its
    pointer; `in_order` sorts rows into the order of the response."""

    tokens: Column
    urls: Column
    expiries: Column
    signed: Column

    def pointer(self, row: int, field: str = "") -> str: ...

    def in_order(self, rows: list[int]) -> list[int]: ...


class ListedLinks:
    """Link objects gathered one by one (from a Package object or a link response), with their pointers."""

    __slots__ = ("_pointers", "expiries", "signed", "tokens", "urls")

    def __init__(self, found: Iterable[tuple[str, dict[str, Any]]]) -> None:
        pairs = list(found)
        self._pointers = [pointer for pointer, _ in pairs]
        objects = [link for _, link in pairs]
        self.tokens: Column = tuple(link.get("token") for link in objects)
        self.urls: Column = tuple(link.get("link") for link in objects)
        self.expiries: Column = tuple(link.get("timeExpires") for link in objects)
        self.signed: Column = tuple(link.get("isSigned") for link in objects)

    def pointer(self, row: int, field: str = "") -> str:
        where = self._pointers[row]
        return f"{where}/{field}" if field else where

    def in_order(self, rows: list[int]) -> list[int]:
        return rows


#: URL strings of one kind (a column) and how to point at each row's.
Urls = tuple[Column, Callable[[int], str]]


def check_urls(aggregator: Aggregator, *columns: Urls) -> None:
    """Every non-empty link string is an absolute http(s) URL (breaking), ending /link/<token> (info).

    A column of URLs that all share one usable base is passed at once (`_usable`); otherwise each
    distinct string is judged once, and rows are walked only for the strings that break a rule.
    """
    rest = [(urls, pointer) for urls, pointer in columns if any(urls) and not _usable(urls)]
    if not rest:
        return
    distinct = set[str]().union(*(distinct_strings(urls) for urls, _ in rest))
    bad = {url: _problem(url) for url in distinct if url}
    for urls, pointer in rest:
        for row, url in enumerate(urls):
            problem = bad.get(url) if isinstance(url, str) else None
            if problem == "malformed":
                where = pointer(row)
                expected, group = "an http(s) URL", ("malformed", pattern_of(where))
                aggregator.add(
                    "malformed", BREAKING, where, expected, "another string", _MALFORMED, group=group
                )
            elif problem == "shape":
                aggregator.add("shape", INFO, pointer(row), ".../link/<token>", "another path", _SHAPE)


def _usable(urls: Column) -> bool:
    """Whether every value is a string `<base><token>`, all with the first one's base, a usable one
    ending /link/, and tokens of URL characters: the usual column, known to break no rule at C speed
    (no URL is split, hashed or matched one by one)."""
    first = urls[0] if urls else None
    if not isinstance(first, str):
        return False
    base = first[: first.rfind("/") + 1]
    try:
        if not _BASE.fullmatch(base) or not all(map(str.startswith, urls, repeat(base))):
            return False
    except TypeError:  # a value that is not a string (an object, or None: no link)
        return False
    joined = "".join(urls)
    if joined.count("/") != len(urls) * base.count("/") or min(map(len, urls)) <= len(base):
        return False  # a token with a "/" in it, or an empty one
    # No "?", "#" or white space (isprintable: nothing but the ASCII space among the separators).
    return "?" not in joined and "#" not in joined and " " not in joined and joined.isprintable()


def _problem(url: str) -> str | None:
    """The rule `url` breaks: `malformed` (not an absolute http(s) URL), `shape`, or None."""
    if not _ABSOLUTE.fullmatch(url):
        return "malformed"
    try:
        path = urlsplit(url).path
    except ValueError:
        return "malformed"
    return None if _SHAPED.fullmatch(path) else "shape"


def check_tokens(links: LinkRows, aggregator: Aggregator) -> None:
    """Each link ends with "/" and its token (breaking); the token has 22 characters (info)."""
    for row in links.in_order(_mismatched(links.tokens, links.urls)):
        token, url, pointer = links.tokens[row], links.urls[row], links.pointer(row)
        if not (url.endswith("/" + token) or last_segment(url) == token):
            message = (
                "The link's token is not the last segment of its URL, so the link and the token disagree."
            )
            group = ("token", pattern_of(pointer))
            where, shown = pointer + "/link", "another last segment"
            aggregator.add("token", BREAKING, where, ".../<token>", shown, message, group=group)
        elif len(token) != 22:
            message = (
                f"The link token has {len(token)} characters; every documented example has 22 "
                "(a guess from the examples, not a documented rule)."
            )
            where = pointer + "/token"
            aggregator.add("token-length", INFO, where, "22 characters", str(len(token)), message)


def _mismatched(tokens: Column, urls: Column) -> list[int]:
    """Rows whose link (a string) does not end with "/" and its token (a 22-character string)."""
    try:  # every token 22 characters long, at the end of its link, after the link's 23rd-last "/"
        if (
            set(map(len, tokens)) <= {22}
            and all(map(str.endswith, urls, tokens))
            and set(map(getitem, urls, repeat(-23))) <= {"/"}
        ):
            return []
    except (TypeError, IndexError):  # a token or a link that is not a string, a link too short
        pass
    return [
        row
        for row, (token, url) in enumerate(zip(tokens, urls, strict=True))
        if isinstance(token, str)
        and isinstance(url, str)
        and not (url.endswith("/" + token) and len(token) == 22)
    ]


def last_segment(url: str) -> str:
    """The last segment of a URL's path ("" when it has none or is not a URL)."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    return path.rstrip("/").rpartition("/")[2]


def check_expiries(
    links: LinkRows, now: datetime | None, aggregator: Aggregator, message: str, *, pending: bool
) -> None:
    """(info) No link had expired at `now`; with `pending`, only links whose isSigned is false count.

    Only expiries that parse are read: one that is not ISO 8601 is `timestamp`'s finding.
    """
    if now is None:
        return
    past = {value for value in distinct_strings(links.expiries) if _before(value, now)}
    for row in _holding(links, past, pending=pending):
        value, pointer = links.expiries[row], links.pointer(row, "timeExpires")
        aggregator.add("expired", INFO, pointer, f"after {now.isoformat()}", render(value), message)


def _before(value: str, now: datetime) -> bool:
    moment = parse_timestamp(value)
    return moment is not None and moment < now


def _holding(links: LinkRows, values: AbstractSet[str], *, pending: bool) -> list[int]:
    """The rows whose expiry is one of `values` (and, with `pending`, whose isSigned is false, not
    merely absent), in the order of the response."""
    if not values:
        return []
    rows: Iterable[int] = range(len(links.expiries))
    if pending:
        rows = compress(rows, map(is_, links.signed, repeat(False)))
    expiries = links.expiries
    found = [row for row in rows if isinstance(expiries[row], str) and expiries[row] in values]
    return links.in_order(found)
