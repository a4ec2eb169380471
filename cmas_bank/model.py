"""Pydantic models of a bank item: the single source of truth for the item format.

`schemas/item.schema.json` is generated from `Item` (`cmas-bank schema`) and a test keeps the two
in sync. The model holds everything a JSON Schema can say about one item; checks that need the
outline or other items (sub-area belongs to work area, unique ids, reviewer is not an author) live
in `validate.py`.

The model is strict (no coercion of "5" to 5) so that it accepts exactly what the JSON Schema
accepts; dates are the one exception, because YAML and JSON carry them as ISO strings.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

OPTION_KEYS = ("A", "B", "C", "D")

ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$"
RULE_CODE_PATTERN = r"^[A-Z]{2}[0-9]{3}$"

Difficulty = Literal["easy", "medium", "hard"]
CognitiveLevel = Literal["recall", "application", "analysis"]
Status = Literal["draft", "review", "approved", "retired"]
Verdict = Literal["approved", "changes-requested", "rejected"]
OptionKey = Literal["A", "B", "C", "D"]

NonEmptyText = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
ItemId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Date = Annotated[dt.date, Field(strict=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Options(_Strict):
    """Exactly four answer options, keyed A to D."""

    A: NonEmptyText
    B: NonEmptyText
    C: NonEmptyText
    D: NonEmptyText

    def as_dict(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in OPTION_KEYS}


DIGEST_PARTS: tuple[str, ...] = ("stem", "options", "answer", "rationale", "references")
"""The parts of an item a review vouches for, in the order its digest line lists them
(`cmas_bank.digest` makes and compares digests)."""
DIGEST_HEX_DIGITS = 8
DIGEST_PATTERN = "^" + " ".join(f"{part}:[0-9a-f]{{{DIGEST_HEX_DIGITS}}}" for part in DIGEST_PARTS) + "$"
"""What a review's `digest` must look like (the model and the JSON Schema enforce it)."""


class Review(_Strict):
    """One review of the item: who read it, when, and what they decided."""

    reviewer: NonEmptyText
    date: Date
    verdict: Verdict
    notes: str = ""
    digest: Annotated[str, StringConstraints(pattern=DIGEST_PATTERN)] | None = Field(
        default=None,
        description="What the review saw: a short sha256 of the stem, options, answer, rationale and references, "
        "each after normalising spaces and quotes (written by `cmas-bank review`).",
    )


class Item(_Strict):
    """One multiple-choice question, as kept in `bank/<area folder>/<id>.yaml`."""

    id: ItemId = Field(description="Stable id, unique in the bank; the file is named <id>.yaml.")
    domain: int = Field(ge=1, description="Work area number in the outline (1-8 for CMAS 2020).")
    subdomain: Annotated[str, StringConstraints(pattern=r"^[0-9]+[A-Z]$")] = Field(
        description="Sub-area code of the outline, e.g. 4C; must belong to the work area."
    )
    status: Status = Field(description="draft -> review -> approved; retired items stay for history.")
    difficulty: Difficulty
    cognitive_level: CognitiveLevel
    stem: NonEmptyText = Field(description="Optional short scenario, then the lead-in question.")
    options: Options
    answer: OptionKey = Field(description="Key of the single best answer.")
    rationale: NonEmptyText = Field(description="Why the key is right and why each distractor is wrong.")
    references: list[NonEmptyText] = Field(
        default_factory=list,
        description="Regulations, code-set guidelines or texts a reviewer can check; at least one on an approved item.",
    )
    authors: list[NonEmptyText] = Field(min_length=1)
    reviews: list[Review] = Field(
        default_factory=list,
        description="Review record; an approved item needs an approving review by a non-author.",
    )
    tags: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]] = Field(default_factory=list)
    enemies: list[ItemId] = Field(
        default_factory=list,
        description="Ids that must never share a form with this item (acknowledged variants).",
    )
    suppress: dict[Annotated[str, StringConstraints(pattern=RULE_CODE_PATTERN)], NonEmptyText] = Field(
        default_factory=dict,
        description="Lint rules silenced for this item: rule code -> the reason.",
    )
    created: Date
    updated: Date


FIELD_NAMES: tuple[str, ...] = tuple(Item.model_fields)
