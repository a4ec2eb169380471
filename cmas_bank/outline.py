"""Content outlines and their blueprints.

An outline is data (`outlines/<name>.yaml`, or any file a user names): work areas with weights
and blueprint item counts, each with lettered sub-areas. Nothing in the code knows the CMAS
areas, so a second outline works with no code change.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from cmas_bank.errors import UsageError
from cmas_bank.outlineref import BUILTIN_DIR, OutlineRef, builtin_outlines, outline_source

__all__ = [
    "BUILTIN_DIR",
    "ExamFacts",
    "Outline",
    "SubArea",
    "WorkArea",
    "builtin_outlines",
    "load_outline",
    "outline_source",
]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class ExamFacts(_Strict):
    """Facts about the delivered exam, kept with the outline for reports."""

    scored_items: int = Field(ge=1)
    delivered_items_min: int | None = Field(default=None, ge=1)
    delivered_items_max: int | None = Field(default=None, ge=1)
    duration_minutes: int | None = Field(default=None, ge=1)
    passing_scaled_score: int | None = None
    notes: str = ""


class SubArea(_Strict):
    code: str = Field(pattern=r"^[0-9]+[A-Z]$", description="Work area number then a letter.")
    name: str = Field(min_length=1)
    topics: list[str] = Field(default_factory=list)


class WorkArea(_Strict):
    number: int = Field(ge=1)
    name: str = Field(min_length=1)
    weight: float = Field(gt=0, le=100, description="Percent of the exam.")
    items: int = Field(ge=0, description="Items on one blueprint form.")
    subareas: list[SubArea] = Field(min_length=1)

    @model_validator(mode="after")
    def _subareas_belong(self) -> WorkArea:
        for sub in self.subareas:
            if sub.code[:-1] != str(self.number):
                raise ValueError(f"sub-area {sub.code} does not belong to work area {self.number}")
        codes = [s.code for s in self.subareas]
        if len(set(codes)) != len(codes):
            raise ValueError(f"work area {self.number} repeats a sub-area code")
        return self


class Outline(_Strict):
    """A versioned content outline: work areas, sub-areas and the blueprint of one form."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    title: str
    version: str
    provenance: Literal["official", "reconstructed"]
    exam: ExamFacts
    blueprint_items: int = Field(ge=1)
    work_areas: list[WorkArea] = Field(min_length=1)

    @model_validator(mode="after")
    def _blueprint_adds_up(self) -> Outline:
        numbers = [a.number for a in self.work_areas]
        if len(set(numbers)) != len(numbers):
            raise ValueError("work area numbers repeat")
        total = sum(a.items for a in self.work_areas)
        if total != self.blueprint_items:
            raise ValueError(f"work area item counts add up to {total}, not blueprint_items {self.blueprint_items}")
        weight = sum(a.weight for a in self.work_areas)
        if abs(weight - 100) > 0.5:
            raise ValueError(f"work area weights add up to {weight:g}%, not 100%")
        return self

    # Where the outline was read from, and the line and column of each work area's `items:` and
    # each sub-area's `code:` there, so coverage findings point at the blueprint they miss.
    # Private: not fields, so not in the schema, the JSON dump or a cache key.
    _source: Path | None = PrivateAttr(default=None)
    _positions: dict[tuple[str, int | str], tuple[int, int]] = PrivateAttr(default_factory=dict)

    @property
    def source(self) -> Path | None:
        return self._source

    def position(self, area: int, subarea: str | None = None) -> tuple[int, int] | None:
        """(line, column) of work area `area`'s item count, or of sub-area `subarea`'s code, in
        the file the outline was loaded from; None when it was not loaded from a file."""
        return self._positions.get(("subarea", subarea) if subarea else ("area", area))

    @cached_property
    def areas(self) -> dict[int, WorkArea]:
        return {a.number: a for a in self.work_areas}

    @cached_property
    def subarea_area(self) -> dict[str, int]:
        """Sub-area code -> the number of the work area it belongs to."""
        return {s.code: a.number for a in self.work_areas for s in a.subareas}

    def target(self, area: int, multiplier: float = 1.0) -> int:
        """Items a bank needs in `area` to fill `multiplier` forms (rounded up)."""
        import math

        return math.ceil(self.areas[area].items * multiplier - 1e-9)


def load_outline(name_or_path: str, base: Path | None = None) -> Outline:
    """Load and validate an outline; any flaw is a UsageError naming file, line and field."""
    from cmas_bank.loader import load_file, position_of

    path = outline_source(name_or_path, base)
    loaded = load_file(path)
    if loaded.diagnostics:
        d = loaded.diagnostics[0]
        raise UsageError(f"{path}:{d.line}:{d.column}: outline: {d.message}")
    try:
        outline = Outline.model_validate(loaded.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        line, col = position_of(loaded, tuple(err["loc"]))
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise UsageError(f"{path}:{line}:{col}: outline: {where}: {err['msg']}") from None
    outline._source = path
    for i, area in enumerate(outline.work_areas):
        outline._positions[("area", area.number)] = position_of(loaded, ("work_areas", i, "items"))
        for j, sub in enumerate(area.subareas):
            outline._positions[("subarea", sub.code)] = position_of(loaded, ("work_areas", i, "subareas", j, "code"))
    return outline


def read(outline: Outline | OutlineRef) -> Outline:
    """The outline itself: as given, or read from the file a reference names."""
    return load_outline(str(outline.source)) if isinstance(outline, OutlineRef) else outline
