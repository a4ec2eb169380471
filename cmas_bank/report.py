"""`cmas-bank report`: one self-contained HTML page for exam owners.

No network and no external assets: styles are inline, bars are plain HTML/CSS. Every piece of
text from the bank passes through `html.escape`. The page is deterministic (no timestamps), so
two reports of the same bank are byte-identical and can be diffed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from html import escape
from typing import Any

from cmas_bank import __version__
from cmas_bank.check import CheckResult
from cmas_bank.coverage import COGNITIVE_LEVELS, DIFFICULTIES, STATUSES
from cmas_bank.diagnostics import Diagnostic, Severity
from cmas_bank.model import OPTION_KEYS
from cmas_bank.outline import Outline

STYLE = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --ok:#2f855a; --short:#c53030; --warn:#b7791f;
        --bar:#3e7cb1; --target:#1f2933; --bg:#f7f9fb; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0; background: var(--bg); }
header { background: #12355b; color: #fff; padding: 24px 40px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; opacity: .85; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 40px 60px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 20px 24px;
          margin: 0 0 24px; }
h2 { font-size: 18px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 16px 0 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 16px; margin-bottom: 24px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; }
.card .n { font-size: 28px; font-weight: 600; }
.card .l { color: var(--muted); font-size: 13px; }
.ok { color: var(--ok); } .short { color: var(--short); } .warn { color: var(--warn); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td .short, td .ok { white-space: nowrap; }
.barcell { width: 40%; }
.bar { position: relative; height: 16px; background: #edf2f7; border-radius: 3px; }
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; background: var(--bar); border-radius: 3px; }
.bar .fill.short { background: var(--short); }
.bar .target { position: absolute; top: -3px; bottom: -3px; width: 2px; background: var(--target); }
.sub td { font-size: 13px; color: var(--muted); padding-top: 2px; padding-bottom: 2px; }
.sub td:first-child { padding-left: 28px; }
.sub .bar { height: 8px; }
.pipeline { display: flex; gap: 8px; align-items: stretch; }
.stage { flex: 1; text-align: center; border-radius: 6px; padding: 10px; background: #edf2f7; }
.stage .n { font-size: 22px; font-weight: 600; }
.stage.approved { background: #e6f4ea; }
.stage.retired { background: #f1f1f1; color: var(--muted); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
.legend { color: var(--muted); font-size: 13px; margin-top: 8px; }
.empty { color: var(--muted); font-style: italic; }
.table-wrap { overflow-x: auto; }
.pipeline { flex-wrap: wrap; }
.stage { min-width: 72px; }
.table-wrap > table { min-width: 560px; }
p, code { overflow-wrap: anywhere; }
@media (max-width: 600px) {
  header { padding: 16px; }
  header h1 { font-size: 20px; }
  main { padding: 16px 8px 40px; }
  section { padding: 14px 12px; }
  .cards { grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 8px; }
}
"""


def _bar(count: int, target: int | None, scale: int) -> str:
    """A horizontal bar of `count` on a 0..`scale` axis, with a tick at `target` if there is one."""
    width = min(100 * count / scale, 100)
    cls = "fill short" if target is not None and count < target else "fill"
    tick = f'<div class="target" style="left:{min(100 * target / scale, 100):.1f}%"></div>' if target else ""
    label = f"{count} of {target}" if target else str(count)
    return f'<div class="bar" role="img" aria-label="{label}"><div class="{cls}" style="width:{width:.1f}%"></div>{tick}</div>'


def _coverage(result: CheckResult, outline: Outline) -> str:
    cov = result.covered
    scale = max([a.target for a in cov.areas] + [a.count for a in cov.areas] + [1])
    rows = []
    for a in cov.areas:
        state = (
            f'<span class="short">short {a.shortfall}</span>'
            if a.shortfall
            else (f'<span class="ok">+{a.surplus}</span>' if a.surplus else '<span class="ok">ok</span>')
        )
        rows.append(
            f"<tr><td>{a.number}. {escape(a.name)}</td><td class=num>{a.weight:g}%</td>"
            f"<td class=num>{a.count}</td><td class=num>{a.target}</td><td>{state}</td>"
            f'<td class="barcell">{_bar(a.count, a.target, scale)}</td></tr>'
        )
        for s in a.subareas:
            flag = ' <span class="warn">none</span>' if s.count == 0 else ""
            rows.append(
                f'<tr class="sub"><td>{escape(s.code)} {escape(s.name)}{flag}</td><td></td>'
                f"<td class=num>{s.count}</td><td></td><td></td>"
                f'<td class="barcell">{_bar(s.count, None, scale)}</td></tr>'
            )
    statuses = ", ".join(cov.statuses)
    return (
        f"<section><h2>Coverage against the blueprint</h2>"
        f"<p>{cov.count} eligible items ({escape(statuses)}) for a target of {cov.target} "
        f"({outline.blueprint_items} items &times; {cov.multiplier:g}).</p>"
        "<div class=table-wrap><table><thead><tr><th>Work area</th><th class=num>Weight</th><th class=num>Items</th>"
        "<th class=num>Target</th><th>Status</th><th>Items against target</th></tr></thead><tbody>"
        + "".join(rows)
        + '</tbody></table></div><p class="legend">Bars show eligible items; the dark tick marks the target. '
        "Sub-area rows share the work area's scale.</p></section>"
    )


def _spread(result: CheckResult) -> str:
    cov = result.covered
    head = "".join(f"<th class=num>{k}</th>" for k in OPTION_KEYS)
    head += "".join(f"<th class=num>{d}</th>" for d in DIFFICULTIES)
    head += "".join(f"<th class=num>{c}</th>" for c in COGNITIVE_LEVELS)
    rows = []
    total: Counter[str] = Counter()
    for a in cov.areas:
        n = max(a.count, 1)
        cells = []
        for k in OPTION_KEYS:
            share = a.keys[k] / n
            cls = ' class="num warn"' if a.count and not 0.2 <= share <= 0.3 else " class=num"
            cells.append(f"<td{cls}>{a.keys[k]} <small>({share:.0%})</small></td>")
        cells += [f"<td class=num>{a.difficulty[d]}</td>" for d in DIFFICULTIES]
        cells += [f"<td class=num>{a.cognitive_level[c]}</td>" for c in COGNITIVE_LEVELS]
        total.update(a.keys)
        rows.append(f"<tr><td>{a.number}. {escape(a.name)}</td>{''.join(cells)}</tr>")
    return (
        "<section><h2>Answer keys, difficulty and cognitive level</h2>"
        f"<div class=table-wrap><table><thead><tr><th>Work area</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        '<p class="legend">Key shares outside 20&ndash;30&nbsp;% are highlighted.</p></section>'
    )


def _pipeline(result: CheckResult) -> str:
    counts = result.statuses
    stages = "".join(f'<div class="stage {s}"><div class="n">{counts[s]}</div><div>{s}</div></div>' for s in STATUSES)
    invalid = result.invalid
    extra = f'<p class="short">{invalid} file(s) fail validation and are not counted.</p>' if invalid else ""
    return f'<section><h2>Status pipeline</h2><div class="pipeline">{stages}</div>{extra}</section>'


def _clusters(result: CheckResult) -> str:
    if not result.clusters:
        return '<section><h2>Duplicate clusters</h2><p class="ok">No unacknowledged duplicates.</p></section>'
    rows = []
    for c in result.clusters:
        members = "<br>".join(f"<code>{escape(m.item_id)}</code> <small>{escape(m.path)}</small>" for m in c.members)
        diffs = "<br>".join(
            f"<code>{escape(p.a.item_id)}</code> ~ <code>{escape(p.b.item_id)}</code> "
            f"({p.score:.2f}): {escape(p.reason)}<br><small>{escape(p.diff)}</small>"
            for p in c.pairs
        )
        rows.append(
            f"<tr><td>{escape(c.kind)}</td><td class=num>{c.score:.2f}</td><td>{members}</td><td>{diffs}</td></tr>"
        )
    return (
        f"<section><h2>Duplicate clusters ({len(result.clusters)})</h2><div class=table-wrap><table><thead><tr><th>Kind</th>"
        "<th class=num>Score</th><th>Items</th><th>What differs</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div></section>"
    )


def _findings(diagnostics: list[Diagnostic], rules: dict[str, str]) -> str:
    if not diagnostics:
        return '<section><h2>Findings</h2><p class="ok">No findings.</p></section>'
    by_rule: Counter[str] = Counter(d.code for d in diagnostics)
    severity = {d.code: d.severity for d in diagnostics}
    rule_rows = "".join(
        f"<tr><td><code>{escape(code)}</code></td><td>{escape(rules.get(code, ''))}</td>"
        f'<td class="{"short" if severity[code] is Severity.ERROR else "warn"}">{severity[code].value}</td>'
        f"<td class=num>{n}</td></tr>"
        for code, n in sorted(by_rule.items())
    )
    by_item: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        by_item[d.item_id or d.path].append(d)
    item_rows = "".join(
        f"<tr><td><code>{escape(key)}</code></td><td>"
        + "<br>".join(f"<code>{escape(d.code)}</code> line {d.line}: {escape(d.message)}" for d in found)
        + "</td></tr>"
        for key, found in sorted(by_item.items())
    )
    return (
        "<section><h2>Findings by rule</h2><div class=table-wrap><table><thead><tr><th>Code</th><th>Rule</th><th>Severity</th>"
        f"<th class=num>Count</th></tr></thead><tbody>{rule_rows}</tbody></table></div></section>"
        "<section><h2>Findings by item</h2><div class=table-wrap><table><thead><tr><th>Item</th><th>Findings</th></tr></thead>"
        f"<tbody>{item_rows}</tbody></table></div></section>"
    )


def render_html(
    result: CheckResult,
    outline: Outline,
    rules: dict[str, str],
    forms: str = "",
    stats: tuple[str, dict[str, Any]] | None = None,
) -> str:
    """The whole page. `rules` maps rule codes to short descriptions; `forms`, the form sections
    (`cmas_bank.assemble.formreport`), goes before the findings; `stats` is a stats file's name
    and document (`cmas_bank/report_stats.py`), drawn as an item-statistics section."""
    cov = result.covered
    diagnostics = result.diagnostics
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    cards = [
        (str(result.file_count), "item files"),
        (f"{cov.count} / {cov.target}", "eligible items / target"),
        (f'<span class="{"ok" if cov.ok else "short"}">{"met" if cov.ok else "short"}</span>', "blueprint"),
        (f'<span class="{"short" if errors else "ok"}">{errors}</span>', "errors"),
        (f'<span class="{"warn" if warnings else "ok"}">{warnings}</span>', "warnings"),
    ]
    card_html = "".join(
        f'<div class="card"><div class="n">{n}</div><div class="l">{label}</div></div>' for n, label in cards
    )
    stats_html, style = "", STYLE
    if stats is not None:
        from cmas_bank import report_stats

        stats_html, style = report_stats.render(stats[1], stats[0], rules), STYLE + report_stats.STYLE
    provenance = " (sub-areas reconstructed)" if outline.provenance == "reconstructed" else ""
    body = (
        f"<header><h1>{escape(outline.title)}: item bank report</h1>"
        f"<p>Outline {escape(outline.id)} version {escape(outline.version)}{provenance} &middot; "
        f"cmas-bank {escape(__version__)}</p></header><main>"
        f'<div class="cards">{card_html}</div>'
        + _coverage(result, outline)
        + _pipeline(result)
        + _spread(result)
        + _clusters(result)
        + forms
        + _findings(diagnostics, rules)
        + stats_html
        + "</main>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(outline.id)} item bank report</title><style>{style}</style></head>"
        f"<body>{body}</body></html>\n"
    )
