"""Which files a run checks, and which of them changed since the last run, from `stat` first.

Each file's state is known from `stat` when its size, times and inode equal those recorded with
the sha256 of its bytes (as git's index does); otherwise its bytes are read and hashed. A file
changed within two seconds of a run is never trusted by `stat`: it is hashed again next time
(the "racy" case, when a change can leave the times unchanged)."""

from __future__ import annotations

import os
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from cmas_bank.diagnostics import display_path
from cmas_bank.engine.store import file_digest
from cmas_bank.fileio import discover_names
from cmas_bank.loader import LoadedFile, read_bytes

RACY_NS = 2_000_000_000  # a file changed this close to a run is hashed again on the next one
NO_SIGNATURE = (-1, -1, -1, -1)  # recorded for a file `stat` cannot vouch for


@dataclass
class Record:
    """What a run recorded of the files, in display order: each file's display path, its `stat`
    signature (size, mtime and ctime in ns, inode: four numbers, or -1s when it could not be
    trusted) and the sha256 of its bytes (None: unreadable). Flat lists and one array are
    cached in milliseconds for 100,000 files, and a warm run compares the whole array at once."""

    displays: list[str]
    signatures: array[int]
    digests: list[str | None]

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if k != "where"}

    @cached_property
    def where(self) -> dict[str, int]:
        return {d: i for i, d in enumerate(self.displays)}


@dataclass
class Walk:
    """The folders a walk of the run's paths listed, each with its `stat` signature, and the
    names it found (None: the same as the record's display paths). Adding, removing or renaming
    an entry of a folder changes the folder's times, so while every signature matches (none
    racy), the walk would find the same names and is not done again (as git's untracked cache)."""

    key: tuple[str, tuple[str, ...]]  # the working folder and the paths as given
    folders: list[str]
    signatures: array[int]
    names: list[str] | None


def discover(
    paths: Sequence[Path], record: Record | None, walk: Walk | None
) -> tuple[list[str], list[str], Walk | None]:
    """The run's file names and display paths, and the walk to record: from the last walk when
    no folder it listed changed, else by walking. Paths that name files are not walked again."""
    key = (os.getcwd(), tuple(os.fspath(p) for p in paths))
    if walk is not None and record is not None and walk.key == key:
        signatures, untrusted = _signatures(walk.folders)
        if not untrusted and signatures == walk.signatures:
            return (walk.names if walk.names is not None else record.displays), record.displays, walk
    folders: list[str | None] = []
    started = time.time_ns()  # a folder changed since (or just before) the walk began is not vouched for
    names = discover_names(paths, folders=folders)
    shown = displays(names)
    listed = [f for f in folders if f is not None]
    if len(listed) < len(folders) or not all(os.path.isdir(p) for p in paths):
        return names, shown, None  # a folder that cannot be listed, or files given: walk each time
    signatures, untrusted = _signatures(listed, since=started)
    if untrusted:
        return names, shown, None
    return names, shown, Walk(key, listed, signatures, None if names == shown else names)


@dataclass
class File:
    index: int  # its place in the run's list of files
    path: str
    display: str
    digest: str | None = None  # None: unreadable
    loaded: LoadedFile | None = None  # set once read: holds a read error, if any
    raw: bytes | None = None  # the bytes read, until they are parsed

    def read(self) -> bytes | None:
        """Read the file now (its digest is of what is there now)."""
        self.loaded = LoadedFile(path=Path(self.path), display=self.display)
        self.raw = read_bytes(self.loaded)
        self.digest = file_digest(self.raw) if self.raw is not None else None
        return self.raw


@dataclass
class Survey:
    """The files of a run and the digest of each, with the files that had to be read for it."""

    names: list[str]
    displays: list[str]
    signatures: array[int]
    digests: list[str | None]
    opened: dict[int, File]  # by index: the files `stat` did not vouch for, read and hashed
    as_recorded: bool  # every file is the one recorded, vouched for by `stat`

    def file(self, i: int) -> File:
        return self.opened.get(i) or File(i, self.names[i], self.displays[i], self.digests[i])

    def record(self) -> Record:
        return Record(self.displays, self.signatures, self.digests)

    def changed_since(self, record: Record) -> list[File]:
        """The files whose bytes differ from `record`'s (same files, same order)."""
        if self.as_recorded:
            return []
        pairs = zip(self.digests, record.digests)
        return [self.file(i) for i, (now, then) in enumerate(pairs) if now is None or now != then]


def _signatures(names: Sequence[str], since: int | None = None) -> tuple[array[int], list[int]]:
    """Each file's `stat` signature, and the files it cannot vouch for (unreadable, or racy:
    changed less than `RACY_NS` before now, or before `since` if given)."""
    limit = (time.time_ns() if since is None else since) - RACY_NS
    signatures: array[int] = array("q")
    untrusted: list[int] = []
    for i, name in enumerate(names):
        try:
            st = os.stat(name)
        except OSError:
            signatures.extend(NO_SIGNATURE)
            untrusted.append(i)
            continue
        if st.st_mtime_ns >= limit or st.st_ctime_ns >= limit:  # racy: the next change may not show
            signatures.extend(NO_SIGNATURE)
            untrusted.append(i)
        else:
            signatures.extend((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return signatures, untrusted


def survey(names: list[str], displays: list[str], record: Record | None) -> Survey:
    """Each file's digest: from `stat` where it matches the record, else from its bytes."""
    signatures, untrusted = _signatures(names)
    if record is not None and record.displays == displays:
        if not untrusted and record.signatures == signatures:
            return Survey(names, displays, signatures, record.digests, {}, as_recorded=True)
        # The same files: only those whose signature differs from the record are read.
        digests = list(record.digests)
        size = 4 * signatures.itemsize
        suspects = set(differing(signatures.tobytes(), record.signatures.tobytes(), size))
    else:
        where = record.where if record is not None else {}
        digests = [None] * len(names)
        suspects = set()
        for i, display in enumerate(displays):
            j = where.get(display)
            if (
                j is not None
                and record is not None
                and signatures[4 * i : 4 * i + 4] == record.signatures[4 * j : 4 * j + 4]
            ):
                digests[i] = record.digests[j]
            else:
                suspects.add(i)
    suspects.update(untrusted)
    opened: dict[int, File] = {}
    for i in sorted(suspects):
        f = opened[i] = File(i, names[i], displays[i])
        f.read()
        digests[i] = f.digest
    return Survey(names, displays, signatures, digests, opened, as_recorded=False)


def differing(a: bytes, b: bytes, size: int) -> list[int]:
    """The indexes of the `size`-byte records at which two byte strings of equal length differ.
    Halves are compared whole (in C), so a few differences among 100,000 records cost a few
    dozen comparisons rather than a loop over every record."""
    out: list[int] = []

    def walk(lo: int, hi: int) -> None:
        if a[lo * size : hi * size] == b[lo * size : hi * size]:
            return
        if hi - lo == 1:
            out.append(lo)
            return
        mid = (lo + hi) // 2
        walk(lo, mid)
        walk(mid, hi)

    if a:
        walk(0, len(a) // size)
    return out


def displays(names: Sequence[str]) -> list[str]:
    """Each file's display path; worked out once per folder, not per file."""
    base = os.getcwd()
    folders: dict[str, str] = {}
    out = []
    for name in names:
        folder, _, leaf = name.rpartition(os.sep)
        shown = folders.get(folder)
        if shown is None:
            shown = folders[folder] = display_path(os.path.abspath(folder or "."), base)
        out.append(f"{shown}/{leaf}" if shown not in ("", ".") else leaf)
    return out
