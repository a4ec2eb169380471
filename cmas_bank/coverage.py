"""Blueprint coverage: how many eligible items each work area and sub-area holds against the
outline's blueprint times a multiplier (1.0 = one full form, 1.25 = a form and a quarter).

Items whose work area or sub-area is not in the outline are off-blueprint: listed, never counted.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from cmas_bank.diagnostics import Diagnostic, Severity
from cmas_bank.errors import UsageError

OPTION_KEYS = ("A", "B", "C", "D")  # as cmas_bank.model has it (a test holds them equal); no pydantic here

if TYPE_CHECKING:
    from cmas_bank.bankitem import BankItem
    from cmas_bank.config import Config
    from cmas_bank.outline import Outline

# Finding codes; their names and documentation are in cmas_bank/codetable.py (`cmas-bank rules`).
AREA_SHORT = "IC101"
SUBAREA_EMPTY = "IC102"
SUBAREA_SHORT = "IC103"
KEY_SHARE = "IC104"
HIGHER_ORDER = "IC105"

DIFFICULTIES = ("easy", "medium", "hard")
COGNITIVE_LEVELS = ("recall", "application", "analysis")
STATUSES = ("draft", "review", "approved", "retired")


class Countable(Protocol):
    """What coverage reads of an item: an `Item`, or a valid `BankItem`."""

    @property
    def id(self) -> str | None: ...
    @property
    def status(self) -> str | None: ...
    @property
    def domain(self) -> int | None: ...
    @property
    def subdomain(self) -> str | None: ...
    @property
    def difficulty(self) -> str | None: ...
    @property
    def cognitive_level(self) -> str | None: ...
    @property
    def answer(self) -> str | None: ...


@dataclass(frozen=True)
class Balance:
    """The bank's balance targets beyond the work-area counts (`[tool.cmas-bank.coverage]`), each
    off unless set: every sub-area at least its even share of its work area's target
    (`subarea-share = "even"`), each key letter's share of a work area within `key-share`, and
    at least `min-higher-order` of the counted items at application or analysis level."""

    subarea_share: bool = False
    key_share: tuple[float, float] | None = None
    min_higher_order: float | None = None


@dataclass
class SubAreaCoverage:
    code: str
    name: str
    count: int = 0
    minimum: int = 0  # the sub-area's share of the target, when `subarea-share` is set; else 0

    @property
    def shortfall(self) -> int:
        return max(0, self.minimum - self.count)


@dataclass
class AreaCoverage:
    number: int
    name: str
    weight: float
    blueprint: int
    target: int
    count: int = 0
    subareas: list[SubAreaCoverage] = field(default_factory=list)
    difficulty: Counter[str] = field(default_factory=Counter)
    cognitive_level: Counter[str] = field(default_factory=Counter)
    keys: Counter[str] = field(default_factory=Counter)

    @property
    def shortfall(self) -> int:
        return max(0, self.target - self.count)

    @property
    def surplus(self) -> int:
        return max(0, self.count - self.target)


@dataclass(frozen=True)
class OffBlueprint:
    id: str
    path: str
    reason: str


@dataclass
class CoverageReport:
    outline_id: str
    multiplier: float
    statuses: tuple[str, ...]
    areas: list[AreaCoverage]
    off_blueprint: list[OffBlueprint]
    ineligible: int  # valid items skipped for their status
    # The outline file as shown (when it lies under the working directory, so annotations can
    # land on it) and (line, column) of each work area's and sub-area's entry there.
    outline_path: str | None = None
    positions: dict[tuple[int, str | None], tuple[int, int]] = field(default_factory=dict)
    balance: Balance = field(default_factory=Balance)

    @property
    def target(self) -> int:
        return sum(a.target for a in self.areas)

    @property
    def count(self) -> int:
        return sum(a.count for a in self.areas)

    @property
    def higher_order(self) -> int:
        """Counted items at application or analysis level."""
        return sum(a.cognitive_level["application"] + a.cognitive_level["analysis"] for a in self.areas)

    @property
    def ok(self) -> bool:
        """Every work area meets its target and every balance target that is set holds."""
        short = any(s.shortfall and s.count for a in self.areas for s in a.subareas)  # empty ones are IC102's
        keys = any(self.key_outliers(a) for a in self.areas)
        return all(a.shortfall == 0 for a in self.areas) and not (short or keys or self._too_few_higher_order())

    def _too_few_higher_order(self) -> bool:
        minimum = self.balance.min_higher_order
        return minimum is not None and self.count > 0 and self.higher_order / self.count < minimum - 1e-9

    def key_outliers(self, a: AreaCoverage) -> list[tuple[str, int]]:
        """Key letters whose share of the work area's items is outside `key-share`."""
        if self.balance.key_share is None or a.count == 0:
            return []
        low, high = self.balance.key_share
        return [(k, a.keys[k]) for k in OPTION_KEYS if not low - 1e-9 <= a.keys[k] / a.count <= high + 1e-9]

    def _at(self, where: str, area: int, subarea: str | None = None) -> tuple[str, int, int]:
        position = self.positions.get((area, subarea))
        if self.outline_path is None or position is None:
            return _config_line(where) or (where, 1, 1)
        return self.outline_path, *position

    def diagnostics(self, where: str) -> list[Diagnostic]:
        """Findings for `check` and the annotation formats, at the outline's line for the work
        area (its `items:`) or sub-area (its `code:`) when the outline file lies under the working
        directory; else at `where`, the bank folder, line 1."""
        found = []
        for a in self.areas:
            if a.shortfall:
                found.append(
                    Diagnostic(
                        *self._at(where, a.number),
                        AREA_SHORT,
                        f"work area {a.number} ({a.name}) has {a.count} eligible items; "
                        f"target {a.target} ({a.blueprint} x {self.multiplier:g}), short by {a.shortfall}",
                    )
                )
            for s in a.subareas:
                if s.count == 0:
                    found.append(
                        Diagnostic(
                            *self._at(where, a.number, s.code),
                            SUBAREA_EMPTY,
                            f"sub-area {s.code} ({s.name}) has no eligible item",
                            Severity.WARNING,
                        )
                    )
        return found + self._balance_findings(where)
        # off-blueprint items are validate's findings (IV301, IV302), not repeated here

    def _balance_findings(self, where: str) -> list[Diagnostic]:
        found = []
        for a in self.areas:
            for s in a.subareas:
                if s.shortfall and s.count:  # an empty sub-area is IC102's
                    found.append(
                        Diagnostic(
                            *self._at(where, a.number, s.code),
                            SUBAREA_SHORT,
                            f"sub-area {s.code} ({s.name}) has {s.count} eligible items; its even share of work "
                            f"area {a.number}'s target is {s.minimum}, short by {s.shortfall}",
                        )
                    )
            for key, n in self.key_outliers(a):
                low, high = self.balance.key_share or (0.0, 1.0)
                found.append(
                    Diagnostic(
                        *self._at(where, a.number),
                        KEY_SHARE,
                        f"work area {a.number}: key {key} on {n} of {a.count} eligible items "
                        f"({100 * n / a.count:.0f} %), outside {100 * low:g}-{100 * high:g} %",
                    )
                )
        minimum = self.balance.min_higher_order
        if minimum is not None and self._too_few_higher_order():
            found.append(
                Diagnostic(
                    *(_config_line(where) or (where, 1, 1)),
                    HIGHER_ORDER,
                    f"{self.higher_order} of {self.count} eligible items ({100 * self.higher_order / self.count:.0f} %) "
                    f"are at application or analysis level; at least {100 * minimum:g} % must be",
                )
            )
        return found

    def to_dict(self) -> dict[str, object]:
        return {
            "outline": self.outline_id,
            "multiplier": self.multiplier,
            "statuses": list(self.statuses),
            "target": self.target,
            "count": self.count,
            "ok": self.ok,
            "ineligible": self.ineligible,
            "areas": [
                {
                    "number": a.number,
                    "name": a.name,
                    "weight": a.weight,
                    "blueprint": a.blueprint,
                    "target": a.target,
                    "count": a.count,
                    "shortfall": a.shortfall,
                    "surplus": a.surplus,
                    "subareas": [
                        {"code": s.code, "name": s.name, "count": s.count, "minimum": s.minimum} for s in a.subareas
                    ],
                    "difficulty": {k: a.difficulty[k] for k in DIFFICULTIES},
                    "cognitive_level": {k: a.cognitive_level[k] for k in COGNITIVE_LEVELS},
                    "keys": {k: a.keys[k] for k in OPTION_KEYS},
                }
                for a in self.areas
            ],
            "off_blueprint": [{"id": o.id, "path": o.path, "reason": o.reason} for o in self.off_blueprint],
            "balance": {
                "subarea_share": "even" if self.balance.subarea_share else None,
                "key_share": list(self.balance.key_share) if self.balance.key_share else None,
                "min_higher_order": self.balance.min_higher_order,
                "higher_order": self.higher_order,
            },
        }


def parse_statuses(values: Iterable[str]) -> tuple[str, ...]:
    """`--status approved,review` or repeated options -> a checked tuple."""
    from cmas_bank.config import suggest

    statuses = tuple(dict.fromkeys(s.strip() for v in values for s in v.split(",") if s.strip()))
    for s in statuses:
        if s not in STATUSES:
            raise UsageError(f"unknown status {s!r}{suggest(s, STATUSES)}; choose from {', '.join(STATUSES)}")
    return statuses or ("approved",)


DEFAULT_SETTINGS: dict[str, object] = {
    "min-multiplier": 1.0,
    "status": ["approved"],
    "subarea-share": "none",
    "key-share": None,
    "min-higher-order": None,
}


def _fraction(value: object, where: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
        return float(value)
    raise UsageError(f"{where} must be a fraction from 0 to 1 (0.4 for 40 %), not {value!r}")


def balance_settings(config: Config) -> Balance:
    """The balance targets of `[tool.cmas-bank.coverage]`, checked (usage errors name the key)."""
    settings = coverage_settings(config)
    where = "[tool.cmas-bank.coverage]"
    share = settings["subarea-share"]
    if share not in ("none", "even"):
        raise UsageError(f'{where} subarea-share must be "even" or "none", not {share!r}')
    keys = settings["key-share"]
    key_share = None
    if keys is not None:
        if not (isinstance(keys, list) and len(keys) == 2):
            raise UsageError(f"{where} key-share must be [lowest, highest] fractions, e.g. [0.22, 0.28], not {keys!r}")
        low, high = (_fraction(k, f"{where} key-share") for k in keys)
        if low > high:
            raise UsageError(f"{where} key-share: the lowest share {low:g} is above the highest {high:g}")
        key_share = (low, high)
    minimum = settings["min-higher-order"]
    higher = None if minimum is None else _fraction(minimum, f"{where} min-higher-order")
    return Balance(subarea_share=share == "even", key_share=key_share, min_higher_order=higher)


def coverage_settings(config: Config) -> dict[str, Any]:
    """`[tool.cmas-bank.coverage]` merged over the defaults; unknown keys are usage errors."""
    from cmas_bank.config import suggest

    section = config.section("coverage")
    for key in section:
        if key not in DEFAULT_SETTINGS:
            raise UsageError(f"unknown setting [tool.cmas-bank.coverage] {key!r}{suggest(key, list(DEFAULT_SETTINGS))}")
    settings = {**DEFAULT_SETTINGS, **section}
    status = settings["status"]
    check_multiplier(settings["min-multiplier"], "[tool.cmas-bank.coverage] min-multiplier")
    if isinstance(status, str):
        settings["status"] = [status]
    elif not (isinstance(status, list) and all(isinstance(s, str) for s in status)):
        raise UsageError("[tool.cmas-bank.coverage] status must be a status or a list of statuses")
    return settings


MAX_MULTIPLIER = 1000.0  # forms: far past any real bank, and far from overflowing a count


def check_multiplier(value: object, where: str) -> float:
    """`value` as a multiplier of forms, or a UsageError naming the setting (`where`): a number
    above 0 and at most MAX_MULTIPLIER, so not NaN or infinite either."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= MAX_MULTIPLIER:
        return float(value)
    raise UsageError(f"{where} must be a number above 0 and at most {MAX_MULTIPLIER:g}, not {value!r}")


def coverage_choice(
    config: Config, status: Sequence[str] | None, min_multiplier: float | None
) -> tuple[tuple[str, ...], float]:
    """Statuses and multiplier for a run: the command-line options, else the config, else the
    defaults (approved, one form)."""
    settings = coverage_settings(config)
    balance_settings(config)  # a bad balance setting is a usage error before the run, not during it
    statuses = parse_statuses(status or settings["status"])
    if min_multiplier is not None:
        return statuses, check_multiplier(min_multiplier, "--min-multiplier")
    return statuses, float(settings["min-multiplier"])


def coverage_view(b: BankItem) -> Hashable:
    """What `compute_coverage` reads of an item (`check` reuses its report while this holds)."""
    return (b.valid, b.id, b.status, b.domain, b.subdomain, b.difficulty, b.cognitive_level, b.answer)


def compute_coverage(
    items: Iterable[tuple[Countable, str]],
    outline: Outline,
    statuses: Sequence[str] = ("approved",),
    multiplier: float = 1.0,
    balance: Balance | None = None,
) -> CoverageReport:
    """Count `items` (each with the path to show for it) against the blueprint and the balance
    targets."""
    import math

    balance = balance or Balance()
    if multiplier <= 0:
        raise UsageError(f"the multiplier must be positive, not {multiplier:g}")
    areas = {
        a.number: AreaCoverage(
            number=a.number,
            name=a.name,
            weight=a.weight,
            blueprint=a.items,
            target=outline.target(a.number, multiplier),
            subareas=[
                SubAreaCoverage(
                    s.code,
                    s.name,
                    minimum=math.ceil(outline.target(a.number, multiplier) / len(a.subareas) - 1e-9)
                    if balance.subarea_share
                    else 0,
                )
                for s in a.subareas
            ],
        )
        for a in outline.work_areas
    }
    subareas = {(number, s.code): s for number, a in areas.items() for s in a.subareas}
    off: list[OffBlueprint] = []
    ineligible = 0
    for item, path in items:
        if item.status not in statuses:
            ineligible += 1
            continue
        domain, code = item.domain, item.subdomain
        area = areas.get(domain) if domain is not None else None
        if area is None:
            off.append(OffBlueprint(item.id or "", path, f"work area {domain} is not in outline {outline.id}"))
            continue
        sub = subareas.get((area.number, code or ""))
        if sub is None:
            off.append(OffBlueprint(item.id or "", path, f"sub-area {code} is not in work area {domain}"))
            continue
        area.count += 1
        sub.count += 1
        area.difficulty[item.difficulty or ""] += 1
        area.cognitive_level[item.cognitive_level or ""] += 1
        area.keys[item.answer or ""] += 1
    return CoverageReport(
        outline_id=outline.id,
        multiplier=multiplier,
        statuses=tuple(statuses),
        areas=list(areas.values()),
        off_blueprint=sorted(off, key=lambda o: (o.path, o.id)),
        ineligible=ineligible,
        outline_path=_outline_display(outline),
        positions=_outline_positions(outline),
        balance=balance,
    )


def _config_line(bank: str) -> tuple[str, int, int] | None:
    """The `outline =` line (else the `[tool.cmas-bank]` line) of the pyproject.toml above the
    bank folder, for an outline file annotations cannot reach (an installed built-in outline);
    None when there is none under the working directory."""
    import os
    import re
    from pathlib import Path

    from cmas_bank.config import find_pyproject
    from cmas_bank.diagnostics import display_path

    try:
        source = find_pyproject(Path(os.path.abspath(bank)))
        lines = source.read_text(encoding="utf-8").splitlines() if source is not None else []
    except (OSError, UnicodeDecodeError, UsageError):
        return None
    table = next((i for i, line in enumerate(lines) if re.match(r"\s*\[tool\.cmas-bank\]", line)), None)
    if source is None or table is None:
        return None
    key = next((i for i in range(table + 1, len(lines)) if re.match(r"\s*(\[|outline\s*=)", lines[i])), None)
    line = key if key is not None and lines[key].lstrip().startswith("outline") else table
    shown = display_path(source.absolute())
    return None if shown.startswith("../") or os.path.isabs(shown) else (shown, line + 1, 1)


def _outline_display(outline: Outline) -> str | None:
    """The outline file relative to the working directory, None when it is outside (an installed
    built-in outline) or the outline was not read from a file."""
    import os

    from cmas_bank.diagnostics import display_path

    if outline.source is None:
        return None
    shown = display_path(os.path.abspath(outline.source))
    return None if shown.startswith("../") or os.path.isabs(shown) else shown


def _outline_positions(outline: Outline) -> dict[tuple[int, str | None], tuple[int, int]]:
    found: dict[tuple[int, str | None], tuple[int, int]] = {}
    for a in outline.work_areas:
        for code in (None, *(s.code for s in a.subareas)):
            position = outline.position(a.number, code)
            if position is not None:
                found[(a.number, code)] = position
    return found


# --- rendering --------------------------------------------------------------------------------


def _status(a: AreaCoverage) -> str:
    if a.shortfall:
        return f"short {a.shortfall}"
    return f"+{a.surplus}" if a.surplus else "ok"


def render_json(report: CoverageReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def render_markdown(report: CoverageReport) -> str:
    """GitHub-flavoured markdown for pull-request comments and the job summary."""
    verdict = "meets" if report.ok else "**falls short of**"
    lines = [
        f"### Blueprint coverage ({report.outline_id}, x{report.multiplier:g})",
        "",
        f"{report.count} eligible items ({', '.join(report.statuses)}) {verdict} the target of {report.target}.",
        "",
        "| # | Work area | Target | Items | Status | Difficulty (E M H) | Level (R Ap An) | Keys (A B C D) |",
        "|---:|---|---:|---:|---|---|---|---|",
    ]
    for a in report.areas:
        status = f"❌ short {a.shortfall}" if a.shortfall else ("✅ +" + str(a.surplus) if a.surplus else "✅")
        lines.append(
            f"| {a.number} | {a.name} | {a.target} | {a.count} | {status} | "
            f"{' '.join(str(a.difficulty[k]) for k in DIFFICULTIES)} | "
            f"{' '.join(str(a.cognitive_level[k]) for k in COGNITIVE_LEVELS)} | "
            f"{' '.join(str(a.keys[k]) for k in OPTION_KEYS)} |"
        )
    lines += ["", "<details><summary>Sub-areas</summary>", "", "| Sub-area | Name | Items |", "|---|---|---:|"]
    for a in report.areas:
        lines += [
            f"| {s.code} | {s.name} | {s.count}{f' of {s.minimum}' if s.minimum else ''}"
            f"{' ⚠️' if s.count == 0 or s.shortfall else ''} |"
            for s in a.subareas
        ]
    lines += ["", "</details>"]
    balance = [re.sub(r"\[/?\w*\]", "", line) for line in _balance_lines(report)]
    lines += ["", *(f"- {line}" for line in balance)] if balance else []
    if report.off_blueprint:
        lines += ["", f"**Off-blueprint items ({len(report.off_blueprint)}), not counted:**", ""]
        lines += [f"- `{o.id}` ({o.path}): {o.reason}" for o in report.off_blueprint]
    return "\n".join(lines) + "\n"


def _console_width(width: int | None) -> int | None:
    """The width to print at: as asked, else the terminal's (rich reads it, and `COLUMNS`), else
    120 for a pipe or a file."""
    import os

    if width:
        return width
    return None if sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit() else 120


def _mix(a: AreaCoverage) -> tuple[str, str, str]:
    return (
        "/".join(str(a.difficulty[k]) for k in DIFFICULTIES),
        "/".join(str(a.cognitive_level[k]) for k in COGNITIVE_LEVELS),
        "/".join(str(a.keys[k]) for k in OPTION_KEYS),
    )


def _area_table(report: CoverageReport, wide: bool) -> Any:
    """The work-area table. Narrow (default, reads at 80 columns): the difficulty, level and key
    counts stacked in one column, the name wrapping; numbers never wrap or shrink. Wide: one
    column each and the name on one line."""
    from rich.table import Table

    table = Table(
        title=f"Blueprint coverage: {report.outline_id} x{report.multiplier:g} ({', '.join(report.statuses)})"
    )
    mix_columns = ("Diff E/M/H", "Level R/Ap/An", "Keys A/B/C/D") if wide else ("Difficulty, level, keys",)
    for name in ("#", "Work area", "Target", "Items", "Status", *mix_columns):
        text = name == "Work area"
        table.add_column(
            name,
            justify="left" if text or not wide and name in mix_columns else "right",
            no_wrap=wide or not text,
            min_width=12 if text else len(name) if wide else min(len(name), 15),
            overflow="fold",
        )
    for a in report.areas:
        status = f"[red]short {a.shortfall}[/]" if a.shortfall else f"[green]{_status(a)}[/]"
        difficulty, level, keys = _mix(a)
        mix = (difficulty, level, keys) if wide else (f"E/M/H {difficulty}\nR/Ap/An {level}\nA/B/C/D {keys}",)
        table.add_row(str(a.number), a.name, str(a.target), str(a.count), status, *mix)
    table.add_section()
    total = "[green]ok[/]" if report.ok else "[red]short[/]"
    table.add_row("", "Total", str(report.target), str(report.count), total, *([""] * len(mix_columns)))
    return table


def _subarea_cell(s: SubAreaCoverage) -> str:
    shown = f"{s.code} {s.count}" + (f"/{s.minimum}" if s.minimum else "")
    return f"[yellow]{shown}[/]" if s.count == 0 or s.shortfall else shown


def _balance_lines(report: CoverageReport) -> list[str]:
    """One line per balance target that is set, marked when it fails."""
    b, lines = report.balance, []
    if b.subarea_share:
        short = [s.code for a in report.areas for s in a.subareas if s.shortfall]
        lines.append(
            f"sub-areas at their even share of the target: {'[red]short: ' + ' '.join(short) + '[/]' if short else '[green]ok[/]'}"
        )
    if b.key_share:
        off = [f"{a.number}:{k}" for a in report.areas for k, _ in report.key_outliers(a)]
        band = f"{100 * b.key_share[0]:g}-{100 * b.key_share[1]:g} %"
        lines.append(
            f"keys per letter within {band} in each work area: {'[red]outside: ' + ' '.join(off) + '[/]' if off else '[green]ok[/]'}"
        )
    if b.min_higher_order is not None and report.count:
        share = report.higher_order / report.count
        mark = "[green]ok[/]" if share >= b.min_higher_order - 1e-9 else "[red]below[/]"
        lines.append(f"application or analysis: {100 * share:.0f} % (at least {100 * b.min_higher_order:g} %): {mark}")
    return lines


def print_table(report: CoverageReport, width: int | None = None, wide: bool = False) -> None:
    """Rich tables on stdout, coloured on a terminal (rich is imported only here). The default
    layout reads at 80 columns; `wide` gives each count its own column."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=_console_width(width), highlight=False)
    table = _area_table(report, wide)
    if wide:  # every column at its full width: the terminal may wrap the lines, no number is cut
        from rich.measure import Measurement

        needed = Measurement.get(console, console.options.update(max_width=10_000), table).maximum
        console = Console(width=max(console.width, needed), highlight=False)
    console.print(table)
    subs = Table(title="Items per sub-area", show_header=False)
    subs.add_column("#", justify="right", no_wrap=True)
    subs.add_column("Sub-areas")
    for a in report.areas:
        subs.add_row(str(a.number), "  ".join(_subarea_cell(s) for s in a.subareas))
    console.print(subs)
    for line in _balance_lines(report):
        console.print(line)
    for o in report.off_blueprint:
        console.print(f"[yellow]off-blueprint[/] {o.id} ({o.path}): {o.reason}")
