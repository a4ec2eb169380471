"""`cmas-bank report` draws an item-statistics section from the stats file `analyze --out` wrote:
flagged items first, an option chart per item, an item-person map of the Rasch difficulties."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
from clirunner import cli
from conftest import yaml_load
from test_report import Collector

from cmas_bank.report_stats import ability, load_stats, persons


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench.generate import generate_bank
    from bench.simulate_responses import bank_items, simulate, write

    root = tmp_path_factory.mktemp("report-stats")
    generate_bank(root / "bank", 30, seed=4)
    (root / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "bank"\n')
    ids, keys = bank_items(root / "bank")
    sim = simulate(ids, keys, candidates=300, seed=8, miskey_rate=0.1, dead_rate=0.2)
    write(sim, root / "responses.csv")
    ran = cli(
        "analyze",
        "responses.csv",
        "--out",
        "stats/2026-spring.yaml",
        "--date",
        "2026-05-01",
        "--administration",
        "2026-spring",
        cwd=root,
    )
    assert ran.returncode == 1 and (root / "stats/2026-spring.yaml").is_file(), ran.stderr
    return root


def _report(root: Path, *args: str) -> tuple[int, str, str]:
    ran = cli("report", "--out", "r.html", *args, cwd=root)
    page = (root / "r.html").read_text() if ran.returncode == 0 else ""
    return ran.returncode, page, ran.stderr


def _section(page: str) -> str:
    start = page.index('<section class="stats">')
    return page[start : page.index("</section>", start)]


def test_report_has_item_statistics_from_the_newest_stats_file(project: Path) -> None:
    code, page, err = _report(project)
    assert code == 0, err
    parser = Collector()
    parser.feed(page)
    parser.close()
    assert parser.open == [] and parser.urls == [] and "<script" not in page
    doc = yaml_load((project / "stats/2026-spring.yaml").read_text())
    items = doc["forms"][0]["items"]
    section = _section(page)
    assert "Item statistics: 2026-spring" in section and "300 candidates on 2026-05-01" in section
    assert "<code>stats/2026-spring.yaml</code>" in section  # named from the project, so pages compare
    # the item table lists flagged items first, every item once
    table = section[section.index("<h3>Items, flagged first</h3>") : section.index("<h3>Item-person map</h3>")]
    order = re.findall(r"<tr(?: class=\"flagged\")?><td><code>([^<]+)</code>", table)
    assert sorted(order) == sorted(items)
    flagged = [bool(items[i]["flags"]) for i in order]
    assert any(flagged) and flagged == sorted(flagged, reverse=True)
    for item_id in order:  # each flagged row shows its codes
        row = table[table.index(f"<code>{item_id}</code>") :].split("</tr>", 1)[0]
        assert re.findall(r"<code class=\"flagcode\"[^>]*>(IA\d+)</code>", row) == items[item_id]["flags"]
    # one option chart per item, flagged ones open, the key's bar as wide as its share
    charts = re.findall(r"<details class=\"opt\"( open)?><summary><code>([^<]+)</code>", section)
    assert [i for _, i in charts] == order
    assert all(bool(is_open) == bool(items[i]["flags"]) for is_open, i in charts)
    first = order[0]
    chart = section[section.index(f"<summary><code>{first}</code>") :].split("</details>", 1)[0]
    key = items[first]["key"]
    width = float(re.search(r'class="fill key" style="width:([\d.]+)%"', chart)[1])  # type: ignore[index]
    assert width == pytest.approx(100 * items[first]["options"][key]["share"], abs=0.051)
    assert chart.count('<div class="fill ') == 5  # A-D and omitted


def test_item_person_map_places_every_item_and_candidate(project: Path) -> None:
    _, page, _ = _report(project)
    section = _section(page)
    doc = yaml_load((project / "stats/2026-spring.yaml").read_text())
    form = doc["forms"][0]
    the_map = section[
        section.index("<table class=map>") : section.index("</table>", section.index("<table class=map>"))
    ]
    rows = the_map.split("<tr>")[2:]
    calibrated = {i: d["rasch"]["difficulty"] for i, d in form["items"].items() if d["rasch"]["difficulty"] is not None}
    assert calibrated
    for row in rows:  # each item sits in the row of its difficulty
        low = float(re.search(r"<td class=axis>([+-][\d.]+)</td>", row)[1])  # type: ignore[index]
        for item_id in re.findall(r"<code class=\"(?:short)?\">([^<]+)</code>", row):
            assert low <= calibrated.pop(item_id) < low + 0.5
    assert calibrated == {}
    counts = [int(n) for n in re.findall(r"<td class=num><small>(\d+)</small></td>", the_map)]
    widths = [float(w) for w in re.findall(r'<td class=persons>.*?style="width:([\d.]+)%"', the_map)]
    assert len(widths) == len(counts) and max(widths) == 100.0  # bars drawn to the fullest row's scale
    assert widths == pytest.approx([100 * n / max(counts) for n in counts], abs=0.051)
    placed = sum(counts)
    people, below, above = persons(form)
    assert placed == sum(n for _, n in people) and placed + below + above == 300


def test_ability_is_the_score_whose_expectation_it_gives() -> None:
    difficulties = [-1.5, -0.4, 0.0, 0.3, 1.1, 2.0]
    thetas = [ability(s, difficulties) for s in range(1, 6)]
    for score, theta in zip(range(1, 6), thetas, strict=True):
        expected = sum(1 / (1 + math.exp(b - theta)) for b in difficulties)
        assert expected == pytest.approx(score, abs=1e-6)
    assert thetas == sorted(thetas)


def test_stats_file_is_chosen_by_date_or_named(project: Path, tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(project, root, ignore=shutil.ignore_patterns(".cmas-bank-cache"))
    text = (root / "stats/2026-spring.yaml").read_text()
    (root / "stats/2025-fall.yaml").write_text(
        text.replace("administration: 2026-spring", "administration: 2025-fall").replace(
            "date: '2026-05-01'", "date: '2025-11-01'"
        )
    )
    assert "Item statistics: 2026-spring" in _report(root)[1]  # the newest date, not the last name
    assert "Item statistics: 2025-fall" in _report(root, "--stats", "stats/2025-fall.yaml")[1]
    shutil.rmtree(root / "stats")
    code, page, _ = _report(root)
    assert code == 0 and "Item statistics" not in page and "report_stats" not in page


def test_bad_stats_files_are_clear_errors_and_text_is_escaped(project: Path, tmp_path: Path) -> None:
    good = (project / "stats/2026-spring.yaml").read_text()
    cases = {
        "broken.yaml": ("forms: [\n", "broken.yaml:2: not a readable stats file"),
        "other.yaml": ("format: something/2\nforms: []\n", "format is 'something/2', not 'cmas-bank-stats/1'"),
        "typed.yaml": (re.sub(r"(?m)^(\s+p:) [\d.]+$", r"\1 high", good, count=1), ".p: 'high' is not a number"),
        "far.yaml": (
            re.sub(r"(?m)^(\s+difficulty:) [-\d.]+$", r"\1 1.0e+300", good, count=1),
            ".rasch.difficulty: 1e+300 is outside -50..50 logits",
        ),
        "inf.yaml": (re.sub(r"(?m)^(\s+sd:) [\d.]+$", r"\1 .inf", good, count=1), "test.sd: inf is not a number"),
        "bomb.yaml": (
            "format: cmas-bank-stats/1\na: &a [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n"
            + "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True))
            + "forms: [*h]\n",
            "(YAML aliases?): refused",
        ),
    }
    for name, (text, message) in cases.items():
        (tmp_path / name).write_text(text)
        code, _, err = _report(project, "--stats", str(tmp_path / name))
        assert code == 2 and message in err and "Traceback" not in err, (name, err)
    hostile = good.replace("administration: 2026-spring", "administration: <script>alert(1)</script>")
    (tmp_path / "x.yaml").write_text(hostile)
    assert load_stats(tmp_path / "x.yaml")["administration"].startswith("<script>")
    code, page, _ = _report(project, "--stats", str(tmp_path / "x.yaml"))
    assert code == 0 and "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
