"""Finding item files, and writing files atomically: a temporary file in the same folder,
flushed, then renamed over the target, so a crash or a full disk never leaves a half-written
file."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cmas_bank.errors import UsageError

ITEM_SUFFIXES = (".yaml", ".yml")
COPY_CHUNK = 1 << 20  # files are copied and compared in chunks of this size


def discover(paths: Iterable[Path], *, allow_empty: bool = False) -> list[Path]:
    """Item files under `paths` (files as given, folders searched for *.yaml/*.yml, hidden ones
    skipped), sorted by path components.

    A path that does not exist is a usage error: a typo must not pass as an empty bank; so is a
    folder with no item files in it, unless `allow_empty` (a folder that items are written to)."""
    return [Path(p) for p in discover_names(paths, allow_empty=allow_empty)]


def discover_names(
    paths: Iterable[Path], *, allow_empty: bool = False, folders: list[str | None] | None = None
) -> list[str]:
    """`discover`, as strings: on a 100,000-file bank, building and comparing Path objects
    cost more than the walk itself.

    What cannot be looked into is not dropped: a folder that cannot be listed, or an item file
    name that is a link to itself, comes back as a name whose read fails with IV101 at that
    path. The same file reached through two of `paths` (`bank` and `$PWD/bank`) is listed once,
    under the name it was first found by. `folders`, when given, gets every folder listed (None
    for one that could not be), so that a later run can tell from their `stat` that the walk
    would find the same names."""
    given = list(paths)
    found: list[str] = []
    for path in given:
        if path.is_dir():
            walked = _walk(os.fspath(path), folders)
            if not walked and not allow_empty:
                raise UsageError(f"{path}: no item files (*.yaml, *.yml) found in this folder")
            found.extend(walked)
        elif path.exists() or path.is_symlink():  # a dangling or looping link is read, and reported
            found.append(os.path.normpath(path))
        else:
            raise UsageError(f"{path}: no such file or directory")
    if len(given) == 1:
        return found  # one file, or one folder walked in order
    # By path components: the separator made the lowest character gives that order in one
    # string comparison ("a/x" before "a-b/y"), far cheaper than comparing lists of parts.
    return sorted(_unique(found), key=lambda p: p.replace(os.sep, "\0"))


def _unique(names: list[str]) -> list[str]:
    """`names` without a second name for the same file, keeping the first. Files are told apart
    by their folder's real path (one `realpath` per folder, not per file) and their own name: a
    walk never follows a link to a folder, so that is the file's real place."""
    real: dict[str, str] = {}
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        folder, _, leaf = name.rpartition(os.sep)
        base = real.get(folder)
        if base is None:
            base = real[folder] = os.path.realpath(folder or os.curdir)
        key = os.path.join(base, leaf)
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _walk(folder: str, listed: list[str | None] | None = None) -> list[str]:
    """Item files under `folder`, hidden ones skipped, in path-component order: each folder's
    entries sorted by name, a sub-folder's files at its name's place (where a sort of whole
    paths with the separator as the lowest character puts them). Symbolic links to folders
    are not followed, as `os.walk` does not. Iterative, so no depth of folders can exhaust the
    stack; a folder that cannot be listed is returned as a name of its own (see `discover_names`)."""
    out: list[str] = []
    stack: list[tuple[str, Iterator[str], set[str]]] = []

    def enter(path: str) -> None:
        try:
            files, folders = _scan(path)
        except OSError:
            out.append(path)  # reading it reports why it cannot be listed
            if listed is not None:
                listed.append(None)
            return
        if listed is not None:
            listed.append(path)
        prefix = path + os.sep
        if folders:
            stack.append((prefix, iter(sorted([*files, *folders])), folders))
        else:
            out.extend(prefix + name for name in sorted(files))

    enter(folder)
    while stack:
        prefix, names, folders = stack[-1]
        for name in names:
            if name in folders:
                enter(prefix + name)
                break
            out.append(prefix + name)
        else:
            stack.pop()
    return out


def _scan(folder: str) -> tuple[list[str], set[str]]:
    """The item file names and the sub-folder names (links to folders left out) in `folder`."""
    files: list[str] = []
    folders: set[str] = set()
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.add(name)
                    continue
            except OSError:
                pass
            if name.endswith(ITEM_SUFFIXES):
                try:
                    if entry.is_dir():  # a link to a folder
                        continue
                except OSError:  # a link to itself: listed, so that its read reports it
                    pass
                files.append(name)
    return files, folders


# --- reading ------------------------------------------------------------------------------------

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}
# A FIFO opened for reading waits for a writer unless opened non-blocking; regular files ignore it.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


class NotRegularFile(OSError):
    """The path is a folder, a FIFO, a device or a socket: nothing to read as a file."""


class FileTooLarge(OSError):
    """The file holds more than the reader's limit; `size` is at least that much."""

    def __init__(self, size: int, limit: int):
        super().__init__(errno.EFBIG, f"file is {size:,} bytes; at most {limit:,} are read")
        self.size, self.limit = size, limit


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, never more than `limit` of them.

    Raises NotRegularFile (after opening without blocking, so a FIFO cannot hang the run, and
    before reading, so /dev/zero cannot fill the memory), FileTooLarge (the size `stat` gives, or
    found while reading a file that grows), or the OSError of opening or reading."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = _KINDS.get(stat.S_IFMT(st.st_mode), "not a file")
            raise NotRegularFile(errno.EINVAL, f"not a regular file: {kind}")
        if st.st_size > limit:
            raise FileTooLarge(st.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, max(st.st_size, 4096) + 1 if not chunks else limit + 1 - total):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(total, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


@dataclass
class Staged:
    """A file written to a temporary beside its target, waiting to be renamed over it."""

    target: Path  # the file itself: a symbolic link is followed, so the shared file is written
    temp: str
    in_place: bool  # the target has other hard links: its bytes are replaced, the inode kept
    old: bytes | None  # what the target held, to undo a failed commit (None: not read, or no file)
    existed: bool = True
    folders: list[Path] = field(default_factory=list)  # folders made for it, deepest last


def stage_bytes(path: Path, data: bytes, *, durable: bool = True, fsync: bool = True) -> Staged | None:
    """Write `data` to a temporary file beside `path`'s target (symbolic links followed), with
    the target's permissions; None when the file already holds exactly these bytes. Nothing
    is left behind when it fails. `commit` puts the staged files in place. A durable write is
    forced to disk before it returns, unless `fsync` is False: then the caller must call
    `sync_staged` on the batch before `commit` (one flush for thousands of files)."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    old = target.read_bytes() if durable and info is not None else None
    if durable and old == data:
        return None
    fd, temp, folders = _temp_beside(target)
    in_place = info is not None and info.st_nlink > 1
    staged = Staged(target, temp, in_place, old, existed=info is not None, folders=folders)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable and fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(temp, info.st_mode & 0o7777 if info is not None else 0o644)
    except BaseException:
        discard([staged])
        raise
    return staged


def _temp_beside(target: Path) -> tuple[int, str, list[Path]]:
    """A new temporary file in `target`'s folder (made, with any missing parents, if need be):
    its descriptor, its name and the folders made. An error names `target`; nothing made is left."""
    try:
        folders = _make_folders(target.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, os.fspath(target)) from None
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        _remove_folders(folders)
        raise OSError(exc.errno, exc.strerror, os.fspath(target)) from None
    return fd, temp, folders


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


def sync_staged(staged: list[Staged]) -> None:
    """Force a batch of staged temporaries to disk before they are renamed into place: one
    `sync` where the platform has it (a per-file fsync cost about 6 ms a file, 10 minutes for an
    import of 100,000 rows), else an fsync of each."""
    if not staged:
        return
    if hasattr(os, "sync"):
        os.sync()
        return
    for item in staged:
        fd = os.open(item.temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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
    import shutil

    with open(temp, "rb") as source, open(target, "r+b") as fh:
        shutil.copyfileobj(source, fh, COPY_CHUNK)  # in chunks: an export can be hundreds of MB
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


def atomic_write_stream(path: Path, write: Callable[[BinaryIO], None]) -> bool:
    """`atomic_write_bytes` for bytes made as they are written: `write(fh)` writes them into a
    temporary file beside `path`'s target, so they are never all in memory (an export of
    100,000 items). The temporary is forced to disk and renamed over the target; when `write`
    raises, or the file already holds exactly these bytes (compared in chunks; False is then
    returned and the file is left untouched), the temporary is removed. Permissions, symbolic
    links and hard links are kept as `atomic_write_bytes` keeps them."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):  # found before the bytes are made, not after
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(target))
    fd, temp, folders = _temp_beside(target)
    staged = Staged(
        target, temp, info is not None and info.st_nlink > 1, None, existed=info is not None, folders=folders
    )
    try:
        with os.fdopen(fd, "w+b") as fh:
            write(fh)
            fh.flush()
            same = info is not None and _same_bytes(fh, target)
            if not same:
                os.fsync(fh.fileno())
        if same:
            discard([staged])
            return False
        os.chmod(temp, info.st_mode & 0o7777 if info is not None else 0o644)
    except BaseException:
        discard([staged])
        raise
    commit([staged])
    return True


def _same_bytes(fh: BinaryIO, target: Path) -> bool:
    """Whether the file `target` holds exactly the bytes written to `fh` (read back in chunks)."""
    if os.fstat(fh.fileno()).st_size != target.stat().st_size:
        return False
    fh.seek(0)
    with open(target, "rb") as old:
        while True:
            chunk = fh.read(COPY_CHUNK)
            if chunk != old.read(COPY_CHUNK):
                return False
            if not chunk:
                return True
