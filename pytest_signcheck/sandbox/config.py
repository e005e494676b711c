"""How a sandbox is configured: key, API release, drifts, seed, size and throttling."""

from __future__ import annotations

from dataclasses import dataclass

from .drifts import DRIFTS, unknown_drifts

DEFAULT_API_KEY = "signcheck-sandbox-key"
"""The key the sandbox accepts unless told otherwise (send it in the ``api_key`` header)."""

API_VERSIONS = ("4.0", "3.6")
"""The releases whose package states the sandbox can report (3.6 has no executed/expired)."""


@dataclass(frozen=True)
class SandboxConfig:
    """Everything that decides what a sandbox answers.

    ``throttle``: answer the first N API requests with 429 and ``Retry-After: 0``; -1 answers every
    request that way. ``packages``: how many packages the organisation is seeded with.
    Bad values raise ``ValueError`` naming the allowed ones.
    """

    api_key: str = DEFAULT_API_KEY
    api_version: str = "4.0"
    drifts: tuple[str, ...] = ()
    seed: int = 0
    packages: int = 60
    throttle: int = 0

    def __post_init__(self) -> None:
        if self.api_version not in API_VERSIONS:
            raise ValueError(
                f"unknown api version {self.api_version!r}; known versions: {', '.join(API_VERSIONS)}"
            )
        unknown = unknown_drifts(tuple(self.drifts))
        if unknown:
            raise ValueError(
                f"unknown drift {', '.join(map(repr, unknown))}; known drifts: {', '.join(DRIFTS)}"
            )
        if not self.api_key:
            raise ValueError("api_key must not be empty")
        if self.packages < 0:
            raise ValueError(f"packages must be zero or more, not {self.packages}")
        if self.throttle < -1:
            raise ValueError(f"throttle must be -1 (always), 0 (never) or a count, not {self.throttle}")
