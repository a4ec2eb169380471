"""IW4xx: the item's housekeeping: rationale, references, protected health information, and
typing slips (whitespace, quotes, brackets) that distract readers and make diffs noisy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from cmas_bank.diagnostics import Severity
from cmas_bank.lint.core import Finding, ItemContext, Options, rule
from cmas_bank.lint.text import INVISIBLE, squeeze
from cmas_bank.loader import JsonPath


@rule("IW401", "rationale-too-short", Severity.WARNING, min_words=8)
def rationale_too_short(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """The rationale is too short to explain the key.

    What: the rationale has fewer than `min-words` words (default 8: too few to say why the
    key is right, as in "C is correct." or "See the reference."). A house that wants every
    distractor explained too asks for more, e.g. `rationale-too-short = { min-words = 15 }`.
    (A missing rationale is a validation error, IV201.)

    Why: reviewers check the key against the rationale, and candidates in practice mode learn
    from it; "C is correct." explains nothing.

    Bad:
        rationale: C is correct.

    Good:
        rationale: Forty hours at $18.00 is $720.00 and four overtime hours at $27.00 are
          $108.00, so the pay is $828.00 (C). A leaves out the overtime; B pays it at the
          regular rate; D pays every hour at the overtime rate.
    """
    n = len(ctx.rationale_words)
    if n < opts["min-words"]:
        yield Finding(
            ("rationale",),
            f"the rationale has {n} words; explain why the key is right and each distractor wrong (at least {opts['min-words']} words)",
        )


def _mentions(ctx: ItemContext, letters: set[str], letter: str) -> bool:
    """Whether the rationale talks about option `letter`: by letter, by its text, or by most of
    its content words."""
    if letter in letters:
        return True
    plain = ctx.options[letter].strip().rstrip(".").casefold()
    if len(plain) >= 2 and plain in ctx.rationale_folded:
        return True
    stems = ctx.option_content[letter]
    return bool(stems) and len(stems & ctx.rationale_stems) >= max(1, 0.6 * len(stems))


@rule("IW402", "rationale-not-about-key", Severity.WARNING, default=False)
def rationale_not_about_key(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """The rationale does not mention the key.

    What: the rationale neither names the key's letter ("(C)", "C is correct", "option C")
    nor repeats the key's text or most of its words.

    House style, opt-in: not in the default selection, because a sound short rationale often
    explains the key in its own words without naming it (on the lint corpus this rule flags
    half the clean items). Choose it with `extend-select = ["IW402"]`.

    Why: a rationale that never says which answer is right, or explains a different answer,
    is often the sign of a key changed after writing; reviewers need the two to agree.

    Bad:
        answer: C
        rationale: The Privacy Rule protects health information held by covered entities ...

    Good:
        rationale: Sixty days (C) is the longest allowed: 30 days plus one 30-day extension ...
    """
    if not _mentions(ctx, ctx.rationale_letters, ctx.key):
        yield Finding(
            ("rationale",),
            f'the rationale does not mention the key ({ctx.key}: "{_short(ctx.options[ctx.key])}"); say why it is right',
        )


_CATCH_ALL = re.compile(
    r"\b(?:the\s+other|others|remaining|distractors|each\s+of\s+the\s+other|none\s+of\s+the\s+other)\b", re.IGNORECASE
)


@rule("IW403", "rationale-skips-distractor", Severity.WARNING, default=False)
def rationale_skips_distractor(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """The rationale says nothing about a distractor.

    What: a distractor is neither named by letter nor quoted (or mostly repeated) in the
    rationale, and the rationale has no sentence about "the other options".

    House style, opt-in: not in the default selection; a sound rationale may explain only the
    key. Choose it with `extend-select = ["IW403"]` where every distractor must be discussed.

    Why: the rationale should say why each distractor is wrong; it is how reviewers check
    that no distractor is also defensible, and how learners find their mistake.

    Bad:
        rationale: Sixty days (C) is the longest allowed under 164.524(b)(2).

    Good:
        rationale: Sixty days (C) ... Ten days (A) is not a deadline in the rule. Thirty days
          (B) is the limit without an extension. Ninety days (D) exceeds the extension.
    """
    letters = ctx.rationale_letters
    missing = [k for k in ctx.distractors if not _mentions(ctx, letters, k)]
    if missing and not _CATCH_ALL.search(ctx.item.rationale):
        yield Finding(
            ("rationale",),
            f"the rationale does not explain distractor{'s' if len(missing) > 1 else ''} {', '.join(missing)}; say why each is wrong",
        )


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@rule("IW404", "missing-reference", Severity.WARNING, statuses=["review"])
def missing_reference(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """An item in review has no reference.

    What: an item whose status is in `statuses` has an empty `references` list. Approved
    items without a reference are a validation error already (IV206), so by default this rule
    asks for a reference as soon as an item goes to review.

    Why: reviewers check facts against a source (a CFR section, an official coding
    guideline); an item without one cannot be reviewed properly and ends up approved on trust.

    Bad:
        status: review
        references: []

    Good:
        references:
          - 45 CFR 164.524(b)(2)
    """
    if ctx.item.status in opts["statuses"] and not ctx.item.references:
        path = ("references",) if "references" in ctx.loaded.data else ("status",)
        yield Finding(path, f"an item in {ctx.item.status} needs at least one reference a reviewer can check")


_VAGUE_REFERENCE = re.compile(
    r"^\s*(?:google|the\s+internet|internet|online|the\s+web|web|wikipedia|chatgpt|ai|textbook|the\s+textbook|a\s+textbook|"
    r"class\s+notes|notes|lecture(?:\s+notes)?|common\s+knowledge|general\s+knowledge|experience|n/?a|none|tbd|todo|"
    r"see\s+above|various|misc|\?+|-+|\.+)\s*\.?\s*$"
    r"|\bwikipedia\b|\bchatgpt\b"
    # unpublished teaching material, whatever follows: "Class notes, records management unit"
    r"|^\s*(?:my\s+|the\s+|our\s+)?(?:class|lecture|course|instructor'?s?|teacher'?s?|study)\s+"
    r"(?:notes|slides|handouts?|materials?)\b|^\s*(?:handout|personal\s+communication)\b",
    re.IGNORECASE,
)


# Words that name no particular source: a reference made of them alone ("Medical assisting
# textbook", "Personal experience", "Various online sources") cannot be looked up.
_GENERIC_REFERENCE_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "my",
        "our",
        "your",
        "their",
        "his",
        "her",
        "any",
        "some",
        "several",
        "many",
        "various",
        "other",
        "standard",
        "general",
        "basic",
        "typical",
        "online",
        "internet",
        "web",
        "website",
        "websites",
        "site",
        "sites",
        "search",
        "source",
        "sources",
        "reference",
        "references",
        "resource",
        "resources",
        "book",
        "books",
        "textbook",
        "textbooks",
        "text",
        "texts",
        "ebook",
        "medical",
        "assisting",
        "assistant",
        "assistants",
        "nursing",
        "health",
        "healthcare",
        "clinical",
        "course",
        "class",
        "classes",
        "lecture",
        "lectures",
        "note",
        "notes",
        "slide",
        "slides",
        "powerpoint",
        "ppt",
        "handout",
        "handouts",
        "study",
        "guide",
        "guides",
        "flashcard",
        "flashcards",
        "video",
        "videos",
        "article",
        "articles",
        "material",
        "materials",
        "experience",
        "personal",
        "professional",
        "knowledge",
        "common",
        "sense",
        "training",
        "on",
        "the",
        "job",
        "instructor",
        "instructors",
        "teacher",
        "teachers",
        "school",
        "program",
        "unknown",
        "misc",
        "see",
        "above",
        "below",
        "previous",
        "as",
        "from",
        "in",
        "on",
        "of",
        "and",
        "for",
        "with",
        "based",
        "years",
        "year",
        "cma",
        "cmas",
        "rma",
        "ma",
        "blog",
        "blogs",
        "post",
        "posts",
    ]
)
_LOCATOR = re.compile(
    r"\b(?:chapter|ch|unit|module|lesson|page|pages|p|pp|section|sec|part)\.?\s*\d+[a-z]?\b", re.IGNORECASE
)
# Places anyone can post to, or a generator, named anywhere in a reference.
_UNPUBLISHED = re.compile(
    r"\b(?:google|youtube|quizlet|reddit|facebook|tiktok|instagram|twitter|chegg|course\s*hero|"
    r"ai[- ]generated|gemini|copilot|personal\s+communication|common\s+sense)\b"
    # one's own experience, whatever follows: "Personal experience at the front desk"
    r"|^\s*(?:my\s+|our\s+)?(?:personal|professional|clinical|work|own|first-?hand)\s+"
    r"(?:experience|knowledge|observation|practice)\b",
    re.IGNORECASE,
)
_REFERENCE_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?|\d+")


def _names_no_source(ref: str) -> bool:
    """Whether a reference, its locators ("chapter 5") set aside, is made only of words that
    name no particular source, or names a place anyone can post to."""
    if _UNPUBLISHED.search(ref):
        return True
    tokens = [t.lower().replace("’", "'") for t in _REFERENCE_WORD.findall(_LOCATOR.sub(" ", ref))]
    tokens = [t.removesuffix("'s") for t in tokens]
    return bool(tokens) and all(t in _GENERIC_REFERENCE_WORDS for t in tokens)


@rule("IW405", "uncheckable-reference", Severity.WARNING)
def uncheckable_reference(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """A reference cannot be checked ("textbook", "Google", "TBD", Wikipedia).

    What: a reference that names no source a reviewer could open: a placeholder, a search
    engine, a chatbot, an encyclopedia anyone can edit, a bare "textbook", or unpublished
    teaching material ("Class notes, records unit", lecture slides, a handout); any reference
    made only of words that name no particular source, its locators set aside ("Medical
    assisting textbook", "Course textbook, chapter 5", "Personal experience", "Various online
    sources", "A blog post"); and one that names a site anyone can post to or a generator
    (YouTube, Quizlet, "AI-generated"). A blog post with its site, author or title ("ONC Health
    IT Buzz Blog, EMR vs EHR - What is the Difference?") is a source.

    Why: the point of a reference is that a reviewer can verify the key against it; cite the
    regulation section, the official guideline, or the textbook with its chapter.

    Bad:
        references: [textbook]

    Good:
        references: ["ICD-10-CM Official Guidelines for Coding and Reporting FY2025, I.A.15"]
    """
    for i, ref in enumerate(ctx.item.references):
        if _VAGUE_REFERENCE.search(squeeze(ref)) or _names_no_source(ref):
            yield Finding(
                ("references", i),
                f'reference "{_short(ref)}" names no source a reviewer can check; cite the section, guideline or chapter',
            )


_DIGITS = str.maketrans("0123456789", "9999999999")
_SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])")
_PHONE = re.compile(
    r"(?<![\w.$/-])(?:\+?1[-\s])?(?:\(\d{3}\)\s?|\d{3}[-\s])(?P<exchange>\d{3})-(?P<line>\d{4})(?![\w-]|\.\d)"
    r"|(?<![\w.$/-])\d{3}\.(?P<exchange2>\d{3})\.(?P<line2>\d{4})(?![\w-]|\.\d)"
)
# Phone numbers with spaces between the groups ("614 555 2093", "+1 (614) 555 2093"), and ten
# digits run together after a word that says they are a phone number.
_SPACED_PHONE = re.compile(
    r"(?<![\w.$/-])(?:\+?1[ .-]?)?(?:\(\d{3}\)|\d{3}) (?P<exchange>\d{3}) (?P<line>\d{4})(?![\w-]|\.\d)"
    r"|\b(?:phone|telephone|tel|cell|mobile|fax|call(?:ed)?|text(?:ed)?)\b\W{0,3}(?:(?:number|no|#|at|is|on)\W{0,2}){0,2}"
    r"(?P<run>\d{3}(?P<exchange2>\d{3})(?P<line2>\d{4}))\b",
    re.IGNORECASE,
)
# An SSN said to be one, whatever its separators ("SSN 512449031", "social security number 512 44 9031").
_LABELLED_SSN = re.compile(
    r"\b(?:SSN|SS#|social\s+security(?:\s+(?:number|no\.?|#))?)\W{0,3}(?:(?:is|of|number|as|was|reads)\W{1,2}){0,2}"
    r"(?P<ssn>\d{3}[ -]?\d{2}[ -]?\d{4})\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_RESERVED_DOMAINS = re.compile(r"(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost)$", re.IGNORECASE)
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_FULL_DATE = rf"(?:\d{{1,2}}[/-]\d{{1,2}}[/-](?:19|20)\d{{2}}|(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}|{_MONTH}\s+\d{{1,2}},?\s+(?:19|20)\d{{2}}|\d{{1,2}}\s+{_MONTH}\s+(?:19|20)\d{{2}})"
_DOB = re.compile(
    rf"\b(?:DOB|D\.O\.B\.|date\s+of\s+birth|birth\s*date|born(?:\s+on)?)\b\W{{0,3}}(?:is\s+|of\s+)?(?P<date>{_FULL_DATE}"
    r"|\d{1,2}[/-]\d{1,2}[/-]\d{2}(?![\d/-]))",
    re.IGNORECASE,
)
# A title and a surname ("Mrs. Ortiz") name a person as surely as two names do.
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+")
_NAME = re.compile(r"(?<![Tt]he )\b([A-Z][a-z]+)(?:\s+[A-Z]\.)?\s+([A-Z][a-z]+)(?:-[A-Z][a-z]+)?\b")
# Capitalised words of laws, forms and institutions, which pair up like names do.
_NOT_NAMES = frozenset(
    [
        "Act",
        "Rule",
        "Rules",
        "Standard",
        "Standards",
        "Law",
        "Code",
        "Codes",
        "Department",
        "Center",
        "Centers",
        "Services",
        "Service",
        "Medicare",
        "Medicaid",
        "Health",
        "Insurance",
        "Privacy",
        "Security",
        "Form",
        "Part",
        "Plan",
        "Clinic",
        "Hospital",
        "Office",
        "Labor",
        "Fair",
        "Federal",
        "State",
        "National",
        "Social",
        "Administration",
        "Manual",
        "Guidelines",
        "Official",
        "Notice",
        "Practices",
        "Claims",
        "Safety",
        "Occupational",
        "Under",
        "Which",
        "What",
        "When",
        "Where",
        "How",
        "Who",
        "Dr",
        "Mr",
        "Mrs",
        "Ms",
    ]
)


def _names_near(text: str) -> bool:
    if _TITLED.search(text):
        return True
    return any(m.group(1) not in _NOT_NAMES and m.group(2) not in _NOT_NAMES for m in _NAME.finditer(text))


@rule("IW406", "possible-phi", Severity.ERROR, allow_fictional_phones=True)
def possible_phi(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """Text that looks like real patient data (SSN, phone, e-mail, a date of birth with a name).

    What: a US Social Security number pattern (123-45-6789, excluding numbers never issued
    such as 000-, 666- and 9xx-), or nine digits said to be one ("SSN 512449031", "social
    security number 512 44 9031"); a US phone number, with dashes, dots or spaces between the
    groups, or ten digits run together after "phone", "cell", "fax"... (except the fictional
    555-0100 to 555-0199 when `allow-fictional-phones` is on); an e-mail address outside the
    reserved example domains (example.com, .test, .invalid); or a full date of birth ("DOB
    04/12/1986", "DOB 4/12/86", "born March 4, 1986") near a person's name (two names, or a
    title and a name: "Mrs. Ortiz").

    Why: a question bank is shared, exported and published; it must hold no protected health
    information. Invented names are fine; identifiers that look real are not, even when made
    up, because reviewers cannot tell them apart from leaked data.

    Bad:
        stem: Dana Whitfield (DOB 04/12/1986, SSN 512-44-9031) calls from 312-555-8841 ...

    Good:
        stem: Dana Whitfield, a 38-year-old patient, calls the office ...
    """
    joined = ctx.joined
    digits = joined.translate(_DIGITS)
    lowered = joined.lower()
    numbers = (
        "999-99-9999" in digits
        or "999-9999" in digits
        or "999.999.9999" in digits
        or "999 9999" in digits
        or "9999999999" in digits
        or "999999999" in digits
        or "999 99 9999" in digits
    )
    email = "@" in joined
    dob = "dob" in lowered or "d.o.b" in lowered or "birth" in lowered or "born" in lowered
    if not (numbers or email or dob):
        return
    fictional = opts["allow-fictional-phones"]
    for path, text in ctx.all_texts:
        yield from _identifiers(path, text, fictional)
        yield from _births(path, text)


def _identifiers(path: JsonPath, text: str, fictional: bool) -> Iterator[Finding]:
    """Social Security numbers, real-looking phone numbers and e-mail addresses in one text."""
    for m in _SSN.finditer(text):
        yield Finding(
            path, "text looks like a Social Security number; remove identifiers (use no SSN at all)", m.start(), m.end()
        )
    for m in _LABELLED_SSN.finditer(text):
        if not _SSN.fullmatch(m.group("ssn")):  # written with dashes, the pattern above has it
            yield Finding(
                path,
                "text looks like a Social Security number; remove identifiers (use no SSN at all)",
                m.start("ssn"),
                m.end("ssn"),
            )
    for pattern in (_PHONE, _SPACED_PHONE):
        for m in pattern.finditer(text):
            exchange, line = m.group("exchange") or m.group("exchange2"), m.group("line") or m.group("line2")
            if fictional and exchange == "555" and line.startswith("01"):
                continue
            yield Finding(
                path, "text looks like a real phone number; use a fictional 555-01xx number or none", m.start(), m.end()
            )
    for m in _EMAIL.finditer(text):
        if not _RESERVED_DOMAINS.search(m.group("domain")):
            yield Finding(
                path, "text looks like a real e-mail address; use an address at example.com", m.start(), m.end()
            )


def _births(path: JsonPath, text: str) -> Iterator[Finding]:
    """A full date of birth next to a name."""
    for m in _DOB.finditer(text):
        window = text[max(0, m.start() - 120) : m.end() + 120]
        if _names_near(window):
            yield Finding(
                path,
                "a full date of birth next to a name identifies a patient; give an age instead",
                m.start("date"),
                m.end("date"),
            )


@rule("IW407", "trailing-whitespace", Severity.WARNING, fixable=True)
def trailing_whitespace(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """A line ends with spaces or tabs (fixable).

    What: whitespace at the end of any line of the file, including lines inside block text.

    Why: invisible characters make diffs noisy and, inside `|` text, become part of the
    stem or rationale that exports carry. `cmas-bank lint --fix` removes them.

    Bad:
        "stem: |-\\n  What is the longest ...?␣␣\\n"

    Good:
        "stem: |-\\n  What is the longest ...?\\n"
    """
    text = ctx.loaded.text or ""
    if not (" \n" in text or "\t\n" in text or " \r\n" in text or "\t\r\n" in text or text.endswith((" ", "\t"))):
        return
    lines = ctx.lines or []
    for i, line in enumerate(lines):
        body = line.removesuffix("\r")
        stripped = body.rstrip(" \t")
        if len(stripped) != len(body):
            yield Finding(
                (), "trailing whitespace; remove it (lint --fix)", at=(i + 1, len(stripped) + 1, len(body) + 1)
            )


DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")


@rule("IW408", "doubled-spaces", Severity.WARNING, fixable=True)
def doubled_spaces(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """Two or more spaces between words in a text value (fixable).

    What: a run of spaces between two words inside the stem, an option, the rationale, a
    reference or review notes.

    Why: doubled spaces are typing slips that exports carry to the exam platform and that
    make otherwise equal options look different. `cmas-bank lint --fix` makes them one space.

    Bad:
        A: Form  W-4

    Good:
        A: Form W-4
    """
    if "  " not in ctx.joined:
        return
    for path, text in ctx.all_texts:
        m = DOUBLE_SPACE.search(text)
        if m:
            yield Finding(path, "doubled space between words; use one (lint --fix)", m.start(), m.end())


SMART_QUOTES = "“”‘’"
STRAIGHTEN = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_SMART = re.compile("[“”‘’]")


@rule("IW409", "mixed-quotes", Severity.WARNING, fixable=True)
def mixed_quotes(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """The item mixes smart (“ ” ‘ ’) and straight (" ') quotes (fixable).

    What: the item's text uses both typographic and straight quotation marks or apostrophes.
    Reported at the first smart quote; `cmas-bank lint --fix` makes them all straight.

    Why: mixed quotes are a sign of pasted text, render inconsistently on exam platforms and
    make identical wording compare as different (duplicate detection, option comparison).

    Bad:
        stem: The patient’s guardian asks for the patient's record ...

    Good:
        stem: The patient's guardian asks for the patient's record ...
    """
    joined = ctx.joined
    if not ("'" in joined or '"' in joined) or not any(c in joined for c in SMART_QUOTES):
        return
    for path, text in ctx.all_texts:
        m = _SMART.search(text)
        if m:
            yield Finding(
                path,
                f"smart quote {m.group(0)} in an item that also uses straight quotes; use straight quotes (lint --fix)",
                m.start(),
                m.end(),
            )
            return


_PAIRS = {")": "(", "]": "[", "}": "{"}
_BRACKET = re.compile(r"[()\[\]{}]")


def _unbalanced(text: str) -> tuple[int, str] | None:
    """Where and how brackets or double quotes fail to pair up in one text, or None."""
    stack: list[tuple[str, int]] = []
    enumerators: set[int] | None = None
    for m in _BRACKET.finditer(text):
        ch, i = m.group(0), m.start()
        if ch in "([{":
            stack.append((ch, i))
        elif stack and stack[-1][0] == _PAIRS[ch]:
            stack.pop()
        else:
            if enumerators is None:
                enumerators = {e.end() - 1 for e in _ENUMERATOR.finditer(text)}
            if i not in enumerators:
                return i, f'closing "{ch}" without an opening "{_PAIRS[ch]}"'
    if stack:
        return stack[-1][1], f'"{stack[-1][0]}" is never closed'
    if text.count('"') % 2:
        return text.rfind('"'), "odd number of double quotes"
    opening, closing = text.count("“"), text.count("”")
    if opening != closing:
        return (text.find("“") if opening > closing else text.find("”")), "unequal numbers of “ and ”"
    return None


_ENUMERATOR = re.compile(r"(?:^|(?<=\s))(?:[0-9]{1,2}|[a-zA-Z]|[ivx]{1,4})\)")


@rule("IW410", "unbalanced-brackets", Severity.WARNING)
def unbalanced_brackets(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """Brackets or double quotes do not pair up in a text value.

    What: an opening ( [ { without its closing partner or the reverse, an odd number of
    straight double quotes, or unequal numbers of “ and ”. List markers such as "1)" or "b)"
    are not counted.

    Why: a missing bracket or quote usually means text was cut while editing; it leaves the
    reader unsure where a parenthesis or a quotation ends.

    Bad:
        rationale: Under 45 CFR 164.524(b)(2 a covered entity ...

    Good:
        rationale: Under 45 CFR 164.524(b)(2) a covered entity ...
    """
    joined = ctx.joined
    if not any(c in joined for c in '()[]{}"“”') or _unbalanced(joined) is None:
        return  # one pass over all the text: when the whole is balanced, its parts nearly always are
    for path, text in ctx.all_texts:
        problem = _unbalanced(text)
        if problem is not None:
            at, what = problem
            yield Finding(path, f"unbalanced: {what}", at, at + 1)


_INVISIBLE_CHAR = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


# Greek and Cyrillic blocks (with their extensions): a text without any of them mixes nothing.
_GREEK_OR_CYRILLIC = re.compile("[\u0370-\u03ff\u0400-\u052f\u1c80-\u1c8f\u1f00-\u1fff\u2de0-\u2dff\ua640-\ua69f]")


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    """The script of a letter as Unicode names it (LATIN, CYRILLIC, GREEK, ...)."""
    import unicodedata

    return "LATIN" if ch.isascii() else unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]


def _mixed_word(text: str) -> tuple[int, int, str, str] | None:
    """The first word that mixes Latin letters with Cyrillic or Greek ones, as (start, end, the
    foreign letter, its script); a Greek letter used as a symbol before Latin ones ("μg",
    "βhCG") does not count."""
    if not _GREEK_OR_CYRILLIC.search(text):
        return None
    for m in _LETTER_RUN.finditer(text):
        word = m.group()
        if word.isascii() or not _GREEK_OR_CYRILLIC.search(word):
            continue
        scripts = [_script(ch) for ch in word]
        if "LATIN" not in scripts:
            continue
        for i, script in enumerate(scripts):
            if script == "CYRILLIC" or (script == "GREEK" and "LATIN" in scripts[:i]):
                return m.start(), m.end(), word[i], script.title()
    return None


@rule("IW411", "confusable-characters", Severity.ERROR)
def confusable_characters(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """A text holds an invisible character or a word mixing Latin with Cyrillic or Greek letters.

    What: a zero-width space or joiner, soft hyphen, word joiner, direction mark or byte-order
    mark inside a text value, or a word whose letters mix the Latin alphabet with Cyrillic or
    Greek look-alikes (a Cyrillic "а" in "dаys"). A Greek letter written as a symbol before Latin
    letters ("μg", "βhCG") is not flagged.

    Why: such text looks right but is not: a search, a screen reader or a spelling check reads
    it differently, two options that look the same compare as different (lint compares options
    with these characters removed or made Latin, so IW204 still catches them), and text pasted
    from other tools or written to defeat checks carries them.

    Bad:
        A: "6\\u200b0 days"
        B: 60 dаys      # a Cyrillic а

    Good:
        A: 60 days
    """
    for path, text in ctx.all_texts:
        if text.isascii():
            continue
        hidden = _INVISIBLE_CHAR.search(text)
        if hidden:
            import unicodedata

            ch = hidden.group()
            name = unicodedata.name(ch, "a format character")
            yield Finding(
                path, f"invisible character U+{ord(ch):04X} ({name}); delete it", hidden.start(), hidden.end()
            )
        mixed = _mixed_word(text)
        if mixed:
            start, end, letter, script = mixed
            yield Finding(
                path,
                f'"{text[start:end]}" mixes Latin with {script} letters ("{letter}", U+{ord(letter):04X}); '
                "retype it in one alphabet",
                start,
                end,
            )
