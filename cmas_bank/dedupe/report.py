"""Printing duplicate clusters: a readable listing for terminals, and clusters beside the
diagnostics in JSON. Findings themselves go through `diagnostics.render` like every command's."""

from __future__ import annotations

import json
from collections.abc import Sequence

from cmas_bank.dedupe.clusters import Cluster
from cmas_bank.diagnostics import Diagnostic, printable, render_json, sort_key

LABELS = {"exact": "exact duplicates", "near": "near duplicates", "possible": "possible paraphrases (review)"}


def render_clusters_text(clusters: Sequence[Cluster]) -> str:
    """One block per cluster: its items with paths, then each pair's score, why it was judged a
    duplicate, a word diff of the stems and the options only one side has."""
    if not clusters:
        return ""
    lines: list[str] = []
    for number, cluster in enumerate(clusters, 1):
        label = LABELS[cluster.kind]
        lines.append(f"cluster {number}: {label}, {len(cluster.members)} items, score {cluster.score:.2f}")
        width = max(len(m.item_id) for m in cluster.members)
        lines.extend(f"  {m.item_id:<{width}}  {m.path}:{m.line}" for m in cluster.members)
        for pair in cluster.pairs:
            detail = (
                f"stem {pair.stem_similarity:.2f}, options {pair.option_similarity:.2f}, {pair.reason}"
                if pair.kind != "exact"
                else "identical once normalised"
            )
            lines.append(f"  {pair.a.item_id} ~ {pair.b.item_id}: {pair.score:.2f} ({detail})")
            lines.append(f"    stem: {pair.diff}")
            if pair.options_only_a or pair.options_only_b:
                removed = " ".join(f"[-{o}-]" for o in pair.options_only_a)
                added = " ".join(f"{{+{o}+}}" for o in pair.options_only_b)
                lines.append(f"    options: {' '.join(x for x in (removed, added) if x)}")
        lines.append("")
    return "\n".join(map(printable, lines))  # ids, paths and stems as text, never as terminal controls


def render_json_with_clusters(diagnostics: Sequence[Diagnostic], clusters: Sequence[Cluster]) -> str:
    """The standard JSON document of `diagnostics.render_json` with a `clusters` list added."""
    doc = json.loads(render_json(sorted(diagnostics, key=sort_key)))
    doc["clusters"] = [c.to_dict() for c in clusters]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
