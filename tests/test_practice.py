"""The practice exam file without a browser: escaping for the script block, a CSP whose hashes
match the inline script and style, no external references, determinism, seeded order, pretest
items and the exam time from the outline, and the CLI's options. (tests/test_browser.py takes
the same file through a real Chromium.)"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from clirunner import cli

from cmas_bank.errors import UsageError
from cmas_bank.export.practice import (
    content_security_policy,
    duration_minutes,
    form_document,
    practice_html,
    script_json,
)
from cmas_bank.model import Item
from cmas_bank.outline import Outline
from cmas_bank.validate import ValidationResult

HOSTILE = "</script><script>alert(1)</script><!-- <img src=x onerror=alert(2)> & \u2028\u2029 end"


@pytest.fixture(scope="module")
def bank_items(shipped_bank: ValidationResult) -> list[Item]:
    items = [i for i in shipped_bank.items if i.status == "approved"]
    assert len(items) > 200
    return items


def _blocks(page: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", page, re.DOTALL)


def _data(page: str) -> dict:
    (raw,) = re.findall(r'<script type="application/json" id="form-data">(.*?)</script>', page, re.DOTALL)
    return json.loads(raw)


def test_script_json_escapes_everything_that_could_end_or_alter_a_script_block() -> None:
    text = script_json({"stem": HOSTILE})
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert "\\u003c/script\\u003e" in text and "\\u2028" in text
    assert json.loads(text) == {"stem": HOSTILE}  # JSON.parse reads the same characters back


def test_hostile_item_text_stays_inside_the_data_block(bank_items: list[Item], outline: Outline) -> None:
    item = bank_items[0].model_copy(update={"stem": HOSTILE, "rationale": HOSTILE})
    page = practice_html([item], outline)
    assert page.count("</script>") == 2  # the data block's and the program's, nothing from the item
    assert "<img" not in page and "<!--" not in page
    assert _data(page)["items"][0]["stem"] == HOSTILE


def test_csp_allows_exactly_the_inline_script_and_style_and_nothing_external(
    bank_items: list[Item], outline: Outline
) -> None:
    page = practice_html(bank_items[:8], outline)
    (csp,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    scripts = [s for s in _blocks(page, "script") if not s.startswith("{")]
    (style,) = _blocks(page, "style")
    assert len(scripts) == 1
    for name, body in (("script-src", scripts[0]), ("style-src", style)):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{name} 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "img-src 'none'" in csp
    assert "unsafe" not in csp and "http" not in csp
    assert csp == content_security_policy(scripts[0], style)
    assert page.index("Content-Security-Policy") < page.index("<style>")
    markup = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.DOTALL)
    assert re.findall(r"""\b(?:src|href|action|srcset)\s*=\s*["']?([^"' >]*)""", markup) == ["#main"]
    assert "innerHTML" not in page and "insertAdjacentHTML" not in page and "document.write" not in page


def test_same_items_and_seed_give_the_same_bytes_and_a_seed_shuffles(bank_items: list[Item], outline: Outline) -> None:
    items = bank_items[:40]
    assert practice_html(items, outline, seed=3) == practice_html(list(reversed(items)), outline, seed=3)
    by_id = [q["id"] for q in _data(practice_html(items, outline))["items"]]
    seeded = [q["id"] for q in _data(practice_html(items, outline, seed=3))["items"]]
    other = [q["id"] for q in _data(practice_html(items, outline, seed=4))["items"]]
    assert by_id == sorted(i.id for i in items)
    assert sorted(seeded) == by_id and seeded != by_id and seeded != other
    assert _data(practice_html(items, outline, seed=3))["formId"] != _data(practice_html(items, outline))["formId"]


def test_items_beyond_an_areas_blueprint_count_are_unscored_pretest_items(
    bank_items: list[Item], outline: Outline
) -> None:
    doc = form_document(bank_items, outline, "exam", 1)
    assert len(doc["items"]) == len(bank_items) > outline.blueprint_items
    for area in outline.work_areas:
        in_area = [q for q in doc["items"] if q["area"] == area.number]
        scored = [q["scored"] for q in in_area]
        assert sum(scored) == min(area.items, len(in_area))
        assert scored == sorted(scored, reverse=True)  # the first ones in form order count
    assert doc["scoredItems"] == sum(q["scored"] for q in doc["items"]) <= outline.exam.scored_items
    assert doc["minutes"] == outline.exam.duration_minutes == 120


def test_a_short_form_gets_the_time_in_proportion(outline: Outline) -> None:
    assert duration_minutes(outline, 200) == 120
    assert duration_minutes(outline, 8) == 5  # 120 * 8 / 200 = 4.8, rounded up
    assert duration_minutes(outline, 1) == 1


def test_unknown_mode_and_empty_form_are_usage_errors(bank_items: list[Item], outline: Outline) -> None:
    with pytest.raises(UsageError, match="exam or study"):
        practice_html(bank_items[:2], outline, mode="quiz")
    with pytest.raises(UsageError, match="at least one item"):
        practice_html([], outline)


def test_cli_writes_the_practice_file_and_refuses_html_options_elsewhere(tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("CMAS-01-0001\nCMAS-04-0015\nCMAS-05-0002\n")
    out = tmp_path / "study.html"
    ran = cli("export", "--format", "html", "--mode", "study", "--seed", "9", "--ids", str(ids), "--out", str(out))
    assert ran.returncode == 0, ran.stderr
    assert "3 items as html" in ran.stderr
    doc = _data(out.read_text(encoding="utf-8"))
    assert doc["mode"] == "study" and doc["seed"] == 9
    assert sorted(q["id"] for q in doc["items"]) == ["CMAS-01-0001", "CMAS-04-0015", "CMAS-05-0002"]
    again = cli("export", "--format", "html", "--mode", "study", "--seed", "9", "--ids", str(ids), "--out", str(out))
    assert "(unchanged)" in again.stderr
    wrong = cli("export", "--format", "json", "--mode", "study", "--out", str(tmp_path / "b.json"))
    assert wrong.returncode == 2 and "apply to --format html only" in wrong.stderr
    assert not (tmp_path / "b.json").exists()


@pytest.mark.parametrize(("mode", "seed"), [("exam", None), ("study", 5)])
def test_the_page_written_item_by_item_holds_the_whole_document(
    mode: str, seed: int | None, bank_items: list[Item], outline: Outline
) -> None:
    """The page's data is written one item at a time (and its form id digested in a first pass):
    it is exactly `script_json` of the whole document, form id included."""
    items = [*bank_items[:30], bank_items[30].model_copy(update={"stem": HOSTILE})]
    page = practice_html(items, outline, mode, seed)
    doc = form_document(items, outline, mode, seed)  # type: ignore[arg-type]
    (raw,) = re.findall(r'<script type="application/json" id="form-data">(.*?)</script>', page, re.DOTALL)
    assert raw == script_json(doc) and _data(page) == doc
