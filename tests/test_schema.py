"""The committed JSON Schemas match the models, and schema and model agree on every document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import BANK, FIXTURES, ROOT
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import ValidationError

from cmas_bank.loader import load_file
from cmas_bank.model import Item
from cmas_bank.schema import all_schemas, dump


@pytest.mark.parametrize("name", sorted(all_schemas()))
def test_committed_schema_matches_model(name: str) -> None:
    committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
    assert committed == dump(all_schemas()[name]), f"run `cmas-bank schema --out schemas` ({name})"


def test_schemas_are_valid_2020_12() -> None:
    for schema in all_schemas().values():
        Draft202012Validator.check_schema(schema)


def _documents() -> list[Path]:
    files = sorted((FIXTURES / "items").rglob("*.yaml")) + sorted(BANK.rglob("*.yaml"))
    files += sorted((FIXTURES / "projects").rglob("*.yaml"))
    return [f for f in files if load_file(f).ok]


def test_schema_and_model_agree_on_every_fixture_and_bank_item() -> None:
    validator = Draft202012Validator(all_schemas()["item.schema.json"], format_checker=FormatChecker())
    documents = _documents()
    verdicts = []
    for path in documents:
        data = load_file(path).data
        schema_ok = validator.is_valid(data)
        try:
            Item.model_validate(data)
            model_ok = True
        except ValidationError:
            model_ok = False
        assert schema_ok == model_ok, f"{path}: schema says {schema_ok}, model says {model_ok}"
        verdicts.append(schema_ok)
    assert verdicts.count(True) >= 3 and verdicts.count(False) >= 5


def test_template_is_schema_valid_and_points_at_the_schema() -> None:
    template = ROOT / "templates" / "item.yaml"
    first = template.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/item.schema.json"
    Item.model_validate(load_file(template).data)


def test_schema_documents_every_model_field() -> None:
    schema = json.loads((ROOT / "schemas" / "item.schema.json").read_text())
    assert set(schema["properties"]) == set(Item.model_fields)
    assert schema["additionalProperties"] is False
