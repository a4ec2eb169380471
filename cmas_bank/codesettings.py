"""`[tool.cmas-bank.check]`: which findings `check` and `report` show, and how severe they are,
for every family of codes (IV, IW, ID, IC), applied to the final findings.

```toml
[tool.cmas-bank.check]
select = ["ALL"]                 # default: every code
extend-select = []
ignore = ["IC102"]
severity = { IC101 = "warning" } # a bank still growing: a short work area does not fail the hook
```

Selectors are those of `[tool.cmas-bank.lint]` (codes, prefixes such as `IC1` or `IW`, names,
`ALL`; the most specific wins, `ignore` on a tie) and are resolved by the same code
(`cmas_bank.selectors`). This filters and grades what the checks found; it does not change
which checks run (lint's own `select` does, in `[tool.cmas-bank.lint]`). IV101, a file that
cannot be read, is an I/O error rather than a finding: it is always reported, and naming it in
`ignore` or `severity` is an error. Unknown settings, selectors and severities are usage errors
with a "did you mean" hint; those given as command-line options name the option.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cmas_bank import selectors
from cmas_bank.config import suggest
from cmas_bank.diagnostics import READ_ERROR, Diagnostic, Severity
from cmas_bank.selectors import Resolved

if TYPE_CHECKING:
    from cmas_bank.check import CheckResult
    from cmas_bank.config import Config

SECTION = "check"
LABEL = f"[tool.cmas-bank.{SECTION}]"
KNOWN_SETTINGS = ("select", "extend-select", "ignore", "severity")
NOUN = "code"


@dataclass(frozen=True)
class CodeSettings:
    """Resolved selectors; `select=None` means every code."""

    select: tuple[Resolved, ...] | None = None
    extend_select: tuple[Resolved, ...] = ()
    ignore: tuple[Resolved, ...] = ()
    severity: tuple[tuple[Resolved, Severity], ...] = ()

    @property
    def active(self) -> bool:
        return self.select is not None or bool(self.extend_select or self.ignore or self.severity)

    def enabled(self, code: str) -> bool:
        if code == READ_ERROR:
            return True
        enable = [*(self.select or ()), *self.extend_select]
        return selectors.decide(code, enable, self.ignore, default=self.select is None)

    def severity_for(self, code: str) -> Severity | None:
        return None if code == READ_ERROR else selectors.most_specific(code, self.severity)


def _resolve(selector: object, setting: str, source: object, label: str) -> Resolved:
    from cmas_bank.codes import universe_for

    resolved = selectors.resolve(selector, setting, universe_for(selector), source=source, label=label, noun=NOUN)
    if setting.lstrip("-").startswith(("ignore", "severity")) and resolved[1] == {READ_ERROR}:
        raise selectors.fail(
            source, label, f"{setting}: {READ_ERROR} (file cannot be read) is an I/O error and is always reported"
        )
    return resolved


def _from_table(table: Mapping[str, Any], name: str, source: object) -> tuple[Resolved, ...]:
    values = selectors.selector_list(table.get(name, []), name, source=source, label=LABEL, noun=NOUN)
    return tuple(_resolve(s, name, source, LABEL) for s in values)


def _from_option(values: Iterable[str], option: str) -> tuple[Resolved, ...]:
    return tuple(_resolve(s, option, None, "option") for s in values)


def _severities(table: Mapping[str, Any], source: object) -> tuple[tuple[Resolved, Severity], ...]:
    value = table.get("severity", {})
    if not isinstance(value, dict):
        raise selectors.fail(source, LABEL, "severity must be a table of selector = severity")
    return tuple(
        (
            _resolve(s, f"severity.{s}", source, LABEL),
            selectors.parse_severity(v, f"severity.{s}", source=source, label=LABEL),
        )
        for s, v in value.items()
    )


def build_code_settings(
    table: Mapping[str, Any],
    *,
    source: object = None,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> CodeSettings:
    """Settings from a `[tool.cmas-bank.check]` table with command-line selectors on top
    (`--select` replaces the table's select, the others add to the table's)."""
    for key in table:
        if key not in KNOWN_SETTINGS:
            raise selectors.fail(source, LABEL, f"unknown setting {key!r}{suggest(key, KNOWN_SETTINGS)}")
    chosen: tuple[Resolved, ...] | None
    if select is not None:
        chosen = _from_option(select, "--select")
    else:
        chosen = _from_table(table, "select", source) if "select" in table else None
    return CodeSettings(
        select=chosen,
        extend_select=_from_table(table, "extend-select", source) + _from_option(extend_select, "--extend-select"),
        ignore=_from_table(table, "ignore", source) + _from_option(ignore, "--ignore"),
        severity=_severities(table, source),
    )


def settings_from_config(config: Config, **options: Any) -> CodeSettings:
    """The code settings of a loaded `Config` (its `[tool.cmas-bank.check]` table)."""
    return build_code_settings(config.section(SECTION), source=config.source, **options)


def apply_code_settings(diagnostics: Iterable[Diagnostic], settings: CodeSettings) -> list[Diagnostic]:
    """The findings `settings` keep, each with the severity they give it."""
    if not settings.active:
        return list(diagnostics)
    decided: dict[str, tuple[bool, Severity | None]] = {}
    out = []
    for d in diagnostics:
        if d.code not in decided:
            decided[d.code] = (settings.enabled(d.code), settings.severity_for(d.code))
        keep, severity = decided[d.code]
        if keep:
            out.append(d if severity is None or severity is d.severity else dataclasses.replace(d, severity=severity))
    return out


def apply_to_check(result: CheckResult, settings: CodeSettings) -> CheckResult:
    """`result` with `apply_code_settings` applied to each stage's findings (so the per-stage
    summary and the report count what is shown)."""
    if not settings.active:
        return result
    stages = {stage: apply_code_settings(found, settings) for stage, found in result.stages.items()}
    return dataclasses.replace(result, stages=stages)
