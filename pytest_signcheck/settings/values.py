"""How one option's value is read: a choice, a true/false, a number, a file a report or baseline may be
written to. Pure, like the rest of `settings`: each raises `ConfigError` naming where the value came
from (`said`: ``--signcheck-mode``, ``pytest.ini: signcheck_mode``, ``SIGNCHECK_MODE``) and the fix."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pytest_signcheck.errors import ConfigError

__all__ = [
    "BASELINE_SUFFIXES",
    "REPORT_SUFFIXES",
    "TRUTH_VALUES",
    "baseline_path",
    "choice",
    "flag",
    "flag_name",
    "max_age_days",
    "number",
    "report_paths",
    "whole",
    "writable_file",
]

#: File names a report may have: JSON for machines, Markdown for people.
REPORT_SUFFIXES = (".json", ".md")
#: File names a baseline may have.
BASELINE_SUFFIXES = (".yaml", ".yml", ".json")


def choice(value: Any, said: str, allowed: Sequence[str], default: str) -> str:
    if value is None:
        return default
    if value not in allowed:
        raise ConfigError(f"{said}={value!r} is not valid; use one of: {', '.join(allowed)}")
    return str(value)


TRUTH_VALUES = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False}
TRUTH_VALUES |= {"no": False, "off": False}


def flag(value: Any, said: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    if text not in TRUTH_VALUES:
        raise ConfigError(f"{said}={value!r} is not valid; use true or false (or 1/0, yes/no, on/off)")
    return TRUTH_VALUES[text]


def flag_name(dest: str) -> str:
    """The command-line flag of an option's argparse dest: signcheck_base_url -> --signcheck-base-url."""
    return "--" + dest.replace("_", "-")


def writable_file(path: Path, flag: str) -> Path:
    """`path` if a file can be written there after the run; ConfigError naming the obstacle otherwise.

    Checked before any test runs: a report that cannot be written must not cost a whole run. The probe
    does what the atomic write will do, creating (and removing) a temporary file in the folder:
    `os.access` answers yes to root everywhere, and for folders such as /proc that refuse new files.
    """
    if path.is_dir():
        raise ConfigError(f"{flag}={str(path)!r} is a directory; give a file name inside it")
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent  # the folders that do not exist yet are created when it is written
    if not parent.is_dir():
        raise ConfigError(f"{flag}={str(path)!r} cannot be written: {parent} is a file, not a folder")
    try:
        fd, probe = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".probe")
    except OSError as error:
        raise ConfigError(
            f"{flag}={str(path)!r} cannot be written: a file cannot be created in {parent} "
            f"({error.strerror or error}); give a path in a folder you can write to"
        ) from None
    os.close(fd)
    os.unlink(probe)
    if path.exists() and not os.access(path, os.W_OK):
        raise ConfigError(f"{flag}={str(path)!r} cannot be written: the file is read-only")
    return path


def report_paths(
    items: Sequence[str | Path], root: Path, flag: str = "--signcheck-report"
) -> tuple[Path, ...]:
    """Each report path, checked: a known suffix, and somewhere a file can be written."""
    paths = tuple(Path(root, item) for item in items)
    for path in paths:
        if path.suffix not in REPORT_SUFFIXES:
            raise ConfigError(f"{flag}={path.name!r}: use a .json (machines) or .md (people) file name")
        writable_file(path, flag)
    return paths


def baseline_path(value: Any, root: Path, flag: str, *, write: bool = False) -> Path | None:
    """A baseline to read (it must exist) or to write (it must be writable); YAML or JSON by name."""
    if value in (None, ""):
        return None
    path = Path(root, str(value))
    if path.suffix not in BASELINE_SUFFIXES:
        raise ConfigError(f"{flag}={str(value)!r}: use a .yaml, .yml or .json file name")
    if write:
        return writable_file(path, flag)
    if not path.is_file():
        raise ConfigError(
            f"{flag}={str(value)!r}: no such file. Write a first one with "
            f"--signcheck-write-baseline {path.name} (signcheck audit: --write-baseline)"
        )
    return path


def max_age_days(value: Any, flag: str = "--signcheck-max-age") -> int | None:
    """A whole number of days, 0 or more (None when unset)."""
    if value in (None, ""):
        return None
    try:
        days = int(str(value).strip())
    except ValueError:
        days = -1
    if days < 0:
        raise ConfigError(f"{flag}={value!r} is not a number of days; use a whole number such as 30")
    return days


def number(value: Any, flag: str, high: int, kind: type[int] | type[float], default: float) -> Any:
    """`value` as a `kind` above 0 and at most `high` (`default` when unset); ConfigError otherwise."""
    if value is None:
        return default
    try:
        number = kind(str(value).strip())
    except ValueError:
        number = 0
    if not 0 < number <= high:
        raise ConfigError(f"{flag}={value!r} is not valid; use a number above 0, at most {high}")
    return number


def whole(value: Any, flag: str, high: int | None = None) -> int:
    """A whole number from 0 (and at most `high`); 0 when unset; ConfigError naming the flag otherwise."""
    if value is None:
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if number < 0 or (high is not None and number > high):
        bound = f" to {high}" if high is not None else " or more"
        raise ConfigError(f"{flag}={value!r} is not valid; use a whole number from 0{bound}")
    return number
