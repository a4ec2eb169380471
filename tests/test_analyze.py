"""`cmas-bank analyze`: statistics equal a plain-Python oracle, Rasch recovers generating
difficulties, planted miskeys are flagged, input problems are located, the stats file is written."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from clirunner import cli
from conftest import ROOT, yaml_load

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import generate_bank
from bench.simulate_responses import Simulation, simulate, write
from cmas_bank.analyze.classical import classical, group_size
from cmas_bank.analyze.flags import miskeys
from cmas_bank.analyze.rasch import rasch

# --- the oracle: plain Python loops, no numpy ------------------------------------------------------


def _mean(v: list[float]) -> float:
    return sum(v) / len(v)


def _corr(a: list[float], b: list[float]) -> float:
    ma, mb = _mean(a), _mean(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b)) / len(a)
    va = sum((x - ma) ** 2 for x in a) / len(a)
    vb = sum((y - mb) ** 2 for y in b) / len(b)
    return cov / math.sqrt(va * vb) if va > 1e-12 and vb > 1e-12 else math.nan


def _kr20(rows: list[list[int]]) -> float:
    k = len(rows[0])
    totals = [sum(r) for r in rows]
    mt = _mean(totals)
    var_t = sum((t - mt) ** 2 for t in totals) / len(totals)
    pq = 0.0
    for i in range(k):
        p = _mean([r[i] for r in rows])
        pq += p * (1 - p)
    return k / (k - 1) * (1 - pq / var_t)


def oracle(responses: list[list[int]], key: list[int], fraction: float = 0.27) -> dict[str, object]:
    n, k = len(responses), len(key)
    scored = [[1 if r[i] == key[i] else 0 for i in range(k)] for r in responses]
    totals = [sum(r) for r in scored]
    out: dict[str, list] = {"p": [], "rpb": [], "alpha_del": [], "share": [], "rest_mean": [], "option_rest": []}
    ranked = sorted(range(n), key=lambda c: -totals[c])  # Python's sort is stable: ties in input order
    g = max(1, int(fraction * n + 0.5))
    upper, lower = ranked[:g], ranked[n - g :]
    out["D"] = []
    for i in range(k):
        item = [scored[c][i] for c in range(n)]
        rest = [totals[c] - scored[c][i] for c in range(n)]
        out["p"].append(_mean(item))
        out["rpb"].append(_corr(item, rest))
        out["alpha_del"].append(_kr20([[r[j] for j in range(k) if j != i] for r in scored]))
        out["D"].append(sum(scored[c][i] for c in upper) / g - sum(scored[c][i] for c in lower) / g)
        shares, means, corrs = [], [], []
        for o in range(5):
            chose = [1 if responses[c][i] == o else 0 for c in range(n)]
            count = sum(chose)
            shares.append(count / n)
            means.append(sum(rest[c] for c in range(n) if chose[c]) / count if count else math.nan)
            corrs.append(_corr(chose, rest))
        out["share"].append(shares)
        out["rest_mean"].append(means)
        out["option_rest"].append(corrs)
    mt = _mean(totals)
    var_t = sum((t - mt) ** 2 for t in totals) / n
    kr20 = _kr20(scored)
    out["kr20"] = kr20  # type: ignore[assignment]
    out["sem"] = math.sqrt(var_t) * math.sqrt(1 - kr20)  # type: ignore[assignment]
    out["distribution"] = [sum(1 for t in totals if t == s) for s in range(k + 1)]
    return out


def _close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9


def test_classical_statistics_equal_the_plain_python_oracle() -> None:
    sim = simulate([f"I{j}" for j in range(25)], candidates=300, seed=4, model="2pl", omit_rate=0.03)
    # an item nobody gets right and one everyone gets right: undefined correlations on both sides
    sim.responses[:, 3] = (int(sim.key[3]) + 1) % 4
    sim.responses[:, 7] = sim.key[7]
    got = classical(sim.responses, sim.key)
    want = oracle(sim.responses.tolist(), [int(v) for v in sim.key])
    for i in range(25):
        assert _close(got.p[i], want["p"][i])
        assert _close(got.point_biserial[i], want["rpb"][i]), (i, got.point_biserial[i], want["rpb"][i])
        assert _close(got.alpha_if_deleted[i], want["alpha_del"][i])
        assert _close(got.discrimination[i], want["D"][i])
        for o in range(5):
            assert _close(got.share[i, o], want["share"][i][o])
            assert _close(got.rest_mean[i, o], want["rest_mean"][i][o])
            assert _close(got.option_rest[i, o], want["option_rest"][i][o]), (i, o)
    assert math.isnan(got.point_biserial[3]) and math.isnan(got.point_biserial[7])
    assert _close(got.kr20, want["kr20"]) and _close(got.sem, want["sem"])
    assert got.distribution.tolist() == want["distribution"]
    assert got.group_size == group_size(300, 0.27) == 81


def test_key_option_rest_correlation_is_the_corrected_point_biserial() -> None:
    sim = simulate([f"I{j}" for j in range(30)], candidates=500, seed=9)
    got = classical(sim.responses, sim.key)
    assert np.allclose(
        got.option_rest[np.arange(30), sim.key.astype(int)], got.point_biserial, atol=1e-12, equal_nan=True
    )


def test_rasch_recovers_generating_difficulties() -> None:
    sim = simulate([f"I{j}" for j in range(200)], candidates=2000, seed=12, miskey_rate=0.0)
    fit = rasch(sim.responses == sim.key[None, :])
    truth = np.array([i.difficulty for i in sim.items])
    assert fit.converged
    assert np.corrcoef(truth, fit.difficulty)[0, 1] >= 0.97
    assert abs(np.median(fit.infit) - 1) < 0.05 and abs(np.median(fit.outfit) - 1) < 0.1
    assert np.all((fit.se > 0.03) & (fit.se < 0.2))


def test_rasch_sets_extreme_items_aside() -> None:
    sim = simulate([f"I{j}" for j in range(20)], candidates=400, seed=2, miskey_rate=0.0)
    x = sim.responses == sim.key[None, :]
    x[:, 5] = True
    fit = rasch(x)
    assert math.isnan(fit.difficulty[5]) and not np.isnan(np.delete(fit.difficulty, 5)).any()


@pytest.mark.parametrize("seed,model", [(21, "rasch"), (22, "2pl"), (23, "2pl")])
def test_planted_miskeys_are_flagged_and_sound_items_are_not(seed: int, model: str) -> None:
    sim = simulate([f"I{j}" for j in range(200)], candidates=2000, seed=seed, model=model, miskey_rate=0.08)
    flagged = miskeys(classical(sim.responses, sim.key), sim.key, 0.0).any(axis=1)
    planted = np.array([i.miskey for i in sim.items])
    assert planted.sum() >= 8
    assert flagged[planted].mean() >= 0.95
    assert flagged[~planted].mean() <= 0.05


# --- the command ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Simulation]:
    root = tmp_path_factory.mktemp("analyze")
    generate_bank(root / "bank", 40, seed=3)
    (root / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "bank"\n')
    ids, keys = _bank(root / "bank")
    sim = simulate(ids, keys, candidates=400, seed=5, miskey_rate=0.1, dead_rate=0.2)
    write(sim, root / "responses.csv")
    return root, sim


def _bank(folder: Path) -> tuple[list[str], list[str]]:
    from bench.simulate_responses import bank_items

    return bank_items(folder)


def _item_file(root: Path, item_id: str) -> Path:
    return next((root / "bank").rglob(f"{item_id}.yaml"))


def _answer_line(path: Path) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.startswith("answer:"))


def test_analyze_wide_csv_flags_miskeys_at_the_answer_and_writes_the_stats_file(project) -> None:
    root, sim = project
    ran = cli("analyze", "responses.csv", "--out", "stats/spring.yaml", "--date", "2026-05-01", cwd=root)
    assert ran.returncode == 1, ran.stderr
    planted = [i for i in sim.items if i.miskey]
    assert planted
    for item in planted:
        path = _item_file(root, item.id)
        where = f"{path.relative_to(root)}:{_answer_line(path)}:"
        assert any(line.startswith(where) and " IA201 " in line for line in ran.stdout.splitlines()), item.id
    for item in sim.items:
        for letter in item.dead:
            assert f"IA206 distractor {letter} is chosen by" in ran.stdout
    doc = yaml_load((root / "stats/spring.yaml").read_text())
    assert doc["format"] == "cmas-bank-stats/1" and doc["date"] == "2026-05-01" and doc["candidates"] == 400
    (form,) = doc["forms"]
    assert form["item_count"] == len(sim.items) and sum(form["test"]["score_distribution"]) == 400
    stats = classical(sim.responses, sim.key)
    first = sim.items[0].id
    assert form["items"][first]["p"] == round(float(stats.p[0]), 4)
    assert "IA201" in form["items"][planted[0].id]["flags"]
    # flagged items first in the text report
    table = [line.split() for line in ran.stdout.splitlines() if line.startswith("   SYN-")]
    flagged = [bool(row[7:]) for row in table]
    assert flagged == sorted(flagged, reverse=True) and any(flagged)
    again = cli("analyze", "responses.csv", "--out", "stats/spring.yaml", "--date", "2026-05-01", cwd=root)
    assert again.stdout == ran.stdout  # the same input gives the same report and file


def test_analyze_exports_json_and_csv(project) -> None:
    root, sim = project
    assert cli("analyze", "responses.csv", "-o", "s.json", "--date", "2026-05-01", cwd=root).returncode == 1
    assert cli("analyze", "responses.csv", "-o", "s.csv", "--date", "2026-05-01", cwd=root).returncode == 1
    doc = json.loads((root / "s.json").read_text())
    rows = list(csv.DictReader((root / "s.csv").open()))
    assert len(rows) == len(sim.items) == len(doc["forms"][0]["items"])
    assert rows[0]["item"] in doc["forms"][0]["items"]
    assert float(rows[0]["p"]) == doc["forms"][0]["items"][rows[0]["item"]]["p"]


def _long(root: Path, rows: list[list[str]], name: str = "long.csv") -> Path:
    path = root / name
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows([["candidate", "item", "response"], *rows])
    return path


def test_long_csv_with_option_texts_gives_the_same_statistics_as_letters(project, tmp_path) -> None:
    root, sim = project
    ids = [i.id for i in sim.items]
    texts = {i: yaml_load(_item_file(root, i).read_text())["options"] for i in ids}
    rows = []
    for n in range(len(sim.responses)):
        for j, item_id in enumerate(ids):
            code = int(sim.responses[n, j])
            cell = "" if code == 4 else ("  " + texts[item_id]["ABCD"[code]].upper() if n % 2 else "ABCD"[code])
            rows.append([f"C{n + 1:06d}", item_id, cell])
    _long(root, rows)
    by_text = cli("analyze", "long.csv", "-o", str(tmp_path / "a.json"), "--date", "2026-05-01", cwd=root)
    by_letter = cli("analyze", "responses.csv", "-o", str(tmp_path / "b.json"), "--date", "2026-05-01", cwd=root)
    a, b = (json.loads((tmp_path / f).read_text()) for f in ("a.json", "b.json"))
    assert a["forms"] == b["forms"] and by_text.returncode == by_letter.returncode == 1


def test_input_problems_are_located_and_stop_the_analysis(project) -> None:
    root, sim = project
    first, second = sim.items[0].id, sim.items[1].id
    rows = [
        ["C1", first, "A"],
        ["C1", "NOPE-1", "B"],
        ["C2", first, "E"],
        ["C2", second, "not an option at all"],
        ["C1", first, "B"],
        ["", second, "A"],
    ]
    _long(root, rows, "bad.csv")
    ran = cli("analyze", "bad.csv", cwd=root)
    assert ran.returncode == 1
    lines = ran.stdout.splitlines()
    assert lines[0].startswith("bad.csv:3:2: IA105 unknown item id 'NOPE-1'")
    assert lines[1].startswith(f"bad.csv:4:3: IA106 response 'E' is not an option of {first}")
    assert lines[2].startswith(f"bad.csv:5:3: IA107 response 'not an option at all' matches no option of {second}")
    assert lines[3].startswith(f"bad.csv:6:3: IA108 candidate 'C1' answered {first} already")
    assert lines[4].startswith("bad.csv:7:1: IA110 row has no candidate id")
    assert len(lines) == 5 and "nothing analysed" in ran.stderr
    skipped = cli("analyze", "bad.csv", "--skip-invalid", cwd=root)
    assert "Skipped (--skip-invalid; bad responses scored as omitted): IA105 x1, IA106 x1" in skipped.stdout
    assert "IA301" in skipped.stdout and "statistics need at least 30 candidates" in skipped.stdout


def test_wide_header_problems(project) -> None:
    root, sim = project
    (root / "w.csv").write_text(f"candidate,{sim.items[0].id},CMAS-9999,\nC1,A,B,\n")
    ran = cli("analyze", "w.csv", cwd=root)
    assert ran.returncode == 1 and ran.stdout.startswith("w.csv:1:3: IA105 unknown item id 'CMAS-9999'")
    (root / "h.csv").write_text("who,what\nC1,A\n")
    assert cli("analyze", "h.csv", cwd=root).stdout.startswith("h.csv:1:1: IA104 no `candidate` column")


def test_hostile_responses_files_are_refused(project) -> None:
    root, _ = project
    fifo = root / "pipe.csv"
    if not fifo.exists():
        import os

        os.mkfifo(fifo)
    ran = cli("analyze", "pipe.csv", cwd=root)
    assert ran.returncode == 2 and "IA101 not a regular file: a FIFO" in ran.stdout
    (root / "latin1.csv").write_bytes(b"candidate,item,response\nJos\xe9,X,A\n")
    bad = cli("analyze", "latin1.csv", cwd=root)
    assert bad.returncode == 1 and "latin1.csv:2:1: IA102 file is not UTF-8 (byte 0xe9)" in bad.stdout
    assert cli("analyze", "missing.csv", cwd=root).returncode == 2
    (root / "header-only.csv").write_text("candidate,item,response\n")
    empty = cli("analyze", "header-only.csv", cwd=root)
    assert empty.returncode == 1 and empty.stdout.startswith("header-only.csv:1:1: IA301 no responses to analyse")


def test_forms_are_analysed_apart(project) -> None:
    root, sim = project
    ids = [i.id for i in sim.items]
    with (root / "forms.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["candidate", "form", *ids])
        for n, row in enumerate(sim.responses):
            w.writerow([f"C{n}", "X" if n % 2 else "Y", *("ABCD"[c] if c < 4 else "" for c in row)])
    ran = cli("analyze", "forms.csv", "-o", "forms.json", cwd=root)
    doc = json.loads((root / "forms.json").read_text())
    assert [(f["form"], f["candidates"]) for f in doc["forms"]] == [("X", 200), ("Y", 200)]
    assert "(form X)" in ran.stdout
    with (root / "evil.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["candidate", "form", *ids])
        for n, row in enumerate(sim.responses):
            w.writerow([f"C{n}", "\x1b[2J\u202e", *("ABCD"[c] if c < 4 else "" for c in row)])
    evil = cli("analyze", "evil.csv", cwd=root)
    assert "\x1b" not in evil.stdout and "\u202e" not in evil.stdout
    assert "== form \\x1b[2J\\u202e: 400 candidates" in evil.stdout


def test_settings_are_validated(project, tmp_path) -> None:
    root, _ = project
    config = tmp_path / "pyproject.toml"
    config.write_text(f'[tool.cmas-bank]\nbank = "{root / "bank"}"\n[tool.cmas-bank.analyze]\nmin-pp = 0.2\n')
    ran = cli("analyze", str(root / "responses.csv"), "--config", str(config), cwd=root)
    assert ran.returncode == 2 and "unknown setting 'min-pp' (did you mean \"min-p\"?)" in ran.stderr
    config.write_text(f'[tool.cmas-bank]\nbank = "{root / "bank"}"\n[tool.cmas-bank.analyze]\nmax-p = 1.5\n')
    assert "max-p must be between 0 and 1" in cli("analyze", "responses.csv", "--config", str(config), cwd=root).stderr
    config.write_text(f'[tool.cmas-bank]\nbank = "{root / "bank"}"\n[tool.cmas-bank.analyze]\nmin-candidates = 1000\n')
    few = cli("analyze", "responses.csv", "--config", str(config), cwd=root)
    assert "IA301" in few.stdout and "IA201" not in few.stdout


def test_cli_start_up_does_not_import_numpy() -> None:
    code = "import sys; from cmas_bank import cli; print('numpy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "False"


# --- each flag fires at its threshold and not inside it -------------------------------------------


def _flagger(**settings: float):
    from cmas_bank.analyze.flags import Flagger
    from cmas_bank.analyze.settings import AnalyzeSettings
    from cmas_bank.bankitem import BankItem

    values = {("id",): (1, 5), ("answer",): (9, 9), **{("options", x): (4 + n, 6) for n, x in enumerate("ABCD")}}
    item = BankItem(path="/b/X-1.yaml", display="b/X-1.yaml", id="X-1", valid=True, answer="A", values=values)
    return Flagger({"X-1": item}, AnalyzeSettings(**settings), "")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "rpb,p,code",
    [(0.30, 0.5, None), (0.15, 0.5, None), (0.149, 0.5, "IA203"), (0.0, 0.5, "IA203"), (-0.01, 0.5, "IA202")]
    + [(math.nan, 1.0, "IA302"), (math.nan, 0.0, "IA302")],
)
def test_discrimination_flags(rpb: float, p: float, code: str | None) -> None:
    f = _flagger()
    f._discrimination("X-1", rpb, p)
    assert [(d.code, d.line) for d in f.found] == ([(code, 1)] if code else [])


@pytest.mark.parametrize("p,code", [(0.5, None), (0.95, None), (0.951, "IA204"), (0.25, None), (0.249, "IA205")])
def test_difficulty_flags(p: float, code: str | None) -> None:
    f = _flagger()
    f._difficulty("X-1", p)
    assert [d.code for d in f.found] == ([code] if code else [])


def test_dead_distractor_flag_is_at_the_option() -> None:
    f = _flagger()
    f._distractors("X-1", np.array([0.02, 0.049, 0.05, 0.6, 0.0]), 0)  # the key's own share never counts
    assert [(d.code, d.line, d.column) for d in f.found] == [("IA206", 5, 6)]
    g = _flagger(min_distractor_share=0.01)
    g._distractors("X-1", np.array([0.0, 0.049, 0.05, 0.6, 0.0]), 0)
    assert g.found == []


def test_misfit_flag() -> None:
    from cmas_bank.analyze.rasch import Rasch

    fit = Rasch(
        np.zeros(4), np.ones(4), np.array([1.0, 1.31, 0.9, np.nan]), np.array([1.2, 1.0, 0.69, np.nan]), 9, 1, True
    )
    f = _flagger()
    f.add = lambda item_id, code, message, at=("id",): f.found.append((item_id, code))  # type: ignore[method-assign]
    f.rasch(["a", "b", "c", "d"], fit)
    assert f.found == [("b", "IA207"), ("c", "IA207")]


def test_miskey_flag_is_at_the_answer_once_per_item() -> None:
    sim = simulate([f"I{j}" for j in range(20)], candidates=600, seed=31, miskey_rate=0.0)
    sim.responses[:, 0] = np.where(sim.responses[:, 0] == sim.key[0], (sim.key[0] + 1) % 4, sim.responses[:, 0])
    sim.responses[:, 0] = np.where(sim.abilities > 0.3, (sim.key[0] + 2) % 4, sim.responses[:, 0])  # strong pick C'
    stats = classical(sim.responses, sim.key)
    f = _flagger()
    f.bank = {f"I{j}": f.bank["X-1"] for j in range(20)}
    f.classical([f"I{j}" for j in range(20)], stats, sim.key)
    miskeyed = [d for d in f.found if d.code == "IA201"]
    assert [(d.line, d.column) for d in miskeyed] == [(9, 9)]
    assert f"possible miskey: option {'ABCD'[(int(sim.key[0]) + 2) % 4]}" in miskeyed[0].message


# --- Rasch against a plain-Python JML, person by person ----------------------------------------------


def _python_jml(x: list[list[int]]) -> tuple[list[float], list[float], list[float], list[float]]:
    n, k = len(x), len(x[0])
    scores = [sum(r) for r in x]
    right = [sum(x[p][i] for p in range(n)) for i in range(k)]
    b = [0.0] * k
    theta = [math.log(s / (k - s)) for s in scores]
    for _ in range(2000):
        moved = 0.0
        for p in range(n):
            probs = [1 / (1 + math.exp(-(theta[p] - b[i]))) for i in range(k)]
            step = (scores[p] - sum(probs)) / sum(q * (1 - q) for q in probs)
            theta[p] += step
            moved = max(moved, abs(step))
        for i in range(k):
            probs = [1 / (1 + math.exp(-(theta[p] - b[i]))) for p in range(n)]
            step = (sum(probs) - right[i]) / sum(q * (1 - q) for q in probs)
            b[i] += step
            moved = max(moved, abs(step))
        mean = sum(b) / k
        b = [v - mean for v in b]
        if moved < 1e-12:
            break
    se, infit, outfit = [], [], []
    for i in range(k):
        probs = [1 / (1 + math.exp(-(theta[p] - b[i]))) for p in range(n)]
        w = [q * (1 - q) for q in probs]
        se.append(1 / math.sqrt(sum(w)))
        outfit.append(sum((x[p][i] - probs[p]) ** 2 / w[p] for p in range(n)) / n)
        infit.append(sum((x[p][i] - probs[p]) ** 2 for p in range(n)) / sum(w))
    return [v * (k - 1) / k for v in b], se, infit, outfit


def test_rasch_equals_a_person_by_person_python_jml() -> None:
    sim = simulate([f"I{j}" for j in range(8)], candidates=120, seed=17, miskey_rate=0.0)
    x = sim.responses == sim.key[None, :]
    scores = x.sum(axis=1)
    x = x[(scores > 0) & (scores < 8)]  # the oracle takes no extreme scores
    assert x.sum(axis=0).min() > 0 and x.sum(axis=0).max() < len(x)
    got = rasch(x, tol=1e-12)
    want = _python_jml(x.astype(int).tolist())
    for mine, theirs in zip((got.difficulty, got.se, got.infit, got.outfit), want):
        assert np.allclose(mine, theirs, atol=1e-8), (mine, theirs)


# --- hostile and noisy input ---------------------------------------------------------------------


def test_oversized_responses_file_is_refused(project, monkeypatch) -> None:
    from cmas_bank.analyze import responses

    root, _ = project
    monkeypatch.setattr(responses, "MAX_BYTES", 100)
    ran = cli("analyze", "responses.csv", cwd=root)
    assert ran.returncode == 2 and "IA101 file is" in ran.stdout and "at most 100 are read" in ran.stdout


def test_many_bad_cells_are_counted_not_all_shown(project, monkeypatch) -> None:
    from cmas_bank.analyze import responses

    root, sim = project
    monkeypatch.setattr(responses, "SHOWN", 3)
    ids = [i.id for i in sim.items[:5]]
    (root / "noisy.csv").write_text(
        "candidate," + ",".join(ids) + "\n" + "".join(f"C{n},E,A,A,A,A\n" for n in range(40))
    )
    ran = cli("analyze", "noisy.csv", "--skip-invalid", cwd=root)
    assert (
        sum(line.startswith("noisy.csv:") and " IA106 " in line for line in ran.stdout.splitlines()) == 3
        and "37 more input finding(s) not shown" in ran.stderr
    )
    assert "IA106 x40" in ran.stdout and "the first 3 of each code are" in ran.stderr
