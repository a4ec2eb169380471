"""Finding item files, and writing files atomically: a temporary file in the same folder,
flushed, then renamed over the target, so a crash or a full disk never leaves a half-written
file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
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


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> bool:
    """Write `data` to `path` atomically. Returns False (and does not touch the file) when the
    file already holds exactly these bytes. Without `durable` (a cache, which a crash may lose
    at the cost of time alone), the bytes are neither compared first nor forced to disk."""
    try:
        if durable and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return True


def atomic_write_text(path: Path, text: str) -> bool:
    return atomic_write_bytes(path, text.encode("utf-8"))
