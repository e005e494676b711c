"""The only module that imports pytest: options, ini keys, markers, fixtures and session hooks."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: scenarios are not serialised across xdist workers
    fcntl = None  # type: ignore[assignment]

from pytest_signcheck.contract.endpoints import API_VERSIONS
from pytest_signcheck.errors import ConfigError
from pytest_signcheck.findings import FAIL_ON
from pytest_signcheck.report.recorder import Recorder
from pytest_signcheck.settings import MODES, OPTIONS, Settings
from pytest_signcheck.settings import resolve as resolve_settings

if TYPE_CHECKING:
    from pytest_signcheck.report.baseline import Baseline
    from pytest_signcheck.sandbox import SandboxServer
    from pytest_signcheck.suite import ScenarioResult
    from pytest_signcheck.suite.context import LeftBehind
    from pytest_signcheck.traffic.webhooks import Receiver

SETTINGS_KEY = pytest.StashKey[Settings]()
RECORDER_KEY = pytest.StashKey[Recorder]()
BASELINE_KEY = pytest.StashKey["Baseline"]()
#: The entries --signcheck-write-baseline keeps: the file it replaces, else the baseline the run used.
_KEEP_KEY = pytest.StashKey["Baseline | None"]()
_REPORT_KEY = pytest.StashKey[dict[str, Any]]()
_WRITTEN_KEY = pytest.StashKey[list[tuple[str, str]]]()
_STOPPED_KEY = pytest.StashKey[str]()
SUITE_PATH = Path(__file__).parent / "suite" / "test_conformance.py"
SUITE_ID = "signcheck"
"""The suite module's test id: its scenarios are ``signcheck::test_signcheck[<scenario>]``."""
_WIRE = "signcheck"

_HELP = {
    "signcheck": "add the bundled conformance suite to this run",
    "signcheck_mode": "replay (default): shipped or given cassettes, no network; "
    "record: run live and write cassettes; live: run live, write nothing",
    "signcheck_base_url": "API root (default https://sandbox.syngrafii.com/api/v1; env SIGNCHECK_BASE_URL). "
    "The API key is read from SIGNCHECK_API_KEY only",
    "signcheck_cassettes": "directory cassettes are read from and written to (default: the shipped ones)",
    "signcheck_api_version": "documented state set that applies: 3.6 or 4.0 (default 4.0)",
    "signcheck_report": "write the drift report to PATH (.json or .md); may be given more than once",
    "signcheck_fail_on": "which findings fail the run: breaking (default), any, never",
    "signcheck_allow_writes": "permit creating packages on a host that is neither a vendor sandbox "
    "nor loopback",
    "signcheck_baseline": "accepted drift (YAML or JSON): findings it matches are reported as accepted "
    "and do not fail the run",
    "signcheck_write_baseline": "write every finding of this run to FILE as a baseline to edit and commit",
    "signcheck_max_age": "replay: a cassette recorded more than DAYS days ago makes the run could-not-check",
    "signcheck_webhook_url": "opt in to webhooks against a non-loopback API: register URL (a public address "
    "forwarding to 127.0.0.1:--signcheck-webhook-port) as the organisation's one webhook endpoint. "
    "It REPLACES the endpoint your integration relies on, and cannot be undone by the suite",
    "signcheck_webhook_port": "with --signcheck-webhook-url: the local port the suite's receiver listens on "
    "(default 8765)",
    "signcheck_webhook_timeout": "seconds to wait for the webhook events the suite caused (default 30)",
    "signcheck_explore": "with --signcheck: also explore packages/list with N request bodies drawn from its "
    "documented request schema (at most N+2 requests)",
    "signcheck_explore_seed": "the seed the exploration's bodies are drawn from (default 0)",
}


# Per option, what argparse needs beyond the flag, dest, default and help.
_ARGPARSE: dict[str, dict[str, Any]] = {
    "signcheck": {"action": "store_true"},
    "signcheck_mode": {"choices": MODES},
    "signcheck_base_url": {"metavar": "URL"},
    "signcheck_cassettes": {"metavar": "DIR"},
    "signcheck_api_version": {"choices": API_VERSIONS},
    "signcheck_report": {"action": "append", "metavar": "PATH"},
    "signcheck_fail_on": {"choices": FAIL_ON},
    "signcheck_allow_writes": {"action": "store_true"},
    "signcheck_baseline": {"metavar": "FILE"},
    "signcheck_write_baseline": {"metavar": "FILE"},
    "signcheck_max_age": {"metavar": "DAYS"},
    "signcheck_webhook_url": {"metavar": "URL"},
    "signcheck_webhook_port": {"metavar": "PORT"},
    "signcheck_webhook_timeout": {"metavar": "SECONDS"},
    "signcheck_explore": {"metavar": "N"},
    "signcheck_explore_seed": {"metavar": "SEED"},
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("signcheck", "signcheck: iinked Sign API conformance and drift")
    for dest, extra in _ARGPARSE.items():
        flag = "--" + dest.replace("_", "-")
        group.addoption(flag, dest=dest, default=None, help=_HELP[dest], **extra)
    for _, _, ini_key, _ in OPTIONS:
        kind = "bool" if ini_key in ("signcheck", "signcheck_allow_writes") else "string"
        if ini_key == "signcheck_report":
            kind = "args"
        parser.addini(ini_key, _HELP[ini_key], type=kind, default=None)  # type: ignore[arg-type]


def _ini_value(config: pytest.Config, key: str, ini_name: str) -> Any:
    """One ini value as pytest parses it. pytest's message for a true/false key it cannot parse names
    neither the file nor the key ("invalid truth value 'maybe'"): this one names both, and the fix."""
    try:
        return config.getini(key)
    except (ValueError, pytest.UsageError) as error:  # pytest 9 raises UsageError, earlier ValueError
        raise ConfigError(f"{ini_name}: {key}: {error}; use true or false (or 1/0, yes/no, on/off)") from None


def _resolve(config: pytest.Config) -> Settings:
    cli = {dest: config.getoption(dest) for _, dest, _, _ in OPTIONS}
    ini_name = config.inipath.name if config.inipath else "ini file"
    try:
        ini = {key: _ini_value(config, key, ini_name) for _, _, key, _ in OPTIONS}
        return resolve_settings(cli, ini, os.environ, config.invocation_params.dir, ini_name)
    except ConfigError as error:
        raise pytest.UsageError(f"signcheck: {error}") from None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "signcheck_sandbox(*, drifts=(), api_version='4.0', seed=0, packages=60, templates=24, throttle=0, "
        "delay_ms=0, api_key=...): configure the reference sandbox that the signcheck_sandbox fixture "
        "starts for this test",
    )
    settings = _resolve(config)
    config.stash[SETTINGS_KEY] = settings
    config.stash[RECORDER_KEY] = Recorder()
    if settings.baseline is not None:
        config.stash[BASELINE_KEY] = _load_baseline(settings.baseline)
    if settings.write_baseline is not None:
        config.stash[_KEEP_KEY] = _to_keep(settings.write_baseline, config.stash.get(BASELINE_KEY, None))
    if settings.enabled:
        _add_suite(config)
        config.pluginmanager.register(_Interruptions(config), "signcheck-interruptions")


def _load_baseline(path: Path) -> Baseline:
    """Read and validate the baseline before any test runs: a bad one is a usage error (exit 4)."""
    from pytest_signcheck.report.baseline import load_baseline

    try:
        return load_baseline(path)
    except ConfigError as error:
        raise pytest.UsageError(f"signcheck: {error}") from None


def _to_keep(target: Path, used: Baseline | None) -> Baseline | None:
    """What a refresh of `target` keeps entries from: the file itself when it exists (read now, so a
    broken one stops the run before any test), else the baseline the run used."""
    if used is not None and used.path.resolve() == target.resolve():
        return used
    return _load_baseline(target) if target.is_file() else used


def _scoped(baseline: Baseline | None, recorder: Recorder) -> Baseline | None:
    """`baseline` judged against this run's scope: the endpoints its completed scenarios checked."""
    if baseline is None:
        return None
    from pytest_signcheck.report.baseline import exercised_endpoints

    return baseline.within(exercised_endpoints(recorder.evidence, recorder.problems))


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
    return pytest.Module.from_parent(parent, path=module_path, nodeid=SUITE_ID)


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
    """The resolved signcheck settings of this run."""
    return pytestconfig.stash[SETTINGS_KEY]


@pytest.fixture(scope="session")
def signcheck_recorder(pytestconfig: pytest.Config) -> Recorder:
    """Where this run's findings are gathered for the drift report."""
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
    today = datetime.now(UTC).date()
    failing = [
        finding
        for finding in Recorder(findings=result.findings).failing(settings.fail_on)
        if baseline is None or baseline.accepting(finding, today) is None
    ]
    if not failing:
        return None
    text = render_failure(result.scenario, failing, settings.fail_on)
    unlike = unlike_the_api([result.evidence], settings, settings.mode)
    return f"{text}\nIn this scenario, {unlike[:1].lower()}{unlike[1:]}" if unlike else text


class SandboxURL(str):
    """The reference sandbox's base URL (…/api/v1), as before, carrying the running sandbox: its key
    and its control surface (``.server.sign(...)``, ``.decline``, ``.flush``, ``.events``, ``.stats``)."""

    server: SandboxServer

    def __new__(cls, server: SandboxServer) -> SandboxURL:
        url = super().__new__(cls, server.base_url)
        url.server = server
        return url

    @property
    def api_key(self) -> str:
        return self.server.api_key


@pytest.fixture
def signcheck_sandbox(request: pytest.FixtureRequest) -> Iterator[SandboxURL]:
    """Start the reference sandbox on a free 127.0.0.1 port; yields its base URL (…/api/v1), a `str`
    whose ``.server`` is the running `SandboxServer` (signers sign and decline through it).

    Configure it with ``@pytest.mark.signcheck_sandbox(drifts=[...], api_version="3.6")``.
    The key is ``signcheck-sandbox-key`` unless the marker gives ``api_key``.
    """
    marker = request.node.get_closest_marker("signcheck_sandbox")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    if "drifts" in options:
        options["drifts"] = tuple(options["drifts"])
    with ExitStack() as stack:
        yield SandboxURL(_start_sandbox(stack, options))


def _start_sandbox(stack: ExitStack, options: dict[str, Any]) -> SandboxServer:
    """The started sandbox; a missing extra or a bad marker fails the test with its fix."""
    try:
        from pytest_signcheck.sandbox import SandboxConfig, running

        return stack.enter_context(running(SandboxConfig(**options)))
    except ImportError as error:
        pytest.fail(
            "the signcheck_sandbox fixture needs the sandbox extra (starlette, uvicorn): "
            f"pip install 'pytest-signcheck[sandbox]' ({error})",
            pytrace=False,
        )
    except (TypeError, ValueError) as error:
        pytest.fail(f"@pytest.mark.signcheck_sandbox(...): {error}", pytrace=False)


@pytest.fixture
def signcheck_webhooks() -> Iterator[Receiver]:
    """A webhook receiver on a free 127.0.0.1 port: register ``signcheck_webhooks.url`` as the endpoint,
    then ``signcheck_webhooks.wait_for("package_add", timeout=10)`` returns the deliveries of that action
    once they came (fewer, if the deadline passed first; it never hangs). ``.deliveries()`` lists all,
    each with ``.payload``, ``.headers`` and the raw ``.body``; judge them with
    ``pytest_signcheck.check_webhook``."""
    from pytest_signcheck.traffic.webhooks import Receiver

    with Receiver() as receiver:
        yield receiver


@pytest.hookimpl(optionalhook=True)  # an xdist hook: pytest-xdist may not be installed
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: merge a worker's findings into this run's report."""
    data = getattr(node, "workeroutput", {}).get(_WIRE)
    if data:
        node.config.stash[RECORDER_KEY].merge_wire(json.loads(data))


@pytest.hookimpl(tryfirst=True)  # before pytest's JUnit XML is written: it carries the report's cases
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    settings = config.stash.get(SETTINGS_KEY, None)
    recorder = config.stash.get(RECORDER_KEY, None)
    if settings is None or recorder is None or not settings.enabled or config.option.collectonly:
        return
    if hasattr(config, "workeroutput"):
        config.workeroutput[_WIRE] = json.dumps(recorder.to_wire())
        return
    from pytest_signcheck.report.outputs import write_outputs
    from pytest_signcheck.report.render import build_report, outcome_exit_status

    baseline = _scoped(config.stash.get(BASELINE_KEY, None), recorder)
    report = build_report(recorder, settings, baseline, stopped=_stopped(session, int(exitstatus)))
    status = outcome_exit_status(report, int(exitstatus), session.testsfailed, len(recorder.failed))
    config.stash[_REPORT_KEY] = report
    keep = _scoped(config.stash.get(_KEEP_KEY, None), recorder)
    written = write_outputs(report, recorder, settings, baseline, os.environ, keep=keep)
    config.stash[_WRITTEN_KEY] = written
    _junit_cases(config, report)
    session.exitstatus = pytest.ExitCode.USAGE_ERROR if any(e for _, e in written) else status


class _Interruptions:
    """Keeps what an interrupt says, for the report: how it came, and what its scenario may have left
    on the API. Registered only for a `--signcheck` run."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        from pytest_signcheck.suite.context import LEFT_BEHIND, LeftBehind

        how = f"pytest.exit: {excinfo.value}" if excinfo.typename == "Exit" else "Ctrl-C"
        left = getattr(excinfo.value, LEFT_BEHIND, None)
        if isinstance(left, LeftBehind):
            how += "; " + _left_behind(left)
        self.config.stash[_STOPPED_KEY] = how


def _left_behind(left: LeftBehind) -> str:
    from pytest_signcheck.suite.context import NAME_PREFIX

    name = f"`{NAME_PREFIX}-{left.run_id} …`"
    if left.packages:
        return (
            f"a second Ctrl-C stopped the interrupted scenario's cleanup: {len(left.packages)} package(s) "
            f"named {name} were left on the API, delete them"
        )
    return (
        f"the interrupted scenario deleted the packages it created, named {name}; one whose add was "
        "being answered at the Ctrl-C may be left under that name"
    )


def _stopped(session: pytest.Session, exitstatus: int) -> dict[str, str] | None:
    """The problem of a run that stopped before its verdict (interrupted, internal error), else None."""
    if exitstatus not in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.INTERNAL_ERROR):
        return None
    recorder = session.config.stash[RECORDER_KEY]
    planned = sum(1 for item in session.items if item.path == SUITE_PATH)
    ran = f"{len(recorder.scenarios)} of {planned}" if planned else str(len(recorder.scenarios))
    counted = f"after {ran} scenario(s) ran to the end: nothing is known of the others"
    if exitstatus == pytest.ExitCode.INTERNAL_ERROR:
        return {"kind": "internal-error", "reason": f"pytest stopped with an internal error {counted}"}
    how = session.config.stash.get(_STOPPED_KEY, "interrupted")
    return {"kind": "interrupted", "reason": f"the run was interrupted ({how}) {counted}"}


class _Failure:
    """A failure for pytest's JUnit XML: a one-line `reprcrash.message` and the full text."""

    def __init__(self, message: str, text: str) -> None:
        self.reprcrash = SimpleNamespace(message=message)
        self.text = text

    def __str__(self) -> str:
        return self.text


def _junit_cases(config: pytest.Config, report: dict[str, Any]) -> None:
    """One JUnit test case per (endpoint, check) that fails the run, in pytest's own --junitxml file:
    classname ``signcheck.<endpoint>``, name ``<check>``, the findings as its failure text."""
    try:
        from _pytest.junitxml import xml_key  # pytest's JUnit writer (not public API: guarded)
    except ImportError:  # pragma: no cover - a pytest that moved it: the scenarios' own cases remain
        return
    xml = config.stash.get(xml_key, None)
    if xml is None:
        return
    from pytest_signcheck.report.ci import junit_cases

    for case in junit_cases(report):
        nodeid = f"signcheck::{case['endpoint']}::{case['check']}"
        location = ("signcheck", None, f"{case['endpoint']} {case['check']}")
        failure: Any = _Failure(case["message"], case["text"])
        xml.pytest_runtest_logreport(pytest.TestReport(nodeid, location, {}, "failed", failure, "call"))
        xml.pytest_runtest_logreport(pytest.TestReport(nodeid, location, {}, "passed", None, "teardown"))


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    report = config.stash.get(_REPORT_KEY, None)
    if report is None:
        return
    from pytest_signcheck.report.render import TERMINAL_GROUPS, render_terminal, where_the_rest_is

    limit = None if config.get_verbosity() > 0 else TERMINAL_GROUPS
    more = where_the_rest_is(config.stash[SETTINGS_KEY].reports, "--signcheck-report")
    terminalreporter.write_sep("=", "signcheck drift report")
    for line in render_terminal(report, limit, more):
        terminalreporter.write_line(line)
    for written, error in config.stash.get(_WRITTEN_KEY, []):
        terminalreporter.write_line(written or error, red=bool(error))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from pytest_signcheck.report.ci import github_annotations

        for line in github_annotations(report):
            terminalreporter.write_line(line)
