"""`[tool.cmas-bank.assemble]` and the command line's options, as one validated model.

Every setting is checked by a strict pydantic model; a bad value is a usage error that names the
setting (`[tool.cmas-bank.assemble] forms: ...`) or the option (`--forms: ...`). Options given on
the command line replace the config's values.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from cmas_bank.config import Config
from cmas_bank.errors import UsageError

Level = Literal["easy", "medium", "hard"]
Cognitive = Literal["recall", "application", "analysis"]
Kind = Literal["length", "area", "subarea", "key", "difficulty", "cognitive"]
StatusName = Literal["draft", "review", "approved", "retired"]

# Settings a command-line option replaces, with the option's name (for error messages).
OPTIONS = {
    "forms": "--forms",
    "seed": "--seed",
    "max_overlap": "--max-overlap",
    "max_usage": "--max-usage",
    "pretest": "--pretest",
    "out": "--out",
    "time_limit": "--time-limit",
    "strategy": "--strategy",
    "order": "--order",
}


class _Strict(BaseModel):
    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, alias_generator=lambda name: name.replace("_", "-")
    )


class Bound(_Strict):
    """A fraction of the scored items: [low, high], each between 0 and 1."""

    low: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)


class ConstraintRow(_Strict):
    """One row of the constraint table: items per form of `kind` (and `scope`) between min and max.
    A row replaces the default row of the same kind and scope."""

    kind: Kind
    scope: str = Field(default="", description="Work area number, sub-area code, key letter or level.")
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _has_a_bound(self) -> ConstraintRow:
        if self.min is None and self.max is None:
            raise ValueError("a constraint needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class PValueTarget(_Strict):
    """A target on each form's mean p-value (over its scored items that have one in the stats file)."""

    target: float | Literal["parallel"] = Field(
        description="The mean p-value every form meets, or `parallel`: the forms' means within the tolerance "
        "of each other."
    )
    tolerance: float = Field(default=0.02, gt=0, le=1)

    @model_validator(mode="after")
    def _a_share(self) -> PValueTarget:
        if self.target != "parallel" and not 0 <= self.target <= 1:
            raise ValueError(f"target must be a p-value between 0 and 1 or 'parallel', not {self.target}")
        return self


class InformationTarget(_Strict):
    """A target on each form's Rasch test information at the cut score `theta`."""

    theta: float = Field(ge=-10, le=10, description="The cut score, in logits on the stats file's Rasch scale.")
    target: float | Literal["parallel"] | None = Field(
        default=None,
        description="The information every form meets, `parallel` (the forms within the tolerance of each other) "
        "or none (only reported in the audit).",
    )
    tolerance: float = Field(default=1.0, gt=0)

    @model_validator(mode="after")
    def _positive(self) -> InformationTarget:
        if isinstance(self.target, float) and self.target < 0:
            raise ValueError(f"target must be an information (0 or more) or 'parallel', not {self.target}")
        return self


class AssembleSettings(_Strict):
    """What `cmas-bank assemble` builds; the README's `assemble` section documents each setting."""

    forms: int = Field(default=1, ge=1, le=100)
    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    max_overlap: int | None = Field(default=None, ge=0, description="Items any two forms may share (none: no limit).")
    max_usage: int | None = Field(default=None, ge=1, description="Forms one item may be on (none: no limit).")
    pretest: int | None = Field(default=None, ge=0, description="Unscored slots (none: from the outline's exam facts).")
    out: str | None = None
    statuses: tuple[StatusName, ...] = Field(default=("approved",), min_length=1)
    pretest_statuses: tuple[StatusName, ...] = Field(default=("review",), min_length=1)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    key_balance: tuple[float, float] = (0.2, 0.3)
    mix_tolerance: float = Field(default=0.05, ge=0, le=1)
    difficulty: dict[Level, tuple[float, float]] = Field(default_factory=dict)
    cognitive: dict[Cognitive, tuple[float, float]] = Field(default_factory=dict)
    subarea_min: int | None = Field(default=None, ge=0, description="none: 1 where the bank allows.")
    constraints: tuple[ConstraintRow, ...] = ()
    time_limit: float = Field(default=60.0, gt=0, le=86400)
    strategy: Literal["auto", "simultaneous", "sequential"] = "auto"
    order: Literal["area", "shuffle"] = "area"
    prefix: str = Field(default="FORM", pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")
    stats: str | None = Field(default=None, description="Stats file (`analyze --out`); none: the newest in stats/.")
    p_value: PValueTarget | None = None
    information: InformationTarget | None = None
    without_stats: Literal["ignore", "exclude"] = Field(
        default="ignore",
        description="Items without the statistic a target needs: ignore (left out of the mean, no information) "
        "or exclude (not scored).",
    )
    form_files: str | tuple[str, ...] | None = Field(
        default=None, description="Form files or folders `check` and `report` judge (none: the `out` folder)."
    )

    @model_validator(mode="after")
    def _fractions(self) -> AssembleSettings:
        ranges = {"key-balance": self.key_balance}
        ranges |= {f"difficulty.{k}": v for k, v in self.difficulty.items()}
        ranges |= {f"cognitive.{k}": v for k, v in self.cognitive.items()}
        for name, (low, high) in ranges.items():
            if not 0 <= low <= high <= 1:
                raise ValueError(
                    f"{name} must be [low, high] fractions with 0 <= low <= high <= 1, not [{low}, {high}]"
                )
        both = set(self.include) & set(self.exclude)
        if both:
            raise ValueError(f"{', '.join(sorted(both))} is both included and excluded")
        return self


def _describe(exc: ValidationError, where: str, source: str) -> str:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    name = OPTIONS.get(loc[0].replace("-", "_")) if loc and source == "option" else None
    field = name or ".".join(loc) or "(table)"
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        from cmas_bank.config import suggest

        names = [f.alias or n for n, f in AssembleSettings.model_fields.items()]
        msg = "unknown setting" + suggest(loc[-1], names)
    return f"{where}{field}: {msg}"


def load_settings(config: Config, options: dict[str, Any] | None = None) -> AssembleSettings:
    """The config's `[tool.cmas-bank.assemble]` with the command line's options (those not None) on top."""
    table = config.section("assemble")
    where = f"{config.source}: [tool.cmas-bank.assemble] "
    try:
        settings = AssembleSettings.model_validate(_lists_to_tuples(table))
    except ValidationError as exc:
        raise UsageError(_describe(exc, where, "config")) from None
    given = {k: v for k, v in (options or {}).items() if v is not None}
    if not given:
        return settings
    merged = settings.model_dump(by_alias=True, exclude_unset=True) | {k.replace("_", "-"): v for k, v in given.items()}
    try:
        return AssembleSettings.model_validate(_lists_to_tuples(merged))
    except ValidationError as exc:
        raise UsageError(_describe(exc, "", "option")) from None


def _lists_to_tuples(value: Any) -> Any:
    """TOML gives lists; the model keeps tuples (hashable, frozen) and is strict about it."""
    if isinstance(value, list):
        return tuple(_lists_to_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _lists_to_tuples(v) for k, v in value.items()}
    return value


def default_pretest(exam_max: int | None, scored: int) -> int:
    """Unscored slots the outline's exam facts leave: delivered maximum minus scored items."""
    return max(0, (exam_max or scored) - scored)
