"""The Markdown report: what a reviewer reads first, one row per group, and a length that stays bounded."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pytest_signcheck.findings import Finding, Severity
from pytest_signcheck.report.baseline import Baseline, Entry
from pytest_signcheck.report.markdown import render_markdown
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.report.render import build_report
from pytest_signcheck.settings import Settings

STATUS, LIST = "GET /packages/{packageId}/status", "POST /packages/list"


def _finding(
    pointer: str, n: int = 0, check: str = "schema", severity: Severity = Severity.BREAKING
) -> Finding:
    return Finding(
        check,
        severity,
        STATUS,
        pointer,
        "boolean",
        'string "true"',
        f"wrong type at {pointer}",
        f"s.yaml#{n}",
    )


def _headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


def test_the_verdict_and_its_evidence_come_first_then_causes_counts_and_one_row_per_group() -> None:
    recorder = Recorder(
        findings=[_finding("/isExecuted", n) for n in range(40)] + [_finding("/documents/0/isExecuted")],
        scenarios=["add-and-status"],
        evidence=[
            {
                "scenario": "add-and-status",
                "source": "tapes/add-and-status.yaml",
                "recorded_at": "2026-01-02T03:04:05Z",
                "age_days": 3,
                "base_url": "https://sandbox.syngrafii.com/api/v1",
                "api_version": "4.0",
                "responses": 41,
                "api_like": 41,
            }
        ],
    )
    recorder.could_not_check("list", "cassette tapes/list.yaml is missing")
    baseline = Baseline(Path("b.yaml"), (Entry(0, fingerprint="0123456789abcdef", reason="fixed upstream"),))
    text = render_markdown(
        build_report(recorder, Settings(cassettes=Path("tapes")), baseline, date(2026, 1, 5))
    )
    lines = text.splitlines()
    assert lines[2].startswith("**Outcome: drift.** 2 group(s) of drift, from 1 cause(s), fail the run.")
    assert lines[4].startswith(
        "**Target:** replay against `https://sandbox.syngrafii.com/api/v1` (as recorded)"
    )
    assert lines[6].startswith(
        "**Evidence:** 1 scenario(s) from tapes, recorded 2026-01-02 (3 days ago) against"
    )
    assert _headings(text) == [
        "# signcheck drift report",
        "## Summary",
        "## Could not check",
        "## Findings",
        "## Baseline `b.yaml`",
    ]
    cause = '- breaking `schema`: expected boolean, served `string "true"`, in 2 fields on 1 endpoint'
    assert f"{cause} (41 findings)" in text
    assert "| `schema` | 41 | 0 | 0 | 2 |" in text  # counts by check and severity, and groups
    rows = [line for line in lines if line.startswith(f"| {STATUS} |")]
    assert len(rows) == 2
    assert "<summary>40</summary>wrong type at /isExecuted<br>seen in s.yaml#0, s.yaml#1" in rows[1]
    assert "and 35 more" in rows[1]
    assert "- entry 1 (stale: it matched nothing in this run): 0123456789abcdef; fixed upstream" in text


def test_no_report_grows_much_past_200_lines_whatever_it_holds() -> None:
    findings = [_finding(f"/field{g}", n) for g in range(300) for n in range(2)]
    findings += [
        _finding(f"/other{g}", check="undocumented-field", severity=Severity.ADDITIVE) for g in range(50)
    ]
    evidence = [
        {"source": f"tapes/t{n}.yaml", "responses": 3, "api_like": 3, "skipped": 0} for n in range(120)
    ]
    recorder = Recorder(findings=findings, scenarios=["a"], evidence=evidence)
    for n in range(40):
        recorder.could_not_check(f"tapes/bad{n}.yaml", "malformed")
    entries = tuple(Entry(n, fingerprint=f"{n:016x}", reason="old") for n in range(100))
    entries += (Entry(100, check="undocumented-field", endpoint=STATUS, pointer="/other*", reason="known"),)
    report = build_report(recorder, Settings(), Baseline(Path("b.yaml"), entries), mode="audit")
    assert len(report["findings"]) == 650 and report["summary"]["groups"] == 350
    text = render_markdown(report)
    assert len(text.splitlines()) <= 210
    assert "| ... | 220 more group(s): see the JSON report |" in text
    assert "- ... and 111 more sources: see the JSON report" in text
    assert "<br>and 270 more</details>" in text  # the fields of the one cause


def test_table_cells_stay_in_their_column_and_show_what_was_sent() -> None:
    finding = Finding(
        "signer-links",
        Severity.BREAKING,
        STATUS,
        "/signers/0/links/0/link",
        ".../<token>",
        '"a|b"',
        "The link's token | is <not> its last segment.\nSecond line.",
    )
    text = render_markdown(build_report(Recorder(findings=[finding], scenarios=["s"]), Settings()))
    (row,) = [line for line in text.splitlines() if line.startswith(f"| {STATUS}")]
    assert "| .../&lt;token&gt; |" in row
    assert '`"a\\|b"`' in row
    assert "The link's token \\| is &lt;not&gt; its last segment. Second line." in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 8  # seven cells


def test_a_pass_says_so_and_lists_no_empty_sections() -> None:
    text = render_markdown(
        build_report(
            Recorder(scenarios=["s"], evidence=[{"source": "live", "responses": 5, "api_like": 5}]),
            Settings(),
        )
    )
    assert "**Outcome: pass.** Every checked response matched the documentation" in text
    assert _headings(text) == ["# signcheck drift report", "## Findings"]
    assert "None: every one of the 5 checked responses matched the documentation." in text
