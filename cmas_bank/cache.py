"""The per-file result cache behind `cmas-bank check`.

A file's parse, validation and per-file lint results depend only on its bytes and on the
context: the tool's code, the configuration, the outline and the item schema. So the cache is
one folder per context (its name is a digest of all of them) mapping each path to the sha256 of
its bytes and the results. Any change to the code, config, outline or schema selects a new cache
file; any change to a file's bytes misses its entry. A stale entry can therefore never be used,
and so never hide a finding.

The cache is a folder of pickles in `.cmas-bank-cache/` beside the config (git-ignored): local, written by
this tool only, and never read from anywhere a checkout brings in.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
import zlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from cmas_bank import __version__
from cmas_bank.fileio import atomic_write_bytes

CACHE_DIR = ".cmas-bank-cache"
FORMAT = 4


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


SHARDS = 64  # entries are split so that an edit rewrites one shard, not the whole cache
_ERRORS = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError)


def _shard(name: str) -> int:
    return zlib.crc32(name.encode()) % SHARDS


@dataclass
class FileCache:
    """Results keyed on (path, sha256 of the bytes) within one context.

    On disk: `check-<context>/` holds 64 shard pickles of entries (by a hash of the path) and a
    `state.pickle` of bank-wide results; saving rewrites only what changed."""

    folder: Path | None
    entries: dict[str, tuple[str, Any]] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)  # bank-wide results, owned by their stage
    hits: int = 0
    dirty_shards: set[int] = field(default_factory=set)
    dirty_state: bool = False

    loaded: bool = False  # entries are read on demand: a run that finds nothing changed needs none

    @classmethod
    def open(cls, root: Path | None, key: str) -> FileCache:
        """The cache of one context, with its bank-wide state read (entries: `load_entries`)."""
        if root is None:
            return cls(folder=None, loaded=True)
        cache = cls(folder=root / f"check-{key}")
        state = cache._read("state.pickle")
        if isinstance(state, dict):
            cache.state = state
        return cache

    def load_entries(self) -> None:
        if self.loaded or self.folder is None:
            return
        self.loaded = True
        for index in range(SHARDS):
            shard = self._read(f"{index:02d}.pickle")
            if isinstance(shard, dict):
                self.entries.update(shard)

    def _read(self, name: str) -> Any:
        """One pickle of the folder; a missing or unreadable one reads as None (empty)."""
        try:
            with (self.folder / name).open("rb") as fh:  # type: ignore[operator]
                return pickle.load(fh)
        except _ERRORS:
            return None

    def get(self, name: str, digest: str) -> Any | None:
        entry = self.entries.get(name)
        if entry is not None and entry[0] == digest:
            self.hits += 1
            return entry[1]
        return None

    def put(self, name: str, digest: str, value: Any) -> None:
        self.entries[name] = (digest, value)
        self.dirty_shards.add(_shard(name))

    def set_state(self, name: str, value: Any, *, compare: bool = True) -> None:
        """Set a bank-wide result; it is written only if it changed (`compare=False`: always,
        for values that are costly to compare)."""
        if not compare or self.state.get(name) != value:
            self.state[name] = value
            self.dirty_state = True

    def save(self, keep: set[str]) -> None:
        """Write the shards that changed (entries of files no longer present are dropped) and
        remove the caches of other contexts, so the folder does not grow without bound."""
        if self.folder is None:
            return
        if self.dirty_shards:
            self.load_entries()  # a shard is rewritten whole
        for name in set(self.entries) - keep:
            del self.entries[name]
            self.dirty_shards.add(_shard(name))
        if not self.dirty_shards and not self.dirty_state:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder.parent / ".gitignore").write_text("*\n")
            shards: dict[int, dict[str, tuple[str, Any]]] = {i: {} for i in self.dirty_shards}
            for name, entry in self.entries.items():
                index = _shard(name)
                if index in shards:
                    shards[index][name] = entry
            for index, shard in shards.items():
                atomic_write_bytes(self.folder / f"{index:02d}.pickle", pickle.dumps(shard, pickle.HIGHEST_PROTOCOL))
            if self.dirty_state:
                atomic_write_bytes(self.folder / "state.pickle", pickle.dumps(self.state, pickle.HIGHEST_PROTOCOL))
            for other in self.folder.parent.glob("check-*"):
                if other == self.folder:
                    continue
                if other.is_dir():
                    shutil.rmtree(other, ignore_errors=True)
                else:
                    other.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs speed
        self.dirty_shards.clear()
        self.dirty_state = False


def file_digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
