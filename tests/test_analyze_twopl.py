"""2PL estimates (opt-in, `two-pl = true`): marginal maximum likelihood recovers the discriminations
and difficulties that generated simulated responses, its standard errors match the estimates'
real spread, and the stats file carries them only when asked."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from clirunner import cli
from conftest import ROOT, yaml_load

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import generate_bank
from bench.simulate_responses import bank_items, simulate, write
from cmas_bank.analyze.twopl import twopl


def _simulated(items: int, candidates: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """0/1 responses from the 2PL (abilities N(0, 1)) and the generating a and b."""
    sim = simulate(
        [f"S{j:03d}" for j in range(items)],
        candidates=candidates,
        seed=seed,
        model="2pl",
        miskey_rate=0.0,
        dead_rate=0.0,
        omit_rate=0.0,
    )
    a = np.array([i.discrimination for i in sim.items])
    b = np.array([i.difficulty for i in sim.items])
    return sim.responses == sim.key[None, :], a, b


def test_2pl_recovers_the_generating_parameters() -> None:
    x, a, b = _simulated(60, 3000, seed=3)
    fit = twopl(x)
    assert fit.converged
    assert np.corrcoef(b, fit.difficulty)[0, 1] >= 0.99
    assert np.corrcoef(a, fit.discrimination)[0, 1] >= 0.9
    # the scale is the candidates' (N(0, 1), as generated), so the values themselves agree
    assert np.sqrt(np.mean((fit.difficulty - b) ** 2)) < 0.12
    assert np.sqrt(np.mean((fit.discrimination - a) ** 2)) < 0.12
    # standard errors: the estimates miss the truth by about one SE, not far more or less
    for est, true, se in ((fit.difficulty, b, fit.se_difficulty), (fit.discrimination, a, fit.se_discrimination)):
        z = (est - true) / se
        assert 0.7 < z.std() < 1.4, z.std()


def test_2pl_beats_a_single_slope_where_slopes_differ() -> None:
    """Items with steep and flat slopes: the estimates tell them apart (a Rasch model cannot)."""
    x, a, _ = _simulated(40, 2000, seed=8)
    fit = twopl(x)
    steep, flat = a > np.median(a), a <= np.median(a)
    assert fit.discrimination[steep].mean() > fit.discrimination[flat].mean() + 0.15


def test_2pl_leaves_out_items_everyone_or_no_one_answered_right() -> None:
    x, _, _ = _simulated(10, 500, seed=1)
    x = x.copy()
    x[:, 0], x[:, 1] = True, False
    fit = twopl(x)
    assert np.isnan(fit.discrimination[:2]).all() and np.isnan(fit.difficulty[:2]).all()
    assert np.isfinite(fit.discrimination[2:]).all() and np.isfinite(fit.se_difficulty[2:]).all()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("twopl")
    generate_bank(root / "bank", 30, seed=4)
    ids, keys = bank_items(root / "bank")
    write(simulate(ids, keys, candidates=400, seed=6, model="2pl", miskey_rate=0.0), root / "responses.csv")
    return root


@pytest.mark.parametrize("on", [False, True])
def test_the_stats_file_has_2pl_estimates_when_asked(project: Path, on: bool) -> None:
    table = "[tool.cmas-bank.analyze]\ntwo-pl = true\n" if on else ""
    (project / "pyproject.toml").write_text(f'[tool.cmas-bank]\nbank = "bank"\n{table}', encoding="utf-8")
    ran = cli("analyze", "responses.csv", "--out", "stats/s.yaml", cwd=project)
    assert ran.returncode in (0, 1), ran.stderr
    items = yaml_load((project / "stats" / "s.yaml").read_text())["forms"][0]["items"]
    assert all(("two_pl" in item) == on for item in items.values())
    if on:
        truth = yaml_load((project / "responses.truth.json").read_text())["items"]
        b = [t["difficulty"] for t in truth]
        est = [items[t["id"]]["two_pl"]["difficulty"] for t in truth]
        assert np.corrcoef(b, est)[0, 1] > 0.95
        assert all(items[t["id"]]["two_pl"]["se_discrimination"] > 0 for t in truth)


def test_two_pl_must_be_true_or_false(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.cmas-bank]\nbank = "bank"\n[tool.cmas-bank.analyze]\ntwo-pl = "yes"\n', encoding="utf-8"
    )
    ran = cli("analyze", "responses.csv", cwd=project)
    assert ran.returncode == 2 and "two-pl must be true or false, not 'yes'" in ran.stderr
