from __future__ import annotations

import importlib
import json
import os
import pkgutil
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

import pytest_signcheck

if TYPE_CHECKING:
    from pytest_signcheck.sandbox import SandboxServer

# Import every module (and through them PyYAML, vcrpy, starlette...) before any in-process pytester
# run: most `pytest --signcheck` runs in these tests go through `pytester.runpytest`, in this process.
# pytester unloads the modules an inner run imported first; a sandbox thread that outlives the
# inner run would then mix old and new classes (its ApiError stops matching), and libyaml's C
# extension, which cannot be unloaded, would keep pointing at unloaded node classes: without this,
# a second in-process replay in one worker finds every cassette "malformed".
# httpx imports httpcore lazily; its exception map would keep the classes of an unloaded httpcore.
# `pytest --runpytest=subprocess` runs every such inner run in a child process instead.
importlib.import_module("httpcore")
for _module in pkgutil.walk_packages(pytest_signcheck.__path__, "pytest_signcheck."):
    if not _module.name.endswith("__main__"):
        try:
            importlib.import_module(_module.name)
        except ImportError:  # the sandbox extra is not installed: README command 1 runs without it
            continue


#: The pytest plugins of the [schemathesis] extra, switched off: what a plain install runs with.
PLAIN_INSTALL = "-p no:schemathesis -p no:hypothesispytest"

#: What a GitHub Actions runner sets, and signcheck reads: annotations in the terminal output, the
#: Markdown report appended to the step's job summary.
GITHUB_RUNNER = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")


#: Where the tests' own HTTP goes: the reference sandbox and the test servers, all on this machine.
LOOPBACK = "127.0.0.1,localhost,::1"


@pytest.fixture(scope="session", autouse=True)
def _loopback_is_never_proxied() -> Iterator[None]:
    """A proxy the machine names for the internet (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY) never carries
    the tests' own requests to 127.0.0.1, which httpx would send to it: NO_PROXY names loopback for the
    session, before any fixture makes a client. signcheck itself never proxies a loopback API."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("NO_PROXY", "no_proxy"):
            patch.setenv(name, ",".join(filter(None, (os.environ.get(name), LOOPBACK))))
        yield


@pytest.fixture(autouse=True)
def _a_clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without the variables signcheck reads, and sets those it is about.

    A developer's or a CI job's own would otherwise reach every inner run (pytester, a child process,
    `signcheck` in this process): ``SIGNCHECK_BASELINE=signcheck-baseline.yaml`` makes each a usage
    error, ``SIGNCHECK_MAX_AGE`` ages out the cassettes tests record; on GitHub Actions each inner run
    prints annotations into the output a test reads, and appends its report to the job summary of the
    project's own CI step.
    """
    for name in [*GITHUB_RUNNER, *(name for name in os.environ if name.startswith("SIGNCHECK_"))]:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def ourtester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester that runs as the plain install does, in the classic console style; the environment
    holds no signcheck or GitHub Actions variable (`_a_clean_environment`)."""
    pytester.makeini("[pytest]\nconsole_output_style = classic\n")
    # As the plain install runs (README command 1): the [schemathesis] extra's pytest plugins, which
    # the test extras install, are not loaded; each would cost a child pytest ~0.45 s of start-up.
    monkeypatch.setenv("PYTEST_ADDOPTS", PLAIN_INSTALL)
    monkeypatch.setattr(pytester, "runpytest_inprocess", _in_a_thread(pytester.runpytest_inprocess))
    return pytester


def _in_a_thread(run: Callable[..., pytest.RunResult]) -> Callable[..., pytest.RunResult]:
    """`run`, called in a new thread, which this one waits for.

    CPython 3.11 keeps its frames in 16 KiB chunks, and unmaps a chunk as soon as the frame that opened
    it returns: a hot call that lands on a chunk boundary maps and unmaps 16 KiB on every call. An inner
    run nested under this process's own pytest (some 100 frames) can land there by chance: one test spent
    5 s of system time in 640,000 mmap/munmap pairs. A thread starts its frames afresh, at the depth of a
    child process's run.
    """

    def in_a_thread(*args: Any, **kwargs: Any) -> pytest.RunResult:
        outcome: list[Any] = []

        def target() -> None:
            try:
                outcome.append(run(*args, **kwargs))
            except BaseException as error:  # re-raised in the test's thread, below
                outcome.append(error)

        thread = threading.Thread(target=target, name="inner pytest run")
        thread.start()
        thread.join()
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        result: pytest.RunResult = outcome[0]
        return result

    return in_a_thread


@cache
def _loopback() -> httpx.Client:
    """One client for the tests' own loopback requests: each `httpx.post` loads the CA bundle (~20 ms)."""
    return httpx.Client(timeout=10)


def _leftovers(server: SandboxServer) -> list[str]:
    body = {"allMembers": True, "search": "signcheck*", "take": 500, "skip": 0}
    headers = {"api_key": server.api_key}
    response = _loopback().post(f"{server.base_url}/packages/list", json=body, headers=headers)
    return [item["name"] for item in response.json()["items"] if item["name"].startswith("signcheck-")]


@pytest.fixture(scope="session")
def suite_leftovers() -> Callable[[SandboxServer], list[str]]:
    """``suite_leftovers(server)``: the packages the conformance suite left on a sandbox (none, ever)."""
    return _leftovers


@contextmanager
def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    # shutdown() waits for the loop to look at its flag: every 0.5 s by default, every 20 ms here
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


#: (status, headers, body) of one HTTP answer.
Reply = tuple[int, dict[str, str], bytes]


@dataclass(frozen=True)
class Proxied:
    """A request the reverse proxy received; `forward()` asks the upstream and gives its answer."""

    method: str
    path: str
    headers: Any  # the request's headers (an email.message.Message: `.get(name, default)`)
    forward: Callable[[], Reply]


@contextmanager
def _reverse_proxy(upstream: str, answer: Callable[[Proxied], Reply]) -> Iterator[str]:
    """A reverse proxy on 127.0.0.1 in front of the API root `upstream`: `answer` replies to each
    request, with `forward()` for the upstream's own answer (its status, content type and body; the
    request's `api_key` and content type are what is forwarded)."""
    origin = upstream.removesuffix("/api/v1")
    client = httpx.Client(timeout=30)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def _proxy(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))

            def forward() -> Reply:
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("api_key", "content-type")}
                got = client.request(self.command, origin + self.path, headers=headers, content=body)
                return got.status_code, {"content-type": got.headers.get("content-type", "")}, got.content

            status, headers, content = answer(Proxied(self.command, self.path, self.headers, forward))
            self.send_response(status)
            for name, value in {**headers, "content-length": str(len(content))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = _proxy

    try:
        with _serve(Handler) as url:
            yield url
    finally:
        client.close()


@pytest.fixture(scope="session")
def reverse_proxy() -> Callable[..., AbstractContextManager[str]]:
    """``with reverse_proxy(upstream, answer) as url``: a reverse proxy in front of `upstream` whose
    `answer(request)` replies to each request, itself or with ``request.forward()`` (see `Proxied`)."""
    return _reverse_proxy


@pytest.fixture(scope="session")
def serve_http() -> Callable[[type[BaseHTTPRequestHandler]], AbstractContextManager[str]]:
    """``with serve_http(Handler) as url``: `Handler` serving on a free 127.0.0.1 port until the block
    ends; `url` is the API root it stands for (``http://127.0.0.1:PORT/api/v1``)."""
    return _serve


@dataclass(frozen=True)
class CliRun:
    """What a command did: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def _run_main(
    capsys: pytest.CaptureFixture[str], main: Callable[[list[str]], int], *args: str | Path
) -> CliRun:
    capsys.readouterr()
    try:
        status: object = main([str(arg) for arg in args])
    except SystemExit as stop:
        status = stop.code
    out, err = capsys.readouterr()
    assert isinstance(status, int), f"the command ended with {status!r}, not an exit status"
    assert "Traceback" not in out + err, err
    return CliRun(status, out, err)


@pytest.fixture
def command_in_process(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliRun]:
    """``command_in_process(main, *args)``: a command's ``main(argv)`` run in this process.

    `main` returns the exit status, and argparse's usage errors exit with it (``SystemExit(4)``): the
    console script and ``python -m`` pass both to ``sys.exit``, so either is the status a shell sees.
    Any other exception escapes and fails the test, as a traceback would fail a user.
    """
    return lambda main, *args: _run_main(capsys, main, *args)


@pytest.fixture
def signcheck_cli(
    command_in_process: Callable[..., CliRun], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliRun]:
    """``signcheck_cli(cwd, *args)``: ``signcheck args`` run in `cwd`, in this process
    (`command_in_process`). The installed script runs once, in a child process (tests/verdict/test_cli.py)."""
    from pytest_signcheck.cli import main

    def run(cwd: Path, *args: str | Path) -> CliRun:
        monkeypatch.chdir(cwd)
        return command_in_process(main, *args)

    return run


REPORT_SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "report.json"


def _written_reports(folder: Path) -> Iterator[tuple[Path, object]]:
    """The JSON reports signcheck wrote under `folder`: they have `generated_at`; the few reports tests
    write by hand (to feed `signcheck diff` bad input) do not."""
    for path in folder.rglob("*.json"):
        try:
            with path.open("rb") as handle:
                if b'"signcheck_report"' not in handle.read(256):
                    continue
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):  # a folder named r.json, a file made unreadable on purpose
            continue
        if isinstance(data, dict) and "generated_at" in data:
            yield path, data


def _invalid_reports(folder: Path) -> list[str]:
    import jsonschema

    validator = jsonschema.Draft202012Validator(json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")))
    return [
        f"{path}: {error.message} at {error.json_path}"
        for path, data in _written_reports(folder)
        for error in list(validator.iter_errors(data))[:1]
    ]


@pytest.fixture(scope="session")
def invalid_reports() -> Callable[[Path], list[str]]:
    """``invalid_reports(folder)``: each report signcheck wrote under `folder` that does not validate
    against schemas/report.json, with its first error."""
    return _invalid_reports


@pytest.fixture(scope="session", autouse=True)
def every_report_written_validates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every JSON report written in this session (in process, by a child `pytest` or by `signcheck`,
    all under the session's temporary folders) validates against schemas/report.json, the published
    format: checked when the session ends (an error at the last test's teardown names each file)."""
    yield
    invalid = _invalid_reports(tmp_path_factory.getbasetemp())
    assert not invalid, "reports that do not validate against schemas/report.json:\n" + "\n".join(invalid)
