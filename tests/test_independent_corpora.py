"""The independent corpora of issue 15 (tests/fixtures/lint-corpus-independent/ and
tests/fixtures/dedupe-corpus-independent/), written by hand by someone who had not read the rules
or the project's own corpora, are well formed: every manifest row names an item that exists and
validates, every kind is one the benches know, every dedupe pair is a pair of valid questions.
The benches read them with `--corpus`.

Of the measured figures, only those that meet the issue's targets are held here (the default
selection flags at most 10 % of the clean items, dedupe's precision is at least 0.95); the
README lists the rest, misses included.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `pytest` run without `python -m`
    sys.path.insert(0, str(ROOT))
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

import dedupe_corpus
import lint_corpus

LINT = ROOT / "tests" / "fixtures" / "lint-corpus-independent"
DEDUPE = ROOT / "tests" / "fixtures" / "dedupe-corpus-independent" / "corpus.jsonl"


def manifest() -> list[dict[str, str]]:
    with open(LINT / "manifest.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_lint_manifest_names_every_item_once_with_a_known_kind() -> None:
    rows = manifest()
    assert [*rows[0]] == ["file", "kind", "location", "base"]
    files = [row["file"] for row in rows]
    assert len(files) == len(set(files))
    on_disk = sorted(p.relative_to(LINT).as_posix() for p in (LINT / "items").rglob("*.yaml"))
    assert sorted(files) == on_disk  # no item left out of the manifest, no row without its file
    for row in rows:
        assert row["kind"] == "clean" or row["kind"] in lint_corpus.KINDS, row
        assert Path(row["file"]).parent.name == row["kind"], row  # items/<kind>/<id>.yaml
        if row["kind"] != "clean":
            assert row["location"], row
        if row["base"]:
            assert f"items/clean/{row['base']}.yaml" in files, row
    kinds = Counter(row["kind"] for row in rows)
    assert kinds["clean"] >= 60
    assert sum(n for kind, n in kinds.items() if kind != "clean") >= 160
    assert len(kinds) - 1 >= 25
    # the scorer reads the same manifest without complaint
    assert len(lint_corpus.read_manifest(LINT)) == len(rows)


def test_lint_items_parse_and_validate() -> None:
    """Every item is a valid item (the planted flaws are item-writing flaws, which lint finds,
    not format errors), and its id is its file name."""
    from cmas_bank.outline import load_outline
    from cmas_bank.validate import validate_paths

    result = validate_paths([LINT / "items"], load_outline("cmas-2020"))
    assert len(result.files) == len(manifest())
    problems = [d for f in result.files for d in f.diagnostics]
    assert problems == []
    for f in result.files:
        assert f.item is not None and f.item.id == Path(f.path).stem


def test_lint_bench_scores_the_independent_corpus() -> None:
    """`--corpus` points the bench at this corpus: every case is scored, and the default selection
    flags at most 10 % of its clean items (the issue's target, met on this corpus)."""
    default = lint_corpus.score(lint_corpus.settings_for("default"), LINT)
    assert len(default.clean()) == sum(row["kind"] == "clean" for row in manifest())
    assert default.clean_share() <= 0.10
    text = lint_corpus.report(LINT)
    assert text.startswith("Lint corpus (") and "| IW101 |" in text


def corpus() -> list[dict[str, Any]]:
    return dedupe_corpus.load(DEDUPE)


def test_dedupe_corpus_pairs_are_well_formed() -> None:
    pairs = corpus()
    ids: list[str] = []
    for pair in pairs:
        assert set(pair) == {"a", "b", "kind", "round", "topic"}
        assert pair["kind"] in (*dedupe_corpus.KINDS, "negative"), pair["kind"]
        for side in ("a", "b"):
            item = pair[side]
            assert isinstance(item, dict) and set(item) == {"id", "stem", "options", "answer"}
            assert list(item["options"]) == ["A", "B", "C", "D"]
            assert all(isinstance(t, str) and t.strip() for t in item["options"].values())
            assert item["answer"] in item["options"]
            assert item["stem"].strip().endswith(("?", ".")), item["stem"]
            ids.append(item["id"])
        if pair["kind"] == "exact":
            assert pair["a"]["answer"] == pair["b"]["answer"]
        elif pair["kind"] != "negative":
            assert pair["a"] != pair["b"]
    assert len(ids) == len(set(ids))
    kinds = Counter(str(p["kind"]) for p in pairs)
    assert all(kinds[kind] >= 20 for kind in dedupe_corpus.KINDS), kinds
    assert kinds["negative"] >= 40
    # one bank per (kind, round) must not hold one question twice, or the scorer would count a
    # duplicate nobody labelled
    banks = Counter((p["kind"], p["round"], p["topic"]) for p in pairs)
    assert max(banks.values()) == 1


def test_dedupe_bench_reads_the_corpus_option(capsys: pytest.CaptureFixture[str]) -> None:
    dedupe_corpus.main(["--corpus", str(DEDUPE)])
    out = capsys.readouterr().out
    assert f"{2 * len(corpus())} items" in out and "| reworded | 22 |" in out


def test_dedupe_recall_and_precision_on_the_independent_corpus() -> None:
    """The issue's targets on a corpus dedupe was not written for: recall of every kind and
    precision at 0.95 or more, counting the possible paraphrases that ID103 reports for review.
    The findings that fail a run (ID101, ID102) keep at most 5 % of the hard negatives."""
    figures = dedupe_corpus.evaluate(corpus())
    low = {k: round(dedupe_corpus.recall(figures, k), 3) for k in dedupe_corpus.KINDS}
    assert min(low.values()) >= 0.95, low
    assert figures["precision"] >= 0.95 and figures["errors"]["precision"] >= 0.95
    hit, total = figures["errors"]["found"]["negative"]
    assert total >= 40 and hit / total <= 0.05


def test_bench_corpus_option_refuses_a_missing_corpus(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as lint_exit:
        lint_corpus.main(["--corpus", str(tmp_path)])
    assert lint_exit.value.code == 2
    with pytest.raises(SystemExit) as dedupe_exit:
        dedupe_corpus.main(["--corpus", str(tmp_path / "missing.jsonl")])
    assert dedupe_exit.value.code == 2
