"""The practice exam and the HTML report in a real browser: Playwright for Python driving the
system's Chromium (Debian's `chromium` package, found on PATH; Playwright's own browser download
is never used). `.ci/run` installs it; where no `chromium` is on PATH these tests are skipped.

A short form of eight shipped items, one per work area, is taken end to end: every key
(100 % in every area), every distractor (0 %), flags, a reload that keeps answers and time,
the clock running out (Playwright's fake clock), no request beyond the file itself, hostile item
text that stays text, and no horizontal scrolling at 390 px. Screenshots at 1280 and 390 px are
saved in each test's tmp folder for a person to look at."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clirunner import cli
from conftest import BANK, yaml_load

from cmas_bank.export.practice import practice_html
from cmas_bank.outline import Outline
from cmas_bank.validate import validate_paths

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install '.[test]')"
)
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no `chromium` on PATH (apt-get install chromium; .ci/run does this)"
)


def _approved(area: int, count: int = 1) -> list[str]:
    """A work area's first `count` approved items, lowest id first (items in review are exported
    unscored); only the files up to them are read."""
    paths = sorted(BANK.glob(f"0{area}-*/*.yaml"))
    approved = (p.stem for p in paths if yaml_load(p.read_text(encoding="utf-8"))["status"] == "approved")
    return list(itertools.islice(approved, count))


SHORT_FORM = [_approved(area)[0] for area in range(1, 9)]  # one scored question in each work area
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def short_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("form")
    (folder / "ids.txt").write_text("\n".join(SHORT_FORM) + "\n")
    out = folder / "practice.html"
    ran = cli("export", "--format", "html", "--ids", str(folder / "ids.txt"), "--out", str(out))
    assert ran.returncode == 0, ran.stderr
    return out


class Session:
    """One page in a fresh browser context, recording every request and every console error."""

    def __init__(self, browser: Any, width: int = 1280, clock: bool = False) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        if clock:
            self.page.clock.install(time=START)

    def open(self, path: Path) -> Any:
        self.page.goto(path.as_uri())
        return self.page

    def form(self) -> dict[str, Any]:
        return self.page.evaluate("JSON.parse(document.getElementById('form-data').textContent)")

    def quiet(self, path: Path) -> None:
        """Nothing but the file itself was requested, and nothing complained (a CSP violation or
        a script error is logged to the console)."""
        assert set(self.requests) == {path.as_uri()}, self.requests
        assert self.errors == []

    def close(self) -> None:
        self.context.close()


def no_horizontal_scroll(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def answer_all(page: Any, items: list[dict[str, Any]], pick) -> None:
    """Answer each question with the keyboard: letters for even questions, digits for odd ones."""
    for i, q in enumerate(items):
        assert page.inner_text("#qpos") == f"Question {i + 1} of {len(items)}"
        letter = pick(q)
        page.keyboard.press(letter.lower() if i % 2 == 0 else str("ABCD".index(letter) + 1))
        assert page.is_checked(f"#option-{letter}")
        page.keyboard.press("ArrowRight")


def seconds(timer: str) -> int:
    minutes, secs = timer.split(":")
    return int(minutes) * 60 + int(secs)


def area_rows(page: Any) -> dict[str, list[str]]:
    rows = page.locator("#area-table tbody tr")
    return {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())
    }


def test_every_key_scores_100_percent_in_every_area(browser: Any, short_form: Path, tmp_path: Path) -> None:
    s = Session(browser)
    page = s.open(short_form)
    items = s.form()["items"]
    page.screenshot(path=str(tmp_path / "start-1280.png"), full_page=True)
    page.fill("#candidate", "Ann Lee")
    page.click("#begin")
    answer_all(page, items, lambda q: q["key"])
    page.screenshot(path=str(tmp_path / "question-1280.png"), full_page=True)
    page.click("#finish")
    assert page.is_visible("#confirm")
    assert page.inner_text("#confirm-text").startswith("Every question is answered")
    page.click("#confirm-yes")
    assert page.inner_text("#score-line") == "Raw score: 8 of 8 correct (100\u00a0%)"
    rows = area_rows(page)
    assert len(rows) == len({q["area"] for q in items}) == 8
    assert all(cells[3] == "100\u00a0%" for cells in rows.values())
    assert rows["1. Medical Assisting Foundations"] == ["13\u00a0%", "1", "1", "100\u00a0%"]
    assert "scaled score (passing is 70)" in page.inner_text("#scaled-note")
    assert "does not predict" in page.inner_text("#scaled-note")
    review = page.locator("#review-list > li")
    assert review.count() == 8
    first = review.nth(0).inner_text()
    assert items[0]["rationale"].split()[0] in first and items[0]["references"][0] in first
    assert f"Your answer: {items[0]['key']}. Key: {items[0]['key']}." in first
    with page.expect_download() as info:
        page.click("#download")
    rows_csv = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert rows_csv == [["candidate", "item", "response"]] + [["Ann Lee", q["id"], q["key"]] for q in items]
    # the downloaded result is what `cmas-bank analyze` reads (one candidate: too few for statistics)
    saved = tmp_path / "result.csv"
    saved.write_bytes(Path(info.value.path()).read_bytes())
    analysed = cli("analyze", str(saved), "--out", str(tmp_path / "stats.yaml"), "--bank", str(BANK))
    codes = set(re.findall(r" (IA\d{3}) ", analysed.stdout + analysed.stderr))
    assert codes == {"IA301"}, analysed.stdout + analysed.stderr  # read whole: no input finding (IA1xx)
    assert analysed.returncode == 1 and (tmp_path / "stats.yaml").is_file()
    page.screenshot(path=str(tmp_path / "results-1280.png"), full_page=True)
    s.quiet(short_form)
    s.close()


def test_distractors_score_0_percent_and_the_review_filters(browser: Any, short_form: Path) -> None:
    s = Session(browser)
    page = s.open(short_form)
    items = s.form()["items"]
    page.click("#begin")
    for i, q in enumerate(items[:-1]):  # the last question stays unanswered
        wrong = next(k for k in "ABCD" if k != q["key"])
        page.click(f"label:has(#option-{wrong})")
        if i in (1, 4):
            page.click("#flag")
        page.click("#next")
    page.click("#finish")
    assert page.inner_text("#confirm-text").startswith("1 of 8 questions are not answered")
    assert "2 flagged for review" in page.inner_text("#confirm-text")
    assert page.locator("#unanswered-list li").all_inner_texts() == ["Question 8"]
    page.click("#confirm-no")
    assert page.is_visible("#exam") and not page.is_visible("#confirm")
    page.click("#finish")
    page.click("#confirm-yes")
    assert page.inner_text("#score-line") == "Raw score: 0 of 8 correct (0\u00a0%)"
    assert all(cells[3] == "0\u00a0%" for cells in area_rows(page).values())
    page.check("input[name=filter][value=flagged]")
    visible = page.locator("#review-list > li:visible h3")
    assert visible.all_inner_texts() == ["Question 2", "Question 5"]
    page.check("input[name=filter][value=wrong]")
    assert visible.count() == 8
    assert page.locator("#review-list > li:visible .badge.unanswered").count() == 1
    with page.expect_download() as info:
        page.click("#download")
    last = Path(info.value.path()).read_text(encoding="utf-8").splitlines()[-1]
    assert last == f"candidate,{items[-1]['id']},"
    s.quiet(short_form)
    s.close()


def test_flags_answers_and_time_survive_a_reload_and_time_out_submits(browser: Any, short_form: Path) -> None:
    s = Session(browser, clock=True)
    page = s.open(short_form)
    items = s.form()["items"]
    page.click("#begin")
    assert page.inner_text("#timer") == "5:00"  # 120 min x 8/200 items, rounded up
    page.keyboard.press("c")
    page.keyboard.press("f")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("f")
    page.keyboard.press("f")  # flag, then unflag
    assert page.get_attribute("#flag", "aria-pressed") == "false"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("4")
    page.clock.run_for(75_000)
    before = seconds(page.inner_text("#timer"))
    assert 222 <= before <= 225  # 5:00 less 75 s (the fake clock also follows real time)
    page.reload()
    assert page.is_visible("#exam") and page.inner_text("#qpos") == "Question 3 of 8"
    assert before - 3 <= seconds(page.inner_text("#timer")) <= before  # the time is kept, not reset
    assert page.is_checked("#option-D")
    nav = page.locator("#nav-list button")
    assert nav.nth(0).get_attribute("aria-label") == "Question 1, answered, flagged"
    assert nav.nth(1).get_attribute("aria-label") == "Question 2, not answered"
    assert nav.nth(2).get_attribute("aria-label") == "Question 3, answered"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.is_checked("#option-C") and page.get_attribute("#flag", "aria-pressed") == "true"
    page.keyboard.press("b")  # change the answer
    left = seconds(page.inner_text("#timer"))
    page.clock.run_for((left - 3) * 1000)
    assert page.is_visible("#exam") and 1 <= seconds(page.inner_text("#timer")) <= 3
    page.clock.run_for(5_000)
    assert page.is_visible("#results") and not page.is_visible("#exam")
    assert "The time ran out; the exam was submitted automatically." in page.inner_text("#time-line")
    expected = ("B" == items[0]["key"]) + ("D" == items[2]["key"])
    assert page.inner_text("#score-line").startswith(f"Raw score: {expected} of 8 correct")
    page.reload()  # a submitted exam stays submitted
    assert page.is_visible("#results") and not page.is_visible("#timer")
    s.quiet(short_form)
    s.close()


def test_hostile_item_text_is_shown_as_text_and_runs_nothing(browser: Any, outline: Outline, tmp_path: Path) -> None:
    item = next(i for i in validate_paths([BANK / "04-medical-records-management"], outline).items)
    stem = 'Which is right? <img src=x onerror="window.__xss=1"></script><script>window.__xss=2</script>'
    option = "<b>bold</b> & </script>"
    hostile = item.model_copy(update={"stem": stem, "options": item.options.model_copy(update={"A": option})})
    path = tmp_path / "hostile.html"
    path.write_text(practice_html([hostile], outline), encoding="utf-8")
    s = Session(browser)
    page = s.open(path)
    page.click("#begin")
    assert page.inner_text("#stem") == stem
    assert page.inner_text("label:has(#option-A) .text") == option
    page.keyboard.press("a")
    page.click("#finish")
    page.click("#confirm-yes")
    assert stem in page.inner_text("#review-list")
    assert page.evaluate("window.__xss") is None
    assert page.locator("img, b, #review-list script, #stem script").count() == 0
    s.quiet(path)
    s.close()


def test_study_mode_chosen_areas_and_immediate_feedback(browser: Any, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join([*SHORT_FORM, _approved(5, 2)[1]]) + "\n")
    out = tmp_path / "study.html"
    assert cli("export", "--format", "html", "--mode", "study", "--ids", str(ids), "--out", str(out)).returncode == 0
    s = Session(browser, width=390)
    page = s.open(out)
    items = s.form()["items"]
    assert not page.is_visible("#timer")
    boxes = page.locator("#area-list input")
    assert boxes.count() == 8
    for i in range(boxes.count()):
        if boxes.nth(i).get_attribute("value") != "5":
            boxes.nth(i).uncheck()
    page.click("#begin")
    chosen = [q for q in items if q["area"] == 5]
    assert page.inner_text("#qpos") == f"Question 1 of {len(chosen)}" and len(chosen) == 2
    wrong = next(k for k in "ABCD" if k != chosen[0]["key"])
    page.keyboard.press(wrong.lower())
    feedback = page.inner_text("#feedback")
    assert feedback.startswith(f"Not quite: you chose {wrong}; the key is {chosen[0]['key']}.")
    assert chosen[0]["rationale"].split("\n")[0][:40] in feedback.replace("\n", " ")
    assert page.is_disabled("#option-A")  # the first answer counts
    page.screenshot(path=str(tmp_path / "study-390.png"), full_page=True)
    no_horizontal_scroll(page, 390)
    page.keyboard.press("ArrowRight")
    page.keyboard.press(chosen[1]["key"].lower())
    assert page.inner_text("#feedback").startswith(f"Correct: {chosen[1]['key']}.")
    page.click("#finish")
    assert page.inner_text("#score-line") == "Raw score: 1 of 2 correct (50\u00a0%)"
    assert area_rows(page) == {
        "5. Health Care Insurance Processing, Coding, and Billing": ["17\u00a0%", "2", "1", "50\u00a0%"]
    }
    s.quiet(out)
    s.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_practice_exam_fits_the_screen(browser: Any, short_form: Path, tmp_path: Path, width: int) -> None:
    s = Session(browser, width=width)
    page = s.open(short_form)
    no_horizontal_scroll(page, width)
    page.click("#begin")
    no_horizontal_scroll(page, width)
    page.screenshot(path=str(tmp_path / f"question-{width}.png"), full_page=True)
    page.keyboard.press("a")
    page.keyboard.press("f")
    page.click("#finish")
    page.screenshot(path=str(tmp_path / f"confirm-{width}.png"))
    no_horizontal_scroll(page, width)
    page.click("#confirm-yes")
    no_horizontal_scroll(page, width)
    page.screenshot(path=str(tmp_path / f"results-{width}.png"), full_page=True)
    page.keyboard.press("Tab")  # the focus ring is drawn (visible focus)
    outline_style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline_style == "solid"
    s.quiet(short_form)
    s.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_report_fits_the_screen(browser: Any, tmp_path: Path, width: int) -> None:
    out = tmp_path / "report.html"
    ran = cli("report", "--out", str(out))
    assert ran.returncode == 0, ran.stderr
    s = Session(browser, width=width)
    page = s.open(out)
    page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=True)
    no_horizontal_scroll(page, width)
    assert re.search(r"item bank report", page.title())
    s.quiet(out)
    s.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_report_with_item_statistics_fits_the_screen(browser: Any, tmp_path: Path, width: int) -> None:
    from bench.generate import generate_bank
    from bench.simulate_responses import bank_items, simulate, write

    root = tmp_path / "p"
    generate_bank(root / "bank", 25, seed=6)
    (root / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "bank"\n')
    ids, keys = bank_items(root / "bank")
    write(simulate(ids, keys, candidates=200, seed=1, miskey_rate=0.1, dead_rate=0.2), root / "responses.csv")
    assert cli("analyze", "responses.csv", "-o", "stats/a.yaml", cwd=root).returncode == 1
    out = tmp_path / "report.html"
    ran = cli("report", "--out", str(out), cwd=root)
    assert ran.returncode == 0, ran.stderr
    s = Session(browser, width=width)
    page = s.open(out)
    page.screenshot(path=str(tmp_path / f"report-stats-{width}.png"), full_page=True)
    no_horizontal_scroll(page, width)
    assert page.locator("section.stats details.opt").count() == 25
    assert page.locator("section.stats details.opt[open]").count() >= 1
    s.quiet(out)
    s.close()
