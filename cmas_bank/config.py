"""Configuration from `[tool.cmas-bank]` in `pyproject.toml`.

Found by walking up from the working directory (as ruff and pytest do), or named with
`--config`. Paths in it are relative to the file's folder. Each later feature owns its own
sub-table (`[tool.cmas-bank.lint]`, `.dedupe`, `.coverage`, `.check`) and reads it from
`Config.section`; a key that nothing reads is not accepted.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cmas_bank.errors import UsageError

TABLE = "cmas-bank"
KNOWN_KEYS = ("bank", "outline", "lint", "dedupe", "coverage", "check", "cache-dir", "analyze", "assemble")
NOT_SETTINGS = {
    "export": "export has no settings; choose what it writes with its options (--status, --domain, --ids)",
}
# Applied to the findings after a run (cmas_bank.codesettings), or used by no check, so not part of what a
# cache is keyed on.
AFTER_RUN = ("check", "analyze", "assemble")  # these read a run's result; their settings never change a finding
DEFAULT_BANK = "bank"
DEFAULT_OUTLINE = "cmas-2020"


@dataclass(frozen=True)
class Config:
    root: Path  # the folder paths are relative to
    bank: Path
    outline: str
    source: Path | None = None  # the pyproject.toml read, if any
    table: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        value = self.table.get(name, {})
        if not isinstance(value, dict):
            raise UsageError(f"{self.source}: [tool.{TABLE}.{name}] must be a table")
        return value

    def fingerprint(self) -> str:
        """A digest of every setting, for caches that must not outlive a config change."""
        table = {k: v for k, v in self.table.items() if k not in AFTER_RUN}
        doc = {"bank": str(self.bank), "outline": self.outline, "table": table}
        return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """' (did you mean "x"?)' when a close match exists, else ''."""
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f' (did you mean "{match[0]}"?)' if match else ""


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.cmas-bank] table."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and TABLE in _read_toml(candidate).get("tool", {}):
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read config: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: not UTF-8 (byte 0x{exc.object[exc.start]:02x})") from None
    except RecursionError:
        raise UsageError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> Config:
    cwd = cwd or Path.cwd()
    if explicit is not None:
        if not explicit.is_file():
            raise UsageError(f"{explicit}: config file not found")
        source: Path | None = explicit
    else:
        source = find_pyproject(cwd)
    if source is None:
        return Config(root=cwd, bank=cwd / DEFAULT_BANK, outline=DEFAULT_OUTLINE)
    table = _read_toml(source).get("tool", {}).get(TABLE, {})
    if not isinstance(table, dict):
        raise UsageError(f"{source}: [tool.{TABLE}] must be a table")
    for key in table:
        if key not in KNOWN_KEYS:
            hint = f"; {NOT_SETTINGS[key]}" if key in NOT_SETTINGS else suggest(key, KNOWN_KEYS)
            raise UsageError(f"{source}: unknown setting [tool.{TABLE}] {key!r}{hint}")
    root = source.parent.resolve()
    bank, outline = table.get("bank", DEFAULT_BANK), table.get("outline", DEFAULT_OUTLINE)
    if not isinstance(bank, str) or not isinstance(outline, str):
        raise UsageError(f"{source}: [tool.{TABLE}] bank and outline must be strings")
    for key, value in (("bank", bank), ("outline", outline)):
        if not value.strip():
            raise UsageError(f"{source}: [tool.{TABLE}] {key} must not be empty")
    cache_dir = table.get("cache-dir")
    if cache_dir is not None and (not isinstance(cache_dir, str) or not cache_dir.strip()):
        raise UsageError(f"{source}: [tool.{TABLE}] cache-dir must be a folder name (a non-empty string)")
    return Config(root=root, bank=root / bank, outline=outline, source=source, table=table)
