"""The loader: YAML 1.2 scalars, positions, and hostile input that must not hang or crash."""

from __future__ import annotations

import os
import time
from pathlib import Path

from cmas_bank.loader import MAX_BYTES, LoadedFile, key_position, load_bytes, load_file, position_of


def load(text: str | bytes) -> LoadedFile:
    raw = text.encode() if isinstance(text, str) else text
    return load_bytes(raw, LoadedFile(path=Path("x.yaml"), display="x.yaml"))


def test_yaml_12_scalars_stay_strings_where_yaml_11_would_convert() -> None:
    loaded = load("a: No\nb: on\nc: 1:30\nd: 010\ne: 2026-11-24\nf: true\ng: ~\nh: 0x1F\ni: 1.5\nj: '7'\n")
    assert loaded.data == {
        "a": "No",
        "b": "on",
        "c": "1:30",
        "d": 10,
        "e": "2026-11-24",
        "f": True,
        "g": None,
        "h": 31,
        "i": 1.5,
        "j": "7",
    }


def test_positions_of_keys_and_values() -> None:
    loaded = load("id: x\noptions:\n  A: one\n  B:   two\nlist:\n  - first\n  - second\n")
    assert position_of(loaded, ("options", "B")) == (4, 8)
    assert key_position(loaded, ("options", "B")) == (4, 3)
    assert position_of(loaded, ("list", 1)) == (7, 5)
    # a missing field is placed at the nearest parent that exists
    assert position_of(loaded, ("options", "C")) == (3, 3)


def test_byte_order_mark_is_accepted() -> None:
    assert load(b"\xef\xbb\xbfid: x\n").data == {"id": "x"}


def test_deep_flow_nesting_is_rejected_quickly() -> None:
    start = time.perf_counter()
    loaded = load("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert [d.code for d in loaded.diagnostics] == ["IV109"]
    assert "nested" in loaded.diagnostics[0].message
    assert time.perf_counter() - start < 5


def test_deep_block_nesting_is_rejected() -> None:
    text = "".join(" " * i + f"k{i}:\n" for i in range(60)) + " " * 60 + "v\n"
    loaded = load(text)
    assert [d.code for d in loaded.diagnostics] == ["IV109"]


def test_huge_file_is_rejected_before_parsing() -> None:
    loaded = load("a: " + "x" * MAX_BYTES + "\n")
    assert [(d.code, d.line) for d in loaded.diagnostics] == [("IV109", 1)]


def test_alias_without_anchor_text_elsewhere_and_merge_keys() -> None:
    loaded = load("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert [(d.code, d.line, d.column) for d in loaded.diagnostics] == [("IV105", 1, 7)]


def test_python_tags_are_rejected() -> None:
    loaded = load("a: !!python/object:os.system x\n")
    assert [d.code for d in loaded.diagnostics] == ["IV106"]


def test_unreadable_path_is_a_read_error(tmp_path: Path) -> None:
    loaded = load_file(tmp_path)  # a folder cannot be read as a file
    assert [d.code for d in loaded.diagnostics] == ["IV101"]


def test_complex_keys_are_rejected() -> None:
    loaded = load("? [a, b]\n: value\n")
    assert [d.code for d in loaded.diagnostics] == ["IV103"]


def test_discover_orders_by_path_components_and_skips_hidden(tmp_path: Path) -> None:
    """One folder is walked in the order a sort by path components gives ("a/x" before
    "a-b/y" and "a.yaml"), hidden files and folders are skipped, and other suffixes ignored."""
    from cmas_bank.fileio import discover_names

    bank = tmp_path / "bank"
    for rel in ["a/x.yaml", "a-b/y.yaml", "a.yaml", "a/b/z.yml", "b.yaml", ".hidden/h.yaml", "a/.h.yaml", "notes.txt"]:
        (bank / rel).parent.mkdir(parents=True, exist_ok=True)
        (bank / rel).write_text("id: x\n")
    found = [os.path.relpath(p, bank) for p in discover_names([bank])]
    assert found == ["a/b/z.yml", "a/x.yaml", "a-b/y.yaml", "a.yaml", "b.yaml"]
    # Several paths (overlapping) give each file once, in the same order.
    again = discover_names([bank / "b.yaml", bank, bank / "a"])
    assert [os.path.relpath(p, bank) for p in again] == found
