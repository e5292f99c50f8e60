"""Every case of the hostile corpus through the command line, each in its own process: a clear
error (or a safe result), no traceback, nothing written, a failed run recorded, and the
process's peak memory under the limit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aimsgraph.graph import EmbeddedStore
from aimsgraph.ingest import ingest_bundle
from tests.hostile.corpus import CASES, Case, build
from tests.hostile.measure import MEMORY_LIMIT_MB, cli_env, run_cli

REJECTED = [c for c in CASES if c.expect is not None]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {case.name: path for case, path in build(tmp_path_factory.mktemp("corpus"))}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Iterator[Path]:
    """A store holding the sample organisation, shared by the rejected cases."""
    folder = tmp_path_factory.mktemp("store")
    with EmbeddedStore(folder) as store:
        ingest_bundle(store, sample_dir)
    yield folder


def _no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text and "\x1b" not in text, text[-2000:]


@pytest.mark.parametrize("case", REJECTED, ids=[c.name for c in REJECTED])
def test_rejected_with_a_clear_error_and_nothing_written(case: Case, corpus: dict[str, Path],
                                                         loaded: Path) -> None:
    with EmbeddedStore(loaded) as store:
        before = store.stats()
    result = run_cli(["ingest", str(corpus[case.name])], cli_env(loaded))
    _no_traceback(result.out, result.err)
    assert result.code == 1
    assert "bundle rejected, nothing was written" in result.err
    assert case.expect is not None and case.expect in result.err, result.err[-2000:]
    assert result.peak_mb < MEMORY_LIMIT_MB, f"{result.peak_mb:.0f} MiB"
    with EmbeddedStore(loaded) as store:
        assert store.stats() == before
        last = store.runs(1)[0]
    assert (last.bundle, last.outcome) == (case.name, "failed")
    assert last.errors and len(last.errors) <= 1001


def _fresh(tmp_path: Path, corpus: dict[str, Path], name: str) -> dict[str, str]:
    env = cli_env(tmp_path / "store")
    result = run_cli(["ingest", str(corpus[name])], env)
    _no_traceback(result.out, result.err)
    assert result.code == 0, result.err
    assert result.peak_mb < MEMORY_LIMIT_MB
    return env


def test_yaml_values_stay_as_written(tmp_path: Path, corpus: dict[str, Path]) -> None:
    _fresh(tmp_path, corpus, "yaml-typing.zip")
    with EmbeddedStore(tmp_path / "store") as store, store.read() as tx:
        people = tx.get_nodes("Person", ["010", "0x1F", "P-7", "8", "31"])
    assert {k: v.props["name"] for k, v in people.items()} == {
        "010": "NO", "0x1F": "yes", "P-7": "Null Island"}
    assert "email" not in people["P-7"].props  # a plain ~ means "not given"


def test_csv_exports_do_not_run_as_formulas(tmp_path: Path, corpus: dict[str, Path]) -> None:
    env = _fresh(tmp_path, corpus, "formulas.zip")
    for args in (["gaps", "ai-system-without-accountable-owner", "-f", "csv"],
                 ["report", "gaps", "-f", "csv"]):
        result = run_cli(args, env)
        assert result.code == 0, result.err
        cells = [cell for line in result.out.splitlines() for cell in line.split(",")]
        assert not [c for c in cells if c.lstrip('"').startswith(("=", "+", "-", "@"))]
        for name in ("'=HYPERLINK(", "'@SUM(1+1)", "'+cmd|", "'-2+3"):
            assert name in result.out, (args, result.out)


def test_markup_and_escape_sequences_never_reach_the_terminal(tmp_path: Path,
                                                              corpus: dict[str, Path]) -> None:
    env = _fresh(tmp_path, corpus, "terminal.zip")
    shown = run_cli(["gaps", "ai-system-without-accountable-owner"], env)
    _no_traceback(shown.out, shown.err)
    assert shown.code == 0
    for literal in ("R-MARKUP ([/x])", "[link=http://evil.example]CEO[/link]",
                    "([2J]0;ownedClear)"):
        assert literal in shown.out, shown.out
    table = run_cli(["trace", "system", "SYS-L"], env)
    _no_traceback(table.out, table.err)
    unknown = run_cli(["trace", "control", "[/x]"], env)
    _no_traceback(unknown.out, unknown.err)
    assert unknown.code == 1 and "[/x]" in unknown.err
    evil = run_cli(["trace", "control", "\x1b]0;owned\x07C-1"], env)
    _no_traceback(evil.out, evil.err)
    assert evil.code == 1 and "owned" in evil.err


def test_the_command_line_reads_with_the_limits_of_the_settings(tmp_path: Path,
                                                                sample_dir: Path) -> None:
    from tests.bundles import folder_to_xlsx, folder_to_zip

    archive = folder_to_zip(sample_dir, tmp_path / "org.zip")
    book = folder_to_xlsx(sample_dir, tmp_path / "org.xlsx")
    env = cli_env(tmp_path / "store", AIMSGRAPH_MAX_ROWS="5")
    rows = run_cli(["ingest", str(archive)], env)
    assert rows.code == 1 and "holds more than 5 rows" in rows.err and \
        "(AIMSGRAPH_MAX_ROWS)" in rows.err
    small = cli_env(tmp_path / "store", AIMSGRAPH_MAX_BUNDLE_BYTES="2000")
    for bundle in (archive, book):
        refused = run_cli(["ingest", str(bundle)], small)
        assert refused.code == 1 and "AIMSGRAPH_MAX_BUNDLE_BYTES" in refused.err, refused.err
    assert run_cli(["ingest", str(archive)], cli_env(tmp_path / "store")).code == 0
