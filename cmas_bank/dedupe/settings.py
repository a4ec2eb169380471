"""`[tool.cmas-bank.dedupe]`: thresholds, features and fields, checked like the rest of the config.

Every key is optional; the defaults are the values measured with `bench/dedupe_bench.py` (recall
and precision of planted near duplicates, hard negatives left alone) and listed in the README.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cmas_bank.config import Config, suggest
from cmas_bank.diagnostics import Severity
from cmas_bank.errors import UsageError

FIELDS = ("stem", "options", "answer")


@dataclass(frozen=True)
class DedupeSettings:
    """How duplicates are found. See the README's dedupe section for what each knob does."""

    near_threshold: float = 0.85
    """A candidate pair whose score reaches this is a near duplicate."""
    stem_weight: float = 0.75
    """Share of the score that comes from the stems; the rest comes from the options."""
    candidate_threshold: float = 0.5
    """Jaccard similarity of shingle sets that MinHash LSH aims to catch as candidates."""
    shingle_size: int = 1
    """Words per shingle in the candidate features (within one sentence, stop words left out)."""
    num_perm: int = 128
    """MinHash permutations: more gives sharper candidate selection and costs time."""
    seed: int = 1
    """MinHash seed; fixed so that two runs report the same pairs."""
    fields: tuple[str, ...] = FIELDS
    """What is compared: the stem always; `options` adds option text to the score and to exact
    duplicates; `answer` requires the keys to agree (the guard against hard negatives)."""
    near_severity: Severity = Severity.ERROR
    """Severity of ID102; `warning` reports near duplicates without failing the run."""
    paraphrases: bool = True
    """Report possible paraphrases (ID103, a warning): same options, key and figures, and a stem
    reworded beyond what the near-duplicate score confirms (`paraphrase.py`)."""

    @property
    def uses_options(self) -> bool:
        return "options" in self.fields

    @property
    def uses_answer(self) -> bool:
        return "answer" in self.fields

    @property
    def reviews_paraphrases(self) -> bool:
        """Whether the ID103 pass runs: it needs the options and the key among the fields."""
        return self.paraphrases and self.uses_options and self.uses_answer

    @property
    def effective_stem_weight(self) -> float:
        return self.stem_weight if self.uses_options else 1.0

    @classmethod
    def from_table(cls, table: Mapping[str, Any], where: str = "[tool.cmas-bank.dedupe]") -> DedupeSettings:
        """Settings from a config table; a bad key or value is a UsageError that names it."""
        keys = tuple(_PARSERS)
        values: dict[str, Any] = {}
        for key, raw in table.items():
            if key not in _PARSERS:
                raise UsageError(f"{where}: unknown setting {key!r}{suggest(key, keys)}")
            values[key.replace("-", "_")] = _PARSERS[key](key, raw, where)
        return cls(**values)


def _number(low: float, high: float, low_open: bool = False) -> Any:
    def parse(key: str, raw: Any, where: str) -> float:
        ok = isinstance(raw, (int, float)) and not isinstance(raw, bool)
        if ok and (raw > low if low_open else raw >= low) and raw <= high:
            return float(raw)
        bound = f"{'above' if low_open else 'at least'} {low:g} and at most {high:g}"
        raise UsageError(f"{where}: {key} must be a number {bound}, not {raw!r}")

    return parse


def _integer(low: int, high: int) -> Any:
    def parse(key: str, raw: Any, where: str) -> int:
        if isinstance(raw, int) and not isinstance(raw, bool) and low <= raw <= high:
            return raw
        raise UsageError(f"{where}: {key} must be a whole number from {low} to {high}, not {raw!r}")

    return parse


def _fields(key: str, raw: Any, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(f, str) for f in raw):
        raise UsageError(f"{where}: {key} must be a list of field names from {', '.join(FIELDS)}")
    for name in raw:
        if name not in FIELDS:
            raise UsageError(f"{where}: {key}: unknown field {name!r}{suggest(name, FIELDS)}")
    if "stem" not in raw:
        raise UsageError(f"{where}: {key} must include 'stem'")
    return tuple(f for f in FIELDS if f in raw)


def _boolean(key: str, raw: Any, where: str) -> bool:
    if isinstance(raw, bool):
        return raw
    raise UsageError(f"{where}: {key} must be true or false, not {raw!r}")


def _severity(key: str, raw: Any, where: str) -> Severity:
    choices = ("error", "warning")
    if raw in choices:
        return Severity(raw)
    hint = suggest(raw, choices) if isinstance(raw, str) else ""
    raise UsageError(f"{where}: {key} must be 'error' or 'warning', not {raw!r}{hint}")


_PARSERS: dict[str, Any] = {
    "near-threshold": _number(0.0, 1.0, low_open=True),
    "stem-weight": _number(0.0, 1.0),
    "candidate-threshold": _number(0.0, 1.0, low_open=True),
    "shingle-size": _integer(1, 5),
    "num-perm": _integer(16, 1024),
    "seed": _integer(0, 2**32 - 1),
    "fields": _fields,
    "near-severity": _severity,
    "paraphrases": _boolean,
}


def settings_from_config(config: Config) -> DedupeSettings:
    """The dedupe settings of a loaded config (`[tool.cmas-bank.dedupe]`, all optional)."""
    where = f"{config.source}: [tool.cmas-bank.dedupe]" if config.source else "[tool.cmas-bank.dedupe]"
    return DedupeSettings.from_table(config.section("dedupe"), where)
