"""Runs one scenario in the configured mode: replay a cassette, record one, or just go live."""

from __future__ import annotations

import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx

from pytest_signcheck._resources import data_dir
from pytest_signcheck.checks import webhook_endpoint
from pytest_signcheck.errors import CouldNotCheck
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import Finding, Severity
from pytest_signcheck.settings import Settings, is_loopback
from pytest_signcheck.suite.context import NotExercised, ScenarioContext
from pytest_signcheck.suite.explore import EXPLORE, explore_plan
from pytest_signcheck.suite.plan import Plan
from pytest_signcheck.suite.scenarios import REQUEST_CAPS, SCENARIO_FUNCTIONS
from pytest_signcheck.traffic.accounting import Answered
from pytest_signcheck.traffic.cassettes import Cassette, load_cassette, rerecord_command, save_cassette
from pytest_signcheck.traffic.provenance import age_problem, cassette_evidence, format_time, recorded_at
from pytest_signcheck.traffic.proxy import environment_proxy, proxy_label
from pytest_signcheck.traffic.transport import Client, RecordingTransport, ReplayTransport
from pytest_signcheck.traffic.webhooks import Inbox, Receiver

__all__ = ["SCENARIOS", "SHIPPED_NOTE", "ScenarioResult", "SuiteRunner"]

InboxFactory = Callable[[], Inbox | None]

SCENARIOS: tuple[str, ...] = tuple(SCENARIO_FUNCTIONS)
#: Said of every replay of the shipped cassettes: a pass proves the plugin works, not the vendor.
SHIPPED_NOTE = (
    "shipped cassette, recorded against pytest-signcheck's reference sandbox on 127.0.0.1, "
    "not against iinked Sign: it proves the plugin works and says nothing about the vendor's API"
)


@dataclass
class ScenarioResult:
    scenario: str
    findings: list[Finding] = field(default_factory=list)
    problem: str | None = None
    #: Why the scenario could not be exercised against this target at all (the test is skipped).
    skipped: str | None = None
    #: Where the responses came from (cassette, its date, base URL, API version) and how many looked
    #: like the API: what the report states as this scenario's evidence.
    evidence: dict[str, Any] = field(default_factory=dict)


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context for the run's scenarios: loading the CA bundle costs ~20 ms of CPU, and httpx
    loads it again for every transport it is not given a context for."""
    return httpx.create_ssl_context()


class SuiteRunner:
    """Knows the mode and where cassettes live; each `run` is one scenario with its own cassette."""

    def __init__(
        self, settings: Settings, transport_factory: Any = None, inbox_factory: InboxFactory | None = None
    ) -> None:
        self.settings = settings
        self._transport_factory = transport_factory or self._http_transport
        self._inbox_factory = inbox_factory or self._receiver

    def _proxy(self) -> str | None:
        """The proxy the environment names for the API; none for a loopback one, which no proxy reaches."""
        return None if is_loopback(self.settings.host) else environment_proxy(self.settings.base_url)

    def _http_transport(self) -> httpx.BaseTransport:
        """HTTP for a live or recording run, through the environment's proxy (`_proxy`)."""
        proxy = self._proxy()
        try:
            return httpx.HTTPTransport(retries=1, verify=_tls(), proxy=proxy)
        except (ImportError, ValueError) as error:  # socks5 without httpx[socks]; a scheme httpx lacks
            fix = error if isinstance(error, ImportError) else "give an http, https or socks5 proxy URL"
            raise CouldNotCheck(
                f"cannot use the proxy {proxy_label(str(proxy))} that HTTPS_PROXY, HTTP_PROXY or ALL_PROXY "
                f"names for {self.settings.host}: {fix}; or add {self.settings.host} to NO_PROXY"
            ) from None

    def _receiver(self) -> Inbox | None:
        """Where live webhooks arrive: the user's URL, forwarding to a receiver on the webhook port; a
        receiver on a free loopback port for a loopback API; else nowhere (the scenario is skipped)."""
        if self.settings.webhook_url:
            return Receiver(self.settings.webhook_port, self.settings.webhook_url)
        if is_loopback(self.settings.host):
            return Receiver()
        return None

    def cassette_path(self, scenario: str) -> Path:
        """`<scenario>.yaml`, or `<scenario>.json` where only that exists (JSON loads ~4x faster)."""
        folder = self.settings.cassettes or Path(str(data_dir("cassettes")))
        yaml_path, json_path = folder / f"{scenario}.yaml", folder / f"{scenario}.json"
        return json_path if json_path.exists() and not yaml_path.exists() else yaml_path

    def plan(self, scenario: str) -> Plan:
        """What a scenario runs, its request cap, and what its recording must hold."""
        if scenario == EXPLORE:
            return explore_plan(self.settings)
        return Plan(SCENARIO_FUNCTIONS[scenario], REQUEST_CAPS.get(scenario))

    def run(self, scenario: str) -> ScenarioResult:
        """Run one scenario; a CouldNotCheck becomes `problem`, drift becomes `findings`."""
        evidence: dict[str, Any] = {"scenario": scenario}
        try:
            if self.settings.mode == "replay":
                findings = self._replay(scenario, evidence)
            else:
                findings = self._live(scenario, evidence, record=self.settings.mode == "record")
        except CouldNotCheck as error:
            left = evidence.get("left_behind") and evidence.get("note")
            problem = f"{error}; {left}" if left else str(error)
            return ScenarioResult(scenario, problem=problem, evidence=evidence)
        except NotExercised as skipped:
            return ScenarioResult(scenario, skipped=str(skipped), evidence=evidence)
        return ScenarioResult(scenario, findings, evidence=evidence)

    def _execute(
        self,
        scenario: str,
        client: Client,
        ctx_args: tuple[str, datetime],
        evidence: dict[str, Any],
        inboxes: _Inboxes,
    ) -> list[Finding]:
        run_id, now = ctx_args
        timeout = self.settings.webhook_timeout
        ctx = _Checking(
            client, self.settings.api_version, run_id, now, open_inbox=inboxes.open, webhook_timeout=timeout
        )
        try:
            self.plan(scenario).run(ctx)
            evidence.update(_checked(ctx, inboxes.inbox))
        finally:
            ctx.cleanup()
            client.close()
            inboxes.close()
            evidence.update(client.tally.to_dict(), **client.cost.to_dict())
            evidence.update(ctx.evidence)
            if ctx.left_behind and self.settings.mode != "replay":  # a replay deletes nothing real
                evidence["left_behind"] = len(ctx.left_behind.packages)
                evidence["note"] = ctx.left_behind.undeleted(
                    "the API did not answer this scenario's deletes, twice"
                )
        return ctx.findings

    def _rerecord(self, api_version: str | None = None) -> str:
        """The command that records the suite into the user's folder (never the shipped one)."""
        return rerecord_command(self.settings.cassettes or Path("cassettes"), api_version)

    def _other_version(self, info: dict[str, Any]) -> str | None:
        """Why a cassette recorded for another API version cannot check this one (None if it can): its
        answers were the other version's, so judging them by this version's rules checks neither."""
        held, wanted = info.get("api_version"), self.settings.api_version
        if held is None or str(held) == wanted:
            return None
        return (
            f"recorded for API {held}, and this run checks API {wanted}; replay with "
            f"--signcheck-api-version {held}, or record for {wanted}: {self._rerecord(wanted)}"
        )

    def _replay(self, scenario: str, evidence: dict[str, Any]) -> list[Finding]:
        path = self.cassette_path(scenario)
        evidence["source"] = str(path)
        plan = self.plan(scenario)
        if plan.missing is not None and not path.exists():
            raise CouldNotCheck(plan.missing(path, self._rerecord()))
        cassette: Cassette = load_cassette(path)
        evidence.update(cassette_evidence(cassette, datetime.now(UTC)))
        if self.settings.cassettes is None:
            evidence["note"] = SHIPPED_NOTE
        info = cassette.info
        other = self._other_version(info) or plan.mismatch(info, self._rerecord())
        if other:
            raise CouldNotCheck(f"cassette {path}: {other}")
        too_old = age_problem(cassette, self.settings.max_age, datetime.now(UTC))
        if too_old:
            raise CouldNotCheck(f"{too_old}. Re-record it: {self._rerecord()}")
        base_url = str(info.get("base_url") or self.settings.base_url)
        cap = plan.cap
        client = Client(base_url, ReplayTransport(cassette), sleep=lambda _: None, max_requests=cap)
        run_id = str(info.get("run_id") or "replay")
        now = recorded_at(cassette) or datetime.now(UTC).replace(microsecond=0)
        return self._execute(scenario, client, (run_id, now), evidence, _Inboxes(cassette.inbox))

    def _live(self, scenario: str, evidence: dict[str, Any], *, record: bool) -> list[Finding]:
        inner = self._transport_factory()
        path = self.cassette_path(scenario)
        transport = RecordingTransport(inner, path.name) if record else inner
        settings = self.settings
        cap = self.plan(scenario).cap
        proxy = self._proxy()
        client = Client(
            settings.base_url,
            transport,
            api_key=settings.api_key,
            max_requests=cap,
            via=proxy_label(proxy) if proxy else None,
        )
        run_id = uuid.uuid4().hex[:8]
        now = datetime.now(UTC).replace(microsecond=0)
        evidence.update(
            source=str(path) if record else "live",
            recorded_at=format_time(now),
            age_days=0,
            base_url=self.settings.base_url,
            api_version=self.settings.api_version,
        )
        inboxes = _Inboxes(self._inbox_factory)
        try:
            findings = self._execute(scenario, client, (run_id, now), evidence, inboxes)
        except NotExercised:
            if isinstance(transport, RecordingTransport):  # so that a replay skips it the same way
                self._save(path, scenario, (run_id, now), transport, inboxes)
            raise
        if isinstance(transport, RecordingTransport):
            if client.tally.nothing_like_the_api:
                raise CouldNotCheck(
                    f"none of the {client.tally.responses} responses of this scenario looked like the iinked "
                    f"Sign API, so the recording was not saved and {path} is as it was: check "
                    f"--signcheck-base-url (now {self.settings.base_url})"
                )
            self._save(path, scenario, (run_id, now), transport, inboxes)
        return findings

    def _save(
        self,
        path: Path,
        scenario: str,
        ctx_args: tuple[str, datetime],
        transport: RecordingTransport,
        inboxes: _Inboxes,
    ) -> None:
        """Write the recording: scrubbed, with what a replay needs to ask exactly what it asked."""
        run_id, now = ctx_args
        settings = self.settings
        metadata: dict[str, dict[str, Any]] = {
            "signcheck": {
                "scenario": scenario,
                "recorded_at": format_time(now),
                "base_url": settings.base_url,
                "api_version": settings.api_version,
                "run_id": run_id,
                "recorded_with": f"pytest-signcheck {version('pytest-signcheck')}",
            }
        }
        metadata["signcheck"].update(self.plan(scenario).recorded)
        secrets = [settings.api_key] if settings.api_key else []
        hooks = (inboxes.inbox.url, inboxes.inbox.deliveries()) if inboxes.inbox else None
        url = settings.webhook_url
        hidden = {url: "<your --signcheck-webhook-url>"} if url else None
        save_cassette(path, transport.interactions, metadata, secrets, webhooks=hooks, replacements=hidden)


@dataclass
class _Checking(ScenarioContext):
    """A scenario's context that remembers the endpoints whose responses it checked, and which of them
    answered 2xx and which an error: the evidence says which baseline entries this run could have
    matched (the others are not exercised, not stale)."""

    answered: Answered = field(default_factory=Answered)

    def check(self, exchange: Exchange, *, severity_cap: Severity | None = None, **options: Any) -> Exchange:
        self.answered.add(exchange)
        return super().check(exchange, severity_cap=severity_cap, **options)


def _checked(ctx: _Checking, inbox: Inbox | None) -> dict[str, list[str]]:
    """The evidence of what the scenario judged: the endpoints of its responses by kind of answer, and
    beside them, under `checked`, the webhook events delivered and the endpoints of its findings."""
    events = {webhook_endpoint(delivery.action) for delivery in inbox.deliveries()} if inbox else set()
    return ctx.answered.evidence(*events, *(str(finding.endpoint) for finding in ctx.findings))


class _Inboxes:
    """A scenario's webhook inbox, opened on first use (only the webhooks scenario opens one)."""

    def __init__(self, factory: InboxFactory) -> None:
        self._factory = factory
        self._opened = False
        self.inbox: Inbox | None = None

    def open(self) -> Inbox | None:
        if not self._opened:
            self._opened, self.inbox = True, self._factory()
        return self.inbox

    def close(self) -> None:
        if self.inbox is not None:
            self.inbox.close()
