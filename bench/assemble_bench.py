"""Time `cmas-bank assemble` on generated banks: reading the bank, building the model, solving.

    python bench/assemble_bench.py                          # 1,000 and 10,000 items
    python bench/assemble_bench.py --sizes 2000 --forms 2   # a quick run
    python bench/assemble_bench.py --sizes 100000 --forms 10 --time-limit 240

Banks come from `generate.py` (seeded; 85 % approved, 10 % review, 5 % draft, planted duplicates
that dedupe clusters) into `bench/out/assemble-<n>-<seed>/` and are reused when present. For each
size the bank is read once through the engine (cold, then warm from its cache), then each
scenario (forms, max-overlap) is assembled in this process: the strategy HiGHS was given, its
model status and proven gap, the seconds, and the process's peak memory so far. The issue's
targets (two forms from the shipped bank under 2 s, four from 10,000 under 30 s, ten from 100,000
under 5 minutes and 2 GiB) are printed beside the results; these are measurements, not tests.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from generate import generate_bank

from cmas_bank.assemble import Infeasible, assemble
from cmas_bank.assemble.pool import read_pool
from cmas_bank.assemble.settings import AssembleSettings
from cmas_bank.config import Config
from cmas_bank.outline import load_outline

OUT = HERE / "out"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bank_for(n: int, seed: int) -> Path:
    folder = OUT / f"assemble-{n}-{seed}"
    bank = folder / "bank"
    if not bank.is_dir():
        start = time.perf_counter()
        generate_bank(bank, n, seed)
        print(f"generated {n:,} items in {time.perf_counter() - start:.1f} s", flush=True)
    return folder


def scenario(pool, outline, forms: int, overlap: int | None, time_limit: float, seed: int) -> str:
    settings = AssembleSettings.model_validate(
        {"forms": forms, "max-overlap": overlap, "time-limit": time_limit, "seed": seed, "pretest": 30}
    )
    start, cpu = time.perf_counter(), time.process_time()
    try:
        built = assemble(settings, outline, pool)
    except Infeasible as exc:
        took = time.perf_counter() - start
        return f"infeasible in {took:.2f} s: {exc.reasons[0]}"
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    f = built.forms[0]
    gaps = max(form.solver.mip_gap for form in built.forms)
    statuses = ",".join(sorted({form.status for form in built.forms}))
    pretest = sum(form.pretest for form in built.forms)
    return (
        f"{took:7.2f} s (CPU {cpu:6.2f} s)  {f.solver.strategy:<12} {statuses:<18} HiGHS {f.solver.model_status:<20} "
        f"max gap {gaps:.4%}  pretest {pretest}  peak {peak_mib():,.0f} MiB"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--forms", default="1,2,4", help="forms per scenario, comma separated")
    parser.add_argument("--overlaps", default="none,40", help="max-overlap values ('none': no limit)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args(argv)
    outline = load_outline("cmas-2020")
    print(f"Python {platform.python_version()}, {platform.machine()}, {platform.system()}")
    for n in (int(s) for s in args.sizes.split(",")):
        folder = bank_for(n, args.seed)
        config = Config(root=folder, bank=folder / "bank", outline="cmas-2020")
        for label in ("cold", "warm"):
            start, cpu = time.perf_counter(), time.process_time()
            pool = read_pool(config, outline, use_cache=True)
            took, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(f"{n:>7,} items: bank read ({label}) in {took:.1f} s (CPU {cpu:.1f} s in this process)", flush=True)
        eligible = sum(1 for p in pool.items.values() if p.status == "approved")
        print(f"         {eligible:,} approved, {len(pool.groups)} duplicate clusters or enemy pairs")
        for forms in (int(s) for s in args.forms.split(",")):
            for raw in args.overlaps.split(","):
                overlap = None if raw == "none" else int(raw)
                if forms == 1 and overlap is not None:
                    continue
                result = scenario(pool, outline, forms, overlap, args.time_limit, args.seed)
                print(f"         forms {forms:>2} overlap {raw:>4}: {result}", flush=True)


if __name__ == "__main__":
    main()
