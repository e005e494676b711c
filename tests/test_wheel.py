"""The built wheel ships the schemas and cassettes, and works from a fresh venv outside the repo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

from pytest_signcheck.contract.schemas import RELEASE_VIEWS, SCHEMA_NAMES

REPO = Path(__file__).resolve().parent.parent

PROBE = textwrap.dedent(
    """
    import importlib.resources, json, pathlib, sysconfig
    import pytest_signcheck
    from pytest_signcheck.contract import schemas
    from pytest_signcheck.contract.endpoints import API_VERSIONS

    for name in schemas.SCHEMA_NAMES:
        schemas.load_schema(name)
        for version in API_VERSIONS:  # 3.6 reads schemas/3.6/ of the wheel
            schemas.validator_for(name, version)
            schemas.is_valid(name, {}, version)
    cassettes = importlib.resources.files("pytest_signcheck") / "_data" / "cassettes"
    print(json.dumps({
        "site": sysconfig.get_paths()["purelib"],
        "package": str(pathlib.Path(pytest_signcheck.__file__).resolve()),
        "schemas": str(schemas.schemas_path()),
        "files": sorted(p.name for p in schemas.schemas_path().iterdir()),
        "cassettes": cassettes.is_dir(),
    }))
    """
)


def _run(*args: str | Path, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST", "VIRTUAL_ENV"))}
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _build_wheel(dist: Path) -> Path:
    """Build with the PEP 517 hook that pip calls (hatchling's); pip around it adds a second of start-up."""
    build = "import sys; from hatchling.build import build_wheel; build_wheel(sys.argv[1])"
    _run(sys.executable, "-c", build, dist, cwd=REPO)
    (wheel,) = dist.glob("pytest_signcheck-*.whl")
    return wheel


def _fresh_venv(root: Path, wheel: Path) -> Path:
    """A venv with only the wheel installed; the test env's dependencies are appended by a .pth."""
    _run(sys.executable, "-m", "venv", "--without-pip", root, cwd=root.parent)
    python = root / "bin" / "python"
    _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel, cwd=root
    )
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=root).strip()
    )
    (site / "zz_signcheck_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def test_wheel_ships_schemas_and_cassettes_and_loads_outside_the_repo(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    wheel = _build_wheel(dist)
    shipped = {
        n for n in zipfile.ZipFile(wheel).namelist() if n.startswith("pytest_signcheck/_data/schemas/")
    }
    views = {view for per_release in RELEASE_VIEWS.values() for view in per_release.values()}
    expected = {f"pytest_signcheck/_data/schemas/{name}.json" for name in (*SCHEMA_NAMES, *views)}
    assert expected | {"pytest_signcheck/_data/schemas/openapi.yaml"} <= shipped

    _assert_schemathesis_is_an_extra(zipfile.ZipFile(wheel))

    python = _fresh_venv(tmp_path / "venv", wheel)
    work = tmp_path / "elsewhere"
    work.mkdir()
    probe = json.loads(_run(python, "-c", PROBE, cwd=work))
    site = Path(probe["site"])
    assert Path(probe["package"]).is_relative_to(site)
    assert Path(probe["schemas"]) == site / "pytest_signcheck" / "_data" / "schemas"
    assert {f"{name}.json" for name in SCHEMA_NAMES} <= set(probe["files"])
    assert probe["cassettes"], "pytest_signcheck/_data/cassettes is missing from the wheel"

    # The test env's own plugins are on the path too (the .pth above): blocking them leaves ours, loaded
    # by its entry point from the wheel, and three quarters of the start-up out.
    others = ("-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:anyio", "-p", "no:xdist")
    help_text = _run(python, "-m", "pytest", *others, "-p", "no:recording", "--help", cwd=work)
    assert "signcheck" in help_text
    assert "--signcheck" in help_text


def _assert_schemathesis_is_an_extra(wheel: zipfile.ZipFile) -> None:
    """A plain install brings no Schemathesis: its pytest plugins would slow every pytest run."""
    (metadata,) = (name for name in wheel.namelist() if name.endswith(".dist-info/METADATA"))
    requires = [
        line.partition(":")[2].strip()
        for line in wheel.read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist:")
    ]
    extras = {
        line.partition("extra == ")[2].strip("'\"") for line in requires if line.startswith("schemathesis")
    }
    assert extras == {"schemathesis", "test"}, requires  # never "": no unconditional requirement
