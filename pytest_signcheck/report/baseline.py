"""A baseline: drift the team has accepted (the vendor's, not theirs to fix), so the gate fails only on new.

The file is meant to be read and edited in a pull request::

    version: 1
    accepted:
      - fingerprint: 3f2a9c0e1b7d4e55        # one drift, exactly (signcheck writes these)
        endpoint: GET /packages/{packageId}/status   # what it is about (optional beside a fingerprint)
        finding: "type-enum GET /packages/{packageId}/status /type: ..."   # a note for reviewers
        reason: vendor ticket SUP-1234
        expires: 2026-03-31                  # matches through that day, then fails again
      - check: undocumented-field            # or: a check, an endpoint and a pointer glob
        endpoint: GET /packages/{packageId}/status
        pointer: /documents/*/exernalId
        reason: misspelt in the vendor docs

An entry accepts the findings it matches; an expired one accepts nothing (its findings fail again)
and is reported as expired. An entry is stale when it matched nothing although a scenario that ran to
the end checked the responses that could show it: a 2xx response of its endpoint for drift in a success
body, an error response of it for drift of check `http` (`report.scope` says how an entry's kind is
told). An entry whose responses no such scenario checked (a `-k` selection, a missing cassette) is "not
exercised", and a refresh keeps it. An entry that names no endpoint (no `endpoint`, and none in its
`finding` note) is about the whole API: it is exercised only by a run that checked every documented
endpoint.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from pytest_signcheck._atomic import atomic_write
from pytest_signcheck.contract.endpoints import ENDPOINTS, WEBHOOK_LABELS
from pytest_signcheck.errors import ConfigError
from pytest_signcheck.findings import CHECK_IDS, Finding, fold_pointer
from pytest_signcheck.report.scope import Answer, Scope, answer_of, exercised_scope

__all__ = [
    "BASELINE_VERSION",
    "TODO_REASON",
    "Baseline",
    "Entry",
    "load_baseline",
    "scoped_to",
    "write_baseline",
]

BASELINE_VERSION = 1
#: The reason of an entry signcheck wrote, until a person says why the drift is accepted.
TODO_REASON = "TODO"
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")
#: The documented endpoints and webhook labels an entry may be about.
_LABELS: tuple[str, ...] = (*ENDPOINTS, *WEBHOOK_LABELS)
_KEYS = frozenset({"fingerprint", "check", "endpoint", "pointer", "reason", "expires", "finding"})
_HEADER = """\
# signcheck baseline: drift accepted on purpose, so the gate fails only on new drift.
# Each entry matches findings by `fingerprint`, or by `check` + `endpoint` + `pointer` (a glob: * matches
# anything, / included). Give each a `reason` (a vendor ticket, a docs error) and, if it should not last
# for ever, `expires: YYYY-MM-DD`: after that day its findings fail again. `finding` is a note for people.
# An entry that matched nothing although the run checked the responses that could show it (a 2xx of its
# endpoint for a body's drift, an error answer for check `http`) is reported as stale: delete it.
"""


@dataclass(frozen=True, slots=True)
class Entry:
    """One accepted drift: a fingerprint, or a check, an endpoint and a pointer glob."""

    index: int
    fingerprint: str | None = None
    check: str | None = None
    endpoint: str | None = None
    pointer: str | None = None
    reason: str = ""
    expires: date | None = None
    finding: str = ""

    @property
    def about(self) -> str | None:
        """The endpoint this entry is about: its `endpoint`, else the one its `finding` note names."""
        if self.endpoint is not None:
            return self.endpoint
        return next((str(label) for label in _LABELS if f" {label} " in f" {self.finding} "), None)

    @property
    def answer(self) -> Answer | None:
        """The kind of response that can show what this entry accepts (`report.scope.answer_of`): its
        `check`, else the one its `finding` note names (``breaking type-enum GET ...``)."""
        words = self.finding.split(maxsplit=2)
        noted = words[1] if len(words) > 1 and words[1] in CHECK_IDS else None
        return answer_of(self.check or noted, self.finding)

    def matches(self, finding: Finding) -> bool:
        if self.fingerprint is not None:
            return finding.fingerprint == self.fingerprint
        return (
            finding.check == self.check
            and finding.endpoint == self.endpoint
            and fnmatchcase(finding.pointer or "/", self.pointer or "/")
        )

    def expired(self, today: date) -> bool:
        return self.expires is not None and today > self.expires

    def describe(self) -> str:
        what = self.fingerprint or f"{self.check} {self.endpoint} {self.pointer}"
        return f"entry {self.index + 1} ({what})"

    def to_dict(self) -> dict[str, Any]:
        data = {
            "entry": self.index + 1,
            "fingerprint": self.fingerprint,
            "check": self.check,
            "endpoint": self.endpoint,
            "pointer": self.pointer,
            "reason": self.reason,
            "expires": self.expires.isoformat() if self.expires else None,
            "finding": self.finding,
        }
        return {key: value for key, value in data.items() if value not in (None, "")}


@dataclass(frozen=True, slots=True)
class Baseline:
    """A baseline file's entries; `scope`, once the run is known, what it checked (None: everything)."""

    path: Path
    entries: tuple[Entry, ...]
    scope: Scope | None = None

    def within(self, scope: Scope | None) -> Baseline:
        """This baseline, judged against a run that checked only what `scope` holds."""
        return replace(self, scope=scope)

    def exercised(self, entry: Entry) -> bool:
        """Whether the run checked the responses that could show what `entry` is about; an entry that
        names no endpoint is about the whole API, checked only when every documented endpoint was."""
        if self.scope is None:
            return True
        about = entry.about
        if about is None:
            return self.scope.checked.issuperset(ENDPOINTS)
        return self.scope.covers(about, entry.answer)

    def accepting(self, finding: Finding, today: date) -> Entry | None:
        """The first unexpired entry that accepts `finding`."""
        for entry in self.entries:
            if not entry.expired(today) and entry.matches(finding):
                return entry
        return None

    def judge(self, findings: Iterable[Finding], today: date) -> dict[str, Any]:
        """Each entry with what it matched in this run: accepted, expired (matches fail again), stale
        (matched nothing, its endpoint checked), not exercised (its endpoint not checked)."""
        findings = list(findings)
        judged: dict[str, list[dict[str, Any]]] = {"accepted": [], "expired": [], "stale": []}
        judged["not_exercised"] = []
        for entry in self.entries:
            matched = sum(1 for finding in findings if entry.matches(finding))
            judged[self._status(entry, matched, today)].append({**entry.to_dict(), "matched": matched})
        return {"path": str(self.path), **judged}

    def _status(self, entry: Entry, matched: int, today: date) -> str:
        if entry.expired(today):
            return "expired"
        if matched:
            return "accepted"
        return "stale" if self.exercised(entry) else "not_exercised"

    def kept(self, findings: list[Finding]) -> list[Entry]:
        """The entries a refresh keeps: those that matched a finding, and those the run did not exercise."""
        return [e for e in self.entries if any(map(e.matches, findings)) or not self.exercised(e)]


def scoped_to(
    baseline: Baseline | None, evidence: Iterable[Mapping[str, Any]], problems: Iterable[Mapping[str, Any]]
) -> Baseline | None:
    """`baseline` judged against what the run checked (`report.scope.exercised_scope`): its other
    entries are "not exercised", never stale."""
    return None if baseline is None else baseline.within(exercised_scope(evidence, problems))


def refreshed_from(target: Path, used: Baseline | None) -> Baseline | None:
    """What a refresh of `target` keeps entries from: the file itself when it exists (read before
    anything is checked, so a broken one is a usage error first), else the baseline the run used."""
    if used is not None and used.path.resolve() == target.resolve():
        return used
    return load_baseline(target) if target.is_file() else used


def _fail(path: Path, where: str, problem: str) -> ConfigError:
    return ConfigError(f"baseline {path}: {where}: {problem}. See README, 'Accepted drift (a baseline)'.")


def _text(path: Path, where: str, data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        number = isinstance(value, int | float) and not isinstance(value, bool)
        hint = f' (YAML read it as a number: quote it, `{key}: "..."`)' if number else ""
        raise _fail(path, where, f"`{key}` must be a non-empty string, not {value!r}{hint}")
    return value.strip()


def _expires(path: Path, where: str, value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _fail(path, where, f"`expires: {value}` is not a date; write YYYY-MM-DD") from None


def _selector(path: Path, where: str, data: Mapping[str, Any]) -> dict[str, str | None]:
    fields = {key: _text(path, where, data, key) for key in ("fingerprint", "check", "endpoint", "pointer")}
    fingerprint = fields["fingerprint"]
    rest = [key for key in ("check", "endpoint", "pointer") if fields[key] is not None]
    if fields["endpoint"] is not None and fields["endpoint"] not in _LABELS:
        raise _fail(path, where, f"unknown endpoint {fields['endpoint']!r}; documented: {'; '.join(_LABELS)}")
    if fingerprint is not None:
        if fields["check"] is not None or fields["pointer"] is not None:
            raise _fail(path, where, f"give `fingerprint` or check + endpoint + pointer, not both ({rest})")
        if not _FINGERPRINT.fullmatch(fingerprint):
            raise _fail(path, where, f"`fingerprint: {fingerprint}` is not 16 lower-case hex digits")
        return fields
    if len(rest) < 3:
        raise _fail(path, where, "give a `fingerprint`, or all of `check`, `endpoint` and `pointer`")
    if fields["check"] not in CHECK_IDS:
        raise _fail(path, where, f"unknown check {fields['check']!r}; known: {', '.join(CHECK_IDS)}")
    return fields


def _entry(path: Path, index: int, data: Any) -> Entry:
    where = f"entry {index + 1}"
    if not isinstance(data, dict):
        raise _fail(path, where, f"an entry is a mapping (fingerprint:, reason:...), not {data!r}")
    unknown = sorted(set(map(str, data)) - _KEYS)
    if unknown:
        raise _fail(path, where, f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}")
    reason, note = _text(path, where, data, "reason") or "", _text(path, where, data, "finding") or ""
    expires = _expires(path, where, data.get("expires"))
    return Entry(index, **_selector(path, where, data), reason=reason, expires=expires, finding=note)


def _parse(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(path, "cannot be read", str(error)) from None
    if path.suffix == ".json":
        try:
            return json.loads(text)
        except ValueError as error:
            raise _fail(path, "not JSON", str(error).splitlines()[0]) from None
    import yaml  # only a run that names a baseline pays for PyYAML here

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise _fail(path, "not YAML", " ".join(str(error).split())) from None


def load_baseline(path: Path) -> Baseline:
    """Read and validate a baseline file; a ConfigError names the file, the entry and what is wrong."""
    data = _parse(path)
    if not isinstance(data, dict) or "accepted" not in data:
        raise _fail(path, "top level", "expected a mapping with `version: 1` and an `accepted:` list")
    if data.get("version") != BASELINE_VERSION:
        raise _fail(path, "top level", f"`version: {data.get('version')}` is not {BASELINE_VERSION}")
    unknown = sorted(set(map(str, data)) - {"version", "accepted"})
    if unknown:
        raise _fail(path, "top level", f"unknown key(s) {', '.join(unknown)}; known: version, accepted")
    items = [] if data["accepted"] is None else data["accepted"]  # `accepted:` with nothing under it
    if not isinstance(items, list):
        raise _fail(path, "top level", "`accepted` must be a list of entries")
    return Baseline(path, tuple(_entry(path, index, item) for index, item in enumerate(items)))


def _note(finding: Finding) -> str:
    pointer = fold_pointer(finding.pointer) or "/"
    text = f"{finding.severity.value} {finding.check} {finding.endpoint} {pointer}: {finding.message}"
    return text if len(text) <= 140 else text[:137] + "..."


def _kept(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = {key: value for key, value in entry.to_dict().items() if key != "entry"}
    if entry.expires is not None:
        data["expires"] = entry.expires  # a date: YAML writes it unquoted, as people do
    return data


def write_baseline(findings: Iterable[Finding], path: Path, keep: Baseline | None = None) -> tuple[int, int]:
    """One entry per fingerprint of `findings`, each with a `reason: TODO`; returns (entries, new ones).

    With `keep` (the file being replaced, or the baseline the run used), its entries that still match a
    finding, and those about endpoints the run did not check, are kept as they are, reasons and expiry
    included; only stale ones are dropped, and only what the kept ones do not cover is added.
    """
    findings = list(findings)
    kept = keep.kept(findings) if keep else []
    firsts: dict[str, Finding] = {}
    for finding in sorted(findings, key=lambda f: (f.severity.rank, f.check, f.endpoint, f.pointer)):
        if not any(entry.matches(finding) for entry in kept):
            firsts.setdefault(finding.fingerprint, finding)
    added = [
        {"fingerprint": fp, "endpoint": str(f.endpoint), "finding": _note(f), "reason": TODO_REASON}
        for fp, f in firsts.items()
    ]
    entries = [*map(_kept, kept), *added]
    data = {"version": BASELINE_VERSION, "accepted": entries}
    if path.suffix == ".json":
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    else:
        import yaml

        text = _HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096)
    atomic_write(path, text)
    return len(entries), len(added)
