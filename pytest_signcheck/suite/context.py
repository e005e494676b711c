"""What a scenario works with: a client, the run's options, the findings so far, and cleanup."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from pytest_signcheck.checks import CheckOptions, run_checks
from pytest_signcheck.contract.redact import render
from pytest_signcheck.exchange import Exchange
from pytest_signcheck.findings import Finding, Severity
from pytest_signcheck.suite.pdf import make_pdf
from pytest_signcheck.traffic.transport import Client

__all__ = ["NAME_PREFIX", "ScenarioContext"]

#: Every package the suite creates is named with this prefix and tagged in externalData.
NAME_PREFIX = "signcheck"


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

    def call(self, method: str, path: str, body: Any = None, **options: Any) -> Exchange:
        """Send a request and run every check that applies to its response."""
        return self.check(self.client.call(method, path, json_body=body), **options)

    def check(self, exchange: Exchange, *, severity_cap: Severity | None = None, **options: Any) -> Exchange:
        """Run the checks on one exchange; `severity_cap` lowers findings that rest on an inferred rule."""
        found = run_checks(exchange, CheckOptions(api_version=self.api_version, now=self.now, **options))
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
        """Delete every package this scenario created, without notifying; never raises."""
        while self.created:
            package_id = self.created.pop()
            try:
                self.client.call(
                    "POST", "/packages/delete", json_body={"packageId": package_id, "notify": False}
                )
            except Exception:  # cleanup must not hide the scenario's own outcome
                continue
