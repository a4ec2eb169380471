"""A shared helper for lint tests, after yamllint's `tests/common.py`: build an item from a few
fields, lint it, and compare the findings with the expected (code, line, column) triples."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cmas_bank.diagnostics import Diagnostic
from cmas_bank.lint import build_settings, lint_files
from cmas_bank.loader import LoadedFile, load_bytes
from cmas_bank.outline import load_outline
from cmas_bank.validate import ItemFile, validate_loaded

OUTLINE = load_outline("cmas-2020")

FIELDS: dict[str, Any] = {
    "id": "case",
    "domain": 6,
    "subdomain": "6D",
    "status": "approved",
    "difficulty": "medium",
    "cognitive_level": "application",
    "stem": "Jordan Pike, a non-exempt receptionist paid $18.00 an hour, works 44 hours in one workweek.\n"
    "Under the Fair Labor Standards Act, what is Jordan's gross pay for that week?",
    "options": {"A": '"$720.00"', "B": '"$792.00"', "C": '"$828.00"', "D": '"$1,188.00"'},
    "answer": "C",
    "rationale": "Forty hours at $18.00 is $720.00 and four overtime hours at 1.5 x $18.00 = $27.00 are $108.00,\n"
    "so the gross pay is $828.00 (C). $720.00 (A) leaves out the overtime hours. $792.00 (B) pays\n"
    "the extra hours at the regular rate. $1,188.00 (D) pays every hour at the overtime rate.",
    "references": ["29 CFR 778.107"],
    "suppress": {},
    "enemies": [],
}
"""A clean item (no lint finding). In the source `item()` builds, the stem starts on line 8 and
options A to D are on lines 11 to 14."""


def _block(text: str) -> str:
    return "\n".join(("  " + line) if line else "" for line in text.split("\n"))


def item(**fields: Any) -> str:
    """YAML source of an item: the clean base with `fields` replaced. Option values are written
    as given (quote them yourself when YAML needs it)."""
    f = {**FIELDS, **fields}
    options = {**FIELDS["options"], **fields.get("options", {})}
    lines = [
        f"id: {f['id']}",
        f"domain: {f['domain']}",
        f"subdomain: {f['subdomain']}",
        f"status: {f['status']}",
        f"difficulty: {f['difficulty']}",
        f"cognitive_level: {f['cognitive_level']}",
        "stem: |-",
        _block(f["stem"]),
        "options:",
    ]
    lines += [f"  {k}: {options[k]}" for k in "ABCD"]
    lines += [f"answer: {f['answer']}", "rationale: |-", _block(f["rationale"])]
    lines += ["references:", *(f"  - {r}" for r in f["references"])] if f["references"] else ["references: []"]
    lines += ["authors:", "  - Avery Lin"]
    if f["status"] == "approved":
        lines += [
            "reviews:",
            "  - reviewer: Sam Ortega",
            "    date: 2026-11-24",
            "    verdict: approved",
            "    notes: Checked.",
        ]
    lines += ["tags: []", f"enemies: [{', '.join(f['enemies'])}]"]
    if f["suppress"]:
        lines += ["suppress:", *(f"  {k}: {v}" for k, v in f["suppress"].items())]
    else:
        lines.append("suppress: {}")
    lines += ["created: 2026-11-24", "updated: 2026-11-24"]
    return _with_digest("\n".join(lines) + "\n")


def _with_digest(source: str) -> str:
    """An approved item's review vouches for its content (IV210): the review's notes line gives
    way to the digest of the content, so every other line keeps its number."""
    from cmas_bank.digest import content_digest
    from cmas_bank.model import Item

    loaded = load_bytes(source.encode("utf-8"), LoadedFile(path=Path("case.yaml"), display="case.yaml"))
    try:
        digest = content_digest(Item.model_validate(loaded.data))
    except ValueError:  # pydantic's ValidationError: not an item, nothing to vouch for
        return source
    return source.replace("    notes: Checked.\n", f'    digest: "{digest}"\n', 1)


def item_file(source: str, name: str = "case") -> ItemFile:
    loaded = load_bytes(source.encode("utf-8"), LoadedFile(path=Path(f"{name}.yaml"), display=f"{name}.yaml"))
    file = validate_loaded(loaded, OUTLINE)
    assert file.item is not None, [f"{d.line}:{d.column} {d.code} {d.message}" for d in file.diagnostics]
    return file


def lint_sources(sources: Sequence[str], conf: Mapping[str, Any] | None = None) -> list[Diagnostic]:
    files = [item_file(s, f"case{i}") for i, s in enumerate(sources)]
    return lint_files(files, build_settings(conf or {}))


def lint_source(source: str, conf: Mapping[str, Any] | None = None) -> list[Diagnostic]:
    return lint_sources([source], conf)


def check(source: str, conf: Mapping[str, Any] | None = None, *problems: tuple[str, int, int]) -> list[Diagnostic]:
    """Lint `source` and assert that the findings are exactly `problems` (code, line, column)."""
    found = lint_source(source, conf)
    assert sorted((d.code, d.line, d.column) for d in found) == sorted(problems), [
        f"{d.line}:{d.column} {d.code} {d.message}" for d in found
    ]
    return found


def codes(source: str, conf: Mapping[str, Any] | None = None) -> set[str]:
    return {d.code for d in lint_source(source, conf)}
