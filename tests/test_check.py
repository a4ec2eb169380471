"""`check`: one exit code over every stage, and a cache that never hides a finding."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from clirunner import cli
from conftest import FIXTURES

from cmas_bank.check import run_check
from cmas_bank.config import load_config
from cmas_bank.engine import store
from cmas_bank.outline import load_outline

MINI = FIXTURES / "outlines" / "mini-exam.yaml"


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
    assert codes == ["IC101", "IC102", "IV301"]  # COV-02 to 05's bare application stems: opt-in IW414
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
        (bank / "COV-05.yaml")
        .read_text()
        .replace("id: COV-05", "id: COV-11")
        .replace("Which code set reports", "Which code set is used to report")
    )
    grown = run(project)
    assert {d.path[-11:] for d in grown.stages["dedupe"]} == {
        "COV-04.yaml",
        "COV-10.yaml",
        "COV-05.yaml",
        "COV-11.yaml",
    }
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
    monkeypatch.setattr(store, "__version__", "999.0")
    store.code_fingerprint.cache_clear()
    try:
        assert run(project).cache_hits == 0
    finally:
        store.code_fingerprint.cache_clear()


def test_no_cache_and_corrupt_cache(project: Path) -> None:
    assert run(project, use_cache=False).cache_hits == 0
    assert not (project / ".cmas-bank-cache").exists()
    run(project)
    shards = list((project / ".cmas-bank-cache").glob("check-*/*"))
    assert shards
    for f in shards:
        f.write_bytes(b"not a pickle")
    again = run(project)
    assert again.cache_hits == 0
    assert any("did not verify" in note for note in again.notes)


def test_cli_single_exit_code(project: Path) -> None:
    short = cli("check", "--no-progress", cwd=project)
    assert short.returncode == 1
    assert "IV301" in short.stdout and "IC101" in short.stdout
    assert "coverage" in short.stderr and "short in area 1 by 4" in short.stderr
    clean = cli(
        "check",
        "--outline",
        str(MINI),
        "--status",
        "approved,draft",
        "--min-multiplier",
        "0.5",
        str(project / "bank" / "COV-01.yaml"),
        str(project / "bank" / "COV-02.yaml"),
        str(project / "bank" / "COV-04.yaml"),
        str(project / "bank" / "COV-03.yaml"),
        str(project / "bank" / "COV-05.yaml"),
        cwd=project,
    )
    assert clean.returncode == 0, clean.stdout + clean.stderr


def _same(a, b) -> bool:  # type: ignore[no-untyped-def]
    return [(d.code, d.path, d.line, d.column, d.message) for d in a.diagnostics] == [
        (d.code, d.path, d.line, d.column, d.message) for d in b.diagnostics
    ]


def test_stat_vouches_for_unchanged_files_but_never_hides_an_edit(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmas_bank.engine import survey

    monkeypatch.setattr(survey, "RACY_NS", 0)  # the fixture files are seconds old: trust stat at once
    reads: list[str] = []
    real = survey.read_bytes
    monkeypatch.setattr(survey, "read_bytes", lambda loaded: reads.append(loaded.display) or real(loaded))
    run(project)
    reads.clear()
    again = run(project)
    assert reads == [] and again.cache_hits == 9  # every file known by stat, none read
    item = project / "bank" / "COV-01.yaml"
    text = item.read_text()
    stat = item.stat()
    item.write_text(text.replace("answer: A", "answer: E"))  # same size, same mtime restored
    os.utime(item, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    edited = run(project)
    assert [r.rsplit("/", 1)[-1] for r in reads] == ["COV-01.yaml"]  # the change of ctime gave it away
    assert ("IV205", "COV-01.yaml") in {(d.code, d.path.rsplit("/", 1)[-1]) for d in edited.diagnostics}
    assert _same(edited, run(project, use_cache=False))


def test_racy_files_are_hashed_again(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmas_bank.engine import survey

    reads: list[str] = []
    real = survey.read_bytes
    monkeypatch.setattr(survey, "read_bytes", lambda loaded: reads.append(loaded.display) or real(loaded))
    run(project)
    reads.clear()
    run(project)
    assert len(reads) == 9  # changed in the last two seconds: stat is not trusted, bytes are hashed


def test_an_edit_outside_the_bank_view_reuses_the_bank_stages(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmas_bank import lint

    first = run(project)
    calls: list[int] = []
    real = lint.lint_bank_items
    monkeypatch.setattr(lint, "lint_bank_items", lambda *a, **k: calls.append(1) or real(*a, **k))
    item = project / "bank" / "COV-02.yaml"
    item.write_text(item.read_text().replace("reports how the payer", "reports how  the payer", 1))  # IW408
    edited = run(project)
    assert calls == [] and edited.cache_hits == 8  # the bank-wide stages were not run again
    assert _same(edited, run(project, use_cache=False))
    assert {d.code for d in edited.diagnostics} - {d.code for d in first.diagnostics} == {"IW408"}
    # an edit that a bank-wide stage reads (the stem) runs them again, with the same result as no cache
    calls.clear()
    item.write_text(item.read_text().replace("stem: ", "stem: Today, ", 1))
    restemmed = run(project)
    assert calls == [1]
    assert _same(restemmed, run(project, use_cache=False))


def test_a_memo_for_other_coverage_options_is_not_reused(project: Path) -> None:
    run(project)
    wide = run(project, statuses=("approved", "draft"))
    assert wide.coverage.count == run(project, statuses=("approved", "draft"), use_cache=False).coverage.count
    assert wide.coverage.count != run(project).coverage.count


def test_removed_and_added_files_are_seen(project: Path) -> None:
    run(project)
    (project / "bank" / "COV-03.yaml").unlink()
    assert _same(run(project), run(project, use_cache=False))
    source = (project / "bank" / "COV-04.yaml").read_text()
    (project / "bank" / "COV-12.yaml").write_text(source.replace("id: COV-04", "id: COV-12"))
    grown = run(project)
    assert _same(grown, run(project, use_cache=False))
    assert grown.file_count == 9


def test_worker_processes_give_the_same_result(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmas_bank.engine import workers

    (project / "bank" / "COV-03.yaml").write_bytes(b"\xff\xfe not utf-8")  # reported from a worker too
    serial = run(project, use_cache=False)
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    monkeypatch.setattr(workers, "CHUNK", 2)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    parallel = run(project)
    assert _same(parallel, serial)
    assert parallel.cache_hits == 0 and run(project).cache_hits == 9


def test_dedupe_in_a_background_process_gives_the_same_result(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmas_bank.engine import workers
    from cmas_bank.stages import dedupe

    source = (project / "bank" / "COV-04.yaml").read_text()
    (project / "bank" / "COV-10.yaml").write_text(source.replace("id: COV-04", "id: COV-10"))
    here = run(project, use_cache=False)
    forks: list[bool] = []
    real = workers.start
    monkeypatch.setattr(workers, "start", lambda job, background: forks.append(background) or real(job, background))
    monkeypatch.setattr(dedupe, "BACKGROUND_MIN", 1)
    monkeypatch.setattr(dedupe.os, "cpu_count", lambda: 2)
    there = run(project)
    assert forks == [True]
    assert _same(there, here) and {d.code for d in there.stages["dedupe"]} == {"ID101"}


def test_a_check_with_nothing_changed_imports_no_checking_code(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pre-commit case: when no file changed, the last result is reused without importing
    the lint rules, validation, schema generation, rapidfuzz or datasketch. The cold run that
    fills the cache runs here; the warm one in a fresh interpreter, where imports can be seen."""
    import subprocess
    import sys

    mods = ("cmas_bank.lint", "cmas_bank.validate", "cmas_bank.schema", "rapidfuzz", "datasketch")
    monkeypatch.chdir(project)  # paths are shown, and cached, relative to the working directory
    assert run(project).cache_hits == 0  # a cold run checks every file
    code = (
        "import sys; from pathlib import Path; from cmas_bank.config import load_config;"
        "from cmas_bank.outline import load_outline; from cmas_bank.check import run_check;"
        "c = load_config(); o = load_outline(c.outline, c.root); r = run_check([c.bank], c, o);"
        f"mods = {mods!r};"
        "print(r.cache_hits, ','.join(m for m in mods if m in sys.modules))"
    )
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project, check=False)
    assert again.returncode == 0, again.stderr
    assert again.stdout.split() == ["9"]


def test_a_warm_cli_check_imports_neither_pydantic_nor_the_checkers(project: Path) -> None:
    """`cmas-bank check` with nothing changed (the commit hook's usual case) answers from the
    cache without reading the outline (pydantic), the lint rules, dedupe or numpy."""
    import subprocess
    import sys

    heavy = ("pydantic", "cmas_bank.outline", "cmas_bank.model", "cmas_bank.lint", "cmas_bank.dedupe.core", "numpy")
    code = (
        "import sys; from cmas_bank.cli import main; sys.argv = ['cmas-bank', 'check', '--no-progress']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
        f"print(code, ','.join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)"
    )
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project, check=False)
    assert "pydantic" in cold.stderr.splitlines()[-1]  # the cold run reads the outline and checks files
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project, check=False)
    last = warm.stderr.splitlines()[-1].split(" ")
    assert last[0] == cold.stderr.splitlines()[-1].split(" ")[0] and last[1:] in ([], [""]), warm.stderr


def test_validate_of_an_edited_file_checks_validation_alone_and_caches_nothing_partial(project: Path) -> None:
    """The commit hook's case: `validate FILE` after an edit imports no lint rules or dedupe text
    machinery, and what it found is not cached as the file's full result: a later `check` still
    lints the file (a lint flaw added by the edit is reported)."""
    import subprocess
    import sys

    item = project / "bank" / "COV-01.yaml"
    cli("check", "--no-progress", cwd=project)  # everything cached
    text = item.read_text(encoding="utf-8")
    item.write_text(
        text.replace("stem: ", "stem: All of the above ", 1) if "stem: |" not in text else text, encoding="utf-8"
    )
    item.write_text(item.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # an edit that keeps it valid
    heavy = ("cmas_bank.lint", "cmas_bank.dedupe.entries", "cmas_bank.dedupe.lexicon")
    code = (
        "import sys; from cmas_bank.cli import main; sys.argv = ['cmas-bank', 'validate', 'bank/COV-01.yaml']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
        f"print(code, ','.join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project, check=False)
    last = ran.stderr.splitlines()[-1].split(" ")
    assert last[0] in ("0", "1") and last[1:] in ([], [""]), ran.stderr
    again = cli("check", "--no-progress", cwd=project)
    assert "9 checked, 8 from cache" in again.stderr  # the edited file is checked in full by check


def test_a_check_of_some_files_keeps_the_other_entries(project: Path) -> None:
    config = load_config(cwd=project)
    outline = load_outline(config.outline, config.root)
    run(project)
    some = run_check([config.bank / "COV-01.yaml", config.bank / "COV-02.yaml"], config, outline)
    assert some.file_count == 2 and some.cache_hits == 2
    assert run(project).cache_hits == 9  # the other seven were not dropped by the partial run
    (project / "bank" / "COV-03.yaml").unlink()
    run(project)
    shards = list((project / ".cmas-bank-cache").glob("check-*/[0-9]*"))
    assert not any(b"COV-03.yaml" in f.read_bytes() for f in shards)  # a whole-bank run prunes


def test_an_edit_runs_again_only_the_stages_and_rules_that_read_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each bank-wide stage, and each bank lint rule, runs again only when an edited file reads
    differently to it; whatever ran, the result is that of a run without the cache."""
    from collections import Counter
    from dataclasses import replace

    from cmas_bank import coverage, lint, validate
    from cmas_bank.stages import dedupe

    calls: Counter[str] = Counter()

    def counting(name, real):  # type: ignore[no-untyped-def]
        return lambda *a, **k: calls.update([name]) or real(*a, **k)

    monkeypatch.setattr(coverage, "compute_coverage", counting("coverage", coverage.compute_coverage))
    monkeypatch.setattr(dedupe, "find", counting("dedupe", dedupe.find))
    monkeypatch.setattr(validate, "bank_diagnostics", counting("validate", validate.bank_diagnostics))
    monkeypatch.setattr(lint, "lint_bank_items", counting("lint", lint.lint_bank_items))
    monkeypatch.setattr(lint, "BANK_RULES", tuple(replace(r, check=counting(r.code, r.check)) for r in lint.BANK_RULES))
    run(project)
    assert set(calls) == {"coverage", "dedupe", "validate", "lint", "IW501", "IW502", "IW503", "IW504", "IW505"}
    item = project / "bank" / "COV-03.yaml"

    def edit(old: str, new: str) -> Counter[str]:
        calls.clear()
        item.write_text(item.read_text().replace(old, new, 1))
        result = run(project)
        ran = calls.copy()
        assert _same(result, run(project, use_cache=False))
        assert result.coverage.to_dict() == run(project, use_cache=False).coverage.to_dict()
        return ran

    assert edit("difficulty: hard", "difficulty: easy") == {"coverage": 1}
    assert edit("status: draft", "status: approved") == {"coverage": 1}
    # the stem: dedupe and the cross-item cue rule read it; the key-balance rules keep their findings
    assert edit("stem: Which number", "stem: Which ten-digit number") == {"dedupe": 1, "lint": 1, "IW505": 1}
    # a line above every value moves what findings point at: the stages that report there run
    # again; the lint rules that only count keep their findings, placed anew (coverage points
    # at the bank folder); the cue rule names where the stem stands, so it runs again
    assert edit("id: COV-03", "\nid: COV-03") == {"dedupe": 1, "validate": 1, "lint": 1, "IW505": 1}
    # the key: every rule that reads the answer
    assert edit("answer: C", "answer: B") == {
        "coverage": 1,
        "dedupe": 1,
        "lint": 1,
        "IW501": 1,
        "IW502": 1,
        "IW503": 1,
        "IW505": 1,
    }


def test_kept_bank_findings_are_placed_where_the_edited_file_now_has_them(project: Path) -> None:
    """A bank rule that keeps its findings after an edit points them at the edited file's
    values as they now stand (the key-balance finding sits on the first item's answer)."""
    (project / "pyproject.toml").write_text(
        '[tool.cmas-bank]\nbank = "bank"\noutline = "outline.yaml"\n\n'
        "[tool.cmas-bank.lint.options]\nIW501 = { min-items = 1, margin = 0.0 }\n"
    )
    first = run(project)
    balance = [d for d in first.diagnostics if d.code == "IW501"]
    assert balance and {d.path.rsplit("/", 1)[-1] for d in balance} >= {"COV-01.yaml"}
    item = project / "bank" / "COV-01.yaml"
    item.write_text("# a comment that moves every value one line down\n" + item.read_text())
    edited = run(project)
    moved = [d for d in edited.diagnostics if d.code == "IW501"]
    assert [(d.path, d.line - 1, d.message) for d in moved if d.path.endswith("COV-01.yaml")] == [
        (d.path, d.line, d.message) for d in balance if d.path.endswith("COV-01.yaml")
    ]
    assert _same(edited, run(project, use_cache=False))


def test_a_bank_part_from_another_run_is_not_trusted(project: Path) -> None:
    """Each cache file is replaced atomically but a crash may keep one file's new version and
    another's old one: kept bank-wide state from another run than the memo's is not used."""
    (project / "pyproject.toml").write_text(
        '[tool.cmas-bank]\nbank = "bank"\noutline = "outline.yaml"\n\n'
        "[tool.cmas-bank.lint.options]\nIW501 = { min-items = 1, margin = 0.0 }\n"
    )
    run(project)
    part = next((project / ".cmas-bank-cache").glob("check-*/part-bank-*"))
    older = part.read_bytes()
    key = project / "bank" / "COV-03.yaml"
    key.write_text(key.read_text().replace("answer: C", "answer: B"))  # the key-balance counts change
    run(project)
    part.write_bytes(older)  # as if the crash lost the part written with that run's memo
    stem = project / "bank" / "COV-05.yaml"
    stem.write_text(stem.read_text().replace("stem: ", "stem: Today, ", 1))
    after = run(project)
    assert _same(after, run(project, use_cache=False))
    assert any(d.code == "IW501" and "B 4 (44%)" in d.message for d in after.diagnostics)


def test_differing_finds_every_changed_record() -> None:
    import random

    from cmas_bank.engine.survey import differing as _differing

    rng = random.Random(7)
    for n in (0, 1, 2, 7, 1000):
        a = bytes(rng.randrange(256) for _ in range(n * 4))
        changed = sorted(rng.sample(range(n), min(n, 3)))
        b = bytearray(a)
        for i in changed:
            b[i * 4 + rng.randrange(4)] ^= 0xFF
        assert _differing(a, bytes(b), 4) == changed


def test_a_job_can_ask_for_every_files_record(project: Path) -> None:
    """What assemble and analyze read: every file's `BankItem`, cold or from the cache, with
    the stages' findings of the same run."""
    from cmas_bank.engine.run import Job

    job = Job(stages=("dedupe",), items=True)
    config = load_config(cwd=project)
    outline = load_outline(config.outline, config.root)
    cold = run_check([config.bank], config, outline, job=job)
    warm = run_check([config.bank], config, outline, job=job)
    assert warm.cache_hits == 9
    for result in (cold, warm):
        assert sorted(b.id for b in result.items if b.id) == [f"COV-0{i}" for i in range(1, 10)]
        assert [d.code for d in result.stages["dedupe"]] == []
    assert run_check([config.bank], config, outline).items == []  # check does not carry them


def test_a_comment_in_the_outline_moves_the_coverage_findings(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Coverage findings point at the outline's lines: the cache is keyed on its bytes, so a
    comment that moves them is seen (not only a change to its data)."""
    monkeypatch.chdir(project)  # the outline lies under the working directory: findings point into it
    first = [d for d in run(project).diagnostics if d.code == "IC101"]
    outline = project / "outline.yaml"
    outline.write_text("# a comment that moves every line down\n" + outline.read_text())
    again = [d for d in run(project).diagnostics if d.code == "IC101"]
    assert first and first[0].path == "outline.yaml"
    assert [(d.path, d.line - 1) for d in again] == [(d.path, d.line) for d in first]


def _cluster_ids(result) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    return sorted(c.ids for c in result.clusters)


def test_clusters_are_kept_apart_and_read_only_by_a_run_that_wants_them(project: Path) -> None:
    """A warm `check` without forms does not read dedupe's clusters (at 100,000 items they take
    longer to unpickle than every finding); a run that wants them gets the same clusters as a
    cold run, and the findings never differ."""
    from cmas_bank.engine.run import Job

    bank = project / "bank"
    source = (bank / "COV-04.yaml").read_text()
    (bank / "COV-10.yaml").write_text(source.replace("id: COV-04", "id: COV-10"))
    cold = run(project)
    assert _cluster_ids(cold) == [("COV-04", "COV-10")]
    state = next((project / ".cmas-bank-cache").glob("check-*/state-*")).read_bytes()
    assert b"COV-10" in next((project / ".cmas-bank-cache").glob("check-*/part-clusters-*")).read_bytes()
    assert b"Cluster" not in state  # the memo carries no clusters
    quiet = run(project, job=Job(clusters=False))
    assert quiet.cache_hits == 10 and quiet.clusters == []
    assert [d.code for d in quiet.stages["dedupe"]] == ["ID101", "ID101"]  # the findings stand
    wanted = run(project)
    assert wanted.cache_hits == 10 and _cluster_ids(wanted) == [("COV-04", "COV-10")]
    # an edit that runs no stage again keeps the clusters written with the memo
    other = bank / "COV-06.yaml"
    other.write_text(other.read_text() + "# edited\n")
    run(project, job=Job(clusters=False))
    assert _cluster_ids(run(project)) == [("COV-04", "COV-10")]


def test_clusters_from_another_run_are_not_trusted(project: Path) -> None:
    """As for the bank part: clusters written by another run than the memo's (a crash between
    the two writes) are not used; the run checks again and gives a cold run's clusters."""
    bank = project / "bank"
    source = (bank / "COV-04.yaml").read_text()
    (bank / "COV-10.yaml").write_text(source.replace("id: COV-04", "id: COV-10"))
    run(project)
    part = next((project / ".cmas-bank-cache").glob("check-*/part-clusters-*"))
    older = part.read_bytes()
    (bank / "COV-11.yaml").write_text(source.replace("id: COV-04", "id: COV-11"))
    run(project)
    part.write_bytes(older)  # as if the crash lost the clusters written with that run's memo
    after = run(project)
    assert _cluster_ids(after) == [("COV-04", "COV-10", "COV-11")]
    assert _cluster_ids(after) == _cluster_ids(run(project, use_cache=False))


def test_the_walk_is_reused_only_while_no_folder_changed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm run does not list the bank's folders again while their `stat` is as recorded
    (git's untracked cache does the same); a file added, removed or moved in any folder, or a
    new sub-folder, is seen by the next run."""
    import time

    from cmas_bank import fileio
    from cmas_bank.engine import survey

    walks: list[object] = []
    real = fileio.discover_names
    monkeypatch.setattr(survey, "discover_names", lambda *a, **k: walks.append(a) or real(*a, **k))
    monkeypatch.setattr(survey, "RACY_NS", 0)
    bank = project / "bank"
    run(project)
    assert len(walks) == 1
    assert run(project).file_count == 9 and len(walks) == 1  # nothing changed: not walked again
    time.sleep(0.02)  # past the folder times' granularity
    (bank / "more").mkdir()
    (bank / "more" / "COV-10.yaml").write_text((bank / "COV-04.yaml").read_text().replace("COV-04", "COV-10"))
    added = run(project)
    assert len(walks) == 2 and added.file_count == 10
    assert {d.code for d in added.stages["dedupe"]} == {"ID101"}
    time.sleep(0.02)
    (bank / "more" / "COV-10.yaml").rename(bank / "more" / "COV-11.yaml")
    moved = run(project)
    assert len(walks) == 3 and any(d.path.endswith("more/COV-11.yaml") for d in moved.stages["dedupe"])
    time.sleep(0.02)
    (bank / "more" / "COV-11.yaml").unlink()
    assert run(project).file_count == 9 and len(walks) == 4
    assert _same(run(project), run(project, use_cache=False))


def test_the_installed_command_prints_everything_before_it_exits(project: Path) -> None:
    """The console command exits without freeing the run's heap (`os._exit`): what it printed
    and its exit code must still be exactly those of the same command run in-process, cold and
    warm, in every output format."""
    from clirunner import run_installed

    bank = project / "bank"
    source = (bank / "COV-04.yaml").read_text()
    (bank / "COV-10.yaml").write_text(source.replace("id: COV-04", "id: COV-10"))
    for fmt in ("text", "json", "sarif"):
        for _ in range(2):  # cold, then warm
            installed = run_installed("check", "--no-progress", "-f", fmt, cwd=project)
            here = cli("check", "--no-progress", "-f", fmt, cwd=project)
            assert installed.returncode == here.returncode == 1
            assert installed.stdout == here.stdout and "ID101" in installed.stdout
            assert installed.stderr.splitlines()[:4] == here.stderr.splitlines()[:4]
