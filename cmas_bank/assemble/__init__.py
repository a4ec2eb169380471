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


def assemble(settings: AssembleSettings, outline: Outline, pool: Pool) -> Assembled:
    """Forms for `settings` from `pool`; raises Infeasible (before solving when a supply count
    shows it) and UsageError for settings that name nothing in the bank."""
    from cmas_bank.assemble.constraints import explain, make_plan
    from cmas_bank.assemble.forms import build_forms
    from cmas_bank.assemble.solver import NoSolution, solve

    plan = make_plan(settings, outline, pool)
    reasons = explain(plan)
    if reasons:
        raise Infeasible(reasons)
    try:
        scored, outcomes = solve(plan)
    except NoSolution as exc:
        raise Infeasible([str(exc), *_hints(plan)]) from None
    return Assembled(plan, build_forms(plan, scored, outcomes))


def _hints(plan: Plan) -> list[str]:
    groups = len(plan.pool.groups)
    hints = []
    if groups:
        hints.append(f"{groups} enemy pair(s) or duplicate cluster(s) limit which items may share a form")
    hints.append("each supply count suffices on its own: relax a mix, the key balance, --max-overlap or --max-usage")
    return hints


def write(assembled: Assembled, out: Path) -> list[tuple[Path, bool]]:
    from cmas_bank.assemble.forms import write_forms

    return write_forms(assembled.forms, out)
