"""The proxy the environment names for an API, read as curl and pip read it.

A live or recording run reaches the vendor's sandbox the way the machine's other tools do: through
``HTTPS_PROXY`` (``HTTP_PROXY`` for an http URL), else ``ALL_PROXY``, unless ``NO_PROXY`` names the
host or a domain it is in (lower-case names win over upper-case ones; IP ranges in ``NO_PROXY`` are not
read). The suite asks for none for a loopback API: no proxy reaches this machine's loopback.
"""

from __future__ import annotations

import urllib.request
from urllib.parse import urlsplit

__all__ = ["environment_proxy", "proxy_label"]


def environment_proxy(url: str) -> str | None:
    """The proxy URL the environment names for `url`, or None."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy or _bypassed(parts.hostname or "", proxies.get("no", "")):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def _bypassed(host: str, no_proxy: str) -> bool:
    """Whether ``NO_PROXY`` names `host`: ``*``, the host itself, or a domain it is in (with or without
    a leading dot), case aside."""
    names = {name.strip().lstrip(".").lower() for name in no_proxy.split(",")} - {""}
    return "*" in names or any(host == name or host.endswith(f".{name}") for name in names)


def proxy_label(proxy: str) -> str:
    """`proxy` as a message names it: its scheme, host and port, never the password it may carry."""
    parts = urlsplit(proxy)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
