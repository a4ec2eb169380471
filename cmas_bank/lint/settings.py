"""`[tool.cmas-bank.lint]`: which rules run, how severe they are, and their options.

Selection works as in ruff: `select`, `extend-select` and `ignore` take codes, code prefixes
(`IW3` is the cue family, `IW` everything) or rule names, and for each rule the most specific
matching entry wins (on a tie, `ignore`). `per-file-ignores` maps glob patterns (relative to the
config file's folder) to selectors. `severity` maps selectors to error, warning or info, again
most specific first. `options` maps a rule's code or name to its option values. Anything unknown
is a usage error (exit 2) with a "did you mean" hint, so a typo cannot silently disable a rule.

With no `select`, the default selection runs: every rule but the opt-in (house-style) ones
(`Rule.default`, shown by `cmas-bank rules`); `extend-select` adds to it, `select = ["IW"]`
runs every rule.

```toml
[tool.cmas-bank.lint]
extend-select = ["IW402", "IW403"]
ignore = ["IW305"]
per-file-ignores = { "bank/08-*/*.yaml" = ["IW105"] }
severity = { IW3 = "error", IW103 = "warning" }
fail-on = "warning"

[tool.cmas-bank.lint.options]
stem-too-long = { max-words = 150 }
IW301 = { ratio = 1.4 }
```
"""

from __future__ import annotations

import fnmatch
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmas_bank import selectors
from cmas_bank.config import suggest
from cmas_bank.diagnostics import Severity
from cmas_bank.errors import UsageError
from cmas_bank.selectors import Resolved

if TYPE_CHECKING:
    from cmas_bank.config import Config
    from cmas_bank.lint.core import Rule

SECTION = "lint"
KNOWN_SETTINGS = ("select", "extend-select", "ignore", "per-file-ignores", "severity", "options", "fail-on")


def default_select() -> tuple[str, ...]:
    """The default selection: every rule but the opt-in (house-style) ones, as ruff's defaults
    hold only rules that rarely flag sound code (bench/lint_corpus.py measures them)."""
    return tuple(code for code, r in _registry().items() if r.default)


def _default_selector() -> Resolved:
    """The default selection as a selector: specificity 1, below every code, prefix and name."""
    return 1, frozenset(default_select())


@dataclass(frozen=True)
class LintSettings:
    """Resolved settings: the enabled codes, per-code severity and options, per-file ignores."""

    enabled: frozenset[str]
    options: Mapping[str, Mapping[str, Any]]
    severity: Mapping[str, Severity] = field(default_factory=dict)
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    root: Path | None = None
    fail_on: Severity = Severity.ERROR
    plans: dict[frozenset[str], tuple[Any, ...]] = field(default_factory=dict, compare=False, repr=False)
    """Per set of enabled codes, the (rule, options) pairs to run: built once, not per item."""

    def codes_for(self, path: Path | None, display: str) -> frozenset[str]:
        """The codes enabled for one file, after `per-file-ignores`."""
        if not self.per_file_ignores:
            return self.enabled
        names = _match_names(path, display, self.root)
        ignored: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            if any(fnmatch.fnmatchcase(name, pattern) for name in names):
                ignored |= codes
        return self.enabled - ignored if ignored else self.enabled


def _match_names(path: Path | None, display: str, root: Path | None) -> list[str]:
    names = [display]
    if path is not None and root is not None:
        # The name the bank gives the file, not a symlink's target: the check cache keys on
        # the name and the bytes, so a retargeted link cannot change what is ignored.
        where = os.path.relpath(os.path.abspath(path), root)
        if not where.startswith(".."):
            names.append(Path(where).as_posix())
    names.append(display.rsplit("/", 1)[-1])
    return names


def _registry() -> dict[str, Rule]:
    from cmas_bank.lint import REGISTRY

    return REGISTRY


LABEL = f"[tool.cmas-bank.{SECTION}]"


def _fail(source: object, message: str) -> UsageError:
    return selectors.fail(source, LABEL, message)


def resolve_selector(selector: object, setting: str, source: object = None) -> Resolved:
    """A selector's specificity and the lint codes it covers; unknown selectors are usage errors."""
    return selectors.resolve(selector, setting, _universe(), source=source, label=LABEL, noun="rule")


def _check_options(select: list[str], extend_select: list[str], ignore: list[str]) -> None:
    """Command-line selectors are checked first, so an unknown one is reported as the option it
    came from, not as the config file."""
    for option, given in (("--select", select), ("--extend-select", extend_select), ("--ignore", ignore)):
        for selector in given:
            selectors.resolve(selector, option, _universe(), source=None, label="option", noun="rule")


def _universe() -> dict[str, str]:
    return {code: r.name for code, r in _registry().items()}


def _list(value: object, setting: str, source: object) -> list[str]:
    return selectors.selector_list(value, setting, source=source, label=LABEL, noun="rule")


def select_codes(
    select: Sequence[str] | None, extend_select: Sequence[str], ignore: Sequence[str], source: object = None
) -> frozenset[str]:
    """Ruff's rule: for each code the most specific matching selector decides; ignore wins ties.
    `select=None`: the default selection, less specific than any selector (so `ignore = ["IW2"]`
    turns its IW2 rules off, and `extend-select` adds opt-in rules to it)."""
    base = [resolve_selector(s, "select", source) for s in select] if select is not None else [_default_selector()]
    enable = base + [resolve_selector(s, "extend-select", source) for s in extend_select]
    disable = [resolve_selector(s, "ignore", source) for s in ignore]
    return frozenset(code for code in _registry() if selectors.decide(code, enable, disable))


def _severity(value: object, setting: str, source: object) -> Severity:
    return selectors.parse_severity(value, setting, source=source, label=LABEL)


def _check_option(rule: Rule, name: str, value: object, source: object) -> object:
    if name not in rule.options:
        hint = suggest(name, list(rule.options))
        known = ", ".join(rule.options) or "none"
        raise _fail(source, f"options.{rule.code}: unknown option {name!r} for {rule.name}{hint} (options: {known})")
    default = rule.options[name]
    ok: bool
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value  # type: ignore[arg-type]
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise _fail(source, f"options.{rule.code}.{name} must be like {default!r}, not {value!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        _check_range(rule, name, value, source)
    return value


def _per_file_ignores(table: Mapping[str, Any], source: object) -> list[tuple[str, frozenset[str]]]:
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise _fail(source, "per-file-ignores must be a table of glob = [codes]")
    ignores = []
    for pattern, chosen in per_file.items():
        codes: set[str] = set()
        for s in _list(chosen, f"per-file-ignores.{pattern!r}", source):
            codes |= resolve_selector(s, f"per-file-ignores.{pattern!r}", source)[1]
        ignores.append((pattern, frozenset(codes)))
    return ignores


def _check_range(rule: Rule, name: str, value: float, source: object) -> None:
    low, high = _OPTION_RANGES.get(name, (0, None))
    if not (math.isfinite(value) and low <= value and (high is None or value <= high)):
        bound = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
        raise _fail(source, f"options.{rule.code}.{name} must be a number {bound}, not {value!r}")


# Numeric options are never negative (counts, lengths, shares) and never NaN or infinite; these
# have tighter bounds: ratios of lengths start at 1, shares and probabilities lie in 0..1.
_OPTION_RANGES: dict[str, tuple[float, float | None]] = {
    "ratio": (1.0, 1000.0),
    "max-ratio": (1.0, 1000.0),
    "similarity": (0.0, 1.0),
    "max-share": (0.0, 1.0),
    "min-overlap": (0.0, 1.0),
    "alpha": (0.0, 1.0),
    "max-run": (1, None),
}


def _enabled(
    table: Mapping[str, Any], source: object, select: Iterable[str] | None, extend_select: list[str], ignore: list[str]
) -> frozenset[str]:
    """The codes the table and the command line select (`select` replaces the table's)."""
    chosen = None if select is None else list(select)
    _check_options(chosen or [], extend_select, ignore)
    if chosen is None and "select" in table:
        chosen = _list(table["select"], "select", source)
    return select_codes(
        chosen,
        [*_list(table.get("extend-select", []), "extend-select", source), *extend_select],
        [*_list(table.get("ignore", []), "ignore", source), *ignore],
        source,
    )


def build_settings(
    table: Mapping[str, Any],
    *,
    root: Path | None = None,
    source: object = None,
    select: Iterable[str] | None = None,
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    fail_on: str | None = None,
) -> LintSettings:
    """Settings from a `[tool.cmas-bank.lint]` table, with command-line selectors on top
    (`select` replaces the table's, the others extend it)."""
    for key in table:
        if key not in KNOWN_SETTINGS:
            raise _fail(source, f"unknown setting {key!r}{suggest(key, KNOWN_SETTINGS)}")
    registry = _registry()
    enabled = _enabled(table, source, select, list(extend_select), list(ignore))

    ignores = _per_file_ignores(table, source)

    sev_table = table.get("severity", {})
    if not isinstance(sev_table, dict):
        raise _fail(source, "severity must be a table of selector = severity")
    resolved = [
        (resolve_selector(s, "severity", source), _severity(v, f"severity.{s}", source)) for s, v in sev_table.items()
    ]
    severity: dict[str, Severity] = {}
    for rule_code in registry:
        found = selectors.most_specific(rule_code, resolved)
        if found is not None:
            severity[rule_code] = found

    opt_table = table.get("options", {})
    if not isinstance(opt_table, dict):
        raise _fail(source, "options must be a table of rule = { option = value }")
    options: dict[str, dict[str, Any]] = {code: dict(r.options) for code, r in registry.items()}
    by_name = {r.name: code for code, r in registry.items()}
    for name, values in opt_table.items():
        code = name if name in registry else by_name.get(name)
        if code is None:
            raise _fail(source, f"options: unknown rule {name!r}{suggest(name, [*registry, *by_name])}")
        if not isinstance(values, dict):
            raise _fail(source, f"options.{name} must be a table of option = value")
        for opt, value in values.items():
            options[code][opt] = _check_option(registry[code], opt, value, source)

    fail = fail_on if fail_on is not None else table.get("fail-on", "error")
    return LintSettings(
        enabled=enabled,
        options=options,
        severity=severity,
        per_file_ignores=tuple(ignores),
        root=root.resolve() if root is not None else None,
        fail_on=_severity(fail, "fail-on", source),
    )


def settings_from_config(config: Config, **overrides: Any) -> LintSettings:
    """The lint settings of a loaded `Config` (its `[tool.cmas-bank.lint]` table)."""
    table = config.section(SECTION)
    return build_settings(table, root=config.root, source=config.source, **overrides)


_DEFAULT: list[LintSettings] = []


def default_settings() -> LintSettings:
    """The settings with no configuration (the default selection, default options), built once."""
    if not _DEFAULT:
        _DEFAULT.append(build_settings({}))
    return _DEFAULT[0]
