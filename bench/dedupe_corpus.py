"""Dedupe's recall per duplicate kind and precision against hard negatives, on the labelled corpus.

    python bench/dedupe_corpus.py                 # print the markdown table
    python bench/dedupe_corpus.py --out FILE.md   # also write it to FILE.md
    python bench/dedupe_corpus.py -v              # list the pairs missed and reported wrongly
    python bench/dedupe_corpus.py --corpus tests/fixtures/dedupe-corpus-independent/corpus.jsonl

The corpus is tests/fixtures/dedupe-corpus/corpus.jsonl (hand-written templates, see
make_corpus.py there). Each (kind, round) of it is one bank: one pair of every template, so two
items of different pairs are always different questions. `find_duplicates` runs on each bank with
the default settings, and

- a labelled duplicate pair is **found** when one cluster holds both items (recall per kind);
- **precision** is the share of reported pairs (any two items one cluster holds) that are
  labelled duplicates: a hard negative reported, or two items of different templates, count
  against it;
- **hard negatives reported** counts the negative pairs that one cluster holds.

Pairs that carry a `"subset"` (heavy.yaml's heavy rewordings and hard negatives, `"heavy"`) count
in their kind's row and again in a row of their own ("reworded (heavy), of them").

The test `tests/test_dedupe_corpus.py` holds every kind's recall and the precision at 0.95 or more.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from cmas_bank.bankitem import BankItem
from cmas_bank.dedupe import DedupeSettings, find_duplicates

CORPUS = HERE.parent / "tests" / "fixtures" / "dedupe-corpus" / "corpus.jsonl"
KINDS = ("exact", "shuffled", "renamed", "reworded", "passive", "reordered", "folded", "word", "distractor")


def load(path: Path = CORPUS) -> list[dict[str, Any]]:
    import json

    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def bank_item(data: dict[str, Any]) -> BankItem:
    return BankItem(
        path=f"/corpus/{data['id']}.yaml",
        display=f"corpus/{data['id']}.yaml",
        id=data["id"],
        valid=True,
        stem=data["stem"],
        options=dict(data["options"]),
        answer=data["answer"],
        values={("stem",): (7, 7)},
    )


CODES = {"exact": "ID101", "near": "ID102", "possible": "ID103"}
ERRORS = ("exact", "near")
"""The cluster kinds that fail a run (ID101, ID102); ID103 is a warning for review."""


def evaluate(
    pairs: list[dict[str, Any]], settings: DedupeSettings | None = None, counted: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """Recall per kind, precision and hard negatives reported, one bank per (kind, round),
    counting the clusters of the `counted` kinds (all of them by default). `errors` holds the
    same figures counting ID101 and ID102 alone (the findings that fail a run)."""
    banks: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for pair in pairs:
        banks[(pair["kind"], pair["round"])].append(pair)
    runs = []
    start = time.perf_counter()
    for (kind, _), members in sorted(banks.items()):
        result = find_duplicates([bank_item(p[s]) for p in members for s in "ab"], settings)
        runs.append((kind, members, result.clusters))
    seconds = time.perf_counter() - start
    figures = _tally(runs, counted or tuple(CODES))
    figures.update(seconds=seconds, items=2 * len(pairs))
    if counted is None:
        figures["errors"] = _tally(runs, ERRORS)
    return figures


def _tally(runs: list[tuple[str, list[dict[str, Any]], Any]], counted: tuple[str, ...]) -> dict[str, Any]:
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    codes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    labelled: set[frozenset[str]] = set()
    reported: set[frozenset[str]] = set()
    missed: list[dict[str, Any]] = []
    wrong: list[dict[str, Any]] = []
    for kind, members, clusters in runs:
        together: dict[frozenset[str], str] = {}
        for cluster in (c for c in clusters if c.kind in counted):
            ids = cluster.ids
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    key = frozenset((a, b))
                    if together.get(key) not in ("exact", "near"):  # the surer finding names the pair
                        together[key] = cluster.kind
        reported.update(together)
        for pair in members:
            key = frozenset((pair["a"]["id"], pair["b"]["id"]))
            rows = (kind, subset_row(kind, pair["subset"])) if "subset" in pair else (kind,)
            for row in rows:
                found[row][1] += 1
            if kind != "negative":
                labelled.add(key)
            if key in together:
                for row in rows:
                    found[row][0] += 1
                    codes[row][CODES[together[key]]] += 1
                if kind == "negative":
                    wrong.append(pair)
            elif kind != "negative":
                missed.append(pair)
    hits = len(reported & labelled)
    return {
        "found": dict(found),
        "codes": {k: dict(v) for k, v in codes.items()},
        "precision": hits / len(reported) if reported else 1.0,
        "reported": len(reported),
        "false": sorted(tuple(sorted(p)) for p in reported - labelled),
        "missed": missed,
        "wrong": wrong,
    }


def subset_row(kind: str, subset: str) -> str:
    """The row of a kind's pairs that belong to a subset of the corpus (`"subset"` in a pair:
    heavy.yaml's heavy rewordings and hard negatives), counted in their kind's row as well."""
    return f"{kind} ({subset})"


def recall(figures: dict[str, Any], kind: str) -> float:
    hit, total = figures["found"].get(kind, (0, 0))
    return hit / total if total else 1.0


def table(figures: dict[str, Any]) -> str:
    """The markdown table: each kind's recall counting every finding (ID101, ID102 and the ID103
    warnings for review) and counting the findings that fail a run (ID101, ID102) alone."""
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    size = f"{figures['items']:,} items: {len(KINDS)} duplicate kinds and hard negatives, {figures['seconds']:.1f} s"
    errors = figures.get("errors", figures)
    rows = [
        f"Measured {date.today().isoformat()} on {machine} ({size}):",
        "",
        "| kind | pairs | found | recall | reported as | recall, ID101 and ID102 alone |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for kind in KINDS:
        hit, total = figures["found"].get(kind, (0, 0))
        codes = ", ".join(f"{code} {n}" for code, n in sorted(figures["codes"].get(kind, {}).items()))
        rows.append(
            f"| {kind} | {total} | {hit} | {recall(figures, kind):.3f} | {codes} | {recall(errors, kind):.3f} |"
        )
    hit, total = figures["found"].get("negative", (0, 0))
    codes = ", ".join(f"{code} {n}" for code, n in sorted(figures["codes"].get("negative", {}).items()))
    strict = errors["found"].get("negative", (0, 0))[0]
    rows.append(f"| hard negatives (must not be found) | {total} | {hit} reported | | {codes} | {strict} reported |")
    rows.extend(_subset_rows(figures, errors))
    rows.append(
        f"| **precision** (labelled duplicates among {figures['reported']:,} reported pairs; "
        f"{errors['reported']:,} with ID101 and ID102 alone) | | | {figures['precision']:.3f} | | "
        f"{errors['precision']:.3f} |"
    )
    return "\n".join(rows) + "\n"


def _subset_rows(figures: dict[str, Any], errors: dict[str, Any]) -> list[str]:
    """One row per kind of each subset of the corpus (a kind written "kind (subset)")."""
    rows = []
    for row in sorted(k for k in figures["found"] if " (" in k):
        hit, total = figures["found"][row]
        codes = ", ".join(f"{code} {n}" for code, n in sorted(figures["codes"].get(row, {}).items()))
        if row.startswith("negative "):
            strict = errors["found"].get(row, (0, 0))[0]
            label = "hard negatives " + row.removeprefix("negative ")
            rows.append(f"| {label}, of them | {total} | {hit} reported | | {codes} | {strict} reported |")
        else:
            rows.append(
                f"| {row}, of them | {total} | {hit} | {recall(figures, row):.3f} | {codes} | {recall(errors, row):.3f} |"
            )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missed pairs and hard negatives reported")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=CORPUS,
        metavar="FILE",
        help="the corpus, JSON lines of labelled pairs; default tests/fixtures/dedupe-corpus/corpus.jsonl",
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        parser.error(f"--corpus {args.corpus}: not a file")
    figures = evaluate(load(args.corpus))
    text = table(figures)
    if args.verbose:
        for label, pairs in (("missed", figures["missed"]), ("hard negative reported", figures["wrong"])):
            for pair in pairs:
                print(f"{label} [{pair['kind']}] {pair['a']['stem']}\n    vs {pair['b']['stem']}", file=sys.stderr)
        for a, b in figures["false"]:
            print(f"reported, not labelled: {a} {b}", file=sys.stderr)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text, end="")


if __name__ == "__main__":
    main()
