"""The GitHub workflow and the pinned QTI schemas it fetches (issue 13, point 6). No test can run
GitHub here: these read the workflow as GitHub would and check the schema lock against the
schemas beside the project."""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def _workflow() -> dict[Any, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps() -> list[dict[str, Any]]:
    return _workflow()["jobs"]["test"]["steps"]


def _get_qti_xsd() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("get_qti_xsd", str(ROOT / ".ci" / "get-qti-xsd"))
    spec = importlib.util.spec_from_loader("get_qti_xsd", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_runs_once_per_pull_request() -> None:
    doc = _workflow()
    triggers = doc[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"pull_request", "push"}
    assert triggers["push"] == {"branches": ["main"]}  # a pull request's branch is not run twice
    assert "pull_request.number" in doc["concurrency"]["group"] and doc["concurrency"]["cancel-in-progress"] is True


def test_tests_on_311_and_313_with_a_pip_cache() -> None:
    job = _workflow()["jobs"]["test"]
    assert job["strategy"]["matrix"]["python-version"] == ["3.11", "3.13"]
    (setup,) = [s for s in _steps() if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert setup["with"]["python-version"] == "${{ matrix.python-version }}"
    assert setup["with"]["cache"] == "pip" and setup["with"]["cache-dependency-path"] == "pyproject.toml"


def test_schemas_are_fetched_before_the_tests_and_must_not_be_skipped() -> None:
    runs = [str(s.get("run", "")) for s in _steps()]
    fetch = next(i for i, r in enumerate(runs) if ".ci/get-qti-xsd ../shared/qti-xsd" in r)
    tests = next(i for i, r in enumerate(runs) if "bash .ci/run" in r)
    assert fetch < tests
    assert _workflow()["jobs"]["test"]["env"]["CMAS_BANK_REQUIRE_QTI_XSD"] == "1"
    conftest = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    assert 'os.environ.get("CMAS_BANK_REQUIRE_QTI_XSD")' in conftest and "pytest.fail(" in conftest


def test_sarif_is_uploaded_to_code_scanning() -> None:
    steps = _steps()
    (upload,) = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    sarif = upload["with"]["sarif_file"]
    assert any(f"--output-format sarif > {sarif}" in str(s.get("run", "")) for s in steps)
    assert _workflow()["jobs"]["test"]["permissions"]["security-events"] == "write"
    assert "always()" in upload["if"]


def test_the_schema_lock_pins_commits_and_checksums() -> None:
    entries = _get_qti_xsd().entries()
    assert len(entries) == 58
    for entry in entries:
        assert re.fullmatch(r"[0-9a-f]{40}", entry["commit"]) and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", entry["repo"])
    assert sum(1 for e in entries if "rewrite" in e) == 5


def _upstream(module: ModuleType, entry: dict[str, Any], folder: Path) -> bytes:
    """The upstream file, made back from the local copy by undoing the recorded rewrites."""
    data = (folder / entry["file"]).read_bytes()
    for old, new in reversed(entry.get("rewrite", [])):
        data = data.replace(new.encode(), old.encode())
    return data


def test_the_lock_matches_the_schemas_the_tests_use(qti_xsd: Path, tmp_path: Path) -> None:
    module = _get_qti_xsd()
    assert module.verify(qti_xsd) == []
    by_path = {(e["repo"], e["commit"], e["path"]): e for e in module.entries()}
    for entry in by_path.values():  # undoing the rewrites gives the pinned upstream bytes
        assert hashlib.sha256(_upstream(module, entry, qti_xsd)).hexdigest() == entry["sha256"], entry["file"]

    def fetch(repo: str, commit: str, path: str) -> bytes:
        return _upstream(module, by_path[(repo, commit, path)], qti_xsd)

    assert module.build(tmp_path / "xsd", fetch) == 58
    assert module.verify(tmp_path / "xsd") == []
    tampered = tmp_path / "tampered"

    def evil(repo: str, commit: str, path: str) -> bytes:
        data = fetch(repo, commit, path)
        return data + b"<!-- -->" if path.endswith("imsqti_v2p1.xsd") else data

    with pytest.raises(ValueError, match="imsqti_v2p1.xsd: sha256 .* is not the pinned"):
        module.build(tampered, evil)
    assert not tampered.exists()  # nothing written unless every file checks out
