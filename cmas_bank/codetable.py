"""The finding codes that are not lint rules, as data: validate (IV), dedupe (ID), coverage (IC),
import (IM), item analysis (IA) and exam forms (IF). `cmas_bank.codes` registers them; lint's IW codes come
from its rules.

Each row: code, name, default severity, group, summary (one line, the README tables and SARIF's
shortDescription), What (what the code finds) and Why (why it is a finding). The modules that
report a code keep it as a constant (`validate.MISSING_FIELD = "IV201"`); a test checks that
every such constant is registered here.
"""

from __future__ import annotations

E, W, I = "error", "warning", "info"

Row = tuple[str, str, str, str, str, str, str]

VALIDATE: tuple[Row, ...] = (
    (
        "IV101",
        "unreadable-file",
        E,
        "reading and parsing",
        "file or folder cannot be read, or is not a regular file (exit 2)",
        "The file could not be opened or read: it is missing, a broken link, or not readable by you.",
        (
            "A file that cannot be read cannot be checked, so this is an I/O error: every command exits 2 "
            "on it, and `check`'s select, ignore and severity settings leave it alone."
        ),
    ),
    (
        "IV102",
        "not-utf8",
        E,
        "reading and parsing",
        "file is not UTF-8",
        "The file's bytes are not valid UTF-8; the finding points at the first bad byte.",
        (
            "Item files are UTF-8 so that every tool and platform reads the same characters; a file saved "
            "in another encoding shows wrong letters or cannot be read at all."
        ),
    ),
    (
        "IV103",
        "yaml-syntax-error",
        E,
        "reading and parsing",
        "YAML syntax error, including tab indentation and keys that are not plain words",
        (
            "The file is not well-formed YAML: an unclosed quote, a bad indent, a tab in the indentation, "
            "or a key that is a list or mapping."
        ),
        "Nothing in a file that does not parse can be checked; the message names the problem and its place.",
    ),
    (
        "IV104",
        "duplicate-key",
        E,
        "reading and parsing",
        "duplicate key",
        "A key appears twice in the same mapping; the message gives the line of the first one.",
        (
            "YAML parsers keep one of the two values silently, so a reviewer and a tool could read different "
            "items from the same file."
        ),
    ),
    (
        "IV105",
        "yaml-alias",
        E,
        "reading and parsing",
        "anchor or alias",
        "The file uses a YAML anchor (`&name`) or alias (`*name`).",
        (
            "Aliases make one value appear in several places, which hides what an item says from a reader "
            "of the file, and nested aliases can blow up into huge documents (a billion laughs)."
        ),
    ),
    (
        "IV106",
        "custom-tag",
        E,
        "reading and parsing",
        "custom or non-standard tag",
        "A value or key carries a tag (`!python/object`, `!!binary`, `!custom`) other than YAML's plain types.",
        (
            "Tags ask the reader to build special objects; item files hold plain text, numbers, lists and "
            "mappings only, and hostile input must be refused, not obeyed."
        ),
    ),
    (
        "IV107",
        "multiple-documents",
        E,
        "reading and parsing",
        "more than one YAML document",
        "The file holds more than one YAML document (a second `---`).",
        "One file holds one item, so that its name is its id and a change to one item touches one file.",
    ),
    (
        "IV108",
        "not-a-mapping",
        E,
        "reading and parsing",
        "empty file, or the document is not a mapping",
        "The file is empty, or its document is a list or a single value instead of a mapping of fields.",
        "An item is a mapping of fields (id, stem, options, ...); anything else cannot be an item.",
    ),
    (
        "IV109",
        "file-too-large",
        E,
        "reading and parsing",
        "file over 1 MiB or nested too deeply",
        "The file is larger than 1 MiB, or its values nest more than 32 levels deep.",
        (
            "An item is a few KiB and nests three levels; larger or deeper input is a mistake or an attack and "
            "is refused before it can use up memory or recursion."
        ),
    ),
    (
        "IV201",
        "missing-field",
        E,
        "schema and policy",
        "required field missing",
        "A field the item schema requires (such as `stem`, `answer` or `rationale`) is absent.",
        (
            "Every item must carry the fields that delivery, review and coverage read; the schema is "
            "`schemas/item.schema.json`."
        ),
    ),
    (
        "IV202",
        "invalid-value",
        E,
        "schema and policy",
        "value of the wrong type or form (enum, pattern, date)",
        (
            "A field's value has the wrong type (a number where text belongs), is not one of the allowed "
            "values, does not match the required pattern, is blank, or is not a valid date."
        ),
        "Values of the wrong form break exports and statistics; the message says what was expected.",
    ),
    (
        "IV203",
        "unknown-key",
        E,
        "schema and policy",
        'unknown key, with a "did you mean" hint',
        "A key that the item schema does not define, often a misspelt field name.",
        "A misspelt field is silently ignored by every tool, so the value the author meant to set is lost.",
    ),
    (
        "IV204",
        "option-count",
        E,
        "schema and policy",
        "an option other than A–D (e.g. a fifth option)",
        "`options` holds a key other than A, B, C and D.",
        "CMAS items have exactly four options, A to D; delivery and the answer-key statistics assume it.",
    ),
    (
        "IV205",
        "answer-not-option",
        E,
        "schema and policy",
        "answer is not one of the options",
        "The `answer` field is not one of the option letters A, B, C or D.",
        "An item whose key is not an option cannot be scored: every candidate would be marked wrong.",
    ),
    (
        "IV206",
        "approved-without-reference",
        E,
        "schema and policy",
        "approved item without a reference",
        "An item with `status: approved` has no entry in `references`.",
        "An approved item can be delivered; a reviewer must be able to check its key against a source.",
    ),
    (
        "IV207",
        "approved-without-review",
        E,
        "schema and policy",
        "approved item without an approving review by a non-author",
        (
            "An item with `status: approved` has no review with `verdict: approved` by someone who is not "
            "one of its authors."
        ),
        "Approval means an independent second person checked the item; authors cannot approve their own items.",
    ),
    (
        "IV208",
        "dates-out-of-order",
        E,
        "schema and policy",
        "`updated` before `created`",
        "The item's `updated` date is earlier than its `created` date.",
        "The dates record the item's history; an update before creation is a typing mistake in one of them.",
    ),
    (
        "IV209",
        "self-enemy",
        E,
        "schema and policy",
        "item lists itself as an enemy",
        "The item's own id appears in its `enemies` list.",
        (
            "Enemies are other items that must not appear on the same form; listing itself is a mistake, "
            "usually a copied id."
        ),
    ),
    (
        "IV210",
        "stale-approval",
        E,
        "schema and policy",
        "approved item whose content changed after its approving reviews",
        (
            "The item is approved, but no approving review by a non-author records the digest of its stem, options, "
            "answer, rationale and references as they stand now (at the `status` line; the message names what "
            "changed since the latest approving review, and its date)."
        ),
        (
            "An approval must mean the item was reviewed as it now stands; an edit after the review needs a new "
            "review (`cmas-bank review`). Layout, whitespace and quote-style changes do not count."
        ),
    ),
    (
        "IV301",
        "unknown-work-area",
        E,
        "outline",
        "work area not in the outline",
        "The item's `domain` is not a work area of the configured content outline.",
        (
            "Coverage counts items per work area; an item outside the outline is off-blueprint and is never "
            "counted or placed on a form."
        ),
    ),
    (
        "IV302",
        "subarea-mismatch",
        E,
        "outline",
        "sub-area not in the outline, or in another work area",
        (
            "The item's `subdomain` is not a sub-area of the outline, or belongs to a work area other than "
            "the item's `domain`; the message lists the work area's sub-areas."
        ),
        "Sub-area coverage and form assembly read both fields; they must agree with the outline.",
    ),
    (
        "IV401",
        "duplicate-id",
        E,
        "across files",
        "id already used by another item",
        "Two files checked together give the same `id`; the message names the first.",
        "Ids identify items in exports, enemies and delivery records; two items with one id get mixed up.",
    ),
    (
        "IV402",
        "filename-mismatch",
        E,
        "across files",
        "file name does not match the id",
        "The file is not named after its item's id (`<id>.yaml`).",
        "The bank finds items by file name (enemies, imports, reviews); a file named otherwise is lost to them.",
    ),
)

DEDUPE: tuple[Row, ...] = (
    (
        "ID101",
        "exact-duplicate",
        E,
        "duplicates",
        (
            "exact duplicate: the same stem and options once case, punctuation, spacing, Unicode form (NFKC) "
            "and option order are ignored"
        ),
        (
            "Two or more items have the same stem and the same set of options after normalising case, "
            "punctuation, spacing, Unicode form and option order. The finding is at each item's stem."
        ),
        (
            "The same question twice inflates coverage and can appear twice on a form; merge the copies, "
            "or list each other in `enemies` if they are deliberate variants."
        ),
    ),
    (
        "ID102",
        "near-duplicate",
        E,
        "duplicates",
        (
            "near duplicate: a reworded copy — names, numbers or dates changed, sentences or clauses reordered, "
            "words swapped for synonyms, passive for active voice, a scenario folded into the question, one "
            "distractor replaced (options also shuffled or not; shuffled alone is ID101) "
            '(`near-severity = "warning"` softens it)'
        ),
        (
            "A candidate pair scores at least `near-threshold` on stem similarity (content words: stemmed, "
            "synonyms read alike, stop words and names set aside, order ignored, capped by how much of each "
            "question the other stem covers) and option similarity, passes the answer gate (same key text, a "
            "calculation with other figures, or the same stem), and the items do not list each other in "
            "`enemies`."
        ),
        (
            "A reworded copy tests the same fact twice and lets a candidate who saw one answer the other; "
            "merge or rewrite them, or acknowledge deliberate variants in `enemies`."
        ),
    ),
    (
        "ID103",
        "possible-paraphrase",
        W,
        "duplicates",
        (
            "possible paraphrase, for review: the same options, key and figures, and a stem reworded beyond "
            "what ID102 confirms (`paraphrases = false` turns it off)"
        ),
        (
            "Two items have the same key text and the same set of option texts, their stems state the same "
            "numbers, name the same people (when both name some) and share at least half their content words "
            "(names set aside), and the change has the shape of a rewording, not of a hard negative: the "
            "scenario reworded, not replaced; folded into the question, not added; or kept, with a question "
            "that swaps at most two content words each way, not one that asks another thing. ID101 and ID102 "
            "pairs, and items that list each other in `enemies`, are not reported again."
        ),
        (
            "A writer who rewords an item seldom rewords its options, so the same options and key with a "
            "reworded stem are often one question twice. The evidence is mostly the options, so a person "
            "decides: merge or rewrite a copy; list a deliberate variant (another question on the same "
            "scenario) in `enemies`."
        ),
    ),
    (
        "ID201",
        "unknown-enemy",
        W,
        "duplicates",
        "an `enemies` entry names no item in the bank (whole-bank runs only)",
        "An id in the item's `enemies` list is not the id of any item in the bank.",
        (
            "A typo, or an item that was renamed or removed: the pair it meant to keep apart is no longer "
            "kept apart on forms."
        ),
    ),
)

COVERAGE: tuple[Row, ...] = (
    (
        "IC101",
        "area-short",
        E,
        "blueprint",
        "a work area has fewer eligible items than its target",
        (
            "A work area holds fewer eligible items (approved by default) than its blueprint count times "
            "the multiplier; the finding is at the bank folder and says by how many it falls short."
        ),
        (
            "The bank cannot fill the forms it must fill. A bank still growing can make it a warning with "
            '`severity = { IC101 = "warning" }` in `[tool.cmas-bank.check]`.'
        ),
    ),
    (
        "IC102",
        "subarea-empty",
        W,
        "blueprint",
        "a sub-area has no eligible item",
        "A sub-area of the outline has no eligible item at all.",
        "Forms drawn from the bank would never test that part of the outline.",
    ),
    (
        "IC103",
        "subarea-short",
        E,
        "blueprint",
        "a sub-area holds fewer eligible items than its even share of the work area's target",
        (
            'Set `subarea-share = "even"` in `[tool.cmas-bank.coverage]`: each sub-area must hold at least its '
            "work area's target (blueprint x multiplier) divided by the number of sub-areas, rounded up. The "
            "finding is at the sub-area's entry in the outline."
        ),
        (
            "A work area can meet its count with all its items in one sub-area; forms drawn from it would test "
            "one part of the work area many times and the rest not at all."
        ),
    ),
    (
        "IC104",
        "key-share",
        E,
        "blueprint",
        "a key letter's share of a work area's items is outside `key-share`",
        (
            "Set `key-share = [0.22, 0.28]` in `[tool.cmas-bank.coverage]`: in each work area, the share of "
            "eligible items keyed A, B, C and D must each lie in that range."
        ),
        (
            "Test-wise candidates guess the most frequent letter; keys spread evenly over the letters take "
            "that advantage away (Haladyna, Downing & Rodriguez 2002)."
        ),
    ),
    (
        "IC105",
        "higher-order-share",
        E,
        "blueprint",
        "too few eligible items are at application or analysis level",
        (
            "Set `min-higher-order = 0.4` in `[tool.cmas-bank.coverage]`: at least that share of the eligible "
            "items must have `cognitive_level` application or analysis. The finding is at the config."
        ),
        (
            "A bank of recall items tests memory of facts, not the use of them that the job needs; the share "
            "is only as honest as the labels, which reviewers check."
        ),
    ),
)

IMPORT: tuple[Row, ...] = (
    (
        "IM101",
        "csv-unreadable",
        E,
        "file",
        "file to import cannot be read, is not a regular file, is over 256 MiB, or is not a safe workbook (exit 2)",
        (
            "The file given to `import` could not be opened or read, or is over 256 MiB; for xlsx also a file "
            "that is not a zip archive, unpacks past 512 MiB (a zip bomb), or holds XML with entity "
            "declarations (refused by defusedxml)."
        ),
        "Nothing can be imported from a file that cannot be read; this is an I/O error and `import` exits 2.",
    ),
    (
        "IM102",
        "csv-not-utf8",
        E,
        "file",
        "file is not UTF-8",
        (
            "The CSV or GIFT file's bytes are not UTF-8 (a byte-order mark is accepted); the message gives the "
            "first bad byte and its line."
        ),
        "Spreadsheets often save in a legacy encoding; save as CSV UTF-8 so every character comes through.",
    ),
    (
        "IM103",
        "csv-syntax-error",
        E,
        "file",
        "CSV syntax error (e.g. a quote never closed)",
        "The file is not valid CSV, for example a quoted cell that is never closed.",
        "Rows after the error cannot be split into cells reliably, so the import stops there.",
    ),
    (
        "IM104",
        "missing-column",
        E,
        "header",
        "a required column is missing, or the file is empty",
        "The header row lacks a column that a required item field needs, or the file has no rows.",
        "Every row would fail without it; the header must name the columns `export --format csv` writes.",
    ),
    (
        "IM105",
        "unknown-column",
        E,
        "header",
        'unknown column, with a "did you mean" hint',
        "A header cell names no known column, or a column with values has no name.",
        "A misspelt header would drop that column's values silently.",
    ),
    (
        "IM106",
        "repeated-column",
        E,
        "header",
        "column named twice",
        "Two header cells name the same column (after loose matching of case and spacing).",
        "It is unclear which of the two values the item should get.",
    ),
    (
        "IM107",
        "not-that-format",
        E,
        "file",
        "the file is not what the command reads or its extension says (exit 2)",
        (
            "`import qti` was given something that is neither a zip archive nor QTI XML (or a `.zip` that is XML, "
            "an `.xml` that is a zip), `import moodle` a file that is not XML with a `<quiz>` root, `import gift` "
            "a zip, XML or binary file; or a package entry is not the QTI it is declared as."
        ),
        "Reading a file as what it is not gives nonsense or hides a mix-up; the message says what the file is.",
    ),
    (
        "IM108",
        "unsafe-archive",
        E,
        "file",
        "zip entry climbs out of its folder, is encrypted, or the archive is a zip bomb (exit 2)",
        (
            "A package entry's name is absolute, holds `..`, a backslash or a drive letter, or a manifest href "
            "points outside the package; an entry is encrypted or two share a name; or the archive has over 200,000 "
            "entries, unpacks "
            "past 512 MiB, or one entry past 64 MiB. The finding names the entry (`package.zip!/entry`)."
        ),
        "Hostile archives are refused, not obeyed: nothing is unpacked to disk, and none of it is imported.",
    ),
    (
        "IM109",
        "unsafe-xml",
        E,
        "file",
        "XML declares entities: refused (entity expansion, external entities) (exit 2)",
        (
            "An XML document (or package entry) has a DTD that declares entities. XML is parsed with entity "
            "resolution, DTD loading and network access off, and such a document is refused outright."
        ),
        "Entities are how XML bombs and external-entity attacks work; question files never need them.",
    ),
    (
        "IM110",
        "xml-syntax-error",
        E,
        "file",
        "XML is not well-formed",
        "The XML file or package entry does not parse; the finding is at the parser's line and column.",
        "Nothing after a syntax error can be read reliably, so the file is not imported.",
    ),
    (
        "IM111",
        "not-a-package",
        E,
        "file",
        "a zip given to `import qti` has no `imsmanifest.xml` at its top",
        "A QTI content package (and a Canvas export) names its items in `imsmanifest.xml`; this zip has none.",
        "Without the manifest the items, their metadata and their files cannot be found.",
    ),
    (
        "IM112",
        "gift-syntax-error",
        E,
        "file",
        "GIFT syntax error: a brace or a title never closed",
        (
            "A question's `{` has no `}`, a `}` closes nothing, or a `::title` has no closing `::`; write `\\{`, "
            "`\\}` or `\\:` for the characters. The finding is at the question's first line."
        ),
        "Moodle would misread or drop the question; where it ends cannot be known.",
    ),
    (
        "IM113",
        "no-questions",
        E,
        "file",
        "the file holds no questions",
        "No question (nor QTI item resource) was found in the file.",
        "An import that imports nothing is almost always the wrong file.",
    ),
    (
        "IM201",
        "extra-cells",
        E,
        "rows",
        "a row has a value beyond the header's columns",
        "A row has a non-empty cell to the right of the last named column.",
        "The value belongs to no field and would be lost; usually a cell shifted by a stray comma.",
    ),
    (
        "IM202",
        "bad-cell",
        E,
        "rows",
        "a cell cannot be read: work area not a number, `reviews`/`suppress` not JSON, an xlsx cell not text",
        (
            "A cell's text cannot be turned into its field: the work area is not a whole number, or "
            "`reviews` or `suppress` is not valid JSON of the right shape; in an xlsx workbook, a cell holds a "
            "number, a date, a true/false value or a formula instead of text (never converted)."
        ),
        "The item would be built from a wrong value; the message names the column.",
    ),
    (
        "IM301",
        "repeated-id",
        E,
        "rows",
        "id already used by an earlier row",
        "Two rows of the CSV file (or two questions of the file) give the same id.",
        "Both rows would write the same item file; one of them would be lost.",
    ),
    (
        "IM302",
        "item-exists",
        E,
        "rows",
        "an item file with this id exists (use `--force`)",
        "An item file with the row's id already exists under the output folder and `--force` was not given.",
        "Import never replaces an item without being told to, so work in the bank is not overwritten by accident.",
    ),
    (
        "IM303",
        "no-usable-id",
        E,
        "rows",
        "a question has no identifier that fits the item id pattern",
        (
            "None of the question's identifiers (QTI identifier; Moodle idnumber, then name; GIFT `[id:...]`, then "
            "`::title::`; Canvas `cmas_bank_id`, then ident) matches `^[A-Za-z_][A-Za-z0-9_-]{0,63}$`; the "
            "message lists what was tried."
        ),
        "The id names the item file and is how every tool refers to it; import never invents one.",
    ),
    (
        "IM304",
        "no-work-area",
        E,
        "rows",
        "a question's category (or metadata) names no work area and sub-area; pass `--subarea`",
        (
            "No category path segment starts with a sub-area code (`4C ...`), and there is no Canvas or LOM "
            "metadata for it, and `--subarea` was not given."
        ),
        "Every item belongs to a sub-area of the outline; guessing one would misplace it on the blueprint.",
    ),
    (
        "IM401",
        "question-skipped",
        W,
        "rows",
        "a question the bank cannot hold is skipped (listed, never half-imported)",
        (
            "The question is not single-choice with four options and one right answer (true/false, multiple "
            "answers, matching, short answer, essay, numerical, missing word, partial credit), has feedback per "
            "answer, or holds an image, media, a formula or a table. The message gives the reason."
        ),
        "The bank's items are single-best-answer questions of plain text; the others are left out whole.",
    ),
    (
        "IM901",
        "round-trip-mismatch",
        E,
        "internal",
        "internal: the YAML would not read back as the same item",
        "The item file import would write does not parse back into the same item.",
        "A safeguard: nothing is written that would change on the next read. Please report it as a bug.",
    ),
)


ANALYZE: tuple[Row, ...] = (
    (
        "IA101",
        "responses-unreadable",
        E,
        "input",
        "responses file cannot be read, is not a regular file, or is over the size limit (exit 2)",
        (
            "A responses file given to `analyze` could not be opened or read, is a folder, FIFO or device, or is "
            "larger than 512 MiB."
        ),
        "Nothing can be analysed from a file that cannot be read; this is an I/O error and `analyze` exits 2.",
    ),
    (
        "IA102",
        "responses-not-utf8",
        E,
        "input",
        "responses file is not UTF-8",
        "The file's bytes are not UTF-8 (a byte-order mark is accepted); the message gives the first bad byte.",
        "Option texts in another encoding would match no option; save the file as CSV UTF-8.",
    ),
    (
        "IA103",
        "responses-csv-syntax",
        E,
        "input",
        "CSV syntax error in a responses file",
        "The file is not valid CSV, for example a quoted cell that is never closed.",
        "Rows after the error cannot be split into cells reliably, so reading stops there.",
    ),
    (
        "IA104",
        "responses-bad-header",
        E,
        "input",
        "the header is neither the long nor the wide layout, or names a column twice",
        (
            "A long file needs the columns `candidate`, `item` and `response` (and may have `form`); a wide file "
            "has `candidate`, optionally `form`, then one column per item id. A column named twice, a column "
            "without a name, or an empty file is reported here too."
        ),
        "Without a recognisable header the cells cannot be told apart.",
    ),
    (
        "IA105",
        "unknown-item",
        E,
        "input",
        "item id is not in the bank",
        "A response names an item id that no file of the bank has.",
        "A misspelt id or a responses file from another bank: its statistics would belong to no item.",
    ),
    (
        "IA106",
        "response-not-option",
        E,
        "input",
        "a letter response that is not an option of the item",
        "The response is a single letter that is not one of the item's option keys (A to D).",
        "A scanner misread or a wrong export: scoring it wrong would hide a data problem.",
    ),
    (
        "IA107",
        "response-text-unmatched",
        E,
        "input",
        "a response text that matches no option text of the item",
        (
            "The response is a text (as LMS reports give the chosen option's words) that equals no option of the "
            "item, after case and runs of spaces are ignored."
        ),
        "The item was edited since the test, or the response belongs to another item.",
    ),
    (
        "IA108",
        "repeated-response",
        E,
        "input",
        "a candidate answers the same item twice",
        "Two rows (or two files) give a response from the same candidate to the same item.",
        "Only one of them can be the candidate's answer; which one is unclear.",
    ),
    (
        "IA109",
        "item-not-valid",
        E,
        "input",
        "the item's file does not validate, so it has no key to score against",
        "The response names an item whose file fails validation (run `cmas-bank validate`).",
        "Without a valid key and options the response cannot be scored.",
    ),
    (
        "IA110",
        "missing-candidate",
        E,
        "input",
        "a row without a candidate id",
        "The candidate cell of a row is empty.",
        "Responses that belong to nobody cannot be put together into a score.",
    ),
    (
        "IA111",
        "conflicting-form",
        E,
        "input",
        "a candidate is given two different forms",
        "Rows of the same candidate name different forms.",
        "Each candidate sat one form; the analysis of a form takes its candidates by that column.",
    ),
    (
        "IA112",
        "responses-format-unknown",
        E,
        "input",
        "the file is none of the responses formats analyze reads",
        (
            "The file is XML whose root is not a QTI results report (`assessmentResult`), or a zip archive (an "
            "Excel workbook), so its format cannot be told from its content."
        ),
        "Guessing would score the wrong cells; save the responses as CSV, or export QTI results.",
    ),
    (
        "IA113",
        "responses-xml-syntax",
        E,
        "input",
        "malformed XML in a QTI results file",
        "The QTI results file is not well-formed XML; the message gives the parser's reason.",
        "Nothing after a syntax error can be read reliably.",
    ),
    (
        "IA114",
        "responses-xml-refused",
        E,
        "input",
        "XML with a DOCTYPE (entity declarations) is refused",
        (
            "The QTI results file has a DOCTYPE. Results reports need none; entity declarations are how an XML "
            "file expands into gigabytes or reads other files, so the file is refused, not parsed further."
        ),
        "Hostile input is refused, not obeyed.",
    ),
    (
        "IA115",
        "qti-result-incomplete",
        E,
        "input",
        "a QTI itemResult without identifier, or several values for a single response",
        (
            "An `itemResult` has no `identifier` (so its item is unknown), or the `RESPONSE` variable of a "
            "single-choice item holds more than one value."
        ),
        "Such a response cannot be scored against one option.",
    ),
    (
        "IA201",
        "possible-miskey",
        W,
        "item flags",
        "a distractor behaves like the key: check the answer",
        (
            "A distractor's option-rest point-biserial is higher than the key's (by more than `miskey-margin`), "
            "or more of the top-scoring group chose it than the key while it correlates positively with the rest "
            "score. One flag per item, for the likeliest option; located at the item's `answer`."
        ),
        (
            "Strong candidates pick the right answer; when they prefer another option, the key is often wrong, or "
            "the item has two defensible answers. Read the item; fix the key or rewrite the distractor."
        ),
    ),
    (
        "IA202",
        "negative-discrimination",
        W,
        "item flags",
        "the item is answered right more often by weaker candidates",
        "The corrected point-biserial (item against the rest of the test) is below zero.",
        (
            "The item measures something other than the rest of the test, or is miskeyed or ambiguous; do not score "
            "it until it is reviewed."
        ),
    ),
    (
        "IA203",
        "low-discrimination",
        W,
        "item flags",
        "the item barely separates strong and weak candidates",
        "The corrected point-biserial is at or above zero but below `min-discrimination` (default 0.15).",
        "An item that does not separate candidates adds length, not information: review its wording and distractors.",
    ),
    (
        "IA204",
        "too-easy",
        I,
        "item flags",
        "nearly everyone answers the item right",
        "The p-value (share answering right) is above `max-p` (default 0.95).",
        "An item that everyone gets right says little about anyone; its distractors may be implausible.",
    ),
    (
        "IA205",
        "too-hard",
        W,
        "item flags",
        "few candidates answer the item right",
        "The p-value is below `min-p` (default 0.25, near chance for four options).",
        "Near chance, the item may be miskeyed, off the outline, or unclear; check the key and the stem.",
    ),
    (
        "IA206",
        "dead-distractor",
        I,
        "item flags",
        "a distractor almost nobody chooses",
        (
            "A distractor is chosen by fewer than `min-distractor-share` (default 5 %) of the candidates. Located "
            "at the option."
        ),
        "A distractor nobody picks makes the item easier to guess; replace it with a plausible error.",
    ),
    (
        "IA207",
        "rasch-misfit",
        I,
        "item flags",
        "the item fits the Rasch model poorly (infit or outfit mean square)",
        "The item's infit or outfit mean square is outside `min-fit`..`max-fit` (default 0.7..1.3).",
        (
            "Above the range the responses are noisier than the model expects (guessing, ambiguity); below it "
            "they are too predictable (a dependency on another item). Read the item with its distractor table."
        ),
    ),
    (
        "IA301",
        "too-few-candidates",
        W,
        "data",
        "too few candidates for the statistics to mean anything",
        (
            "A form has fewer candidates than `min-candidates` (default 30; `min-candidates-rasch`, default 100, for "
            "Rasch). The statistics are left out and no item is flagged."
        ),
        "With few candidates a p-value or a correlation is mostly noise; flags drawn from it would mislead.",
    ),
    (
        "IA302",
        "constant-item",
        I,
        "data",
        "everyone or no one answered the item right: no correlation",
        "Every candidate of the form answered the item right, or none did, so its point-biserial is undefined.",
        "The item cannot discriminate in this group; it is reported instead of a meaningless number.",
    ),
)


FORMS: tuple[Row, ...] = (
    (
        "IF101",
        "form-invalid",
        E,
        "form file",
        "file is not a form file (YAML or form schema error)",
        (
            "The file given to `assemble --check`, or found by `check` and `report` (`form-files` in "
            "[tool.cmas-bank.assemble], else its `out` folder), could not be read as a form: a YAML error, or a "
            "field the form schema (schemas/form.schema.json) does not accept."
        ),
        "A form that cannot be read cannot be checked or delivered; write forms with `cmas-bank assemble`.",
    ),
    (
        "IF102",
        "form-outline-mismatch",
        W,
        "form file",
        "the form was built for another outline; its blueprint was not checked",
        "The form's `outline` differs from the outline in use (config or --outline).",
        "Blueprint counts only mean something against the outline the form was built for.",
    ),
    (
        "IF201",
        "form-item-missing",
        E,
        "items",
        "a form's item is no longer a valid item in the bank",
        "An id on the form names no valid item in the bank: the file was deleted, renamed, or no longer validates.",
        "A form cannot be delivered with an item that is gone or broken; reassemble or replace the item.",
    ),
    (
        "IF202",
        "form-item-ineligible",
        E,
        "items",
        "a form's item no longer has an eligible status",
        (
            "A scored item's status is not one of the form's eligible statuses (approved by default), or a pretest "
            "item's is neither those nor the pretest statuses (review by default): it was demoted or retired."
        ),
        "Only reviewed and approved items may count towards a score.",
    ),
    (
        "IF203",
        "form-item-repeated",
        E,
        "items",
        "an item is listed on the form more than once",
        "The same id appears twice in the form's `items`.",
        "A candidate would see the same question twice; a hand edit of the form most likely went wrong.",
    ),
    (
        "IF301",
        "form-blueprint-broken",
        E,
        "blueprint",
        "the form's scored items per work area no longer match the blueprint",
        (
            "Counting the form's scored items by the work area each item is in now, a work area has more or fewer "
            "than the outline's blueprint asks for (an item moved, or the form was edited)."
        ),
        "Every form must meet the published blueprint for its scores to be comparable.",
    ),
    (
        "IF302",
        "form-enemies",
        E,
        "pairs",
        "two items on the form are enemies",
        "One item lists the other in `enemies` (either side), and both are on the form.",
        "Enemy items give each other away; they must never share a form.",
    ),
    (
        "IF303",
        "form-duplicates",
        E,
        "pairs",
        "two items on the form are duplicates by dedupe",
        "dedupe puts the two items in one cluster (exact or near duplicates), and both are on the form.",
        "A duplicate asks the same thing twice and weights one fact double; keep one of them per form.",
    ),
)
