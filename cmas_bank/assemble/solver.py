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

from dataclasses import dataclass
from typing import Any

from cmas_bank.assemble.constraints import Plan, Row
from cmas_bank.assemble.pool import seeded_key
from cmas_bank.errors import UsageError

SIMULTANEOUS_LIMIT = 60_000  # x and z columns up to which `auto` builds every form in one model
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
        h.run()
        return h, highspy


def _tie_cost(plan: Plan, form: int, item_id: str) -> float:
    return seeded_key(plan.settings.seed, form, item_id) / 2**64 / (plan.length + 1)


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


def _build(plan: Plan, forms: list[int], earlier: list[list[str]], used: dict[str, int]) -> tuple[_Model, list[dict]]:
    m = _Model()
    include = set(plan.include)
    per_form: list[dict[str, int]] = []
    for f in forms:
        cols = {}
        for p in plan.eligible:
            if used.get(p.id, 0) >= plan.usage:
                continue
            low = 1.0 if p.id in include else 0.0
            cols[p.id] = m.column(_tie_cost(plan, f, p.id), low, 1.0, True)
        per_form.append(cols)
        _form_rows(m, plan, cols)
        if plan.overlap is not None:
            for ids in earlier:
                m.row(-INF, plan.overlap, [cols[i] for i in ids if i in cols])
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
    gap = float(info.mip_gap) if info.mip_gap == info.mip_gap else 1.0  # NaN: no bound
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


def strategy_for(plan: Plan) -> str:
    chosen = plan.settings.strategy
    if chosen != "auto":
        return chosen
    columns = len(plan.eligible) * plan.forms
    if plan.overlap is not None and plan.usage > 1:
        columns += len(plan.eligible) * plan.forms * (plan.forms - 1) // 2
    return "simultaneous" if plan.forms == 1 or columns <= SIMULTANEOUS_LIMIT else "sequential"


def solve(plan: Plan) -> tuple[list[list[str]], list[Outcome]]:
    """Scored item ids of each form (sorted), and how each solve ended (one per form when sequential)."""
    strategy = strategy_for(plan)
    limit = plan.settings.time_limit
    if strategy == "simultaneous":
        m, per_form = _build(plan, list(range(plan.forms)), [], {})
        h, highspy = m.solve(limit)
        outcome = _outcome(h, highspy, strategy, limit)
        return _picked(h, per_form), [outcome] * plan.forms
    forms: list[list[str]] = []
    outcomes: list[Outcome] = []
    used: dict[str, int] = {}
    for f in range(plan.forms):
        m, per_form = _build(plan, [f], forms, used)
        h, highspy = m.solve(limit / plan.forms)
        try:
            outcomes.append(_outcome(h, highspy, strategy, limit / plan.forms))
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
