"""The errors the sandbox answers with: ``{error, message}`` bodies and documented statuses only.

Documented codes and messages are used verbatim. Codes for cases the docs do not cover follow the
documented patterns (``{type}_not_authorized``, ``{type}_invalid_{error}``, ``{type}_range_{property}``,
``{type}_exception_{error}``) and are marked *inferred*.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


class ApiError(Exception):
    """An error response: HTTP status, machine code, human message, extra headers."""

    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers: Mapping[str, str] = MappingProxyType(dict(headers or {}))


PACKAGE_NOT_FOUND_MESSAGE = "The Package was not found or you do not have permission to access the Package."


def package_not_found() -> ApiError:
    """Documented: 404 ``package_not_found`` with the docs' message."""
    return ApiError(404, "package_not_found", PACKAGE_NOT_FOUND_MESSAGE)


def invalid_type() -> ApiError:
    """Documented: 400 ``package_invalid_type``."""
    return ApiError(400, "package_invalid_type", "Valid Package 'type' is required.")


def add_no_documents() -> ApiError:
    """Documented code; the message is a paraphrase of the docs' description."""
    return ApiError(
        400,
        "package_add_no_documents",
        "At least one document is required to add a package in the open state.",
    )


def add_no_signers() -> ApiError:
    """Documented code; the message is a paraphrase of the docs' description."""
    return ApiError(
        400, "package_add_no_signers", "At least one signer is required to add a package in the open state."
    )


def delete_retention() -> ApiError:
    """Documented code: the package is under a retention policy."""
    return ApiError(
        400, "package_delete_retention", "The package is under a retention policy and cannot be deleted."
    )


def invalid(kind: str, prop: str, message: str) -> ApiError:
    """Inferred code ``{kind}_invalid_{prop}`` (400), following the documented pattern."""
    return ApiError(400, f"{kind}_invalid_{prop}", message)


def out_of_range(kind: str, prop: str, message: str) -> ApiError:
    """Inferred code ``{kind}_range_{prop}`` (400), following the documented pattern."""
    return ApiError(400, f"{kind}_range_{prop}", message)


def not_authorized() -> ApiError:
    """Inferred: 403 ``api_key_not_authorized`` (the docs list 403, not 401, and this code pattern)."""
    return ApiError(
        403, "api_key_not_authorized", "The API key is missing or is not authorized to access this resource."
    )


def rate_limited() -> ApiError:
    """Inferred code; the 429 status is documented, ``Retry-After`` is not (the sandbox sends 0)."""
    return ApiError(
        429,
        "request_rate_limited",
        "Too many requests from this IP address or API key; retry later.",
        {"Retry-After": "0"},
    )


def endpoint_not_found() -> ApiError:
    """Inferred: an unknown path or method is a 404 (405 is not among the documented statuses)."""
    return ApiError(404, "endpoint_not_found", "There is no API endpoint at this path for this method.")


def server_exception() -> ApiError:
    """Inferred code following ``{type}_exception_{error}``."""
    return ApiError(500, "server_exception_unhandled", "The sandbox failed while processing the request.")
