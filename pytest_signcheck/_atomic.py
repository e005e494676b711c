"""Atomic file writes: nothing signcheck writes (cassettes, reports) is ever seen half-written, nor
fails to be written for a file name in its text."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "utf8_text"]


def utf8_text(text: str) -> str:
    """`text`, as UTF-8 can hold it: every file signcheck writes is UTF-8, whatever the locale.

    In an ASCII locale (``LC_ALL=C`` with ``PYTHONUTF8=0``), or for a file name in another encoding,
    Python reads the bytes of a path it cannot decode as surrogate escapes, which UTF-8 cannot hold: a
    report naming a folder ``café`` would not be written. Those bytes are put back and read as UTF-8
    (``café`` again); a byte that is not UTF-8 becomes U+FFFD, as a file viewer shows it.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


def atomic_write(path: Path, text: str) -> None:
    """Write a temporary file beside `path`, then rename it into place: readers never see half a file."""
    text = utf8_text(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
