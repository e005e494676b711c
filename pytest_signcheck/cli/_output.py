"""What `signcheck audit` and `signcheck diff` share: the usage-error status, and printing that stops
quietly when the reader went away and never fails on a character the output cannot show."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import TextIO

EXIT_USAGE = 4


def _write(line: str, stream: TextIO) -> None:
    """`line` on `stream`; where its encoding cannot show a character (an ASCII terminal,
    ``PYTHONIOENCODING=ascii``, a file name that is not UTF-8), that character as a ``\\u`` escape,
    the rest of the line as it is: pytest's terminal writer does the same."""
    try:
        print(line, file=stream)
    except UnicodeEncodeError:
        encoding = stream.encoding or "utf-8"
        print(line.encode(encoding, "backslashreplace").decode(encoding), file=stream)


def print_lines(lines: Iterable[str], stream: TextIO | None = None) -> None:
    """Print to `stream` (stdout), and stop quietly when the reader went away (``signcheck audit ... |
    head``)."""
    stream = stream or sys.stdout
    try:
        for line in lines:
            _write(line, stream)
        stream.flush()
    except BrokenPipeError:
        # Python's own recipe: point stdout at devnull, so the flush at exit cannot fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
