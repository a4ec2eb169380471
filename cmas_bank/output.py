"""Findings printed for a command: each output format over the code registry.

`cmas_bank.diagnostics` holds the `Diagnostic` and the renderers, and knows nothing of the code
registry (which knows the lint rules, which make diagnostics); this module brings the two
together, so that a SARIF rule table describes every code with its registry entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cmas_bank.diagnostics import OUTPUT_FORMATS, Diagnostic, render_sarif, render_text, sort_key


def render(
    diagnostics: Sequence[Diagnostic],
    fmt: str,
    colour: bool = False,
    families: Iterable[str] = (),
    *,
    ordered: bool = False,
) -> str:
    """`diagnostics` sorted and printed as `fmt`. For SARIF, the rule table describes every code
    found and every code of `families` (prefixes such as "IW": the codes the command can
    report) from the registry: summary, documentation and default level. `ordered`: the
    findings are already sorted (a `CheckResult`'s are)."""
    diagnostics = diagnostics if ordered else sorted(diagnostics, key=sort_key)
    if fmt == "text":
        return render_text(diagnostics, colour=colour)
    if fmt == "sarif":
        from cmas_bank import codes as registry

        listed = {code for prefix in families for code in registry.family_codes(prefix)}
        rules = [registry.sarif_rule(c) for c in sorted({d.code for d in diagnostics} | listed)]
        return render_sarif(diagnostics, rules)
    return OUTPUT_FORMATS[fmt](diagnostics)
