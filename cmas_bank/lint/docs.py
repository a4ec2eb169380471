"""A lint rule's page for `cmas-bank rule CODE`: its docstring with its options. The tables of
`cmas-bank rules` (and the README's) come from the code registry, `cmas_bank.codes`, which
takes each rule's summary and docstring from `REGISTRY`."""

from __future__ import annotations

import json
from typing import Any

from cmas_bank.lint.core import Rule


def _option_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)


def rule_text(rule: Rule) -> str:
    """One rule's page: heading, docstring, options with defaults, and how to configure it."""
    flags = [rule.severity.value, "bank-wide" if rule.scope == "bank" else "per item"]
    if rule.fixable:
        flags.append("fixable with lint --fix")
    if rule.opt_in:
        flags.append("opt-in: select it by code or name")
    out = [f"{rule.code} {rule.name} ({', '.join(flags)})", "", rule.doc, ""]
    if rule.options:
        out.append("Options (default):")
        out.extend(f"    {name} = {_option_text(value)}" for name, value in rule.options.items())
        example = next(iter(rule.options.items()))
        out += [
            "",
            "Configure in pyproject.toml:",
            "    [tool.cmas-bank.lint.options]",
            f"    {rule.name} = {{ {example[0]} = {_option_text(example[1])} }}",
        ]
    else:
        out.append("Options: none.")
    if rule.family != "IW9":
        out += ["", f'Suppress for one item with `suppress: {{{rule.code}: "the reason"}}` in its file.']
    return "\n".join(out).rstrip() + "\n"
