"""Schema, outline and bank-wide checks of item files.

Order of work per file: parse (loader), structure (JSON Schema), outline (work area and
sub-area), approval policy; then across the files checked: unique ids, file name equals id.

Speed: the pydantic model and the JSON Schema accept the same documents (a test runs both on
every fixture and bank item), so a file the model accepts is schema-valid and jsonschema, which is
many times slower, runs only on files the model rejects, to list every error with its JSON path.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from cmas_bank.bankitem import BankItem, bank_item
from cmas_bank.config import suggest
from cmas_bank.diagnostics import Diagnostic, display_path, sort_key
from cmas_bank.digest import stale_reason
from cmas_bank.fileio import discover
from cmas_bank.loader import LoadedFile, key_position, load_file, position_of
from cmas_bank.memory import collector_paused
from cmas_bank.model import OPTION_KEYS, Item
from cmas_bank.outline import Outline

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError as SchemaError

# Finding codes; their names and documentation are in cmas_bank/codetable.py (`cmas-bank rules`).
MISSING_FIELD = "IV201"
INVALID_VALUE = "IV202"
UNKNOWN_KEY = "IV203"
OPTION_COUNT = "IV204"
ANSWER_NOT_OPTION = "IV205"
APPROVED_WITHOUT_REFERENCE = "IV206"
APPROVED_WITHOUT_REVIEW = "IV207"
DATES_OUT_OF_ORDER = "IV208"
SELF_ENEMY = "IV209"
STALE_APPROVAL = "IV210"
UNKNOWN_AREA = "IV301"
SUBAREA_MISMATCH = "IV302"
DUPLICATE_ID = "IV401"
FILENAME_MISMATCH = "IV402"


@dataclass
class ItemFile:
    """One file's trip through validation: what was loaded, the model if it is valid, findings."""

    loaded: LoadedFile
    item: Item | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.loaded.path


@dataclass
class ValidationResult:
    files: list[ItemFile]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted((d for f in self.files for d in f.diagnostics), key=sort_key)

    @property
    def items(self) -> list[Item]:
        return [f.item for f in self.files if f.item is not None]


# --- finding files ----------------------------------------------------------------------------


def load_files(paths: Sequence[Path], root: Path | None = None) -> list[LoadedFile]:
    return [load_file(p, display_path(p.absolute(), root)) for p in paths]


# --- one file ---------------------------------------------------------------------------------


def validate_loaded(loaded: LoadedFile, outline: Outline) -> ItemFile:
    result = ItemFile(loaded=loaded, diagnostics=list(loaded.diagnostics))
    if not loaded.ok:
        return result
    data = loaded.data
    try:
        result.item = Item.model_validate(data)
    except ValidationError as exc:
        found = list(schema_diagnostics(loaded))
        result.diagnostics.extend(found or _pydantic_diagnostics(loaded, exc))
    result.diagnostics.extend(outline_diagnostics(loaded, outline))
    if result.item is not None:
        result.diagnostics.extend(policy_diagnostics(loaded, result.item))
    return result


@cache
def _schema_validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker

    from cmas_bank.schema import item_schema

    return Draft202012Validator(item_schema(), format_checker=FormatChecker())


def schema_diagnostics(loaded: LoadedFile) -> Iterator[Diagnostic]:
    """Every JSON Schema error in the file, each placed at the key or value it concerns."""
    errors = sorted(_schema_validator().iter_errors(loaded.data), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        yield from _schema_error(loaded, error)


def _where(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "item"


_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true/false",
    list: "a list",
    dict: "a mapping",
    type(None): "empty",
}


def _schema_error(loaded: LoadedFile, error: SchemaError) -> Iterator[Diagnostic]:
    path = tuple(error.absolute_path)
    where = _where(path)
    instance: Any = error.instance
    kind = error.validator
    expected: Any = error.validator_value
    schema: Any = error.schema
    if kind == "required":
        missing = [k for k in expected if k not in instance]
        for name in missing:
            yield loaded.diag(MISSING_FIELD, f"{where} is missing required field '{name}'", position_of(loaded, path))
    elif kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        for key in [k for k in instance if k not in allowed]:
            pos = key_position(loaded, (*path, key))
            if path == ("options",):
                yield loaded.diag(
                    OPTION_COUNT,
                    f"option '{key}' is not allowed: an item has exactly four options, A to D",
                    pos,
                )
            else:
                yield loaded.diag(UNKNOWN_KEY, f"unknown key '{key}' in {where}{suggest(key, allowed)}", pos)
    elif kind == "enum" and path == ("answer",):
        keys = ", ".join(OPTION_KEYS)
        yield loaded.diag(
            ANSWER_NOT_OPTION, f"answer {instance!r} is not one of the options {keys}", position_of(loaded, path)
        )
    elif kind == "type":
        got = _TYPE_NAMES.get(type(instance), type(instance).__name__)
        want = error.validator_value
        hint = ""
        if want == "string" and not isinstance(instance, (dict, list)):
            hint = "; put the value in quotes to keep it as text"
        yield loaded.diag(INVALID_VALUE, f"{where} must be of type {want}, not {got}{hint}", position_of(loaded, path))
    elif kind == "enum":
        choices = ", ".join(map(str, expected))
        yield loaded.diag(
            INVALID_VALUE, f"{where} is {instance!r}; expected one of: {choices}", position_of(loaded, path)
        )
    elif kind == "pattern" and isinstance(instance, str) and not instance.strip():
        yield loaded.diag(INVALID_VALUE, f"{where} must not be blank", position_of(loaded, path))
    else:
        yield loaded.diag(INVALID_VALUE, f"{where}: {_plain(error)}", position_of(loaded, path))


def _plain(error: SchemaError) -> str:
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "minLength" and value == 1:
        return "must not be empty"
    if kind == "minItems":
        return f"needs at least {value} entr{'y' if value == 1 else 'ies'}"
    if kind == "pattern":
        return f"{instance!r} does not match the required pattern {value}"
    if kind == "format":
        return f"{instance!r} is not a valid {value} (use YYYY-MM-DD)" if value == "date" else error.message
    if kind == "minimum":
        return f"{instance!r} is below the minimum {value}"
    return error.message


def _pydantic_diagnostics(loaded: LoadedFile, exc: ValidationError) -> Iterator[Diagnostic]:
    """Fallback for the rare document the model rejects but the schema accepts."""
    for err in exc.errors():
        loc = tuple(err["loc"])
        yield loaded.diag(INVALID_VALUE, f"{_where(loc)}: {err['msg']}", position_of(loaded, loc))


def outline_diagnostics(loaded: LoadedFile, outline: Outline) -> Iterator[Diagnostic]:
    data = loaded.data
    domain, subdomain = data.get("domain"), data.get("subdomain")
    if not isinstance(domain, int) or isinstance(domain, bool):
        return
    if domain not in outline.areas:
        numbers = ", ".join(str(n) for n in outline.areas)
        yield loaded.diag(
            UNKNOWN_AREA,
            f"work area {domain} is not in outline {outline.id} (work areas: {numbers})",
            position_of(loaded, ("domain",)),
        )
        return
    if not isinstance(subdomain, str):
        return
    owner = outline.subarea_area.get(subdomain)
    if owner == domain:
        return
    codes = ", ".join(s.code for s in outline.areas[domain].subareas)
    if owner is None:
        message = f"sub-area {subdomain} is not in outline {outline.id}; work area {domain} has {codes}"
    else:
        message = f"sub-area {subdomain} belongs to work area {owner}, not {domain}; work area {domain} has {codes}"
    yield loaded.diag(SUBAREA_MISMATCH, message, position_of(loaded, ("subdomain",)))


def policy_diagnostics(loaded: LoadedFile, item: Item) -> Iterator[Diagnostic]:
    """Rules about an item's life cycle that a JSON Schema cannot state."""
    if item.status == "approved":
        if not item.references:
            yield loaded.diag(
                APPROVED_WITHOUT_REFERENCE,
                "an approved item needs at least one reference a reviewer can check",
                key_position(loaded, ("references",))
                if "references" in loaded.data
                else position_of(loaded, ("status",)),
            )
        authors = {a.strip().casefold() for a in item.authors}
        if not any(r.verdict == "approved" and r.reviewer.strip().casefold() not in authors for r in item.reviews):
            yield loaded.diag(
                APPROVED_WITHOUT_REVIEW,
                "an approved item needs an approving review by someone other than its authors",
                key_position(loaded, ("reviews",)) if "reviews" in loaded.data else position_of(loaded, ("status",)),
            )
        else:
            stale = stale_reason(item)
            if stale is not None:
                yield loaded.diag(STALE_APPROVAL, stale, position_of(loaded, ("status",)))
    if item.updated < item.created:
        yield loaded.diag(
            DATES_OUT_OF_ORDER,
            f"updated ({item.updated}) is before created ({item.created})",
            position_of(loaded, ("updated",)),
        )
    if item.id in item.enemies:
        index = item.enemies.index(item.id)
        yield loaded.diag(SELF_ENEMY, "an item cannot list itself as an enemy", position_of(loaded, ("enemies", index)))


# --- across files -----------------------------------------------------------------------------


def bank_view(b: BankItem) -> Hashable:
    """What `bank_diagnostics` reads of a file, and where it reports (`check` reuses its
    findings while this holds for every edited file)."""
    return (b.id, b.position(("id",)))


def bank_diagnostics(items: Sequence[BankItem]) -> Iterator[Diagnostic]:
    """Unique ids and file names that match ids, over the files checked together."""
    seen: dict[str, BankItem] = {}
    for b in items:
        if b.id is None:
            continue
        if b.file_stem != b.id:
            name = b.display.rsplit("/", 1)[-1]
            yield b.diag(
                FILENAME_MISMATCH,
                f"id {b.id!r} does not match the file name {name!r}; rename the file to {b.id}.yaml",
                b.position(("id",)),
            )
        first = seen.get(b.id)
        if first is not None:
            line = first.position(("id",))[0]
            yield b.diag(DUPLICATE_ID, f"id {b.id!r} is already used by {first.display}:{line}", b.position(("id",)))
        else:
            seen[b.id] = b


def validate_paths(paths: Sequence[Path], outline: Outline, root: Path | None = None) -> ValidationResult:
    """Validate every item file under `paths`: the library entry point behind `cmas-bank validate`
    (and the commands that read the bank through it: lint, coverage, export)."""
    with collector_paused():
        loaded = load_files(discover(paths), root)
        files = [validate_loaded(lf, outline) for lf in loaded]
        by_path = {f.loaded.display: f for f in files}
        for d in bank_diagnostics([b for b in (bank_item(f.loaded, f.item) for f in files) if b is not None]):
            by_path[d.path].diagnostics.append(d)
    return ValidationResult(files=files)
