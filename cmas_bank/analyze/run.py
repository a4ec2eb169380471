"""`cmas-bank analyze`: responses in, statistics and flags out.

1. Read every responses file into one long table (`responses.py`); every problem is a finding.
   A file that cannot be read stops the run (exit 2); any other problem stops it before anything
   is computed, unless `skip_invalid`: then bad responses are scored as omitted, rows without a
   candidate and responses to unknown or invalid items are left out, a repeated response keeps the
   first, and the report counts what was skipped.
2. Split the table by form (one form when there is no `form` column) into response matrices.
3. Per form: classical statistics (`classical.py`) and Rasch estimates (`rasch.py`) when there
   are enough candidates (else IA301 says so), then the item flags (`flags.py`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cmas_bank.analyze import inputs
from cmas_bank.analyze import responses as rd
from cmas_bank.analyze.classical import Classical, classical
from cmas_bank.analyze.flags import TOO_FEW, Flagger
from cmas_bank.analyze.rasch import Rasch, rasch
from cmas_bank.analyze.settings import AnalyzeSettings
from cmas_bank.analyze.twopl import TwoPL, twopl
from cmas_bank.diagnostics import Diagnostic, Severity, sort_key

if TYPE_CHECKING:
    from cmas_bank.bankitem import BankItem


@dataclass
class Form:
    name: str
    candidates: int
    ids: list[str]
    key: np.ndarray
    responses: np.ndarray  # (candidates, items) codes 0..4
    classical: Classical | None = None
    rasch: Rasch | None = None
    two_pl: TwoPL | None = None  # with `two-pl = true`, where Rasch estimates are made
    notes: list[str] = field(default_factory=list)
    flags: list[Diagnostic] = field(default_factory=list)  # this form's item flags


@dataclass
class Analysis:
    files: list[str]
    forms: list[Form] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)  # input (IA1xx)
    flags: list[Diagnostic] = field(default_factory=list)  # IA2xx, IA3xx
    skipped: Counter[str] = field(default_factory=Counter)  # input code -> responses or rows skipped
    computed: bool = False
    hidden: int = 0  # input findings counted but not shown (over `responses.SHOWN` of one code)

    @property
    def unreadable(self) -> bool:
        return any(d.code == rd.UNREADABLE for d in self.problems)

    @property
    def candidates(self) -> int:
        return sum(f.candidates for f in self.forms)


def _local(index: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """`index` renumbered 0.. over the values it holds, and those values in order (`np.unique` with
    its inverse, in linear time: the values are below `size`)."""
    present = np.zeros(size, dtype=bool)
    present[index] = True
    number = np.cumsum(present) - 1
    return number[index], np.flatnonzero(present)


def _matrices(table: rd.Responses, drop: np.ndarray, keys: dict[str, int]) -> list[Form]:
    """The response matrix of each form; dropped entries are left out, bad codes scored omitted."""
    if not table.cand:
        return []
    cand, item, code = np.concatenate(table.cand), np.concatenate(table.item), np.concatenate(table.code)
    keep = np.ones(len(cand), dtype=bool)
    keep[drop] = False
    names = sorted(set(table.forms.values()))
    form_index = {name: j + 1 for j, name in enumerate(names)}
    form_of = np.zeros(len(table.candidates), dtype=np.int32)
    for c, name in table.forms.items():
        form_of[c] = form_index[name]
    forms = []
    for g, name in enumerate(["", *names]):
        sel = keep & (form_of[cand] == g)
        if not sel.any():
            continue
        rows, cands = _local(cand[sel], len(table.candidates))
        cols, items = _local(item[sel], len(table.items))
        matrix = np.full((len(cands), len(items)), rd.OMIT, dtype=np.uint8)
        values = code[sel]
        matrix[rows, cols] = np.where(values > rd.OMIT, rd.OMIT, values)
        ids = [table.items[i] for i in items]
        order = np.argsort(ids, kind="stable")
        ids = [ids[j] for j in order]
        key = np.array([keys[i] for i in ids], dtype=np.uint8)
        forms.append(Form(name, len(cands), ids, key, matrix[:, order]))
    return forms


def _form_statistics(form: Form, settings: AnalyzeSettings, flagger: Flagger, source: str) -> list[Diagnostic]:
    notes: list[Diagnostic] = []
    label = f"form {form.name!r}" if form.name else "the responses"
    if form.candidates < settings.min_candidates or len(form.ids) < 3:
        message = (
            f"{label}: {form.candidates} candidates and {len(form.ids)} items; statistics need at least "
            f"{settings.min_candidates} candidates and 3 items, so none are reported and no item is flagged"
        )
        notes.append(Diagnostic(source, 1, 1, TOO_FEW, message, Severity.WARNING))
        form.notes.append(message)
        return notes
    form.classical = classical(form.responses, form.key, settings.group_fraction)
    flagger.classical(form.ids, form.classical, form.key)
    if form.candidates < settings.min_candidates_rasch:
        message = (
            f"{label}: {form.candidates} candidates; Rasch estimates need at least "
            f"{settings.min_candidates_rasch}, so none are reported"
        )
        notes.append(Diagnostic(source, 1, 1, TOO_FEW, message, Severity.WARNING))
        form.notes.append(message)
        return notes
    right = form.responses == form.key[None, :]
    form.rasch = rasch(right)
    flagger.rasch(form.ids, form.rasch)
    if settings.two_pl:
        form.two_pl = twopl(right)
        if not form.two_pl.converged:
            form.notes.append(f"{label}: 2PL estimates did not converge in {form.two_pl.iterations} EM cycles")
    return notes


def analyze(
    paths: Sequence[Path],
    bank: Sequence[BankItem],
    settings: AnalyzeSettings,
    *,
    skip_invalid: bool = False,
    fmt: str = "auto",
) -> Analysis:
    """Read `paths` (in format `fmt`, one of `inputs.FORMATS`), score them against `bank` and
    compute every form's statistics and flags."""
    table = inputs.read_responses(paths, bank, fmt)
    drop = rd.repeated(table) if table.cand else np.zeros(0, dtype=np.int64)
    result = Analysis(files=table.files, problems=sorted(table.diagnostics, key=sort_key), hidden=table.hidden)
    if result.unreadable or (result.problems and not skip_invalid):
        return result
    result.skipped = +table.counts  # each finding is one cell, row or column left out
    by_id = {b.id: b for b in bank if b.valid and b.id}
    keys = {i: rd.LETTERS.index(b.answer or "A") for i, b in by_id.items()}
    result.forms = _matrices(table, drop, keys)
    source = table.files[0] if table.files else "-"
    if not result.forms:
        message = "no responses to analyse: the files hold a header and no candidate"
        result.flags.append(Diagnostic(source, 1, 1, TOO_FEW, message, Severity.WARNING))
    for form in result.forms:
        flagger = Flagger(by_id, settings, form.name)
        result.flags.extend(_form_statistics(form, settings, flagger, source))
        form.flags = flagger.found
        result.flags.extend(flagger.found)
    result.computed = True
    return result
