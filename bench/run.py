"""Time every command on synthetic banks of 1,000 / 10,000 / 100,000 items.

    python bench/run.py                       # all three sizes
    python bench/run.py --sizes 1000 10000    # a quicker run
    python bench/run.py --no-jsonschema       # skip the check-jsonschema comparison
    python bench/run.py --sizes 10000 --exports anki blackboard   # those exports alone, cold
    python bench/run.py --sizes 10000 --imports               # export n items to each format, time `import`
    python bench/run.py --bank DIR --exports qti21 moodle     # an existing bank folder, left untouched

Banks are generated (seeded) by `bench/generate.py` into `bench/out/bank-<n>/` and reused when
present; `--bank DIR` times an existing bank folder instead (its `bank/`), from a project and a
cache in a temporary folder, so nothing is written into DIR (a read-only or shared bank). Each command runs as a real subprocess; wall time and the child's peak RSS come from
`os.wait4`. `check` runs cold (no cache), warm (all cached) and after editing one item's rationale (which
no bank-wide stage reads), difficulty (coverage alone) or stem (dedupe and the cross-item cue rule);
each re-check is the median of three runs.
check-jsonschema (schema only, the reference point of issue 6) runs on the same files, in batches
that fit the argument list. Figures are printed as a markdown table and written to
`bench/out/results.md`. This is a benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))


@dataclass
class Timing:
    seconds: float
    peak_mib: float
    code: int
    cpu: float = 0.0  # user + system seconds of the command and the children it waited for


# Set by --bank: the cache folder every command uses (CMAS_BANK_CACHE_DIR), outside the bank.
CACHE: Path | None = None


def run(cmd: list[str], cwd: Path) -> Timing:
    start = time.perf_counter()
    env = None if CACHE is None else {**os.environ, "CMAS_BANK_CACHE_DIR": str(CACHE)}
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Timing(time.perf_counter() - start, usage.ru_maxrss / 1024, proc.returncode, cpu)


REPEAT = 3


def median(timings: list[Timing]) -> Timing:
    return sorted(timings, key=lambda t: t.seconds)[len(timings) // 2]


def batches(files: list[str], limit: int = 100_000) -> list[list[str]]:
    """Split a file list so each command line stays well under ARG_MAX."""
    out: list[list[str]] = [[]]
    size = 0
    for f in files:
        if size + len(f) + 1 > limit and out[-1]:
            out.append([])
            size = 0
        out[-1].append(f)
        size += len(f) + 1
    return out


def run_batched(cmd: list[str], files: list[str], cwd: Path) -> Timing:
    total, peak, code = 0.0, 0.0, 0
    for chunk in batches(files):
        t = run(cmd + chunk, cwd)
        total, peak, code = total + t.seconds, max(peak, t.peak_mib), max(code, t.code)
    return Timing(total, peak, code)


# An item writer's kinds of edit: one no bank-wide check reads (the rationale), one only coverage
# reads (the difficulty), and one most of them read (the stem: dedupe and the cross-item cue rule).
EDITS = (
    ("check (1 rationale edited)", ((b"rationale: |-\n  ", b"rationale: |-\n  Note that "),)),
    (
        "check (1 difficulty edited)",
        tuple(
            (b"\ndifficulty: " + a, b"\ndifficulty: " + b)
            for a, b in ((b"easy", b"hard"), (b"medium", b"easy"), (b"hard", b"medium"))
        ),
    ),
    ("check (1 stem edited)", ((b"stem: |-\n  ", b"stem: |-\n  This week, "),)),
)


def edit(source: bytes, replacements: tuple[tuple[bytes, bytes], ...]) -> bytes:
    """`source` with the first of `replacements` (old, new) whose old bytes it holds made."""
    for old, new in replacements:
        if old in source:
            return source.replace(old, new, 1)
    raise SystemExit(f"the generated item holds none of {[old for old, _ in replacements]!r}")


def project(n: int, seed: int) -> Path:
    """bench/out/bank-<n>/ with a pyproject.toml and a bank/ of n generated items."""
    import generate

    folder = OUT / f"bank-{n}"
    stamp = folder / ".generated"
    version = f"{n} {seed} {getattr(generate, 'GENERATOR_VERSION', 1)}"
    if stamp.exists() and stamp.read_text() == version:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "bank").mkdir(parents=True)
    start = time.perf_counter()
    generate.generate_bank(folder / "bank", n, seed=seed)
    (folder / "pyproject.toml").write_text(
        '[tool.cmas-bank]\nbank = "bank"\noutline = "cmas-2020"\n\n[tool.cmas-bank.coverage]\nmin-multiplier = 1.0\n'
    )
    stamp.write_text(version)
    print(f"generated {n:,} items in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return folder


EXPORTS = ("json", "qti21", "qti30", "csv", "xlsx", "html", "moodle", "gift", "aiken", "canvas", "blackboard", "anki")
# `import FORMAT FILE`, with the export format that writes FILE
IMPORTS = (
    ("csv", "csv"),
    ("xlsx", "xlsx"),
    ("qti", "qti21"),
    ("qti", "qti30"),
    ("qti", "canvas"),
    ("moodle", "moodle"),
    ("gift", "gift"),
)


def external(bank: Path) -> Path:
    """A project in a temporary folder that reads `bank/bank` (absolute), with its cache beside it."""
    global CACHE
    folder = Path(tempfile.mkdtemp(prefix="cmas-bank-bench-"))
    (folder / "pyproject.toml").write_text(
        f'[tool.cmas-bank]\nbank = "{(bank / "bank").resolve()}"\noutline = "cmas-2020"\n'
        "\n[tool.cmas-bank.coverage]\nmin-multiplier = 1.0\n"
    )
    CACHE = folder / "cache"
    return folder


def cold(folder: Path) -> None:
    """Remove the cache the commands use, so the next one runs cold."""
    shutil.rmtree(CACHE if CACHE is not None else folder / ".cmas-bank-cache", ignore_errors=True)


def bench_exports(folder: Path, n: int, formats: list[str], warm: bool = False) -> dict[str, Timing]:
    """`export --format F` alone for each format, cold (cache removed first), or with `warm`
    from the cache one `check` filled (so the rows compare the formats' own work). Exports are
    written to bench/out/ and removed afterwards; the last row is `qti21` again when it came
    first, to show how far the machine's load moved during the run. CPU time (user + system) is
    printed beside wall time: on a shared machine it is the steadier figure."""
    results: dict[str, Timing] = {}
    if warm:
        cold(folder)
        run([sys.executable, "-m", "cmas_bank", "check", "--no-progress"], folder)
    for fmt in formats:
        if not warm:
            cold(folder)
        out = OUT / f"export-{n}.{fmt}"
        timing = run([sys.executable, "-m", "cmas_bank", "export", "--format", fmt, "--out", str(out)], folder)
        results[f"export {fmt}" if f"export {fmt}" not in results else f"export {fmt} (again)"] = timing
        out.unlink(missing_ok=True)
        print(
            f"  {n:>7,} export {fmt:<15} {timing.seconds:7.2f} s, CPU {timing.cpu:7.2f} s, {timing.peak_mib:.0f} MiB",
            file=sys.stderr,
        )
    if "export qti21" in results:
        base = results["export qti21"]
        for name, t in results.items():
            print(
                f"  {name:<24} {t.seconds / base.seconds:5.2f} x qti21 wall, {t.cpu / max(base.cpu, 1e-9):5.2f} x CPU, "
                f"{t.peak_mib:6.0f} MiB",
                file=sys.stderr,
            )
    return results


def bench_imports(folder: Path, n: int) -> dict[str, Timing]:
    """Every item (all statuses) exported to each importable format, then `import FORMAT FILE
    --out DIR` timed into an empty temporary folder (the export is not timed)."""
    results: dict[str, Timing] = {}
    cli = [sys.executable, "-m", "cmas_bank"]
    statuses = ["--status", "draft,review,approved,retired"]
    for command, fmt in IMPORTS:
        source = OUT / f"import-{n}.{fmt}"
        made = run([*cli, "export", "--format", fmt, "--out", str(source), *statuses], folder)
        if made.code != 0:
            raise SystemExit(f"export --format {fmt} failed (exit {made.code})")
        with tempfile.TemporaryDirectory(prefix="cmas-bank-import-") as target:
            name = f"import {command} ({fmt})" if command != fmt else f"import {command}"
            results[name] = run([*cli, "import", command, str(source), "--out", target], folder)
        source.unlink(missing_ok=True)
        t = results[name]
        print(f"  {n:>7,} {name:<24} {t.seconds:7.2f} s, {t.peak_mib:.0f} MiB, exit {t.code}", file=sys.stderr)
    return results


def bench_size(n: int, seed: int, jsonschema: bool, only_check: bool = False) -> dict[str, Timing]:
    folder = project(n, seed)
    cli = [sys.executable, "-m", "cmas_bank"]
    results: dict[str, Timing] = {}
    # Every command reads the bank through the engine and its cache: each is timed cold (the
    # cache removed first), as on a fresh clone, with the file-by-file result cache it fills.
    commands: list[tuple[str, list[str]]] = [(name, [name]) for name in ("validate", "lint", "dedupe", "coverage")]
    commands.append(("report", ["report", "--out", str(OUT / f"report-{n}.html")]))
    for fmt in EXPORTS:
        commands.append((f"export {fmt}", ["export", "--format", fmt, "--out", str(OUT / f"export-{n}.{fmt}")]))
    for name, args in () if only_check else commands:
        shutil.rmtree(folder / ".cmas-bank-cache", ignore_errors=True)
        results[name] = run(cli + args, folder)
        print(f"  {n:>7,} {name:<22} {results[name].seconds:7.2f} s", file=sys.stderr)
    if not only_check:
        # The pre-commit case: one item file, warm (validated once before).
        one = str(min((folder / "bank").rglob("*.yaml")).relative_to(folder))
        run(cli + ["validate", one], folder)
        results["validate ONE_FILE (warm)"] = median([run(cli + ["validate", one], folder) for _ in range(REPEAT)])
        shutil.rmtree(folder / ".cmas-bank-cache", ignore_errors=True)
        results["validate ONE_FILE (cold)"] = run(cli + ["validate", one], folder)
    shutil.rmtree(folder / ".cmas-bank-cache", ignore_errors=True)
    results["check (cold)"] = run(cli + ["check", "--no-progress"], folder)
    # Re-checks take a second or less, where other work on the machine shows most: each is
    # timed REPEAT times and the median kept.
    results["check (warm)"] = median([run(cli + ["check", "--no-progress"], folder) for _ in range(REPEAT)])
    edited = sorted((folder / "bank").rglob("*.yaml"))[n // 2]
    original = edited.read_bytes()
    for name, replacements in EDITS:
        timings = []
        for _ in range(REPEAT):
            try:
                edited.write_bytes(edit(original, replacements))
                timings.append(run(cli + ["check", "--no-progress"], folder))
            finally:
                edited.write_bytes(original)
            run(cli + ["check", "--no-progress"], folder)  # back to the bank as generated
        results[name] = median(timings)
    for name in ("check (cold)", "check (warm)", *(e[0] for e in EDITS)):
        print(f"  {n:>7,} {name:<30} {results[name].seconds:7.2f} s", file=sys.stderr)
    if jsonschema:
        exe = shutil.which("check-jsonschema")
        if exe is None:
            print("check-jsonschema is not installed (pip install check-jsonschema); skipped", file=sys.stderr)
        else:
            files = [str(p.relative_to(folder)) for p in sorted((folder / "bank").rglob("*.yaml"))]
            schema = str(ROOT / "schemas" / "item.schema.json")
            results["check-jsonschema"] = run_batched([exe, "--schemafile", schema], files, folder)
            print(f"  {n:>7,} {'check-jsonschema':<22} {results['check-jsonschema'].seconds:7.2f} s", file=sys.stderr)
    return results


def table(all_results: dict[int, dict[str, Timing]]) -> str:
    sizes = sorted(all_results)
    names = list(dict.fromkeys(name for r in all_results.values() for name in r))
    head = "| command | " + " | ".join(f"{n:,} items" for n in sizes) + " |"
    rule = "|---|" + "---:|" * len(sizes)
    rows = []
    for name in names:
        cells = []
        for n in sizes:
            t = all_results[n].get(name)
            cells.append(f"{t.seconds:.2f} s (CPU {t.cpu:.2f} s), {t.peak_mib:.0f} MiB" if t else "")
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    ratios = []
    for n in sizes:
        r = all_results[n]
        if "check-jsonschema" in r and "check (cold)" in r:
            ratios.append(f"{r['check (cold)'].seconds / r['check-jsonschema'].seconds:.2f}")
        else:
            ratios.append("")
    if any(ratios):
        rows.append("| check (cold) / check-jsonschema | " + " | ".join(ratios) + " |")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    return "\n".join([f"Machine: {machine}", "", head, rule, *rows]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--no-jsonschema", action="store_true", help="skip check-jsonschema")
    parser.add_argument("--only-check", action="store_true", help="time check alone (cold, warm, after edits)")
    parser.add_argument("--exports", nargs="+", choices=EXPORTS, help="time these exports alone (cold)")
    parser.add_argument("--imports", action="store_true", help="time `import` of every importable format")
    parser.add_argument("--bank", type=Path, help="an existing bank folder (DIR/bank) to time, left untouched")
    parser.add_argument("--warm", action="store_true", help="time --exports from a cache one check filled")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.bank is not None and (args.exports or args.imports):
        folder = external(args.bank)
        n = sum(1 for _ in (args.bank / "bank").rglob("*.yaml"))
        timed = bench_exports(folder, n, args.exports or [], args.warm)
        results = {n: timed | (bench_imports(folder, n) if args.imports else {})}
    elif args.exports or args.imports:
        folders = {n: project(n, args.seed) for n in args.sizes}
        results = {
            n: bench_exports(f, n, args.exports or [], args.warm) | (bench_imports(f, n) if args.imports else {})
            for n, f in folders.items()
        }
    else:
        results = {n: bench_size(n, args.seed, not args.no_jsonschema, args.only_check) for n in args.sizes}
    text = table(results)
    (OUT / "results.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
