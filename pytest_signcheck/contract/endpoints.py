"""The documented endpoints and API releases, by name: one copy of each for the whole checker.

An `Endpoint` is a `str` (``"GET /packages/{packageId}/status"``), so it reads the same in reports,
findings and mappings keyed by plain strings. The sandbox keeps its own list on purpose (see
ARCHITECTURE.md): a misreading of the docs must not be shared by both sides.
"""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import urlsplit

__all__ = [
    "API_PREFIX",
    "API_VERSIONS",
    "ENDPOINTS",
    "WEBHOOK_ACTIONS",
    "WEBHOOK_LABELS",
    "WEBHOOK_PREFIX",
    "WEBHOOK_UNDOCUMENTED",
    "Endpoint",
    "api_path",
    "endpoint_for",
]

#: The documented API releases whose package states signcheck knows (the URL stays /api/v1).
API_VERSIONS: tuple[str, ...] = ("3.6", "4.0")
#: Every documented base URL ends with this path.
API_PREFIX = "/api/v1"


class Endpoint(StrEnum):
    """A documented endpoint, as ``METHOD /path-template`` relative to the API base."""

    UPLOAD = "POST /files/upload"
    ADD = "POST /packages/add"
    UPDATE = "POST /packages/update"
    GET = "GET /packages/{packageId}"
    STATUS = "GET /packages/{packageId}/status"
    DATA = "GET /packages/{packageId}/data"
    LIST = "POST /packages/list"
    SEND = "POST /packages/send"
    RESCIND = "POST /packages/rescind"
    DELETE = "POST /packages/delete"
    SIGN_LINK = "POST /packages/{packageId}/link/sign/{signerId}"
    EDIT_LINK = "POST /packages/{packageId}/link/edit"
    #: The reference says POST; one tab and the templates guide show GET (schemas/DECISIONS.md, T1).
    TEMPLATES_LIST = "POST /templates/list"
    #: Registers the webhook endpoint (§7 of the docs); its response carries the signing secret.
    EVENTS_ENDPOINT_SET = "POST /events/endpoints/set"

    @property
    def method(self) -> str:
        return self.value.partition(" ")[0]

    @property
    def template(self) -> str:
        return self.value.partition(" ")[2]


#: The documented webhook actions (§7), in the docs' order.
WEBHOOK_ACTIONS: tuple[str, ...] = (
    "package_add",
    "package_executed",
    "document_executed",
    "document_signed",
    "package_decline",
)
#: A webhook event's findings name it ``WEBHOOK <action>`` where a response names its endpoint, and
#: ``WEBHOOK *`` when its action is not one the docs list.
WEBHOOK_PREFIX = "WEBHOOK "
WEBHOOK_UNDOCUMENTED = WEBHOOK_PREFIX + "*"
WEBHOOK_LABELS: tuple[str, ...] = (
    *(WEBHOOK_PREFIX + action for action in WEBHOOK_ACTIONS),
    WEBHOOK_UNDOCUMENTED,
)

#: Every documented endpoint, in the order the docs list them.
ENDPOINTS: tuple[Endpoint, ...] = tuple(Endpoint)
_SEGMENTS = {endpoint: endpoint.template.strip("/").split("/") for endpoint in Endpoint}


def endpoint_for(method: str, path: str) -> Endpoint | None:
    """The documented endpoint a concrete request path (relative to the API base) belongs to."""
    method = method.upper()
    parts = [part for part in path.split("?", 1)[0].split("/") if part]
    for endpoint, template in _SEGMENTS.items():
        if endpoint.method == method and _matches(template, parts):
            return endpoint
    return None


def _matches(template: list[str], parts: list[str]) -> bool:
    return len(template) == len(parts) and all(
        want == got or want.startswith("{") for want, got in zip(template, parts, strict=True)
    )


def api_path(url_or_path: str, base_path: str = "") -> str:
    """The path of a request relative to the API base: `base_path` stripped when it prefixes the
    path, else everything up to and including ``/api/v1``. ``https://h/api/v1/packages/list`` ->
    ``/packages/list``."""
    path = urlsplit(url_or_path).path
    if base_path and path.startswith(base_path):
        return path[len(base_path) :] or "/"
    marker = path.find(API_PREFIX + "/")
    return path[marker + len(API_PREFIX) :] if marker >= 0 else path
