"""Seeded candidate responses from a Rasch or 2PL model, with planted miskeys and dead
distractors, and a ground-truth file: the input `cmas-bank analyze` is tested and timed on.

    python bench/simulate_responses.py OUT.csv --bank bank --candidates 2000 --seed 7
    python bench/simulate_responses.py OUT.csv --items 230 --candidates 100000 --model 2pl

With `--bank`, the items are the bank's valid items (ids and keys read from their files); without
it, `--items` synthetic ids `SIM-0001`... with random keys. Writes OUT.csv (wide layout: a
`candidate` column, then a column per item id, letters A-D, empty for an omission) and
OUT.truth.json: per item its key as the bank records it, the option that is really right (they
differ on a planted miskey), the generating difficulty (and discrimination), and the planted dead
distractors.

The model: ability `theta ~ N(0, 1)`, difficulty `b ~ N(0, 1)`, 2PL discrimination
`a ~ lognormal(0, 0.25)`; a candidate answers right with probability `1 / (1 + exp(-a (theta - b)))`
(a = 1 under Rasch), omits with probability `omit_rate` (scored wrong), and otherwise picks a
distractor in proportion to its attractiveness (uniform 1..3; 0.03 for a planted dead distractor,
which draws well under 5 % of the candidates). A planted miskey records a distractor as the key:
the real right answer is then a "distractor" the strongest candidates choose.
"""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

LETTERS = "ABCD"
OMIT = 4


@dataclass
class SimItem:
    id: str
    key: str  # what the bank says
    right: str  # what the model makes right
    difficulty: float
    discrimination: float
    miskey: bool
    dead: list[str]


@dataclass
class Simulation:
    items: list[SimItem]
    responses: np.ndarray  # (candidates, items) uint8 codes: 0..3 = A..D, 4 = omitted
    abilities: np.ndarray

    @property
    def key(self) -> np.ndarray:
        return np.array([LETTERS.index(i.key) for i in self.items], dtype=np.uint8)


def simulate(
    ids: list[str],
    keys: list[str] | None = None,
    *,
    candidates: int = 2000,
    seed: int = 7,
    model: str = "rasch",
    miskey_rate: float = 0.05,
    dead_rate: float = 0.10,
    omit_rate: float = 0.01,
) -> Simulation:
    """Responses of `candidates` simulated candidates to the items `ids` (keys drawn at random
    unless given); see the module's docstring for the model."""
    rng = np.random.default_rng(seed)
    k = len(ids)
    keys = list(keys) if keys is not None else [LETTERS[j] for j in rng.integers(0, 4, k)]
    b = rng.normal(0.0, 1.0, k)
    a = rng.lognormal(0.0, 0.25, k) if model == "2pl" else np.ones(k)
    theta = rng.normal(0.0, 1.0, candidates)
    miskeyed = rng.random(k) < miskey_rate
    dead_item = rng.random(k) < dead_rate
    right = np.array([LETTERS.index(x) for x in keys])
    items: list[SimItem] = []
    weights = rng.uniform(1.0, 3.0, (k, 4))
    for j in range(k):
        wrong_options = [o for o in range(4) if o != right[j]]
        if miskeyed[j]:
            right[j] = rng.choice(wrong_options)  # the bank's key stays: it is now wrong
        distractors = [o for o in range(4) if o != right[j]]
        dead = [int(rng.choice(distractors))] if dead_item[j] else []
        weights[j, right[j]] = 0.0
        for o in dead:
            weights[j, o] = 0.03
        items.append(
            SimItem(
                ids[j],
                keys[j],
                LETTERS[right[j]],
                float(b[j]),
                float(a[j]),
                bool(miskeyed[j]),
                [LETTERS[o] for o in dead],
            )
        )
    responses = np.empty((candidates, k), dtype=np.uint8)
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    for start in range(0, candidates, 10_000):  # in blocks: 100,000 x 230 in little memory
        t = theta[start : start + 10_000]
        prob = 1.0 / (1.0 + np.exp(-a[None, :] * (t[:, None] - b[None, :])))
        u = rng.random(prob.shape)
        pick = (rng.random(prob.shape)[:, :, None] > cumulative[None, :, :]).sum(axis=2).astype(np.uint8)
        block = np.where(u < prob, right[None, :].astype(np.uint8), np.minimum(pick, 3))
        block[rng.random(prob.shape) < omit_rate] = OMIT
        responses[start : start + 10_000] = block
    return Simulation(items, responses, theta)


def write(sim: Simulation, out: Path) -> Path:
    """The wide CSV at `out` and the ground truth beside it (`OUT.truth.json`); returns the latter."""
    cells = np.array([*LETTERS, ""], dtype=object)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["candidate", *(i.id for i in sim.items)])
        for n, row in enumerate(sim.responses):
            w.writerow([f"C{n + 1:06d}", *cells[row]])
    truth = out.with_suffix(".truth.json")
    doc = {"candidates": len(sim.responses), "items": [asdict(i) for i in sim.items]}
    truth.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return truth


def bank_items(folder: Path) -> tuple[list[str], list[str]]:
    """Ids and keys of the item files under `folder` that have both."""
    import yaml

    found = []
    for path in sorted(folder.rglob("*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("id"), str) and data.get("answer") in tuple(LETTERS):
            found.append((data["id"], data["answer"]))
    return [i for i, _ in found], [k for _, k in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--bank", type=Path)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--model", choices=("rasch", "2pl"), default="rasch")
    parser.add_argument("--miskey-rate", type=float, default=0.05)
    parser.add_argument("--dead-rate", type=float, default=0.10)
    args = parser.parse_args()
    ids, keys = bank_items(args.bank) if args.bank else ([f"SIM-{j + 1:04d}" for j in range(args.items)], None)
    sim = simulate(
        ids,
        keys,
        candidates=args.candidates,
        seed=args.seed,
        model=args.model,
        miskey_rate=args.miskey_rate,
        dead_rate=args.dead_rate,
    )
    truth = write(sim, args.out)
    print(f"wrote {args.out} ({args.candidates} candidates x {len(ids)} items) and {truth}")


if __name__ == "__main__":
    main()
