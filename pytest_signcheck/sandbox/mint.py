"""Identifiers, tokens and links, all drawn from one seeded random stream (so runs repeat)."""

from __future__ import annotations

import base64
import random
import uuid

from .model import Link

LINK_BASE = "https://sign.example.test/link/"
"""Where signing links point: a reserved ``.test`` host; the token is the link's last segment."""


class Minter:
    """Mints lower-case GUIDs, 22-character base64url tokens and links from a seeded stream."""

    def __init__(self, seed: int | str) -> None:
        self._random = random.Random(seed)

    @property
    def random(self) -> random.Random:
        """The stream itself, for seeding choices that must stay in step with the ids."""
        return self._random

    def guid(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def token(self) -> str:
        return base64.urlsafe_b64encode(self._random.randbytes(16)).decode("ascii").rstrip("=")

    def secret(self) -> str:
        """A 43-character base64url secret (32 bytes)."""
        return base64.urlsafe_b64encode(self._random.randbytes(32)).decode("ascii").rstrip("=")

    def link(self, kind: str, name: str, expires: int) -> Link:
        token = self.token()
        return Link(token=token, url=LINK_BASE + token, kind=kind, name=name, expires=expires)
