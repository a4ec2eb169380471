"""The JSON bundle: a manifest and the items, one UTF-8 JSON file.

The manifest names the tool and version, carries the whole outline (so the blueprint travels
with the items), the selection that made the bundle, the item count per work area next to the
blueprint count, and a sha256 of each item. An item's digest is taken over its canonical JSON
(keys sorted, no spaces, UTF-8), so anyone can recompute it from the bundle alone.

`schemas/bundle.schema.json` is generated from `Bundle` (see schema.py).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from typing import IO, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from cmas_bank import __version__
from cmas_bank.export.common import ExportError, FormOrder, Selection
from cmas_bank.model import Item, ItemId, Status
from cmas_bank.outline import Outline

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Tool(_Strict):
    name: Literal["cmas-bank"] = "cmas-bank"
    version: str = Field(description="cmas-bank version that wrote the bundle.")


class SelectionInfo(_Strict):
    """The filters the bundle was exported with."""

    status: list[Status]
    domain: list[int] = Field(description="Work areas exported; empty means all.")
    ids: list[ItemId] | None = Field(description="Ids listed with --ids, or null.")


class AreaCount(_Strict):
    work_area: int
    name: str
    items: int = Field(ge=0, description="Items of this work area in the bundle.")
    blueprint_items: int = Field(ge=0, description="Items this work area has on one blueprint form.")


class ItemDigest(_Strict):
    id: ItemId
    sha256: Sha256 = Field(
        description="sha256 of the item's canonical JSON: keys sorted, separators ',' and ':', "
        "non-ASCII kept, encoded as UTF-8."
    )


class FormSlot(_Strict):
    id: ItemId
    scored: bool = Field(description="false: an unscored pretest item.")


class FormInfo(_Strict):
    """The assembled form the bundle holds (`export --form`): its items in delivery order."""

    id: ItemId = Field(description="Form id, e.g. FORM-01.")
    items: list[FormSlot] = Field(description="The form's items in delivery order, the order of `items`.")


class Manifest(_Strict):
    format: Literal["cmas-bank-bundle"] = "cmas-bank-bundle"
    format_version: Literal[1] = 1
    tool: Tool
    outline: Outline
    selection: SelectionInfo
    item_count: int = Field(ge=0)
    counts: list[AreaCount] = Field(description="Items per work area of the outline, in outline order.")
    items: list[ItemDigest] = Field(description="One digest per item, in the order of `items`.")
    form: FormInfo | None = Field(default=None, description="Present when the bundle is one assembled form.")


class Bundle(_Strict):
    """A cmas-bank export bundle: the manifest, then the items ordered by id (a form's bundle:
    in the form's delivery order)."""

    manifest: Manifest
    items: list[Item]


def canonical_json(item: Item) -> bytes:
    doc = item.model_dump(mode="json")
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def item_digest(item: Item) -> str:
    return hashlib.sha256(canonical_json(item)).hexdigest()


def build_manifest(
    ordered: Sequence[Item], outline: Outline, selection: Selection, form: FormOrder | None = None
) -> Manifest:
    """The manifest of a bundle of `ordered` (already in bundle order)."""
    per_area = Counter(i.domain for i in ordered)
    return Manifest(
        tool=Tool(version=__version__),
        outline=outline,
        selection=SelectionInfo(**selection.describe()),
        item_count=len(ordered),
        counts=[
            AreaCount(work_area=a.number, name=a.name, items=per_area.get(a.number, 0), blueprint_items=a.items)
            for a in outline.work_areas
        ],
        items=[ItemDigest(id=i.id, sha256=item_digest(i)) for i in ordered],
        form=None
        if form is None
        else FormInfo(id=form.form, items=[FormSlot(id=i.id, scored=form.scored(i.id)) for i in ordered]),
    )


def _nested(doc: Any, depth: int) -> str:
    """`doc` as indented JSON to stand at nesting `depth` of an indented document: what
    `json.dumps` of the whole document writes there (a JSON string never holds a raw line break,
    so every line break is structure)."""
    return json.dumps(doc, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)


def write_bundle(
    items: Sequence[Item], outline: Outline, selection: Selection, out: IO[bytes], form: FormOrder | None = None
) -> None:
    """The bundle as UTF-8 JSON, indented, with a final newline (`form` only in a form's
    bundle): the bytes `json.dumps` gives for the whole `Bundle`, written item by item, so the
    items are never all in memory as one document."""
    ordered = form.arrange(items) if form is not None else sorted(items, key=lambda i: i.id)
    manifest = build_manifest(ordered, outline, selection, form).model_dump(mode="json")
    if form is None:
        del manifest["form"]
    out.write(f'{{\n  "manifest": {_nested(manifest, 1)},\n  "items": ['.encode())
    del manifest
    for index, item in enumerate(ordered):
        out.write(("\n    " if index == 0 else ",\n    ").encode() + _nested(item.model_dump(mode="json"), 2).encode())
    out.write(b"\n  ]\n}\n" if ordered else b"]\n}\n")


def read_bundle(data: bytes) -> list[Item]:
    """The items of a bundle, after checking its structure and every digest.

    Raises ExportError with the JSON path of the first problem."""
    try:
        bundle = Bundle.model_validate_json(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise ExportError(f"not a valid bundle: {where}: {err['msg']}") from None
    digests = bundle.manifest.items
    if [d.id for d in digests] != [i.id for i in bundle.items]:
        raise ExportError("manifest.items does not list the bundle's items in order")
    for index, (digest, item) in enumerate(zip(digests, bundle.items, strict=True)):
        if item_digest(item) != digest.sha256:
            raise ExportError(f"items.{index} ({item.id}): sha256 does not match manifest.items.{index}")
    if bundle.manifest.item_count != len(bundle.items):
        raise ExportError("manifest.item_count does not match the number of items")
    return list(bundle.items)
