"""Reviews bind to the content they approved: digests (cmas_bank/digest.py), IV210, `cmas-bank
review` (refusals, comments kept, status moves), the one-time migration, and `import`, `fmt` and
`lint --fix` never leaving an item approved for content its reviews did not see."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import re
import shutil
from pathlib import Path

import pytest
from clirunner import cli
from conftest import BANK, FIXTURES, ROOT

from cmas_bank.digest import PARTS, changed_parts, content_digest, normalise, part_digests
from cmas_bank.export import render
from cmas_bank.export.common import Selection
from cmas_bank.importer import plan_csv_import, write_plan
from cmas_bank.lint.fmt import FIXES, fix_text, format_text
from cmas_bank.loader import LoadedFile, load_bytes
from cmas_bank.model import Item
from cmas_bank.outline import Outline
from cmas_bank.review import NewReview, ReviewError, migrate_text, record_review
from cmas_bank.validate import validate_loaded, validate_paths

# CMAS-04-0001: status on line 5; option A ("10 days") on line 14; answer C; one reference.
# A copy of the shipped item as it stood on 2026-12-01 (with its invented names), so the bank can change.
ITEM = FIXTURES / "review" / "04-medical-records-management" / "CMAS-04-0001.yaml"
SOURCE = ITEM.read_text(encoding="utf-8")
STATUS_AT = (5, 9)


def check(text: str, outline: Outline, name: str = "CMAS-04-0001.yaml") -> list[tuple[str, int, int, str]]:
    loaded = load_bytes(text.encode("utf-8"), LoadedFile(path=Path(name), display=name))
    return [(d.code, d.line, d.column, d.message) for d in validate_loaded(loaded, outline).diagnostics]


def item_of(text: str) -> Item:
    loaded = load_bytes(text.encode("utf-8"), LoadedFile(path=Path("x.yaml"), display="x.yaml"))
    return Item.model_validate(loaded.data)


# --- the digest ----------------------------------------------------------------------------------

DIRTY = {
    "IW407": ("Under the HIPAA Privacy Rule, what", "Under the HIPAA Privacy Rule, what \t"),
    "IW408": ("the longest the practice", "the longest  the   practice"),
    "IW409": ("the request if", "the \u201crequest\u201d if"),
}


def test_every_safe_fix_leaves_the_digest_unchanged() -> None:
    base = item_of(SOURCE)
    for code, fix in FIXES.items():
        # Text as the fix leaves it hashes as the text before the fix, in every covered field.
        samples = [
            "Ends with spaces   \nand tabs\t\t\nthen more",
            "Two  spaces and   three between words",
            "\u201cSmart\u201d quotes and \u2018single\u2019 ones, an apostrophe\u2019s too",
        ]
        for sample in samples:
            assert normalise(fix(sample)) == normalise(sample), code
        stem = base.stem.replace("what", "what \u201cexactly\u201d  is  ", 1) + "  "
        dirty = base.model_copy(
            update={
                "stem": stem,
                "rationale": base.rationale + " \u2018sixty\u2019  days ",
                "references": [r + "  " for r in base.references],
            }
        )
        fixed = dirty.model_copy(
            update={
                "stem": fix(dirty.stem),
                "rationale": fix(dirty.rationale),
                "references": [fix(r) for r in dirty.references],
            }
        )
        assert fixed != dirty, code  # the fix did something
        assert content_digest(fixed) == content_digest(dirty), code


def test_every_meaningful_change_changes_its_part_of_the_digest() -> None:
    base = item_of(SOURCE)
    options = base.options.as_dict()
    edits = {
        "stem": {"stem": base.stem.replace("longest", "shortest")},
        "options": {"options": base.options.model_copy(update={"B": "31 days"})},
        "answer": {"answer": "B"},
        "rationale": {"rationale": base.rationale.replace("Ten days", "Twelve days")},
        "references": {"references": ["45 CFR 164.524(b)(3)"]},
    }
    for part, update in edits.items():
        assert changed_parts(content_digest(base), base.model_copy(update=update)) == [part], part
    swapped = base.options.model_copy(update={"A": options["B"], "B": options["A"]})
    assert changed_parts(content_digest(base), base.model_copy(update={"options": swapped})) == ["options"]
    more = base.model_copy(update={"references": [*base.references, "45 CFR 164.501"]})
    assert changed_parts(content_digest(base), more) == ["references"]
    line_break = base.model_copy(update={"stem": base.stem.replace(" ", "\n", 1)})
    assert changed_parts(content_digest(base), line_break) == ["stem"]  # a line break is not a space
    # Tags, enemies, difficulty, dates and status are not part of what a review vouches for.
    other = base.model_copy(
        update={"tags": ["x"], "enemies": ["CMAS-04-0002"], "difficulty": "hard", "status": "review"}
    )
    assert part_digests(other) == part_digests(base)
    assert re.fullmatch(" ".join(f"{p}:[0-9a-f]{{8}}" for p in PARTS), content_digest(base))


# --- IV210 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "what"),
    [
        ("what is the longest the practice", "what is the shortest time the practice", "the stem"),
        ("  A: 10 days\n", "  A: 14 days\n", "the options"),
        ("answer: C\n", "answer: B\n", "the answer"),
        ("Ten days (A) is not", "Ten days (A) is never", "the rationale"),
        ("  - 45 CFR 164.524(b)(2)\n", "  - 45 CFR 164.524(b)(3)\n", "the references"),
    ],
)
def test_stale_approval_is_found_at_the_status_line(old: str, new: str, what: str, outline: Outline) -> None:
    assert old in SOURCE
    text = SOURCE.replace(old, new, 1)
    assert check(SOURCE, outline) == []
    assert check(text, outline) == [
        (
            "IV210",
            *STATUS_AT,
            (
                f"approval is stale: {what} changed after the review of 2026-11-24; review the item again "
                "(cmas-bank review)"
            ),
        )
    ]


def test_the_message_names_every_changed_part(outline: Outline) -> None:
    text = SOURCE.replace("longest", "shortest", 1).replace("  D: 90 days", "  D: 91 days")
    ((code, line, column, message),) = check(text, outline)
    assert (code, line, column) == ("IV210", *STATUS_AT)
    assert message.startswith("approval is stale: the stem and options changed after the review of 2026-11-24")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("tags: [hipaa, right-of-access]", "tags: [hipaa, right-of-access, records]"),
        ("enemies: []", "enemies: [CMAS-04-0002]"),
        ("difficulty: medium", "difficulty: hard"),
        ("cognitive_level: application", "cognitive_level: analysis"),
        ("answer: C\n", "answer: C  # the key\n# a comment line\n"),
        ("the longest the practice", "the longest  the practice"),  # doubled space
        ("her own medical record.", "her own medical record.   "),  # trailing spaces
        ("updated: 2026-11-24", "updated: 2026-11-30"),
        ("Checked the deadline", "Checked  the deadline"),  # another review's notes
    ],
)
def test_not_stale_for_what_a_candidate_does_not_see(old: str, new: str, outline: Outline) -> None:
    assert old in SOURCE
    assert check(SOURCE.replace(old, new, 1), outline) == []


def test_not_stale_when_quotes_are_made_smart_or_straight(outline: Outline) -> None:
    straight = SOURCE.replace("a signed written request", 'a signed "written" request at the patient\'s')
    straight = re.sub(r'digest: "[^"]+"', f'digest: "{content_digest(item_of(straight))}"', straight)
    assert check(straight, outline) == []
    smart = straight.replace('"written"', "\u201cwritten\u201d").replace("patient's", "patient\u2019s")
    assert smart != straight and check(smart, outline) == []


def test_approval_without_a_digest_points_at_the_migration(outline: Outline) -> None:
    text = re.sub(r"\n    digest: .*", "", SOURCE)
    assert check(text, outline) == [
        (
            "IV210",
            *STATUS_AT,
            "approval predates content digests; run `cmas-bank review --migrate` once on a bank you trust",
        )
    ]


def test_an_authors_digest_does_not_count_and_iv207_keeps_its_meaning(outline: Outline) -> None:
    # The only review with a digest is by an author: the independent approvals predate digests.
    text = SOURCE.replace("  - reviewer: Odile Brannigan", "  - reviewer: morgan ellery ")
    assert re.search(r"reviewer: morgan ellery \n(    .*\n){3}    digest: ", text)
    found = check(text, outline)
    assert [c for c, *_ in found] == ["IV210"]
    assert "predates content digests" in found[0][3]
    no_review = re.sub(r"reviews:\n(  .*\n|    .*\n)+", "reviews: []\n", SOURCE)
    assert [c for c, *_ in check(no_review, outline)] == ["IV207"]


def test_a_malformed_digest_is_a_schema_error(outline: Outline) -> None:
    text = re.sub(r"(    digest: \"stem:)[0-9a-f]{8}", r"\1nothex!!", SOURCE)
    found = check(text, outline)
    assert [(c, line) for c, line, _, _ in found] == [("IV202", 39)]


# --- cmas-bank review ----------------------------------------------------------------------------

REVIEW_ITEM = """\
# yaml-language-server: $schema=../../schemas/item.schema.json
# Written for the 2026 refresh.
id: CMAS-04-0001
domain: 4
subdomain: 4C
status: review  # waiting for a second reader
difficulty: medium
cognitive_level: application
stem: What is the longest the practice may take to act on the request with one extension?
options:
  A: 10 days
  B: 30 days  # the usual limit
  C: 60 days
  D: 90 days
answer: C
rationale: |-
  Thirty days and one 30-day extension make 60 days (C). Ten days (A) is no deadline, 30 days (B)
  is the limit without the extension, and 90 days (D) is more than one extension allows.
references:
  - 45 CFR 164.524(b)(2)
authors:
  - Morgan Ellery
# Reviews, oldest first.
reviews:
  - reviewer: Priya Natarajan
    date: 2026-11-24
    verdict: changes-requested
    notes: Name the extension in the stem.
  # The stem was changed after this one.
# Keep the tags short.
tags: [hipaa]
enemies: []
suppress: {}
created: 2026-11-20
updated: 2026-11-24  # last edit
# end of item
"""


def _new(**kw: object) -> NewReview:
    fields: dict[str, object] = {
        "reviewer": "Odile Brannigan",
        "verdict": "approved",
        "notes": "Checked 60 days against 164.524(b)(2).",
        "date": dt.date(2026, 12, 1),
    }
    fields.update(kw)
    return NewReview(**fields)  # type: ignore[arg-type]


def _comments(text: str) -> list[str]:
    return [line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line]


def test_review_keeps_every_comment_and_records_date_and_digest(outline: Outline) -> None:
    recorded = record_review(REVIEW_ITEM, "x.yaml", _new(status="approved"), outline)
    after = recorded.text
    assert _comments(after) == _comments(REVIEW_ITEM)
    assert check(after, outline) == []
    item = item_of(after)
    assert (item.status, item.updated) == ("approved", dt.date(2026, 12, 1))
    assert item.reviews[-1].model_dump() == {
        "reviewer": "Odile Brannigan",
        "date": dt.date(2026, 12, 1),
        "verdict": "approved",
        "notes": "Checked 60 days against 164.524(b)(2).",
        "digest": content_digest(item_of(REVIEW_ITEM)),
    }
    # Only the status and updated lines changed; the review was added after the last one, and the
    # comment lines after the last review still come after it.
    diff = [
        line
        for line in difflib.unified_diff(REVIEW_ITEM.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert diff == [
        "-status: review  # waiting for a second reader",
        "+status: approved # waiting for a second reader",
        "+  - reviewer: Odile Brannigan",
        "+    date: 2026-12-01",
        "+    verdict: approved",
        "+    notes: Checked 60 days against 164.524(b)(2).",
        f'+    digest: "{content_digest(item)}"',
        "-updated: 2026-11-24  # last edit",
        "+updated: 2026-12-01  # last edit",
    ]
    assert after.index("# The stem was changed after this one.") > after.index("digest:")
    assert recorded.summary.endswith("; status review -> approved")


def test_review_of_an_item_without_reviews_places_them_in_model_order(outline: Outline) -> None:
    text = REVIEW_ITEM.replace(REVIEW_ITEM[REVIEW_ITEM.index("reviews:") : REVIEW_ITEM.index("# Keep")], "")
    after = record_review(text, "x.yaml", _new(verdict="changes-requested"), outline).text
    # The comment lines above the key that followed `authors` stay above it.
    assert (
        after.index("reviews:") < after.index("# Reviews, oldest first.") < after.index("# Keep") < after.index("tags:")
    )
    assert item_of(after).reviews[0].verdict == "changes-requested"
    assert check(after, outline) == []


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"reviewer": " morgan ELLERY "}, "is an author of CMAS-04-0001; a review must be by someone else"),
        ({"notes": "  "}, "--notes must say what the review checked"),
        ({"reviewer": ""}, "--reviewer must name the reviewer"),
        ({"date": dt.date(2026, 11, 1)}, "review date 2026-11-01 is before the item was created (2026-11-20)"),
        ({"status": "draft", "verdict": "approved"}, None),  # review -> draft is allowed
        ({"status": "retired"}, "cannot move CMAS-04-0001 from review to retired"),
        ({"status": "approved", "verdict": "changes-requested"}, "cannot be approved"),
    ],
)
def test_review_refusals(request_: dict[str, object], message: str | None, outline: Outline) -> None:
    if message is None:
        assert item_of(record_review(REVIEW_ITEM, "x.yaml", _new(**request_), outline).text).status == "draft"
        return
    with pytest.raises(ReviewError, match=re.escape(message)):
        record_review(REVIEW_ITEM, "x.yaml", _new(**request_), outline)


def test_status_moves(outline: Outline) -> None:
    draft = REVIEW_ITEM.replace("status: review ", "status: draft ")
    with pytest.raises(ReviewError, match="cannot move CMAS-04-0001 from draft to approved"):
        record_review(draft, "x.yaml", _new(status="approved"), outline)
    text = record_review(draft, "x.yaml", _new(verdict="changes-requested", status="review"), outline).text
    text = record_review(text, "x.yaml", _new(status="approved", date=dt.date(2026, 12, 2)), outline).text
    assert item_of(text).status == "approved" and check(text, outline) == []
    text = record_review(text, "x.yaml", _new(reviewer="Sam Ortega", status="retired"), outline).text
    assert item_of(text).status == "retired"
    with pytest.raises(ReviewError, match="from retired to approved"):
        record_review(text, "x.yaml", _new(status="approved"), outline)


def test_a_new_review_makes_a_stale_approval_current(outline: Outline) -> None:
    stale = SOURCE.replace("  A: 10 days\n", "  A: 14 days\n")
    assert [c for c, *_ in check(stale, outline)] == ["IV210"]
    with pytest.raises(ReviewError, match="is an author"):
        record_review(stale, "x.yaml", _new(reviewer="Morgan Ellery"), outline)
    after = record_review(stale, "x.yaml", _new(reviewer="Priya Natarajan"), outline).text
    assert check(after, outline) == []


def test_review_refuses_an_invalid_item(outline: Outline) -> None:
    text = (FIXTURES / "items" / "invalid" / "fifth-option.yaml").read_text(encoding="utf-8")
    with pytest.raises(ReviewError, match="IV204 .*fix the item first"):
        record_review(text, "x.yaml", _new(), outline)


def test_cli_review_refuses_an_author_and_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "CMAS-04-0001.yaml"
    path.write_text(REVIEW_ITEM, encoding="utf-8")
    before = path.read_bytes()
    config = ["--config", str(ROOT / "pyproject.toml")]
    refused = cli("review", str(path), "--reviewer", "Morgan Ellery", "--verdict", "approved", "--notes", "ok", *config)
    assert refused.returncode == 2, refused.stderr
    assert "Morgan Ellery is an author of CMAS-04-0001" in refused.stderr and "Traceback" not in refused.stderr
    assert path.read_bytes() == before
    done = cli(
        "review", str(path), "--reviewer", "Odile Brannigan", "--verdict", "approved", "--status", "approved",
        "--notes", "Checked against the rule.", "--date", "2026-12-01", *config,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "CMAS-04-0001: recorded approved review by Odile Brannigan on 2026-12-01" in done.stdout
    assert cli("validate", str(path), *config).returncode == 0
    bad_date = cli("review", str(path), "--reviewer", "X Y", "--verdict", "approved", "--notes", "n", "--date", "soon")
    assert bad_date.returncode == 2 and "is not a date" in bad_date.stderr


# --- the migration -------------------------------------------------------------------------------


def test_migration_on_a_copy_of_the_bank_adds_only_digest_lines(tmp_path: Path, outline: Outline) -> None:
    """Two work areas of the shipped bank (the whole bank takes half a minute), as they would be
    before digests: the migration stamps the latest approving review of each approved item and
    changes nothing else; items still in review get nothing."""
    copy = tmp_path / "bank"
    for area in ("02-basic-clinical-concepts", "07-medical-office-information-processing"):
        shutil.copytree(BANK / area, copy / area)
    for path in copy.rglob("*.yaml"):
        path.write_text(re.sub(r"\n *digest: .*", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    # An item sent back to review keeps its approving reviews as history: the migration must not
    # stamp them (made here, so the test holds whatever the shipped bank's items' states are).
    sent_back = min(copy.rglob("*.yaml"))
    sent_back.write_text(sent_back.read_text("utf-8").replace("\nstatus: approved\n", "\nstatus: review\n"), "utf-8")
    before = {p.relative_to(copy): p.read_text(encoding="utf-8") for p in copy.rglob("*.yaml")}
    approved = {name for name, text in before.items() if "\nstatus: approved\n" in text}
    assert approved and len(approved) < len(before)  # both kinds are there
    codes = {d.code for d in validate_paths([copy], outline).diagnostics}
    assert codes == {"IV210"}
    run = cli("review", "--migrate", str(copy))
    assert run.returncode == 0, run.stderr
    assert f"stamped {len(approved)} review(s); 0 file(s) need attention." in run.stderr
    assert validate_paths([copy], outline).diagnostics == []
    for name, text in before.items():
        after = (copy / name).read_text(encoding="utf-8")
        changes = [
            line
            for line in difflib.unified_diff(text.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")
        ]
        if name not in approved:
            assert changes == [], name
            continue
        assert len(changes) == 1 and re.fullmatch(r'\+    digest: "[^"]+"', changes[0]), (name, changes)
        assert changes[0][1:] in (BANK / name).read_text(encoding="utf-8")  # the digest the bank records
    again = cli("review", "--migrate", str(copy))
    assert again.returncode == 0 and "stamped 0 review(s)" in again.stderr


def test_migration_never_stamps_over_a_stale_review(outline: Outline) -> None:
    stale = SOURCE.replace("  A: 10 days\n", "  A: 14 days\n")
    migration = migrate_text(stale, "x.yaml", outline)
    assert migration.stamped is None and migration.text == stale
    assert migration.note == "the review of 2026-11-24 saw other content; review the item again"


# --- import, fmt and lint --fix ------------------------------------------------------------------


def test_import_withdraws_an_approval_for_changed_content(tmp_path: Path, outline: Outline) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(BANK / "01-medical-assisting-foundations", bank / "01-medical-assisting-foundations")
    items = validate_paths([bank], outline).items
    before = {i.id: i.status for i in items}
    first, second = sorted(i for i, s in before.items() if s == "approved")[:2]  # two approved items
    sheet = tmp_path / "items.csv"
    sheet.write_bytes(render("csv", items, outline, Selection(statuses=("approved",))))
    with sheet.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for row in rows[1:]:
        if row[0] == first:
            row[header.index("option_b")] += " or more"
        if row[0] == second:
            row[header.index("tags")] += ", new-tag"
            row[header.index("stem")] = row[header.index("stem")].replace(" ", "  ", 1)
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    plan = plan_csv_import(sheet, bank, outline, force=True)
    assert plan.ok, plan.diagnostics
    assert plan.notes == [
        f"{first}: options.B changed; status approved -> review: needs a new review (cmas-bank review)",
        f"{second}: stem, tags changed",  # said for every changed item, exactly (issue 13)
    ]
    write_plan(plan)
    result = validate_paths([bank], outline)
    assert result.diagnostics == []
    status = {i.id: i.status for i in result.items}
    assert status[first] == "review"
    assert status[second] == "approved"  # a tag and a doubled space change nothing reviewed
    assert status == {**before, first: "review"}  # nothing else moved


def test_import_of_an_approval_without_a_digest_is_imported_for_review(tmp_path: Path, outline: Outline) -> None:
    sheet = tmp_path / "items.csv"
    items = [i for i in validate_paths([ITEM], outline).items]
    data = render("csv", items, outline, Selection(statuses=("approved",))).decode("utf-8")
    sheet.write_text(re.sub(r', ""digest"": ""[^"]+""', "", data), encoding="utf-8")
    plan = plan_csv_import(sheet, tmp_path / "out", outline)
    assert plan.ok and [f.item.status for f in plan.files] == ["review"]
    assert plan.notes == [
        (
            "CMAS-04-0001: approval predates content digests; status approved -> review: needs a new review "
            "(cmas-bank review)"
        )
    ]


def test_fmt_and_lint_fix_keep_an_approval_current(outline: Outline) -> None:
    # An approved item reviewed as written with smart quotes, doubled and trailing spaces.
    messy = SOURCE
    for old, new in DIRTY.values():
        messy = messy.replace(old, new, 1)
    messy = messy.replace("tags: [hipaa, right-of-access]", "tags: [hipaa,   right-of-access]")
    messy = re.sub(r'digest: "[^"]+"', f'digest: "{content_digest(item_of(messy))}"', messy)
    assert check(messy, outline) == []
    fixed = fix_text(messy, FIXES, "x.yaml")
    assert fixed != messy and "\u201c" not in fixed
    formatted = format_text(fixed, "x.yaml")
    for text in (fixed, formatted, format_text(messy, "x.yaml")):
        assert check(text, outline) == []
