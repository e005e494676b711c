"""The public helpers in a user's own test file, run by pytest as a user runs it: the README's
`check_pagination(request, walk_pages(...))` pairing fails on drift, and a wrong argument type is one
clear `TypeError` line, not a traceback from inside a check."""

from __future__ import annotations

import pytest

USER_TESTS = """
from pytest_signcheck import assert_conforms, check_pagination, check_response, walk_pages

def fetch(request):  # 25 packages, but every page says 26
    skip, take = request["skip"], request["take"]
    items = [{"packageId": f"p-{n}"} for n in range(skip, min(skip + take, 25))]
    return {"items": items, "total": 26, "take": take, "skip": skip}

def test_walk():
    request = {"allMembers": True}
    assert_conforms(check_pagination(request, walk_pages(fetch, request, 10)))

def test_headers_as_a_string():
    check_response("GET /packages/{packageId}/status", {}, headers="Content-Type: text/html")
"""


def test_the_readme_pairing_and_a_bad_argument_as_a_user_sees_them(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*breaking pagination: POST /packages/list /total: The walk of 4 pages returned 25 distinct items"
            " but total is 26*",
            "E*TypeError: check_response(): `headers` must be a mapping (dict, httpx.Headers, requests'"
            " headers), a list of (name, value) pairs, or None; got a str",
        ]
    )
    assert "AttributeError" not in result.stdout.str()
