"""One registry of every finding code: validate (IV), lint (IW), dedupe (ID), coverage (IC),
CSV import (IM), item analysis (IA), exam forms (IF), and room for more families (`register_family`).

Each code has a kebab-case name, a default severity, a one-line summary and its documentation.
This registry serves `cmas-bank rules` and `cmas-bank rule CODE`, SARIF's rule table, the HTML
report's rule column, `check`'s select/ignore/severity settings and the README's code tables.

Cheap to import: families load on first use, each from its own source. The IW entries come
from lint's `REGISTRY` (a rule's docstring is its documentation), so lint, and pydantic with it,
is imported only when an IW code is looked up; the other families are data (`codetable`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cmas_bank.diagnostics import Severity
from cmas_bank.selectors import PREFIX


@dataclass(frozen=True)
class CodeInfo:
    """One finding code and its documentation."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    group: str = ""
    fixable: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)  # family-specific facts (lint: scope, options, opt_in)


@dataclass(frozen=True)
class Family:
    """A family of codes that share a prefix, and where its entries come from."""

    prefix: str
    title: str
    commands: tuple[str, ...]
    load: Callable[[], Iterable[CodeInfo]]
    costly: bool = False  # loading imports heavy modules: looked at last when resolving a name


def _rows(rows: Iterable[tuple[str, str, str, str, str, str, str]]) -> list[CodeInfo]:
    return [
        CodeInfo(code, name, Severity(sev), summary, f"{summary}\n\nWhat: {what}\n\nWhy: {why}", group)
        for code, name, sev, group, summary, what, why in rows
    ]


def _table(name: str) -> Callable[[], list[CodeInfo]]:
    def load() -> list[CodeInfo]:
        from cmas_bank import codetable

        return _rows(getattr(codetable, name))

    return load


def _lint() -> list[CodeInfo]:
    from cmas_bank.lint import FAMILIES, REGISTRY

    return [
        CodeInfo(
            code,
            r.name,
            r.severity,
            r.summary,
            r.doc,
            FAMILIES.get(r.family, ""),
            r.fixable,
            {"scope": r.scope, "options": dict(r.options), "opt_in": r.opt_in},
        )
        for code, r in REGISTRY.items()
    ]


FAMILIES: dict[str, Family] = {}


def register_family(family: Family) -> None:
    """Add a family of codes; its prefix must not overlap another family's."""
    for prefix in FAMILIES:
        if prefix.startswith(family.prefix) or family.prefix.startswith(prefix):
            raise ValueError(f"code family {family.prefix} overlaps {prefix}")
    FAMILIES[family.prefix] = family
    all_codes.cache_clear()


@cache
def family_codes(prefix: str) -> dict[str, CodeInfo]:
    """The codes of one family, by code, in code order; each must carry the family's prefix."""
    found: dict[str, CodeInfo] = {}
    for info in FAMILIES[prefix].load():
        if not info.code.startswith(prefix) or info.code in found:
            raise RuntimeError(f"code {info.code} is repeated or outside family {prefix}")
        found[info.code] = info
    return dict(sorted(found.items()))


@cache
def all_codes() -> dict[str, CodeInfo]:
    """Every registered code, family by family in registration order (this loads every family,
    lint included)."""
    out: dict[str, CodeInfo] = {}
    names: dict[str, str] = {}
    for prefix in FAMILIES:
        for code, info in family_codes(prefix).items():
            if names.setdefault(info.name, code) != code:
                raise RuntimeError(f"codes {names[info.name]} and {code} share the name {info.name}")
            out[code] = info
    return out


register_family(Family("IV", "validation", ("validate", "lint", "check", "import csv", "export"), _table("VALIDATE")))
register_family(Family("IW", "item-writing lint", ("lint", "check"), _lint, costly=True))
register_family(Family("ID", "duplicates", ("dedupe", "check"), _table("DEDUPE")))
register_family(Family("IC", "blueprint coverage", ("check", "report"), _table("COVERAGE")))
register_family(Family("IM", "CSV import", ("import csv",), _table("IMPORT")))
register_family(Family("IA", "item analysis", ("analyze",), _table("ANALYZE")))
register_family(Family("IF", "exam forms", ("assemble --check",), _table("FORMS")))


def family_of(code: str) -> str | None:
    return next((p for p in FAMILIES if code.startswith(p)), None)


def get(code: str) -> CodeInfo | None:
    """The entry for `code`, loading only its family."""
    prefix = family_of(code)
    return family_codes(prefix).get(code) if prefix else None


def _name_families() -> list[str]:
    return sorted(FAMILIES, key=lambda p: FAMILIES[p].costly)


def find(code_or_name: str) -> CodeInfo | None:
    """A code (any case) or a name; lint is loaded only for IW codes and names found nowhere else."""
    key = code_or_name.strip()
    by_code = get(key.upper())
    if by_code is not None:
        return by_code
    for prefix in _name_families():
        found = next((i for i in family_codes(prefix).values() if i.name == key.lower()), None)
        if found is not None:
            return found
    return None


def universe_for(selector: object) -> dict[str, str]:
    """Code -> name for the families `selector` can match: a code or prefix touches the families
    it overlaps, a name the family that has it. Anything else (ALL, unknown selectors, whose
    "did you mean" should see every code) gets every family."""
    prefixes = list(FAMILIES)
    if isinstance(selector, str) and selector != "ALL":
        if PREFIX.match(selector):
            touched = [p for p in FAMILIES if p.startswith(selector) or selector.startswith(p)]
        else:
            touched = next(
                ([p] for p in _name_families() if any(i.name == selector for i in family_codes(p).values())), []
            )
        prefixes = touched or prefixes
    return {code: info.name for p in prefixes for code, info in family_codes(p).items()}


def select(selectors: Iterable[str], *, label: str = "option", setting: str = "--select") -> list[CodeInfo]:
    """The entries that any of `selectors` matches (all of them when there are none), in code order."""
    from cmas_bank.selectors import resolve

    chosen = list(selectors)
    if not chosen:
        return list(all_codes().values())
    codes: set[str] = set()
    for s in chosen:
        codes |= resolve(s, setting, universe_for(s), source=None, label=label, noun="code")[1]
    return [info for code, info in all_codes().items() if code in codes]


# --- documentation ------------------------------------------------------------------------------

SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def sarif_rule(code: str) -> dict[str, Any]:
    """SARIF's reportingDescriptor for `code`: summary, documentation and default level."""
    info = get(code)
    if info is None:
        return {"id": code, "shortDescription": {"text": code}}
    return {
        "id": code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.doc},
        "help": {"text": info.doc},
        "defaultConfiguration": {"level": SARIF_LEVEL[info.severity]},
    }


def descriptions() -> dict[str, str]:
    """Code -> summary for every code (the HTML report's rule column)."""
    return {code: info.summary for code, info in all_codes().items()}


def _by_family(infos: Iterable[CodeInfo]) -> dict[str, list[CodeInfo]]:
    out: dict[str, list[CodeInfo]] = {}
    for info in infos:
        out.setdefault(family_of(info.code) or "", []).append(info)
    return out


def rules_text(infos: Iterable[CodeInfo]) -> str:
    """Per family, one line per code: code, name, default severity, `fix` when lint --fix fixes it,
    summary."""
    lines = []
    for prefix, group in _by_family(infos).items():
        family = FAMILIES[prefix]
        width = max(len(i.name) for i in group)
        lines.append(f"{prefix}  {family.title} ({', '.join(family.commands)})")
        for i in group:
            fix = "fix" if i.fixable else "   "
            lines.append(f"  {i.code}  {i.name:<{width}}  {i.severity.value:<7}  {fix}  {i.summary}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table(infos: list[CodeInfo]) -> str:
    """A GitHub table of codes; a `fix` column when any of them is fixable (lint's table)."""
    fix = any(i.fixable for i in infos)
    head = "| code | name | severity |" + (" fix |" if fix else "") + " what it finds |"
    lines = [head, "|---|---|---|" + ("---|" if fix else "") + "---|"]
    for i in infos:
        cell = f" {'yes' if i.fixable else ''} |" if fix else ""
        lines.append(f"| {i.code} | `{i.name}` | {i.severity.value} |{cell} {_md(i.summary)} |")
    return "\n".join(lines) + "\n"


def rules_markdown(infos: Iterable[CodeInfo]) -> str:
    """One table per family; with several families, each under a bold title line."""
    families = _by_family(infos)
    if len(families) == 1:
        return markdown_table(next(iter(families.values())))
    return "\n".join(f"**{p}: {FAMILIES[p].title}**\n\n{markdown_table(group)}" for p, group in families.items())


def rules_json(infos: Iterable[CodeInfo]) -> str:
    doc = [
        {
            "code": i.code,
            "name": i.name,
            "family": family_of(i.code),
            "family_title": FAMILIES[family_of(i.code) or ""].title,
            "group": i.group,
            "severity": i.severity.value,
            "fixable": i.fixable,
            "summary": i.summary,
            "doc": i.doc,
            **i.extra,
        }
        for i in infos
    ]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def rule_text(info: CodeInfo) -> str:
    """One code's page: lint's own page for IW rules, else the code's documentation and where to
    configure it."""
    if family_of(info.code) == "IW":
        from cmas_bank.lint import REGISTRY
        from cmas_bank.lint.docs import rule_text as lint_rule_text

        return lint_rule_text(REGISTRY[info.code])
    family = FAMILIES[family_of(info.code) or ""]
    out = [f"{info.code} {info.name} ({info.severity.value}; {family.title}: {', '.join(family.commands)})", ""]
    out.append(info.doc)
    if "check" in family.commands and info.code != "IV101":
        out += [
            "",
            "In `check`, select, ignore or grade it in pyproject.toml:",
            "    [tool.cmas-bank.check]",
            f'    severity = {{ {info.code} = "{"warning" if info.severity is Severity.ERROR else "error"}" }}',
        ]
    return "\n".join(out).rstrip() + "\n"


# --- the README's tables ------------------------------------------------------------------------


def readme_markers(prefix: str) -> tuple[str, str]:
    start = f"<!-- codes:{prefix}:start (generated by `cmas-bank rules --select {prefix} --format markdown`) -->"
    return start, f"<!-- codes:{prefix}:end -->"


def readme_table(readme: str, prefix: str) -> str | None:
    """The generated table of one family inside the README's markers, or None without markers."""
    start_mark, end_mark = readme_markers(prefix)
    start, end = readme.find(start_mark), readme.find(end_mark)
    if start < 0 or end < start:
        return None
    return readme[start + len(start_mark) : end].strip("\n") + "\n"
