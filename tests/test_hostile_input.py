"""Hostile input found by a tester: forged output lines, special files, link loops and unlistable
folders, one bank named twice, folders without items, numbers and settings out of range, and
characters YAML tools read differently. Each is refused with a located message, never obeyed,
never a hang or a traceback."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from clirunner import cli
from conftest import BANK, ROOT

from cmas_bank.config import Config, load_config
from cmas_bank.diagnostics import Diagnostic, render_github, render_text
from cmas_bank.errors import UsageError
from cmas_bank.fileio import discover_names
from cmas_bank.loader import LoadedFile, load_bytes, load_file
from cmas_bank.outline import Outline
from cmas_bank.validate import validate_paths

AREA = "02-basic-clinical-concepts"


def guarded(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command in a process of its own, with its memory capped at 1 GiB and a time limit:
    for special files, where a regression would hang or exhaust the test process itself (reading
    /dev/zero must fail fast). The other commands here run in this process (`clirunner.cli`)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run(
        [sys.executable, "-m", "cmas_bank", *args],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap,
    )


def small_bank(tmp_path: Path) -> Path:
    """Two work areas of the shipped bank, in `tmp_path/bank`."""
    bank = tmp_path / "bank"
    for area in ("01-medical-assisting-foundations", AREA):
        shutil.copytree(BANK / area, bank / area)
    return bank


def load(text: str | bytes) -> LoadedFile:
    raw = text.encode() if isinstance(text, str) else text
    return load_bytes(raw, LoadedFile(path=Path("x.yaml"), display="x.yaml"))


def found(loaded: LoadedFile) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in loaded.diagnostics]


# --- A: output cannot be forged -------------------------------------------------------------------

FORGED = Diagnostic(
    path="bank/a\n::error file=README.md::b\x1b[31m.yaml",
    line=2,
    column=5,
    code="IV402",
    message="id 'x' does not match \u202eliam.exe\x9b and \x7f",
)


def test_text_output_shows_control_characters_as_escapes() -> None:
    out = render_text([FORGED], colour=False)
    assert out.count("\n") == 1 and "\x1b" not in out and "\u202e" not in out and "\x9b" not in out
    assert out == (
        "bank/a\\n::error file=README.md::b\\x1b[31m.yaml:2:5: IV402 id 'x' does not match \\u202eliam.exe\\x9b and \\x7f\n"
    )
    coloured = render_text([FORGED], colour=True)
    assert coloured.count("\n") == 1 and "b\\x1b[31m.yaml" in coloured


def test_github_output_escapes_every_value() -> None:
    out = render_github([FORGED])
    assert out.count("\n") == 1 and out.startswith("::error file=bank/a%0A%3A%3Aerror file=README.md%3A%3Ab")
    assert "\x1b" not in out and "\u202e" not in out  # the log would colour or reorder the line
    props, message = out.split("::", 2)[1], out.split("::", 2)[2]
    assert ",line=2,col=5,title=IV402" in props
    assert message.startswith("bank/a\\n::error file=README.md::b\\x1b[31m.yaml:2:5: IV402 ")


def test_printable_leaves_ordinary_text_alone() -> None:
    from cmas_bank.diagnostics import printable

    text = "Ünïcödé – “quotes” — 日本語 tab-free"
    assert printable(text) is text
    assert printable("a\tb\r\n\x00\u2028\u2066") == "a\\tb\\r\\n\\x00\\u2028\\u2066"


def test_a_file_named_to_forge_a_line_cannot(tmp_path: Path) -> None:
    bank = small_bank(tmp_path)
    source = next((bank / AREA).glob("*.yaml"))
    shutil.copy(source, bank / AREA / "a\n::error file=README.md::forged\x1b[2J.yaml")
    text = cli("validate", "--outline", "cmas-2020", "bank", cwd=tmp_path)
    github = cli("validate", "--outline", "cmas-2020", "-f", "github", "bank", cwd=tmp_path)
    assert text.returncode == github.returncode == 1
    assert all(line.startswith("bank/") for line in text.stdout.splitlines()), text.stdout
    assert all(line.startswith("::error file=bank/") for line in github.stdout.splitlines()), github.stdout
    assert "\x1b" not in text.stdout + github.stdout


# --- B: only regular files are read, and never past the limit -------------------------------------


def test_special_files_are_refused_with_iv101(tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    assert [(d.code, d.message) for d in load_file(fifo).diagnostics] == [
        ("IV101", "not a regular file: a FIFO (named pipe)")
    ]
    for device in ("/dev/zero", "/dev/urandom"):
        loaded = load_file(Path(device))
        assert [(d.code, d.message) for d in loaded.diagnostics] == [
            ("IV101", "not a regular file: a character device")
        ]


def test_special_files_do_not_hang_or_exhaust_memory(tmp_path: Path) -> None:
    bank = small_bank(tmp_path)
    os.mkfifo(bank / AREA / "x.yaml")
    for args in (["validate", "bank"], ["check", "--no-cache", "bank"], ["fmt", "--check", "bank"]):
        result = guarded(*args, "--outline", "cmas-2020", cwd=tmp_path, timeout=60) if args[0] != "fmt" else None
        result = result or guarded(*args, cwd=tmp_path, timeout=60)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert (
            "x.yaml" in result.stdout + result.stderr and "not a regular file: a FIFO" in result.stdout + result.stderr
        )
    (bank / AREA / "x.yaml").unlink()
    result = guarded("validate", "--outline", "cmas-2020", "/dev/zero", "/dev/urandom", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stdout.count("IV101 not a regular file: a character device") == 2
    (tmp_path / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "/dev/zero"\n')
    result = guarded("validate", cwd=tmp_path)
    assert result.returncode == 2 and "IV101 not a regular file: a character device" in result.stdout, result.stderr


def test_the_size_limit_holds_while_reading(tmp_path: Path) -> None:
    from cmas_bank.fileio import FileTooLarge, NotRegularFile, read_regular

    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (1 << 20) + b"\n")
    assert [(d.code, d.message) for d in load_file(big).diagnostics] == [
        ("IV109", "file is 1,048,580 bytes; an item file may be at most 1,048,576")
    ]
    proc = Path("/proc/self/status")  # a regular file whose size says 0: only the read can tell
    if not proc.is_file() or proc.stat().st_size != 0:
        pytest.skip("needs Linux's /proc")
    with pytest.raises(FileTooLarge):
        read_regular(proc, 16)
    with pytest.raises(NotRegularFile):
        read_regular("/dev/zero", 16)


def test_import_refuses_special_and_huge_csv_files(
    tmp_path: Path, outline: Outline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmas_bank import importer

    os.mkfifo(tmp_path / "rows.csv")
    result = guarded("import", "csv", "--outline", "cmas-2020", "rows.csv", "--out", "out", cwd=tmp_path, timeout=60)
    assert result.returncode == 2 and "rows.csv:1:1: IM101 not a regular file: a FIFO" in result.stdout
    big = tmp_path / "big.csv"
    big.write_text("id,stem\n" + "x,y\n" * 100)
    monkeypatch.setattr(importer, "MAX_CSV_BYTES", 100)
    plan = importer.plan_csv_import(big, tmp_path / "out", outline)
    assert [(d.code, d.message) for d in plan.diagnostics] == [("IM101", "file is 408 bytes; at most 100 are read")]


# --- C: nothing that cannot be read is dropped silently -------------------------------------------


def test_a_symlink_loop_is_reported_and_its_folder_still_checked(tmp_path: Path, outline: Outline) -> None:
    bank = small_bank(tmp_path)
    (bank / AREA / "zz.yaml").symlink_to("zz.yaml")
    in_area = len(list((bank / AREA).glob("CMAS-*.yaml")))
    result = validate_paths([bank], outline, root=tmp_path)
    assert [(d.path, d.code) for d in result.diagnostics] == [(f"bank/{AREA}/zz.yaml", "IV101")]
    assert "symbolic links" in result.diagnostics[0].message
    checked = [f for f in result.files if f"/{AREA}/" in f.loaded.display]
    assert len(checked) == in_area + 1
    for command in ("check", "lint"):
        run = cli(command, "--outline", "cmas-2020", "bank", cwd=tmp_path)
        assert run.returncode == 2 and f"bank/{AREA}/zz.yaml:1:1: IV101" in run.stdout, run.stdout + run.stderr
        assert "Traceback" not in run.stderr


def test_an_unlistable_folder_is_reported_not_dropped(
    tmp_path: Path, outline: Outline, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = small_bank(tmp_path)
    locked = bank / AREA
    if os.geteuid() != 0:
        locked.chmod(0)
    else:  # root lists any folder: make this one fail as it would for anyone else
        real_scandir = os.scandir

        def scandir(path: str) -> object:
            if os.path.samefile(path, locked):
                raise PermissionError(13, "Permission denied", path)
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        names = discover_names([bank])
        result = validate_paths([bank], outline, root=tmp_path)
    finally:
        locked.chmod(0o755)
    assert os.path.join(str(bank), AREA) in names
    (d,) = result.diagnostics
    assert (d.path, d.line, d.code) == (f"bank/{AREA}", 1, "IV101") and "folder" in d.message
    assert len(result.files) == 1 + len(list((bank / "01-medical-assisting-foundations").glob("*.yaml")))


def test_a_deeply_nested_bank_is_walked(tmp_path: Path) -> None:
    top = str(tmp_path / "bank")
    folders = [top + "/d" * depth for depth in range(1501)]
    for folder in folders:
        os.mkdir(folder)
    Path(folders[-1], "a.yaml").write_text("id: a\n")
    Path(top, "b.yaml").write_text("id: b\n")
    try:
        names = discover_names([Path(top)])
    finally:  # bottom up: shutil.rmtree (and so pytest's clean-up) recurses per folder
        os.remove(Path(folders[-1], "a.yaml"))
        for folder in reversed(folders[1:]):
            os.rmdir(folder)
    assert names == [top + "/b.yaml", folders[-1] + "/a.yaml"]


# --- D: one bank named two ways is one bank -------------------------------------------------------


def test_the_same_files_named_two_ways_are_listed_once(
    tmp_path: Path, outline: Outline, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = small_bank(tmp_path)
    (tmp_path / "alias").symlink_to(bank)
    monkeypatch.chdir(tmp_path)
    once = discover_names([Path("bank")])
    for spellings in (
        [Path("bank"), tmp_path / "bank"],
        [Path("bank"), Path("alias")],
        [Path("bank"), Path("alias") / AREA],
    ):
        assert discover_names(spellings) == once, spellings
    result = validate_paths([Path("bank"), tmp_path / "bank"], outline)
    assert result.diagnostics == [] and len(result.files) == len(once)


# --- E: nothing to check is not a clean result ----------------------------------------------------


def test_a_folder_without_item_files_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").mkdir()
    with pytest.raises(UsageError, match="no item files"):
        discover_names([tmp_path / "x.yaml"])
    assert discover_names([tmp_path / "x.yaml"], allow_empty=True) == []
    result = cli("validate", "--outline", "cmas-2020", "x.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "x.yaml: no item files" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('bank = ""', "bank must not be empty"),
        ('bank = "  "', "bank must not be empty"),
        ('outline = ""', "outline must not be empty"),
        ("cache-dir = 5", "cache-dir must be a folder name"),
        ('cache-dir = ""', "cache-dir must be a folder name"),
    ],
)
def test_empty_or_mistyped_settings_are_usage_errors(tmp_path: Path, setting: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.cmas-bank]\n{setting}\n")
    with pytest.raises(UsageError, match=message):
        load_config(cwd=tmp_path)


# --- F: numbers and settings out of range ---------------------------------------------------------


def test_a_number_past_pythons_digit_limit_is_located() -> None:
    loaded = load("id: x\ndomain: " + "1" * 4500 + "\n")
    assert found(loaded) == [("IV202", 2, 9)] and "number too long (4,500 digits)" in loaded.diagnostics[0].message


def test_a_csv_number_past_the_digit_limit_is_a_cell_finding(tmp_path: Path, outline: Outline) -> None:
    import csv

    from cmas_bank.importer import plan_csv_import

    with (ROOT / "tests" / "fixtures" / "export" / "csv" / "spreadsheet.csv").open(encoding="utf-8-sig") as fh:
        header, row = list(csv.reader(fh))[:2]
    domain, reviews = header.index(" Domain "), header.index("Reviews")
    row[domain], row[reviews] = "1" * 4500, "[" + "1" * 4500 + "]"
    with (tmp_path / "rows.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, row])
    plan = plan_csv_import(tmp_path / "rows.csv", tmp_path / "out", outline)
    cells = {(d.code, d.line, d.column) for d in plan.diagnostics if d.code == "IM202"}
    assert cells == {("IM202", 2, domain + 1), ("IM202", 2, reviews + 1)}


def _config(tmp_path: Path, table: str) -> Config:
    (tmp_path / "pyproject.toml").write_text(f"[tool.cmas-bank]\n{table}\n")
    return load_config(cwd=tmp_path)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "0", "-1"])
def test_the_coverage_multiplier_must_be_finite_and_in_range(tmp_path: Path, value: str) -> None:
    from cmas_bank.coverage import coverage_choice

    config = _config(tmp_path, f"[tool.cmas-bank.coverage]\nmin-multiplier = {value}")
    with pytest.raises(UsageError, match=r"\[tool.cmas-bank.coverage\] min-multiplier must be a number above 0"):
        coverage_choice(config, None, None)
    with pytest.raises(UsageError, match="--min-multiplier must be a number above 0"):
        coverage_choice(_config(tmp_path, ""), None, float(value))


@pytest.mark.parametrize(
    ("option", "value"),
    [("IW301 = { ratio = nan }", "nan"), ("IW301 = { ratio = -1 }", "-1"), ("IW208 = { min-difference = -1 }", "-1")],
)
def test_lint_options_must_be_finite_and_in_range(tmp_path: Path, option: str, value: str) -> None:
    from cmas_bank.lint.settings import settings_from_config

    config = _config(tmp_path, f"[tool.cmas-bank.lint.options]\n{option}")
    with pytest.raises(UsageError, match=rf"options\.IW\d+\.[a-z-]+ must be a number .*, not {value}"):
        settings_from_config(config)


def test_a_bad_pyproject_above_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b'[tool.other]\nname = "\xff"\n')
    (tmp_path / "sub").mkdir()
    with pytest.raises(UsageError, match="not UTF-8"):
        load_config(cwd=tmp_path / "sub")
    (tmp_path / "sub" / "pyproject.toml").write_text("[tool.cmas-bank]\nx = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(UsageError, match="nested too deeply"):
        load_config(cwd=tmp_path / "sub")


# --- G: characters YAML tools read differently ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("id: x\nstem: é a\x1bb\n", (2, 10), "control character U+001B"),
        ('id: x\nstem: "a\x7f"\n', (2, 9), "control character U+007F"),
        ("id: x\n# note\x00\n", (2, 7), "control character U+0000"),
        ("id: x\nstem: a\u2028b: c\n", (2, 8), "line separator U+2028"),
        ("id: x\u0085stem: b\n", (1, 6), "next-line character U+0085"),
        ("id: x\n\u2029", (2, 1), "paragraph separator U+2029"),
    ],
    ids=["ESC", "DEL", "NUL", "U+2028", "U+0085", "U+2029"],
)
def test_odd_characters_are_located_on_one_line(text: str, where: tuple[int, int], words: str) -> None:
    (d,) = load(text).diagnostics
    assert (d.code, d.line, d.column) == ("IV103", *where) and words in d.message and "\n" not in d.message


def test_a_second_byte_order_mark_is_refused() -> None:
    assert found(load(b"\xef\xbb\xbf\xef\xbb\xbfid: x\n")) == [("IV102", 1, 1)]
    assert load(b"\xef\xbb\xbfid: x\n").data == {"id": "x"}


def test_fmt_reads_yaml_as_the_loader_does() -> None:
    from cmas_bank.lint.fmt import FormatError, format_text

    item = (BANK / AREA).glob("*.yaml").__next__().read_text(encoding="utf-8")
    for text, where in (
        (item.replace("\n", "\u2028", 1), "x.yaml:1:"),
        (item.replace("\n", "\u0085", 1), "x.yaml:1:"),
        ("\ufeff\ufeff" + item, "x.yaml:1:1: IV102"),
    ):
        with pytest.raises(FormatError) as caught:
            format_text(text, "x.yaml")
        assert str(caught.value).startswith(where) and "please report" not in str(caught.value)
