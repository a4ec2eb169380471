"""JSON Schemas (2020-12) generated from the pydantic models.

`cmas-bank schema --out schemas/` writes them; `tests/test_schema.py` fails when the committed
files drift from the models. Validation builds the schema from the model at run time, so the tool
never depends on the committed copy.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

DIALECT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://cmas-bank.github.io/schemas/"


def _schema(model: type[BaseModel], name: str, title: str) -> dict[str, Any]:
    body = model.model_json_schema()
    body.pop("title", None)
    return {"$schema": DIALECT, "$id": BASE_ID + name, "title": title, **body}


@cache
def item_schema() -> dict[str, Any]:
    from cmas_bank.model import Item

    return _schema(Item, "item.schema.json", "cmas-bank item")


@cache
def outline_schema() -> dict[str, Any]:
    from cmas_bank.outline import Outline

    return _schema(Outline, "outline.schema.json", "cmas-bank content outline")


@cache
def bundle_schema() -> dict[str, Any]:
    from cmas_bank.export.json_bundle import Bundle

    return _schema(Bundle, "bundle.schema.json", "cmas-bank export bundle")


@cache
def form_schema() -> dict[str, Any]:
    from cmas_bank.assemble.model import FormFile

    return _schema(FormFile, "form.schema.json", "cmas-bank exam form")


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema document, for every schema the project publishes. Later features
    (export bundles) add theirs here."""
    return {
        "item.schema.json": item_schema(),
        "outline.schema.json": outline_schema(),
        "bundle.schema.json": bundle_schema(),
        "form.schema.json": form_schema(),
    }


def dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    from cmas_bank.fileio import atomic_write_text

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas().items():
        path = folder / name
        atomic_write_text(path, dump(schema))
        written.append(path)
    return written
