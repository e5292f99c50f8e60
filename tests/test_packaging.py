"""The installed package owns its name: everything lands under ``aimsgraph.``, nothing called
``graph`` or ``api`` reaches a user's site-packages."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOP_FOLDERS = ("api", "graph", "ingest", "ontology", "visualise")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip install .` would install, built from the working tree."""
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                            str(out), str(ROOT)], check=True, capture_output=True, text=True,
                           timeout=300)
    # every folder of data is declared: the build says nothing (it once printed hundreds of
    # lines of warnings on a user's first `make demo`)
    assert "Warning" not in built.stderr, built.stderr[:2000]
    (found,) = out.glob("aimsgraph-*.whl")
    return found


@pytest.mark.slow
def test_the_wheel_holds_only_the_aimsgraph_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"aimsgraph"}
    packages = {str(init.parent.relative_to(ROOT)) for folder in TOP_FOLDERS
                for init in (ROOT / folder).rglob("__init__.py")}
    for package in packages:  # every package of the tree, its modules with it
        assert f"aimsgraph/{package}/__init__.py" in names
        for module in (ROOT / package).glob("*.py"):
            assert f"aimsgraph/{package}/{module.name}" in names
    # the data the package reads at run time travels with it
    for data in (ROOT / "ontology" / "data").iterdir():  # every catalogue, its attribution
        assert f"aimsgraph/ontology/data/{data.name}" in names
    assert any(n.startswith("aimsgraph/ingest/samples/northwind/") for n in names)
    for starter in (ROOT / "ingest" / "samples" / "crosswalks").glob("*/*"):  # and attribution
        assert f"aimsgraph/ingest/samples/crosswalks/{starter.parent.name}/{starter.name}" in names
    assert "aimsgraph/graph/neo4j_server/pom.xml" in names


@pytest.mark.slow
def test_a_fresh_environment_imports_aimsgraph_and_not_the_bare_names(
        wheel: Path, tmp_path: Path) -> None:
    """A new virtual environment with only the wheel installed (its dependencies borrowed from
    this one's site-packages), asked from a folder outside the repository."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    python = venv / "bin" / "python"
    target = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    borrowed = sysconfig.get_paths()["purelib"]
    env = {"PYTHONPATH": borrowed, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def run(code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(python), "-c", code], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120, check=False)

    done = run("import aimsgraph.graph, aimsgraph.api.cli, aimsgraph.ontology; "
               "print(aimsgraph.graph.__file__)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(str(target))
    for bare in TOP_FOLDERS:
        refused = run(f"import {bare}")
        assert refused.returncode != 0
        assert f"No module named '{bare}'" in refused.stderr
