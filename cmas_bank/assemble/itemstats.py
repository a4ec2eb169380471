"""The item statistics `assemble` reads for its statistical targets: p-values and Rasch difficulties
from a stats file that `cmas-bank analyze --out` wrote (layout `cmas-bank-stats/1`).

The file is found as `report` finds it: `--stats FILE`, else the `stats` setting of
`[tool.cmas-bank.assemble]` (relative to the config's folder), else the newest stats file in the
project's `stats/` folder (by the `date` it records, then by name). It is read and checked by
`cmas_bank.report_stats.load_stats`; a file that cannot be read or is not the layout is a usage
error (exit 2) that names the file and the place (`forms[0].items.X.p: 'x' is not a number`).

A stats file holds one analysis per form of the administration; an item analysed on several forms
takes its p-value (and, apart, its Rasch difficulty) from the form with the most candidates, the
first such form on a tie. Rasch difficulties are centred on each analysed form's items, so
difficulties from different forms are on one scale only when those forms were analysed together
(one form, or forms linked by common items analysed as one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmas_bank.config import Config
from cmas_bank.errors import UsageError


@dataclass(frozen=True)
class ItemStats:
    """Per item id: its p-value and its Rasch difficulty (logits), where the stats file has them."""

    source: str  # the file as shown in messages and the audit (relative to the project when inside it)
    p: dict[str, float]
    difficulty: dict[str, float]


def information(difficulty: float, theta: float) -> float:
    """Fisher information of a Rasch item at ability `theta`: P (1 - P), P = 1 / (1 + exp(b - theta))
    (van der Linden, *Linear Models for Optimal Test Design*, 2005, ch. 1; Baker and Kim, *Item
    Response Theory*, 2004). A test's information is the sum over its items, so it is linear in
    the 0-1 choice of items."""
    prob = 1.0 / (1.0 + math.exp(difficulty - theta))
    return prob * (1.0 - prob)


def _best(per_form: dict[str, tuple[int, float]], item_id: str, value: Any, candidates: int) -> None:
    if value is None:
        return
    known = per_form.get(item_id)
    if known is None or candidates > known[0]:
        per_form[item_id] = (candidates, float(value))


def from_document(doc: dict[str, Any], source: str) -> ItemStats:
    """The p-values and difficulties of a checked stats document (`report_stats.load_stats`)."""
    p: dict[str, tuple[int, float]] = {}
    b: dict[str, tuple[int, float]] = {}
    for form in doc.get("forms", []):
        candidates = int(form.get("candidates", 0))
        for item_id, item in (form.get("items") or {}).items():
            _best(p, str(item_id), item.get("p"), candidates)
            _best(b, str(item_id), (item.get("rasch") or {}).get("difficulty"), candidates)
    return ItemStats(
        source=source,
        p={k: v for k, (_, v) in sorted(p.items())},
        difficulty={k: v for k, (_, v) in sorted(b.items())},
    )


def locate(config: Config, option: Path | None, setting: str | None) -> tuple[Path, bool] | None:
    """The stats file to read, and whether it was named (by --stats or the setting), or None."""
    from cmas_bank.report_stats import find_stats

    if option is not None:
        return option, True
    if setting is not None:
        return config.root / setting, True
    found = find_stats(config.root)
    return (found, False) if found is not None else None


def read_item_stats(config: Config, option: Path | None, setting: str | None) -> ItemStats | None:
    """The item statistics of the stats file `locate` finds (None without one); UsageError when it
    cannot be read or is not a stats file."""
    from cmas_bank.report_stats import StatsError, load_stats

    found = locate(config, option, setting)
    if found is None:
        return None
    path, named = found
    full, base = path.resolve(), config.root.resolve()
    shown = (full.relative_to(base) if full.is_relative_to(base) else path).as_posix()
    try:
        doc = load_stats(path)
    except StatsError as exc:
        where = "" if named else " (name another with --stats, or stats = FILE in [tool.cmas-bank.assemble])"
        raise UsageError(f"assemble: {exc}{where}") from None
    return from_document(doc, shown)
