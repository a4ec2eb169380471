"""Precision and recall of every lint rule on the labelled corpus (tests/fixtures/lint-corpus/).

    python bench/lint_corpus.py                 # print the table
    python bench/lint_corpus.py --out FILE.md   # and write it
    python bench/lint_corpus.py --readme        # and rewrite the README's table
    python bench/lint_corpus.py --corpus tests/fixtures/lint-corpus-independent   # another corpus

The corpus is written for the purpose (`bench/make_lint_corpus.py`): clean items, and flawed
items that are a clean item with one flaw written in, each labelled in `manifest.csv` with its
flaw *kind*. `KINDS` below is the one table that says which rule codes should find each kind;
a code that does not exist yet (a rule still being written) simply finds nothing.

`items/` is linted as one bank through the library (`lint_files`), as `cmas-bank lint` would,
for the per-item rules; the bank-wide rules count on `items/clean/` linted as a bank (a bank
without flaws) and on each folder under `banks/`, a small bank made for one bank-wide kind. Lint runs twice: with the default selection, and with every
rule (`select = ["IW"]`). Per rule:

- recall: the share of the cases of the rule's kinds on which it reports something;
- precision: the share of its findings (counted once per file) on a case of one of its kinds,
  or of a kind where it is accepted too (`also`, e.g. a grammatical cue stem also lacks a "?");
- clean: the share of clean items it reports something on.

And the share of clean items with any finding at all.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import platform
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

CORPUS = HERE.parent / "tests" / "fixtures" / "lint-corpus"

# kind -> (codes that should find it, codes also accepted on it). The one table of expectations.
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # the stem
    "statement-stem": (("IW101",), ()),
    "which-is-true-lead-in": (("IW102",), ()),
    "negative-lead-in": (("IW103",), ()),
    "options-repeat-opening": (("IW104",), ()),
    "stem-too-long": (("IW105",), ()),
    # the options
    "all-of-the-above": (("IW201",), ()),
    "none-of-the-above": (("IW202",), ()),
    "combination-option": (("IW203",), ()),
    "duplicate-options": (("IW204",), ()),
    "near-identical-options": (("IW205",), ("IW213",)),
    "absolute-term": (("IW206",), ()),
    "vague-frequency": (("IW207",), ()),
    "option-length-imbalance": (("IW208",), ()),
    "numeric-order": (("IW209",), ()),
    "overlapping-ranges": (("IW210",), ()),
    "mixed-number-formats": (("IW211",), ()),
    "non-parallel-options": (("IW212",), ()),
    "paired-options": (("IW213",), ("IW306",)),  # a pair that differs in opposite words is an opposite pair too
    # cues
    "key-longest": (("IW301",), ("IW208",)),
    "grammatical-cue": (("IW302",), ("IW101",)),
    "stem-word-echo": (("IW303",), ("IW307", "IW308")),
    "absolute-hedge-cue": (("IW304",), ("IW206", "IW207")),
    "convergence": (("IW305",), ("IW213",)),
    "opposite-pair": (("IW306",), ("IW213",)),
    "word-form-echo": (("IW307",), ("IW303", "IW308")),
    "stem-defines-key": (("IW308",), ("IW303", "IW307")),
    # housekeeping
    "rationale-explains-nothing": (("IW401",), ("IW402", "IW403")),
    "rationale-argues-other-option": (("IW402",), ("IW403",)),
    "rationale-skips-one-distractor": (("IW403",), ()),
    "missing-reference": (("IW404",), ()),
    "uncheckable-reference": (("IW405",), ("IW413",)),
    "patient-identifier": (("IW406",), ()),
    "trailing-whitespace": (("IW407",), ()),
    "doubled-spaces": (("IW408",), ()),
    "mixed-quotes": (("IW409",), ()),
    "unbalanced-brackets": (("IW410",), ()),
    "confusable-characters": (("IW411",), ()),
    "superseded-reference": (("IW412",), ()),
    "reference-without-locator": (("IW413",), ()),
    "recall-labelled-application": (("IW414",), ()),
    # bank-wide
    "key-balance": (("IW501",), ("IW502",)),
    "key-run": (("IW502",), ()),
    "key-longest-share": (("IW503",), ()),
    "negative-stem-share": (("IW504",), ()),
    "cross-item-cue": (("IW505",), ()),
    # suppressions
    "stale-suppression": (("IW901",), ()),
    "suppression-of-unknown-code": (("IW902",), ()),
    "suppression-without-reason": (("IW903",), ()),
}


@dataclass(frozen=True)
class Case:
    file: str  # relative to the corpus; a folder for a bank-wide case
    kind: str
    location: str


def read_manifest(corpus: Path = CORPUS) -> list[Case]:
    with open(corpus / "manifest.csv", newline="", encoding="utf-8") as fh:
        cases = [Case(row["file"], row["kind"], row["location"]) for row in csv.DictReader(fh)]
    unknown = sorted({c.kind for c in cases} - set(KINDS) - {"clean"})
    if unknown:
        raise SystemExit(f"manifest kinds missing from KINDS: {', '.join(unknown)}")
    return cases


@dataclass
class Scores:
    """Per rule: files it reported on, by case; and the cases of each kind."""

    hits: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # code -> case files
    cases: list[Case] = field(default_factory=list)

    def kind_of(self, file: str) -> str:
        return next(c.kind for c in self.cases if c.file == file)

    def expected(self, code: str) -> list[Case]:
        return [c for c in self.cases if c.kind != "clean" and code in KINDS[c.kind][0]]

    def recall(self, code: str) -> float | None:
        cases = self.expected(code)
        return sum(c.file in self.hits[code] for c in cases) / len(cases) if cases else None

    def precision(self, code: str) -> float | None:
        found = self.hits.get(code, set())
        if not found:
            return None
        good = [f for f in found if (k := self.kind_of(f)) != "clean" and code in (*KINDS[k][0], *KINDS[k][1])]
        return len(good) / len(found)

    def clean(self) -> list[Case]:
        return [c for c in self.cases if c.kind == "clean"]

    def clean_share(self, code: str | None = None) -> float:
        clean = self.clean()
        codes = [code] if code else list(self.hits)
        flagged = {c.file for c in clean if any(c.file in self.hits[k] for k in codes)}
        return len(flagged) / len(clean) if clean else 0.0


def _lint(paths: list[Path], settings: object, corpus: Path) -> list[tuple[str, str]]:
    """(case-relative file, code) of every finding of lint on `paths`, linted as one bank."""
    from cmas_bank.lint import lint_files
    from cmas_bank.outline import load_outline
    from cmas_bank.validate import validate_paths

    outline = load_outline("cmas-2020")
    files = validate_paths(paths, outline).files
    bad = [d for f in files for d in f.diagnostics]
    if bad:
        raise SystemExit(f"corpus file is not a valid item: {bad[0]}")
    out = []
    for d in lint_files(files, settings):  # type: ignore[arg-type]
        out.append((Path(os.path.abspath(d.path)).relative_to(corpus.resolve()).as_posix(), d.code))
    return out


def score(settings: object, corpus: Path = CORPUS) -> Scores:
    """Lint the corpus with `settings` and tally what each rule found where."""
    from cmas_bank.lint import BANK_CODES

    cases = read_manifest(corpus)
    scores = Scores(cases=cases)
    files = {c.file for c in cases}
    # Per-item rules over every item; bank-wide rules over the clean items (a bank with no flaw)
    # and over each small bank made for them.
    for file, code in _lint([corpus / "items"], settings, corpus):
        if file in files and code not in BANK_CODES:
            scores.hits[code].add(file)
    for file, code in _lint([corpus / "items" / "clean"], settings, corpus):
        if file in files and code in BANK_CODES:
            scores.hits[code].add(file)
    for folder in sorted({c.file for c in cases if c.file.startswith("banks/")}):
        for _, code in _lint([corpus / folder], settings, corpus):
            if code in BANK_CODES:
                scores.hits[code].add(folder)
    return scores


def settings_for(selection: str) -> object:
    from cmas_bank.lint import build_settings

    return build_settings({} if selection == "default" else {"select": ["IW"]})


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}"


def table(default: Scores, every: Scores, codes: Iterable[str], enabled: Mapping[str, bool]) -> str:
    """The markdown table: per rule, in the default selection or not, recall, precision and the
    share of clean items flagged (with every rule on: the rule's own figures), then the totals."""
    from cmas_bank.lint import REGISTRY

    lines = [
        "| rule | name | default | cases | recall | precision | clean flagged |",
        "|---|---|---|---|---|---|---|",
    ]
    for code in codes:
        name = REGISTRY[code].name if code in REGISTRY else "(not written yet)"
        n = len(every.expected(code))
        cells = [_pct(every.recall(code)), _pct(every.precision(code)), f"{every.clean_share(code):.2f}"]
        lines.append(f"| {code} | `{name}` | {'yes' if enabled.get(code) else ''} | {n} | " + " | ".join(cells) + " |")
    n_clean = len(default.clean())
    lines += [
        "",
        (
            f"Clean items with any finding: {default.clean_share():.1%} of {n_clean} with the default selection, "
            f'{every.clean_share():.1%} with every rule (`select = ["IW"]`).'
        ),
    ]
    return "\n".join(lines) + "\n"


def all_codes() -> list[str]:
    from cmas_bank.lint import REGISTRY

    expected = {code for codes, _ in KINDS.values() for code in codes}
    return sorted(set(REGISTRY) | expected)


README = HERE.parent / "README.md"
MARKERS = (
    "<!-- lint-corpus:start (generated by `python bench/lint_corpus.py --readme`) -->",
    "<!-- lint-corpus:end -->",
)


def current_table(corpus: Path = CORPUS) -> str:
    """The table for the corpus as it is, with every rule's default selection."""
    from cmas_bank.lint import REGISTRY

    default, every = score(settings_for("default"), corpus), score(settings_for("all"), corpus)
    return table(default, every, all_codes(), {c: REGISTRY[c].default for c in REGISTRY})


def readme_table(readme: str) -> str | None:
    """The table between the README's markers, or None without them."""
    start, end = readme.find(MARKERS[0]), readme.find(MARKERS[1])
    return readme[start + len(MARKERS[0]) : end].strip("\n") + "\n" if 0 <= start < end else None


def markers_for(corpus: Path) -> tuple[str, str]:
    """The README markers of a corpus's table: MARKERS for the project's corpus, and for another
    corpus folder markers named after it (`<!-- lint-corpus-independent:start ... -->`)."""
    if corpus.resolve() == CORPUS.resolve():
        return MARKERS
    name = corpus.resolve().name
    try:
        shown = corpus.resolve().relative_to(HERE.parent).as_posix()
    except ValueError:
        shown = str(corpus)
    return (
        f"<!-- {name}:start (generated by `python bench/lint_corpus.py --corpus {shown} --readme`) -->",
        f"<!-- {name}:end -->",
    )


def write_readme(text: str, markers: tuple[str, str] = MARKERS) -> None:
    readme = README.read_text(encoding="utf-8")
    if markers[0] not in readme or markers[1] not in readme:
        raise SystemExit(f"README.md has no markers {markers[0]} ... {markers[1]} for this corpus's table")
    start, end = readme.index(markers[0]) + len(markers[0]), readme.index(markers[1])
    README.write_text(readme[:start] + "\n" + text + readme[end:], encoding="utf-8")


def report(corpus: Path = CORPUS) -> str:
    cases = read_manifest(corpus)
    flawed = [c for c in cases if c.kind != "clean"]
    label = "" if corpus.resolve() == CORPUS.resolve() else f" ({corpus})"
    head = (
        f"Lint corpus{label}: {len(cases)} cases ({len(cases) - len(flawed)} clean, {len(flawed)} flawed, "
        f"{len({c.kind for c in flawed})} kinds); {datetime.date.today().isoformat()}, "
        f"{platform.machine()} {platform.system()}, Python {platform.python_version()}, {os.cpu_count()} cores.\n\n"
    )
    return head + current_table(corpus)


def details(scores: Scores) -> str:
    """Per rule, the cases it missed and the files it reported on outside its kinds."""
    out = []
    for code in all_codes():
        missed = [c.file for c in scores.expected(code) if c.file not in scores.hits[code]]
        wrong = sorted(
            f"{f} ({k})"
            for f in scores.hits.get(code, set())
            if (k := scores.kind_of(f)) == "clean" or code not in (*KINDS[k][0], *KINDS[k][1])
        )
        if missed or wrong:
            out.append(f"{code}: missed {', '.join(missed) or '-'}; outside its kinds: {', '.join(wrong) or '-'}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument("--details", action="store_true", help="list each rule's misses and false alarms (all rules)")
    parser.add_argument("--readme", action="store_true", help="also rewrite the table in README.md (lint section)")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=CORPUS,
        metavar="DIR",
        help="the corpus folder (manifest.csv, items/, banks/); default tests/fixtures/lint-corpus",
    )
    args = parser.parse_args(argv)
    if not (args.corpus / "manifest.csv").is_file():
        parser.error(f"--corpus {args.corpus}: no manifest.csv in it")
    if args.details:
        sys.stdout.write(details(score(settings_for("all"), args.corpus)))
        return
    text = report(args.corpus)
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.readme:
        write_readme(text.split("\n\n", 1)[1], markers_for(args.corpus))


if __name__ == "__main__":
    main()
