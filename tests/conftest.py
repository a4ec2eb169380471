"""Shared fixtures: paths to the project, the fixture files and the official QTI schemas."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from cmas_bank.outline import Outline, load_outline
from cmas_bank.validate import ValidationResult, validate_paths

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BANK = ROOT / "bank"
SHARED = ROOT.parent / "shared"

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_load(text: str) -> Any:
    """What `yaml.safe_load` gives, read with libyaml's C parser where PyYAML has it (the same
    documents, eight times faster than the pure-Python parser on the shipped bank)."""
    return yaml.load(text, Loader=YAML_LOADER)


def aiken_carries(item: object) -> bool:
    """Whether `export --format aiken` carries the item: it refuses an option holding `&`, `<` or
    `>`, which Moodle's Aiken import escapes twice (README, Aiken). Tests over the shipped bank use
    the items it carries, so that they do not depend on what the bank's items say today."""
    return not any(c in text for text in item.options.as_dict().values() for c in "&<>")  # type: ignore[attr-defined]


# The check cache's key lives in the user's cache folder: tests (and the CLI they run) use a
# folder of their own, so they neither read nor make the developer's key.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="cmas-bank-test-cache-")


@pytest.fixture(scope="session")
def outline() -> Outline:
    return load_outline("cmas-2020")


@pytest.fixture(scope="session")
def shipped_bank(outline: Outline) -> ValidationResult:
    """The shipped bank validated once per test process (`validate_paths([BANK], outline)`), for
    the tests that read its items; they must not change them."""
    result = validate_paths([BANK], outline)
    assert len(result.files) == len(list(BANK.rglob("*.yaml"))) > 0
    return result


@pytest.fixture(scope="session")
def qti_xsd() -> Path:
    """The official QTI/IMS CP schemas beside the project; skipped with a reason when absent."""
    folder = SHARED / "qti-xsd"
    if not folder.is_dir():
        if os.environ.get("CMAS_BANK_REQUIRE_QTI_XSD"):  # CI fetches them (.ci/get-qti-xsd): never skip there
            pytest.fail(f"official QTI schemas not found at {folder}; run .ci/get-qti-xsd")
        pytest.skip(f"official QTI schemas not found at {folder} (../shared is absent; .ci/get-qti-xsd fetches them)")
    return folder


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A small project: the coverage fixture bank under a copy of the mini outline (the check
    and cache tests' project; a test module may define its own)."""
    import shutil

    shutil.copytree(FIXTURES / "coverage" / "bank", tmp_path / "bank")
    shutil.copy(FIXTURES / "outlines" / "mini-exam.yaml", tmp_path / "outline.yaml")
    (tmp_path / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "bank"\noutline = "outline.yaml"\n')
    return tmp_path
