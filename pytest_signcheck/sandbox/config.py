"""How a sandbox is configured: key, API release, drifts, seed, size, throttling and delay."""

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
    request that way. ``packages`` and ``templates``: how many of each the organisation is seeded
    with. ``delay_ms``: hold every API response this many milliseconds (the control surface is not
    delayed). Bad values raise ``ValueError`` naming the allowed ones.
    """

    api_key: str = DEFAULT_API_KEY
    api_version: str = "4.0"
    drifts: tuple[str, ...] = ()
    seed: int = 0
    packages: int = 60
    throttle: int = 0
    templates: int = 24
    delay_ms: int = 0

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
        for name in ("packages", "templates", "delay_ms"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be zero or more, not {getattr(self, name)}")
        if self.throttle < -1:
            raise ValueError(f"throttle must be -1 (always), 0 (never) or a count, not {self.throttle}")
