"""What `analyze` writes: the stats file kept beside the bank, its JSON and CSV exports, and the
text report.

The stats file (`--out stats/2026-spring.yaml`) is YAML, one per administration, made to be
committed and diffed: keys in a fixed order, items sorted by id, one value per line, numbers
rounded to 4 decimals, `null` for a statistic that is undefined (no variance) or not computed (too
few candidates). Its layout (`format: cmas-bank-stats/1`):

    format: cmas-bank-stats/1
    administration: 2026-spring      # --administration, default the first file's name
    date: '2026-12-02'               # --date, default today
    sources: [responses.csv]
    candidates: 2000
    skipped: {IA106: 3}              # with --skip-invalid: findings whose responses were left out
    forms:
    - form: ''                       # '' when the responses have no form column
      candidates: 2000
      item_count: 200
      notes: []                      # why statistics are missing (too few candidates)
      test: {kr20, sem, mean, sd, group_size, score_distribution: [candidates at 0, 1, ... items]}
      items:
        CMAS-0001:
          p, omitted, point_biserial, discrimination, alpha_if_deleted,
          rasch: {difficulty, se, infit, outfit},
          two_pl: {discrimination, difficulty, se_discrimination, se_difficulty},  # with two-pl = true
          options: {A|B|C|D|omitted: {share, rest_mean, point_biserial, upper, lower}},
          key: B, flags: [IA201]

`.json` gives the same document as JSON; `.csv` one row per form and item (the columns of
`CSV_COLUMNS`).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cmas_bank.analyze.flags import LETTERS

if TYPE_CHECKING:
    from cmas_bank.analyze.run import Analysis, Form

FORMAT = "cmas-bank-stats/1"
OPTION_NAMES = (*LETTERS, "omitted")


def _num(value: Any) -> float | None:
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else round(value, 4)


def _item_doc(form: Form, i: int, flags: dict[str, list[str]]) -> dict[str, Any]:
    item_id = form.ids[i]
    doc: dict[str, Any] = {"key": LETTERS[int(form.key[i])]}
    c = form.classical
    if c is not None:
        doc.update(
            p=_num(c.p[i]),
            omitted=_num(c.omitted[i]),
            point_biserial=_num(c.point_biserial[i]),
            discrimination=_num(c.discrimination[i]),
            alpha_if_deleted=_num(c.alpha_if_deleted[i]),
        )
    r = form.rasch
    if r is not None:
        doc["rasch"] = {
            "difficulty": _num(r.difficulty[i]),
            "se": _num(r.se[i]),
            "infit": _num(r.infit[i]),
            "outfit": _num(r.outfit[i]),
        }
    t = form.two_pl
    if t is not None:
        doc["two_pl"] = {
            "discrimination": _num(t.discrimination[i]),
            "difficulty": _num(t.difficulty[i]),
            "se_discrimination": _num(t.se_discrimination[i]),
            "se_difficulty": _num(t.se_difficulty[i]),
        }
    if c is not None:
        doc["options"] = {
            name: {
                "share": _num(c.share[i, o]),
                "rest_mean": _num(c.rest_mean[i, o]),
                "point_biserial": _num(c.option_rest[i, o]),
                "upper": _num(c.upper_share[i, o]),
                "lower": _num(c.lower_share[i, o]),
            }
            for o, name in enumerate(OPTION_NAMES)
        }
    doc["flags"] = sorted(set(flags.get(item_id, [])))
    return doc


def _form_doc(form: Form) -> dict[str, Any]:
    flags: dict[str, list[str]] = {}
    for d in form.flags:
        flags.setdefault(d.item_id or "", []).append(d.code)
    c = form.classical
    test: dict[str, Any] = {}
    if c is not None:
        test = {
            "kr20": _num(c.kr20),
            "sem": _num(c.sem),
            "mean": _num(c.mean),
            "sd": _num(c.sd),
            "group_size": c.group_size,
            "score_distribution": [int(v) for v in c.distribution],
        }
    return {
        "form": form.name,
        "candidates": form.candidates,
        "item_count": len(form.ids),
        "notes": list(form.notes),
        "test": test,
        "items": {form.ids[i]: _item_doc(form, i, flags) for i in range(len(form.ids))},
    }


def document(analysis: Analysis, administration: str, date: str) -> dict[str, Any]:
    """The stats document of an analysis (see the module's docstring)."""
    forms = [_form_doc(form) for form in analysis.forms]
    return {
        "format": FORMAT,
        "administration": administration,
        "date": date,
        "sources": list(analysis.files),
        "candidates": analysis.candidates,
        "skipped": dict(sorted(analysis.skipped.items())),
        "forms": forms,
    }


def to_yaml(doc: dict[str, Any]) -> str:
    import yaml

    head = "# Item statistics written by `cmas-bank analyze` (layout: README, section analyze).\n"
    return head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)


def to_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = (
    "form",
    "item",
    "candidates",
    "key",
    "p",
    "omitted",
    "point_biserial",
    "discrimination",
    "alpha_if_deleted",
    "rasch_difficulty",
    "rasch_se",
    "infit",
    "outfit",
    *(f"share_{o}" for o in OPTION_NAMES),
    *(f"point_biserial_{o}" for o in OPTION_NAMES),
    "flags",
)


def _csv_rows(doc: dict[str, Any]) -> Iterable[list[Any]]:
    for form in doc["forms"]:
        for item_id, item in form["items"].items():
            rasch = item.get("rasch", {})
            options = item.get("options", {})
            row = {
                "form": form["form"],
                "item": item_id,
                "candidates": form["candidates"],
                "rasch_difficulty": rasch.get("difficulty"),
                "rasch_se": rasch.get("se"),
                "infit": rasch.get("infit"),
                "outfit": rasch.get("outfit"),
                "flags": " ".join(item["flags"]),
                **{
                    k: item.get(k)
                    for k in ("key", "p", "omitted", "point_biserial", "discrimination", "alpha_if_deleted")
                },
                **{f"share_{o}": options.get(o, {}).get("share") for o in OPTION_NAMES},
                **{f"point_biserial_{o}": options.get(o, {}).get("point_biserial") for o in OPTION_NAMES},
            }
            yield ["" if row[c] is None else row[c] for c in CSV_COLUMNS]


def to_csv(doc: dict[str, Any]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows(doc))
    return buffer.getvalue()


def _cell(value: Any, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def text_report(doc: dict[str, Any]) -> str:
    """The summary printed after the findings: per form the test statistics, then a table of the
    items, flagged items first."""
    from cmas_bank.diagnostics import printable  # names from the files: shown, never obeyed

    lines = [f"Item analysis of {doc['candidates']} candidate(s) from {printable(', '.join(doc['sources']))}"]
    if doc["skipped"]:
        left = ", ".join(f"{code} x{n}" for code, n in doc["skipped"].items())
        lines.append(f"Skipped (--skip-invalid; bad responses scored as omitted): {left}")
    for form in doc["forms"]:
        title = f"form {printable(form['form'])}" if form["form"] else "all candidates"
        lines.append("")
        lines.append(f"== {title}: {form['candidates']} candidates, {form['item_count']} items")
        lines.extend(f"   {printable(note)}" for note in form["notes"])
        test = form["test"]
        if not test:
            continue
        lines.append(
            f"   KR-20 {_cell(test['kr20'], 3)}  SEM {_cell(test['sem'])}  mean {_cell(test['mean'])}  "
            f"sd {_cell(test['sd'])}"
        )
        lines.append(f"   {'item':<20} {'key':>3} {'p':>5} {'rpb':>6} {'D':>6} {'b':>6} {'infit':>6}  flags")
        ordered = sorted(form["items"].items(), key=lambda kv: (not kv[1]["flags"], kv[0]))
        for item_id, item in ordered:
            rasch = item.get("rasch", {})
            lines.append(
                f"   {item_id:<20} {item['key']:>3} {_cell(item.get('p')):>5} {_cell(item.get('point_biserial')):>6} "
                f"{_cell(item.get('discrimination')):>6} {_cell(rasch.get('difficulty')):>6} "
                f"{_cell(rasch.get('infit')):>6}  {' '.join(item['flags'])}"
            )
    return "\n".join(lines) + "\n"
