"""The reference sandbox: the documented iinked Sign API, served on loopback, with drift switches.

It follows the vendor's *documentation*, not the real service: where the docs are silent the
sandbox makes a documented guess (each module's docstring lists its guesses as "inferred").
It imports nothing from the rest of ``pytest_signcheck``, so a mistake in the checks and a mistake
here are unlikely to cancel out.

    with running(SandboxConfig(drifts=("type-lowercase",))) as server:
        httpx.post(server.base_url + "/packages/list", headers={"api_key": server.api_key}, json={})
        server.sign(package_id, signer_id)  # the sandbox's own control surface, not the vendor API
        server.flush()  # wait for the webhook deliveries it fired

Or from a shell: ``python -m pytest_signcheck.sandbox --port 8080``.
"""

from __future__ import annotations

from .clock import NOW, format_time
from .config import API_VERSIONS, DEFAULT_API_KEY, SandboxConfig
from .drifts import DRIFTS, Drift
from .errors import ApiError
from .server import SandboxServer, create_app, running

SANDBOX_NOW = format_time(NOW)
"""The sandbox's fixed "now" (``2025-06-02T09:00:00.0000000Z``): expiry and ``days`` are relative to it."""

__all__ = [
    "API_VERSIONS",
    "DEFAULT_API_KEY",
    "DRIFTS",
    "SANDBOX_NOW",
    "ApiError",
    "Drift",
    "SandboxConfig",
    "SandboxServer",
    "create_app",
    "running",
]
