"""`[tool.cmas-bank.analyze]`: the thresholds the item flags use, checked when read.

[tool.cmas-bank.analyze]
min-candidates = 30         # fewer candidates in a form: no statistics, no flags (IA301)
min-candidates-rasch = 100  # fewer: no Rasch calibration (IA301)
min-p = 0.25                # p-value below: too hard (IA205)
max-p = 0.95                # p-value above: too easy (IA204)
min-discrimination = 0.15   # corrected point-biserial below: low discrimination (IA203)
min-distractor-share = 0.05 # a distractor chosen by fewer: dead distractor (IA206)
miskey-margin = 0.0         # a distractor's option-rest correlation above the key's by more: miskey (IA201)
group-fraction = 0.27       # the upper and lower groups of the discrimination index
min-fit = 0.7               # infit or outfit mean square outside min-fit..max-fit: misfit (IA207)
max-fit = 1.3
two-pl = false              # also estimate 2PL discriminations and difficulties (twopl.py); slower
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from cmas_bank.config import Config, suggest
from cmas_bank.errors import UsageError


@dataclass(frozen=True)
class AnalyzeSettings:
    min_candidates: int = 30
    min_candidates_rasch: int = 100
    min_p: float = 0.25
    max_p: float = 0.95
    min_discrimination: float = 0.15
    min_distractor_share: float = 0.05
    miskey_margin: float = 0.0
    group_fraction: float = 0.27
    min_fit: float = 0.7
    max_fit: float = 1.3
    two_pl: bool = False


NAMES = {f.name.replace("_", "-"): f.name for f in fields(AnalyzeSettings)}
# (lowest, highest) each setting may take
RANGES: dict[str, tuple[float, float]] = {
    "min_candidates": (2, 10**9),
    "min_candidates_rasch": (2, 10**9),
    "min_p": (0.0, 1.0),
    "max_p": (0.0, 1.0),
    "min_discrimination": (-1.0, 1.0),
    "min_distractor_share": (0.0, 1.0),
    "miskey_margin": (0.0, 2.0),
    "group_fraction": (0.05, 0.5),
    "min_fit": (0.0, 10.0),
    "max_fit": (0.0, 10.0),
}


def _value(where: str, key: str, attr: str, value: Any) -> float | int | bool:
    if attr == "two_pl":
        if not isinstance(value, bool):
            raise UsageError(f"{where} {key} must be true or false, not {value!r}")
        return value
    integer = attr.startswith("min_candidates")
    if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
        kind = "a whole number" if integer else "a number"
        raise UsageError(f"{where} {key} must be {kind}, not {value!r}")
    low, high = RANGES[attr]
    if not low <= value <= high:
        raise UsageError(f"{where} {key} must be between {low:g} and {high:g}, not {value!r}")
    return value


def settings_from_config(config: Config) -> AnalyzeSettings:
    """The settings of `[tool.cmas-bank.analyze]`; an unknown key, a wrong type or a value out of
    range is a usage error that names the setting."""
    section = config.section("analyze")
    where = f"{config.source}: [tool.cmas-bank.analyze]"
    values: dict[str, Any] = {}
    for key, value in section.items():
        attr = NAMES.get(key)
        if attr is None:
            raise UsageError(f"{where} unknown setting {key!r}{suggest(key, list(NAMES))}")
        values[attr] = _value(where, key, attr, value)
    settings = AnalyzeSettings(**values)
    if settings.min_p >= settings.max_p:
        raise UsageError(f"{where} min-p ({settings.min_p:g}) must be below max-p ({settings.max_p:g})")
    if settings.min_fit >= settings.max_fit:
        raise UsageError(f"{where} min-fit ({settings.min_fit:g}) must be below max-fit ({settings.max_fit:g})")
    return settings
