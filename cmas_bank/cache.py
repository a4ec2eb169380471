"""The per-file result cache behind `cmas-bank check`.

A file's parse, validation and per-file lint results depend only on its bytes and on the
context: the tool's code, the configuration, the outline and the item schema. So the cache is
one file per context (its name is a digest of all of them) mapping each path to the sha256 of
its bytes and the results. Any change to the code, config, outline or schema selects a new cache
file; any change to a file's bytes misses its entry. A stale entry can therefore never be used,
and so never hide a finding.

The cache is a pickle in `.cmas-bank-cache/` beside the config (git-ignored): local, written by
this tool only, and never read from anywhere a checkout brings in.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from cmas_bank import __version__
from cmas_bank.fileio import atomic_write_bytes

CACHE_DIR = ".cmas-bank-cache"
FORMAT = 2


@cache
def code_fingerprint() -> str:
    """A digest of the package's own source, so a development change to any rule invalidates
    results even before the version number moves."""
    digest = hashlib.sha256(__version__.encode())
    package = resources.files("cmas_bank")
    root = Path(str(package))
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".yaml") and p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def context_key(*parts: str) -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{code_fingerprint()}".encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()[:32]


@dataclass
class FileCache:
    """Results keyed on (path, sha256 of the bytes) within one context."""

    path: Path | None
    entries: dict[str, tuple[str, Any]] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)  # bank-wide results, owned by their stage
    hits: int = 0
    dirty: bool = False

    @classmethod
    def open(cls, folder: Path | None, key: str) -> FileCache:
        if folder is None:
            return cls(path=None)
        path = folder / f"check-{key}.pickle"
        try:
            with path.open("rb") as fh:
                entries, state = pickle.load(fh)
            if isinstance(entries, dict) and isinstance(state, dict):
                return cls(path=path, entries=entries, state=state)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            pass  # a missing or unreadable cache is an empty one
        return cls(path=path)

    def get(self, name: str, digest: str) -> Any | None:
        entry = self.entries.get(name)
        if entry is not None and entry[0] == digest:
            self.hits += 1
            return entry[1]
        return None

    def put(self, name: str, digest: str, value: Any) -> None:
        self.entries[name] = (digest, value)
        self.dirty = True

    def set_state(self, name: str, value: Any) -> None:
        self.state[name] = value
        self.dirty = True

    def save(self, keep: set[str]) -> None:
        """Write the entries for the files still present; old context files are removed so the
        folder does not grow without bound."""
        if self.path is None:
            return
        stale = set(self.entries) - keep
        if not self.dirty and not stale:
            return
        for name in stale:
            del self.entries[name]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            (self.path.parent / ".gitignore").write_text("*\n")
            atomic_write_bytes(self.path, pickle.dumps((self.entries, self.state), protocol=pickle.HIGHEST_PROTOCOL))
            for other in self.path.parent.glob("check-*.pickle"):
                if other != self.path:
                    other.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs speed


def file_digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
