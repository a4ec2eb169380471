"""A first form for HiGHS to start from: filled greedily, cheapest item first, within every row of
the table, the conflicts and the overlap with the forms built before it.

HiGHS's own heuristics need minutes to find a first form among tens of thousands of candidates;
a start that already meets every constraint lets it spend its time on the bound instead. The
start is only a hint: HiGHS checks it against the model and keeps the better of it and its own,
so a start that is far from the best changes the time, never the form's guarantees. The
difficulty and cognitive counts aim at the bank's mix rounded to whole items (the objective's
centres), so the start's deviation is already the least possible.
"""

from __future__ import annotations

from collections import Counter

from cmas_bank.assemble.constraints import Plan, Row, value_of
from cmas_bank.assemble.pool import PoolItem


def _rounded(plan: Plan, kind: str) -> dict[str, int]:
    """The level counts nearest to the bank's mix that add up to the form's length (largest remainder)."""
    centres = {level: c for (k, level), c in plan.centres.items() if k == kind}
    counts = {level: int(c) for level, c in centres.items()}
    short = plan.length - sum(counts.values())
    for level in sorted(centres, key=lambda lv: (-(centres[lv] - counts[lv]), lv))[: max(0, short)]:
        counts[level] += 1
    return counts


class _Fill:
    """The form being filled: counts per row, the conflicts taken, the overlap with earlier forms."""

    def __init__(self, plan: Plan, earlier: list[list[str]]) -> None:
        self.plan = plan
        self.rows = plan.rows
        self.count: Counter[int] = Counter()
        self.chosen: list[str] = []
        self.blocked: set[str] = set()
        self.conflicts = plan.pool.conflicts()
        self.earlier = [set(ids) for ids in earlier]
        self.shared = [0] * len(earlier)
        self.aim = {kind: _rounded(plan, kind) for kind in ("difficulty", "cognitive")}
        self.taken: Counter[tuple[str, str]] = Counter()
        self._cells: dict[tuple[int, str, str, str, str], list[tuple[int, Row]]] = {}

    def _rows_of(self, p: PoolItem) -> list[tuple[int, Row]]:
        """The rows that count `p` (the same for every item of its cell, so found once per cell)."""
        cell = (p.domain, p.subdomain, p.answer, p.difficulty, p.cognitive_level)
        found = self._cells.get(cell)
        if found is None:
            found = self._cells[cell] = [(n, r) for n, r in enumerate(self.rows) if r.holds(p)]
        return found

    def fits(self, p: PoolItem) -> bool:
        if p.id in self.blocked:
            return False
        if any(r.high is not None and self.count[n] >= r.high for n, r in self._rows_of(p)):
            return False
        for kind, aim in self.aim.items():
            level = value_of(p, kind)
            if level in aim and self.taken[(kind, level)] >= aim[level]:
                return False
        overlap = self.plan.overlap
        return overlap is None or all(self.shared[k] < overlap for k, ids in enumerate(self.earlier) if p.id in ids)

    def take(self, p: PoolItem) -> None:
        self.chosen.append(p.id)
        self.blocked.add(p.id)
        self.blocked.update(other for other, _ in self.conflicts.get(p.id, ()))
        for n, _ in self._rows_of(p):
            self.count[n] += 1
        for kind in self.aim:
            self.taken[(kind, value_of(p, kind))] += 1
        for k, ids in enumerate(self.earlier):
            self.shared[k] += p.id in ids

    def complete(self) -> bool:
        return all(r.low is None or self.count[n] >= r.low for n, r in enumerate(self.rows))


def greedy_form(
    plan: Plan, candidates: list[PoolItem], costs: dict[str, float], earlier: list[list[str]]
) -> list[str] | None:
    """A form over `candidates` that meets every row, conflict and overlap limit, or None where the
    greedy fill gets stuck (then HiGHS starts without one). Included items first, then one item
    for each row with a minimum (sub-areas first), then the cheapest items that still fit."""
    fill = _Fill(plan, earlier)
    ranked = sorted(candidates, key=lambda p: (costs[p.id], p.id))
    include = set(plan.include)
    for p in ranked:
        if p.id in include:
            fill.take(p)
    order = sorted(range(len(plan.rows)), key=lambda n: (plan.rows[n].kind != "subarea", n))
    for n in order:
        row = plan.rows[n]
        if row.kind in ("length", "area") or not row.low:
            continue
        for p in ranked:
            if fill.count[n] >= row.low:
                break
            if row.holds(p) and fill.fits(p):
                fill.take(p)
    for p in ranked:
        if len(fill.chosen) >= plan.length:
            break
        if fill.fits(p):
            fill.take(p)
    return fill.chosen if fill.complete() else None
