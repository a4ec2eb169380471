"""Statistical targets of `assemble`: each form's mean p-value and its Rasch test information at the
cut score, as linear constraints of the 0-1 programme, with their audit rows and the supply
counts that show a target cannot be met.

With x[f, i] the 0-1 choice of item i on form f, S the eligible items with the statistic, p_i an
item's p-value and I_i its information at the cut score (`itemstats.information`):

- **mean p-value = t +/- d**: the mean over the form's items in S is at most t + d and at least
  t - d, which is linear even though the number of items in S on the form is not fixed:
  sum_S (p_i - t - d) x[f, i] <= 0 and sum_S (p_i - t + d) x[f, i] >= 0, with at least one item
  of S on the form (else the mean is undefined).
- **mean p-value parallel +/- d**: every form holds the same number N of items of S (a column
  of the model), and the forms' sums P_f = sum_S p_i x[f, i] lie between two columns `bottom` and
  `top` with top - bottom <= d N; so any two forms' means differ by at most d.
- **information = t +/- d**: t - d <= sum_S I_i x[f, i] <= t + d.
- **information parallel +/- d**: the forms' information between `bottom` and `top`, top - bottom <= d.

Built one form at a time (`sequential`), a parallel target holds the new form to the forms built
before it (their sums are constants: `top` starts at the highest, `bottom` at the lowest, and N
is the count of the first form).

Items without the statistic a target needs follow `without-stats`: `ignore` leaves them out of
the mean (the mean is over the items that have a p-value) and counts no information for them
(the information is then a lower bound), `exclude` keeps them off the scored items.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from cmas_bank.assemble.itemstats import ItemStats, information
from cmas_bank.assemble.model import AuditRow
from cmas_bank.errors import UsageError

if TYPE_CHECKING:
    from cmas_bank.assemble.pool import PoolItem
    from cmas_bank.assemble.settings import AssembleSettings


class _Model(Protocol):
    """What the targets add to the solver's model (`solver._Model`): columns and rows."""

    def column(self, cost: float, lower: float, upper: float, integer: bool) -> int: ...

    def row(self, low: float, high: float, cols: list[int], coefs: list[float] | None = None) -> None: ...


INF = float("inf")
EPS = 1e-6  # the audit's slack for the solver's feasibility tolerance


@dataclass(frozen=True)
class Target:
    """One statistical target: `kind` p-value (a mean) or information (a sum) over `coef`."""

    kind: str  # "p-value" or "information"
    mode: str  # "value", "parallel" or "audit" (only reported)
    value: float | None
    tolerance: float
    coef: dict[str, float]  # eligible item id -> p-value, or information at theta
    source: str
    theta: float | None = None

    @property
    def statistic(self) -> str:
        return "a p-value" if self.kind == "p-value" else "a Rasch difficulty"

    @property
    def label(self) -> str:
        return "the mean p-value" if self.kind == "p-value" else f"the information at theta {self.theta:g}"

    @property
    def target(self) -> str:
        if self.mode == "value":
            return f"{self.value:g} +/- {self.tolerance:g}"
        return f"parallel +/- {self.tolerance:g}" if self.mode == "parallel" else "any"

    def of(self, ids: Sequence[str]) -> tuple[float | None, int]:
        """The form's mean p-value (or information) over `ids`, and how many of them have the statistic."""
        values = [self.coef[i] for i in ids if i in self.coef]
        if self.kind == "information":
            return math.fsum(values), len(values)
        return (math.fsum(values) / len(values) if values else None), len(values)


def _mode(target: float | str | None) -> str:
    return "parallel" if target == "parallel" else "audit" if target is None else "value"


def needed_statistics(settings: AssembleSettings) -> dict[str, str]:
    """The targets that bind (not audit-only): kind -> what the setting is called."""
    out = {}
    if settings.p_value is not None:
        out["p-value"] = "p-value"
    if settings.information is not None and settings.information.target is not None:
        out["information"] = "information"
    return out


def usable(settings: AssembleSettings, stats: ItemStats | None, item: PoolItem) -> bool:
    """Whether an eligible item may be scored under `without-stats` (exclude: only with every
    statistic a binding target needs)."""
    if stats is None or settings.without_stats == "ignore":
        return True
    needs = needed_statistics(settings)
    return ("p-value" not in needs or item.id in stats.p) and (
        "information" not in needs or item.id in stats.difficulty
    )


def make_targets(settings: AssembleSettings, stats: ItemStats | None, eligible: list[PoolItem]) -> list[Target]:
    """The targets of a run: those set, and audit-only rows for what the stats file can say."""
    needs = needed_statistics(settings)
    if stats is None:
        if needs:
            name = " and ".join(sorted(needs))
            raise UsageError(
                f"[tool.cmas-bank.assemble] {name}: a statistical target needs a stats file: give --stats FILE, "
                "stats = FILE, or write one into stats/ with `cmas-bank analyze RESPONSES --out stats/NAME.yaml`"
            )
        return []
    ids = {p.id for p in eligible}
    pv = settings.p_value
    targets = [
        Target(
            kind="p-value",
            mode=_mode(pv.target if pv is not None else None),
            value=pv.target if pv is not None and pv.target != "parallel" else None,
            tolerance=pv.tolerance if pv is not None else 0.0,
            coef={i: v for i, v in stats.p.items() if i in ids},
            source=stats.source,
        )
    ]
    info = settings.information
    if info is not None:
        targets.append(
            Target(
                kind="information",
                mode=_mode(info.target),
                value=info.target if isinstance(info.target, float) else None,
                tolerance=info.tolerance,
                coef={i: information(b, info.theta) for i, b in stats.difficulty.items() if i in ids},
                source=stats.source,
                theta=info.theta,
            )
        )
    return targets


# --- the model -----------------------------------------------------------------------------------


def _row(m: _Model, low: float, high: float, cols: list[int], coefs: list[float]) -> None:
    """A row that binds even over no items (a column fixed at 0 stands in for them)."""
    if not cols:
        cols, coefs = [m.column(0, 0, 0, False)], [1.0]
    m.row(low, high, cols, coefs)


def _value_rows(m: _Model, t: Target, cols: dict[str, int]) -> None:
    ids = [i for i in t.coef if i in cols]
    where = [cols[i] for i in ids]
    value = t.value or 0.0
    if t.kind == "p-value":
        _row(m, -INF, 0.0, where, [t.coef[i] - value - t.tolerance for i in ids])
        _row(m, 0.0, INF, where, [t.coef[i] - value + t.tolerance for i in ids])
        _row(m, 1.0, INF, where, [1.0] * len(ids))
    else:
        _row(m, value - t.tolerance, value + t.tolerance, where, [t.coef[i] for i in ids])


def _parallel_rows(m: _Model, t: Target, per_form: list[dict[str, int]], earlier: list[list[str]]) -> None:
    sums = [math.fsum(t.coef.get(i, 0.0) for i in ids) for ids in earlier]
    top = m.column(0, max(sums) if sums else -INF, INF, False)
    bottom = m.column(0, -INF, min(sums) if sums else INF, False)
    n = -1
    if t.kind == "p-value":
        count = float(sum(1 for i in earlier[0] if i in t.coef)) if earlier else None
        n = m.column(0, count if count is not None else 1.0, count if count is not None else INF, False)
        m.row(-INF, 0.0, [top, bottom, n], [1.0, -1.0, -t.tolerance])
    else:
        m.row(-INF, t.tolerance, [top, bottom], [1.0, -1.0])
    for cols in per_form:
        ids = [i for i in t.coef if i in cols]
        where, values = [cols[i] for i in ids], [t.coef[i] for i in ids]
        m.row(-INF, 0.0, [*where, top], [*values, -1.0])
        m.row(0.0, INF, [*where, bottom], [*values, -1.0])
        if n >= 0:
            m.row(0.0, 0.0, [*where, n], [1.0] * len(where) + [-1.0])


def add_rows(m: _Model, targets: list[Target], per_form: list[dict[str, int]], earlier: list[list[str]]) -> None:
    """The rows of every binding target over the forms being built (`earlier`: forms built before)."""
    for t in targets:
        if t.mode == "value":
            for cols in per_form:
                _value_rows(m, t, cols)
        elif t.mode == "parallel":
            _parallel_rows(m, t, per_form, earlier)


# --- audit ---------------------------------------------------------------------------------------


def _met(t: Target, f: int, results: list[tuple[float | None, int]]) -> tuple[bool, float]:
    """Whether form f meets the target, and the widest gap to another form (parallel)."""
    mine, count = results[f]
    if t.mode == "audit":
        return True, 0.0
    if mine is None:
        return False, 0.0
    if t.mode == "value":
        return abs(mine - (t.value or 0.0)) <= t.tolerance + EPS, 0.0
    others = [r for g, r in enumerate(results) if g != f]
    gap = max((abs(mine - v) if v is not None else INF for v, _ in others), default=0.0)
    same_count = t.kind != "p-value" or all(n == count for _, n in others)
    return gap <= t.tolerance + EPS and same_count, gap


def audit_rows(targets: list[Target], f: int, scored: list[list[str]]) -> list[AuditRow]:
    """Achieved vs. target for each statistical target on form f."""
    rows = []
    for t in targets:
        results = [t.of(ids) for ids in scored]
        value, count = results[f]
        met, gap = _met(t, f, results)
        note = f"{count} of {len(scored[f])} scored items have {t.statistic} in {t.source}"
        if count < len(scored[f]):
            note += "; the others are left out of the mean" if t.kind == "p-value" else "; the others add nothing"
        if t.mode == "parallel" and len(scored) > 1:
            note += f"; widest gap to another form {gap:.4f}"
        scope = "mean" if t.kind == "p-value" else f"theta {t.theta:g}"
        achieved = round(value, 4) if value is not None else 0
        rows.append(AuditRow(constraint=t.kind, scope=scope, target=t.target, achieved=achieved, met=met, note=note))
    return rows


# --- supply counts -------------------------------------------------------------------------------


def _p_problems(t: Target, length: int, without: int) -> list[str]:
    values = sorted(t.coef.values())
    fewest = max(1, length - without)  # items of S a form must hold
    if fewest > len(values):
        return []  # the length row's supply count says so already
    low, high = math.fsum(values[:fewest]) / fewest, math.fsum(values[-fewest:]) / fewest
    value = t.value or 0.0
    problems = []
    if value - t.tolerance > high + EPS:
        problems.append(
            f"a form's mean p-value can be at most {high:.4f} (the mean of the {fewest} easiest eligible item(s) with a "
            f"p-value); the target {t.target} asks at least {value - t.tolerance:.4f}"
        )
    if value + t.tolerance < low - EPS:
        problems.append(
            f"a form's mean p-value is at least {low:.4f} (the mean of the {fewest} hardest eligible item(s) with a p-value); "
            f"the target {t.target} asks at most {value + t.tolerance:.4f}"
        )
    return problems


def _info_problems(t: Target, length: int, without: int) -> list[str]:
    values = sorted(t.coef.values())
    most = math.fsum(values[-length:])
    fewest = max(0, length - without)
    least = math.fsum(values[:fewest])
    value = t.value or 0.0
    problems = []
    if value - t.tolerance > most + EPS:
        problems.append(
            f"{t.label} can be at most {most:.4f} (the {min(length, len(values))} most informative eligible "
            f"items there); the target {t.target} asks at least {value - t.tolerance:.4f}"
        )
    if value + t.tolerance < least - EPS:
        problems.append(
            f"{t.label} is at least {least:.4f} (the {fewest} least informative eligible items there); "
            f"the target {t.target} asks at most {value + t.tolerance:.4f}"
        )
    return problems


def explain_targets(
    targets: list[Target], eligible: list[PoolItem], length: int, include: Sequence[str], excluding: bool
) -> list[str]:
    """Why the statistical targets cannot be met by forms of `length` scored items from `eligible`,
    seen from the supply before solving (empty: not seen). `excluding`: without-stats = exclude."""
    problems = []
    for t in targets:
        if t.mode == "audit":
            continue
        if not t.coef:
            problems.append(
                f"{t.label} has a target, but no eligible item has {t.statistic} in {t.source}: "
                "analyze responses to these items first, or drop the target"
            )
            continue
        without = sum(1 for p in eligible if p.id not in t.coef)
        if t.mode == "value":
            problems += (_p_problems if t.kind == "p-value" else _info_problems)(t, length, without)
    if targets and excluding:
        ids = {p.id for p in eligible}
        for item_id in include:
            if item_id not in ids:
                problems.append(
                    f"included item {item_id} lacks a statistic a target needs in {targets[0].source}, "
                    "and without-stats = exclude keeps such items off the forms"
                )
    return problems
