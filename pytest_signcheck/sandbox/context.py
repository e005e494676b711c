"""What every handler gets: the request as data, and the sandbox's state behind one lock."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .config import SandboxConfig
from .delivery import Courier
from .effects import DriftEffects, Kind
from .intake import parse_object
from .model import Json
from .store import Store
from .webhooks import Outbox


@dataclass(frozen=True)
class Call:
    """One request, read in full before any handler runs."""

    params: Mapping[str, str]
    query: Mapping[str, str]
    content_type: str
    body: bytes

    def json(self) -> Json:
        """The body as a JSON object (``{}`` when empty); anything else is a 400."""
        return parse_object(self.body)


@dataclass
class Context:
    """The sandbox's state. Hold ``lock`` to read or change the store or the outbox."""

    config: SandboxConfig
    store: Store
    effects: DriftEffects
    courier: Courier
    outbox: Outbox
    lock: threading.RLock = field(default_factory=threading.RLock)
    requests: int = 0
    delayed_ms: int = 0
    _throttle_seen: int = 0

    @classmethod
    def create(cls, config: SandboxConfig, store: Store) -> Context:
        effects, courier = DriftEffects(config.drifts), Courier()
        shape = functools.partial(effects.shape, "webhook")
        outbox = Outbox(config.seed, shape, courier.send, signed=not effects.on("webhook-unsigned"))
        return cls(config, store, effects, courier, outbox)

    def count(self) -> None:
        """Count an API request and the delay it gets (``GET /_sandbox/stats``)."""
        with self.lock:
            self.requests += 1
            self.delayed_ms += self.config.delay_ms

    def throttled(self) -> bool:
        """Counts a request to an endpoint; true while the throttle still refuses requests."""
        with self.lock:
            self._throttle_seen += 1
            return self.config.throttle == -1 or self._throttle_seen <= self.config.throttle

    def links(self, requested: bool) -> bool:
        return self.effects.shows_links(requested)


Reply = tuple[Kind, Json]
Handler = Callable[[Call, Context], Reply]
