"""The pytest plugin (entry point ``pytest11: signcheck``): the hooks and the scenario fixture.

The plugin is the only part of the package that imports pytest. Its modules: `options` (flags, ini keys,
their resolution, the baseline files), `fixtures` (the sandbox and webhook fixtures for a user's own
tests), `session` (what stopped a run, the JUnit cases), `keys` (what they share). It imports the heavy
parts (checks, schemas, the suite, the report's rendering) inside hooks that run only under
``--signcheck``: installing the plugin must not slow a user's other pytest runs.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: scenarios are not serialised across xdist workers
    fcntl = None  # type: ignore[assignment]

from pytest_signcheck.plugin.fixtures import SandboxURL, signcheck_sandbox, signcheck_webhooks
from pytest_signcheck.plugin.keys import (
    BASELINE_KEY,
    KEEP_KEY,
    MERGED_KEY,
    PLANNED_KEY,
    RECORDER_KEY,
    REPORT_KEY,
    SETTINGS_KEY,
    SUITE_ID,
    SUITE_PATH,
    WIRE,
    WRITTEN_KEY,
)
from pytest_signcheck.plugin.options import add_options, asked_for, load_baseline, resolve, scoped, to_keep
from pytest_signcheck.plugin.session import Interruptions, add_junit_cases, stopped

if TYPE_CHECKING:
    from pytest_signcheck.report.baseline import Baseline
    from pytest_signcheck.report.recorder import Recorder
    from pytest_signcheck.settings import Settings
    from pytest_signcheck.suite import ScenarioResult

#: The fixtures a user's tests may ask for are this plugin's (pytest finds them on this module).
__all__ = ["SandboxURL", "signcheck_sandbox", "signcheck_webhooks"]


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "signcheck_sandbox(*, drifts=(), api_version='4.0', seed=0, packages=60, templates=24, throttle=0, "
        "delay_ms=0, api_key=...): configure the reference sandbox that the signcheck_sandbox fixture "
        "starts for this test",
    )
    if asked_for(config):
        _configure(config)


def _configure(config: pytest.Config) -> None:
    """A run that asks for signcheck: its settings, its recorder, the baselines and the suite."""
    from pytest_signcheck.report.recorder import Recorder

    settings = resolve(config)
    config.stash[SETTINGS_KEY] = settings
    config.stash[RECORDER_KEY] = Recorder()
    if settings.baseline is not None:
        config.stash[BASELINE_KEY] = load_baseline(settings.baseline)
    if settings.write_baseline is not None:
        config.stash[KEEP_KEY] = to_keep(settings.write_baseline, config.stash.get(BASELINE_KEY, None))
    if settings.enabled:
        _add_suite(config)
        _show_suite_ids_as_they_are(config)
        config.pluginmanager.register(Interruptions(config), "signcheck-interruptions")


def _add_suite(config: pytest.Config) -> None:
    """`pytest --signcheck` runs the suite; paths given on the command line run beside it.

    An argument ``signcheck::test_signcheck[upload]`` (a scenario's test id) runs that scenario alone."""
    suite = str(SUITE_PATH)
    prefix = f"{SUITE_ID}::"
    picked = [suite + arg.removeprefix(SUITE_ID) for arg in config.args if arg.startswith(prefix)]
    if config.args_source is not pytest.Config.ArgsSource.ARGS:
        config.args[:] = [suite]
    elif picked:
        config.args[:] = [arg for arg in config.args if not arg.startswith(prefix)] + picked
    elif suite not in config.args:
        config.args.append(suite)


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    """The suite's module has the test id ``signcheck``, wherever it is installed.

    By default pytest names a module by its path from the rootdir, or, outside it (the suite lives in
    site-packages), by its path from the argument that named it: the suite itself, so an empty one
    (``::test_signcheck[upload]``, and no JUnit classname). ``signcheck::test_signcheck[upload]`` is the
    same on every machine, for ``-k``, ``--deselect``, ``--lf`` and CI dashboards."""
    if module_path != SUITE_PATH:
        return None
    _show_suite_ids_as_they_are(parent.config)
    return pytest.Module.from_parent(parent, path=module_path, nodeid=SUITE_ID)


def _show_suite_ids_as_they_are(config: pytest.Config) -> None:
    """pytest shows a test id relative to the current directory when that is not the rootdir (run from
    a sub-folder, or with ``--signcheck-cassettes /elsewhere``, whose value pytest takes for a test path
    when it picks the rootdir, before any plugin's options are known): ``../signcheck::...``. The
    suite's id names no path, so it is shown as it is. The xdist controller, which collects nothing,
    gets this from `pytest_configure`."""
    relative = config.cwd_relative_nodeid
    if getattr(relative, "signcheck", False):
        return

    def cwd_relative_nodeid(nodeid: Any) -> Any:
        return nodeid if str(nodeid).split("::")[0] == SUITE_ID else relative(nodeid)

    cwd_relative_nodeid.signcheck = True  # type: ignore[attr-defined]
    config.cwd_relative_nodeid = cwd_relative_nodeid  # type: ignore[method-assign]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The suite's one test runs once per scenario; the exploration only when asked for."""
    if "scenario" not in metafunc.fixturenames or metafunc.definition.path.resolve() != SUITE_PATH.resolve():
        return
    from pytest_signcheck.suite import SCENARIOS
    from pytest_signcheck.suite.explore import EXPLORE

    settings = metafunc.config.stash[SETTINGS_KEY]
    metafunc.parametrize("scenario", (*SCENARIOS, EXPLORE) if settings.explore else SCENARIOS)


def pytest_report_header(config: pytest.Config) -> str | None:
    settings = config.stash.get(SETTINGS_KEY, None)
    return settings.describe() if settings and settings.enabled else None


@pytest.fixture(scope="session")
def signcheck_settings(pytestconfig: pytest.Config) -> Settings:
    """The resolved signcheck settings of this run (resolved now in a run without ``--signcheck``)."""
    if SETTINGS_KEY not in pytestconfig.stash:
        pytestconfig.stash[SETTINGS_KEY] = resolve(pytestconfig)
    return pytestconfig.stash[SETTINGS_KEY]


@pytest.fixture(scope="session")
def signcheck_recorder(pytestconfig: pytest.Config) -> Recorder:
    """Where this run's findings are gathered for the drift report."""
    if RECORDER_KEY not in pytestconfig.stash:
        from pytest_signcheck.report.recorder import Recorder

        pytestconfig.stash[RECORDER_KEY] = Recorder()
    return pytestconfig.stash[RECORDER_KEY]


@contextmanager
def _one_scenario_at_a_time(config: pytest.Config, settings: Settings) -> Iterator[None]:
    """Under xdist, live scenarios take turns: a list walk must not race another scenario's adds.

    Replay needs no lock; without xdist the scenarios already run one after the other.
    """
    run_id = getattr(config, "workerinput", {}).get("testrunuid")
    if not run_id or not settings.uses_network or fcntl is None:
        yield
        return
    path = Path(tempfile.gettempdir()) / f"pytest-signcheck-{run_id}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture
def signcheck_scenario(
    request: pytest.FixtureRequest, signcheck_settings: Settings, signcheck_recorder: Recorder
) -> Callable[[str], None]:
    """Runs one bundled scenario in the configured mode and records its findings for the report."""
    from pytest_signcheck.suite import SuiteRunner

    runner = SuiteRunner(signcheck_settings)
    baseline = request.config.stash.get(BASELINE_KEY, None)

    def run(scenario: str) -> None:
        __tracebackhide__ = True
        with _one_scenario_at_a_time(request.config, signcheck_settings):
            result = runner.run(scenario)
        failure = _record_scenario(signcheck_recorder, result, signcheck_settings, baseline)
        if failure is not None:
            signcheck_recorder.failed.append(scenario)
            pytest.fail(failure, pytrace=False)
        if result.skipped is not None:
            pytest.skip(f"signcheck scenario {scenario!r}: {result.skipped}")

    return run


def _record_scenario(
    recorder: Recorder, result: ScenarioResult, settings: Settings, baseline: Baseline | None
) -> str | None:
    """Record one scenario's findings, problem and evidence; the text its test fails with, if it fails."""
    from pytest_signcheck.report.build import unlike_the_api
    from pytest_signcheck.report.render import render_failure

    recorder.scenarios.append(result.scenario)
    recorder.add(result.findings)
    recorder.evidence.append(result.evidence)
    if result.problem is not None:
        recorder.could_not_check(result.scenario, result.problem)
        return f"signcheck could not check scenario {result.scenario!r}: {result.problem}"
    from pytest_signcheck.report.recorder import Recorder

    today = datetime.now(UTC).date()
    failing = [
        finding
        for finding in Recorder(findings=result.findings).failing(settings.fail_on)
        if baseline is None or baseline.accepting(finding, today) is None
    ]
    if not failing:
        return None
    unlike = unlike_the_api([result.evidence], settings, settings.mode)
    if unlike:  # a wrong address, not drift: the findings are kept in the report, not listed as failing
        kept = f" ({len(result.findings)} finding(s) kept in the report)"
        return f"signcheck could not check scenario {result.scenario!r}: {unlike}{kept}"
    return render_failure(result.scenario, failing, settings.fail_on)


@pytest.hookimpl(optionalhook=True)  # an xdist hook: pytest-xdist may not be installed
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    """xdist controller: how many scenarios the workers collected, for a run stopped before its end."""
    planned = sum(1 for nodeid in ids if nodeid.split("::")[0] == SUITE_ID)
    node.config.stash[PLANNED_KEY] = max(planned, node.config.stash.get(PLANNED_KEY, 0))


@pytest.hookimpl(optionalhook=True)  # an xdist hook: pytest-xdist may not be installed
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: merge a worker's findings into this run's report, once: xdist calls this
    twice for a worker that crashed (a `pytest.exit` in it), with the same output."""
    data = getattr(node, "workeroutput", {}).get(WIRE)
    merged = node.config.stash.setdefault(MERGED_KEY, set())
    if data and node.gateway.id not in merged:
        merged.add(node.gateway.id)
        node.config.stash[RECORDER_KEY].merge_wire(json.loads(data))


@pytest.hookimpl(tryfirst=True)  # before pytest's JUnit XML is written: it carries the report's cases
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    settings = config.stash.get(SETTINGS_KEY, None)
    recorder = config.stash.get(RECORDER_KEY, None)
    if settings is None or recorder is None or not settings.enabled or config.option.collectonly:
        return
    if hasattr(config, "workeroutput"):
        config.workeroutput[WIRE] = json.dumps(recorder.to_wire())
        return
    from pytest_signcheck.report.outputs import write_outputs
    from pytest_signcheck.report.render import build_report, outcome_exit_status

    baseline = scoped(config.stash.get(BASELINE_KEY, None), recorder)
    report = build_report(recorder, settings, baseline, stopped=stopped(session, int(exitstatus)))
    status = outcome_exit_status(report, int(exitstatus), session.testsfailed, len(recorder.failed))
    config.stash[REPORT_KEY] = report
    keep = scoped(config.stash.get(KEEP_KEY, None), recorder)
    written = write_outputs(report, recorder, settings, baseline, os.environ, keep=keep)
    config.stash[WRITTEN_KEY] = written
    add_junit_cases(config, report)
    session.exitstatus = pytest.ExitCode.USAGE_ERROR if any(e for _, e in written) else status


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    report = config.stash.get(REPORT_KEY, None)
    if report is None:
        return
    from pytest_signcheck.report.render import TERMINAL_GROUPS, render_terminal, where_the_rest_is

    limit = None if config.get_verbosity() > 0 else TERMINAL_GROUPS
    more = where_the_rest_is(config.stash[SETTINGS_KEY].reports, "--signcheck-report")
    terminalreporter.write_sep("=", "signcheck drift report")
    for line in render_terminal(report, limit, more):
        terminalreporter.write_line(line)
    for written, error in config.stash.get(WRITTEN_KEY, []):
        terminalreporter.write_line(written or error, red=bool(error))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from pytest_signcheck.report.ci import github_annotations

        for line in github_annotations(report):
            terminalreporter.write_line(line)
