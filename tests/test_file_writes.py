"""How rewritten files are written: through a symbolic link to the shared file, in place for a
file with other hard links, with the file's permissions, a clear error (exit 2) for a folder that
cannot be written, and `import csv` all or nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT
from typer.testing import CliRunner

from cmas_bank.cli import app
from cmas_bank.export import render
from cmas_bank.export.common import Selection
from cmas_bank.fileio import atomic_write_bytes, atomic_write_stream
from cmas_bank.importer import plan_csv_import, write_plan
from cmas_bank.outline import Outline
from cmas_bank.validate import ValidationResult

ITEM = FIXTURES / "items" / "01-medical-assisting-foundations" / "CMAS-01-0001.yaml"  # as shipped on 2026-12-01
CANONICAL = ITEM.read_text(encoding="utf-8")
MESSY = CANONICAL.replace("id: CMAS-01-0001\n", "").replace(
    "updated: 2026-11-24\n", "updated: 2026-11-24\nid: CMAS-01-0001\n"
)


def fmt(*paths: Path) -> Any:
    return CliRunner().invoke(app, ["fmt", *map(str, paths)], catch_exceptions=False)


def test_fmt_writes_a_symlinked_item_through_to_its_target(tmp_path: Path) -> None:
    shared = tmp_path / "shared" / "item.yaml"
    shared.parent.mkdir()
    shared.write_text(MESSY, encoding="utf-8")
    shared.chmod(0o640)
    link = tmp_path / "bank" / "item.yaml"
    link.parent.mkdir()
    link.symlink_to(shared)
    result = fmt(link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == shared.resolve()
    assert shared.read_text(encoding="utf-8") == CANONICAL
    assert shared.stat().st_mode & 0o777 == 0o640
    assert not [p for p in shared.parent.iterdir() if p.name != "item.yaml"]  # no temporary left


def test_fmt_keeps_hard_links_and_the_file_mode(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    first.write_text(MESSY, encoding="utf-8")
    first.chmod(0o600)
    second = tmp_path / "b.yml.keep"  # the second name is not an item file, so fmt sees one file
    os.link(first, second)
    inode = first.stat().st_ino
    result = fmt(first)
    assert result.exit_code == 0, result.output
    assert first.stat().st_ino == inode and first.stat().st_nlink == 2
    assert second.read_text(encoding="utf-8") == CANONICAL
    assert first.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yml.keep"]


def test_atomic_write_keeps_the_mode_of_a_plain_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"old\n")
    path.chmod(0o604)
    assert atomic_write_bytes(path, b"new\n")
    assert path.read_bytes() == b"new\n" and path.stat().st_mode & 0o777 == 0o604
    assert not atomic_write_bytes(path, b"new\n")  # unchanged: not touched


def _unwritable(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `folder` refuse new files, as a read-only folder does (chmod does not stop root,
    which the tests may run as)."""
    real = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> Any:
        if Path(kwargs.get("dir", "")).resolve() == folder.resolve():
            raise PermissionError(13, "Permission denied", os.fspath(folder / ".x.tmp"))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def test_fmt_in_a_read_only_folder_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "item.yaml").write_text(MESSY, encoding="utf-8")
    (tmp_path / "ok.yaml").write_text(MESSY, encoding="utf-8")
    _unwritable(locked, monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["fmt", "locked", "ok.yaml"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "cmas-bank: cannot format locked/item.yaml: cannot write file: Permission denied" in result.output
    assert "1 file(s) reformatted, 0 unchanged, 1 could not be formatted." in result.output
    assert (locked / "item.yaml").read_text(encoding="utf-8") == MESSY
    assert (tmp_path / "ok.yaml").read_text(encoding="utf-8") == CANONICAL


def test_lint_fix_in_a_read_only_folder_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    item = tmp_path / "item.yaml"
    item.write_text(CANONICAL.replace("Cut into", "Cut  into"), encoding="utf-8")
    _unwritable(tmp_path, monkeypatch)
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["lint", "--fix", "--select", "IW408", str(item)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "cannot write file: Permission denied" in result.output


def _bank_csv(tmp_path: Path, outline: Outline, shipped: ValidationResult) -> Path:
    items = shipped.items
    source = tmp_path / "bank.csv"
    source.write_bytes(render("csv", items, outline, Selection(statuses=("draft", "review", "approved", "retired"))))
    return source


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_import_is_all_or_nothing_when_a_folder_cannot_be_made(
    tmp_path: Path, outline: Outline, shipped_bank: ValidationResult
) -> None:
    source = _bank_csv(tmp_path, outline, shipped_bank)
    out = tmp_path / "out"
    out.mkdir()
    (out / "05-health-care-insurance-processing-coding-and-billing").write_text(
        "a file where a folder should be\n"
    )  # mkdir fails, even as root
    before = _files(out)
    plan = plan_csv_import(source, out, outline)
    assert plan.ok and len(plan.files) > 40
    with pytest.raises(OSError):
        write_plan(plan)
    assert _files(out) == before  # no item file, no temporary, no folder


def test_import_is_all_or_nothing_when_a_folder_is_read_only(
    tmp_path: Path, outline: Outline, monkeypatch: pytest.MonkeyPatch, shipped_bank: ValidationResult
) -> None:
    source = _bank_csv(tmp_path, outline, shipped_bank)
    out = tmp_path / "out"
    locked = out / "06-medical-office-financial-management"
    locked.mkdir(parents=True)
    kept = out / "01-medical-assisting-foundations" / "CMAS-01-0001.yaml"
    kept.parent.mkdir()
    kept.write_text("# an older copy\n", encoding="utf-8")
    _unwritable(locked, monkeypatch)
    monkeypatch.chdir(ROOT)
    before = _files(out)
    result = CliRunner().invoke(app, ["import", "csv", str(source), "--out", str(out), "--force"])
    assert result.exit_code == 2, result.output
    assert "cannot write item files: Permission denied; nothing written" in result.output
    assert "06-medical-office-financial-management/CMAS-06-" in result.output  # the file is named
    assert _files(out) == before
    assert kept.read_text(encoding="utf-8") == "# an older copy\n"


def test_import_undoes_the_files_put_in_place_when_a_rename_fails(
    tmp_path: Path, outline: Outline, monkeypatch: pytest.MonkeyPatch, shipped_bank: ValidationResult
) -> None:
    source = _bank_csv(tmp_path, outline, shipped_bank)
    out = tmp_path / "out"
    kept = out / "01-medical-assisting-foundations" / "CMAS-01-0001.yaml"
    kept.parent.mkdir(parents=True)
    kept.write_text("# an older copy\n", encoding="utf-8")
    before = _files(out)
    plan = plan_csv_import(source, out, outline, force=True)
    real = os.replace
    calls = []

    def replace(src: Any, dst: Any) -> None:
        calls.append(dst)
        if len(calls) == 10:
            raise OSError(28, "No space left on device", os.fspath(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="No space left"):
        write_plan(plan)
    monkeypatch.setattr(os, "replace", real)
    assert _files(out) == before
    assert kept.read_text(encoding="utf-8") == "# an older copy\n"


# --- writing as the bytes are made (exports) ----------------------------------------------------


def _chunks(*parts: bytes):  # type: ignore[no-untyped-def]
    def write(fh) -> None:  # type: ignore[no-untyped-def]
        for part in parts:
            fh.write(part)

    return write


def test_stream_write_replaces_atomically_keeps_mode_links_and_skips_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "export.zip"
    assert atomic_write_stream(target, _chunks(b"one ", b"two")) is True
    assert target.read_bytes() == b"one two" and target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o640)
    other = tmp_path / "other-name.zip"
    os.link(target, other)
    inode, mtime = target.stat().st_ino, target.stat().st_mtime_ns
    assert atomic_write_stream(target, _chunks(b"one", b" two")) is False  # the same bytes: untouched
    assert target.stat().st_mtime_ns == mtime
    assert atomic_write_stream(target, _chunks(b"one two", b" three")) is True
    assert target.stat().st_ino == inode and other.read_bytes() == b"one two three"  # hard link kept
    assert target.stat().st_mode & 0o777 == 0o640
    assert atomic_write_stream(target, _chunks(b"one two thre", b"E")) is True  # same size, other bytes
    assert other.read_bytes() == b"one two threE"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.zip", "other-name.zip"]


def test_stream_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    target.write_bytes(b"previous export")

    def half(fh) -> None:  # type: ignore[no-untyped-def]
        fh.write(b"half of a bundle")
        raise ValueError("item X: cannot be carried")

    with pytest.raises(ValueError, match="cannot be carried"):
        atomic_write_stream(target, half)
    assert target.read_bytes() == b"previous export" and [p.name for p in tmp_path.iterdir()] == ["export.json"]
    made = tmp_path / "new" / "folder" / "export.json"
    with pytest.raises(ValueError):
        atomic_write_stream(made, half)
    assert not (tmp_path / "new").exists()  # the folders made for it are removed too


def test_stream_write_to_a_folder_fails_before_anything_is_rendered(tmp_path: Path) -> None:
    called = []
    with pytest.raises(IsADirectoryError):
        atomic_write_stream(tmp_path, lambda fh: called.append(fh))
    assert called == [] and list(tmp_path.iterdir()) == []
