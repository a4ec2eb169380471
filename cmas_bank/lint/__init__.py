"""Item-writing lint rules (IW codes) and the engine that runs them.

The rules live one family per module (stem IW1xx, options IW2xx, cues IW3xx, hygiene IW4xx,
bank-wide IW5xx, suppressions IW9xx); `REGISTRY` collects every `Rule` declared in them, so
adding a rule is one decorated function. Entry points:

- `lint_file(file, settings)`: the per-item rules on one validated file, suppressions applied.
  A pure function of the file and the settings, so `check` can cache it per file.
- `lint_bank(files, settings, whole_bank=True)`: the bank-wide rules over every item;
  `lint_bank_items` runs them on `BankItem`s that carry their features (`bank_features`), which
  is what `check` caches.
- `lint_files(files, config_or_settings)`: both, sorted: what `cmas-bank lint` prints.

Files whose item failed validation (`file.item is None`) are skipped; validate reports them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmas_bank.bankitem import BankItem, bank_item
from cmas_bank.diagnostics import Diagnostic, Severity, sort_key
from cmas_bank.lint import bank, cues, hygiene, meta, options, references, reviewer, stem
from cmas_bank.lint.core import BankMemo, Finding, ItemContext, Rule, locate, value_at
from cmas_bank.lint.settings import (
    LintSettings,
    build_settings,
    default_settings,
    settings_from_config,
)
from cmas_bank.loader import key_position

if TYPE_CHECKING:
    from cmas_bank.config import Config
    from cmas_bank.validate import ItemFile

FAMILIES = {
    "IW1": "stem",
    "IW2": "options",
    "IW3": "cues",
    "IW4": "hygiene",
    "IW5": "bank-wide",
    "IW9": "suppressions",
}


def _collect() -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    for module in (stem, options, cues, hygiene, bank, meta, references, reviewer):
        for value in vars(module).values():
            if isinstance(value, Rule):
                if value.code in found and found[value.code] is not value:
                    raise RuntimeError(f"duplicate lint rule code {value.code}")
                if value.scope == "bank" and value.reads is None:
                    raise RuntimeError(f"bank rule {value.code} does not say what it reads of an item")
                found[value.code] = value
    return dict(sorted(found.items()))


REGISTRY: dict[str, Rule] = _collect()
ITEM_RULES: tuple[Rule, ...] = tuple(r for r in REGISTRY.values() if r.scope == "item" and r.family != "IW9")
BANK_RULES: tuple[Rule, ...] = tuple(r for r in REGISTRY.values() if r.scope == "bank")
BANK_CODES = frozenset(r.code for r in BANK_RULES)
META = (meta.unused_suppression.code, meta.unknown_suppression.code, meta.suppression_without_reason.code)


def rule_by_name_or_code(name: str) -> Rule | None:
    key = name.strip()
    if key.upper() in REGISTRY:
        return REGISTRY[key.upper()]
    return next((r for r in REGISTRY.values() if r.name == key.lower()), None)


def _diagnostic(ctx: ItemContext, rule: Rule, finding: Finding, settings: LintSettings) -> Diagnostic:
    severity = settings.severity.get(rule.code) or finding.severity or rule.severity
    end: tuple[int, int] | None = None
    if finding.at is not None:
        line, column, end_column = finding.at
        start, end = (line, column), (line, end_column)
    elif finding.key:
        start = key_position(ctx.loaded, finding.path)
    else:
        value = value_at(ctx.loaded.data, finding.path) if finding.start is not None else None
        start, end = locate(ctx.loaded, finding.path, value, finding.start, ctx.lines, finding.end)
        if finding.end is None:
            end = None
    return Diagnostic(
        path=ctx.loaded.display,
        line=start[0],
        column=start[1],
        code=rule.code,
        message=finding.message,
        severity=severity,
        item_id=ctx.item.id,
        end_line=end[0] if end else None,
        end_column=end[1] if end else None,
        fix="safe" if rule.fixable else None,
    )


def lint_file(file: ItemFile, settings: LintSettings | None = None, ctx: ItemContext | None = None) -> list[Diagnostic]:
    """Per-item rules on one file, with the item's suppressions applied and checked (IW9xx for
    per-item codes). Returns [] for files without a valid item. `ctx`: the file's context, when
    the caller has one to share."""
    if file.item is None:
        return []
    return _lint_item(ctx or ItemContext(file, file.item), settings or default_settings())


def _plan(settings: LintSettings, enabled: frozenset[str]) -> tuple[tuple[Rule, Mapping[str, Any]], ...]:
    plan = settings.plans.get(enabled)
    if plan is None:
        plan = settings.plans[enabled] = tuple((r, settings.options[r.code]) for r in ITEM_RULES if r.code in enabled)
    return plan


def _lint_item(ctx: ItemContext, settings: LintSettings) -> list[Diagnostic]:
    enabled = settings.codes_for(ctx.loaded.path, ctx.loaded.display)
    if not enabled:
        return []
    suppress = ctx.item.suppress
    used: set[str] = set()
    out: list[Diagnostic] = []
    for rule, opts in _plan(settings, enabled):
        for finding in rule.check(ctx, opts):
            if rule.code in suppress:
                used.add(rule.code)
                continue
            out.append(_diagnostic(ctx, rule, finding, settings))
    if suppress:
        out.extend(
            _meta(ctx, settings, enabled, used, judged={c for c in suppress if c in enabled and c not in BANK_CODES})
        )
    return out


def _meta(
    ctx: ItemContext, settings: LintSettings, enabled: frozenset[str], used: set[str], judged: set[str]
) -> Iterator[Diagnostic]:
    if not ctx.item.suppress:
        return
    rules = meta
    if rules.unknown_suppression.code in enabled:
        for f in rules.unknown_suppression.check(ctx, settings.options["IW902"], known=REGISTRY):
            yield _diagnostic(ctx, rules.unknown_suppression, f, settings)
    if rules.suppression_without_reason.code in enabled:
        for f in rules.suppression_without_reason.check(ctx, settings.options["IW903"]):
            yield _diagnostic(ctx, rules.suppression_without_reason, f, settings)
    if rules.unused_suppression.code in enabled and judged:
        for f in rules.unused_suppression.check(ctx, settings.options["IW901"], used=used, judged=judged):
            yield _diagnostic(ctx, rules.unused_suppression, f, settings)


def lint_bank(
    files: Sequence[ItemFile], settings: LintSettings | None = None, *, whole_bank: bool = True
) -> list[Diagnostic]:
    """Bank-wide rules over every valid item in `files`. Suppressions of bank rules are applied
    here, and judged unused (IW901) only when `whole_bank` says the files are the whole bank."""
    items = [b for b in (bank_features(f) for f in files) if b is not None]
    return lint_bank_items(items, settings or default_settings(), whole_bank=whole_bank)


def bank_features(file: ItemFile, ctx: ItemContext | None = None) -> BankItem | None:
    """The file's `BankItem` with the features the bank rules read (None for an invalid item)."""
    if file.item is None:
        return None
    b = bank_item(file.loaded, file.item)
    if b is not None:
        b.lint = bank.features(ctx or ItemContext(file, file.item))
    return b


def bank_view(b: BankItem) -> Hashable:
    """What the bank rules read of an item, with where their findings point (the stem, the
    answer, the key, the suppress entries): `check` reuses their findings while this holds for
    every edited file. Invalid items are not linted: nothing is read of them."""
    if not b.valid:
        return None
    key_at = b.position(("options", b.answer)) if b.answer is not None else None
    places = (b.position(("stem",)), b.position(("answer",)), key_at, tuple(b.keys.items()))
    return (b.valid, b.suppress, places, *(rule.reads(b) for rule in BANK_RULES))  # type: ignore[misc]


Raw = list[tuple[str, Finding]]  # a bank rule's findings, by the display path of their item


def lint_bank_items(
    items: Sequence[BankItem], settings: LintSettings, *, whole_bank: bool = True, memo: BankMemo | None = None
) -> list[Diagnostic]:
    """The bank-wide rules over valid items that carry their features (what `check` calls with
    the items it has cached, and with a `memo` that keeps each rule's findings and the state of
    incremental rules between runs)."""
    run = _BankRun(bank.by_id(items), settings, memo)
    out: list[Diagnostic] = []
    raw: dict[str, Raw] = {}
    for rule in (r for r in BANK_RULES if r.code in settings.enabled):
        found = run.findings(rule)
        raw[rule.code] = [(b.display, f) for b, f in found]
        out.extend(run.report(rule, found))
    if memo is not None:
        memo.state["raw"] = raw
    if whole_bank and meta.unused_suppression.code in settings.enabled:
        out.extend(run.unused())
    return out


class _BankRun:
    """One run of the bank rules: which codes each item enables, which suppressions were used."""

    def __init__(self, items: Sequence[BankItem], settings: LintSettings, memo: BankMemo | None) -> None:
        self.items, self.settings, self.memo = items, settings, memo
        self.used: dict[int, set[str]] = {}
        self.enabled_for: dict[int, frozenset[str]] = {}
        self.kept: dict[str, Raw] = memo.state.get("raw", {}) if memo is not None else {}
        # Items by display path: to compare the edited files and to place kept findings (made once).
        self.by_display = {b.display: b for b in items} if memo is not None and memo.before is not None else {}

    def codes(self, b: BankItem) -> frozenset[str]:
        key = id(b)
        if key not in self.enabled_for:
            s = self.settings
            self.enabled_for[key] = s.codes_for(Path(b.path), b.display) if s.per_file_ignores else s.enabled
        return self.enabled_for[key]

    def findings(self, rule: Rule) -> list[tuple[BankItem, Finding]]:
        """The rule's findings: kept from the last run where no edited file reads differently
        to it (placed anew at the values' current positions), else found now."""
        if rule.code in self.kept and _unchanged(rule, self.memo, self.by_display):
            return [(self.by_display[d], f) for d, f in self.kept[rule.code]]
        extra = {"memo": self.memo} if rule.incremental else {}
        return list(rule.check(self.items, self.settings.options[rule.code], **extra))

    def report(self, rule: Rule, found: list[tuple[BankItem, Finding]]) -> Iterator[Diagnostic]:
        for b, finding in found:
            if rule.code not in self.codes(b):
                continue
            if rule.code in b.suppress:
                self.used.setdefault(id(b), set()).add(rule.code)
                continue
            yield _bank_diagnostic(b, rule, finding, self.settings)

    def unused(self) -> Iterator[Diagnostic]:
        """IW901 for suppressions of bank rules that suppressed nothing (whole bank only)."""
        rule = meta.unused_suppression
        for b in self.items:
            if not b.suppress or rule.code not in self.codes(b):
                continue
            judged = {c for c in b.suppress if c in BANK_CODES and c in self.codes(b)}
            if judged:
                options = self.settings.options[rule.code]
                for f in rule.check(b, options, used=self.used.get(id(b), set()), judged=judged):
                    yield _bank_diagnostic(b, rule, f, self.settings)


def _unchanged(rule: Rule, memo: BankMemo | None, now: Mapping[str, BankItem]) -> bool:
    """Whether every file edited since the last run reads the same to `rule` as it did then (so
    its findings then, placed anew, are its findings now). `now`: the items by display path."""
    if memo is None or memo.before is None or rule.reads is None:
        return False
    edited = memo.before

    def seen(b: BankItem | None) -> Hashable:
        return rule.reads(b) if b is not None and b.valid else None  # type: ignore[misc]

    return all(seen(b) == seen(now.get(d)) for d, b in edited.items())


def _bank_diagnostic(b: BankItem, rule: Rule, finding: Finding, settings: LintSettings) -> Diagnostic:
    """A bank rule's finding, placed with the positions the `BankItem` kept (bank findings
    point at a value or a suppress key, never inside a value)."""
    severity = settings.severity.get(rule.code) or finding.severity or rule.severity
    pos = b.key_position(finding.path) if finding.key else b.position(finding.path)
    return b.diag(rule.code, finding.message, pos, severity=severity)


def lint_files(
    files: Sequence[ItemFile], config: Config | LintSettings | None = None, *, whole_bank: bool = True
) -> list[Diagnostic]:
    """Every lint rule over already validated files: per-item rules on each, then the
    bank-wide rules over all of them. Sorted by path, line and column."""
    settings = _settings(config)
    found: list[Diagnostic] = []
    items: list[BankItem] = []
    for f in files:
        if f.item is None:
            continue
        ctx = ItemContext(f, f.item)
        found.extend(_lint_item(ctx, settings))
        b = bank_features(f, ctx)
        if b is not None:
            items.append(b)
    found.extend(lint_bank_items(items, settings, whole_bank=whole_bank))
    return sorted(found, key=sort_key)


def _settings(config: Config | LintSettings | None) -> LintSettings:
    if config is None:
        return default_settings()
    if isinstance(config, LintSettings):
        return config
    return settings_from_config(config)


def statistics(diagnostics: Iterable[Diagnostic]) -> list[tuple[str, str, Severity, int, bool]]:
    """(code, name, severity, count, fixable) per rule that fired, most frequent first."""
    counts: dict[tuple[str, Severity], int] = {}
    for d in diagnostics:
        counts[(d.code, d.severity)] = counts.get((d.code, d.severity), 0) + 1
    rows = []
    for (code, sev), n in counts.items():
        rule = REGISTRY.get(code)
        rows.append((code, rule.name if rule else "", sev, n, bool(rule and rule.fixable)))
    return sorted(rows, key=lambda r: (-r[3], r[0]))


__all__ = [
    "BANK_RULES",
    "FAMILIES",
    "ITEM_RULES",
    "REGISTRY",
    "BankMemo",
    "LintSettings",
    "Rule",
    "bank_features",
    "bank_view",
    "build_settings",
    "default_settings",
    "lint_bank",
    "lint_bank_items",
    "lint_file",
    "lint_files",
    "rule_by_name_or_code",
    "settings_from_config",
    "statistics",
]
