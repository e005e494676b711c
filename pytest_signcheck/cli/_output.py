"""What `signcheck audit` and `signcheck diff` share: the usage-error status, and printing that stops
quietly when the reader went away."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

EXIT_USAGE = 4


def print_lines(lines: Iterable[str]) -> None:
    """Print, and stop quietly when the reader went away (``signcheck audit ... | head``)."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's own recipe: point stdout at devnull, so the flush at exit cannot fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
