"""Problems that stop signcheck from checking at all: a different family from findings.

Every message says what was wrong and how to fix it. The plugin turns `ConfigError` into
`pytest.UsageError` and `CouldNotCheck` into the documented could-not-check outcome.
"""

from __future__ import annotations

__all__ = ["CassetteError", "ConfigError", "CouldNotCheck", "SigncheckError"]


class SigncheckError(Exception):
    """Base of every error signcheck raises on purpose."""


class ConfigError(SigncheckError):
    """A setting or an input file is wrong; the message names the fix."""


class CouldNotCheck(SigncheckError):
    """The API could not be checked: unreachable host, refused key, rate limit, missing recording."""


class CassetteError(CouldNotCheck):
    """A cassette is missing, truncated or malformed, or lacks a needed interaction."""
