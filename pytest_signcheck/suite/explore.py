"""The exploration of ``packages/list``, opt-in with ``pytest --signcheck --signcheck-explore N``.

N request bodies drawn from the documented request schema (`contract.list_requests`: the filters,
`take`, `skip`, `sortBy` and their combinations) from a fixed seed (``--signcheck-explore-seed``,
default 0), each sent once. Every response goes through `run_checks` as the `list` scenario's pages
do: the schemas, `filters` (every item against the body's filters, the `sortBy` order on the page) and
one-page `pagination`. Nothing tells it which filter to doubt.

Reproducible: the same N, seed and API release give the same bodies in the same order (on any machine:
`contract.list_requests` draws from a seeded `random.Random`), so a recording replays exactly (replay
matches requests on their JSON body), and a replay asked for another N or seed than its cassette
holds is could-not-check, saying which. Bounded: at most N list requests, plus a draft added (and
deleted) to read the API's clock for `days` (`explore_cap`).

No shrinking. A smaller failing body would cost requests that no cap bounds, and a replay could not
make them. Bodies are small (a lead field and at most two others), and every finding names the body it
came from: the failing example is reported as found, as a request body that reproduces it.

A refusal (400 or 422 with the documented error body) of a body the schema allows is `http` info, not
drift: the docs bound no number and name one `sortBy`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from pytest_signcheck.contract.redact import redact_text
from pytest_signcheck.errors import CassetteError
from pytest_signcheck.findings import Finding, Severity, repeated, without_repeats
from pytest_signcheck.settings import Settings
from pytest_signcheck.suite.context import ScenarioContext
from pytest_signcheck.suite.listing import api_clock
from pytest_signcheck.suite.plan import Plan

__all__ = [
    "CLOCK_REQUESTS",
    "EXPLORE",
    "explore",
    "explore_cap",
    "explore_plan",
    "no_recording",
    "recorded",
    "render_body",
    "replay_mismatch",
]

EXPLORE = "explore"
#: The draft added, and deleted, to read the API's clock.
CLOCK_REQUESTS = 2
_REFUSALS = frozenset({400, 422})
_PATH = "/packages/list"


def explore_cap(examples: int) -> int:
    """The most requests an exploration of `examples` bodies sends, cleanup included."""
    return examples + CLOCK_REQUESTS


def explore_plan(settings: Settings) -> Plan:
    """The exploration of this run's N and seed: its cap, what its recording keeps, and how a replay
    tells a recording of another N or seed, or none at all."""
    return Plan(
        partial(explore, examples=settings.explore, seed=settings.explore_seed),
        explore_cap(settings.explore),
        recorded={"explore": recorded(settings)},
        mismatch=lambda info, record: replay_mismatch(info, settings, record),
        missing=lambda path, record: no_recording(path, settings, record),
    )


def recorded(settings: Settings) -> dict[str, Any]:
    """What a recording keeps of the exploration, so a replay can tell whether it asks the same."""
    return {
        "examples": settings.explore,
        "seed": settings.explore_seed,
    }


def no_recording(path: Path, settings: Settings, record: str) -> str:
    """Why a replay of the exploration has nothing to replay (`path` does not exist), and how to record
    it; `record` is the command that records the suite's cassettes into `path`'s folder."""
    flags = f"--signcheck-explore {settings.explore} --signcheck-explore-seed {settings.explore_seed}"
    if settings.cassettes is not None:
        return f"cassette {path} does not exist: record the exploration into it: {record} {flags}"
    return (
        "the shipped cassettes hold no exploration (it is opt-in, and what it sends depends on N and the "
        "seed). Record one into a folder of yours: SIGNCHECK_API_KEY=... pytest --signcheck --signcheck-mode "
        f"record --signcheck-base-url <sandbox> --signcheck-cassettes DIR {flags}; then replay it with "
        f"--signcheck-cassettes DIR {flags} (or explore without recording: --signcheck-mode live)"
    )


def replay_mismatch(info: Mapping[str, Any], settings: Settings, record: str) -> str | None:
    """Why a cassette cannot answer this run's exploration (another N or seed), or None; `record` is
    the command that records the suite's cassettes."""
    held = info.get("explore")
    held = held if isinstance(held, Mapping) else {}
    examples, seed = settings.explore, settings.explore_seed
    if (held.get("examples"), held.get("seed")) == (examples, seed):
        return None
    this = f"--signcheck-explore {examples} --signcheck-explore-seed {seed}"
    if not held:
        return f"it holds no exploration, so it cannot replay {this}. Record one: {record} {this}"
    that = f"--signcheck-explore {held.get('examples')} --signcheck-explore-seed {held.get('seed')}"
    return f"it holds the exploration of {that}, not of {this}. Replay with those, or record: {record} {this}"


def explore(ctx: ScenarioContext, *, examples: int, seed: int) -> None:
    """Read the API's clock, then send each body drawn and judge its response."""
    from pytest_signcheck.contract.list_requests import draw  # the schema's walk: only when exploring

    clock = api_clock(ctx)
    bodies = draw(examples, seed, ctx.api_version)
    if clock is None:  # `days` is judged against the API's clock; without it, it is not asked
        ctx.note("the days filter was not explored: the API's clock could not be read")
        bodies = [{key: value for key, value in body.items() if key != "days"} for body in bodies]
    tally: dict[str, Any] = {"examples": examples, "seed": seed, "bodies": len(bodies), "refused": 0}
    tally["with_findings"] = 0
    ctx.evidence["explore"] = tally
    try:
        for body in bodies:
            before = len(ctx.findings)
            tally["refused"] += _judge(ctx, body)
            found = ctx.findings[before:]
            ctx.findings[before:] = [_reproducible(finding, body) for finding in found]
            tally["with_findings"] += bool(found)
    except CassetteError as error:
        raise CassetteError(f"{error} {_regenerated(examples, seed)}") from None


def _judge(ctx: ScenarioContext, body: dict[str, Any]) -> bool:
    """Send one body and check its response; whether the API refused it."""
    exchange = ctx.client.call("POST", _PATH, json_body=body)
    status = exchange.status_code
    if status not in _REFUSALS:
        ctx.check(exchange)
        return False
    ctx.check(exchange, expected_status=status)  # its error body is still judged
    code = exchange.body.get("error") if isinstance(exchange.body, dict) else None
    ctx.finding(
        "http",
        exchange,
        "",
        200,
        f"{status} {code}" if isinstance(code, str) else status,
        "The API refused a body the documented request schema allows (reported, not failed: the docs "
        "bound no number and name one sortBy).",
        severity=Severity.INFO,
    )
    return True


def _reproducible(finding: Finding, body: dict[str, Any]) -> Finding:
    """`finding`, its message naming the body that reproduces it (before its "(and N more at ...)"
    ending, which the report reads)."""
    message = f"{without_repeats(finding.message)} Request body to reproduce it: {render_body(body)}"
    return repeated(replace(finding, message=message, occurrences=1), finding.occurrences)


def render_body(body: dict[str, Any]) -> str:
    """A body as one line of JSON, keys sorted; redacted, though generated values are not personal."""
    text = redact_text(json.dumps(body, sort_keys=True, ensure_ascii=False))
    return text if len(text) <= 400 else text[:397] + "..."


def _regenerated(examples: int, seed: int) -> str:
    return (
        "The exploration's bodies are drawn from the seed: a cassette recorded with another release of "
        "pytest-signcheck may hold other bodies. Record it again with "
        f"--signcheck-explore {examples} --signcheck-explore-seed {seed}."
    )
