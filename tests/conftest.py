"""Shared fixtures: paths to the project, the fixture files and the official QTI schemas."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmas_bank.outline import Outline, load_outline

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BANK = ROOT / "bank"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def outline() -> Outline:
    return load_outline("cmas-2020")


@pytest.fixture(scope="session")
def qti_xsd() -> Path:
    """The official QTI/IMS CP schemas beside the project; skipped with a reason when absent."""
    folder = SHARED / "qti-xsd"
    if not folder.is_dir():
        pytest.skip(f"official QTI schemas not found at {folder} (../shared is absent)")
    return folder
