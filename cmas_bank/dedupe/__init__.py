"""`cmas-bank dedupe`: exact and near-duplicate items, at bank scale.

Library entry point: `find_duplicates(files, settings, only=None) -> DedupeResult`, where
`files` are the `ItemFile`s of one parse of the bank (as `validate_paths` or `check` make them).
`settings_from_config(config)` reads `[tool.cmas-bank.dedupe]`. numpy and rapidfuzz are
imported only when a comparison runs, so importing this package is cheap.
"""

from __future__ import annotations

from cmas_bank.dedupe.core import (
    EXACT_DUPLICATE,
    NEAR_DUPLICATE,
    UNKNOWN_ENEMY,
    Cluster,
    DedupeResult,
    Member,
    Pair,
    dedupe_paths,
    find_duplicates,
)
from cmas_bank.dedupe.report import render_clusters_text, render_json_with_clusters
from cmas_bank.dedupe.settings import DedupeSettings, settings_from_config

__all__ = [
    "EXACT_DUPLICATE",
    "NEAR_DUPLICATE",
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
