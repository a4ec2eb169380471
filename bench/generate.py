"""Seeded synthetic CMAS-like banks with planted duplicates, hard negatives and lint flaws.

    python bench/generate.py OUT_FOLDER --items 10000 --seed 7

or, from Python (this is what `bench/run.py` and `bench/dedupe_bench.py` do):

    from generate import generate_bank          # with bench/ on sys.path
    truth = generate_bank(Path("bench/out/x/bank"), 10_000, seed=7)
    truth.duplicate_pairs()                     # {frozenset({id_a, id_b}), ...}

`generate_bank(folder, n, seed)` writes `n` item files, one YAML file per item, into
`folder/<NN-work-area>/<id>.yaml` (the layout of `bank/`) and the ground truth to
`folder/ground-truth.json`, and returns it as a `GroundTruth`. Every item is valid against the
item model and the 2020 outline (`cmas-bank validate` is clean); the same seed gives the same
bytes.

What is in a bank:

- **Base items**: a short office scenario (an opener that introduces a staff member, up to two
  details that introduce a patient or coworker) and a lead-in about one fact of a topic (a UB-04
  form locator, a CPT section, a HIPAA deadline, ...), or a calculation (overtime pay, petty
  cash, a ledger balance, an aging column); some are recall items with the lead-in alone. Base
  items are distinct questions by construction: no two share a stem, none is a copy of another
  with only the numbers changed, and two items with the same key (two calculations of the same
  topic) share under 60 % of their words, names, towns, dates and figures left out (so
  the ground truth has no accidental duplicates). Topics are drawn in proportion to the outline's
  work-area weights, calculations at a lower weight.
- **Planted duplicates** (`duplicate_rate`, default 5 % of n), each a copy of a base item, of one
  kind: `exact` (case, punctuation, spacing, Unicode forms and option order changed: expected
  ID101), `shuffle` (options reordered: ID101), `name` (people renamed), `number` (dates, ages and
  amounts changed; in a calculation the key changes with them), `reorder` (scenario sentences
  reordered), `swap` (1-3 words replaced by synonyms), `distractor` (one distractor replaced):
  expected ID102. About one base in ten gets two copies (a cluster of three).
- **Hard negatives** (`hard_negative_rate`, default 2 %): the same scenario, people and lead-in
  wording as a base item, asking about another fact of the topic, so with a different key;
  `same-options` when the options are the same four (the key moves to another one, as with a
  different UB-04 form locator), else `other-question`. They must not be reported.
- **Lint flaws** (`flaw_rate`, default 5 %) on items outside the plants, one each, recorded by
  kind (`all-of-the-above`, `none-of-the-above`, `combination-option`, `no-question-mark`,
  `vague-lead-in`, `key-longest`, `absolute-term`, `phi-ssn`, `phi-phone`,
  `trailing-whitespace`, `doubled-space`, `numeric-out-of-order`) for lint benchmarks to map onto
  rule codes; every kind is planted in turn on an item it fits. Copies that carry a flaw of their
  own (doubled spaces in an exact copy, numbers out of order after shuffling) are recorded too.
  Base items are not free of every lint cue: like real items, some have a key longer than the
  distractors or a key word that echoes the stem (IW301, IW303).

Files are written plainly into a temporary sibling folder that is renamed into place at the end:
the bank as a whole appears atomically, without an fsync per file (100,000 fsyncs take minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import string
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TypeAlias

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

try:  # imported as bench.generate
    from bench import bankdata as data
except ImportError:  # imported as generate, with bench/ on sys.path
    import bankdata as data  # type: ignore[no-redef]

GENERATOR_VERSION = 3  # bump when the same seed would write other items
TRUTH_FILE = "ground-truth.json"
DUPLICATE_KINDS = ("exact", "shuffle", "name", "number", "reorder", "swap", "distractor")
EXPECTED_CODE = {kind: "ID101" if kind in ("exact", "shuffle") else "ID102" for kind in DUPLICATE_KINDS}
FLAW_KINDS = (
    "all-of-the-above",
    "none-of-the-above",
    "combination-option",
    "no-question-mark",
    "vague-lead-in",
    "key-longest",
    "absolute-term",
    "phi-ssn",
    "phi-phone",
    "trailing-whitespace",
    "doubled-space",
    "numeric-out-of-order",
)
MAX_SHARED_WORDS = (
    0.6  # Jaccard of words (names, towns, dates, figures left out) allowed between two base items with the same key
)
NUMERIC_WEIGHT = 0.3  # a calculation topic's share relative to a fact topic of its work area
NON_CONTENT = frozenset(
    w.lower()
    for w in (*data.FEMALE, *data.MALE, *data.SURNAMES, *(t for town in data.TOWNS for t in town.split()), *data.MONTHS)
)
AREA_WEIGHTS = {1: 13, 2: 7, 3: 10, 4: 17, 5: 17, 6: 17, 7: 7, 8: 12}
LETTERS = "ABCD"


# --- ground truth -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlantedPair:
    a: str  # the base item
    b: str  # the planted copy or hard negative
    kind: str
    expected: str | None = None  # rule code a detector should report, None for hard negatives


@dataclass(frozen=True)
class PlantedFlaw:
    id: str
    kind: str
    path: str  # relative to the bank folder


@dataclass
class GroundTruth:
    """What was planted in a generated bank, by final item id."""

    seed: int
    items: int
    duplicates: list[PlantedPair] = field(default_factory=list)
    hard_negatives: list[PlantedPair] = field(default_factory=list)
    flaws: list[PlantedFlaw] = field(default_factory=list)
    generator_version: int = GENERATOR_VERSION

    def duplicate_groups(self) -> list[set[str]]:
        """Each base item with all its planted copies."""
        groups: dict[str, set[str]] = {}
        for pair in self.duplicates:
            groups.setdefault(pair.a, {pair.a}).add(pair.b)
        return sorted(groups.values(), key=lambda g: sorted(g))

    def duplicate_pairs(self) -> set[frozenset[str]]:
        """Every pair of items that are duplicates of each other: base-copy, and copy-copy of the
        same base (two copies of one item are copies of each other)."""
        pairs: set[frozenset[str]] = set()
        for group in self.duplicate_groups():
            members = sorted(group)
            pairs.update(frozenset((x, y)) for i, x in enumerate(members) for y in members[i + 1 :])
        return pairs

    def to_json(self) -> str:
        doc = {
            "generator_version": self.generator_version,
            "seed": self.seed,
            "items": self.items,
            "duplicates": [asdict(p) for p in self.duplicates],
            "hard_negatives": [asdict(p) for p in self.hard_negatives],
            "flaws": [asdict(f) for f in self.flaws],
        }
        return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def load(cls, path: Path) -> GroundTruth:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            seed=doc["seed"],
            items=doc["items"],
            duplicates=[PlantedPair(**p) for p in doc["duplicates"]],
            hard_negatives=[PlantedPair(**p) for p in doc["hard_negatives"]],
            flaws=[PlantedFlaw(**f) for f in doc["flaws"]],
            generator_version=doc.get("generator_version", 0),
        )


# --- recipes: an item as the choices it was made of ----------------------------------------------


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    female: bool

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    def pronouns(self) -> tuple[str, str, str]:
        return ("she", "her", "her") if self.female else ("he", "him", "his")


Topic: TypeAlias = "data.Topic | data.NumericTopic"


@dataclass
class Recipe:
    """Everything an item is made of, so a copy can change one thing and be rendered again."""

    topic: Topic
    lead: str
    context: list[tuple[str, dict[str, str]]]  # sentence templates with their content fills
    staff: Person
    other: Person
    values: dict[str, str]  # town, date, age, count and a calculation's numbers
    key: str
    distractors: list[str]
    order: list[int]  # option letter i shows choices[order[i]]; choices = [key, *distractors]
    x: str = ""  # the fact the lead-in asks about (map topics)
    numeric: bool = False
    recall: bool = False
    stem_override: str | None = None  # a stem edited after rendering (swapped words, flaws)
    option_override: list[str] | None = None

    def choices(self) -> list[str]:
        return [self.key, *self.distractors]


class _Names(dict[str, str]):
    """Template fields: a person's full name the first time, the first name after that."""

    def __init__(self, recipe: Recipe, fills: Mapping[str, str]) -> None:
        super().__init__()
        self.recipe = recipe
        self.fills = fills
        self.seen: set[str] = set()

    def __missing__(self, name: str) -> str:
        r = self.recipe
        people = {"s": r.staff, "p": r.other}
        if name in people:
            person = people[name]
            if name in self.seen:
                return person.first
            self.seen.add(name)
            return person.full
        if name in ("sf", "pf"):
            person = people[name[0]]
            self.seen.add(name[0])
            return person.first
        if name in ("ss", "so", "sp", "ps", "po", "pp"):
            person = people[name[0]]
            return person.pronouns()["spo".index(name[1])]
        if name in self.fills:
            return self.fills[name]
        if name in r.values:
            return r.values[name]
        if name == "x":
            return r.x
        raise KeyError(name)


def _sentence(template: str, names: _Names, fills: Mapping[str, str]) -> str:
    names.fills = fills
    text = template.format_map(names)
    return text[0].upper() + text[1:]


def render_stem(r: Recipe) -> str:
    if r.stem_override is not None:
        return r.stem_override
    names = _Names(r, {})
    parts = [_sentence(t, names, fills) for t, fills in r.context]
    parts.append(_sentence(r.lead, names, {}))
    return " ".join(parts)


def render_options(r: Recipe) -> tuple[dict[str, str], str]:
    """Options A-D and the answer letter."""
    if r.option_override is not None:
        texts = r.option_override
    else:
        choices = r.choices()
        texts = [choices[i] for i in r.order]
    return dict(zip(LETTERS, texts)), LETTERS[texts.index(r.key)]


# --- numbers ------------------------------------------------------------------------------------


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _parse_money(text: str) -> float:
    return float(text.replace("$", "").replace(",", ""))


def _numeric_values(topic: data.NumericTopic, rng: random.Random) -> tuple[dict[str, str], str, list[str]]:
    """Numbers for a calculation, the key, and three distractors (common mistakes)."""
    for _ in range(100):
        if topic.name in ("overtime-gross", "overtime-pay"):
            rate = rng.randrange(1500, 4001, 25) / 100
            hours = rng.randint(41, 56)
            over = hours - 40
            values = {"rate": f"{rate:.2f}", "hours": str(hours)}
            if topic.name == "overtime-gross":
                key = 40 * rate + over * 1.5 * rate
                wrong = [hours * rate, 40 * rate + over * 2 * rate, 40 * rate + over * 0.5 * rate, hours * 1.5 * rate]
            else:
                key = over * 1.5 * rate
                wrong = [over * rate, over * 2 * rate, over * 0.5 * rate, hours * 0.5 * rate]
        elif topic.name == "petty-cash":
            fund = rng.choice((100, 150, 200, 250, 300, 400, 500))
            cash = rng.randrange(5 * fund, 90 * fund, 25) / 100
            values = {"fund": f"{fund:.2f}", "cash": f"{cash:.2f}"}
            key = fund - cash
            wrong = [cash, float(fund), fund + key, key / 2]
        elif topic.name == "account-balance":
            prev = rng.randrange(0, 40001, 50) / 100
            charge = rng.randrange(6000, 45001, 50) / 100
            ins = rng.randrange(0, int(charge * 80), 50) / 100
            paid = rng.randrange(1000, 6001, 500) / 100
            values = {"prev": f"{prev:,.2f}", "charge": f"{charge:,.2f}", "ins": f"{ins:,.2f}", "paid": f"{paid:,.2f}"}
            key = prev + charge - ins - paid
            wrong = [prev + charge - ins, prev + charge - paid, charge - ins - paid, prev + charge]
        else:  # aging
            days = rng.randint(3, 200)
            values = {"days": str(days)}
            index = 0 if days <= 30 else 1 if days <= 60 else 2 if days <= 90 else 3 if days <= 120 else 4
            others = [b for i, b in enumerate(data.AGING_BUCKETS) if i != index]
            rng.shuffle(others)
            return values, data.AGING_BUCKETS[index], others[:3]
        key_text = _money(key)
        distractors = list(dict.fromkeys(_money(w) for w in wrong if w > 0 and _money(w) != key_text))
        if key > 0 and len(distractors) >= 3:
            return values, key_text, distractors[:3]
    raise RuntimeError(f"no distinct numbers for {topic.name}")  # pragma: no cover


_LEADING_NUMBER = re.compile(r"^\$?(\d[\d,]*(?:\.\d+)?)")


def _ascending(choices: list[str]) -> list[int] | None:
    """Option order with numbers ascending ("30 days" before "60 days", as the item-writing guide
    asks), or None unless every option is a number of the same form."""
    found = [_LEADING_NUMBER.match(c) for c in choices]
    if not all(found) or len({re.sub(r"[\d,.]+", "#", c.lower()) for c in choices}) > 1:
        return None  # not all numbers, or numbers of different kinds ("32 inches", "1 inch per 12")
    values = [float(m.group(1).replace(",", "")) for m in found if m]
    return sorted(range(len(choices)), key=lambda i: values[i])


def _numeric_order(r: Recipe) -> list[int]:
    """Options in logical order: amounts ascending, aging columns in report order."""
    choices = r.choices()
    if r.topic.name == "aging":
        return sorted(range(4), key=lambda i: data.AGING_BUCKETS.index(choices[i]))
    return sorted(range(4), key=lambda i: _parse_money(choices[i]))


# --- the generator ------------------------------------------------------------------------------


_WORDS = re.compile(r"[a-z0-9]+")
_FIELDS = string.Formatter()


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.lower())


_DIGIT_WORD = re.compile(r"[a-z0-9]*[0-9][a-z0-9]*")
_MASKED_WORDS = re.compile(r"#|[a-z0-9]+")


def _masked(text: str) -> tuple[str, ...]:
    return tuple(sorted(_MASKED_WORDS.findall(_DIGIT_WORD.sub("#", text.lower()))))


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.by_area: dict[int, list[Topic]] = {}
        for topic in (*data.TOPICS, *data.NUMERIC_TOPICS):
            self.by_area.setdefault(int(topic.sub[:-1]), []).append(topic)
        self.recall_used: set[tuple[str, str]] = set()
        self.seen_stems: set[tuple[str, ...]] = set()
        self.seen_masked: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
        self.by_key: dict[tuple[str, ...], list[int]] = {}  # word sets as bitmasks
        self.vocabulary: dict[str, int] = {}

    # people, values and scenes

    def person(self, female: bool | None = None) -> Person:
        female = self.rng.random() < 0.6 if female is None else female
        first = self.rng.choice(data.FEMALE if female else data.MALE)
        return Person(first, self.rng.choice(data.SURNAMES), female)

    def values(self) -> dict[str, str]:
        day = date(2024, 1, 1) + timedelta(days=self.rng.randrange(0, 1000))
        month = data.MONTHS[day.month - 1]
        text = f"{month} {day.day}" if self.rng.random() < 0.6 else f"{month} {day.day}, {day.year}"
        return {
            "town": self.rng.choice(data.TOWNS),
            "date": text,
            "age": str(self.rng.randint(19, 88)),
            "count": str(self.rng.randint(6, 60)),
        }

    def fill(self, template: str) -> dict[str, str]:
        names = {f for _, f, _, _ in _FIELDS.parse(template) if f}
        return {f: self.rng.choice(data.POOLS[f]) for f in sorted(names) if f in data.POOLS}

    def scenario(self, scene_name: str, details: int) -> list[tuple[str, dict[str, str]]]:
        scene = data.SCENES[scene_name]
        opener = self.rng.choice(scene.openers)
        chosen = self.rng.sample(scene.details, details)
        return [(t, self.fill(t)) for t in (opener, *chosen)]

    # base items

    def topic(self) -> Topic:
        area = self.rng.choices(list(AREA_WEIGHTS), weights=list(AREA_WEIGHTS.values()))[0]
        topics = self.by_area[area]
        # a calculation's items differ mostly in their figures: fewer of them keep them distinct
        weights = [NUMERIC_WEIGHT if isinstance(t, data.NumericTopic) else 1.0 for t in topics]
        return self.rng.choices(topics, weights=weights)[0]

    def base(self) -> Recipe:
        for _ in range(1000):
            topic = self.topic()
            recipe = self._numeric(topic) if isinstance(topic, data.NumericTopic) else self._mapped(topic)
            if recipe is not None and self.accept(recipe):
                return recipe
        raise RuntimeError("could not make a distinct item; the bank is too large for the content tables")

    def _mapped(self, topic: data.Topic) -> Recipe | None:
        index = self.rng.randrange(len(topic.facts))
        fact = topic.facts[index]
        x, key = fact[0], fact[1]
        pool = list(fact[2]) if len(fact) > 2 else [a for a in topic.answers if a != key]  # type: ignore[misc]
        distractors = self.rng.sample([a for a in pool if a != key], 3)
        recall = (topic.name, x) not in self.recall_used and self.rng.random() < 0.15
        if recall:
            lead, context = self.rng.choice(topic.recall), []
        else:
            lead = self.rng.choice(topic.leads)
            context = self.scenario(topic.scene, self.rng.choices((0, 1, 2), weights=(1, 2, 1))[0])
        order = _ascending([key, *distractors])
        if order is None:  # options with no numbers go in any order
            order = list(range(4))
            self.rng.shuffle(order)
        return Recipe(
            topic=topic,
            lead=lead,
            context=context,
            staff=self.person(),
            other=self.person(),
            values=self.values(),
            key=key,
            distractors=distractors,
            order=order,
            x=x,
            recall=recall,
        )

    def _numeric(self, topic: data.NumericTopic) -> Recipe:
        values, key, distractors = _numeric_values(topic, self.rng)
        sentence = self.rng.choice(topic.sentences)
        context = self.scenario(topic.scene, 0) + [(sentence, self.fill(sentence))]
        recipe = Recipe(
            topic=topic,
            lead=self.rng.choice(topic.leads),
            context=context,
            staff=self.person(),
            other=self.person(),
            values={**self.values(), **values},
            key=key,
            distractors=distractors,
            order=[],
            numeric=True,
        )
        recipe.order = _numeric_order(recipe)
        return recipe

    def accept(self, r: Recipe, register: bool = True) -> bool:
        """Whether `r` is a distinct question next to every base item so far (and remember it)."""
        stem = render_stem(r)
        words = _words(stem)
        plain = tuple(words)
        masked = (_masked(stem), _masked(r.key))
        if plain in self.seen_stems or masked in self.seen_masked:
            return False
        # Leave names, towns, dates and figures out: two items that differ only in those (and a
        # few words) are copies, so those words must not make them look distinct. Jaccard 0.6 of
        # word sets is a Dice of 0.75, a margin below the 0.8 stem similarity dedupe needs.
        bag = 0
        for word in set(words) - NON_CONTENT:  # a bitmask: Jaccard by popcount, cheap
            if word.isalpha():
                bag |= 1 << self.vocabulary.setdefault(word, len(self.vocabulary))
        size = bag.bit_count()
        # A calculation's items are compared with the whole topic: with other figures, and
        # sometimes the same key by chance, they are copies of one another.
        group = ("=" + r.topic.name,) if r.numeric else tuple(_words(r.key))
        same_key = self.by_key.setdefault(group, [])
        limit = MAX_SHARED_WORDS
        for other in same_key:
            shared = (bag & other).bit_count()
            if shared >= limit * (size + other.bit_count() - shared):
                return False
        if register:
            if r.recall:
                self.recall_used.add((r.topic.name, r.x))
            self.seen_stems.add(plain)
            self.seen_masked.add(masked)
            same_key.append(bag)
        return True

    # planted duplicates

    def copy(self, base: Recipe, kind: str) -> Recipe | None:
        """A duplicate of `base` of the given kind, or None when the kind does not apply to it."""
        r = Recipe(
            **{
                **base.__dict__,
                "context": list(base.context),
                "values": dict(base.values),
                "distractors": list(base.distractors),
                "order": list(base.order),
            }
        )
        stem = render_stem(base)
        if kind == "exact":
            r.stem_override = self.surface_variant(stem)
            options, _ = render_options(base)
            texts = [self.surface_option(t) for t in options.values()]
            self.rng.shuffle(texts)
            r.option_override = texts
            r.key = texts[[_words(t) for t in texts].index(_words(base.key))]
            return r
        if kind == "shuffle":
            return self._reordered_options(r)
        if kind == "name":
            if base.recall:
                return None
            r.staff = self._other_person(base.staff)
            r.other = self._other_person(base.other)
        elif kind == "number":
            if base.numeric:
                for _ in range(20):
                    values, key, distractors = _numeric_values(base.topic, self.rng)  # type: ignore[arg-type]
                    if values != {k: base.values[k] for k in values}:
                        break
                r.values.update(values)
                r.key, r.distractors = key, distractors
                r.order = _numeric_order(r)
            else:
                used = {f for t, _ in base.context for _, f, _, _ in _FIELDS.parse(t) if f}
                changing = used & {"date", "age", "count"}
                if not changing:
                    return None
                fresh = self.values()
                for name in changing:
                    r.values[name] = fresh[name]
        elif kind == "reorder":
            if len(base.context) < 2:
                return None
            while r.context == base.context:
                self.rng.shuffle(r.context)
        elif kind == "swap":
            swapped = self.swap_words(stem)
            if swapped is None:
                return None
            r.stem_override = swapped
        elif kind == "distractor":
            replaced = self._replace_distractor(r)
            if replaced is None:
                return None
            r = replaced
        if render_stem(r) == stem and render_options(r) == render_options(base) and kind != "distractor":
            return None
        return r

    def _other_person(self, person: Person) -> Person:
        while True:
            fresh = self.person(person.female)
            if fresh.first != person.first and fresh.last != person.last:
                return fresh

    def _reordered_options(self, r: Recipe) -> Recipe:
        original = list(r.order)
        while r.order == original:
            self.rng.shuffle(r.order)
        return r

    def _replace_distractor(self, r: Recipe) -> Recipe | None:
        choices = r.choices()
        if r.numeric:
            if r.topic.name == "aging":
                pool = [b for b in data.AGING_BUCKETS if b not in choices]
            else:
                key = _parse_money(r.key)
                pool = [_money(key * f) for f in (0.8, 0.9, 1.1, 1.25, 1.4)]
                pool = [p for p in pool if p not in choices]
        else:
            topic = r.topic
            assert isinstance(topic, data.Topic)
            fact = next(f for f in topic.facts if f[0] == r.x)
            pool = list(fact[2]) if len(fact) > 2 else list(topic.answers)  # type: ignore[misc]
            pool = [p for p in pool if p not in choices]
        if not pool:
            return None
        slot = self.rng.randrange(3)
        r.distractors[slot] = self.rng.choice(pool)
        if r.numeric:
            r.order = _numeric_order(r)
        return r

    def surface_variant(self, text: str) -> str:
        """The same words with other case, punctuation, spacing and Unicode compatibility forms."""
        ops: list[Callable[[str], str]] = [
            lambda t: t.lower(),
            lambda t: t.replace(",", "", 1) if "," in t else t + " ",
            lambda t: t.replace(" ", "  ", 2),
            lambda t: t.replace("'", "\u2019"),
            lambda t: t.replace("?", " ?"),
            lambda t: re.sub(r"\d", lambda m: chr(ord(m.group()) + 0xFEE0), t, count=2),
            lambda t: t.replace(". ", "; ", 1),
            lambda t: t.replace(" ", "\u00a0", 1),
        ]
        out = text
        for op in self.rng.sample(ops, 3):
            out = op(out)
        return out if out != text else text + " "

    def surface_option(self, text: str) -> str:
        return text.upper() if len(text) < 12 and self.rng.random() < 0.3 else text.replace(" ", "\u00a0", 1)

    def swap_words(self, stem: str) -> str | None:
        words = stem.split(" ")
        spots = [i for i, w in enumerate(words) if w.strip(".,?;:'").lower() in data.SYNONYMS]
        if not spots:
            return None
        for i in self.rng.sample(spots, min(len(spots), self.rng.randint(1, 3))):
            word = words[i]
            core = word.strip(".,?;:'")
            new = data.SYNONYMS[core.lower()]
            if core[0].isupper():
                new = new[0].upper() + new[1:]
            words[i] = word.replace(core, new, 1)
        return " ".join(words)

    # hard negatives

    def hard_negative(self, base: Recipe) -> tuple[Recipe, str] | None:
        """The same scenario and lead-in wording asking about another fact (another key)."""
        topic = base.topic
        if base.numeric or not base.context or not isinstance(topic, data.Topic):
            return None
        choices = base.choices()
        others = [f for f in topic.facts if f[1] != base.key and len(f) == 2]
        self.rng.shuffle(others)
        others.sort(key=lambda f: f[1] not in choices)  # the same four options first
        for fact in others:
            r = Recipe(
                **{
                    **base.__dict__,
                    "context": list(base.context),
                    "distractors": list(base.distractors),
                    "order": list(base.order),
                }
            )
            r.x, r.key = fact[0], fact[1]
            if fact[1] in choices:
                rest = [c for c in choices if c != fact[1]]
                r.distractors = rest
                texts = [choices[i] for i in base.order]
                r.order = [([fact[1], *rest]).index(t) for t in texts]
                kind = "same-options"
            else:
                pool = [a for a in topic.answers if a not in (fact[1], *choices)]
                keep = [c for c in base.distractors if c != fact[1]][:2]
                r.distractors = keep + self.rng.sample(pool, 3 - len(keep)) if len(pool) >= 3 - len(keep) else []
                if len(r.distractors) != 3:
                    continue
                kind = "other-question"
            if self.accept(r):
                return r, kind
        return None

    # lint flaws

    def flaw(self, r: Recipe, kind: str) -> bool:
        """Plant one flaw of `kind` in `r`; False when the kind does not fit the item."""
        stem = render_stem(r)
        options, _ = render_options(r)
        texts = list(options.values())
        wrong = [i for i, t in enumerate(texts) if t != r.key]
        if kind in ("all-of-the-above", "none-of-the-above", "combination-option"):
            if kind != "combination-option" and r.numeric:
                return False
            texts[self.rng.choice(wrong)] = {
                "all-of-the-above": "All of the above",
                "none-of-the-above": "None of the above",
                "combination-option": "Both A and B",
            }[kind]
            r.option_override = texts
        elif kind == "no-question-mark":
            r.stem_override = stem.rstrip("?").rstrip() + "."
        elif kind == "vague-lead-in":
            names = _Names(r, {})
            context = " ".join(_sentence(t, names, fills) for t, fills in r.context)
            r.stem_override = (context + " " if context else "") + "Which of the following is true?"
        elif kind == "key-longest":
            if r.numeric:
                return False
            at = texts.index(r.key)
            r.key = texts[at] = r.key + ", as the current federal rules require in every setting"
            r.option_override = texts
        elif kind == "absolute-term":
            if not (isinstance(r.topic, data.Topic) and r.topic.actions):
                return False
            at = self.rng.choice(wrong)
            texts[at] = "Always " + texts[at][0].lower() + texts[at][1:]
            r.option_override = texts
        elif kind == "phi-ssn":
            r.stem_override = f"The file lists the Social Security number {self.rng.randint(100, 665)}-{self.rng.randint(10, 99)}-{self.rng.randint(1000, 9999)}. {stem}"
        elif kind == "phi-phone":
            r.stem_override = f"The callback number in the chart is (555) {self.rng.randint(200, 989)}-{self.rng.randint(1000, 9999)}. {stem}"
        elif kind == "doubled-space":
            r.stem_override = stem.replace(" ", "  ", 1)
        elif kind == "numeric-out-of-order":
            ordered = _numeric_order(r) if r.numeric else _ascending(r.choices())
            if ordered is None or r.option_override is not None:
                return False
            while r.order == ordered:
                self.rng.shuffle(r.order)
        elif kind == "trailing-whitespace":
            pass  # written by the YAML writer
        return True


# --- writing ------------------------------------------------------------------------------------


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _area_folders() -> dict[int, str]:
    from cmas_bank.outline import load_outline

    outline = load_outline("cmas-2020")
    return {a.number: f"{a.number:02d}-{_slug(a.name)}" for a in outline.work_areas}


def _wrap(text: str, width: int) -> list[str]:
    """Greedy wrapping at single spaces (textwrap is several times slower, and would collapse
    the doubled spaces that some planted copies and flaws rely on)."""
    lines: list[str] = []
    line: str | None = None
    for word in text.split(" "):
        if line is None:
            line = word
        elif word and line.strip() and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line += " " + word
    lines.append(line or "")
    return [ln.rstrip(" ") for ln in lines]


def _block(text: str, width: int = 96, trailing_space: bool = False) -> str:
    lines = _wrap(text, width) or [text]
    if trailing_space:
        lines[0] += "  "
    return "|-\n" + "\n".join("  " + line for line in lines)


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _rationale(r: Recipe, options: dict[str, str], answer: str) -> str:
    wrong = [f"{t} ({k})" for k, t in options.items() if k != answer]
    if r.numeric:
        why = f"the figures in the stem give {r.key}"
    else:
        why = f"{r.x} corresponds to {r.key}"
    return (
        f"{r.key} ({answer}) is correct because {why}, as the reference explains. "
        f"{', '.join(wrong[:-1])} and {wrong[-1]} do not answer this question."
    )


def item_yaml(item_id: str, r: Recipe, rng: random.Random, trailing_space: bool = False) -> str:
    """One item file; valid against the model (status approved needs references and a review by
    someone who is not an author)."""
    stem = render_stem(r)
    options, answer = render_options(r)
    created = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 900))
    updated = created + timedelta(days=rng.randrange(0, 60))
    status = rng.choices(("approved", "review", "draft"), weights=(85, 10, 5))[0]
    author = rng.choice(data.AUTHORS)
    level = "recall" if r.recall else rng.choices(("application", "analysis"), weights=(4, 1))[0]
    lines = [
        f"id: {item_id}",
        f"domain: {int(r.topic.sub[:-1])}",
        f"subdomain: {r.topic.sub}",
        f"status: {status}",
        f"difficulty: {rng.choice(('easy', 'medium', 'medium', 'hard'))}",
        f"cognitive_level: {level}",
        f"stem: {_block(stem, trailing_space=trailing_space)}",
        "options:",
        *(f"  {k}: {_quote(v)}" for k, v in options.items()),
        f"answer: {answer}",
        f"rationale: {_block(_rationale(r, options, answer))}",
        "references:",
        f"  - {_quote(r.topic.reference)}",
        "authors:",
        f"  - {_quote(author)}",
    ]
    if status != "draft":
        reviewed = updated + timedelta(days=rng.randrange(0, 20))
        verdict = "approved" if status == "approved" else "changes-requested"
        lines += [
            "reviews:",
            f"  - reviewer: {_quote(rng.choice(data.REVIEWERS))}",
            f"    date: {reviewed.isoformat()}",
            f"    verdict: {verdict}",
            "    notes: Checked the key and the distractors against the reference.",
        ]
    if status == "approved":
        lines.append(f'    digest: "{_digest(lines)}"')
    tags = ", ".join(r.topic.tags)
    lines += [f"tags: [{tags}]", "enemies: []", f"created: {created.isoformat()}", f"updated: {updated.isoformat()}"]
    return "\n".join(lines) + "\n"


def _digest(lines: list[str]) -> str:
    """The content digest of the item being written (its review saw it as written: no IV210)."""
    from cmas_bank.digest import content_digest
    from cmas_bank.loader import LoadedFile, load_bytes
    from cmas_bank.model import Item

    head = "\n".join([*lines, "created: 2024-01-01", "updated: 2024-01-01"]) + "\n"
    loaded = load_bytes(head.encode("utf-8"), LoadedFile(path=Path("item.yaml"), display="item.yaml"))
    return content_digest(Item.model_validate(loaded.data))


# --- the entry point ----------------------------------------------------------------------------


def generate_bank(
    folder: Path,
    n: int,
    seed: int = 0,
    *,
    duplicate_rate: float = 0.05,
    hard_negative_rate: float = 0.02,
    flaw_rate: float = 0.05,
    overwrite: bool = False,
) -> GroundTruth:
    """Write a bank of `n` items into `folder` (which must be absent or empty unless `overwrite`)
    and its ground truth into `folder/ground-truth.json`; return the ground truth."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()) and not overwrite:
        raise FileExistsError(f"{folder} is not empty (pass overwrite=True to replace it)")
    gen = _Generator(seed)
    rng = gen.rng
    n_dup = round(n * duplicate_rate)
    n_neg = round(n * hard_negative_rate)
    n_base = n - n_dup - n_neg
    if n_base < 1:
        raise ValueError("n is too small for the planted rates")
    recipes: list[Recipe] = [gen.base() for _ in range(n_base)]
    roles: dict[int, str] = {}  # index -> "base", "copy" or "negative"
    duplicates: list[tuple[int, int, str]] = []
    negatives: list[tuple[int, int, str]] = []

    copied: list[int] = []
    attempts = 0
    while len(duplicates) < n_dup:
        attempts += 1
        if attempts > 100 * max(n_dup, 1):
            raise RuntimeError("could not plant the duplicates; n is too small")
        kind = DUPLICATE_KINDS[len(duplicates) % len(DUPLICATE_KINDS)]
        second = copied and rng.random() < 0.1
        base_index = rng.choice(copied) if second else rng.randrange(n_base)
        if roles.get(base_index, "base") != "base":
            continue
        made = gen.copy(recipes[base_index], kind)
        if made is None:
            continue
        recipes.append(made)
        roles[base_index], roles[len(recipes) - 1] = "base", "copy"
        duplicates.append((base_index, len(recipes) - 1, kind))
        copied.append(base_index)
    attempts = 0
    while len(negatives) < n_neg and attempts < 50 * max(n_neg, 1):
        attempts += 1
        base_index = rng.randrange(n_base)
        found = gen.hard_negative(recipes[base_index])
        if found is None:
            continue
        recipes.append(found[0])
        roles.setdefault(base_index, "base")
        roles[len(recipes) - 1] = "negative"
        negatives.append((base_index, len(recipes) - 1, found[1]))

    flaws: list[tuple[int, str]] = []
    trailing: set[int] = set()
    free = [i for i in range(n_base) if i not in roles]
    rng.shuffle(free)
    want = round(n * flaw_rate)
    pending = deque(free)
    turn = 0
    while len(flaws) < want and pending and turn < 100 * max(want, 1):
        kind = FLAW_KINDS[turn % len(FLAW_KINDS)]  # every kind in turn, on an item it fits
        turn += 1
        for _ in range(min(len(pending), 500)):
            i = pending.popleft()
            if gen.flaw(recipes[i], kind):
                if kind == "trailing-whitespace":
                    trailing.add(i)
                flaws.append((i, kind))
                break
            pending.append(i)
    # Copies can carry a flaw of their own: doubled spaces from an exact copy's spacing changes,
    # numbers out of order from shuffled options. Recorded, so lint benchmarks can count them.
    for _, copy_index, _ in duplicates:
        r = recipes[copy_index]
        if "  " in render_stem(r):
            flaws.append((copy_index, "doubled-space"))
        texts = list(render_options(r)[0].values())
        ordered = _ascending([t.replace("\u00a0", " ") for t in texts])
        if ordered is not None and ordered != list(range(len(texts))):
            flaws.append((copy_index, "numeric-out-of-order"))

    # ids in shuffled order, so a copy's id says nothing about its base
    order = list(range(len(recipes)))
    rng.shuffle(order)
    folders = _area_folders()
    ids: dict[int, str] = {}
    paths: dict[int, str] = {}
    for serial, index in enumerate(order, 1):
        area = int(recipes[index].topic.sub[:-1])
        ids[index] = f"SYN-{area:02d}-{serial:06d}"
        paths[index] = f"{folders[area]}/{ids[index]}.yaml"

    truth = GroundTruth(
        seed=seed,
        items=len(recipes),
        duplicates=[PlantedPair(ids[a], ids[b], kind, EXPECTED_CODE[kind]) for a, b, kind in duplicates],
        hard_negatives=[PlantedPair(ids[a], ids[b], kind) for a, b, kind in negatives],
        flaws=[PlantedFlaw(ids[i], kind, paths[i]) for i, kind in flaws],
    )
    _write(folder, recipes, ids, paths, trailing, truth, rng, overwrite)
    return truth


def _write(
    folder: Path,
    recipes: list[Recipe],
    ids: dict[int, str],
    paths: dict[int, str],
    trailing: set[int],
    truth: GroundTruth,
    rng: random.Random,
    overwrite: bool,
) -> None:
    from cmas_bank.fileio import atomic_write_text

    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for sub in sorted({p.split("/")[0] for p in paths.values()}):
            (staging / sub).mkdir()
        for index in sorted(ids, key=lambda i: ids[i]):
            text = item_yaml(ids[index], recipes[index], rng, trailing_space=index in trailing)
            with open(staging / paths[index], "w", encoding="utf-8") as fh:
                fh.write(text)
        atomic_write_text(staging / TRUTH_FILE, truth.to_json())
        if folder.exists():
            if overwrite:
                shutil.rmtree(folder)
            else:
                folder.rmdir()  # empty, checked above
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    truth = generate_bank(args.folder, args.items, args.seed, overwrite=args.overwrite)
    print(
        f"wrote {truth.items:,} items to {args.folder} in {time.perf_counter() - start:.1f} s: "
        f"{len(truth.duplicates)} planted duplicates, {len(truth.hard_negatives)} hard negatives, "
        f"{len(truth.flaws)} lint flaws",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
