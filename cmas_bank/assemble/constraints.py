"""The constraint table of a run, as data (in the spirit of R's TestDesign), and the supply counts
that show a request infeasible before any solver runs.

A `Plan` holds everything one run decides: which items may be scored, which may fill pretest
slots, the rows every form must meet (`Row`: kind, scope, min, max), item usage and overlap.
Default rows come from the outline's blueprint and the bank's mix; rows in
`[tool.cmas-bank.assemble] constraints` replace the default of the same kind and scope.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cmas_bank.assemble.pool import Pool, PoolItem
from cmas_bank.assemble.settings import AssembleSettings, default_pretest
from cmas_bank.errors import UsageError
from cmas_bank.outline import Outline

if TYPE_CHECKING:
    from cmas_bank.assemble.itemstats import ItemStats
    from cmas_bank.assemble.targets import Target

KEYS = ("A", "B", "C", "D")
LEVELS = {"difficulty": ("easy", "medium", "hard"), "cognitive": ("recall", "application", "analysis")}


ATTRIBUTE = {"area": "domain", "subarea": "subdomain", "key": "answer", "difficulty": "difficulty"}
ATTRIBUTE["cognitive"] = "cognitive_level"


def value_of(item: PoolItem, kind: str) -> str:
    """What a row of `kind` compares its scope with (work areas as text: "4")."""
    return str(getattr(item, ATTRIBUTE[kind]))


@dataclass(frozen=True)
class Row:
    """Items per form of one kind and scope between `low` and `high` (None: no bound)."""

    kind: str  # length, area, subarea, key, difficulty, cognitive
    scope: str
    low: int | None
    high: int | None
    note: str = ""

    def holds(self, item: PoolItem) -> bool:
        return self.kind == "length" or value_of(item, self.kind) == self.scope

    @property
    def label(self) -> str:
        return {
            "length": "the blueprint",
            "area": f"work area {self.scope}",
            "subarea": f"sub-area {self.scope}",
            "key": f"key {self.scope}",
            "difficulty": f"difficulty {self.scope}",
            "cognitive": f"cognitive level {self.scope}",
        }[self.kind]

    @property
    def target(self) -> str:
        if self.low is not None and self.low == self.high:
            return f"= {self.low}"
        if self.high is None:
            return f">= {self.low}"
        if self.low is None or self.low == 0:
            return f"<= {self.high}"
        return f"{self.low}-{self.high}"

    def met(self, count: int) -> bool:
        return (self.low is None or count >= self.low) and (self.high is None or count <= self.high)


@dataclass
class Plan:
    """One run's decisions: candidates, rows, usage and overlap, pretest slots."""

    settings: AssembleSettings
    outline: Outline
    pool: Pool
    eligible: list[PoolItem]  # may be scored, in id order
    pretest_pool: list[PoolItem]  # may fill a pretest slot, in id order
    rows: list[Row]
    length: int
    forms: int
    usage: int  # forms one item may be on (<= forms)
    overlap: int | None  # items two forms may share (None: no limit)
    pretest: int
    centres: dict[tuple[str, str], float] = field(default_factory=dict)  # (kind, level) -> bank-mix count
    stats: ItemStats | None = None  # item statistics from the stats file, when there is one
    targets: list[Target] = field(default_factory=list)  # statistical targets (cmas_bank.assemble.targets)
    _index: dict[tuple[str, str], list[PoolItem]] = field(default_factory=dict, repr=False)

    @property
    def include(self) -> tuple[str, ...]:
        return self.settings.include

    def members(self, row: Row) -> list[PoolItem]:
        """The eligible items a row counts, from an index made once per plan."""
        if row.kind == "length":
            return self.eligible
        if not self._index:
            for p in self.eligible:
                for kind in ATTRIBUTE:
                    self._index.setdefault((kind, value_of(p, kind)), []).append(p)
        return self._index.get((row.kind, row.scope), [])


def _in_outline(item: PoolItem, outline: Outline) -> bool:
    return outline.subarea_area.get(item.subdomain) == item.domain


def _check_ids(settings: AssembleSettings, pool: Pool) -> None:
    from cmas_bank.config import suggest

    for name, ids in (("include", settings.include), ("exclude", settings.exclude)):
        for item_id in ids:
            if item_id not in pool.items:
                hint = suggest(item_id, list(pool.items))
                raise UsageError(f"[tool.cmas-bank.assemble] {name}: no valid item {item_id!r} in the bank{hint}")
    for item_id in settings.include:
        status = pool.items[item_id].status
        if status not in settings.statuses:
            allowed = ", ".join(settings.statuses)
            raise UsageError(
                f"[tool.cmas-bank.assemble] include: {item_id} is {status}, not an eligible status ({allowed})"
            )


def make_plan(settings: AssembleSettings, outline: Outline, pool: Pool, stats: ItemStats | None = None) -> Plan:
    """The plan for `settings` over `pool` (and the item statistics `stats`, for the statistical
    targets): usage errors for ids and rows that name nothing."""
    from cmas_bank.assemble import targets

    _check_ids(settings, pool)
    excluded = set(settings.exclude)
    usable = [p for p in pool.items.values() if p.id not in excluded and _in_outline(p, outline)]
    eligible = [p for p in usable if p.status in settings.statuses and targets.usable(settings, stats, p)]
    pretest_pool = [p for p in usable if p.status in settings.pretest_statuses and p.status not in settings.statuses]
    forms = settings.forms
    usage = min(settings.max_usage or forms, forms)
    length = outline.blueprint_items
    overlap = settings.max_overlap if settings.max_overlap is not None and settings.max_overlap < length else None
    pretest = settings.pretest
    if pretest is None:
        pretest = default_pretest(outline.exam.delivered_items_max, outline.exam.scored_items)
    plan = Plan(settings, outline, pool, eligible, pretest_pool, [], length, forms, usage, overlap, pretest)
    plan.rows = _rows(plan)
    plan.stats = stats
    plan.targets = targets.make_targets(settings, stats, eligible)
    return plan


def _subarea_rows(plan: Plan, supply: Counter[str]) -> list[Row]:
    rows = []
    wanted = plan.settings.subarea_min
    for area in plan.outline.work_areas:
        if area.items == 0:
            continue
        for sub in area.subareas:
            if wanted is not None:
                rows.append(Row("subarea", sub.code, wanted, None))
            elif supply[sub.code] * plan.usage >= plan.forms:
                rows.append(Row("subarea", sub.code, 1, None))
            else:
                note = f"relaxed: {supply[sub.code]} eligible item(s) for {plan.forms} form(s)"
                rows.append(Row("subarea", sub.code, 0, None, note))
    return rows


def _mix_rows(plan: Plan, kind: str, chosen: Mapping[Any, tuple[float, float]]) -> list[Row]:
    attr = "difficulty" if kind == "difficulty" else "cognitive_level"
    counts = Counter(getattr(p, attr) for p in plan.eligible)
    total = max(1, len(plan.eligible))
    tol, length = plan.settings.mix_tolerance, plan.length
    rows = []
    for level in LEVELS[kind]:
        share = counts[level] / total
        plan.centres[(kind, level)] = share * length
        low, high = chosen.get(level, (max(0.0, share - tol), min(1.0, share + tol)))
        rows.append(Row(kind, level, math.floor(low * length + 1e-9), math.ceil(high * length - 1e-9)))
    return rows


def _rows(plan: Plan) -> list[Row]:
    s, length = plan.settings, plan.length
    rows = [Row("length", "", length, length)]
    rows += [Row("area", str(a.number), a.items, a.items) for a in plan.outline.work_areas]
    rows += _subarea_rows(plan, Counter(p.subdomain for p in plan.eligible))
    low, high = s.key_balance
    rows += [Row("key", k, math.ceil(low * length - 1e-9), math.floor(high * length + 1e-9)) for k in KEYS]
    rows += _mix_rows(plan, "difficulty", s.difficulty)
    rows += _mix_rows(plan, "cognitive", s.cognitive)
    by_key = {(r.kind, r.scope): i for i, r in enumerate(rows)}
    for n, given in enumerate(s.constraints):
        scope = "" if given.kind == "length" else given.scope
        if (given.kind, scope) not in by_key and given.kind != "subarea":
            raise UsageError(
                f"[tool.cmas-bank.assemble] constraints[{n}]: no {given.kind} {given.scope!r} to constrain"
            )
        if given.kind == "subarea" and given.scope not in plan.outline.subarea_area:
            raise UsageError(f"[tool.cmas-bank.assemble] constraints[{n}]: no sub-area {given.scope!r} in the outline")
        row = Row(given.kind, scope, given.min, given.max, "from the constraint table")
        if (given.kind, scope) in by_key:
            rows[by_key[(given.kind, scope)]] = row
        else:
            by_key[(given.kind, scope)] = len(rows)
            rows.append(row)
    return rows


# --- supply counts: infeasibility explained before solving ---------------------------------------


def needed(low: int, plan: Plan) -> int:
    """Distinct items `plan.forms` forms need when each holds at least `low` of them."""
    total = low * plan.forms
    need = max(low, math.ceil(total / plan.usage))
    if plan.overlap is not None:
        need = max(need, total - math.comb(plan.forms, 2) * plan.overlap)
    return need


def _reuse(plan: Plan) -> str:
    if plan.forms == 1:
        return ""
    if plan.overlap is not None:
        return f" with overlap {plan.overlap}"
    if plan.usage == 1:
        return " without reuse"
    return f" with each item on at most {plan.usage} forms"


def _supply_problems(plan: Plan) -> list[str]:
    problems = []
    forms = f"{plan.forms} form{'s' if plan.forms > 1 else ''}"
    for row in plan.rows:
        if not row.low:
            continue
        supply = len(plan.members(row))
        need = needed(row.low, plan)
        if supply < need:
            each = f" (at least {row.low} each)" if plan.forms > 1 and row.kind not in ("area", "length") else ""
            problems.append(
                f"{row.label} needs {need} eligible items for {forms}{_reuse(plan)}{each}; the bank has {supply}"
            )
    return problems


def _sum_problems(plan: Plan) -> list[str]:
    problems = []
    for kind in ("key", "difficulty", "cognitive"):
        rows = [r for r in plan.rows if r.kind == kind]
        lows = sum(r.low or 0 for r in rows)
        if lows > plan.length:
            problems.append(f"the {kind} minimums add up to {lows}, more than a form's {plan.length} scored items")
        if all(r.high is not None for r in rows) and sum(r.high or 0 for r in rows) < plan.length:
            highs = sum(r.high or 0 for r in rows)
            problems.append(f"the {kind} maximums add up to {highs}, fewer than a form's {plan.length} scored items")
    for area in plan.outline.work_areas:
        subs = sum(
            r.low or 0 for r in plan.rows if r.kind == "subarea" and plan.outline.subarea_area[r.scope] == area.number
        )
        if subs > area.items:
            problems.append(
                f"work area {area.number}'s sub-area minimums add up to {subs}, more than its {area.items} items"
            )
    return problems


def _include_problems(plan: Plan) -> list[str]:
    include = [plan.pool.items[i] for i in plan.include]
    problems = []
    if include and plan.forms > 1 and plan.usage < plan.forms:
        problems.append(
            f"{len(include)} included item(s) sit on every form, but an item may be on at most {plan.usage} "
            f"of the {plan.forms} forms (max-usage)"
        )
    if plan.overlap is not None and plan.forms > 1 and len(include) > plan.overlap:
        problems.append(
            f"{len(include)} included items sit on every form, but two forms may share at most {plan.overlap} "
            "(max-overlap)"
        )
    for row in plan.rows:
        count = sum(1 for p in include if row.holds(p))
        if row.high is not None and count > row.high:
            problems.append(f"{count} included items are in {row.label}, which takes at most {row.high} per form")
    chosen = set(plan.include)
    for why, ids in plan.pool.groups:
        both = [i for i in ids if i in chosen]
        if len(both) > 1:
            problems.append(f"included items {' and '.join(both)} are {why} and may not share a form")
    return problems


def explain(plan: Plan) -> list[str]:
    """Every reason the supply shows the request cannot be met, in the bank's terms (empty: none seen)."""
    from cmas_bank.assemble.targets import explain_targets

    excluding = plan.settings.without_stats == "exclude"
    found = explain_targets(plan.targets, plan.eligible, plan.length, plan.include, excluding)
    return _supply_problems(plan) + _sum_problems(plan) + _include_problems(plan) + found
