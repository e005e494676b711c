"""The fixtures a user's own tests may use: the reference sandbox and a webhook receiver on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import fields
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pytest_signcheck.sandbox import SandboxServer
    from pytest_signcheck.traffic.webhooks import Receiver

__all__ = ["SandboxURL", "signcheck_sandbox", "signcheck_webhooks"]


class SandboxURL(str):
    """The reference sandbox's base URL (…/api/v1), as before, carrying the running sandbox: its key
    and its control surface (``.server.sign(...)``, ``.decline``, ``.flush``, ``.events``, ``.stats``)."""

    server: SandboxServer

    def __new__(cls, server: SandboxServer) -> SandboxURL:
        url = super().__new__(cls, server.base_url)
        url.server = server
        return url

    @property
    def api_key(self) -> str:
        return self.server.api_key


@pytest.fixture
def signcheck_sandbox(request: pytest.FixtureRequest) -> Iterator[SandboxURL]:
    """Start the reference sandbox on a free 127.0.0.1 port; yields its base URL (…/api/v1), a `str`
    whose ``.server`` is the running `SandboxServer` (signers sign and decline through it).

    Configure it with ``@pytest.mark.signcheck_sandbox(drifts=[...], api_version="3.6")``.
    The key is ``signcheck-sandbox-key`` unless the marker gives ``api_key``.
    """
    marker = request.node.get_closest_marker("signcheck_sandbox")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    if "drifts" in options:
        options["drifts"] = tuple(options["drifts"])
    with ExitStack() as stack:
        yield SandboxURL(_start_sandbox(stack, options))


def _start_sandbox(stack: ExitStack, options: dict[str, Any]) -> SandboxServer:
    """The started sandbox; a missing extra or a bad marker fails the test with its fix, once (failed
    outside the ``except``, so pytest shows no "During handling of the above exception" chain)."""
    try:
        from pytest_signcheck.sandbox import SandboxConfig, running

        unknown = sorted(set(options) - {f.name for f in fields(SandboxConfig)})
        if unknown:
            known = ", ".join(f.name for f in fields(SandboxConfig))
            raise TypeError(f"unknown argument {', '.join(map(repr, unknown))}; it takes {known}")
        return stack.enter_context(running(SandboxConfig(**options)))
    except ImportError as error:
        problem = (
            "the signcheck_sandbox fixture needs the sandbox extra (starlette, uvicorn): "
            f"pip install 'pytest-signcheck[sandbox]' ({error})"
        )
    except (TypeError, ValueError) as error:
        problem = f"@pytest.mark.signcheck_sandbox(...): {error}"
    pytest.fail(problem, pytrace=False)


@pytest.fixture
def signcheck_webhooks() -> Iterator[Receiver]:
    """A webhook receiver on a free 127.0.0.1 port: register ``signcheck_webhooks.url`` as the endpoint,
    then ``signcheck_webhooks.wait_for("package_add", timeout=10)`` returns the deliveries of that action
    once they came (fewer, if the deadline passed first; it never hangs). ``.deliveries()`` lists all,
    each with ``.payload``, ``.headers`` and the raw ``.body``; judge them with
    ``pytest_signcheck.check_webhook``."""
    from pytest_signcheck.traffic.webhooks import Receiver

    with Receiver() as receiver:
        yield receiver
