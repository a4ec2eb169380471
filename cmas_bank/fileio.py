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
    found: set[str] = set()
    for path in paths:
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                prefix = folder + os.sep
                found.update(prefix + f for f in files if f.endswith(ITEM_SUFFIXES) and not f.startswith("."))
        elif path.exists():
            found.add(os.path.normpath(path))
        else:
            raise UsageError(f"{path}: no such file or directory")
    # By path components: the separator made the lowest character gives that order in one
    # string comparison ("a/x" before "a-b/y"), far cheaper than comparing lists of parts.
    return sorted(found, key=lambda p: p.replace(os.sep, "\0"))


def atomic_write_bytes(path: Path, data: bytes) -> bool:
    """Write `data` to `path` atomically. Returns False (and does not touch the file) when the
    file already holds exactly these bytes."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
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
