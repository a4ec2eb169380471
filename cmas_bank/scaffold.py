"""`cmas-bank new AREA`: a new draft item file with the next free id, in the work area's folder.

The file is the item template (`templates/item.yaml` of the project, else the copy shipped in
the package) with its id, work area, sub-area and dates filled in through ruamel's round trip,
so the template's comments stay as guidance. The id is the highest `PREFIX-NN-NNNN` number in
use in the whole bank plus one; the file is created atomically and never replaces one (two runs
at once get different ids).
"""

from __future__ import annotations

import datetime
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from cmas_bank.errors import UsageError
from cmas_bank.outline import Outline

TEMPLATE = "item.yaml"
PREFIX_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")


def template_text(root: Path) -> str:
    """The project's `templates/item.yaml`, else the packaged copy."""
    own = root / "templates" / TEMPLATE
    path = own if own.is_file() else Path(__file__).parent / "templates" / TEMPLATE
    return path.read_text(encoding="utf-8")


def next_number(bank: Path, prefix: str, area: int) -> int:
    """One past the highest `PREFIX-NN-NNNN` number of work area `area` used anywhere in `bank`."""
    from cmas_bank.fileio import discover_names

    pattern = re.compile(rf"^{re.escape(prefix)}-{area:02d}-(\d{{4,}})$")
    names = discover_names([bank], allow_empty=True) if bank.is_dir() else []
    used = [int(m.group(1)) for name in names if (m := pattern.match(Path(name).stem))]
    return max(used, default=0) + 1


def _fill(text: str, item_id: str, area: int, subarea: str, schema_ref: str | None) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    try:  # the template's leading comments (schema line, copy instructions) are replaced
        doc: Any = yaml.load("".join(lines[start:]))
    except Exception as exc:  # noqa: BLE001 - ruamel raises many types: a usage error, never a traceback
        raise UsageError(f"item template does not parse: {exc}") from None
    if not isinstance(doc, dict):
        raise UsageError("item template must be a mapping of item fields")
    today = datetime.date.today()
    doc["id"], doc["domain"], doc["subdomain"] = item_id, area, subarea
    doc["status"] = "draft"
    doc["created"] = today
    doc["updated"] = datetime.date.fromordinal(today.toordinal())  # another object: no YAML anchor
    out = io.StringIO()
    yaml.dump(doc, out)
    header = f"# yaml-language-server: $schema={schema_ref}\n" if schema_ref else ""
    return header + out.getvalue()


def create_item(
    bank: Path, outline: Outline, area: int, *, root: Path, subarea: str | None = None, prefix: str = "CMAS"
) -> Path:
    """Create the new item file and return its path. Usage errors: unknown work area or sub-area,
    a prefix that cannot start an id."""
    from cmas_bank.importer import area_folder

    if area not in outline.areas:
        numbers = ", ".join(str(n) for n in outline.areas)
        raise UsageError(f"work area {area} is not in outline {outline.id} (work areas: {numbers})")
    codes = [s.code for s in outline.areas[area].subareas]
    chosen = subarea or codes[0]
    if chosen not in codes:
        raise UsageError(f"sub-area {chosen} is not in work area {area} (sub-areas: {', '.join(codes)})")
    if not PREFIX_PATTERN.match(prefix):
        raise UsageError(f"id prefix {prefix!r} must be letters, digits or _ (starting with a letter)")
    folder = area_folder(bank, outline, area)
    folder.mkdir(parents=True, exist_ok=True)
    schema = root / "schemas" / "item.schema.json"
    schema_ref = Path(os.path.relpath(schema, folder)).as_posix() if schema.is_file() else None
    text = template_text(root)
    number = next_number(bank, prefix, area)
    for attempt in range(100):  # another run may take a number between the scan and the link
        item_id = f"{prefix}-{area:02d}-{number + attempt:04d}"
        target = folder / f"{item_id}.yaml"
        if _create_exclusive(target, _fill(text, item_id, area, chosen, schema_ref).encode("utf-8")):
            return target
    raise UsageError(f"{folder}: no free id found after {prefix}-{area:02d}-{number:04d}")


def _create_exclusive(path: Path, data: bytes) -> bool:
    """Write `data` to a temporary file, then link it to `path`: all or nothing, and never over
    an existing file (False then)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(tmp)
