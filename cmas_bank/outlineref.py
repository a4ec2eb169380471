"""Which outline a command uses, resolved without reading it.

`check` and `validate` run on every commit. When the cache already holds the answer, the
outline's bytes are all the run needs (for the cache key), so the outline is parsed and
validated (`cmas_bank.outline`, which imports pydantic) only when a file must be checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from cmas_bank.errors import UsageError

BUILTIN_DIR = "outlines"


def builtin_outlines() -> list[str]:
    folder = resources.files("cmas_bank") / BUILTIN_DIR
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def outline_source(name_or_path: str, base: Path | None = None) -> Path:
    """Resolve an outline setting: a built-in name (`cmas-2020`) or a path to a YAML file."""
    if name_or_path in builtin_outlines():
        return Path(str(resources.files("cmas_bank") / BUILTIN_DIR / f"{name_or_path}.yaml"))
    path = Path(name_or_path)
    if base is not None and not path.is_absolute():
        path = base / path
    if not path.is_file():
        known = ", ".join(builtin_outlines())
        raise UsageError(f"outline {name_or_path!r} is neither a built-in outline ({known}) nor a file")
    return path


@dataclass(frozen=True)
class OutlineRef:
    """An outline file, resolved (it exists) but not yet read: `cmas_bank.outline.read` reads
    and validates it (a flaw is a UsageError naming file, line and field)."""

    source: Path


def outline_ref(name_or_path: str, base: Path | None = None) -> OutlineRef:
    return OutlineRef(outline_source(name_or_path, base))
