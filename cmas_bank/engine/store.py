"""The result cache that every run of the engine reads and writes: safe to find in a checkout.

What is cached: each file's own findings and bank record, keyed on the sha256 of its bytes,
within a context (a digest of the tool's code, Python and every dependency that can change a
finding, the configuration and the outline); the engine's state (what it recorded of the files
and what the last run found); named parts that bank-wide stages keep between runs.

Why it can be trusted, and cannot be used against its user:

- **It runs no code when read.** Files are pickles, but they are read by an unpickler that can
  build only the plain data types listed in `_ALLOWED` (our result records, `Counter`, `array`,
  enums): a pickle naming anything else (`os.system`, a module's function) is refused, and the
  file is read as empty.
- **Only this user's own writes are believed.** Each file carries a MAC (keyed BLAKE2b) over its
  name and its bytes, with a key kept outside every repository, in the user's cache folder
  (`$XDG_CACHE_HOME/cmas-bank/cache-key`, mode 0600). A file copied from elsewhere, committed to
  a repository, damaged on disk or cut short does not verify, and is read as empty: its results
  are computed again, so nothing a cache holds can hide a finding.
- **It writes only where it owns the folder.** The folder (`.cmas-bank-cache/` beside the config,
  or `cache-dir`) is created by the tool with a `CACHEDIR.TAG`; an existing folder without one is
  not used, a folder that is or holds the bank or the project root is a usage error, and one whose
  files git tracks is ignored (a checkout brought them in). Inside it, only the tool's own names
  are written or removed.

Each file is replaced atomically but not forced to disk: a crash can lose a write, which costs
time only.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
import re
import secrets
import shutil
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from cmas_bank import __version__
from cmas_bank.errors import UsageError
from cmas_bank.fileio import atomic_write_bytes

CACHE_DIR = ".cmas-bank-cache"
FORMAT = 5
TAG_NAME = "CACHEDIR.TAG"
TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This folder is a cache made by cmas-bank (https://bford.info/cachedir/).\n"
    b"# cmas-bank writes and removes only its own files here; delete the folder at any time.\n"
)
MAGIC = b"cmas-bank cache\x00"
MAC_SIZE = 32
SHARDS = 64  # entries are split so that an edit rewrites one shard, not the whole cache
KEEP_CONTEXTS = 4  # the caches of this many contexts are kept (e.g. with and without --select)
KEEP_VIEWS = 16  # per context, the states of this many jobs (a command over some paths) are kept
STALE_TMP_SECONDS = 600  # a temporary file this old was left by a run that was killed

# The dependencies whose versions can change a finding (parsing, validation, similarity, the
# Unicode tables behind text normalisation).
DEPENDENCIES = (
    "pydantic",
    "pydantic-core",
    "PyYAML",
    "jsonschema",
    "rapidfuzz",
    "numpy",
    "ruamel.yaml",
    "snowballstemmer",
    "PyStemmer",  # snowballstemmer stems through it when it is installed
)


# --- what a cache file may contain -------------------------------------------------------------

_ALLOWED = {
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("collections", "Counter"),
    ("array", "_array_reconstructor"),
    ("array", "array"),
    ("cmas_bank.diagnostics", "_rebuild"),
    ("cmas_bank.diagnostics", "Severity"),
    ("cmas_bank.bankitem", "_rebuild"),
    ("cmas_bank.bankitem", "LintFeatures"),
    ("cmas_bank.lint.core", "Finding"),
    ("cmas_bank.coverage", "CoverageReport"),
    ("cmas_bank.coverage", "AreaCoverage"),
    ("cmas_bank.coverage", "SubAreaCoverage"),
    ("cmas_bank.coverage", "Balance"),
    ("cmas_bank.coverage", "OffBlueprint"),
    ("cmas_bank.dedupe.clusters", "Member"),
    ("cmas_bank.dedupe.clusters", "Pair"),
    ("cmas_bank.dedupe.clusters", "Cluster"),
    ("cmas_bank.engine.survey", "Record"),
    ("cmas_bank.engine.survey", "Walk"),
    ("cmas_bank.engine.run", "Memo"),
    ("cmas_bank.engine.run", "Job"),
    ("cmas_bank.engine.workers", "Checked"),
}


class _DataOnly(pickle.Unpickler):
    """An unpickler that builds only the data types in `_ALLOWED` and calls nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a cmas-bank cache type")
        return super().find_class(module, name)


def loads(payload: bytes) -> Any:
    return _DataOnly(io.BytesIO(payload)).load()


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


# --- what the cache is keyed on ----------------------------------------------------------------


@cache
def code_fingerprint() -> str:
    """A digest of the package's own source, so a development change to any rule invalidates
    results even before the version number moves."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(str(resources.files("cmas_bank")))
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".yaml") and p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def environment_fingerprint() -> str:
    """Python, the platform, the Unicode database and each dependency's version: a cache
    written under one of them is not read under another."""
    import unicodedata

    parts = [sys.version, sys.platform, sys.implementation.name, unicodedata.unidata_version]
    listed = _dist_info_versions()
    for name in DEPENDENCIES:
        parts.append(f"{name}={listed.get(_canonical(name)) or _metadata_version(name)}")
    return "\0".join(parts)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _dist_info_versions() -> dict[str, str]:
    """Installed distributions' versions from the names of their `NAME-VERSION.dist-info`
    folders on `sys.path` (the first one wins, as imports resolve): one directory listing per
    path entry, where `importlib.metadata.version` opens and parses a METADATA file per package
    (some 30 ms for seven, on every run)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info") and "-" in folder:
                name, _, version = folder[: -len(".dist-info")].partition("-")
                found.setdefault(_canonical(name), version)
    return found


def _metadata_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def context_key(*parts: str) -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{code_fingerprint()}\0{environment_fingerprint()}".encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()[:32]


def file_digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


# --- where it lives ----------------------------------------------------------------------------


def user_cache_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    if base and os.path.isabs(base):
        return Path(base) / "cmas-bank"
    return Path.home() / ".cache" / "cmas-bank"


def secret_key() -> bytes | None:
    """This user's cache key, made on first use; None where it cannot be had safely (then
    nothing is cached)."""
    path = user_cache_home() / "cache-key"
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
        st = os.stat(path)
        if not _private(st):
            return None
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == 32 else None


def _private(st: os.stat_result) -> bool:
    """The key file belongs to this user and nobody else can write it."""
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & 0o022


def cache_location(setting: object, root: Path, bank: Path, source: object) -> Path:
    """The cache folder a config asks for, refused (usage error) where a cache could do harm:
    the bank or the project root, or a folder holding either."""
    if not isinstance(setting, str) or not setting.strip():
        raise UsageError(f"{source}: cache-dir must be a non-empty folder name, not {setting!r}")
    folder = Path(os.path.realpath(root / setting))
    for what, place in (("the project root", root), ("the bank", bank)):
        real = Path(os.path.realpath(place))
        if folder == real or folder in real.parents:
            raise UsageError(
                f"{source}: cache-dir {setting!r} is or holds {what} ({place}); "
                f"name a folder of its own, such as {CACHE_DIR!r}"
            )
    return folder


def _tracked_by_git(folder: Path) -> bool:
    """Whether git tracks any file in `folder` (a checkout brought it in). False where git is
    missing or the folder is not in a work tree."""
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", "--", "."],
            cwd=folder,
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and bool(done.stdout)


def _own(folder: Path, notes: list[str]) -> bool:
    """Make the cache folder, or check an existing one is ours and not brought in by git."""
    tag = folder / TAG_NAME
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
            atomic_write_bytes(tag, TAG, durable=False)
            atomic_write_bytes(folder / ".gitignore", b"# made by cmas-bank: the cache is never committed\n*\n")
        except OSError as exc:
            notes.append(f"not caching: cannot create {folder}: {exc.strerror or exc}")
            return False
        return True
    try:
        ours = folder.is_dir() and tag.read_bytes().startswith(TAG[:43])
    except OSError:
        ours = False
    if not ours:
        notes.append(
            f"not caching: {folder} was not made by cmas-bank (no {TAG_NAME}); "
            "delete it, or set cache-dir to a new folder"
        )
        return False
    if _tracked_by_git(folder):
        notes.append(
            f"ignoring the cache in {folder}: git tracks files in it, so a checkout brought them in; "
            f"run `git rm -r --cached {folder.name}`"
        )
        return False
    return True


# --- the cache ---------------------------------------------------------------------------------


def _oldest_first(paths: list[Path]) -> list[Path]:
    def age(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    return sorted(paths, key=age)


def _shard(name: str) -> int:
    return zlib.crc32(name.encode()) % SHARDS


@dataclass
class Store:
    """Results keyed on (path, sha256 of the bytes) within one context.

    On disk, `check-<context>/` holds 64 shards of per-file entries (by a hash of the path, each
    read when first needed, so a run that changed one file reads one shard), and per view (one
    command over one set of paths: `check` of the bank, `validate` of one file) a `state-<view>`
    (read on opening: what its last run recorded and found) and one `part-<name>-<view>` per
    named part. Saving rewrites only what changed. `notes` says why a cache was not used, for
    the run's summary."""

    folder: Path | None
    key: bytes = b""
    view: str = "all"
    shards: dict[int, dict[str, tuple[str, Any]]] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    parts: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    hits: int = 0
    rejected: int = 0  # files that were there but did not verify
    dirty_shards: set[int] = field(default_factory=set)
    dirty_state: bool = False
    dirty_parts: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, root: Path | None, context: str, view: str = "all") -> Store:
        if root is None:
            return cls(folder=None)
        notes: list[str] = []
        key = secret_key()
        if key is None:
            return cls(folder=None, notes=[f"not caching: no private cache key in {user_cache_home()}"])
        if not _own(root, notes):
            return cls(folder=None, notes=notes)
        store = cls(folder=root / f"check-{context}", key=key, view=view)
        state = store._read(f"state-{view}")
        if isinstance(state, dict):
            store.state = state
        return store

    # -- sealed files --

    def _mac(self, name: str, payload: bytes) -> bytes:
        mac = hashlib.blake2b(key=self.key, digest_size=MAC_SIZE)
        mac.update(MAGIC + name.encode() + b"\0")
        mac.update(payload)
        return mac.digest()

    def _read(self, name: str) -> Any:
        """One file of the folder; a missing, foreign, damaged or unreadable one reads as None."""
        if self.folder is None:
            return None
        try:
            blob = (self.folder / name).read_bytes()
        except OSError:
            return None
        head, mac, payload = blob[: len(MAGIC)], blob[len(MAGIC) : len(MAGIC) + MAC_SIZE], blob[len(MAGIC) + MAC_SIZE :]
        if head != MAGIC or not hmac.compare_digest(mac, self._mac(name, payload)):
            self.rejected += 1
            return None
        try:
            return loads(payload)
        except (
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            ValueError,
            TypeError,
            IndexError,
            KeyError,
        ):
            # a verified file that does not load: written by another build of the same version
            self.rejected += 1
            return None

    def _write(self, name: str, value: Any) -> None:
        assert self.folder is not None
        payload = dumps(value)
        atomic_write_bytes(self.folder / name, MAGIC + self._mac(name, payload) + payload, durable=False)

    # -- entries --

    def _load_shard(self, index: int) -> dict[str, tuple[str, Any]]:
        shard = self.shards.get(index)
        if shard is None:
            found = self._read(f"{index:02d}")
            shard = self.shards[index] = found if isinstance(found, dict) else {}
        return shard

    def get(self, name: str, digest: str) -> Any | None:
        entry = self._load_shard(_shard(name)).get(name)
        if entry is not None and entry[0] == digest:
            self.hits += 1
            return entry[1]
        return None

    def previous(self, name: str, digest: str | None) -> Any | None:
        """`get` for an entry about to be replaced (to compare with its successor): no hit."""
        entry = self._load_shard(_shard(name)).get(name)
        return entry[1] if entry is not None and entry[0] == digest else None

    def put(self, name: str, digest: str, value: Any) -> None:
        self._load_shard(_shard(name))[name] = (digest, value)
        self.dirty_shards.add(_shard(name))

    def set_state(self, name: str, value: Any) -> None:
        self.state[name] = value
        self.dirty_state = True

    def part(self, name: str) -> Any | None:
        if name not in self.parts:
            self.parts[name] = self._read(f"part-{name}-{self.view}")
        return self.parts[name]

    def set_part(self, name: str, value: Any) -> None:
        self.parts[name] = value
        self.dirty_parts.add(name)

    def _drop_others(self, keep: set[str]) -> None:
        """Drop the entries of files not in `keep` (removed from the bank): reads every shard."""
        for index in range(SHARDS):
            shard = self._load_shard(index)
            gone = [name for name in shard if name not in keep]
            for name in gone:
                del shard[name]
            if gone:
                self.dirty_shards.add(index)

    def save(self, keep: set[str] | None = None) -> None:
        """Write what changed (the state last: it vouches for the rest). With `keep`, the entries
        of other files are dropped. The caches of other contexts, and temporaries left by a
        killed run, are removed."""
        if self.folder is None:
            return
        if keep is not None:
            self._drop_others(keep)
        if not (self.dirty_shards or self.dirty_state or self.dirty_parts):
            return
        try:
            self.folder.mkdir(exist_ok=True)
            for index in sorted(self.dirty_shards):
                self._write(f"{index:02d}", self.shards[index])
            for name in sorted(self.dirty_parts):
                self._write(f"part-{name}-{self.view}", self.parts[name])
            if self.dirty_state:
                self._write(f"state-{self.view}", self.state)
            self._tidy()
        except OSError:
            pass  # a cache that cannot be written only costs speed
        self.dirty_shards.clear()
        self.dirty_parts.clear()
        self.dirty_state = False

    def _tidy(self) -> None:
        """Remove the oldest contexts' folders and views' states, and stale temporaries: only
        names this tool makes."""
        assert self.folder is not None
        others = [
            p for p in self.folder.parent.glob("check-*") if p != self.folder and p.is_dir() and not p.is_symlink()
        ]
        for other in _oldest_first(others)[: max(0, len(others) - (KEEP_CONTEXTS - 1))]:
            shutil.rmtree(other, ignore_errors=True)
        views = [p for p in self.folder.glob("state-*") if p.name != f"state-{self.view}"]
        for state in _oldest_first(views)[: max(0, len(views) - (KEEP_VIEWS - 1))]:
            view = state.name.removeprefix("state-")
            for stale in (state, *self.folder.glob(f"part-*-{view}")):
                stale.unlink(missing_ok=True)
        limit = time.time() - STALE_TMP_SECONDS
        for tmp in self.folder.glob(".*.tmp"):
            try:
                if tmp.is_file() and tmp.stat().st_mtime < limit:
                    tmp.unlink()
            except OSError:
                pass
