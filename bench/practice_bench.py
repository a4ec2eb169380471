"""Size and opening time of a full-length practice exam (`cmas-bank export --format html`).

    python bench/practice_bench.py [--items 230] [--runs 5]

Takes `--items` approved items of the shipped bank (a seeded choice, as a 230-item delivered
form of 200 scored and 30 pretest items), writes the practice file, and opens it from file:// in
headless Chromium (Debian's `chromium` through Playwright, as the browser tests do). Reports the
file size, the time from navigation to the load event (the page's own Navigation Timing, and
as Playwright sees it), the time until the exam is on screen
after pressing Start (navigator of every question built), and the time to submit and draw the
results with the review of every question: medians over `--runs` fresh browser contexts. These
are measurements, not tests.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cmas_bank.export.practice import practice_bytes
from cmas_bank.outline import load_outline
from cmas_bank.validate import validate_paths


def build(n: int, folder: Path) -> Path:
    outline = load_outline("cmas-2020")
    items = [i for i in validate_paths([ROOT / "bank"], outline).items if i.status == "approved"]
    if len(items) < n:
        raise SystemExit(f"the shipped bank has {len(items)} approved items, fewer than {n}")
    form = random.Random(7).sample(sorted(items, key=lambda i: i.id), n)
    path = folder / "practice.html"
    path.write_bytes(practice_bytes(form, outline, "exam", seed=7))
    return path


def measure(path: Path, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("no `chromium` on PATH (apt-get install chromium)")
    times: dict[str, list[float]] = {"page": [], "load": [], "start": [], "results": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            t0 = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_selector("#begin", state="visible")
            times["load"].append(time.perf_counter() - t0)
            nav = "performance.getEntriesByType('navigation')[0].loadEventEnd"
            times["page"].append(page.evaluate(nav) / 1000)
            t1 = time.perf_counter()
            page.click("#begin")
            page.wait_for_selector("#nav-list li:last-child button", state="visible")
            times["start"].append(time.perf_counter() - t1)
            page.click("#finish")
            t2 = time.perf_counter()
            page.click("#confirm-yes")
            page.wait_for_selector("#review-list > li:last-child", state="attached")
            times["results"].append(time.perf_counter() - t2)
            context.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=230)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = build(args.items, Path(tmp))
        size = path.stat().st_size
        times = measure(path, args.runs)
    print(f"practice exam, {args.items} items: {size:,} bytes ({size / 1024:.0f} KiB)")
    for name, label in (
        ("page", "load event, the page's own clock"),
        ("load", "open to Start shown, from Playwright"),
        ("start", "Start to exam shown"),
        ("results", "submit to results"),
    ):
        values = times[name]
        print(f"  {label}: median {statistics.median(values) * 1000:.0f} ms (max {max(values) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
