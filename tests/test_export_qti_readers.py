"""The QTI 2.1 and 3.0 exports read back by readers that are not ours (issue 16).

- QTI 2.1: pyslet (PyPI `pyslet==0.7.20170805`, BSD-3-Clause), whose IMS Content Packaging
  module reads the package's `imsmanifest.xml` and whose QTI 2.1 object model
  (`pyslet.qtiv2`) reads each item and the assessment test. It was written as the engine of the
  IMS QTI migration tool; its 2017 release reads QTI 2.1 only.
- QTI 3.0: citolab-qti-convert (PyPI `citolab-qti-convert==0.2.0`, GPL-3.0-only, Citolab's
  converter, the Python port of the npm `@citolab/qti-convert`) downgrades our QTI 3.0 package
  to QTI 2.1, and pyslet reads what it wrote. A `qti-` element or kebab-case attribute that we
  spelled wrong is not converted, and pyslet then does not find it.

Both are test-only (the `test` extra) and never imported by `cmas_bank`. What they read (item ids,
the body's paragraphs and prompt, the four choices, the correct response, the rationale, the
test's sections and item refs, a form's pretest category and weight) is compared with the item
files as PyYAML reads them, not with the code under test.

The module's project (a copy of the shipped bank) also serves one export memory test: the
engine's records are dropped before rendering (README, Benchmark).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from clirunner import cli
from conftest import BANK, ROOT, yaml_load

REASON = "the test extra installs {} (pip install '.[test]')"
imscp = pytest.importorskip("pyslet.imscpv1p2", reason=REASON.format("pyslet"))
html401 = pytest.importorskip("pyslet.html401", reason=REASON.format("pyslet"))
qti_interactions = pytest.importorskip("pyslet.qtiv2.interactions", reason=REASON.format("pyslet"))
qti_tests = pytest.importorskip("pyslet.qtiv2.tests", reason=REASON.format("pyslet"))
qti_variables = pytest.importorskip("pyslet.qtiv2.variables", reason=REASON.format("pyslet"))
qti_xml = pytest.importorskip("pyslet.qtiv2.xml", reason=REASON.format("pyslet"))
qti_convert = pytest.importorskip("qti_convert", reason=REASON.format("citolab-qti-convert"))

# pyslet 0.7 calls its own renamed methods through deprecated aliases while reading
pytestmark = pytest.mark.filterwarnings("ignore:.* is deprecated, use.*:DeprecationWarning")

ITEM_TYPE = "imsqti_item_xmlv2p1"
TEST_TYPE = "imsqti_test_xmlv2p1"


@dataclass(frozen=True)
class ReadItem:
    """An assessment item as pyslet reads it."""

    identifier: str
    resource: str  # the manifest resource's identifier
    body: tuple[str, ...]  # the item body's paragraphs before the interaction, then the prompt
    choices: tuple[tuple[str, str], ...]
    correct: str
    single: bool  # cardinality single, maxChoices 1, not shuffled
    feedback: tuple[str, ...]


@dataclass(frozen=True)
class ReadRef:
    """An assessmentItemRef as pyslet reads it. pyslet 0.7 has no class for the ref's `weight`
    element and drops it on reading (its `Weight` list stays empty), so a form's pretest weight of
    0 is not checked here: tests/test_forms_delivery.py reads it, and the schema validates it."""

    identifier: str
    href: str
    category: tuple[str, ...]


@dataclass(frozen=True)
class ReadPackage:
    items: dict[str, ReadItem]
    test_title: str
    sections: list[tuple[str, str, list[ReadRef]]]  # (identifier, title, refs)


def _text(element: object) -> str:
    return element.get_value()  # type: ignore[attr-defined]  # pyslet elements: text-only content


def _read_item(doc: object, resource: str) -> ReadItem:
    item = doc.root  # type: ignore[attr-defined]
    (declaration,) = item.ResponseDeclaration
    (interaction,) = list(item.find_children_depth_first(qti_interactions.ChoiceInteraction))
    paragraphs = [_text(c) for c in item.ItemBody.get_children() if isinstance(c, html401.P)]
    feedback = [_text(c) for m in item.QTIModalFeedback for c in m.get_children() if isinstance(c, html401.P)]
    single = (
        declaration.cardinality == qti_variables.Cardinality.single
        and interaction.maxChoices == 1
        and interaction.shuffle is False
        and interaction.responseIdentifier == declaration.identifier
    )
    return ReadItem(
        identifier=item.identifier,
        resource=resource,
        body=(*paragraphs, _text(interaction.Prompt)),
        choices=tuple((c.identifier, _text(c)) for c in interaction.SimpleChoice),
        correct=declaration.get_correct_value().value,
        single=single,
        feedback=tuple(feedback),
    )


def read_with_pyslet(package: Path) -> ReadPackage:
    """Every resource of a QTI 2.1 content package, through pyslet's content package and QTI model."""
    cp = imscp.ContentPackage(str(package))
    items: dict[str, ReadItem] = {}
    tests = []
    try:
        for resource in cp.manifest.root.Resources.Resource:
            assert resource.type in (ITEM_TYPE, TEST_TYPE), resource.type
            entry = resource.get_entry_point()
            doc = qti_xml.QTIDocument(base_uri=str(cp.dPath.join(entry.package_path(cp))))
            doc.read()
            if resource.type == TEST_TYPE:
                assert isinstance(doc.root, qti_tests.AssessmentTest)
                tests.append(doc.root)
                continue
            read = _read_item(doc, resource.id)
            assert read.identifier not in items
            items[read.identifier] = read
        (test,) = tests
        (part,) = test.TestPart
        sections = [
            (
                s.identifier,
                s.title,
                [ReadRef(r.identifier, str(r.href), tuple(r.category)) for r in s.SectionPart],
            )
            for s in part.AssessmentSection
        ]
        return ReadPackage(items, test.title, sections)
    finally:
        cp.close()


def downgrade_with_citolab(package: Path, out: Path) -> Path:
    """citolab-qti-convert's QTI 3.0 -> 2.1 conversion of a whole package; it must warn of nothing."""
    result = qti_convert.downgrade_package(package, out, inject_shared_vocabulary_stylesheet=False)
    assert result.warnings == []
    return out


# --- expectations, from the item files -----------------------------------------------------------


def _paragraphs(text: str) -> tuple[str, ...]:
    """A plain-text field's paragraphs: split at blank lines, a single line break kept inside one."""
    parts = [p.strip("\n") for p in re.split(r"\n[ \t]*\n\s*", text.strip("\n"))]
    return tuple(p for p in parts if p.strip())


def _bank(root: Path) -> dict[str, dict]:
    docs = (yaml_load(p.read_text("utf-8")) for p in (root / "bank").rglob("*.yaml"))
    return {d["id"]: d for d in docs}


def _check_items(read: ReadPackage, expected: dict[str, dict]) -> None:
    assert sorted(read.items) == sorted(expected)
    for item_id, doc in expected.items():
        got = read.items[item_id]
        assert got.resource == item_id
        assert got.body == _paragraphs(doc["stem"]), item_id
        assert got.choices == tuple((k, doc["options"][k]) for k in "ABCD"), item_id
        assert got.correct == doc["answer"] and got.single, item_id
        assert got.feedback == _paragraphs(doc["rationale"]), item_id


def _export(root: Path, fmt: str, *selection: str) -> Path:
    out = root / "exports" / f"{fmt}.zip"
    out.parent.mkdir(exist_ok=True)
    ran = cli("export", "--format", fmt, "--out", str(out), *selection, cwd=root)
    assert ran.returncode == 0, ran.stderr
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped bank with one assembled form in forms/."""
    root = tmp_path_factory.mktemp("qti-readers")
    shutil.copytree(BANK, root / "bank")
    (root / "pyproject.toml").write_text(
        '[tool.cmas-bank]\nbank = "bank"\noutline = "cmas-2020"\n\n[tool.cmas-bank.assemble]\nout = "forms"\n',
        encoding="utf-8",
    )
    ran = cli("assemble", "--forms", "1", cwd=root)
    assert ran.returncode == 0, ran.stderr
    return root


def _read(project: Path, fmt: str, *selection: str) -> ReadPackage:
    package = _export(project, fmt, *selection)
    if fmt == "qti30":
        package = downgrade_with_citolab(package, project / "exports" / "qti30-as-qti21.zip")
    return read_with_pyslet(package)


@pytest.mark.parametrize("fmt", ["qti21", "qti30"])
def test_whole_bank_read_by_an_independent_qti_reader(fmt: str, project: Path) -> None:
    bank = _bank(project)
    statuses = sorted({d["status"] for d in bank.values()})
    read = _read(project, fmt, "--status", ",".join(statuses))
    _check_items(read, bank)
    # one section per work area, in work-area order, each listing its items by id
    areas = sorted({d["domain"] for d in bank.values()})
    assert [s[0] for s in read.sections] == [f"cmas-bank.area-{n}" for n in areas]
    for (_, title, refs), area in zip(read.sections, areas, strict=True):
        assert re.match(rf"{area}\. \S", title)
        members = sorted(i for i, d in bank.items() if d["domain"] == area)
        assert [r.identifier for r in refs] == members
        assert [r.href for r in refs] == [f"items/{i}.xml" for i in members]
        assert all(r.category == () for r in refs)


@pytest.mark.parametrize("fmt", ["qti21", "qti30"])
def test_a_form_read_by_an_independent_qti_reader(fmt: str, project: Path) -> None:
    form = yaml_load((project / "forms" / "FORM-01.yaml").read_text("utf-8"))
    order = [(e["id"], e["scored"]) for e in form["items"]]
    assert any(not scored for _, scored in order) and any(scored for _, scored in order)
    bank = _bank(project)
    read = _read(project, fmt, "--form", "forms/FORM-01.yaml")
    _check_items(read, {i: bank[i] for i, _ in order})
    ((identifier, title, refs),) = read.sections
    assert identifier == "cmas-bank.form" and title == "FORM-01" and read.test_title.endswith(": FORM-01")
    assert [r.identifier for r in refs] == [i for i, _ in order]  # delivery order, not id order
    assert [r.category for r in refs] == [() if scored else ("pretest",) for _, scored in order]


def test_the_reader_sees_a_wrong_key(project: Path, tmp_path: Path) -> None:
    """The comparison bites: a package whose correct response was changed is read as changed. The
    package holds the one item changed (pyslet reads a whole bank's package in tens of seconds; the
    tests above read those)."""
    import zipfile

    bank = _bank(project)
    first = min(bank)
    ids = tmp_path / "ids.txt"
    ids.write_text(f"{first}\n", encoding="utf-8")
    package = _export(project, "qti21", "--status", bank[first]["status"], "--ids", str(ids))
    other = next(k for k in "ABCD" if k != bank[first]["answer"])
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == f"items/{first}.xml":
                right = f"<value>{bank[first]['answer']}</value>".encode()
                assert data.count(right) == 1
                data = data.replace(right, f"<value>{other}</value>".encode())
            dst.writestr(info, data)
    read = read_with_pyslet(tampered)
    assert sorted(read.items) == [first] and read.items[first].correct == other
    _check_items(read_with_pyslet(package), {first: bank[first]})  # untampered, it is read as written
    with pytest.raises(AssertionError, match=first):
        _check_items(read, {first: bank[first]})


def test_the_readers_are_test_only() -> None:
    """pyslet and citolab-qti-convert (GPL-3.0) are in the `test` extra alone: no module of the
    package imports them."""
    pattern = re.compile(r"^\s*(?:import|from)\s+(?:pyslet|qti_convert)\b", re.MULTILINE)
    users = [p for p in (ROOT / "cmas_bank").rglob("*.py") if pattern.search(p.read_text("utf-8"))]
    assert users == []
    toml = (ROOT / "pyproject.toml").read_text("utf-8")
    dependencies = toml.split("[project.optional-dependencies]")[0]
    assert "pyslet" not in dependencies and "citolab-qti-convert" not in dependencies


def test_export_drops_the_engines_records_before_rendering(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    """The engine's record of every file (hundreds of MiB at 100,000 items) is gone before the
    chosen items are rendered, so the two never share the export's peak memory."""
    import gc

    from cmas_bank import export
    from cmas_bank.bankitem import BankItem
    from cmas_bank.config import load_config
    from cmas_bank.outline import load_outline

    alive: list[int] = []
    write = export.write

    def counting(*args: object, **kwargs: object) -> None:
        gc.collect()
        alive.append(sum(isinstance(o, BankItem) for o in gc.get_objects()))
        write(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(export, "write", counting)
    config = load_config(cwd=project)
    statuses = tuple(sorted({d["status"] for d in _bank(project).values()}))
    selection = export.Selection(statuses=statuses)  # type: ignore[arg-type]
    done = export.export_paths([config.bank], config, load_outline("cmas-2020"), "csv", selection, use_cache=False)
    assert len(done.items) == len(_bank(project)) and alive == [0]
