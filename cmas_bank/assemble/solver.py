"""The 0-1 linear programme behind `assemble`, solved by HiGHS (`highspy`, MIT, in its wheel).

x[f, i] = 1 puts eligible item i on form f. Per form: every row of the plan's constraint table
(length, work areas, sub-areas, key letters, difficulty and cognitive mixes), and at most one item
of each enemy pair or duplicate cluster. Across forms: each item on at most `usage` forms, and
any two forms share at most `overlap` items (z[f, g, i] >= x[f, i] + x[g, i] - 1). The objective
keeps each form's difficulty and cognitive mix near the bank's (so forms are parallel) and breaks
ties with small seeded costs per form and item (so the seed chooses among equal answers).

Forms are built together (`simultaneous`) when the model is small enough, else one at a time
(`sequential`, each form optimal given the forms before it). highspy is imported here only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from cmas_bank.assemble.constraints import Plan, Row
from cmas_bank.assemble.pool import PoolItem, seeded_key
from cmas_bank.errors import UsageError

SIMULTANEOUS_LIMIT = 60_000  # x and z columns up to which `auto` builds every form in one model
MIN_SHARE = 1.0  # seconds a sequential form may take when the forms before it used up the time limit
GAP_TOLERANCE = 1e-4  # HiGHS's default relative MIP gap: a solution within it is proven optimal
INF = float("inf")


class NoSolution(Exception):
    """The solver proved the request infeasible, or found no solution within its time limit."""

    def __init__(self, message: str, proven: bool) -> None:
        super().__init__(message)
        self.proven = proven


@dataclass(frozen=True)
class Outcome:
    """How one solve ended, as HiGHS reported it."""

    strategy: str
    model_status: str
    proven_optimal: bool
    mip_gap: float
    objective: float
    bound: float
    version: str
    candidates: int | None = None  # items the form's model held after pruning (None: every eligible item)


def highs_version() -> str:
    try:
        from importlib.metadata import version

        return version("highspy")
    except Exception:  # noqa: BLE001 - an unknown version is not worth failing over
        return "unknown"


def _highs() -> Any:
    try:
        import highspy
    except ImportError:
        raise UsageError("assemble needs HiGHS: pip install 'cmas-bank[assemble]'") from None
    return highspy


def _new_highs(highspy: Any) -> Any:
    """A Highs object; the first one made prints HiGHS's banner on file descriptor 1 (from C++,
    past sys.stdout), which would break `assemble`'s output, so that descriptor points at
    /dev/null meanwhile."""
    import os
    import sys

    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no descriptor 1 at all: nothing to keep clean
        return highspy.Highs()
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(null)
        os.close(saved)


class _Model:
    """Columns and rows gathered in Python, passed to HiGHS in one go."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[float, float, list[int], list[float]]] = []
        self.deviations: list[tuple[list[int], int, int, float]] = []  # (members, over, under, centre)
        self.start: list[int] | None = None  # columns set to 1 in a first solution (a hint to HiGHS)
        self.candidates: int | None = None  # items given to a one-form model after pruning

    def column(self, cost: float, lower: float, upper: float, integer: bool) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(1 if integer else 0)
        return len(self.cost) - 1

    def row(self, low: float, high: float, cols: list[int], coefs: list[float] | None = None) -> None:
        if cols:
            self.rows.append((low, high, cols, coefs if coefs is not None else [1.0] * len(cols)))

    def solve(self, time_limit: float) -> tuple[Any, Any]:
        import numpy as np

        highspy = _highs()
        h = _new_highs(highspy)
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("mip_rel_gap", GAP_TOLERANCE)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("threads", 1)
        n = len(self.cost)
        empty_i, empty_f = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64)
        h.addCols(n, np.array(self.cost), np.array(self.lower), np.array(self.upper), 0, empty_i, empty_i, empty_f)
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array(self.integer, dtype=np.uint8))
        starts: list[int] = []
        index: list[int] = []
        value: list[float] = []
        for _, _, cols, coefs in self.rows:
            starts.append(len(index))
            index += cols
            value += coefs
        h.addRows(
            len(self.rows),
            np.array([r[0] for r in self.rows], dtype=np.float64),
            np.array([r[1] for r in self.rows], dtype=np.float64),
            len(index),
            np.array(starts, dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.array(value, dtype=np.float64),
        )
        if self.start is not None:
            h.setSolution(n, np.arange(n, dtype=np.int32), self._start_values(np))
        h.run()
        return h, highspy

    def _start_values(self, np: Any) -> Any:
        """Every column's value in the first solution: the chosen items at 1, each mix deviation
        column at the distance of its count from the centre."""
        x = np.zeros(len(self.cost), dtype=np.float64)
        x[self.start] = 1.0
        for members, over, under, centre in self.deviations:
            count = float(x[members].sum())
            x[over], x[under] = max(0.0, count - centre), max(0.0, centre - count)
        return x


def _tie_cost(plan: Plan, form: int, item_id: str) -> float:
    return seeded_key(plan.settings.seed, form, item_id) / 2**64 / (plan.length + 1)


def _cell(p: PoolItem) -> tuple[int, str, str, str, str]:
    """What every row of the table reads of an item: items of one cell are interchangeable but for
    their tie costs and the conflicts, usage and overlap they take part in."""
    return (p.domain, p.subdomain, p.answer, p.difficulty, p.cognitive_level)


def _cell_cap(plan: Plan, p: PoolItem) -> int:
    """The most items of `p`'s cell one form can hold: the smallest maximum of the rows it counts in."""
    return min(r.high for r in plan.rows if r.high is not None and r.holds(p))


def candidates(plan: Plan, costs: dict[str, float], earlier: list[list[str]], used: dict[str, int]) -> list[PoolItem]:
    """The items one form's model needs (in id order): every item that may still be used, less those
    that cannot improve the form. In each cell (work area, sub-area, key, difficulty, cognitive level)
    the items are taken cheapest first (by `costs`, the form's tie costs) until the cell's cap of
    *plain* items is kept (plain: in no enemy pair or duplicate cluster, on no earlier form, not
    included); included items are always kept. An item left out costs at least as much as every
    plain item kept in its cell, and a form holds at most cap items of the cell, so in any form one
    of the kept plain items is free to take its place: every row counts the same, no conflict or
    overlap row gains an item, and the cost does not rise. The best form over the candidates is
    therefore the best over all items, and HiGHS's bound and gap hold for the whole pool. Item
    statistics give items of one cell different coefficients, so with a statistical target every
    item is kept."""
    open_items = [p for p in plan.eligible if used.get(p.id, 0) < plan.usage]
    if plan.targets:
        return open_items
    include = set(plan.include)
    special = include | {i for _, ids in plan.pool.groups for i in ids}
    if plan.overlap is not None:
        special |= {i for ids in earlier for i in ids}
    cells: dict[tuple[int, str, str, str, str], list[PoolItem]] = {}
    for p in open_items:
        cells.setdefault(_cell(p), []).append(p)
    keep: set[str] = set()
    for members in cells.values():
        cap = _cell_cap(plan, members[0])
        members.sort(key=lambda p: (costs[p.id], p.id))
        plain = 0
        for p in members:
            if plain < cap or p.id in include:
                keep.add(p.id)
                plain += p.id not in special
    return [p for p in open_items if p.id in keep]


def _form_rows(m: _Model, plan: Plan, cols: dict[str, int]) -> None:
    """Every per-form row of the table, the conflict groups and the mix deviations of one form."""
    for row in plan.rows:
        members = [cols[p.id] for p in plan.members(row) if p.id in cols]
        low = -INF if row.low is None else float(row.low)
        high = INF if row.high is None else float(row.high)
        if not members:  # nothing in the bank can meet it: a row over one column fixed at 0
            members = [m.column(0, 0, 0, False)]
        m.row(low, high, members)
    for _, ids in plan.pool.groups:
        members = [cols[i] for i in ids if i in cols]
        if len(members) > 1:
            m.row(-INF, 1, members)
    for (kind, level), centre in plan.centres.items():
        members = [cols[p.id] for p in plan.members(Row(kind, level, None, None)) if p.id in cols]
        over, under = m.column(1, 0, INF, False), m.column(1, 0, INF, False)
        m.row(centre, centre, members + [over, under], [1.0] * len(members) + [-1.0, 1.0])
        m.deviations.append((members, over, under, centre))


def _form_columns(m: _Model, plan: Plan, f: int, alone: bool, earlier: list[list[str]], used: dict[str, int]) -> dict:
    """Form f's columns (item id -> column) and its rows. `alone`: the only form of the model, so the
    items that cannot improve it are left out and a greedy first form is handed to HiGHS."""
    include = set(plan.include)
    costs = {p.id: _tie_cost(plan, f, p.id) for p in plan.eligible if used.get(p.id, 0) < plan.usage}
    if alone:
        chosen = candidates(plan, costs, earlier, used)
        m.candidates = len(chosen)
    else:
        chosen = [p for p in plan.eligible if p.id in costs]
    cols = {p.id: m.column(costs[p.id], 1.0 if p.id in include else 0.0, 1.0, True) for p in chosen}
    _form_rows(m, plan, cols)
    if alone and not plan.targets:
        from cmas_bank.assemble.greedy import greedy_form

        start = greedy_form(plan, chosen, costs, earlier)
        m.start = None if start is None else [cols[i] for i in start]
    if plan.overlap is not None:
        for ids in earlier:
            m.row(-INF, plan.overlap, [cols[i] for i in ids if i in cols])
    return cols


def _build(plan: Plan, forms: list[int], earlier: list[list[str]], used: dict[str, int]) -> tuple[_Model, list[dict]]:
    m = _Model()
    per_form = [_form_columns(m, plan, f, len(forms) == 1, earlier, used) for f in forms]
    if len(forms) > 1:
        for p in plan.eligible:
            on = [c[p.id] for c in per_form if p.id in c]
            left = plan.usage - used.get(p.id, 0)
            if len(on) > left:
                m.row(-INF, left, on)
        if plan.overlap is not None and plan.usage > 1:
            _overlap_rows(m, plan, per_form)
    if plan.targets:
        from cmas_bank.assemble.targets import add_rows

        add_rows(m, plan.targets, per_form, earlier)
    return m, per_form


def _overlap_rows(m: _Model, plan: Plan, per_form: list[dict[str, int]]) -> None:
    for a in range(len(per_form)):
        for b in range(a + 1, len(per_form)):
            shared = []
            for item_id, col in per_form[a].items():
                other = per_form[b].get(item_id)
                if other is not None:
                    z = m.column(0, 0, 1, False)
                    m.row(-INF, 1, [col, other, z], [1.0, 1.0, -1.0])
                    shared.append(z)
            m.row(-INF, plan.overlap or 0, shared)


def _outcome(h: Any, highspy: Any, strategy: str, time_limit: float) -> Outcome:
    status = h.getModelStatus()
    info = h.getInfo()
    text = h.modelStatusToString(status)
    if status == highspy.HighsModelStatus.kInfeasible:
        raise NoSolution("the solver proved that no forms meet every constraint together", proven=True)
    feasible = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if not feasible:
        raise NoSolution(
            f"the solver found no forms within the time limit of {time_limit:g} s ({text}); "
            "raise --time-limit or relax the constraints",
            proven=False,
        )
    gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else 1.0  # NaN or infinite: no bound yet
    proven = status == highspy.HighsModelStatus.kOptimal and gap <= GAP_TOLERANCE
    return Outcome(
        strategy=strategy,
        model_status=text,
        proven_optimal=proven,
        mip_gap=round(max(gap, 0.0), 6),
        objective=round(float(info.objective_function_value), 6),
        bound=round(float(info.mip_dual_bound), 6),
        version=highs_version(),
    )


def _picked(h: Any, per_form: list[dict[str, int]]) -> list[list[str]]:
    values = h.getSolution().col_value
    return [sorted(i for i, c in cols.items() if values[c] > 0.5) for cols in per_form]


def separable(plan: Plan) -> bool:
    """Whether the forms do not constrain each other (no overlap limit, no usage limit, no parallel
    target): then each form's best is the best of all forms together, built one at a time."""
    return plan.overlap is None and plan.usage >= plan.forms and all(t.mode != "parallel" for t in plan.targets)


def strategy_for(plan: Plan) -> str:
    """`auto`: one at a time when the forms are separable (the same forms, from small models) or
    the joint model is too big; else every form in one model."""
    chosen = plan.settings.strategy
    if chosen != "auto":
        return chosen
    if plan.forms > 1 and separable(plan):
        return "sequential"
    columns = len(plan.eligible) * plan.forms
    if plan.overlap is not None and plan.usage > 1:
        columns += len(plan.eligible) * plan.forms * (plan.forms - 1) // 2
    return "simultaneous" if plan.forms == 1 or columns <= SIMULTANEOUS_LIMIT else "sequential"


def solve(plan: Plan) -> tuple[list[list[str]], list[Outcome]]:
    """Scored item ids of each form (sorted), and how each solve ended (one per form when sequential).
    Built one at a time, the forms share the time limit in turn: each may take the time the forms
    before it left, divided by the forms still to build (so a form proven optimal early passes its
    time on)."""
    import time

    strategy = strategy_for(plan)
    limit = plan.settings.time_limit
    if strategy == "simultaneous":
        m, per_form = _build(plan, list(range(plan.forms)), [], {})
        h, highspy = m.solve(limit)
        outcome = replace(_outcome(h, highspy, strategy, limit), candidates=m.candidates)
        return _picked(h, per_form), [outcome] * plan.forms
    forms: list[list[str]] = []
    outcomes: list[Outcome] = []
    used: dict[str, int] = {}
    deadline = time.monotonic() + limit
    for f in range(plan.forms):
        m, per_form = _build(plan, [f], forms, used)
        share = max(0.0, deadline - time.monotonic()) / (plan.forms - f)
        h, highspy = m.solve(max(share, MIN_SHARE))
        try:
            outcomes.append(replace(_outcome(h, highspy, strategy, limit), candidates=m.candidates))
        except NoSolution as exc:
            if f == 0:
                raise
            raise NoSolution(
                f"form {f + 1}, given the {f} form(s) built before it: {exc} (try --strategy simultaneous)",
                proven=False,
            ) from None
        ids = _picked(h, per_form)[0]
        forms.append(ids)
        for i in ids:
            used[i] = used.get(i, 0) + 1
    return forms, outcomes
