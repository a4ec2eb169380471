"""Ruff-style code selectors, shared by `[tool.cmas-bank.lint]` and `[tool.cmas-bank.check]`.

A selector is a code (`IW301`), a code prefix (`IW3`, `IC`), a name (`key-longest`) or `ALL`.
Its specificity is its length for a code or prefix, 5 for a name and 0 for `ALL`; for each code
the most specific matching selector decides (on a tie, the one that disables). Unknown selectors
and severities are usage errors with a "did you mean" hint, worded for the setting or option they
came from (`label`). Cheap to import: no lint rules, no pydantic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from cmas_bank.config import suggest
from cmas_bank.diagnostics import Severity
from cmas_bank.errors import UsageError

PREFIX = re.compile(r"^[A-Z]{1,2}[0-9]{0,3}$")

Resolved = tuple[int, frozenset[str]]
"""A selector's specificity and the codes it covers."""


def fail(source: object, label: str, message: str) -> UsageError:
    """A usage error located at `source` (the config file, if any) and `label` (its table)."""
    where = f"{source}: " if source else ""
    return UsageError(f"{where}{label} {message}")


def resolve(
    selector: object, setting: str, universe: Mapping[str, str], *, source: object, label: str, noun: str
) -> Resolved:
    """A selector's specificity and the codes of `universe` (code -> name) it covers."""
    if not isinstance(selector, str):
        raise fail(source, label, f"{setting}: {selector!r} is not a {noun} code, prefix or name")
    if selector == "ALL":
        return 0, frozenset(universe)
    by_name = {name: code for code, name in universe.items()}
    if selector in by_name:
        return 5, frozenset({by_name[selector]})
    if PREFIX.match(selector):
        codes = frozenset(c for c in universe if c.startswith(selector))
        if codes:
            return len(selector), codes
    hint = suggest(selector, [*universe, *by_name])
    raise fail(source, label, f"{setting}: unknown {noun} or prefix {selector!r}{hint}")


def decide(code: str, enable: Sequence[Resolved], disable: Sequence[Resolved], default: bool = False) -> bool:
    """Whether `code` is on: the most specific matching selector decides, `disable` winning ties;
    `default` when none matches."""
    best, on = -1, default
    for spec, codes in enable:
        if code in codes and spec > best:
            best, on = spec, True
    for spec, codes in disable:
        if code in codes and spec >= best:
            best, on = spec, False
    return on


def most_specific(code: str, resolved: Sequence[tuple[Resolved, Severity]]) -> Severity | None:
    """The severity of the most specific selector that covers `code` (the first on a tie)."""
    best, found = -1, None
    for (spec, codes), severity in resolved:
        if code in codes and spec > best:
            best, found = spec, severity
    return found


def selector_list(value: object, setting: str, *, source: object, label: str, noun: str) -> list[str]:
    """A setting's selectors: a list of strings, or one comma-separated string."""
    if isinstance(value, str):
        return [s.strip() for s in value.split(",") if s.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(source, label, f"{setting} must be a list of {noun} codes, prefixes or names")
    return list(value)


def parse_severity(value: object, setting: str, *, source: object, label: str) -> Severity:
    """`value` as a Severity; anything else is a usage error that names the setting."""
    try:
        return Severity(value)
    except ValueError:
        choices = [s.value for s in Severity]
        hint = suggest(str(value), choices)
        raise fail(
            source, label, f"{setting}: {value!r} is not a severity (one of {', '.join(choices)}){hint}"
        ) from None
