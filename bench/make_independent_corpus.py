"""Write the independent lint and dedupe corpora from their hand-written sources.

    python bench/make_independent_corpus.py

The items are written by hand, one by one, in `tests/fixtures/lint-corpus-independent/source/*.yml`
and `tests/fixtures/dedupe-corpus-independent/source.yml` (see the README.md in each). This script only
lays them out as the benches read them: one item file per item (with the bookkeeping fields every
item carries) and `manifest.csv` for the lint corpus, `corpus.jsonl` for the dedupe corpus. A
flawed lint case may name a clean `base` item: it is that item with the fields it gives rewritten
by hand. Nothing here generates wording.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
LINT = HERE.parent / "tests" / "fixtures" / "lint-corpus-independent"
DEDUPE = HERE.parent / "tests" / "fixtures" / "dedupe-corpus-independent"
AUTHOR = "Independent corpus, helper D3 (2026-12)"
PAIR_PREFIX = "DI"  # the dedupe pairs' ids
FIELDS = ("sub", "diff", "level", "stem", "options", "answer", "rationale", "refs", "suppress")


def _block(text: str, indent: str = "  ") -> str:
    lines = text.split("\n")
    return "|-\n" + "\n".join(indent + line if line else "" for line in lines)


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def item_yaml(item: dict[str, Any]) -> str:
    """The item file: the hand-written fields, and the bookkeeping every item carries."""
    sub = str(item["sub"])
    out = [
        f"id: {item['id']}",
        f"domain: {int(sub[0])}",
        f"subdomain: {sub}",
        "status: review",
        f"difficulty: {item['diff']}",
        f"cognitive_level: {item['level']}",
        f"stem: {_block(str(item['stem']).rstrip(chr(10)))}",
        "options:",
        *(f"  {letter}: {_quote(str(text))}" for letter, text in zip("ABCD", item["options"], strict=True)),
        f"answer: {item['answer']}",
        f"rationale: {_block(str(item['rationale']).rstrip(chr(10)))}",
    ]
    refs = item.get("refs") or []
    out.append("references:" + ("" if refs else " []"))
    out += [f"  - {_quote(str(r))}" for r in refs]
    out += [f"authors:\n  - {_quote(AUTHOR)}", "reviews: []", "tags: []", "enemies: []"]
    suppress = item.get("suppress") or {}
    out.append("suppress:" + ("" if suppress else " {}"))
    out += [f"  {code}: {_quote(str(reason))}" for code, reason in suppress.items()]
    out += ["created: 2026-12-02", "updated: 2026-12-02"]
    return "\n".join(out) + "\n"


def _load(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise SystemExit(f"{path}: expected a list of items")
    return data


def build_lint(extra: Callable[[dict[str, dict[str, Any]]], list[tuple[str, str, str, str]]] | None = None) -> int:
    """The lint corpus's item files and manifest; `extra` adds rows made from the built items (by id)."""
    source = LINT / "source"
    clean = {it["id"]: it for f in sorted(source.glob("clean-*.yml")) for it in _load(f)}
    cases = [it for f in sorted(source.glob("flawed-*.yml")) for it in _load(f)]
    items = LINT / "items"
    if items.exists():
        shutil.rmtree(items)
    rows = []
    built: dict[str, dict[str, Any]] = dict(clean)
    for item in clean.values():
        path = items / "clean" / f"{item['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(item_yaml(item), encoding="utf-8")
        rows.append((f"items/clean/{item['id']}.yaml", "clean", "", ""))
    for case in cases:
        base = case.get("base")
        item = dict(clean[base]) if base else {}
        item.update({k: v for k, v in case.items() if k in FIELDS})
        item["id"] = case["id"]
        missing = [k for k in ("sub", "diff", "level", "stem", "options", "answer", "rationale") if k not in item]
        if missing:
            raise SystemExit(f"{case['id']}: missing {', '.join(missing)}")
        built[case["id"]] = item
        path = items / case["kind"] / f"{case['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(item_yaml(item), encoding="utf-8")
        rows.append((f"items/{case['kind']}/{case['id']}.yaml", case["kind"], case["where"], base or ""))
    if extra is not None:
        rows += extra(built)
    with open(LINT / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("file", "kind", "location", "base"))
        writer.writerows(rows)
    return len(rows)


DEDUPE_KINDS = ("exact", "shuffled", "renamed", "reworded", "passive", "reordered", "folded", "word", "distractor")


def _side(data: dict[str, Any], pair_id: str) -> dict[str, Any]:
    return {
        "answer": data["answer"],
        "id": pair_id,
        "options": dict(zip("ABCD", data["options"], strict=True)),
        "stem": str(data["stem"]).strip(),
    }


def build_dedupe() -> int:
    """One JSON line per pair: a, b (id, stem, options, answer), kind, round, topic.

    Each source entry is one question (`base`, side a of all its pairs); each duplicate kind gives
    side b as the fields it rewrites by hand; `negative` lists hard negatives the same way."""
    lines = []
    for n, entry in enumerate(_load(DEDUPE / "source.yml")):
        base = entry["base"]
        # A question's hard negatives go to different rounds: the benches run one bank per (kind,
        # round), and two copies of the base in one bank would be a duplicate nobody labelled.
        sides: list[tuple[str, dict[str, Any], int]] = [
            (kind, entry[kind], 0) for kind in DEDUPE_KINDS if kind in entry
        ]
        sides += [("negative", neg, r) for r, neg in enumerate(entry.get("negative", []))]
        for m, (kind, fields, round_) in enumerate(sides):
            other = {**base, **fields}
            a = _side(base, f"{PAIR_PREFIX}-{n:02d}-{m:02d}-A")
            b = _side(other, f"{PAIR_PREFIX}-{n:02d}-{m:02d}-B")
            record = {"a": a, "b": b, "kind": kind, "round": round_, "topic": entry["topic"]}
            lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    (DEDUPE / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def main() -> None:
    what = sys.argv[1:] or ["lint", "dedupe"]
    if "lint" in what:
        print(f"lint corpus: {build_lint()} cases")
    if "dedupe" in what and (DEDUPE / "source.yml").exists():
        print(f"dedupe corpus: {build_dedupe()} pairs")


if __name__ == "__main__":
    main()
