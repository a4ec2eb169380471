"""`cmas-bank assemble`: exam forms from the bank by 0-1 integer programming (HiGHS).

- `settings`: `[tool.cmas-bank.assemble]` and the command line's options, validated.
- `pool`: the valid items read through the engine, enemies and duplicate clusters.
- `constraints`: the constraint table as data, and infeasibility explained by supply counts.
- `solver`: the model and HiGHS (the only module that imports highspy).
- `forms` and `model`: pretest slots, delivery order, the audit table, the form file.
- `formcheck`: a form checked against the bank as it is now (IF codes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmas_bank.assemble.constraints import Plan
    from cmas_bank.assemble.itemstats import ItemStats
    from cmas_bank.assemble.model import FormFile
    from cmas_bank.assemble.pool import Pool
    from cmas_bank.assemble.settings import AssembleSettings
    from cmas_bank.outline import Outline


class Infeasible(Exception):
    """The request cannot be met; `reasons` say why in the bank's terms."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class Assembled:
    plan: Plan
    forms: list[FormFile]


def assemble(settings: AssembleSettings, outline: Outline, pool: Pool, stats: ItemStats | None = None) -> Assembled:
    """Forms for `settings` from `pool` (with `stats`, the item statistics for the statistical
    targets); raises Infeasible (before solving when a supply count shows it) and UsageError for
    settings that name nothing in the bank or a target without statistics."""
    from cmas_bank.assemble.constraints import explain, make_plan
    from cmas_bank.assemble.forms import build_forms
    from cmas_bank.assemble.solver import NoSolution, solve

    plan = make_plan(settings, outline, pool, stats)
    reasons = explain(plan)
    if reasons:
        raise Infeasible(reasons)
    try:
        scored, outcomes = solve(plan)
    except NoSolution as exc:
        raise Infeasible([str(exc), *_hints(plan, exc.proven)]) from None
    return Assembled(plan, build_forms(plan, scored, outcomes))


# Constraint families a proven-infeasible request is tried without, to say which one blocks it.
FAMILIES = (
    ((), "enemies and duplicates block it: the forms exist if they may share a form; add items or resolve them"),
    (("key",), "the key balance blocks it: the forms exist without it; widen key-balance or add items keyed otherwise"),
    (("difficulty",), "the difficulty mix blocks it: the forms exist without it; widen difficulty or mix-tolerance"),
    (("cognitive",), "the cognitive mix blocks it: the forms exist without it; widen cognitive or mix-tolerance"),
    (("subarea",), "the sub-area minimums block it: the forms exist without them; lower subarea-min"),
    (("p-value",), "the p-value target blocks it: the forms exist without it; widen its tolerance or move it"),
    (("information",), "the information target blocks it: the forms exist without it; widen its tolerance or move it"),
)


def _hints(plan: Plan, proven: bool) -> list[str]:
    """Which single constraint family, left out, lets the solver find the forms (a short solve each)."""
    from dataclasses import replace

    from cmas_bank.assemble.pool import Pool
    from cmas_bank.assemble.solver import NoSolution, solve

    if not proven:
        return []
    settings = plan.settings.model_copy(update={"time_limit": min(10.0, plan.settings.time_limit)})
    found = []
    for kinds, message in FAMILIES:
        if not kinds and not plan.pool.groups:
            continue
        pool = plan.pool if kinds else Pool(items=plan.pool.items, groups=[], invalid=plan.pool.invalid)
        rows = [r for r in plan.rows if r.kind not in kinds]
        targets = [t for t in plan.targets if t.kind not in kinds or t.mode == "audit"]
        if len(rows) == len(plan.rows) and len(targets) == len(plan.targets) and kinds:
            continue  # the family is not in this plan
        trial = replace(plan, settings=settings, pool=pool, rows=rows, targets=targets)
        try:
            solve(trial)
        except NoSolution:
            continue
        found.append(message)
    return found or ["no single constraint family is to blame: relax several, or add items"]


def write(assembled: Assembled, out: Path) -> list[tuple[Path, bool]]:
    from cmas_bank.assemble.forms import write_forms

    return write_forms(assembled.forms, out)
