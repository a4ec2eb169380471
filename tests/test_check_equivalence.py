"""The guard on every shortcut the engine takes: after seeded random edits, additions, removals
and renames, a cached `check` gives exactly what a run without the cache gives."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from conftest import BANK

from cmas_bank.config import load_config
from cmas_bank.engine import survey
from cmas_bank.engine.run import run_check
from cmas_bank.outline import load_outline


def _edits(rng: random.Random) -> list:  # type: ignore[type-arg]
    """Each edit takes the bank folder and changes it the way a writer would (or break it)."""

    def text_edit(old: str, new: str):  # type: ignore[no-untyped-def]
        def apply(bank: Path) -> None:
            files = [f for f in sorted(bank.rglob("*.yaml")) if old in f.read_text()]
            if files:
                f = rng.choice(files)
                f.write_text(f.read_text().replace(old, new, 1))

        return apply

    def answer(bank: Path) -> None:
        f = rng.choice(sorted(bank.rglob("*.yaml")))
        lines = f.read_text().split("\n")
        lines = [f"answer: {rng.choice('ABCDE')}" if line.startswith("answer:") else line for line in lines]
        f.write_text("\n".join(lines))

    def copy(bank: Path) -> None:
        f = rng.choice(sorted(bank.rglob("*.yaml")))
        new_id = f"CMAS-09-{rng.randrange(10_000):04d}"
        text = f.read_text()
        first = text.split("id: ", 1)[1].split("\n", 1)[0]
        (f.parent / f"{new_id}.yaml").write_text(text.replace(f"id: {first}", f"id: {new_id}", 1))

    def remove(bank: Path) -> None:
        files = sorted(bank.rglob("*.yaml"))
        if len(files) > 5:
            rng.choice(files).unlink()

    def rename(bank: Path) -> None:
        f = rng.choice(sorted(bank.rglob("*.yaml")))
        f.rename(f.with_name(f"renamed-{rng.randrange(1000)}.yaml"))

    def move(bank: Path) -> None:
        f = rng.choice(sorted(bank.rglob("*.yaml")))
        folders = sorted(p for p in bank.iterdir() if p.is_dir())
        target = rng.choice(folders) / f.name
        if not target.exists():
            f.rename(target)

    def line_above(bank: Path) -> None:
        f = rng.choice(sorted(bank.rglob("*.yaml")))
        f.write_text("# a comment that moves every value down\n" + f.read_text())

    def break_yaml(bank: Path) -> None:
        f = rng.choice(sorted(bank.rglob("*.yaml")))
        f.write_text(f.read_text() + "\nbroken: [unclosed\n")

    return [
        text_edit("difficulty: medium", "difficulty: hard"),
        text_edit("difficulty: hard", "difficulty: easy"),
        text_edit("status: approved", "status: draft"),
        text_edit("status: draft", "status: approved"),
        text_edit("stem: ", "stem: Today, "),
        text_edit("rationale: ", "rationale: Note that "),
        text_edit("A: ", "A: Not "),
        text_edit("enemies: []", "enemies: [CMAS-01-0001]"),
        answer,
        copy,
        copy,
        remove,
        rename,
        move,
        line_above,
        break_yaml,
    ]


def _signature(result):  # type: ignore[no-untyped-def]
    found = [(d.code, d.path, d.line, d.column, d.message, d.severity) for d in result.diagnostics]
    clusters = sorted((c.kind, c.ids) for c in result.clusters)
    return found, result.coverage.to_dict(), clusters, result.invalid, dict(result.statuses), result.file_count


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_give_what_a_run_without_the_cache_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    monkeypatch.setattr(survey, "RACY_NS", 0)  # trust stat at once, so its shortcut is exercised
    rng = random.Random(seed)
    bank = tmp_path / "bank"
    for folder in sorted(p for p in BANK.iterdir() if p.is_dir())[:4]:
        for f in sorted(folder.glob("*.yaml"))[:8]:
            (bank / folder.name).mkdir(parents=True, exist_ok=True)
            shutil.copy(f, bank / folder.name / f.name)
    (tmp_path / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "bank"\n')
    monkeypatch.chdir(tmp_path)
    config = load_config(cwd=tmp_path)
    outline = load_outline(config.outline, config.root)
    edits = _edits(rng)
    run_check([config.bank], config, outline)
    for step in range(24):
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            rng.choice(edits)(bank)
        cached = run_check([config.bank], config, outline)
        fresh = run_check([config.bank], config, outline, use_cache=False)
        assert _signature(cached) == _signature(fresh), f"step {step}"
