"""Time `cmas-bank analyze` on simulated responses: reading the CSV, classical statistics, Rasch,
flags and the stats document, with the peak memory of the process.

    python bench/analyze_bench.py --candidates 100000 --items 230 --seed 7

The responses (wide CSV) are written by `simulate_responses.py` into bench/out/ first (not timed);
the bank is made of in-memory items with the simulated ids and keys, so only the analysis is timed.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.simulate_responses import LETTERS, simulate, write
from cmas_bank.analyze.output import document, to_yaml
from cmas_bank.analyze.run import analyze
from cmas_bank.analyze.settings import AnalyzeSettings
from cmas_bank.bankitem import BankItem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=230)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    out = Path(__file__).resolve().parent / "out" / f"responses-{args.candidates}x{args.items}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    ids = [f"SIM-{j + 1:04d}" for j in range(args.items)]
    sim = simulate(ids, candidates=args.candidates, seed=args.seed, model="2pl")
    write(sim, out)
    bank = [
        BankItem(
            path=i.id,
            display=i.id,
            id=i.id,
            valid=True,
            options={x: f"option {x} of {i.id}" for x in LETTERS},
            answer=i.key,
        )
        for i in sim.items
    ]
    del sim
    start = time.perf_counter()
    result = analyze([out], bank, AnalyzeSettings())
    text = to_yaml(document(result, "bench", "2026-01-01"))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"analyze {args.candidates:,} candidates x {args.items} items ({out.stat().st_size / 1e6:.0f} MB CSV): "
        f"{seconds:.1f} s, peak RSS {peak:.0f} MiB, {len(result.flags)} flags, stats file {len(text) / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
