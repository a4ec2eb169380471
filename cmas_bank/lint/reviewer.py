"""Rules for what strict reviewers send back (issue 15), beyond the older families' checks:
paired options (IW213), a key that echoes a stem word in another form (IW307), a stem that
restates the key's definition (IW308) and an application or analysis label on an item with no
scenario (IW414). Each rule belongs to its code's family (IW2 options, IW3 cues, IW4 hygiene);
they live together because they were measured together (see the README's "Lint" section).

Word forms are compared with the Snowball English (Porter 2) stemmer from `snowballstemmer`
(BSD-3-Clause), imported on the first item that needs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from cmas_bank.diagnostics import Severity
from cmas_bank.lint.core import Finding, ItemContext, Options, rule
from cmas_bank.lint.text import DOMAIN_COMMON, STOPWORDS, WORD, without_articles, words

# --- word forms -------------------------------------------------------------------------------

_STEMMER: list[Any] = []


@lru_cache(maxsize=65536)
def snowball(word: str) -> str:
    """The Snowball (Porter 2) English stem of a lower-case word: "respects" and "respect" meet,
    "explain" and "explaining" meet."""
    if not _STEMMER:
        import snowballstemmer  # type: ignore[import-untyped]  # no type information shipped

        _STEMMER.append(snowballstemmer.stemmer("english"))
    return str(_STEMMER[0].stemWord(word))


# Particles are stop words to IW303, but "out of the file room" / "An out guide" is an echo.
_PARTICLES = frozenset({"out", "off", "up", "down", "over", "back", "under", "above", "below"})
_FUNCTION = STOPWORDS - _PARTICLES


def _parts(token: str) -> list[str]:
    """A word and, for a hyphenated compound, its parts ("teach-back": teach-back, teach, back)."""
    return [token, *token.split("-")] if "-" in token else [token]


def _echo_words(tokens: list[str], ignore: frozenset[str], min_length: int) -> dict[str, str]:
    """Snowball stem -> the first word with it, over the content words (and compound parts)."""
    out: dict[str, str] = {}
    for token in tokens:
        for w in _parts(token):
            if len(w) >= min_length and w.isalpha() and w not in _FUNCTION and w not in ignore:
                out.setdefault(snowball(w), w)
    return out


# --- IW213 paired options ---------------------------------------------------------------------

# A number written with separators is one value: "02/12" and "08/05" are one slot each.
_NUMBER_JOIN = re.compile(r"(?<=\d)[/.:,](?=\d)")


def _is_code(word: str) -> bool:
    """Whether a word is a code: letters and digits in one word ("W-2", "I-9", "CMS-1500", "E11")."""
    return any(c.isdigit() for c in word) and any(c.isalpha() for c in word)


_ROMAN = {r: i for i, r in enumerate(("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"), 1)}
_ORDINAL = {w: i for i, w in enumerate(("first", "second", "third", "fourth", "fifth", "sixth"), 1)}
# Grades of one scale: any two of them are members of a closed set ("Low-level" / "High-level").
_SCALES = (
    frozenset({"low", "intermediate", "moderate", "high"}),
    frozenset({"mild", "moderate", "severe"}),
    frozenset({"minor", "major"}),
)

Slot = tuple[tuple[str, ...], tuple[str, ...]]


def _slot_words(text: str) -> tuple[str, ...]:
    """An option's words as compared for pairs: no articles, hyphenated words split
    ("puncture-resistant" is two words) but codes kept whole ("W-2"), a number written with
    separators one word ("02/12"), and words by their Snowball stem ("day" and "days" meet)."""
    ws = without_articles(words(_NUMBER_JOIN.sub("", text)))
    parts = (p for w in ws for p in ([w] if _is_code(w) else w.split("-")) if p)
    return tuple(snowball(p) if p.isalpha() and p not in _FUNCTION else p for p in parts)


def _rank(word: str) -> int | None:
    """The place of a label in an ordered series: 1, 2, II, third, 2nd, B (None for other words)."""
    if word.isdigit() and len(word) <= 2:
        return int(word)
    if word in _ROMAN:
        return _ROMAN[word]
    if word in _ORDINAL:
        return _ORDINAL[word]
    if len(word) == 1 and word.isalpha():
        return ord(word) - ord("a") + 1
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)", word)
    return int(m.group(1)) if m else None


def _content(ws: tuple[str, ...]) -> int:
    """How many content words `ws` holds, a code counting its parts ("CMS-1500" is two)."""
    return sum(len(w.split("-")) if _is_code(w) else 1 for w in ws if w not in _FUNCTION)


def _split(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[int, int]:
    """The lengths of the words two options begin and end with alike."""
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def _slot(a: tuple[str, ...], b: tuple[str, ...], max_words: int, common: tuple[int, int] = (0, 0)) -> Slot | None:
    """Two options as one frame with one slot filled differently: each option's filler, or None.

    The frame is the words before and after the slot, at least as many as the shorter filler
    and half the longer, which has at most `max_words` words. A frame that leads with a content
    word must hold two content words or three words in all, counting the `common` frame of every
    option that was taken off (its content words, its words): "30 days from receipt of the request" / "30 days from the
    date of her last visit", "CMS-1500 (02/12)" / "CMS-1500 (08/05)". A frame after the slot
    only must hold two content words and be as long as the fillers ("The primary payer's EOB" /
    "The secondary payer's EOB"): a shared word alone ("Wave scheduling" / "Stream
    scheduling", "Risk analysis" / "Risk management") is how categories are named, not a pair.
    Two codes in the slot ("Form W-2" / "Form W-4") name two things."""
    if a == b:
        return None
    prefix, suffix = _split(a, b)
    mid_a, mid_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    longest = max(len(mid_a), len(mid_b))
    if not mid_a or not mid_b or longest > max_words:
        return None  # one option is the other with words added (IW305's business), or a whole new phrase
    frame = a[:prefix] + a[len(a) - suffix :]
    if len(frame) < min(len(mid_a), len(mid_b)) or 2 * len(frame) < longest:
        return None
    if len(mid_a) == len(mid_b) == 1 and _is_code(mid_a[0]) and _is_code(mid_b[0]):
        return None
    if _content(a[:prefix]):
        ok = _content(frame) + common[0] >= 2 or len(frame) + common[1] >= 3
    else:
        ok = _content(a[len(a) - suffix :]) >= 2 and len(frame) >= longest
    return (mid_a, mid_b) if ok else None


def _closed_set(mid_a: tuple[str, ...], mid_b: tuple[str, ...]) -> bool:
    """Whether two slot fillers are members of a closed set of categories: neighbouring labels of
    a series ("Stage 1" / "Stage 2", "Level I" / "Level II", "Part A" / "Part B") or grades of
    one scale ("Low-level" / "High-level")."""
    if len(mid_a) != 1 or len(mid_b) != 1:
        return False
    (x,), (y,) = mid_a, mid_b
    if any(x in scale and y in scale for scale in _SCALES):
        return True
    rx, ry = _rank(x), _rank(y)
    return rx is not None and ry is not None and abs(rx - ry) == 1


def _common_frame(opts: list[tuple[str, ...]]) -> tuple[tuple[int, int], list[tuple[str, ...]]]:
    """The options without the words every one of them begins or ends with ("Keep it in ...",
    "It is kept ..."), the question's frame rather than a pair's, and how many content words
    and words that frame holds."""
    shortest = min(len(o) for o in opts)
    prefix = 0
    while prefix < shortest - 1 and all(o[prefix] == opts[0][prefix] for o in opts):
        prefix += 1
    suffix = 0
    while suffix < shortest - 1 - prefix and all(o[-1 - suffix] == opts[0][-1 - suffix] for o in opts):
        suffix += 1
    frame = opts[0][:prefix] + opts[0][len(opts[0]) - suffix :]
    return (_content(frame), len(frame)), [o[prefix : len(o) - suffix] for o in opts]


def _partners(
    normal: dict[str, tuple[str, ...]], max_words: int, common: tuple[int, int]
) -> dict[str, dict[str, Slot]]:
    """For each option, the options that fill one frame with it differently, with the fillers."""
    keys = list(normal)
    found: dict[str, dict[str, Slot]] = {k: {} for k in keys}
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            slot = _slot(normal[a], normal[b], max_words, common)
            if slot is not None:
                found[a][b] = slot
                found[b][a] = (slot[1], slot[0])
    return found


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """The share of the two options' content words that they have in common (Jaccard)."""
    x, y = {w for w in a if w not in _FUNCTION}, {w for w in b if w not in _FUNCTION}
    return len(x & y) / len(x | y) if x | y else 0.0


def _variant_of_pair(words_of: dict[str, tuple[str, ...]], pair: tuple[str, str]) -> bool:
    """Whether another option shares as many of its words with one of the pair as the pair does
    with each other (or half of them): "With no modifier appended" beside "With modifier XS
    appended" / "With modifier 51 appended", "Medicaid first, then the group plan" beside "The
    group plan first, then Medicaid": a family of variants, not one pair."""
    bar = min(0.5, _overlap(words_of[pair[0]], words_of[pair[1]]))
    others = [k for k in words_of if k not in pair]
    return any(_overlap(words_of[k], words_of[p]) >= bar for k in others for p in pair)


@rule("IW213", "paired-options", Severity.WARNING, default=False, max_words=5)
def paired_options(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """Two options fill one frame differently, one of them the key (opt-in).

    What: the key and one distractor are the same words but for one slot: the same words
    before and after it (a frame with a content word, at least half as long as the longer
    filler), each filler of at most `max-words` words ("HCPCS Level II code beginning with E" /
    "... beginning with J", "30 days from receipt of the request" / "30 days from the date of
    her last visit", "CMS-1500 (02/12)" / "CMS-1500 (08/05)", "The primary payer's EOB" /
    "The secondary payer's EOB"), while the other two options vary no frame with these two or
    with each other. A number written with separators ("02/12") is one word. Left alone: a
    closed series of categories, where the fillers are neighbouring labels ("Stage 1" /
    "Stage 2", "Level I" / "Level II", "Part A" / "Part B"); a set in which every option has a
    partner (a 2 x 2 such as "By mouth twice a day", "By mouth at bedtime", "Under the tongue
    once a day", "Under the tongue every four hours"); all-numeric options; and pairs of
    opposites, which IW306 reports. Opt-in (`extend-select` it): a pair is sometimes the
    natural answer set (the two plans a scenario names, when it asks which pays first), so
    read each finding before acting on it.

    Why: a candidate who sees that two options are variants of one another guesses that the
    key is one of them and drops the other two: the item has two working options (the December
    2026 reviews returned CMAS-05-0027 for this). When all four options vary the same frame
    ("Category I code", "Category II code"...) no pair stands out.

    Bad:
        A: Level I modifier
        B: HCPCS Level II code beginning with E
        C: ICD-10-PCS procedure code
        D: HCPCS Level II code beginning with J
        answer: D

    Good:
        A: CPT Category III code
        B: ICD-10-PCS procedure code
        C: Level I modifier
        D: HCPCS Level II code
    """
    if ctx.numbers is not None:
        return  # numeric options: IW209 to IW211 look after their order, ranges and formats
    common, trimmed = _common_frame([_slot_words(v) for v in ctx.options.values()])
    normal = dict(zip(ctx.options, trimmed, strict=True))
    partners = _partners(normal, opts["max-words"], common)
    mine = partners[ctx.key]
    if len(mine) != 1:
        return  # no pair, or the key is one of three or more variants
    ((other, slot),) = mine.items()
    rest = [k for k in partners if k not in (ctx.key, other)]
    if (
        set(partners[other]) != {ctx.key}
        or any(partners[k] for k in rest)
        or _variant_of_pair(normal, (ctx.key, other))
    ):
        return  # a second pair (a 2 x 2) or a third variant: a set, not one pair
    if _closed_set(*slot):
        return
    if all(w.isdigit() for w in (*slot[0], *slot[1])) and all(
        any(c.isdigit() for c in v) for v in ctx.options.values()
    ):
        return  # numbers in a set of numeric options ("3 to 5", "3 to 7"): IW209 to IW211 look after them
    from cmas_bank.lint.cues import _opposites

    if _opposites(ctx.option_words[ctx.key], ctx.option_words[other]):
        return  # IW306 reports an opposite pair
    yield Finding(
        ("options", ctx.key),
        f"the key ({ctx.key}) and option {other} fill one frame differently and no other option is a variant of "
        "them, so the pair points at the key; vary every option alike or replace the pair",
    )


# --- IW307 key-word-form-echo -----------------------------------------------------------------


@rule("IW307", "key-word-form-echo", Severity.WARNING, default=False, min_length=3, max_key_words=2, ignore_words=[])
def key_word_form_echo(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """A stem word reappears in the key in another form, and in no distractor.

    What: a content word of the stem (at least `min-length` letters, not a function word, not
    a word common to every item of the bank such as "patient", not in `ignore-words`) and a
    word of the key, or a part of a hyphenated key word, share a Snowball (Porter 2) stem
    ("explain the steps back" / "Teach-back", "out of the cabinet" / "An out guide"), and no
    distractor echoes that stem word. Stems also meet when the stemmer stops an "i" or an "e"
    apart ("reconciles" / "Bank reconciliation", "verify" / "Eligibility verification") and
    across "-ate" / "-acy" ("private facts" / "Invasion of privacy"). A stem word that every
    option repeats ("What kind of endorsement...?" with "Blank endorsement", "Restrictive
    endorsement"...) names the category asked and counts for none of them, and a distractor
    whose whole text stands in the stem ("paid in May") is an echo. When a distractor echoes
    another stem word, the key is reported only for a word in another form ("summarizes the
    quarter" / "Executive summary" beside "the full reports" / "Incident report"), a particle
    or a compound's part ("out of the file room" / "An out guide" beside "A file guide"): the same
    word in the key and a distractor ("his father" / "The father", "his mother" / "His
    mother's plan") names the scenario's people and things. Only keys that are terms are
    looked at (at most `max-key-words` content words and four words, codes such as "I-9" and
    articles aside) or names (up to four content words, each capitalised: "Form W-4,
    Employee's Withholding Certificate"): in a longer key an echo is usually a fact of the
    scenario. It reports what IW303
    (stem-word-in-key) reports on term keys too ("respects her decision" / "Respect for
    autonomy"), so that a bank opting in to this rule alone sees every echo, and adds the
    echoes IW303's cruder word match misses (compound parts, short words and particles, other
    inflections).

    Why: the "clang association": a candidate matches the stem's word to the key's and finds
    the key without the knowledge the item tests; reviewers returned three items of the
    December 2026 sample for exactly this.

    Bad:
        stem: The specialist asks Mr. Petrakis to explain the steps back to her. Which technique is she using?
        options: {A: Active listening, B: Reflection, C: Summarizing, D: Teach-back}
        answer: D

    Good:
        stem: The specialist asks Mr. Petrakis to show her how he will request his next refill. Which technique is she using?
    """
    if not (_is_term(ctx.option_words[ctx.key], opts["max-key-words"]) or _is_name(ctx.options[ctx.key])):
        return  # a key that is a phrase or a sentence: an echo in it is rarely a cue
    ignore = DOMAIN_COMMON | {w.lower() for w in opts["ignore-words"]}
    stem = _echo_words(ctx.stem_words, ignore, opts["min-length"])
    if not stem:
        return
    from cmas_bank.lint.cues import _distractor_in_stem

    if _distractor_in_stem(ctx):
        return  # "paid in May" when May is an option: a distractor stands in the stem too
    echoes = {k: _echoes(ctx.option_words[k], stem) for k in ctx.options}
    frame = set.intersection(*echoes.values())  # "endorsement" in every option names the category asked
    theirs = set().union(*(echoes[k] for k in ctx.distractors)) - frame
    # When a distractor echoes the stem too, the key still stands out by a word it alone echoes
    # in another form ("summarizes" / "Executive summary" beside "reports" / "Incident report"),
    # or by a particle or a compound's part ("out of the file room" / "An out guide" beside "A
    # file guide"); the same word repeated ("his father" / "The father" beside "his mother" /
    # "His mother's plan") names the scenario's people and things.
    stem = {s: w for s, w in stem.items() if s not in frame and s not in theirs}
    found = _key_echo(ctx.options[ctx.key], stem, strict=bool(theirs))
    if found is not None:
        m, stem_word = found
        yield Finding(
            ("options", ctx.key),
            f'the key\'s "{m.group(0)}" echoes the stem\'s "{stem_word}" and no distractor echoes '
            "that word; reword the stem or use the word in a distractor",
            m.start(),
            m.end(),
        )


def _key_echo(key_text: str, stem: dict[str, str], strict: bool) -> tuple[re.Match[str], str] | None:
    """The key's first word (or a part of a compound) that echoes a stem word of `stem` (stem ->
    word), with that word; when `strict`, only in another form, a particle or a compound's part."""
    for m in WORD.finditer(key_text):
        token = words(m.group(0))
        for w in _parts(token[0]) if token else ():
            if not w.isalpha() or w in _FUNCTION:
                continue
            found = next((s for s in stem if same_stem(snowball(w), s)), None)
            if found is not None and (not strict or _other_form(w, stem[found]) or w in _PARTICLES or w != token[0]):
                return m, stem[found]
    return None


def _other_form(a: str, b: str) -> bool:
    """Whether two words of one stem are different forms, not one word or its plural."""
    return a != b and a not in (b + "s", b + "es") and b not in (a + "s", a + "es")


def _is_term(ws: list[str], max_words: int) -> bool:
    """Whether an option is a term: at most `max_words` content words and four words in all,
    not counting articles and codes ("Eligibility verification (I-9)"), rather than a phrase or
    a sentence ("Having him show how he will use it")."""
    kept = [w for w in ws if w not in ("a", "an", "the") and not any(c.isdigit() for c in w)]
    content = [w for w in kept if w not in _FUNCTION]
    return 0 < len(content) <= max_words and len(kept) <= 4


_CAPITALISED = re.compile(r"[A-Z]")


def _is_name(text: str) -> bool:
    """Whether an option is a document's or a form's name: at most four content words, each
    capitalised, codes aside ("Form I-9, Employment Eligibility Verification", "Notice of
    Privacy Practices"): a name is a term however many words it has."""
    found = [m.group(0) for m in WORD.finditer(text) if not any(c.isdigit() for c in m.group(0))]
    content = [w for w in found if w.lower() not in _FUNCTION]
    return 1 < len(content) <= 4 and all(_CAPITALISED.match(w) for w in content)


def _echoes(ws: list[str], stem: dict[str, str]) -> set[str]:
    """The stem's stems (keys of `stem`) that the words `ws` echo."""
    return {s for own in _echo_words(ws, frozenset(), 1) for s in stem if same_stem(own, s)}


def same_stem(a: str, b: str) -> bool:
    """Whether two Snowball stems are one word's: equal, or one of at least five letters that the
    other extends by an "i" or an "e" only ("reconcil" / "reconcili" for reconciles /
    reconciliation, "verif" / "verifi", "summar" / "summari"), where the stemmer stops before or
    after the letter of a suffix. "refer" (reference) and "referr" (referral), "medic"
    (medication) and "medicar" (Medicare) stay apart."""
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(short) >= 5 and short.endswith("t") and long == short[:-1] + "ci":
        return True  # "-ate" / "-acy": private / privacy, accurate / accuracy
    return len(short) >= 5 and long in (short + "i", short + "e")


# --- IW308 stem-defines-key -------------------------------------------------------------------

_NAMING = re.compile(
    r"\b(?:what|which)\s+(?:\w+\s+){0,3}?(?:term|name|word|phrase|abbreviation|acronym)\b"
    r"|\b(?:is|are|was|were)\s+(?:this|these|that|it|they|the\s+\w+(?:\s+\w+)?)\s+(?:called|known\s+as|termed|named)\b"
    r"|\b(?:called|termed|known\s+as|referred\s+to\s+as)\s*\?",
    re.IGNORECASE,
)
# A lead-in that asks what the thing the stem describes is, or what kind of thing it is: the
# naming questions above, "What type of consent has she given?", "Which account is this?",
# "What is this process called?", "Which technique is she using?", "Which account fits?".
_WHAT_KIND = re.compile(
    r"\b(?:what|which)\s+(?:type|kind|sort|form|category|class)\s+of\b"
    r"|\b(?:what|which)\s+(?:[\w-]+\s+){0,3}?(?:is|are|was|were)\s+(?:this|these|that|it|they)\s*\?"
    r"|\b(?:what|which)\s+(?:[\w-]+\s+){1,3}?(?:is|are)\s+(?:he|she|they|it)\s+(?:using|describing|showing)\b"
    r"|\bwhich\s+(?:[\w-]+\s+){1,3}?(?:fits|describes\s+(?:this|it|the\s+\w+))\b",
    re.IGNORECASE,
)
# The noun the lead-in asks about ("Which report ...", "What type of record ...", "What is this
# account called?"): the category, which the key names as a matter of course.
_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:type|kind|sort|form|category|class)\s+of\s+((?:[\w-]+\s+)?[\w-]+)"
    r"|\b(?:what|which)\s+((?:[\w-]+\s+)?[\w-]+)(?=\s+(?:is|are|was|were|has|have|does|do|did|should|would|can"
    r"|could|must|will|may|fits|describes|best)\b)"
    r"|\b(?:this|these|that|the)\s+((?:[\w-]+\s+)?[\w-]+)\s+(?:called|known|termed|named)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?]+[.!?]?")


def _gloss(ctx: ItemContext, own: dict[str, str]) -> str:
    """The rationale's sentences about the key: those naming its letter, its text, its initials
    ("HSA" for "Health savings account") or one of its own words (`own`, by stem)."""
    key_text = ctx.options[ctx.key].casefold()
    mark = f"({ctx.key})"
    initials = "".join(w[0] for w in ctx.option_words[ctx.key] if w not in _FUNCTION)
    out = []
    for sentence in _SENTENCE.findall(ctx.item.rationale):
        ws = words(sentence)
        if (
            mark in sentence
            or key_text in sentence.casefold()
            or (len(initials) >= 2 and initials in ws)
            or any(snowball(w) in own for w in ws)
        ):
            out.append(sentence)
    return " ".join(out)


def _own_words(ctx: ItemContext) -> dict[str, str]:
    """The key's own words: its content words and the parts of its compounds that no distractor
    has, by Snowball stem ("savings" in "Health savings account" beside "Health reimbursement
    arrangement"; "problem" in "Problem-oriented record" beside "Source-oriented record")."""
    theirs = {snowball(p) for k in ctx.distractors for w in ctx.option_words[k] for p in _parts(w)}
    own: dict[str, str] = {}
    for w in ctx.option_words[ctx.key]:
        for p in _parts(w):
            s = snowball(p)
            if len(p) >= 3 and p.isalpha() and p not in _FUNCTION and not any(same_stem(s, t) for t in theirs):
                own.setdefault(s, p)
    return own


def _described_with_own_word(ctx: ItemContext, lead: str) -> tuple[str, str] | None:
    """A word of the stem that is one of the key's own words in some form, outside the noun the
    lead-in asks about: (the stem's word, the key's word), or None."""
    own = _own_words(ctx)
    if not own:
        return None
    category = {snowball(w) for m in _ASKED.finditer(lead) for g in m.groups() if g for w in words(g)}
    for w in ctx.stem_words:
        if len(w) < 3 or not w.isalpha() or w in _FUNCTION or w in DOMAIN_COMMON:
            continue
        s = snowball(w)
        if s in category:
            continue
        found = next((k for k in own if same_stem(s, k)), None)
        if found is not None:
            return w, own[found]
    return None


def _restates_gloss(ctx: ItemContext, key_words: list[str], opts: Options) -> tuple[int, int] | None:
    """How many of the words the rationale uses to explain the key the stem holds, and of how
    many, when that is at least `min-words` and `min-overlap` of them."""
    own = {snowball(w) for w in key_words}
    gloss = {snowball(w) for w in words(_gloss(ctx, _own_words(ctx))) if w.isalpha() and w not in STOPWORDS} - own
    if not gloss:
        return None
    stem = {snowball(w) for w in ctx.stem_words if w.isalpha() and w not in STOPWORDS}
    shared = gloss & stem
    if len(shared) >= opts["min-words"] and len(shared) >= opts["min-overlap"] * len(gloss):
        return len(shared), len(gloss)
    return None


@rule("IW308", "stem-defines-key", Severity.INFO, default=False, min_overlap=0.5, min_words=4, max_key_words=5)
def stem_defines_key(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """The stem describes the key in its own words or restates its definition (opt-in).

    What: the lead-in asks what the described thing is or what kind it is ("What is this
    process called?", "What type of record is this?", "Which account fits?", "Which technique
    is she using?"), the key is a term of at most `max-key-words` words, and the stem holds one
    of the key's own words in any form: a content word of the key, or a part of a hyphenated
    key word, that no distractor has, by Snowball stem ("coordinate with each other" /
    "Coordination of benefits", "saves in it" / "Health savings account", "numbered list of
    problems" / "Problem-oriented record", "notice in advance" / "Advance Beneficiary
    Notice"). The noun the lead-in asks about ("Which report ...") is not counted. Or the
    lead-in asks for a name ("What is this called?", "Which term describes...?") and the stem
    holds at least `min-overlap` of the content words (and at least `min-words` of them) of the
    rationale's sentences about the key (those naming its letter, its text, its initials or
    one of its own words), its gloss. A description that paraphrases the key with other words
    ("kept in this mixed form" for "Hybrid record", "by her actions" for "Implied consent",
    "a fixed amount per head" for "Capitation") is not found: that needs a thesaurus, and no
    maintained one ships its data in a package the project can depend on. Opt-in
    (`extend-select` it) and of info severity: a sound definition item must describe its
    term, and the gloss test finds some; it points at items to read.

    Why: a stem that paraphrases the textbook definition tests recall of its wording; a
    candidate matches the description to the term without applying it (reviewers: "the lead-in
    restates the textbook definition of sterilization almost word for word").

    Bad:
        stem: An account that the employee owns, funds with pre-tax money and keeps after a job change. What is it called?
        answer: Health savings account

    Good:
        stem: A patient moved to a high-deductible plan asks which account he can now contribute to. Which is it?
    """
    lead, _ = ctx.lead_in
    key_words = ctx.option_words[ctx.key]
    if not key_words or len(key_words) > opts["max-key-words"] or ctx.numbers:
        return
    if _NAMING.search(lead) or _WHAT_KIND.search(lead):
        echo = _described_with_own_word(ctx, lead)
        if echo is not None:
            yield Finding(
                ("stem",),
                f'the stem describes the key ({ctx.key}) with its own word ("{echo[0]}" for "{echo[1]}", which no '
                "distractor has) and asks what it is: the description gives the name away; describe the case "
                "without the key's words",
            )
            return
    if not _NAMING.search(lead):
        return  # the gloss test only for a question that asks for a name
    shared = _restates_gloss(ctx, key_words, opts)
    if shared is not None:
        yield Finding(
            ("stem",),
            f"the stem holds {shared[0]} of the {shared[1]} words the rationale uses to explain the key "
            f"({ctx.key}) and asks for its name: it restates the definition; describe a case to apply it to",
        )


# --- IW414 level-without-scenario -------------------------------------------------------------

# A situation inside a one-sentence stem: an opening clause that sets a scene ("During a job
# interview, ...", "When a caller asks ..., ..."), a person named ("Mr. Dale", "Joan Whitaker
# refuses"), or someone described before the question ("A patient who ...").
_SITUATION = re.compile(
    r"^\s*(?:during|when|while|after|before|if|as|once|since|because|although|following|upon|at)\b[^?]*?,",
    re.IGNORECASE,
)
_SOMEONE = re.compile(
    r"^\s*(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:patient|caller|employee|physician|doctor|provider|specialist|assistant"
    r"|manager|clerk|coder|biller|nurse|receptionist|supervisor|applicant|parent|guardian|visitor|vendor)s?\s+"
    r"(?:who|whose|with|that)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Dr)\.\s+[A-Z]|\b[A-Z][a-z]+\s+[A-Z][a-z]+(?:'s)?,?\s+(?:[a-z]+ed|[a-z]+s)\b")


def has_scenario(ctx: ItemContext) -> bool:
    """Whether the stem gives a situation to reason from: a sentence before the lead-in, or,
    in a one-sentence stem, an opening clause that sets a scene, a named person, or someone
    described before the question."""
    _, start = ctx.lead_in
    if start > 0:
        return True
    stem = ctx.item.stem
    return bool(_SITUATION.search(stem) or _SOMEONE.search(stem) or _NAME.search(stem))


@rule("IW414", "level-without-scenario", Severity.WARNING, default=False, levels=["application", "analysis"])
def level_without_scenario(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """An item labelled application or analysis has no scenario to reason from.

    What: the item's `cognitive_level` is one of `levels` but its stem is a single sentence
    with no situation in it: no sentence before the lead-in, no opening clause that sets a
    scene ("During a job interview, ...", "When a caller asks ..., ..."), no named person and
    no one described before the question ("A patient who ..."): a question such as "Which
    term means...?" or "Under the standard, how long...?". Or a scenario that is window
    dressing: the question after it asks what a term means or stands for ("He asks what NPO
    means. What does the abbreviation stand for?"), or asks a general fact (what a law,
    agency, plan or form covers, enforces or is used for) that shares no content word with the
    scenario (words common to every item, such as "patient", aside), refers to nothing in it
    (no pronoun, no "this", no "the" before a noun the scenario mentions, such as "the memo")
    and could be asked on its own ("Sam sits down with a cup of coffee. Which claim form is
    used for institutional claims?"); either way it asks for no decision (no "should",
    "first"). "What does this most likely mean?" asks what the case means and uses it.

    Why: application and analysis items ask the candidate to use knowledge on a case; without
    one the item tests recall, and the label misleads blueprint counts and form assembly
    (reviewers returned several items as "recall labelled application").

    Bad:
        cognitive_level: application
        stem: Which abbreviation means nothing by mouth?

    Good:
        cognitive_level: recall
        stem: Which abbreviation means nothing by mouth?
    """
    level = ctx.item.cognitive_level
    level_name = getattr(level, "value", level)
    if level_name not in opts["levels"]:
        return
    if not has_scenario(ctx):
        yield Finding(
            ("cognitive_level",),
            f"the item is labelled {level_name} but its stem has no scenario to apply knowledge to; "
            "add a case or label it recall",
        )
    elif window_dressing(ctx):
        yield Finding(
            ("cognitive_level",),
            f"the item is labelled {level_name} but its question does not use the scenario before it (it "
            "can be answered with the scenario covered); ask about the case or label it recall",
        )


# Words by which a question takes up its scenario: pronouns and demonstratives ("what should she
# do", "this claim"), the modals of a decision ("should", "must") and the words of a choice made
# for the case ("first", "next", "best").
_TAKES_UP = frozenset(
    [
        *("he", "she", "they", "him", "her", "his", "hers", "their", "them", "it", "its"),
        *("this", "that", "these", "those", "such", "same"),
        *("should", "must", "would", "could", "can", "will", "may", "might", "shall"),
        *("first", "next", "best", "now"),
    ]
)
# "the" before a common noun that no name follows ("the memo", "the payment") points back at the
# scenario; "the abbreviation NPO" or "the Hazard Communication Standard" names its own subject.
# A question of definition or of fact in general, answerable from memory: what a term means or
# stands for, what a law, agency, plan or form covers, enforces or is used for.
_GENERAL_FACT = re.compile(
    r"\b(?:mean|means|stand\s+for|stands\s+for|refers?\s+to|enforces?|regulates?|covers?|administers?"
    r"|(?:is|are)\s+(?:used|required)\s+(?:for|to|when)|(?:is|are)\s+(?:called|known\s+as|defined\s+as))\b",
    re.IGNORECASE,
)
_SUCH_AS = re.compile(r"\bsuch\s+as\b", re.IGNORECASE)
_THE_NOUN = re.compile(r"\bthe\s+[a-z][\w'’-]*(?![\w'’-]*\s+(?:[A-Z0-9]|\())")


# A question of what a term means or stands for: recall, whatever case it is asked in ("He asks
# what NPO means. What does the abbreviation stand for?", "Which abbreviation means nothing by
# mouth?"). "What does this most likely mean?" asks what the case means, and is not one.
_MEANING = re.compile(
    r"\bwhat\s+(?:does|do|did)\s+(?:the\s+(?:abbreviation|term|word|acronym|prefix|suffix|root|symbol|notation)\b"
    r"[^?]*?|[\"“'‘][^\"”'’]+[\"”'’]|(?-i:[A-Z][A-Za-z]*[A-Z][A-Za-z.]*))\s+(?:mean|stand\s+for)\b"
    r"|\b(?:which|what)\s+(?:abbreviation|term|word|acronym|prefix|suffix|root)\s+(?:means|stands\s+for)\b"
    r"|\bwhat\s+is\s+the\s+meaning\s+of\b",
    re.IGNORECASE,
)
# Words of a decision made for the case: a question with one uses the scenario.
_DECIDES = frozenset({"should", "must", "first", "next", "best", "now"})


def _refers_back(the_nouns: list[str], scene: set[str]) -> bool:
    """Whether a "the" noun of the question names something the scenario mentions ("the memo"
    after "a memo"); "the privacy of health information" names its own subject."""
    return any(snowball(w) in scene for w in the_nouns)


def window_dressing(ctx: ItemContext) -> bool:
    """Whether a scenario is window dressing (the sentences before the question, or the opening
    clause of a one-sentence stem). Either the question asks what a term means or stands for and
    asks for no decision (no "should", "must", "first", "best"): recall, whatever case it is
    asked in. Or the question asks a general fact (what a law or a plan covers or
    enforces, what a form is used for), shares no content word with the scenario (words common
    to every item, such as "patient", aside), refers to nothing in it (no pronoun, no "this",
    no "the" before a noun the scenario mentions, such as "the memo"), asks for no decision and
    names at least three content words of its own ("Sam sits down with a coffee. Which claim
    form is used for institutional claims?"): it could be asked without the scenario."""
    lead, start = ctx.lead_in
    scenario = ctx.item.stem[:start]
    if start == 0:  # one sentence: the scene its opening clause sets ("During a busy morning, ...")
        clause = _SITUATION.search(lead)
        scenario, lead = (lead[: clause.end()], lead[clause.end() :]) if clause else ("", lead)
    asked = words(_SUCH_AS.sub(" ", lead))  # "such as" gives examples; "such a claim" points back
    if any(w in _DECIDES for w in asked):
        return False
    if _MEANING.search(lead):
        return True
    return bool(scenario) and _stands_alone(lead, asked, scenario)


def _stands_alone(lead: str, asked: list[str], scenario: str) -> bool:
    """Whether a question of general fact could be asked without its scenario: see
    `window_dressing`."""
    scene = {snowball(w) for w in words(scenario) if w.isalpha() and w not in STOPWORDS}
    the_nouns = [m.group(0).split()[-1].lower() for m in _THE_NOUN.finditer(lead)]
    if not _GENERAL_FACT.search(lead) or any(w in _TAKES_UP for w in asked) or _refers_back(the_nouns, scene):
        return False
    own = {snowball(w) for w in asked if w.isalpha() and w not in STOPWORDS}
    scene -= {snowball(w) for w in DOMAIN_COMMON}
    # shared words, loosely: a stem that begins the other ("pays" / "payment") counts
    shared = any(a.startswith(b) or b.startswith(a) for a in own for b in scene if min(len(a), len(b)) >= 3)
    return len(own) >= 3 and not shared
