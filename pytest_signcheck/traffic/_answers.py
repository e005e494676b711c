"""What an answer that is not the API's says: wait and ask again (429, 502, 503, 504), or look elsewhere
(a redirect, which the client never follows)."""

from __future__ import annotations

import time
from datetime import UTC
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from pytest_signcheck.contract.redact import redact_text

__all__ = ["REDIRECTS", "RETRY_STATUSES", "redirected", "retry_after"]

#: Answers that say "not now" rather than anything about the API: a rate limit, and the gateway and
#: availability errors a load balancer serves (502, 503, 504), transient by definition.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
REDIRECTS = frozenset({301, 302, 303, 307, 308})


def retry_after(response: httpx.Response, attempt: int) -> float:
    """The seconds `Retry-After` asks for (seconds or an HTTP date); 1, 2, 4, 8 s when it is absent."""
    value = response.headers.get("retry-after")
    if value is None:
        return float(min(2**attempt, 8))
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return float(min(2**attempt, 8))
        # An HTTP date is in GMT, even in a form that does not say so (asctime's, or a -0000 offset),
        # which Python leaves naive: read as this machine's local time, it would be hours off.
        return max(0.0, when.replace(tzinfo=when.tzinfo or UTC).timestamp() - time.time())


def redirected(endpoint: str, url: str, response: httpx.Response) -> str:
    """Why a redirect stops the check: where it pointed (redacted), and what to change."""
    location = response.headers.get("location", "")
    target = str(httpx.URL(url).join(location)) if location else "nowhere (no Location header)"
    if not location:
        hint = "check --signcheck-base-url"
    elif target.rstrip("/") == url.rstrip("/") and target.endswith("/"):
        hint = "the server wants a trailing slash the documented paths do not have: is it the API?"
    elif urlsplit(target).scheme != urlsplit(url).scheme:
        hint = f"it moved to {urlsplit(target).scheme}: change the scheme of --signcheck-base-url"
    else:
        hint = "check --signcheck-base-url (http vs https, a trailing slash, the host)"
    return (
        f"{endpoint}: the API answered HTTP {response.status_code}, a redirect to {redact_text(target)}. "
        "signcheck does not follow redirects (following one silently would hide a moved endpoint "
        f"from the report): {hint}"
    )
