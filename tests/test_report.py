"""The HTML report parses, holds the numbers of the bank it describes, and escapes bank text."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from clirunner import cli
from conftest import FIXTURES

from cmas_bank.check import run_check
from cmas_bank.codes import descriptions
from cmas_bank.config import load_config
from cmas_bank.outline import load_outline
from cmas_bank.report import render_html


class Collector(HTMLParser):
    """Collects text, the tags opened, and every URL-bearing attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in ("meta", "br"):
            self.open.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def build(tmp_path: Path) -> str:
    shutil.copytree(FIXTURES / "coverage" / "bank", tmp_path / "bank", dirs_exist_ok=True)
    item = tmp_path / "bank" / "COV-02.yaml"
    item.write_text(item.read_text().replace("answer: B", "answer: Z"))  # a finding to list
    shutil.copy(FIXTURES / "outlines" / "mini-exam.yaml", tmp_path / "outline.yaml")
    (tmp_path / "pyproject.toml").write_text('[tool.cmas-bank]\noutline = "outline.yaml"\n')
    config = load_config(cwd=tmp_path)
    outline = load_outline(config.outline, config.root)
    return render_html(run_check([config.bank], config, outline, use_cache=False), outline, descriptions())


def test_report_is_well_formed_self_contained_and_deterministic(tmp_path: Path) -> None:
    page = build(tmp_path / "a")
    parser = Collector()
    parser.feed(page)
    parser.close()
    assert parser.open == [] and parser.tags[0] == "html"
    assert parser.urls == []  # no external assets, no links out
    assert "<script" not in page
    text = " ".join(parser.text)
    assert "Front office" in text and "Back office" in text
    assert "short 5" in text  # area 1: one valid approved item left (COV-02 is broken), target 6
    assert build(tmp_path / "a") == page


def test_report_lists_duplicate_clusters(tmp_path: Path) -> None:
    (tmp_path / "bank").mkdir()
    source = (FIXTURES / "coverage" / "bank" / "COV-04.yaml").read_text()
    (tmp_path / "bank" / "COV-10.yaml").write_text(source.replace("id: COV-04", "id: COV-10"))
    page = build(tmp_path)
    assert "Duplicate clusters (1)" in page
    assert "<code>COV-04</code>" in page and "<code>COV-10</code>" in page


def test_report_lists_findings_and_pipeline(tmp_path: Path) -> None:
    page = build(tmp_path)
    assert "IV205" in page and "answer is not one of the options" in page
    assert '<div class="n">7</div><div>approved</div>' in page
    assert '<div class="n">1</div><div>draft</div>' in page


def test_bank_text_is_escaped(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "coverage" / "bank", tmp_path / "bank")
    outline_text = (FIXTURES / "outlines" / "mini-exam.yaml").read_text()
    (tmp_path / "outline.yaml").write_text(outline_text.replace("name: Front office", 'name: "<b>Front</b> & office"'))
    (tmp_path / "pyproject.toml").write_text('[tool.cmas-bank]\noutline = "outline.yaml"\n')
    config = load_config(cwd=tmp_path)
    outline = load_outline(config.outline, config.root)
    page = render_html(run_check([config.bank], config, outline, use_cache=False), outline, descriptions())
    assert "&lt;b&gt;Front&lt;/b&gt; &amp; office" in page and "<b>Front</b>" not in page


def test_cli_writes_report(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = cli(
        "report",
        "--out",
        str(out),
        "--outline",
        str(FIXTURES / "outlines" / "mini-exam.yaml"),
        str(FIXTURES / "coverage" / "bank"),
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("<!DOCTYPE html>")
