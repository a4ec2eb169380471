"""The labelled dedupe corpus (tests/fixtures/dedupe-corpus/): what it holds, that it is what its
templates give, and dedupe's targets on it: recall of every duplicate kind and precision against
the hard negatives at 0.95 or more."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from types import ModuleType
from typing import Any

import pytest
from conftest import FIXTURES, ROOT

if str(ROOT) not in sys.path:  # `pytest` run without `python -m`
    sys.path.insert(0, str(ROOT))

from bench.dedupe_corpus import KINDS, evaluate, recall

CORPUS_DIR = FIXTURES / "dedupe-corpus"


def _make_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS_DIR / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_corpus = _make_corpus()


@pytest.fixture(scope="module")
def pairs() -> list[dict[str, Any]]:
    return make_corpus.load()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def figures(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    return evaluate(pairs)


def test_corpus_is_what_the_templates_and_seed_give() -> None:
    """corpus.jsonl is generated, not edited: `make_corpus.py` rewrites it byte for byte."""
    assert make_corpus.build() == make_corpus.CORPUS.read_text(encoding="utf-8")
    assert make_corpus.build(seed=make_corpus.SEED + 1) != make_corpus.build()


def test_corpus_holds_at_least_100_pairs_of_each_kind_and_of_hard_negatives(pairs: list[dict[str, Any]]) -> None:
    counts = Counter(p["kind"] for p in pairs)
    assert set(counts) == {*KINDS, "negative"}
    assert min(counts.values()) >= 100
    ids = [p[side]["id"] for p in pairs for side in "ab"]
    assert len(ids) == len(set(ids))


def _options(item: dict[str, Any]) -> list[str]:
    return list(item["options"].values())


def _key(item: dict[str, Any]) -> str:
    return str(item["options"][item["answer"]])


@pytest.mark.parametrize("kind", KINDS)
def test_each_pair_differs_the_way_its_kind_says(kind: str, pairs: list[dict[str, Any]]) -> None:
    for p in (p for p in pairs if p["kind"] == kind):
        a, b = p["a"], p["b"]
        assert _key(a) == _key(b), p
        same_stem, same_options = a["stem"] == b["stem"], sorted(_options(a)) == sorted(_options(b))
        if kind == "exact":
            assert a["stem"] == b["stem"] and a["options"] == b["options"]
        elif kind == "shuffled":
            assert same_stem and same_options and _options(a) != _options(b)
        elif kind == "distractor":
            assert same_stem and len(set(_options(a)) - set(_options(b))) == 1
        else:
            assert not same_stem and same_options, p


def test_hard_negatives_ask_another_question_mostly_with_the_same_options_and_key(
    pairs: list[dict[str, Any]],
) -> None:
    negatives = [p for p in pairs if p["kind"] == "negative"]
    assert all(p["a"]["stem"] != p["b"]["stem"] for p in negatives)
    same = [
        p for p in negatives if sorted(_options(p["a"])) == sorted(_options(p["b"])) and _key(p["a"]) == _key(p["b"])
    ]
    assert len(same) >= 100, "most hard negatives keep the options and the key: the answer gate cannot help"


@pytest.mark.parametrize("kind", KINDS)
def test_recall_of_each_duplicate_kind_is_at_least_095(kind: str, figures: dict[str, Any]) -> None:
    """Counting every finding (ID103's possible paraphrases for review too), and counting the
    findings that fail a run (ID101, ID102) alone: the ID103 pass adds to ID102, it does not
    replace it on this corpus."""
    hit, total = figures["found"][kind]
    assert recall(figures, kind) >= 0.95, f"{kind}: {hit} of {total} found"
    hit, total = figures["errors"]["found"][kind]
    assert recall(figures["errors"], kind) >= 0.95, f"{kind}: {hit} of {total} found by ID101 and ID102"


def test_precision_against_hard_negatives_is_at_least_095(figures: dict[str, Any]) -> None:
    """Precision counting every finding; at most 5 % of the hard negatives fail a run (ID102), and
    at most 10 % are reported at all (the rest of them as ID103, for review)."""
    assert figures["precision"] >= 0.95 and figures["errors"]["precision"] >= 0.95
    reported, total = figures["errors"]["found"]["negative"]
    assert reported / total <= 0.05, f"{reported} of {total} hard negatives reported as ID102"
    reported, total = figures["found"]["negative"]
    assert reported / total <= 0.10, f"{reported} of {total} hard negatives reported as ID102 or ID103"
