"""`cmas-bank assemble` end to end: forms from the shipped bank (checked by a plain-Python reader
of the item files, not the engine), the explained refusal of two disjoint forms, byte-identical
files, settings errors that name the setting, and `assemble --check` after edits to the bank."""

from __future__ import annotations

import itertools
import json
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from clirunner import cli
from conftest import BANK, yaml_load

from cmas_bank.assemble.model import FormFile
from cmas_bank.outline import load_outline


def read_bank(folder: Path) -> dict[str, dict]:
    """Every item file under `folder`, read with PyYAML alone."""
    return {data["id"]: data for data in (yaml_load(p.read_text("utf-8")) for p in sorted(folder.rglob("*.yaml")))}


@cache
def shipped_files() -> dict[str, dict]:
    """The shipped bank as `read_bank` reads it, once per test process (tests only read it)."""
    return read_bank(BANK)


def read_form(path: Path) -> FormFile:
    return FormFile.model_validate(yaml_load(path.read_text("utf-8")))


def verify(forms: list[FormFile], bank: dict[str, dict], max_overlap: int | None) -> None:
    """The independent checker: blueprint per work area, sub-areas and keys as the audit claims,
    no enemies (either side) on a form, overlap, and every scored item approved."""
    outline = load_outline("cmas-2020")
    for form in forms:
        ids = [e.id for e in form.items]
        assert len(set(ids)) == len(ids)
        scored = [bank[e.id] for e in form.items if e.scored]
        assert all(item["status"] == "approved" for item in scored)
        assert Counter(item["domain"] for item in scored) == {a.number: a.items for a in outline.work_areas}
        keys = Counter(item["answer"] for item in scored)
        assert all(40 <= keys[k] <= 60 for k in "ABCD"), keys
        for a, b in itertools.combinations(ids, 2):
            assert b not in bank[a].get("enemies", []) and a not in bank[b].get("enemies", [])
        audit = {(r.constraint, r.scope): r.achieved for r in form.audit}
        assert audit[("key", "A")] == keys["A"] and audit[("length", "")] == len(scored) == form.scored
    for f, g in itertools.combinations(forms, 2):
        # max-overlap limits shared scored items; pretest items may be tried out on several forms
        shared = {e.id for e in f.items if e.scored} & {e.id for e in g.items if e.scored}
        assert max_overlap is None or len(shared) <= max_overlap
        row = {(r.constraint, r.scope): r for r in f.audit}[("overlap", g.form)]
        assert row.achieved == len(shared) and row.met == (max_overlap is None or len(shared) <= max_overlap)


def _shipped_statuses() -> tuple[Counter[int], int]:
    """Approved items per work area and items in review, read from the shipped bank's files."""
    approved: Counter[int] = Counter()
    review = 0
    for item in shipped_files().values():
        if item["status"] == "approved":
            approved[item["domain"]] += 1
        review += item["status"] == "review"
    return approved, review


def test_one_form_from_the_shipped_bank(tmp_path: Path) -> None:
    ran = cli("assemble", "--out", str(tmp_path / "forms"))
    assert ran.returncode == 0, ran.stderr
    form = read_form(tmp_path / "forms" / "FORM-01.yaml")
    pretest = [e.id for e in form.items if not e.scored]
    expected = f"wrote {tmp_path / 'forms' / 'FORM-01.yaml'}: 200 scored + {len(pretest)} pretest items, optimal"
    assert ran.stderr.startswith(expected)
    assert form.status == "optimal" and form.solver.model_status == "Optimal" and form.solver.mip_gap == 0
    assert form.settings.pretest == 30  # 230 delivered - 200 scored
    # Unscored slots (230 - 200) are filled from items in review, never beside an enemy of the
    # form's items: as many as the bank allows, up to 30.
    bank = shipped_files()
    assert 0 < len(pretest) <= min(30, _shipped_statuses()[1])
    assert all(bank[i]["status"] == "review" for i in pretest)
    ids = {e.id for e in form.items}
    assert not any(set(bank[i].get("enemies") or []) & ids for i in pretest)
    verify([form], shipped_files(), None)


def test_two_disjoint_forms_from_the_shipped_bank(tmp_path: Path) -> None:
    """The shipped bank is meant to fill two forms without a shared item (issue 14's target, held
    by `[tool.cmas-bank.coverage]`): built and checked by the independent checker when it does,
    refused with every shortfall named when it does not."""
    out = tmp_path / "forms"
    ran = cli("assemble", "--forms", "2", "--max-overlap", "0", "--seed", "1", "--out", str(out))
    approved, _ = _shipped_statuses()
    outline = load_outline("cmas-2020")
    short = [a for a in outline.work_areas if approved[a.number] < 2 * a.items]
    total = sum(approved.values())
    if not short and total >= 400:
        assert ran.returncode == 0, ran.stderr
        forms = [read_form(out / name) for name in ("FORM-01.yaml", "FORM-02.yaml")]
        verify(forms, shipped_files(), 0)
        assert all(f.scored == 200 for f in forms)
        return
    assert ran.returncode == 1
    assert ran.stderr.startswith("cmas-bank: assemble: cannot build 2 forms; nothing written:\n")
    for a in short:
        need = f"  - work area {a.number} needs {2 * a.items} eligible items for 2 forms with overlap 0; "
        assert f"{need}the bank has {approved[a.number]}\n" in ran.stderr
    if total < 400:
        assert (
            f"  - the blueprint needs 400 eligible items for 2 forms with overlap 0; the bank has {total}\n"
            in ran.stderr
        )
    assert not out.exists()


def test_two_disjoint_forms_from_a_short_bank_are_refused_and_explained(tmp_path: Path) -> None:
    """A copy of the bank with work area 5's approved items cut to 40: the refusal names that
    work area and the whole blueprint's shortfall, before solving, and writes nothing."""
    project = tmp_path / "project"
    shutil.copytree(BANK, project / "bank")
    (project / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "bank"\noutline = "cmas-2020"\n', "utf-8")
    area5 = sorted(p for p in (project / "bank").rglob("CMAS-05-*.yaml") if "status: approved" in p.read_text("utf-8"))
    for path in area5[40:]:
        path.unlink()
    approved = Counter(d["domain"] for d in read_bank(project / "bank").values() if d["status"] == "approved")
    out = project / "forms"
    ran = cli("assemble", "--forms", "2", "--max-overlap", "0", "--out", str(out), cwd=project)
    assert ran.returncode == 1
    assert ran.stderr.startswith("cmas-bank: assemble: cannot build 2 forms; nothing written:\n")
    assert "  - work area 5 needs 68 eligible items for 2 forms with overlap 0; the bank has 40\n" in ran.stderr
    total = sum(approved.values())
    assert total < 400
    assert (
        f"  - the blueprint needs 400 eligible items for 2 forms with overlap 0; the bank has {total}\n" in ran.stderr
    )
    assert not out.exists()


def test_forms_are_byte_identical_for_the_same_bank_settings_and_seed(tmp_path: Path) -> None:
    args = ("assemble", "--forms", "2", "--max-overlap", "160", "--seed", "7")
    first = cli(*args, "--out", str(tmp_path / "a"))
    assert first.returncode == 0, first.stderr
    second = cli(*args, "--out", str(tmp_path / "b"))
    assert second.returncode == 0, second.stderr
    for name in ("FORM-01.yaml", "FORM-02.yaml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    again = cli(*args, "--out", str(tmp_path / "a"))
    assert again.stderr.count("(unchanged)") == 2
    other = cli("assemble", "--forms", "2", "--max-overlap", "160", "--seed", "8", "--out", str(tmp_path / "c"))
    assert (tmp_path / "c" / "FORM-01.yaml").read_bytes() != (tmp_path / "a" / "FORM-01.yaml").read_bytes()
    forms = [read_form(tmp_path / "a" / n) for n in ("FORM-01.yaml", "FORM-02.yaml")]
    verify(forms, shipped_files(), 160)
    assert other.returncode == 0


# --- settings -------------------------------------------------------------------------------------


def _project(tmp_path: Path, assemble_table: str = "") -> Path:
    shutil.copytree(BANK, tmp_path / "bank")
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.cmas-bank]\nbank = "bank"\noutline = "cmas-2020"\n\n[tool.cmas-bank.assemble]\n{assemble_table}\n',
        encoding="utf-8",
    )
    return tmp_path


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('forms = "2"', "[tool.cmas-bank.assemble] forms: Input should be a valid integer"),
        ("froms = 2", '[tool.cmas-bank.assemble] froms: unknown setting (did you mean "forms"?)'),
        ("key-balance = [0.3, 0.2]", "key-balance must be [low, high] fractions with 0 <= low <= high <= 1"),
        ('statuses = ["aproved"]', "[tool.cmas-bank.assemble] statuses.0: Input should be 'draft'"),
        ('include = ["CMAS-01-9999"]', "include: no valid item 'CMAS-01-9999' in the bank"),
        ('constraints = [{kind = "area", scope = "9", min = 1}]', "constraints[0]: no area '9' to constrain"),
        ('constraints = [{kind = "area", scope = "1"}]', "constraints.0: Value error, a constraint needs min, max"),
    ],
)
def test_bad_settings_are_usage_errors_naming_the_setting(tmp_path: Path, table: str, message: str) -> None:
    root = _project(tmp_path, table + '\nout = "forms"')
    ran = cli("assemble", cwd=root)
    assert ran.returncode == 2, ran.stderr
    assert message in ran.stderr and "Traceback" not in ran.stderr
    assert not (root / "forms").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--forms", "0"), "--forms: Input should be greater than or equal to 1"),
        (("--max-overlap", "-1"), "--max-overlap: Input should be greater than or equal to 0"),
        (("--strategy", "fast"), "--strategy: Input should be 'auto', 'simultaneous' or 'sequential'"),
        (("--time-limit", "0"), "--time-limit: Input should be greater than 0"),
    ],
)
def test_bad_options_are_usage_errors_naming_the_option(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    ran = cli("assemble", *args, "--out", str(tmp_path / "f"))
    assert ran.returncode == 2 and message in ran.stderr, ran.stderr


def test_out_is_required_and_forms_are_checked_only_with_check(tmp_path: Path) -> None:
    ran = cli("assemble")
    assert ran.returncode == 2 and "assemble needs --out DIR" in ran.stderr
    stray = cli("assemble", "some.yaml", "--out", str(tmp_path))
    assert stray.returncode == 2 and "checked with --check" in stray.stderr
    missing = cli("assemble", "--check", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "form file not found" in missing.stderr


def test_settings_in_the_config_are_used(tmp_path: Path) -> None:
    root = _project(tmp_path, 'out = "forms"\nseed = 3\norder = "shuffle"\npretest = 0\nprefix = "SPRING"')
    ran = cli("assemble", cwd=root)
    assert ran.returncode == 0, ran.stderr
    form = read_form(root / "forms" / "SPRING-01.yaml")
    assert form.seed == 3 and form.settings.order == "shuffle" and form.settings.pretest == 0
    assert [e.area for e in form.items] != sorted(e.area for e in form.items)


# --- forms checked against the bank after edits ------------------------------------------------------


def _line_of(form_path: Path, item_id: str) -> int:
    lines = form_path.read_text("utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.startswith(f"- {{id: {item_id},"))


def _set_field(path: Path, field: str, value: str) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines = [f"{field}: {value}\n" if line.startswith(f"{field}:") else line for line in lines]
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def one_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped bank with one form assembled into forms/ (no pretest items), built
    once for the tests below, which each edit a copy of it."""
    root = _project(tmp_path_factory.mktemp("one-form"), "pretest = 0")
    built = cli("assemble", "--out", "forms", cwd=root)
    assert built.returncode == 0, built.stderr
    return root


def _copy(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return root


def test_form_check_after_bank_edits(one_form: Path, tmp_path: Path) -> None:
    root = _copy(one_form, tmp_path)
    form_path = root / "forms" / "FORM-01.yaml"
    clean = cli("assemble", "--check", "forms/FORM-01.yaml", cwd=root)
    assert clean.returncode == 0 and clean.stdout == "", clean.stdout + clean.stderr
    form = read_form(form_path)
    ids = [e.id for e in form.items]
    files = {p.stem: p for p in (root / "bank").rglob("*.yaml")}
    gone, demoted, enemy_a, enemy_b, dup_a, dup_b = ids[0], ids[30], ids[50], ids[60], ids[100], ids[101]
    files[gone].unlink()
    _set_field(files[demoted], "status", "draft")
    _set_field(files[enemy_a], "enemies", f"[{enemy_b}]")  # one side only
    # dup_a becomes a copy of dup_b under its own id: an exact duplicate for dedupe
    copy = files[dup_b].read_text("utf-8").replace(f"id: {dup_b}\n", f"id: {dup_a}\n")
    files[dup_a].write_text(copy, encoding="utf-8")
    ran = cli("assemble", "--check", "forms/FORM-01.yaml", "-f", "json", cwd=root)
    assert ran.returncode == 1, ran.stderr

    found = {(d["code"], d["line"]) for d in json.loads(ran.stdout)["diagnostics"]}
    assert ("IF201", _line_of(form_path, gone)) in found
    assert ("IF202", _line_of(form_path, demoted)) in found
    assert ("IF302", _line_of(form_path, enemy_b)) in found
    assert ("IF303", _line_of(form_path, dup_b)) in found
    second_of_area = [e.id for e in form.items if e.area == 1][1]
    assert ("IF301", _line_of(form_path, second_of_area)) in found  # area 1 lost `gone`, its first item
    assert all(code.startswith("IF") for code, _ in found)


def test_form_check_reports_a_hand_edited_or_broken_form_file(one_form: Path, tmp_path: Path) -> None:
    root = _copy(one_form, tmp_path)
    form_path = root / "forms" / "FORM-01.yaml"
    text = form_path.read_text("utf-8")
    first = text.index("- {id: ")
    line = text[first : text.index("\n", first) + 1]
    form_path.write_text(text.replace(line, line + line, 1), encoding="utf-8")
    ran = cli("assemble", "--check", "forms/FORM-01.yaml", cwd=root)
    assert ran.returncode == 1
    assert "IF203" in ran.stdout and "is on the form more than once" in ran.stdout
    assert "IF301" in ran.stdout and "work area 1 has 27 scored item(s); the blueprint asks for 26" in ran.stdout
    (root / "forms" / "bad.yaml").write_text("form: X\nitems: [\n", encoding="utf-8")
    (root / "forms" / "wrong.yaml").write_text("form: X\nseed: -1\n", encoding="utf-8")
    bad = cli("assemble", "--check", "forms/bad.yaml", "forms/wrong.yaml", cwd=root)
    assert bad.returncode == 1
    assert "forms/bad.yaml:" in bad.stdout and "IF101" in bad.stdout and "not a form file" in bad.stdout
    assert "forms/wrong.yaml:" in bad.stdout
