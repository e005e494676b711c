"""No start-up tax (issue 13, point 1): a pytest run that does not ask for signcheck imports none of
its heavy parts, and nothing of Schemathesis. Speed itself is measured by benchmarks/bench_startup.py;
a test only checks what is imported, which does not depend on how busy the machine is."""

from __future__ import annotations

import json

import pytest

#: Imported by the checks, the schemas, the cassettes or Schemathesis; never needed to start pytest.
HEAVY = (
    "schemathesis",
    "hypothesis",
    "jsonschema",
    "jsonschema_rs",
    "referencing",
    "vcr",
    "yaml",
    "orjson",
    "httpx",
    "pytest_signcheck.api",
    "pytest_signcheck.checks",
    "pytest_signcheck.contract",
    "pytest_signcheck.findings",
    "pytest_signcheck.report",
    "pytest_signcheck.settings",
    "pytest_signcheck.sandbox",
    "pytest_signcheck.schemathesis",
    "pytest_signcheck.suite",
    "pytest_signcheck.traffic",
)
#: The plugins Schemathesis registers: our plugin must not need them, so the run blocks them.
OTHERS = ("-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:anyio", "-p", "no:xdist")

DUMP = """
import json, sys

def pytest_unconfigure(config):
    with open("modules.json", "w") as handle:
        json.dump(sorted(sys.modules), handle)
"""


def test_a_run_without_signcheck_imports_none_of_its_heavy_parts(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(DUMP)
    pytester.makepyfile("def test_one():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest_subprocess(*OTHERS, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    modules = set(json.loads((pytester.path / "modules.json").read_text()))
    assert "pytest_signcheck.plugin" in modules  # the plugin was there, options and all
    loaded = sorted(name for name in modules if name.split(".")[0] in HEAVY or name.startswith(HEAVY))
    assert loaded == []


def test_the_heavy_parts_are_imported_when_signcheck_runs(pytester: pytest.Pytester) -> None:
    """The control: the same probe does see them once `--signcheck` asks for the suite."""
    pytester.makeconftest(DUMP)
    result = pytester.runpytest_subprocess(*OTHERS, "-p", "no:cacheprovider", "--signcheck", "-q")
    assert result.ret == 0, result.stdout.str()
    modules = set(json.loads((pytester.path / "modules.json").read_text()))
    assert {"pytest_signcheck.checks", "pytest_signcheck.contract.schemas", "jsonschema_rs"} <= modules
    assert "schemathesis" not in modules
