"""The HTML report's forms: one section per form file `check` finds (blueprint met, difficulty
and cognitive-level mix, key balance, counted from the bank as it is now), and one for the
overlap between forms. Every text from a file passes through `html.escape`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import combinations
from pathlib import Path

from cmas_bank.assemble.formcheck import read_form_file
from cmas_bank.assemble.model import FormFile
from cmas_bank.assemble.pool import Pool, PoolItem
from cmas_bank.coverage import COGNITIVE_LEVELS, DIFFICULTIES
from cmas_bank.model import OPTION_KEYS
from cmas_bank.outline import Outline

KEY_SHARE = (0.2, 0.3)  # the report's key-balance band, as in its bank-wide table


@dataclass
class Shown:
    """A form file as the report shows it: the form (None: not a form file) and its items now."""

    path: str
    form: FormFile | None
    problem: str = ""

    def ids(self, scored_only: bool) -> set[str]:
        if self.form is None:
            return set()
        return {e.id for e in self.form.items if e.scored or not scored_only}


def read_forms(files: Sequence[Path]) -> list[Shown]:
    out = []
    for path in files:
        loaded, form, found = read_form_file(path)
        out.append(Shown(loaded.display, form, found[0].message if found else ""))
    return out


def _share_cells(counts: Counter[str], names: Sequence[str], total: int, band: tuple[float, float] | None) -> str:
    cells = []
    for name in names:
        share = counts[name] / total if total else 0.0
        off = band is not None and total and not band[0] <= share <= band[1]
        cells.append(f'<td class="num{" warn" if off else ""}">{counts[name]} <small>({share:.0%})</small></td>')
    return "".join(cells)


def _blueprint(scored: list[PoolItem], outline: Outline) -> tuple[str, bool]:
    counts = Counter(p.domain for p in scored)
    rows, met = [], True
    for area in outline.work_areas:
        have = counts[area.number]
        ok = have == area.items
        met = met and ok
        state = '<span class="ok">met</span>' if ok else f'<span class="short">{have - area.items:+d}</span>'
        rows.append(
            f"<tr><td>{area.number}. {escape(area.name)}</td><td class=num>{area.items}</td>"
            f"<td class=num>{have}</td><td>{state}</td></tr>"
        )
    stray = sum(n for a, n in counts.items() if a not in outline.areas)
    if stray:
        met = False
        rows.append(
            f'<tr><td>outside the outline</td><td class=num>0</td><td class=num>{stray}</td><td class="short">+{stray}</td></tr>'
        )
    table = (
        "<div class=table-wrap><table><thead><tr><th>Work area</th><th class=num>Blueprint</th>"
        f"<th class=num>Scored on the form</th><th>Status</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    return table, met


def _mix(scored: list[PoolItem]) -> str:
    n = len(scored)
    head = "".join(f"<th class=num>{k}</th>" for k in OPTION_KEYS)
    head += "".join(f"<th class=num>{d}</th>" for d in DIFFICULTIES)
    head += "".join(f"<th class=num>{c}</th>" for c in COGNITIVE_LEVELS)
    cells = _share_cells(Counter(p.answer for p in scored), OPTION_KEYS, n, KEY_SHARE)
    cells += _share_cells(Counter(p.difficulty for p in scored), DIFFICULTIES, n, None)
    cells += _share_cells(Counter(p.cognitive_level for p in scored), COGNITIVE_LEVELS, n, None)
    return (
        f"<div class=table-wrap><table><thead><tr><th>Scored items</th>{head}</tr></thead>"
        f"<tbody><tr><td class=num>{n}</td>{cells}</tr></tbody></table></div>"
    )


def _one(shown: Shown, pool: Pool, outline: Outline) -> str:
    title = f"<code>{escape(shown.path)}</code>"
    form = shown.form
    if form is None:
        return f'<section><h2>Form {title}</h2><p class="short">Not a form file: {escape(shown.problem)}</p></section>'
    scored = [pool.items[e.id] for e in form.items if e.scored and e.id in pool.items]
    gone = sorted({e.id for e in form.items if e.id not in pool.items})
    pretest = sum(1 for e in form.items if not e.scored)
    blueprint, met = _blueprint(scored, outline)
    verdict = '<span class="ok">blueprint met</span>' if met else '<span class="short">blueprint not met</span>'
    summary = (
        f"{len(scored)} scored and {pretest} pretest item(s); outline {escape(form.outline)}; "
        f"{escape(form.status)} (seed {form.seed}); {verdict}."
    )
    notes = [summary]
    if form.outline != outline.id:
        notes.append(f'<span class="warn">Built for outline {escape(form.outline)}, not {escape(outline.id)}.</span>')
    if gone:
        listed = ", ".join(f"<code>{escape(i)}</code>" for i in gone)
        notes.append(f'<span class="short">{len(gone)} item(s) no longer valid in the bank: {listed}.</span>')
    return (
        f"<section><h2>Form {escape(form.form)} ({title})</h2><p>{' '.join(notes)}</p>"
        f"{blueprint}<h3>Answer keys, difficulty and cognitive level</h3>{_mix(scored)}"
        '<p class="legend">Counted from the bank as it is now (each item\'s current work area, key and levels). '
        "Key shares outside 20&ndash;30&nbsp;% are highlighted.</p></section>"
    )


def _overlap(forms: list[Shown]) -> str:
    readable = [s for s in forms if s.form is not None]
    if len(readable) < 2:
        return ""
    rows = []
    for a, b in combinations(readable, 2):
        assert a.form is not None and b.form is not None
        scored = len(a.ids(True) & b.ids(True))
        every = len(a.ids(False) & b.ids(False))
        rows.append(
            f"<tr><td>{escape(a.form.form)}</td><td>{escape(b.form.form)}</td>"
            f"<td class=num>{scored}</td><td class=num>{every}</td></tr>"
        )
    return (
        "<section><h2>Overlap between forms</h2><div class=table-wrap><table><thead><tr><th>Form</th><th>Form</th>"
        "<th class=num>Shared scored items</th><th class=num>Shared items (pretest too)</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def forms_html(files: Sequence[Path], pool: Pool, outline: Outline) -> str:
    """The report's form sections (empty without form files)."""
    forms = read_forms(files)
    return "".join(_one(s, pool, outline) for s in forms) + _overlap(forms)
