"""Forms checked like items: a form file judged against the bank as it is now (IF codes).

A form goes stale when the bank changes under it: an item is deleted or renamed, demoted from
approved, moved to another work area, or made an enemy or duplicate of another item on the form.
Each finding points at the form file's line that lists the item, so CI can block a stale form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from cmas_bank.assemble.model import FormFile
from cmas_bank.assemble.pool import Pool
from cmas_bank.diagnostics import Diagnostic, Severity
from cmas_bank.errors import UsageError
from cmas_bank.loader import LoadedFile, load_file, position_of
from cmas_bank.outline import Outline

FORM_INVALID = "IF101"
FORM_OUTLINE = "IF102"
ITEM_MISSING = "IF201"
ITEM_INELIGIBLE = "IF202"
ITEM_REPEATED = "IF203"
BLUEPRINT_BROKEN = "IF301"
ENEMIES_ON_FORM = "IF302"
DUPLICATES_ON_FORM = "IF303"


def read_form_file(path: Path) -> tuple[LoadedFile, FormFile | None, list[Diagnostic]]:
    loaded = load_file(path)
    if loaded.diagnostics:
        d = loaded.diagnostics[0]
        return loaded, None, [loaded.diag(FORM_INVALID, f"not a form file: {d.message}", (d.line, d.column))]
    try:
        return loaded, FormFile.model_validate(loaded.data), []
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        pos = position_of(loaded, tuple(err["loc"]))
        return loaded, None, [loaded.diag(FORM_INVALID, f"not a form file: {where}: {err['msg']}", pos)]


def _item_findings(loaded: LoadedFile, form: FormFile, pool: Pool) -> list[Diagnostic]:
    out = []
    seen: set[str] = set()
    for k, entry in enumerate(form.items):
        pos = position_of(loaded, ("items", k))
        item = pool.items.get(entry.id)
        if entry.id in seen:
            out.append(loaded.diag(ITEM_REPEATED, f"{entry.id} is on the form more than once", pos))
        seen.add(entry.id)
        if item is None:
            out.append(loaded.diag(ITEM_MISSING, f"{entry.id} is no longer a valid item in the bank", pos))
            continue
        allowed = form.settings.statuses + ([] if entry.scored else form.settings.pretest_statuses)
        if item.status not in allowed:
            role = "scored" if entry.scored else "pretest"
            out.append(
                loaded.diag(
                    ITEM_INELIGIBLE,
                    f"{entry.id} is {item.status}; a {role} item must be {' or '.join(allowed)}",
                    pos,
                )
            )
    return out


def _blueprint_findings(loaded: LoadedFile, form: FormFile, pool: Pool, outline: Outline) -> list[Diagnostic]:
    if form.outline != outline.id:
        msg = f"the form was built for outline {form.outline}, not {outline.id}; its blueprint was not checked"
        return [loaded.diag(FORM_OUTLINE, msg, position_of(loaded, ("outline",)), severity=Severity.WARNING)]
    counts: Counter[int] = Counter()
    first: dict[int, int] = {}
    for k, entry in enumerate(form.items):
        item = pool.items.get(entry.id)
        if entry.scored and item is not None:
            counts[item.domain] += 1
            first.setdefault(item.domain, k)
    out = []
    for area in outline.work_areas:
        if counts[area.number] != area.items:
            where = ("items", first[area.number]) if area.number in first else ("items",)
            msg = (
                f"work area {area.number} has {counts[area.number]} scored item(s); the blueprint asks for {area.items}"
            )
            out.append(loaded.diag(BLUEPRINT_BROKEN, msg, position_of(loaded, where)))
    stray = sorted(set(counts) - set(outline.areas))
    for number in stray:
        msg = f"{counts[number]} scored item(s) are in work area {number}, which the outline does not have"
        out.append(loaded.diag(BLUEPRINT_BROKEN, msg, position_of(loaded, ("items", first[number]))))
    return out


def _pair_findings(loaded: LoadedFile, form: FormFile, pool: Pool) -> list[Diagnostic]:
    index: dict[str, int] = {}
    for k, entry in enumerate(form.items):
        index.setdefault(entry.id, k)
    out = []
    for why, ids in pool.groups:
        on = sorted((index[i], i) for i in ids if i in index)
        for k, item_id in on[1:]:
            code = ENEMIES_ON_FORM if why == "enemies" else DUPLICATES_ON_FORM
            what = "an enemy of" if why == "enemies" else "a duplicate of"
            msg = f"{item_id} is {what} {on[0][1]}, which is on the same form"
            out.append(loaded.diag(code, msg, position_of(loaded, ("items", k))))
    return out


def load_form(path: Path) -> FormFile:
    """The form file at `path` (`export --form`): a missing file, one that is not a form file
    (located: path, line, column, code) or one listing an item twice is a UsageError."""
    from cmas_bank.diagnostics import printable

    if not path.is_file():
        raise UsageError(f"{path}: form file not found")
    loaded, form, found = read_form_file(path)
    if form is None:
        d = found[0]
        raise UsageError(printable(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}"))
    seen: set[str] = set()
    for k, entry in enumerate(form.items):
        if entry.id in seen:
            line, column = position_of(loaded, ("items", k))
            raise UsageError(
                f"{loaded.display}:{line}:{column}: {ITEM_REPEATED} {entry.id} is on the form more than once"
            )
        seen.add(entry.id)
    return form


def check_form(path: Path, pool: Pool, outline: Outline) -> list[Diagnostic]:
    """What is wrong with the form file at `path` given the bank in `pool`."""
    loaded, form, found = read_form_file(path)
    if form is None:
        return found
    return (
        _item_findings(loaded, form, pool)
        + _blueprint_findings(loaded, form, pool, outline)
        + _pair_findings(loaded, form, pool)
    )


def check_forms(paths: Iterable[Path], pool: Pool, outline: Outline) -> list[Diagnostic]:
    """Every finding of every form file; a path that is not a file is a usage error."""
    from cmas_bank.diagnostics import sort_key

    out: list[Diagnostic] = []
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path}: form file not found")
        out += check_form(path, pool, outline)
    return sorted(out, key=sort_key)
