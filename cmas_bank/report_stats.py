"""The item-statistics section of `cmas-bank report`, drawn from a stats file `analyze --out` wrote.

The stats file is `--stats FILE`, else the newest one (by its `date`, then its name) in the
project's `stats/` folder; without one the report has no such section. The file is input like
any other: it is read with a size limit, checked against the layout of
`cmas_bank/analyze/output.py` (a wrong type is a located error, not a traceback), and every
string from it is escaped.

Per form the section shows the test statistics, the items (flagged items first), per item an
option chart (CSS bars of the share choosing each option, the key in green, with the upper and
lower groups' shares and the option-rest correlation), and an item-person map of the Rasch
difficulties beside the candidates' abilities. The stats file keeps no person estimates, but in
the Rasch model a candidate's ability depends on their raw score alone: each score's ability is
the maximum-likelihood solution of `sum_i P(theta - b_i) = score` over the calibrated items (items
everyone answered right add one to every score first), which is what joint maximum likelihood
estimated, up to its bias correction. Zero and perfect scores have no finite ability and are
counted apart.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

FORMAT = "cmas-bank-stats/1"
STATS_FOLDER = "stats"
MAX_BYTES = 64 << 20
MAX_LOGIT = 50  # a difficulty further out is no estimate (and would stretch the map without end)
MAX_NODES = 5_000_000  # values visited while checking: a YAML alias bomb stops here
OPTIONS = ("A", "B", "C", "D", "omitted")
ITEM_NUMBERS = ("p", "omitted", "point_biserial", "discrimination", "alpha_if_deleted")
OPTION_NUMBERS = ("share", "rest_mean", "point_biserial", "upper", "lower")
RASCH_NUMBERS = ("difficulty", "se", "infit", "outfit")
TEST_NUMBERS = ("kr20", "sem", "mean", "sd")
_DATE = re.compile(r"""^\s*"?date"?\s*:\s*["']?(\d{4}-\d{2}-\d{2})""", re.MULTILINE)

STYLE = """
.stats h3 { font-size: 16px; margin: 20px 0 8px; }
.opt { margin: 6px 0 10px; }
.opt summary { cursor: pointer; }
.opt table { max-width: 720px; }
.bar .fill.key { background: var(--ok); }
.bar .fill.omit { background: #a0aec0; }
.map td { padding: 1px 8px; border-bottom: none; }
.map td.axis { border-left: 1px solid var(--ink); border-right: 1px solid var(--ink); text-align: center;
               font-variant-numeric: tabular-nums; font-size: 12px; color: var(--muted); white-space: nowrap; }
.map td.persons { width: 35%; }
.map td.persons .bar { margin-left: auto; }
.map .ids code { margin-right: 6px; white-space: nowrap; display: inline-block; }
.flagcode { white-space: nowrap; }
"""


class StatsError(Exception):
    """A stats file that cannot be read or is not the layout `analyze` writes."""


def _date_of(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return ""
    match = _DATE.search(head)
    return match[1] if match else ""


def find_stats(root: Path) -> Path | None:
    """The newest stats file in `root/stats/` (by the `date` it records, then by name), or None."""
    folder = root / STATS_FOLDER
    if not folder.is_dir():
        return None
    files = [p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json") and p.is_file()]
    return max(files, key=lambda p: (_date_of(p), p.name), default=None)


def _number(value: Any, where: str) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
    ):
        raise StatsError(f"{where}: {value!r} is not a number")


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise StatsError(f"{where}: expected a mapping, found {type(value).__name__}")
    return value


def _check_item(item: Any, where: str) -> None:
    item = _mapping(item, where)
    for name in ITEM_NUMBERS:
        _number(item.get(name), f"{where}.{name}")
    if item.get("key") not in ("A", "B", "C", "D"):
        raise StatsError(f"{where}.key: {item.get('key')!r} is not A, B, C or D")
    rasch = _mapping(item.get("rasch", {}), f"{where}.rasch")
    for name in RASCH_NUMBERS:
        _number(rasch.get(name), f"{where}.rasch.{name}")
    if abs(rasch.get("difficulty") or 0) > MAX_LOGIT:
        raise StatsError(
            f"{where}.rasch.difficulty: {rasch['difficulty']!r} is outside -{MAX_LOGIT}..{MAX_LOGIT} logits"
        )
    for option, values in _mapping(item.get("options", {}), f"{where}.options").items():
        if option not in OPTIONS:
            raise StatsError(f"{where}.options: {option!r} is not an option")
        for name in OPTION_NUMBERS:
            _number(_mapping(values, f"{where}.options.{option}").get(name), f"{where}.options.{option}.{name}")
    flags = item.get("flags", [])
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        raise StatsError(f"{where}.flags: expected a list of codes")


def _check_form(form: Any, where: str) -> None:
    form = _mapping(form, where)
    for name in ("candidates", "item_count"):
        if not isinstance(form.get(name, 0), int):
            raise StatsError(f"{where}.{name}: {form.get(name)!r} is not a whole number")
    test = _mapping(form.get("test") or {}, f"{where}.test")
    for name in TEST_NUMBERS:
        _number(test.get(name), f"{where}.test.{name}")
    scores = test.get("score_distribution", [])
    if not isinstance(scores, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in scores):
        raise StatsError(f"{where}.test.score_distribution: expected a list of counts")
    notes = form.get("notes", [])
    if not isinstance(notes, list):
        raise StatsError(f"{where}.notes: expected a list")
    for item_id, item in _mapping(form.get("items", {}), f"{where}.items").items():
        _check_item(item, f"{where}.items.{item_id}")


def _size(value: Any, budget: list[int]) -> None:
    """Count the values in `value`, shared ones as often as they are reached (a YAML alias bomb is
    small on disk and huge when walked): over `MAX_NODES` the file is refused."""
    stack = [value]
    while stack:
        budget[0] -= 1
        if budget[0] < 0:
            raise StatsError(f"holds more than {MAX_NODES:,} values (YAML aliases?): refused")
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def load_stats(path: Path) -> dict[str, Any]:
    """The stats document at `path`, checked; StatsError (with the file's name) when it is not one."""
    import yaml

    from cmas_bank.fileio import FileTooLarge, NotRegularFile, read_regular

    try:
        raw = read_regular(path, MAX_BYTES)
        text = raw.decode("utf-8-sig")
    except (FileTooLarge, NotRegularFile) as exc:
        raise StatsError(f"{path}: {exc.strerror}") from None
    except OSError as exc:
        raise StatsError(f"{path}: cannot read stats file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise StatsError(f"{path}: stats file is not UTF-8") from None
    try:
        if path.suffix.lower() == ".json":
            doc = json.loads(text)
        else:
            doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (ValueError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        at = f":{line + 1}" if line is not None else ""
        raise StatsError(f"{path}{at}: not a readable stats file ({type(exc).__name__})") from None
    try:
        _size(doc, [MAX_NODES])
        doc = _mapping(doc, "document")
        if doc.get("format") != FORMAT:
            raise StatsError(
                f"format is {doc.get('format')!r}, not {FORMAT!r} (write it with `cmas-bank analyze --out`)"
            )
        if not isinstance(doc.get("candidates", 0), int):
            raise StatsError(f"candidates: {doc.get('candidates')!r} is not a whole number")
        forms = doc.get("forms")
        if not isinstance(forms, list):
            raise StatsError("forms: expected a list")
        for n, form in enumerate(forms):
            _check_form(form, f"forms[{n}]")
    except StatsError as exc:
        raise StatsError(f"{path}: {exc}") from None
    return doc


# --- rendering -------------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 2) -> str:
    return "&ndash;" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "&ndash;" if value is None else f"{100 * value:.0f}%"


def _bar(share: float | None, cls: str, label: str) -> str:
    width = 0.0 if share is None else max(0.0, min(100.0, 100 * share))
    return (
        f'<div class="bar" role="img" aria-label="{escape(label)}">'
        f'<div class="fill {cls}" style="width:{width:.1f}%"></div></div>'
    )


def _flags(codes: list[str], rules: dict[str, str]) -> str:
    return " ".join(
        f'<code class="flagcode" title="{escape(rules.get(code, ""))}">{escape(code)}</code>' for code in codes
    )


def _ordered(form: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The form's items, flagged items first (most flags first), then by id."""
    return sorted(
        form.get("items", {}).items(), key=lambda kv: (not kv[1].get("flags"), -len(kv[1].get("flags", [])), kv[0])
    )


def _item_table(items: list[tuple[str, dict[str, Any]]], rules: dict[str, str]) -> str:
    rows = []
    for item_id, item in items:
        rasch = item.get("rasch", {})
        cls = ' class="flagged"' if item.get("flags") else ""
        rows.append(
            f"<tr{cls}><td><code>{escape(item_id)}</code></td><td>{escape(item['key'])}</td>"
            f"<td class=num>{_fmt(item.get('p'))}</td><td class=num>{_fmt(item.get('point_biserial'))}</td>"
            f"<td class=num>{_fmt(item.get('discrimination'))}</td><td class=num>{_fmt(rasch.get('difficulty'))}</td>"
            f"<td class=num>{_fmt(rasch.get('infit'))}</td><td class=num>{_fmt(rasch.get('outfit'))}</td>"
            f"<td>{_flags(item.get('flags', []), rules)}</td></tr>"
        )
    return (
        "<div class=table-wrap><table><thead><tr><th>Item</th><th>Key</th><th class=num>p</th>"
        "<th class=num>r<sub>pb</sub></th><th class=num>D</th><th class=num>Rasch b</th><th class=num>Infit</th>"
        "<th class=num>Outfit</th><th>Flags</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
    )


def _option_chart(item_id: str, item: dict[str, Any], rules: dict[str, str]) -> str:
    options = item.get("options", {})
    if not options:
        return ""
    rows = []
    for name in OPTIONS:
        values = options.get(name, {})
        is_key = name == item["key"]
        cls = "key" if is_key else ("omit" if name == "omitted" else "")
        label = f"{name} (key)" if is_key else name
        share = values.get("share")
        rows.append(
            f"<tr><td>{escape(label)}</td><td class=barcell>{_bar(share, cls, f'{label}: {_pct(share)}')}</td>"
            f"<td class=num>{_pct(share)}</td><td class=num>{_pct(values.get('upper'))}</td>"
            f"<td class=num>{_pct(values.get('lower'))}</td><td class=num>{_fmt(values.get('point_biserial'))}</td></tr>"
        )
    flags = item.get("flags", [])
    summary = f"<code>{escape(item_id)}</code> key {escape(item['key'])}, p {_fmt(item.get('p'))}"
    if flags:
        summary += " &middot; " + _flags(flags, rules)
    return (
        f'<details class="opt"{" open" if flags else ""}><summary>{summary}</summary>'
        "<div class=table-wrap><table><thead><tr><th>Option</th><th>Share choosing it</th><th class=num>All</th>"
        "<th class=num>Upper</th><th class=num>Lower</th><th class=num>r<sub>rest</sub></th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div></details>"
    )


def ability(score: float, difficulties: list[float]) -> float:
    """The Rasch ability whose expected score on items of `difficulties` is `score` (0 < score < L),
    by Newton's method from the log-odds of the score."""
    length = len(difficulties)
    theta = math.log(score / (length - score)) + sum(difficulties) / length
    for _ in range(100):
        probs = [1 / (1 + math.exp(min(50.0, max(-50.0, b - theta)))) for b in difficulties]
        info = sum(p * (1 - p) for p in probs)
        step = max(-1.0, min(1.0, (score - sum(probs)) / info))
        theta += step
        if abs(step) < 1e-8:
            break
    return theta


def persons(form: dict[str, Any]) -> tuple[list[tuple[float, int]], int, int]:
    """(ability, candidates) per raw score with a finite ability, and the candidates below (zero on
    the calibrated items) and above (all of them right) the map."""
    items = form.get("items", {}).values()
    difficulties = [i["rasch"]["difficulty"] for i in items if i.get("rasch", {}).get("difficulty") is not None]
    always = sum(1 for i in items if i.get("rasch", {}).get("difficulty") is None and (i.get("p") or 0) >= 1)
    counts = form.get("test", {}).get("score_distribution", [])
    found: list[tuple[float, int]] = []
    below = above = 0
    for score, n in enumerate(counts):
        if not n:
            continue
        own = score - always
        if own <= 0:
            below += n
        elif own >= len(difficulties):
            above += n
        else:
            found.append((ability(own, difficulties), n))
    return found, below, above


def _bins(values: Iterator[float], width: float) -> tuple[int, int]:
    numbers = list(values)
    return math.floor(min(numbers) / width), math.floor(max(numbers) / width)


def _map(form: dict[str, Any], width: float = 0.5) -> str:
    items = [
        (i, d["rasch"]["difficulty"], bool(d.get("flags")))
        for i, d in form.get("items", {}).items()
        if d.get("rasch", {}).get("difficulty") is not None
    ]
    if not items:
        return '<p class="empty">No Rasch difficulties in this form (too few candidates), so no item-person map.</p>'
    people, below, above = persons(form)
    low, high = _bins(iter([b for _, b, _ in items] + [t for t, _ in people]), width)
    crowds = {k: 0 for k in range(low, high + 1)}
    for theta, n in people:
        crowds[math.floor(theta / width)] += n
    scale = max([*crowds.values(), 1])
    rows = []
    for k in range(high, low - 1, -1):
        crowd = crowds[k]
        ids = "".join(
            f'<code class="{"short" if flagged else ""}">{escape(i)}</code>'
            for i, b, flagged in sorted(items, key=lambda x: x[1])
            if math.floor(b / width) == k
        )
        bar = _bar(crowd / scale, "", f"{crowd} candidates") if crowd else ""
        count = f"<small>{crowd}</small>" if crowd else ""
        rows.append(
            f"<tr><td class=persons>{bar}</td><td class=num>{count}</td>"
            f"<td class=axis>{k * width:+.1f}</td><td class=ids>{ids}</td></tr>"
        )
    extremes = []
    if above:
        extremes.append(f"{above} candidate(s) with every calibrated item right are above the map")
    if below:
        extremes.append(f"{below} with none right are below it")
    note = ("; ".join(extremes) + ". ") if extremes else ""
    return (
        "<div class=table-wrap><table class=map><thead><tr><th class=num>Candidates</th><th></th>"
        "<th>Logits</th><th>Items (flagged in red)</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
        f'<p class="legend">Higher is abler (candidates) and harder (items); each row spans {width:g} logit. '
        f"{note}Candidates' abilities are computed from their raw scores and the item difficulties.</p>"
    )


def _form(form: dict[str, Any], rules: dict[str, str], several: bool) -> str:
    name = form.get("form") or ""
    title = f"Form {escape(str(name))}" if name else "All candidates"
    head = (
        f"<h3>{title}: {form.get('candidates', 0)} candidates, {form.get('item_count', 0)} items</h3>"
        if several or name
        else ""
    )
    notes = "".join(f'<p class="warn">{escape(str(note))}</p>' for note in form.get("notes", []))
    test = form.get("test") or {}
    if not test:
        return head + notes
    ordered = _ordered(form)
    flagged = sum(1 for _, item in ordered if item.get("flags"))
    summary = (
        f"<p>KR-20 {_fmt(test.get('kr20'), 3)} &middot; SEM {_fmt(test.get('sem'))} &middot; mean "
        f"{_fmt(test.get('mean'))} &middot; sd {_fmt(test.get('sd'))} &middot; "
        f'<span class="{"warn" if flagged else "ok"}">{flagged} flagged item(s)</span></p>'
    )
    charts = "".join(_option_chart(item_id, item, rules) for item_id, item in ordered)
    return (
        head
        + notes
        + summary
        + "<h3>Items, flagged first</h3>"
        + _item_table(ordered, rules)
        + "<h3>Item-person map</h3>"
        + _map(form)
        + '<h3>Option charts</h3><p class="legend">Share of candidates choosing each option (the key in green), '
        "in the upper and lower groups, and the option's correlation with the rest score. Flagged items are open.</p>"
        + charts
    )


def render(doc: dict[str, Any], source: str, rules: dict[str, str]) -> str:
    """The item-statistics section of the report."""
    forms = doc.get("forms", [])
    sources = ", ".join(str(s) for s in doc.get("sources", []))
    body = "".join(_form(form, rules, len(forms) > 1) for form in forms)
    return (
        f'<section class="stats"><h2>Item statistics: {escape(str(doc.get("administration", "")))}</h2>'
        f"<p>{escape(str(doc.get('candidates', 0)))} candidates on {escape(str(doc.get('date', '')))} from "
        f"{escape(sources)} &middot; <code>{escape(source)}</code></p>{body}</section>"
    )
