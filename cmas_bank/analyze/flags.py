"""Item flags (IA2xx) from a form's statistics, located in the item files.

Each flag is a Diagnostic at the item's file: a possible miskey at its `answer`, a dead distractor
at that option, the others at the `id`. Thresholds come from `[tool.cmas-bank.analyze]`
(`AnalyzeSettings`); their documentation is in cmas_bank/codetable.py (`cmas-bank rule IA201`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from cmas_bank.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from cmas_bank.analyze.classical import Classical
    from cmas_bank.analyze.rasch import Rasch
    from cmas_bank.analyze.settings import AnalyzeSettings
    from cmas_bank.bankitem import BankItem

MISKEY = "IA201"
NEGATIVE = "IA202"
LOW = "IA203"
TOO_EASY = "IA204"
TOO_HARD = "IA205"
DEAD = "IA206"
MISFIT = "IA207"
TOO_FEW = "IA301"
CONSTANT = "IA302"

LETTERS = "ABCD"
SEVERITY = {
    MISKEY: Severity.WARNING,
    NEGATIVE: Severity.WARNING,
    LOW: Severity.WARNING,
    TOO_EASY: Severity.INFO,
    TOO_HARD: Severity.WARNING,
    DEAD: Severity.INFO,
    MISFIT: Severity.INFO,
    TOO_FEW: Severity.WARNING,
    CONSTANT: Severity.INFO,
}


def miskeys(stats: Classical, key: np.ndarray, margin: float) -> np.ndarray:
    """(items x 4) mask of the distractors that look like the real key: a higher option-rest
    correlation than the key's (by more than `margin`), or chosen by more of the upper group than
    the key while correlating positively with the rest score. The positive correlation keeps a
    hard item's popular distractor from being taken for a key: on simulated data it halves false
    alarms to none without losing a planted miskey."""
    rows = np.arange(stats.items)
    k = key.astype(np.intp)
    corr = np.nan_to_num(stats.option_rest[:, :4], nan=-np.inf)
    key_corr = np.nan_to_num(stats.option_rest[rows, k], nan=np.inf)
    upper = stats.upper_share[:, :4]
    beats = corr > key_corr[:, None] + margin
    drawn = (upper > upper[rows, k][:, None]) & (corr > 0)
    out = beats | drawn
    out[rows, k] = False
    return out


def _fmt(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.2f}"


class Flagger:
    """Collects the flags of one form."""

    def __init__(self, bank: Mapping[str, BankItem], settings: AnalyzeSettings, form: str):
        self.bank, self.settings = bank, settings
        self.where = f" (form {form})" if form else ""
        self.found: list[Diagnostic] = []

    def add(self, item_id: str, code: str, message: str, at: tuple[str, ...] = ("id",)) -> None:
        b = self.bank[item_id]
        pos = b.position(at)
        self.found.append(b.diag(code, message + self.where, pos, severity=SEVERITY[code]))

    def classical(self, ids: list[str], stats: Classical, key: np.ndarray) -> None:
        suspect = miskeys(stats, key, self.settings.miskey_margin)
        for i, item_id in enumerate(ids):
            k = int(key[i])
            if suspect[i].any():  # one flag per item, for the distractor that most looks like the key
                o = int(np.argmax(np.where(suspect[i], np.nan_to_num(stats.option_rest[i, :4], nan=-2.0), -3.0)))
                message = (
                    f"possible miskey: option {LETTERS[o]} correlates {_fmt(stats.option_rest[i, o])} with the rest "
                    f"score and draws {stats.upper_share[i, o]:.0%} of the upper group; the key {LETTERS[k]} "
                    f"{_fmt(stats.option_rest[i, k])} and {stats.upper_share[i, k]:.0%}"
                )
                self.add(item_id, MISKEY, message, ("answer",))
            self._discrimination(item_id, float(stats.point_biserial[i]), float(stats.p[i]))
            self._difficulty(item_id, float(stats.p[i]))
            self._distractors(item_id, stats.share[i], k)

    def _discrimination(self, item_id: str, rpb: float, p: float) -> None:
        low = self.settings.min_discrimination
        if math.isnan(rpb):
            who = "everyone" if p >= 1 else "no one"
            self.add(item_id, CONSTANT, f"{who} answered right (p = {p:.2f}): no correlation")
        elif rpb < 0:
            self.add(item_id, NEGATIVE, f"corrected point-biserial {rpb:.2f} is negative")
        elif rpb < low:
            self.add(item_id, LOW, f"corrected point-biserial {rpb:.2f} is below {low:g}")

    def _difficulty(self, item_id: str, p: float) -> None:
        s = self.settings
        if p > s.max_p:
            self.add(item_id, TOO_EASY, f"p-value {p:.2f} is above {s.max_p:g}")
        elif p < s.min_p:
            self.add(item_id, TOO_HARD, f"p-value {p:.2f} is below {s.min_p:g}")

    def _distractors(self, item_id: str, shares: np.ndarray, key: int) -> None:
        least = self.settings.min_distractor_share
        for o in range(4):
            share = float(shares[o])
            if o != key and share < least:
                message = f"distractor {LETTERS[o]} is chosen by {share:.1%} (under {least:.0%})"
                self.add(item_id, DEAD, message, ("options", LETTERS[o]))

    def rasch(self, ids: list[str], fit: Rasch) -> None:
        s = self.settings
        for i, item_id in enumerate(ids):
            infit, outfit = float(fit.infit[i]), float(fit.outfit[i])
            if math.isnan(infit):
                continue
            if not (s.min_fit <= infit <= s.max_fit and s.min_fit <= outfit <= s.max_fit):
                message = f"Rasch infit {infit:.2f}, outfit {outfit:.2f}: outside {s.min_fit:g}..{s.max_fit:g}"
                self.add(item_id, MISFIT, message)
