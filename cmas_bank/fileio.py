"""Finding item files, and writing files atomically: a temporary file in the same folder,
flushed, then renamed over the target, so a crash or a full disk never leaves a half-written
file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cmas_bank.errors import UsageError

ITEM_SUFFIXES = (".yaml", ".yml")


def discover(paths: Iterable[Path]) -> list[Path]:
    """Item files under `paths` (files as given, folders searched for *.yaml/*.yml, hidden ones
    skipped), sorted by path components.

    A path that does not exist is a usage error: a typo must not pass as an empty bank."""
    return [Path(p) for p in discover_names(paths)]


def discover_names(paths: Iterable[Path]) -> list[str]:
    """`discover`, as strings: on a 100,000-file bank, building and comparing Path objects
    cost more than the walk itself."""
    given = list(paths)
    found: list[str] = []
    for path in given:
        if path.is_dir():
            found.extend(_walk(os.fspath(path)))
        elif path.exists():
            found.append(os.path.normpath(path))
        else:
            raise UsageError(f"{path}: no such file or directory")
    if len(given) == 1:
        return found  # one file, or one folder walked in order
    # By path components: the separator made the lowest character gives that order in one
    # string comparison ("a/x" before "a-b/y"), far cheaper than comparing lists of parts.
    return sorted(set(found), key=lambda p: p.replace(os.sep, "\0"))


def _walk(folder: str) -> list[str]:
    """Item files under `folder`, hidden ones skipped, in path-component order: each folder's
    entries sorted by name, a sub-folder's files at its name's place (where a sort of whole
    paths with the separator as the lowest character puts them). Symbolic links to folders
    are not followed, as `os.walk` does not."""
    files: list[str] = []
    folders: set[str] = set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir():
                    if not entry.is_symlink():
                        folders.add(name)
                elif name.endswith(ITEM_SUFFIXES):
                    files.append(name)
    except OSError:
        return []
    prefix = folder + os.sep
    if not folders:
        files.sort()
        return [prefix + name for name in files]
    out: list[str] = []
    for name in sorted([*files, *folders]):
        if name in folders:
            out.extend(_walk(prefix + name))
        else:
            out.append(prefix + name)
    return out


@dataclass
class Staged:
    """A file written to a temporary beside its target, waiting to be renamed over it."""

    target: Path  # the file itself: a symbolic link is followed, so the shared file is written
    temp: str
    in_place: bool  # the target has other hard links: its bytes are replaced, the inode kept
    old: bytes | None  # what the target held, to undo a failed commit (None: not read, or no file)
    existed: bool = True
    folders: list[Path] = field(default_factory=list)  # folders made for it, deepest last


def stage_bytes(path: Path, data: bytes, *, durable: bool = True) -> Staged | None:
    """Write `data` to a temporary file beside `path`'s target (symbolic links followed), with
    the target's permissions; None when the file already holds exactly these bytes. Nothing
    is left behind when it fails. `commit` puts the staged files in place."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    old = target.read_bytes() if durable and info is not None else None
    if durable and old == data:
        return None
    try:
        folders = _make_folders(target.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, os.fspath(target)) from None
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        _remove_folders(folders)
        raise OSError(exc.errno, exc.strerror, os.fspath(target)) from None
    in_place = info is not None and info.st_nlink > 1
    staged = Staged(target, temp, in_place, old, existed=info is not None, folders=folders)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(temp, info.st_mode & 0o7777 if info is not None else 0o644)
    except BaseException:
        discard([staged])
        raise
    return staged


def _make_folders(folder: Path) -> list[Path]:
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    made: list[Path] = []
    try:
        for path in reversed(missing):
            path.mkdir()
            made.append(path)
    except BaseException:
        _remove_folders(made)
        raise
    return made


def _remove_folders(folders: list[Path]) -> None:
    for folder in reversed(folders):
        try:
            folder.rmdir()
        except OSError:
            return


def discard(staged: list[Staged]) -> None:
    """Remove the temporaries (and the folders made for them) of files not committed."""
    for item in staged:
        try:
            os.unlink(item.temp)
        except OSError:
            pass
    for item in reversed(staged):
        _remove_folders(item.folders)


def commit(staged: list[Staged]) -> None:
    """Put every staged file in place: each temporary renamed over its target, or, for a file
    with other hard links (which a rename would cut off), copied into it. When one fails, the
    files already put in place get their old bytes back, the rest are discarded, and the error
    is raised: all or nothing."""
    done: list[Staged] = []
    try:
        for item in staged:
            if item.in_place:
                _copy_into(item.temp, item.target)
                os.unlink(item.temp)
            else:
                os.replace(item.temp, item.target)
            done.append(item)
    except BaseException:
        _undo(done)
        discard([item for item in staged if item not in done])
        raise


def _copy_into(temp: str, target: Path) -> None:
    data = Path(temp).read_bytes()
    with open(target, "r+b") as fh:
        fh.write(data)
        fh.truncate()
        fh.flush()
        os.fsync(fh.fileno())


def _undo(done: list[Staged]) -> None:
    for item in reversed(done):
        try:
            if not item.existed:
                item.target.unlink()
                _remove_folders(item.folders)
            elif item.old is None:
                continue
            elif item.in_place:
                with open(item.target, "r+b") as fh:
                    fh.write(item.old)
                    fh.truncate()
            else:
                atomic_write_bytes(item.target, item.old)
        except OSError:
            pass


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> bool:
    """Write `data` to `path` atomically (a temporary renamed over it), keeping its permissions;
    a symbolic link is followed and its target written, and a file with other hard links is
    written in place so that they keep sharing it. Returns False (and does not touch the file)
    when the file already holds exactly these bytes. Without `durable` (a cache, which a crash
    may lose at the cost of time alone), the bytes are neither compared first nor forced to disk."""
    staged = stage_bytes(path, data, durable=durable)
    if staged is None:
        return False
    commit([staged])
    return True


def atomic_write_text(path: Path, text: str) -> bool:
    return atomic_write_bytes(path, text.encode("utf-8"))
