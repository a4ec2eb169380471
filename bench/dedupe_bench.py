"""Recall, precision and time of `cmas-bank dedupe` on generated banks with planted duplicates.

    python bench/dedupe_bench.py                        # 10,000 and 100,000 items
    python bench/dedupe_bench.py --sizes 2000 --seed 3  # a quick run

Banks come from `generate.py` (seeded) into `bench/out/dedupe-<n>-<seed>/` and are reused when
present. For each size the script parses the bank once (as `check` would), then times
`find_duplicates` on the whole bank and in incremental mode (10 changed files against the bank).

Scoring is by pairs of items that a reported cluster puts together: a planted pair (a base and
its copy, or two copies of one base) is found when both are in one cluster; a reported pair is
correct when it was planted. Hard negatives reported and the code (ID101 exact / ID102 near /
ID103 possible paraphrase, a warning for review) given to each kind are listed too, and recall and
precision are given counting every finding and counting ID101 and ID102 alone (what fails a run).
The whole-bank run is timed with and without the ID103 pass (`paraphrases = false`), in the same
session, so the cost of the pass is measured on the same machine load. Targets: recall and
precision at least 0.95.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from generate import GENERATOR_VERSION, TRUTH_FILE, GroundTruth, generate_bank

from cmas_bank.dedupe import DedupeResult, DedupeSettings, find_duplicates
from cmas_bank.outline import load_outline
from cmas_bank.validate import validate_paths

OUT = HERE / "out"


def bank(n: int, seed: int) -> tuple[Path, GroundTruth]:
    folder = OUT / f"dedupe-{n}-{seed}" / "bank"
    truth_path = folder / TRUTH_FILE
    if truth_path.exists():
        truth = GroundTruth.load(truth_path)
        if truth.generator_version == GENERATOR_VERSION:
            return folder, truth
    start = time.perf_counter()
    truth = generate_bank(folder, n, seed, overwrite=True)
    print(f"generated {n:,} items in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return folder, truth


KIND_CODE = {"exact": "ID101", "near": "ID102", "possible": "ID103"}


def reported_pairs(result: DedupeResult, kinds: tuple[str, ...] = tuple(KIND_CODE)) -> set[frozenset[str]]:
    pairs: set[frozenset[str]] = set()
    for cluster in (c for c in result.clusters if c.kind in kinds):
        ids = cluster.ids
        pairs.update(frozenset((a, b)) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return pairs


def score(result: DedupeResult, truth: GroundTruth, kinds: tuple[str, ...] = tuple(KIND_CODE)) -> dict[str, Any]:
    found = reported_pairs(result, kinds)
    planted = truth.duplicate_pairs()
    hits = found & planted
    by_kind: dict[str, list[int]] = {}
    codes: dict[str, Counter[str]] = {}
    kind_of: dict[frozenset[str], str] = {}
    for c in sorted(result.clusters, key=lambda c: -list(KIND_CODE).index(c.kind)):  # the surer kind wins
        kind_of.update((frozenset((a, b)), c.kind) for i, a in enumerate(c.ids) for b in c.ids[i + 1 :])
    for pair in truth.duplicates:
        ok = frozenset((pair.a, pair.b)) in found
        by_kind.setdefault(pair.kind, [0, 0])[0] += ok
        by_kind[pair.kind][1] += 1
        if ok:
            codes.setdefault(pair.kind, Counter())[KIND_CODE[kind_of[frozenset((pair.a, pair.b))]]] += 1
    negatives = [p for p in truth.hard_negatives if frozenset((p.a, p.b)) in found]
    return {
        "recall": len(hits) / len(planted) if planted else 1.0,
        "precision": len(hits) / len(found) if found else 1.0,
        "planted": len(planted),
        "reported": len(found),
        "by_kind": by_kind,
        "codes": codes,
        "hard_negatives": (len(negatives), len(truth.hard_negatives)),
        "false_pairs": sorted(tuple(sorted(p)) for p in found - planted)[:10],
        "missed_pairs": sorted(tuple(sorted(p)) for p in planted - found)[:10],
    }


def run(n: int, seed: int, settings: DedupeSettings, verbose: bool, ablation: bool = False) -> dict[str, Any]:
    folder, truth = bank(n, seed)
    start = time.perf_counter()
    files = validate_paths([folder], load_outline("cmas-2020")).files
    parse = time.perf_counter() - start
    start = time.perf_counter()
    result = find_duplicates(files, settings)
    whole = time.perf_counter() - start
    changed = {f.path for f in files[:: max(1, len(files) // 10)][:10]}
    start = time.perf_counter()
    find_duplicates(files, settings, only=changed)
    incremental = time.perf_counter() - start
    start = time.perf_counter()
    find_duplicates(files, replace(settings, paraphrases=False))
    without = time.perf_counter() - start
    figures = score(result, truth)
    figures["errors"] = score(result, truth, ("exact", "near"))
    if ablation:  # the same bank without the answer gate: what the key is for
        plain = DedupeSettings(fields=("stem", "options"))
        figures["ablation"] = score(find_duplicates(files, plain), truth)
    figures.update(
        items=len(files),
        parse=parse,
        whole=whole,
        without_paraphrases=without,
        incremental=incremental,
        candidates=result.candidates,
        timings=result.timings,
    )
    if verbose:
        print(f"  false pairs (first 10): {figures['false_pairs']}", file=sys.stderr)
        print(f"  missed pairs (first 10): {figures['missed_pairs']}", file=sys.stderr)
    return figures


def report(all_figures: dict[int, dict[str, Any]]) -> str:
    sizes = sorted(all_figures)
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "",
        "| | " + " | ".join(f"{n:,} items" for n in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]

    def row(label: str, cell) -> None:  # type: ignore[no-untyped-def]
        lines.append(f"| {label} | " + " | ".join(cell(all_figures[n]) for n in sizes) + " |")

    row("recall", lambda f: f"{f['recall']:.3f}")
    row("precision", lambda f: f"{f['precision']:.3f}")
    row("recall, ID101 and ID102 alone", lambda f: f"{f['errors']['recall']:.3f}")
    row("precision, ID101 and ID102 alone", lambda f: f"{f['errors']['precision']:.3f}")
    row("planted / reported pairs", lambda f: f"{f['planted']:,} / {f['reported']:,}")
    row("hard negatives reported", lambda f: f"{f['hard_negatives'][0]} of {f['hard_negatives'][1]}")
    row("LSH candidate pairs", lambda f: f"{f['candidates']:,}")
    row("parse + validate (once, shared with check)", lambda f: f"{f['parse']:.1f} s")
    row("dedupe, whole bank", lambda f: f"{f['whole']:.1f} s")
    row("dedupe, whole bank, without the ID103 pass", lambda f: f"{f['without_paraphrases']:.1f} s")
    for stage in ("normalise", "exact", "candidates", "verify", "paraphrase", "report"):
        row(f"  of which {stage}", lambda f, s=stage: f"{f['timings'].get(s, 0.0):.1f} s")
    row("dedupe, 10 files against the bank", lambda f: f"{f['incremental']:.2f} s")
    if any("ablation" in f for f in all_figures.values()):
        row(
            "without the answer gate: precision, hard negatives reported",
            lambda f: (
                f"{f['ablation']['precision']:.3f}, {f['ablation']['hard_negatives'][0]}" if "ablation" in f else ""
            ),
        )
    kinds = sorted({k for f in all_figures.values() for k in f["by_kind"]})
    for kind in kinds:

        def cell(f, kind=kind):  # type: ignore[no-untyped-def]
            hit, total = f["by_kind"].get(kind, (0, 0))
            codes = ", ".join(f"{c} {k}" for k, c in sorted(f["codes"].get(kind, {}).items()))
            return f"{hit}/{total} ({codes})" if total else ""

        row(f"recall of `{kind}` copies", cell)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-v", "--verbose", action="store_true", help="list some false and missed pairs")
    parser.add_argument(
        "--ablation",
        type=int,
        default=10_000,
        metavar="MAX_N",
        help="also run without the answer gate on sizes up to MAX_N (default 10000; 0 = never)",
    )
    args = parser.parse_args()
    settings = DedupeSettings()
    OUT.mkdir(exist_ok=True)
    figures = {}
    for n in args.sizes:
        figures[n] = run(n, args.seed, settings, args.verbose, ablation=n <= args.ablation)
        (OUT / f"dedupe-figures-{n}.json").write_text(json.dumps(figures[n], default=str, indent=1))
        f = figures[n]
        print(
            f"{n:>8,} items: recall {f['recall']:.3f}, precision {f['precision']:.3f}, "
            f"dedupe {f['whole']:.1f} s (parse {f['parse']:.1f} s)",
            file=sys.stderr,
        )
    text = report(figures)
    (OUT / "dedupe-results.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
