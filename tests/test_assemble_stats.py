"""`assemble`'s statistical targets: each form's mean p-value and its Rasch information at the cut
score, read from a stats file (`cmas-bank-stats/1`, as `analyze --out` writes it).

Each test writes a stats file, builds forms from a small bank made in memory, and checks them with
an independent checker: plain Python that reads the stats file with yaml and recomputes every
form's mean p-value and information (P (1 - P) summed over the items) from it. Each target is
shown to change the answer: the same bank and seed without it gives forms that miss it.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from clirunner import cli
from conftest import yaml_load
from test_assemble import OUTLINE, loose, scored, spread

from cmas_bank.assemble import Infeasible, assemble
from cmas_bank.assemble.itemstats import ItemStats, read_item_stats
from cmas_bank.assemble.model import FormFile
from cmas_bank.assemble.pool import Pool, build_pool
from cmas_bank.config import load_config
from cmas_bank.errors import UsageError

SLACK = 1e-6  # the solver's feasibility tolerance, as the checker allows it


def write_stats(root: Path, forms: list[tuple[int, dict[str, dict[str, Any]]]], name: str = "spring.yaml") -> Path:
    """A stats file in the layout `analyze --out` writes: per form its candidates and per item its
    key, p-value and Rasch difficulty (what assemble reads), with the other fields present."""
    doc = {
        "format": "cmas-bank-stats/1",
        "administration": Path(name).stem,
        "date": "2026-05-01",
        "sources": ["responses.csv"],
        "candidates": sum(n for n, _ in forms),
        "skipped": {},
        "forms": [
            {
                "form": f"F{k}",
                "candidates": n,
                "item_count": len(items),
                "notes": [],
                "test": {"kr20": 0.8, "sem": 2.0, "mean": 5.0, "sd": 2.0, "score_distribution": [1, 2]},
                "items": {
                    item_id: {
                        "key": "A",
                        "p": values.get("p"),
                        "point_biserial": 0.3,
                        **({"rasch": {"difficulty": values["b"], "se": 0.1}} if "b" in values else {}),
                        "flags": [],
                    }
                    for item_id, values in items.items()
                },
            }
            for k, (n, items) in enumerate(forms)
        ],
    }
    path = root / "stats" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def project(tmp_path: Path, table: str = "") -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[tool.cmas-bank.assemble]\n{table}\n", encoding="utf-8")
    return tmp_path


def load(tmp_path: Path, option: Path | None = None) -> ItemStats:
    stats = read_item_stats(load_config(cwd=tmp_path), option, None)
    assert stats is not None
    return stats


# --- the independent checker ---------------------------------------------------------------------


def file_statistics(path: Path) -> tuple[dict[str, float], dict[str, float]]:
    """p-values and difficulties from the stats file: for an item on several forms, the form with
    the most candidates (the first on a tie)."""
    doc = yaml_load(path.read_text(encoding="utf-8"))
    p: dict[str, tuple[int, float]] = {}
    b: dict[str, tuple[int, float]] = {}
    for form in doc["forms"]:
        n = form["candidates"]
        for item_id, item in form["items"].items():
            if item.get("p") is not None and (item_id not in p or n > p[item_id][0]):
                p[item_id] = (n, item["p"])
            diff = (item.get("rasch") or {}).get("difficulty")
            if diff is not None and (item_id not in b or n > b[item_id][0]):
                b[item_id] = (n, diff)
    return {k: v for k, (_, v) in p.items()}, {k: v for k, (_, v) in b.items()}


def mean_p(form: FormFile, path: Path) -> float:
    p, _ = file_statistics(path)
    values = [p[i] for i in scored(form) if i in p]
    return sum(values) / len(values)


def info(form: FormFile, path: Path, theta: float) -> float:
    _, b = file_statistics(path)
    total = 0.0
    for item_id in scored(form):
        if item_id in b:
            prob = math.exp(theta - b[item_id]) / (1 + math.exp(theta - b[item_id]))
            total += prob * (1 - prob)
    return total


def audit_row(form: FormFile, constraint: str) -> Any:
    return next(r for r in form.audit if r.constraint == constraint)


def check_p(forms: list[FormFile], path: Path, target: float | str, tolerance: float) -> None:
    """Every form's mean p-value (from the file) meets the target, and the audit says so truly."""
    means = [mean_p(f, path) for f in forms]
    for form, m in zip(forms, means, strict=True):
        row = audit_row(form, "p-value")
        assert row.achieved == pytest.approx(m, abs=1e-4) and row.met, row
        if target != "parallel":
            assert abs(m - float(target)) <= tolerance + SLACK, (form.form, m)
    if target == "parallel":
        assert max(means) - min(means) <= tolerance + SLACK, means


def check_info(forms: list[FormFile], path: Path, theta: float, target: float | str, tolerance: float) -> None:
    values = [info(f, path, theta) for f in forms]
    for form, v in zip(forms, values, strict=True):
        row = audit_row(form, "information")
        assert row.achieved == pytest.approx(v, abs=1e-4) and row.met, row
        if target != "parallel":
            assert abs(v - float(target)) <= tolerance + SLACK, (form.form, v)
    if target == "parallel":
        assert max(values) - min(values) <= tolerance + SLACK, values


# --- a small bank with statistics ----------------------------------------------------------------


def bank() -> Pool:
    return build_pool(spread(10, 10), [])


def spread_stats(pool: Pool) -> dict[str, dict[str, Any]]:
    """p-values from 0.30 to 0.93 and difficulties from -2 to 2 logits, in a scrambled order."""
    ids = sorted(pool.items)
    n = len(ids)
    return {
        item_id: {"p": round(0.30 + 0.63 * ((k * 7) % n) / (n - 1), 4), "b": round(-2 + 4 * ((k * 3) % n) / (n - 1), 4)}
        for k, item_id in enumerate(ids)
    }


def build(pool: Pool, stats: ItemStats, **kw: Any) -> list[FormFile]:
    return assemble(loose(**kw), OUTLINE, pool, stats).forms


def test_a_mean_p_value_target_changes_the_form(tmp_path: Path) -> None:
    pool = bank()
    path = write_stats(tmp_path, [(500, spread_stats(pool))])
    stats = load(project(tmp_path))
    free = build(pool, stats)
    assert audit_row(free[0], "p-value").target == "any"
    target = round(mean_p(free[0], path) + 0.12, 4)
    assert abs(mean_p(free[0], path) - target) > 0.02  # without the target the form misses it
    forms = build(pool, stats, p_value={"target": target, "tolerance": 0.02})
    check_p(forms, path, target, 0.02)
    assert scored(forms[0]) != scored(free[0])
    assert audit_row(forms[0], "p-value").target == f"{target:g} +/- 0.02"
    assert "8 of 8 scored items have a p-value in stats/spring.yaml" in audit_row(forms[0], "p-value").note


def test_parallel_mean_p_values_across_forms(tmp_path: Path) -> None:
    pool = bank()
    path = write_stats(tmp_path, [(500, spread_stats(pool))])
    stats = load(project(tmp_path))
    kw: dict[str, Any] = {"forms": 2, "max_usage": 1}

    def gap(forms: list[FormFile]) -> float:
        means = [mean_p(f, path) for f in forms]
        return max(means) - min(means)

    seed = next(s for s in range(30) if gap(build(pool, stats, seed=s, **kw)) > 0.02)  # forms apart without it
    forms = build(pool, stats, seed=seed, p_value={"target": "parallel", "tolerance": 0.01}, **kw)
    check_p(forms, path, "parallel", 0.01)
    assert not set(scored(forms[0])) & set(scored(forms[1]))
    assert "widest gap to another form" in audit_row(forms[0], "p-value").note


@pytest.mark.parametrize("strategy", ["simultaneous", "sequential"])
def test_parallel_information_at_the_cut_score(tmp_path: Path, strategy: str) -> None:
    pool = bank()
    path = write_stats(tmp_path, [(500, spread_stats(pool))])
    stats = load(project(tmp_path))
    theta = 0.5
    kw: dict[str, Any] = {"forms": 3, "max_overlap": 3, "information": {"theta": theta}, "strategy": strategy}

    def gap(forms: list[FormFile]) -> float:
        values = [info(f, path, theta) for f in forms]
        return max(values) - min(values)

    seed = next(s for s in range(30) if gap(build(pool, stats, seed=s, **kw)) > 0.1)
    assert audit_row(build(pool, stats, seed=seed, **kw)[0], "information").target == "any"
    kw["information"] = {"theta": theta, "target": "parallel", "tolerance": 0.05}
    forms = build(pool, stats, seed=seed, **kw)
    check_info(forms, path, theta, "parallel", 0.05)
    for f, g in itertools.combinations(forms, 2):
        assert len(set(scored(f)) & set(scored(g))) <= 3


def test_an_information_target_value(tmp_path: Path) -> None:
    pool = bank()
    path = write_stats(tmp_path, [(500, spread_stats(pool))])
    stats = load(project(tmp_path))
    free = build(pool, stats, information={"theta": -1.0})
    # another seed's form, far enough from the first one's information, is a target within reach
    other = next(
        f
        for s in range(1, 30)
        if abs(info(f := build(pool, stats, seed=s)[0], path, -1.0) - info(free[0], path, -1.0)) > 0.2
    )
    target = round(info(other, path, -1.0), 3)
    forms = build(pool, stats, information={"theta": -1.0, "target": target, "tolerance": 0.03})
    check_info(forms, path, -1.0, target, 0.03)
    assert scored(forms[0]) != scored(free[0])


def test_items_without_statistics_are_ignored_or_excluded(tmp_path: Path) -> None:
    pool = bank()
    values = spread_stats(pool)
    missing = sorted(pool.items)[::3]  # a third of the items, in both work areas, have no statistics
    path = write_stats(tmp_path, [(500, {i: v for i, v in values.items() if i not in missing})])
    stats = load(project(tmp_path))
    # a binding target (parallel, one form) keeps the items without a p-value off the form
    only = build(pool, stats, p_value={"target": "parallel"}, without_stats="exclude", seed=3)
    assert not set(scored(only[0])) & set(missing)
    value = round(mean_p(only[0], path), 4)
    target = {"target": value, "tolerance": 0.03}
    ignored = build(pool, stats, p_value=target, seed=1)
    check_p(ignored, path, value, 0.03)
    on_form = [i for i in scored(ignored[0]) if i not in missing]
    assert f"{len(on_form)} of 8 scored items have a p-value" in audit_row(ignored[0], "p-value").note
    excluded = build(pool, stats, p_value=target, without_stats="exclude", seed=1)
    check_p(excluded, path, value, 0.03)
    assert not set(scored(excluded[0])) & set(missing)
    assert any(i in missing for s in range(10) for i in scored(build(pool, stats, p_value=target, seed=s)[0]))


def test_an_item_on_several_analysed_forms_takes_the_largest_analysis(tmp_path: Path) -> None:
    pool = bank()
    values = spread_stats(pool)
    item_id = min(pool.items)
    small = {item_id: {"p": 0.99, "b": -4.0}}
    path = write_stats(tmp_path, [(40, small), (500, values)])
    stats = load(project(tmp_path))
    assert stats.p[item_id] == values[item_id]["p"] and stats.difficulty[item_id] == values[item_id]["b"]
    assert file_statistics(path)[0][item_id] == values[item_id]["p"]


# --- infeasible targets, explained ----------------------------------------------------------------


def test_an_unreachable_target_is_explained_before_solving(tmp_path: Path) -> None:
    pool = bank()
    write_stats(tmp_path, [(500, spread_stats(pool))])
    stats = load(project(tmp_path))
    with pytest.raises(Infeasible) as caught:
        build(pool, stats, p_value={"target": 0.97, "tolerance": 0.01})
    assert any("mean p-value can be at most" in r and "asks at least 0.9600" in r for r in caught.value.reasons)
    with pytest.raises(Infeasible) as caught:
        build(pool, stats, information={"theta": 0.0, "target": 3.0, "tolerance": 0.1})
    assert any("the information at theta 0 can be at most" in r for r in caught.value.reasons)


def test_a_target_the_blueprint_blocks_is_named_after_solving(tmp_path: Path) -> None:
    pool = bank()
    # Work area 1 is hard and work area 2 easy: the 8 easiest items would average 0.9, but a
    # form takes 4 of each, so a mean of 0.9 is out of reach; the supply count cannot see it.
    values = {i: {"p": 0.3 if pool.items[i].domain == 1 else 0.9} for i in pool.items}
    write_stats(tmp_path, [(500, values)])
    stats = load(project(tmp_path))
    with pytest.raises(Infeasible) as caught:
        build(pool, stats, p_value={"target": 0.88, "tolerance": 0.02})
    assert caught.value.reasons[0].startswith("the solver proved")
    assert any(r.startswith("the p-value target blocks it") for r in caught.value.reasons)
    assert len(build(pool, stats, p_value={"target": 0.6, "tolerance": 0.02})) == 1


def test_a_target_needs_statistics(tmp_path: Path) -> None:
    pool = bank()
    with pytest.raises(UsageError, match="a statistical target needs a stats file"):
        assemble(loose(p_value={"target": 0.6}), OUTLINE, pool, None)
    write_stats(tmp_path, [(500, {"OTHER-0001": {"p": 0.5}})])
    stats = load(project(tmp_path))
    with pytest.raises(Infeasible) as caught:
        build(pool, stats, p_value={"target": "parallel"})
    assert "no eligible item has a p-value in stats/spring.yaml" in caught.value.reasons[0]
    included = min(pool.items)
    write_stats(tmp_path, [(500, {i: {"p": 0.5} for i in sorted(pool.items)[1:]})])
    with pytest.raises(Infeasible) as caught:
        build(pool, load(tmp_path), include=(included,), p_value={"target": 0.5}, without_stats="exclude")
    assert f"included item {included} lacks a statistic" in caught.value.reasons[0]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("p-value = { target = 1.5 }", "p-value: Value error, target must be a p-value between 0 and 1"),
        ('p-value = { target = "paralel" }', "p-value.target"),
        ("information = { target = 3.0 }", "information.theta: Field required"),
        ('without-stats = "drop"', "without-stats: Input should be 'ignore' or 'exclude'"),
    ],
)
def test_bad_target_settings_name_the_setting(tmp_path: Path, table: str, message: str) -> None:
    from cmas_bank.assemble.settings import load_settings

    with pytest.raises(UsageError) as caught:
        load_settings(load_config(cwd=project(tmp_path, table)))
    assert message in str(caught.value) and "[tool.cmas-bank.assemble]" in str(caught.value)


# --- the command line, on the shipped bank with simulated responses -------------------------------


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped bank, responses simulated for its items (Rasch, 300 candidates) and
    their stats file written by `analyze --out` into stats/."""
    import shutil

    from conftest import BANK

    from bench.simulate_responses import bank_items, simulate, write

    root = tmp_path_factory.mktemp("shipped")
    shutil.copytree(BANK, root / "bank")
    (root / "pyproject.toml").write_text(
        '[tool.cmas-bank]\nbank = "bank"\noutline = "cmas-2020"\n\n[tool.cmas-bank.assemble]\nout = "forms"\npretest = 0\n',
        encoding="utf-8",
    )
    ids, keys = bank_items(root / "bank")
    write(simulate(ids, keys, candidates=300, seed=11, miskey_rate=0.0, dead_rate=0.0), root / "responses.csv")
    ran = cli("analyze", "responses.csv", "--out", "stats/2026-spring.yaml", "--date", "2026-05-01", cwd=root)
    assert ran.returncode in (0, 1) and (root / "stats" / "2026-spring.yaml").is_file(), ran.stderr
    return root


def read_form(path: Path) -> FormFile:
    return FormFile.model_validate(yaml_load(path.read_text("utf-8")))


def set_table(root: Path, table: str) -> None:
    text = (root / "pyproject.toml").read_text(encoding="utf-8").split("# targets\n")[0]
    (root / "pyproject.toml").write_text(text + "# targets\n" + table + "\n", encoding="utf-8")


def test_cli_p_value_target_from_the_newest_stats_file(shipped: Path, tmp_path: Path) -> None:
    path = shipped / "stats" / "2026-spring.yaml"
    older = shipped / "stats" / "2025-autumn.yaml"  # older by its date: not the one read, and not readable
    older.write_text("format: cmas-bank-stats/1\ndate: '2025-10-01'\nforms: [{items: {X: {p: high}}}]\n", "utf-8")
    set_table(shipped, "")
    free = cli("assemble", "--out", str(tmp_path / "free"), cwd=shipped)
    assert free.returncode == 0, free.stderr
    assert "item statistics from stats/2026-spring.yaml" in free.stderr
    untargeted = read_form(tmp_path / "free" / "FORM-01.yaml")
    assert audit_row(untargeted, "p-value").target == "any"
    assert audit_row(untargeted, "p-value").achieved == pytest.approx(mean_p(untargeted, path), abs=1e-4)
    target = round(mean_p(untargeted, path) + 0.02, 3)
    set_table(shipped, f"p-value = {{ target = {target}, tolerance = 0.005 }}")
    ran = cli("assemble", "--out", str(tmp_path / "aimed"), cwd=shipped)
    assert ran.returncode == 0, ran.stderr
    form = read_form(tmp_path / "aimed" / "FORM-01.yaml")
    check_p([form], path, target, 0.005)
    assert abs(mean_p(untargeted, path) - target) > 0.005  # the target changed the form
    assert all(r.met for r in form.audit), [r for r in form.audit if not r.met]


def test_cli_parallel_information_with_stats_option(shipped: Path, tmp_path: Path) -> None:
    path = shipped / "stats" / "2026-spring.yaml"
    copy = tmp_path / "elsewhere.yaml"
    copy.write_bytes(path.read_bytes())
    set_table(shipped, 'information = { theta = 0.5, target = "parallel", tolerance = 0.2 }')
    args = ("assemble", "--forms", "2", "--max-overlap", "150", "--stats", str(copy), "--out", str(tmp_path / "f"))
    ran = cli(*args, cwd=shipped)
    assert ran.returncode == 0, ran.stderr
    forms = [read_form(tmp_path / "f" / f"FORM-0{n}.yaml") for n in (1, 2)]
    check_info(forms, copy, 0.5, "parallel", 0.2)
    assert str(copy) in audit_row(forms[0], "information").note


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "format: cmas-bank-stats/1\nforms:\n- items: {CMAS-01-0001: {key: A, p: high}}\n",
            "forms[0].items.CMAS-01-0001.p: 'high' is not a number",
        ),
        ("format: cmas-bank-stats/1\nforms: [\n", "bad.yaml:3: not a readable stats file"),
        ("format: other/2\nforms: []\n", "format is 'other/2', not 'cmas-bank-stats/1'"),
    ],
)
def test_cli_unreadable_stats_file_is_a_located_usage_error(
    shipped: Path, tmp_path: Path, text: str, message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    set_table(shipped, 'p-value = { target = "parallel" }')
    ran = cli("assemble", "--stats", str(bad), "--out", str(tmp_path / "f"), cwd=shipped)
    assert ran.returncode == 2, ran.stderr
    assert message in ran.stderr and str(bad) in ran.stderr and "Traceback" not in ran.stderr
    assert not (tmp_path / "f").exists()
    missing = cli("assemble", "--stats", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "f"), cwd=shipped)
    assert missing.returncode == 2 and "nope.yaml: cannot read stats file" in missing.stderr
