"""The synthetic bank generator behind the benchmarks: valid items, the same bytes for the same
seed, every planted kind present, and dedupe finding the planted duplicates on a small bank."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT

from cmas_bank.dedupe import find_duplicates
from cmas_bank.outline import Outline
from cmas_bank.validate import validate_paths

if str(ROOT) not in sys.path:  # `pytest` run without `python -m`
    sys.path.insert(0, str(ROOT))

from bench.generate import DUPLICATE_KINDS, FLAW_KINDS, TRUTH_FILE, GroundTruth, generate_bank

N = 240  # the least at which round(N * 0.05) flaws cover all 12 kinds


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GroundTruth]:
    folder = tmp_path_factory.mktemp("gen") / "bank"
    return folder, generate_bank(folder, N, seed=11)


def test_items_are_valid_and_laid_out_like_the_bank(generated: tuple[Path, GroundTruth], outline: Outline) -> None:
    folder, truth = generated
    result = validate_paths([folder], outline)
    assert len(result.files) == N == truth.items
    assert result.diagnostics == []
    areas = {p.parent.name for p in folder.rglob("*.yaml")}
    assert areas == {f"{a.number:02d}-" + a.name.lower().replace(",", "").replace(" ", "-") for a in outline.work_areas}
    assert GroundTruth.load(folder / TRUTH_FILE) == truth


def test_same_seed_same_bytes(generated: tuple[Path, GroundTruth], tmp_path: Path) -> None:
    folder, _ = generated
    again = tmp_path / "again"
    generate_bank(again, N, seed=11)
    ours = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    theirs = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert ours == theirs
    other = tmp_path / "other"
    generate_bank(other, N, seed=12)
    assert (other / TRUTH_FILE).read_bytes() != (folder / TRUTH_FILE).read_bytes()


def test_every_kind_is_planted(generated: tuple[Path, GroundTruth]) -> None:
    _, truth = generated
    assert set(Counter(p.kind for p in truth.duplicates)) == set(DUPLICATE_KINDS)
    assert len(truth.duplicates) == round(N * 0.05) and len(truth.hard_negatives) == round(N * 0.02)
    assert {p.kind for p in truth.hard_negatives} <= {"same-options", "other-question"}
    copies = {p.b for p in truth.duplicates}
    planted = [f for f in truth.flaws if f.id not in copies]
    assert len(planted) == round(N * 0.05)
    assert {f.kind for f in planted} == set(FLAW_KINDS)
    assert not {p.b for p in truth.hard_negatives} & {f.id for f in truth.flaws}
    # a copy's own flaws (an exact copy's doubled spaces, shuffled numbers) are recorded too
    assert {f.kind for f in truth.flaws if f.id in copies} <= {"doubled-space", "numeric-out-of-order"}


def test_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(FileExistsError):
        generate_bank(tmp_path, 50, seed=1)
    assert (tmp_path / "keep.txt").exists()


def test_dedupe_finds_the_planted_duplicates_and_no_hard_negative(
    generated: tuple[Path, GroundTruth], outline: Outline
) -> None:
    folder, truth = generated
    result = find_duplicates(validate_paths([folder], outline).files)
    found = {frozenset((a, b)) for c in result.clusters for i, a in enumerate(c.ids) for b in c.ids[i + 1 :]}
    planted = truth.duplicate_pairs()
    assert len(found & planted) / len(planted) >= 0.95
    assert len(found & planted) / len(found) >= 0.95
    assert not found & {frozenset((p.a, p.b)) for p in truth.hard_negatives}
    exact = {frozenset(c.ids) for c in result.clusters if c.kind == "exact"}
    assert all(any({p.a, p.b} <= c for c in exact) for p in truth.duplicates if p.expected == "ID101")
