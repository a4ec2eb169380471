"""`cmas-bank dedupe`: exact and near-duplicate items, at bank scale.

Library entry point: `find_duplicates(files, settings, only=None) -> DedupeResult`, where
`files` are the `ItemFile`s of one parse of the bank (as `validate_paths` or `check` make them).
`settings_from_config(config)` reads `[tool.cmas-bank.dedupe]`. The names below are imported
when first used (PEP 562), so importing this package, or `cmas_bank.dedupe.clusters` for the
results a cache holds, loads none of the machinery (numpy, rapidfuzz).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cmas_bank.dedupe.clusters import Cluster, Member, Pair
    from cmas_bank.dedupe.core import (
        EXACT_DUPLICATE,
        NEAR_DUPLICATE,
        POSSIBLE_PARAPHRASE,
        UNKNOWN_ENEMY,
        DedupeResult,
        dedupe_paths,
        find_duplicates,
    )
    from cmas_bank.dedupe.report import render_clusters_text, render_json_with_clusters
    from cmas_bank.dedupe.settings import DedupeSettings, settings_from_config

_WHERE = {
    "EXACT_DUPLICATE": "core",
    "NEAR_DUPLICATE": "core",
    "POSSIBLE_PARAPHRASE": "core",
    "UNKNOWN_ENEMY": "core",
    "DedupeResult": "core",
    "dedupe_paths": "core",
    "find_duplicates": "core",
    "Cluster": "clusters",
    "Member": "clusters",
    "Pair": "clusters",
    "render_clusters_text": "report",
    "render_json_with_clusters": "report",
    "DedupeSettings": "settings",
    "settings_from_config": "settings",
}

__all__ = [
    "EXACT_DUPLICATE",
    "NEAR_DUPLICATE",
    "POSSIBLE_PARAPHRASE",
    "UNKNOWN_ENEMY",
    "Cluster",
    "DedupeResult",
    "DedupeSettings",
    "Member",
    "Pair",
    "dedupe_paths",
    "find_duplicates",
    "render_clusters_text",
    "render_json_with_clusters",
    "settings_from_config",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
