"""`check`: one exit code over every stage, and a cache that never hides a finding."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import cmas_bank.cache
from cmas_bank.check import run_check
from cmas_bank.config import load_config
from cmas_bank.outline import load_outline
from conftest import FIXTURES
from test_cli import cli

MINI = FIXTURES / "outlines" / "mini-exam.yaml"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A small project: the coverage fixture bank under a copy of the mini outline."""
    shutil.copytree(FIXTURES / "coverage" / "bank", tmp_path / "bank")
    shutil.copy(MINI, tmp_path / "outline.yaml")
    (tmp_path / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "bank"\noutline = "outline.yaml"\n')
    return tmp_path


def run(project: Path, **kw):  # type: ignore[no-untyped-def]
    config = load_config(cwd=project)
    outline = load_outline(config.outline, config.root)
    return run_check([config.bank], config, outline, **kw)


def test_stages_and_counts(project: Path) -> None:
    result = run(project)
    assert result.file_count == 9
    assert [d.code for d in result.stages["validate"]] == ["IV301"]
    assert result.coverage.count == 7
    codes = sorted(d.code for d in result.diagnostics)
    assert codes == ["IC101", "IC102", "IV301"]
    assert all(d.path.endswith("bank") for d in result.stages["coverage"])


def test_lint_and_dedupe_run_in_check(project: Path) -> None:
    source = (project / "bank" / "COV-04.yaml").read_text()
    (project / "bank" / "COV-10.yaml").write_text(source.replace("id: COV-04", "id: COV-10"))
    item = project / "bank" / "COV-02.yaml"
    item.write_text(item.read_text().replace("to pay on a claim?", "to pay on a claim."))
    result = run(project)
    lint = {(d.code, d.path.rsplit("/", 1)[-1], d.line) for d in result.stages["lint"]}
    assert ("IW101", "COV-02.yaml", 8) in lint
    dedupe = {(d.code, d.path.rsplit("/", 1)[-1]) for d in result.stages["dedupe"]}
    assert dedupe == {("ID101", "COV-04.yaml"), ("ID101", "COV-10.yaml")}


def test_incremental_dedupe_matches_a_full_run(project: Path) -> None:
    bank = project / "bank"
    source = (bank / "COV-04.yaml").read_text()
    (bank / "COV-10.yaml").write_text(source.replace("id: COV-04", "id: COV-10"))
    first = run(project)
    assert {d.path[-11:] for d in first.stages["dedupe"]} == {"COV-04.yaml", "COV-10.yaml"}
    # an edit elsewhere: the pair between two unchanged files is kept from the cache
    other = bank / "COV-06.yaml"
    other.write_text(other.read_text() + "# edited\n")
    kept = run(project)
    assert kept.cache_hits == 9
    assert [(d.code, d.path, d.message) for d in kept.stages["dedupe"]] == [
        (d.code, d.path, d.message) for d in first.stages["dedupe"]
    ]
    # a new near copy of another item is found by comparing only the new file
    (bank / "COV-11.yaml").write_text(
        (bank / "COV-05.yaml").read_text().replace("id: COV-05", "id: COV-11")
        .replace("Which code set reports", "Which code set is used to report")
    )
    grown = run(project)
    assert {d.path[-11:] for d in grown.stages["dedupe"]} == {"COV-04.yaml", "COV-10.yaml", "COV-05.yaml", "COV-11.yaml"}
    # removing a copy clears both of its findings; the result equals an uncached run
    (bank / "COV-10.yaml").unlink()
    shrunk = run(project)
    fresh = run(project, use_cache=False)
    assert [(d.code, d.path, d.message) for d in shrunk.stages["dedupe"]] == [
        (d.code, d.path, d.message) for d in fresh.stages["dedupe"]
    ]
    assert {d.path[-11:] for d in shrunk.stages["dedupe"]} == {"COV-05.yaml", "COV-11.yaml"}


def test_cache_hits_and_invalidation_by_file(project: Path) -> None:
    assert run(project).cache_hits == 0
    assert run(project).cache_hits == 9
    item = project / "bank" / "COV-01.yaml"
    item.write_text(item.read_text().replace("answer: A", "answer: E"))
    result = run(project)
    assert result.cache_hits == 8
    assert ("IV205", "bank/COV-01.yaml") in {(d.code, d.path[-16:]) for d in result.diagnostics}


def test_cache_invalidated_by_config(project: Path) -> None:
    run(project)
    config = project / "pyproject.toml"
    config.write_text(config.read_text() + "\n[tool.cmas-bank.coverage]\nmin-multiplier = 0.5\n")
    assert run(project).cache_hits == 0


def test_cache_invalidated_by_outline(project: Path) -> None:
    run(project)
    outline = project / "outline.yaml"
    outline.write_text(outline.read_text().replace("name: Billing", "name: Billing and coding"))
    assert run(project).cache_hits == 0


def test_cache_invalidated_by_tool_version(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(project)
    monkeypatch.setattr(cmas_bank.cache, "__version__", "999.0")
    cmas_bank.cache.code_fingerprint.cache_clear()
    try:
        assert run(project).cache_hits == 0
    finally:
        cmas_bank.cache.code_fingerprint.cache_clear()


def test_no_cache_and_corrupt_cache(project: Path) -> None:
    assert run(project, use_cache=False).cache_hits == 0
    assert not (project / ".cmas-bank-cache").exists()
    run(project)
    shards = list((project / ".cmas-bank-cache").glob("check-*/*.pickle"))
    assert shards
    for f in shards:
        f.write_bytes(b"not a pickle")
    assert run(project).cache_hits == 0


def test_cli_single_exit_code(project: Path) -> None:
    short = cli("check", "--no-progress", cwd=project)
    assert short.returncode == 1
    assert "IV301" in short.stdout and "IC101" in short.stdout
    assert "coverage" in short.stderr and "short in area 1 by 4" in short.stderr
    clean = cli("check", "--outline", str(MINI), "--status", "approved,draft", "--min-multiplier", "0.5",
                str(project / "bank" / "COV-01.yaml"), str(project / "bank" / "COV-02.yaml"),
                str(project / "bank" / "COV-04.yaml"),
                str(project / "bank" / "COV-03.yaml"), str(project / "bank" / "COV-05.yaml"), cwd=project)
    assert clean.returncode == 0, clean.stdout + clean.stderr
