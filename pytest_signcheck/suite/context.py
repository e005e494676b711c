"""What a scenario works with: a client, the run's options, the findings so far, and cleanup.

Also, for the scenarios that need them: the reference sandbox's control surface (signing, declining;
only ever for a loopback target) and an inbox for webhook deliveries (a loopback receiver, or its
recording in replay), both given by the runner.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from pytest_signcheck.checks import CheckOptions, run_checks
from pytest_signcheck.contract.redact import render
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import Finding, Severity
from pytest_signcheck.settings import is_loopback
from pytest_signcheck.suite.pdf import make_pdf
from pytest_signcheck.traffic.clock import ApiClock
from pytest_signcheck.traffic.transport import MAX_RETRY_AFTER, Client, Unanswered
from pytest_signcheck.traffic.webhooks import Inbox

__all__ = ["LEFT_BEHIND", "NAME_PREFIX", "LeftBehind", "ScenarioContext"]

#: Every package the suite creates is named with this prefix and tagged in externalData.
NAME_PREFIX = "signcheck"
#: The attribute of a KeyboardInterrupt that stopped a scenario: its `LeftBehind`.
LEFT_BEHIND = "signcheck_left_behind"


@dataclass(frozen=True)
class LeftBehind:
    """What a scenario may have left on the API: its packages are named ``signcheck-<run_id> ...``;
    `packages` are the ids it knew of and did not delete (a second Ctrl-C, or a delete the API did not
    answer twice). A package whose add was being answered when a Ctrl-C came is not among them: its id
    never arrived."""

    run_id: str
    packages: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"`{NAME_PREFIX}-{self.run_id} …`"

    def undeleted(self, why: str) -> str:
        """What to tell the user about the packages left, `why` being what stopped their deletion."""
        return f"{why}: {len(self.packages)} package(s) named {self.name} were left on the API, delete them"


def _capped(finding: Finding, cap: Severity) -> Finding:
    if finding.severity.rank >= cap.rank:
        return finding
    return replace(finding, severity=cap, message=finding.message + " (inferred rule: reported, not failed)")


@dataclass
class ScenarioContext:
    client: Client
    api_version: str
    run_id: str
    now: datetime
    findings: list[Finding] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    #: What the report's evidence should say about this scenario beyond its responses and findings
    #: (`notes`: what it could not exercise; `webhooks`: events expected and delivered).
    evidence: dict[str, Any] = field(default_factory=dict)
    #: Opens the scenario's webhook inbox (None: webhooks may not be exercised against this target).
    open_inbox: Callable[[], Inbox | None] = field(default=lambda: None, repr=False)
    webhook_timeout: float = 30.0
    #: The API's own clock, read from the `timeCreated` of the last package the scenario added. Once
    #: known, time-relative rules (link expiry, `days`) are judged against it, not against this
    #: machine's clock, which the API need not share (the reference sandbox lives in June 2025).
    clock: ApiClock = field(default_factory=ApiClock)
    #: What `cleanup` could not delete (None: everything it created is gone).
    left_behind: LeftBehind | None = None

    @property
    def loopback(self) -> bool:
        """Whether the target is on this machine: the reference sandbox, never the vendor's API."""
        return is_loopback(urlsplit(self.client.base_url).hostname or "")

    def call(self, method: str, path: str, body: Any = None, **options: Any) -> Exchange:
        """Send a request and run every check that applies to its response."""
        return self.check(self.client.call(method, path, json_body=body), **options)

    def check(self, exchange: Exchange, *, severity_cap: Severity | None = None, **options: Any) -> Exchange:
        """Run the checks on one exchange; `severity_cap` lowers findings that rest on an inferred rule.

        `options` are `CheckOptions` fields; `now` defaults to the API's clock once known (an add answer
        sets it), else to the scenario's reference time.
        """
        self.clock.observe(exchange)
        options = {"api_version": self.api_version, "now": self.clock.now or self.now, **options}
        found = run_checks(exchange, CheckOptions(**options))
        if severity_cap is not None:
            found = [_capped(finding, severity_cap) for finding in found]
        self.findings.extend(found)
        return exchange

    def finding(
        self,
        check: str,
        exchange: Exchange,
        pointer: str,
        expected: Any,
        actual: Any,
        message: str,
        severity: Severity = Severity.BREAKING,
    ) -> None:
        """A scenario-level finding: what one request promised about a later one."""
        self.findings.append(
            Finding(
                check,
                severity,
                exchange.endpoint,
                pointer,
                render(expected),
                render(actual),
                message,
                exchange.source,
            )
        )

    def note(self, text: str) -> None:
        """Say in the evidence what this scenario could not exercise, and why."""
        self.evidence.setdefault("notes", []).append(text)

    def control(self, action: str, package_id: str, signer_id: str) -> Any:
        """Make a signer `sign` or `decline` through the reference sandbox's control surface.

        That surface is not the vendor's API and does not exist on it: the suite calls it only for a
        loopback target, and a scenario must ask `loopback` first.
        """
        if not self.loopback:
            raise ValueError("the sandbox control surface is only ever called on a loopback target")
        body = {"declineReason": "signcheck", "declineMessage": "Declined by pytest-signcheck."}
        path = f"/packages/{package_id}/{action}/{signer_id}"
        return self.client.control("POST", path, body if action == "decline" else {})

    def upload(self, names: list[str]) -> Exchange:
        files = [("file", (name, make_pdf(f"{NAME_PREFIX} {name}"), "application/pdf")) for name in names]
        return self.check(self.client.call("POST", "/files/upload", files=files))

    def package_body(
        self, package_type: str, state: str, links: bool, file_ids: list[str], label: str
    ) -> dict[str, Any]:
        """A packages/add body: two signers at reserved example.com addresses, two documents."""
        sign_by = (self.now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "name": f"{NAME_PREFIX}-{self.run_id} {label}",
            "type": package_type,
            "state": state,
            "timeSignBy": sign_by,
            "generateSignerLinks": links,
            "externalData": {"createdBy": "pytest-signcheck", "run": self.run_id},
            "signers": [
                {"firstName": "Signcheck", "lastName": f"Signer{n}", "email": f"signer{n}@example.com"}
                for n in (1, 2)
            ],
            "documents": [
                {"fileName": f"{NAME_PREFIX}-{n}.pdf", "fileId": file_id}
                for n, file_id in enumerate(file_ids, 1)
            ],
        }

    def unknown_id(self) -> str:
        """An id no package has; derived from the run id so replay asks for the same one."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"pytest-signcheck/{self.run_id}/unknown"))

    def cleanup(self) -> None:
        """Delete every package this scenario created, without notifying; never raises its own error.

        A delete the API does not answer (still 429 or 5xx after the client's retries, or no answer) is
        sent once more when the others are done, after the `Retry-After` it asked for if that is short
        (`MAX_RETRY_AFTER`), at once otherwise (or after a Ctrl-C); what is still not deleted is
        `left_behind`.

        A Ctrl-C (KeyboardInterrupt) does not leave packages behind: one that lands during a delete
        retries that delete (a second package-not-found is harmless), the rest are deleted, and then the
        interrupt is raised again. A further Ctrl-C, or one after an interrupt that stopped the scenario
        itself, is the user insisting: deleting stops there. Either way the interrupt carries what was left
        (`LEFT_BEHIND`), for the run's report to name.
        """
        interrupt = _interrupted()
        failed: dict[str, float] = {}  # package id -> the seconds the API asked to wait
        try:
            while self.created:
                try:
                    self._delete(self.created[-1], failed)
                except KeyboardInterrupt as pressed:
                    if interrupt is not None:
                        raise
                    interrupt = pressed
                    self._delete(self.created[-1], failed)  # the interrupted delete, once more
                self.created.pop()
            if failed:
                self._delete_again(failed, pause=interrupt is None)
        except KeyboardInterrupt as again:
            interrupt = again
        left = LeftBehind(self.run_id, tuple(dict.fromkeys([*self.created, *failed])))
        self.left_behind = left if left.packages else None
        if interrupt is not None:
            setattr(interrupt, LEFT_BEHIND, left)
            if interrupt is not _interrupted():
                raise interrupt

    def _delete_again(self, failed: dict[str, float], pause: bool) -> None:
        """The second and last try of the deletes the API did not answer; `failed` keeps the rest.
        After a Ctrl-C it does not `pause`: the user is waiting."""
        wait = max(failed.values())
        if pause and wait <= MAX_RETRY_AFTER:
            self.client.pause(wait)
        for package_id in list(failed):
            again: dict[str, float] = {}
            self._delete(package_id, again)
            if not again:
                del failed[package_id]

    def _delete(self, package_id: str, failed: dict[str, float]) -> None:
        """Delete one package; one the API did not answer goes in `failed` (a 404: already gone)."""
        failed.pop(package_id, None)
        try:
            body = {"packageId": package_id, "notify": False}
            status = self.client.call("POST", "/packages/delete", json_body=body, cleanup=True).status_code
        except Unanswered as error:
            failed[package_id] = error.retry_after
            return
        except Exception:  # cleanup must not hide the scenario's own outcome
            failed[package_id] = 0.0
            return
        if not (200 <= status < 300 or status == 404):
            failed[package_id] = 0.0


def _interrupted() -> BaseException | None:
    """The KeyboardInterrupt on its way out of the scenario while it cleans up, if there is one."""
    raised = sys.exception()
    return raised if isinstance(raised, KeyboardInterrupt) else None


class NotExercised(Exception):
    """A scenario that may not run against this target at all: its test is skipped with this reason."""
