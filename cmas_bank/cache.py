"""The per-file result cache behind `cmas-bank check`.

A file's parse, validation and per-file lint results depend only on its bytes and on the
context: the tool's code, the configuration, the outline and the item schema. So the cache is
one folder per context (its name is a digest of all of them) mapping each path to the sha256 of
its bytes and the results. Any change to the code, config, outline or schema selects a new cache
folder; any change to a file's bytes misses its entry. A stale entry can therefore never be used,
and so never hide a finding. Beside the entries, `check` keeps a state (what it recorded of each
file and what the last run found) and named parts that bank-wide stages keep between runs
(dedupe's pairs, lint's state); the state is written last, since it vouches for the rest.

The cache is a folder of pickles in `.cmas-bank-cache/` beside the config (git-ignored): local, written by
this tool only, and never read from anywhere a checkout brings in. Each file is replaced atomically
but not forced to disk: a crash can lose a write, which costs time only, since an entry is used
only for the bytes it was made from, a file that does not unpickle reads as empty, and `check`
trusts bank-wide state only beside the memo written with it.
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

    On disk, `check-<context>/` holds:
    - 64 shard pickles of per-file entries (by a hash of the path), each read when first needed:
      a run that changed one file reads one shard;
    - `state.pickle`, read on opening: what the last run recorded of the files and found;
    - one pickle per named part (`part`), read on demand: bank-wide results a stage keeps.

    Saving rewrites only what changed."""

    folder: Path | None
    shards: dict[int, dict[str, tuple[str, Any]]] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    parts: dict[str, Any] = field(default_factory=dict)
    hits: int = 0
    dirty_shards: set[int] = field(default_factory=set)
    dirty_state: bool = False
    dirty_parts: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, root: Path | None, key: str) -> FileCache:
        if root is None:
            return cls(folder=None)
        cache = cls(folder=root / f"check-{key}")
        state = cache._read("state.pickle")
        if isinstance(state, dict):
            cache.state = state
        return cache

    def _read(self, name: str) -> Any:
        """One pickle of the folder; a missing or unreadable one reads as None (empty)."""
        if self.folder is None:
            return None
        try:
            with (self.folder / name).open("rb") as fh:
                return pickle.load(fh)
        except _ERRORS:
            return None

    def _load_shard(self, index: int) -> dict[str, tuple[str, Any]]:
        shard = self.shards.get(index)
        if shard is None:
            found = self._read(f"{index:02d}.pickle")
            shard = self.shards[index] = found if isinstance(found, dict) else {}
        return shard

    def _shard_of(self, name: str) -> dict[str, tuple[str, Any]]:
        return self._load_shard(_shard(name))

    def _drop_others(self, keep: set[str]) -> None:
        """Drop the entries of files not in `keep` (removed from the bank): reads every shard."""
        for index in range(SHARDS):
            shard = self._load_shard(index)
            gone = [name for name in shard if name not in keep]
            for name in gone:
                del shard[name]
            if gone:
                self.dirty_shards.add(index)

    def get(self, name: str, digest: str) -> Any | None:
        entry = self._shard_of(name).get(name)
        if entry is not None and entry[0] == digest:
            self.hits += 1
            return entry[1]
        return None

    def previous(self, name: str, digest: str) -> Any | None:
        """`get` for an entry that is about to be replaced (to compare with its successor): not
        counted as a hit."""
        entry = self._shard_of(name).get(name)
        return entry[1] if entry is not None and entry[0] == digest else None

    def put(self, name: str, digest: str, value: Any) -> None:
        self._shard_of(name)[name] = (digest, value)
        self.dirty_shards.add(_shard(name))

    def set_state(self, name: str, value: Any) -> None:
        self.state[name] = value
        self.dirty_state = True

    def part(self, name: str) -> Any | None:
        if name not in self.parts:
            self.parts[name] = self._read(f"part-{name}.pickle")
        return self.parts[name]

    def set_part(self, name: str, value: Any) -> None:
        self.parts[name] = value
        self.dirty_parts.add(name)

    def save(self, keep: set[str] | None = None) -> None:
        """Write what changed. With `keep`, the entries of other files are dropped (which reads
        every shard). The caches of other contexts are removed, so the folder does not grow
        without bound."""
        if self.folder is None:
            return
        if keep is not None:
            self._drop_others(keep)
        if not (self.dirty_shards or self.dirty_state or self.dirty_parts):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder.parent / ".gitignore").write_text("*\n")
            for index in sorted(self.dirty_shards):
                atomic_write_bytes(
                    self.folder / f"{index:02d}.pickle",
                    pickle.dumps(self.shards[index], pickle.HIGHEST_PROTOCOL),
                    durable=False,
                )
            for name in sorted(self.dirty_parts):
                atomic_write_bytes(
                    self.folder / f"part-{name}.pickle",
                    pickle.dumps(self.parts[name], pickle.HIGHEST_PROTOCOL),
                    durable=False,
                )
            if self.dirty_state:  # last: it vouches for the entries written above
                atomic_write_bytes(
                    self.folder / "state.pickle", pickle.dumps(self.state, pickle.HIGHEST_PROTOCOL), durable=False
                )
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
        self.dirty_parts.clear()
        self.dirty_state = False


def file_digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
