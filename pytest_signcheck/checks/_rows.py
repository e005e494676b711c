"""Rows: the objects of one kind from across a response, read into columns, each traceable to its pointer.

The checks that relate many objects (`integrity`, `signer-links`) judge a rule over a whole column at
once (a count, a comparison of two columns, a set), which costs next to nothing when the rule holds,
and walk only the rows that break it, recovering each row's JSON pointer from its index. So each rule
is written once, and the same code serves any layout and any odd shape: an item that is not an object
is left out (the `schema` check reports it), and a missing field reads as None, as `dict.get` gives it.

Fields are read with the parser's own key objects (`exchange.parsed_keys`): every field of a kind in
one `itemgetter` pass when they are all there, field by field otherwise.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Container, Iterable, Sequence
from itertools import accumulate, chain, compress, repeat
from operator import itemgetter, methodcaller
from typing import Any, Generic, NamedTuple, TypeVar

from pytest_signcheck.exchange import parsed_keys

__all__ = [
    "NO_ROW",
    "Column",
    "Reader",
    "Rows",
    "below",
    "differing",
    "distinct_strings",
    "gather",
    "other_than",
    "repeated",
    "strings_at",
    "top",
    "unknown",
]

Column = tuple[Any, ...]
F = TypeVar("F", bound=NamedTuple)


class Reader(Generic[F]):
    """Reads the fields of `kind` (a named tuple of columns, one per field) from objects.

    First all fields in one `itemgetter` pass (skipped when the last fields, after the `usual` ones,
    are `rare`); then the usual ones in one pass and the others with `get`; then, when an item is not
    an object or lacks a usual field, object by object. Each of `usual` and all is two fields or more,
    so that `itemgetter` gives a tuple per object.
    """

    def __init__(self, kind: type[F], usual: int, *, rare: bool = False) -> None:
        self.kind: type[F] = kind
        self.keys = parsed_keys(*kind._fields)
        rest = tuple(methodcaller("get", key) for key in self.keys[usual:])
        usual_pass = (itemgetter(*self.keys[:usual]), rest)
        self._passes: list[tuple[itemgetter[Any], tuple[methodcaller, ...]]] = []
        if not rare:
            self._passes.append((itemgetter(*self.keys), ()))
        if rest:
            self._passes.append(usual_pass)

    def __call__(self, items: list[Any]) -> tuple[list[dict[str, Any]], list[int] | None, F]:
        """(the objects among `items`, their positions when some items are not objects, the columns)."""
        for getter, rest in self._passes:
            try:
                columns = list(zip(*map(getter, items), strict=True)) or [()] * (len(self.keys) - len(rest))
                columns += [tuple(map(get, items)) for get in rest]
                return items, None, self.kind._make(columns)
            except (KeyError, TypeError, AttributeError):  # a field missing, or an item not an object
                continue
        kept = [n for n, item in enumerate(items) if isinstance(item, dict)]
        objects = [items[n] for n in kept]
        columns = [tuple(item.get(key) for item in objects) for key in self.keys]
        return objects, None if len(kept) == len(items) else kept, self.kind._make(columns)


class Rows(Generic[F]):
    """Objects of one kind in the order of the response, their `columns`, and the way back to each
    one's pointer: the objects come from the lists at `path` below the rows `parents` of `base` (or,
    without a base, from the one list at `path` in the body)."""

    __slots__ = ("_base", "_counts", "_kept", "_parents", "_path", "_starts", "columns", "objects")

    def __init__(
        self, read: Reader[F], path: str, lists: list[list[Any]], parents: list[int], base: Rows[Any] | None
    ) -> None:
        self._path, self._parents, self._base = path, parents, base
        self._counts = list(map(len, lists))
        self._starts = list(accumulate(self._counts, initial=0))  # where each list starts, and the end
        self.objects: list[dict[str, Any]]
        self._kept: list[int] | None  # the position of each object among the items, when some are not
        self.columns: F
        self.objects, self._kept, self.columns = read(list(chain.from_iterable(lists)))

    def __len__(self) -> int:
        return len(self.objects)

    def pointer(self, row: int, field: str = "") -> str:
        index, position = self._locate(row)
        where = f"{self._path}/{position}"
        if self._base is not None:
            where = self._base.pointer(self._parents[index]) + where
        return f"{where}/{field}" if field else where

    def parent(self, row: int) -> int:
        """The row of `base` that row `row` lies below."""
        return self._parents[self._locate(row)[0]]

    def spread(self, values: Sequence[Any]) -> Column:
        """For each row, the value its parent has in `values` (a column of `base`)."""
        flat = tuple(chain.from_iterable(map(repeat, map(values.__getitem__, self._parents), self._counts)))
        return flat if self._kept is None else tuple(map(flat.__getitem__, self._kept))

    def shape(self) -> tuple[int, int] | None:
        """(number of lists, their length) when every list has the same length and holds only objects."""
        counts = set(self._counts)
        if self._kept is not None or len(counts) > 1:
            return None
        return len(self._parents), counts.pop() if counts else 0

    def spans(self) -> list[tuple[int, int, int]]:
        """(parent row, first row, end row) of each list, in order."""
        edges = self._starts if self._kept is None else [bisect_left(self._kept, s) for s in self._starts]
        return list(zip(self._parents, edges, edges[1:], strict=False))

    def _locate(self, row: int) -> tuple[int, int]:
        flat = row if self._kept is None else self._kept[row]
        index = bisect_right(self._starts, flat) - 1
        return index, flat - self._starts[index]


def top(read: Reader[F], value: Any, path: str) -> Rows[F]:
    """The objects of a list in the body (none when it is not a list)."""
    return Rows(read, path, [value], [0], None) if isinstance(value, list) else Rows(read, path, [], [], None)


def below(read: Reader[F], base: Rows[Any], column: Column, path: str) -> Rows[F]:
    """The objects of the lists in `column` (a value per row of `base`; what is not a list is skipped)."""
    chosen = tuple(map(isinstance, column, repeat(list)))
    return Rows(read, path, list(compress(column, chosen)), list(compress(range(len(column)), chosen)), base)


#: The row `gather` gives a link whose revision id names no revision: every column reads None there.
NO_ROW = -1


def gather(column: Column, rows: Sequence[int]) -> Column:
    """`column` at each of `rows` (None at `NO_ROW`)."""
    padded = (*column, None)
    if len(rows) > 1:
        return tuple(itemgetter(*rows)(padded))
    return tuple(padded[row] for row in rows)


# Rules over whole columns. Each judges every row at once (C-level counts, comparisons, sets) and only
# when a row breaks the rule walks the rows, for the ones that do: the same rule, row by row.


def repeated(column: Column) -> list[int]:
    """Rows holding a string that an earlier row already holds."""
    try:
        if len(set(column)) == len(column):
            return []
    except TypeError:  # an unhashable value (a list, an object): look row by row
        pass
    seen: set[str] = set()
    found = []
    for row, value in enumerate(column):
        if isinstance(value, str):
            if value in seen:
                found.append(row)
            seen.add(value)
    return found


def other_than(column: Column, expected: Any) -> list[int]:
    """Rows holding a string other than `expected` (none when `expected` is not a string)."""
    if not isinstance(expected, str) or column.count(expected) == len(column):
        return []
    return [row for row, value in enumerate(column) if isinstance(value, str) and value != expected]


def differing(left: Column, right: Column) -> list[int]:
    """Rows where the two columns hold two different strings."""
    if left == right:  # equal strings at every row (values of other types do not count)
        return []
    return [
        row
        for row, (mine, theirs) in enumerate(zip(left, right, strict=True))
        if mine != theirs and isinstance(mine, str) and isinstance(theirs, str)
    ]


def unknown(column: Column, known: Container[str]) -> list[int]:
    """Rows holding a string that is not in `known`."""
    try:
        if all(map(known.__contains__, column)):
            return []
    except TypeError:  # an unhashable value
        pass
    return [row for row, value in enumerate(column) if isinstance(value, str) and value not in known]


def distinct_strings(column: Column) -> set[str]:
    """The distinct strings of `column`."""
    if column and column.count(column[0]) == len(column):  # one value throughout: nothing to hash
        return {column[0]} if isinstance(column[0], str) else set()
    try:
        distinct = set(column)
    except TypeError:  # an unhashable value
        return {value for value in column if isinstance(value, str)}
    if set(map(type, distinct)) <= {str}:  # strings only, the usual case: no loop in Python
        return distinct
    return {value for value in distinct if isinstance(value, str)}


def strings_at(column: Column, selected: Iterable[Any]) -> set[str]:
    """The distinct strings of `column` at the rows `selected` marks."""
    return distinct_strings(tuple(compress(column, selected)))
