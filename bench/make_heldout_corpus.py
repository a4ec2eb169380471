"""Write the held-out lint and dedupe corpora from their hand-written sources.

    python bench/make_heldout_corpus.py

The items are written by hand, one by one, in `tests/fixtures/lint-corpus-heldout/source/*.yml`
and `tests/fixtures/dedupe-corpus-heldout/source.yml` (see the README.md in each). This script only
lays them out as the benches read them: one item file per item (with the bookkeeping fields every
item carries) and `manifest.csv` for the lint corpus, `corpus.jsonl` for the dedupe corpus. A
flawed lint case may name a clean `base` item: it is that item with the fields it gives rewritten
by hand. The bank-wide lint kinds get small banks under `banks/` (`source/banks.yml`): copies of
corpus items, some with the key moved to another letter (the key and that option swap places).
Nothing here generates wording. The layout is `make_independent_corpus.py`'s, with banks added.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import make_independent_corpus as layout
from make_independent_corpus import FIELDS, _load, item_yaml

HERE = Path(__file__).resolve().parent
LINT = layout.LINT = HERE.parent / "tests" / "fixtures" / "lint-corpus-heldout"
layout.DEDUPE = HERE.parent / "tests" / "fixtures" / "dedupe-corpus-heldout"
layout.AUTHOR = "cmas-bank AI corpus writer C1 (2026-12)"
layout.PAIR_PREFIX = "DH"


def _move_key(item: dict[str, Any], letter: str) -> dict[str, Any]:
    """The item with its key moved to `letter`: the key and the option there swap places."""
    options = list(item["options"])
    old, new = "ABCD".index(item["answer"]), "ABCD".index(letter)
    options[old], options[new] = options[new], options[old]
    return {**item, "options": options, "answer": letter}


def build_banks(built: dict[str, dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """The small banks for the bank-wide kinds (`source/banks.yml`), one folder each.

    A bank member is a corpus item (`from`, clean or flawed) under a new id, its key moved to
    `key_at` if given (the key and the option at that letter swap places; no wording changes), or
    an item written in full for the bank."""
    path = LINT / "source" / "banks.yml"
    banks = LINT / "banks"
    if banks.exists():
        shutil.rmtree(banks)
    if not path.exists():
        return []
    rows = []
    for bank in _load(path):
        folder = banks / bank["bank"]
        folder.mkdir(parents=True)
        for member in bank["items"]:
            item = dict(built[member["from"]]) if "from" in member else {}
            item.update({k: v for k, v in member.items() if k in FIELDS})
            if "key_at" in member:
                item = _move_key(item, member["key_at"])
            item["id"] = member["id"]
            (folder / f"{member['id']}.yaml").write_text(item_yaml(item), encoding="utf-8")
        rows.append((f"banks/{bank['bank']}", bank["kind"], "bank", ""))
    return rows


def main() -> None:
    what = sys.argv[1:] or ["lint", "dedupe"]
    if "lint" in what:
        print(f"lint corpus: {layout.build_lint(extra=build_banks)} files")
    if "dedupe" in what and (layout.DEDUPE / "source.yml").exists():
        print(f"dedupe corpus: {layout.build_dedupe()} pairs")


if __name__ == "__main__":
    main()
