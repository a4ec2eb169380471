"""The form file: one YAML file per assembled form (`schemas/form.schema.json` is generated from
`FormFile`, and a test keeps the two in sync)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cmas_bank.model import ID_PATTERN


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class FormSettings(_Strict):
    """The settings the form was built with (what `assemble --check` judges it by)."""

    forms: int = Field(ge=1, description="Forms built in the same run.")
    statuses: list[str] = Field(min_length=1, description="Statuses an item must have to be scored.")
    pretest_statuses: list[str] = Field(description="Statuses an unscored pretest item may have.")
    max_usage: int = Field(ge=1, description="Forms of the run one item may be on.")
    max_overlap: int | None = Field(ge=0, description="Items two forms of the run may share (null: no limit).")
    pretest: int = Field(ge=0, description="Pretest slots asked for.")
    order: Literal["area", "shuffle"]
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)


class SolverInfo(_Strict):
    """How the solver ended: HiGHS's own model status and gap, not a status string alone."""

    name: Literal["highs"]
    version: str
    strategy: Literal["simultaneous", "sequential"] = Field(
        description="simultaneous: every form in one model; sequential: each form optimal given the ones before it."
    )
    time_limit: float = Field(
        gt=0,
        description="Seconds the solve could take; sequential: the run's time limit, which the forms share in turn "
        "(each may take what the forms before it left, divided by the forms still to build).",
    )
    model_status: str = Field(description="HiGHS's model status, as HiGHS names it.")
    mip_gap: float = Field(ge=0, description="Relative gap between the solution and HiGHS's bound (0: proven).")
    objective: float
    bound: float


class FormEntry(_Strict):
    """One delivered item, in delivery order."""

    id: str = Field(pattern=ID_PATTERN)
    area: int = Field(ge=1)
    subarea: str = Field(pattern=r"^[0-9]+[A-Z]$")
    scored: bool = Field(description="false: an unscored pretest item.")


class AuditRow(_Strict):
    """One constraint: its target and what the form achieved."""

    constraint: str
    scope: str
    target: str
    achieved: int | float = Field(description="A count; for p-value and information targets a mean or a sum.")
    met: bool
    note: str = ""


class FormFile(_Strict):
    """An assembled exam form: its items in delivery order and the audit of every constraint."""

    form: str = Field(pattern=ID_PATTERN, description="Form id, e.g. FORM-01.")
    outline: str = Field(description="Id of the content outline whose blueprint the form meets.")
    seed: int = Field(ge=0)
    status: Literal["optimal", "best-found"] = Field(
        description="optimal: HiGHS proved the solution optimal (status Optimal, gap within tolerance); "
        "best-found: the best solution found within the time limit."
    )
    settings: FormSettings
    solver: SolverInfo
    scored: int = Field(ge=0)
    pretest: int = Field(ge=0)
    items: list[FormEntry] = Field(min_length=1)
    audit: list[AuditRow]
