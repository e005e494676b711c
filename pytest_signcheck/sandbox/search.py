"""Full-text search as both list endpoints document it: terms, a ``*`` suffix wildcard.

Inferred: search is word based and case-insensitive; each whitespace-separated term is a phrase
whose words must follow one another inside one field (so an email or ``M-2025-004`` matches as a
whole), and every term must match somewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    """A search phrase: consecutive words, the last one perhaps a prefix (``Contract*``)."""

    words: tuple[str, ...]
    prefix: bool

    def within(self, field: list[str]) -> bool:
        *head, last = self.words
        for start in range(len(field) - len(self.words) + 1):
            window = field[start : start + len(self.words)]
            ends = window[-1].startswith(last) if self.prefix else window[-1] == last
            if ends and window[:-1] == head:
                return True
        return False


@dataclass(frozen=True)
class Search:
    """A parsed ``search`` value; an empty one matches everything."""

    terms: tuple[Term, ...]
    case_sensitive: bool = False

    @classmethod
    def parse(cls, search: str | None, case_sensitive: bool = False) -> Search:
        """One phrase per whitespace-separated chunk; a trailing ``*`` makes its last word a prefix."""
        terms = []
        for chunk in (search or "").split():
            words = tuple(_WORD.findall(chunk if case_sensitive else chunk.casefold()))
            if words:
                terms.append(Term(words, chunk.endswith("*")))
        return cls(tuple(terms), case_sensitive)

    def matches(self, fields: Iterable[str]) -> bool:
        """Every term occurs, as consecutive words, inside one of ``fields``."""
        if not self.terms:
            return True
        words = [_WORD.findall(f if self.case_sensitive else f.casefold()) for f in fields]
        return all(any(term.within(field) for field in words) for term in self.terms)
