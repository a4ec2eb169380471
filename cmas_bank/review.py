"""`cmas-bank review`: record a review in an item file, and the one-time digest migration.

A review is appended to the item's `reviews` with its date and the digest of the content it saw
(`cmas_bank.digest`), through ruamel.yaml's round trip with the settings `fmt` uses, so comments
and layout stay as they are. Each rewrite is parsed again and validated: it must hold exactly
the item plus the review (and the status and `updated` date the command set), or nothing is
written. Writes are atomic.

`--migrate` stamps the current digest onto the most recent approving review by a non-author of
each approved item whose approvals predate digests. It asserts that this review saw the item as
it stands now, so it is run once, on a bank whose approvals are trusted; only `digest:` lines
are added (a file whose rewrite would change anything else is left alone and reported).
"""

from __future__ import annotations

import datetime as dt
import difflib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmas_bank.digest import content_digest, current_approval, independent_approvals, is_author
from cmas_bank.lint.fmt import (
    FormatError,
    _one_trailing_newline,
    _parse,
    _round_trip,
    _set_tail_text,
    _tail_text,
)
from cmas_bank.model import FIELD_NAMES, Item, Review
from cmas_bank.outline import Outline
from cmas_bank.validate import APPROVED_WITHOUT_REVIEW, STALE_APPROVAL, validate_loaded

MOVES: frozenset[tuple[str, str]] = frozenset(
    {
        ("draft", "review"),
        ("review", "approved"),
        ("approved", "retired"),
        ("review", "draft"),  # sent back to the writer
        ("approved", "review"),  # taken out of use until it is reviewed again
    }
)
"""The status moves `review --status` makes; any other is refused."""

_POLICY = frozenset({APPROVED_WITHOUT_REVIEW, STALE_APPROVAL})  # what a review is there to settle


class ReviewError(Exception):
    """The review cannot be recorded (the message says why); nothing was written."""


@dataclass(frozen=True)
class NewReview:
    reviewer: str
    verdict: str
    notes: str
    date: dt.date
    status: str | None = None


@dataclass
class Recorded:
    text: str
    item: Item
    review: Review
    before: str

    @property
    def summary(self) -> str:
        r = self.review
        move = f"; status {self.before} -> {self.item.status}" if self.before != self.item.status else ""
        return f"{self.item.id}: recorded {r.verdict} review by {r.reviewer} on {r.date} ({r.digest}){move}"


def _valid_item(text: str, display: str, outline: Outline, strict: bool = True) -> tuple[Any, Item]:
    """The file's item; ReviewError when it is not one. `strict`: any finding but the approval
    policy's (IV207, IV210, which a review is there to settle) refuses it too."""
    try:
        loaded = _parse(text, display)
    except FormatError as exc:
        raise ReviewError(str(exc)) from None
    checked = validate_loaded(loaded, outline)
    blocking = [d for d in checked.diagnostics if d.code not in _POLICY and (strict or checked.item is None)]
    if checked.item is None or blocking:
        d = blocking[0]
        raise ReviewError(
            f"{display}:{d.line}:{d.column}: {d.code} {d.message}; fix the item first (cmas-bank validate)"
        )
    return loaded, checked.item


def _check_request(item: Item, new: NewReview, display: str) -> str:
    """The status the item will have; raises ReviewError for a request that must be refused."""
    if not new.reviewer.strip():
        raise ReviewError("--reviewer must name the reviewer")
    if not new.notes.strip():
        raise ReviewError("--notes must say what the review checked")
    if is_author(new.reviewer, item):
        raise ReviewError(
            f"{display}: {new.reviewer.strip()} is an author of {item.id}; a review must be by someone else"
        )
    if new.date < item.created:
        raise ReviewError(f"{display}: review date {new.date} is before the item was created ({item.created})")
    status = new.status or item.status
    if status != item.status and (item.status, status) not in MOVES:
        allowed = ", ".join(f"{a} -> {b}" for a, b in sorted(MOVES))
        raise ReviewError(f"{display}: cannot move {item.id} from {item.status} to {status} (allowed: {allowed})")
    return status


def record_review(text: str, display: str, new: NewReview, outline: Outline) -> Recorded:
    """The item file's text with `new` recorded. Raises ReviewError (nothing to write) when the
    file is not a valid item, the reviewer is an author, the notes are empty, the status move is
    not allowed, or `--status approved` lacks a current approving review by a non-author."""
    _, item = _valid_item(text, display, outline)
    status = _check_request(item, new, display)
    digest = content_digest(item)
    review = Review(
        reviewer=new.reviewer.strip(),
        date=new.date,
        verdict=new.verdict,  # type: ignore[arg-type]
        notes=new.notes.strip(),
        digest=digest,
    )
    updated = max(item.updated, new.date)
    expected = item.model_copy(update={"reviews": [*item.reviews, review], "status": status, "updated": updated})
    if status == "approved" and current_approval(expected) is None:
        raise ReviewError(
            f"{display}: {item.id} cannot be approved: it needs an approving review by a non-author of the item "
            f"as it stands (this review's verdict is {new.verdict})"
        )

    def edit(doc: Any) -> None:
        if doc.get("status") != status:
            doc["status"] = status
        if str(doc.get("updated")) != updated.isoformat():
            doc["updated"] = _fresh(updated)
        _append_review(doc, review, digest)

    after = _rewrite(text, display, edit)
    _, got = _valid_item(after, display, outline)
    if got != expected:
        raise ReviewError(f"{display}: recording the review would change the item otherwise; nothing written")
    return Recorded(after, expected, review, item.status)


def _rewrite(text: str, display: str, edit: Callable[[Any], None]) -> str:
    try:
        return _one_trailing_newline(_round_trip(text, edit))
    except Exception as exc:  # noqa: BLE001 - ruamel raises many types; report, never crash
        raise ReviewError(f"{display}: cannot rewrite the file: {exc}") from None


# --- editing the round-trip document -------------------------------------------------------------


def _detach_tail(node: Any, key: Any) -> str:
    """Cut the comment lines that follow `key`'s value (and any collection in it) off it, keeping
    only a comment on the value's own line; return them, to hang after whatever is added next."""
    text = _tail_text(node, key)
    cut = text.find("\n")
    if cut < 0:
        return ""
    eol, following = text[: cut + 1], text[cut + 1 :]
    _set_tail_text(node, key, eol if eol.strip() else "")
    return following


def _attach_tail(node: Any, key: Any, text: str) -> None:
    if text:
        _set_tail_text(node, key, "\n" + text)


def _fresh(day: dt.date) -> dt.date:
    """A date object of its own: ruamel.yaml writes one object used twice as an anchor and alias."""
    return dt.date.fromordinal(day.toordinal())


def _review_map(review: Review, digest: str) -> Any:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    notes = LiteralScalarString(review.notes) if "\n" in review.notes else review.notes
    entry = CommentedMap(reviewer=review.reviewer, date=_fresh(review.date), verdict=review.verdict, notes=notes)
    entry["digest"] = DoubleQuotedScalarString(digest)
    return entry


def _append_review(doc: Any, review: Review, digest: str) -> None:
    from ruamel.yaml.comments import CommentedSeq

    entry = _review_map(review, digest)
    reviews = doc.get("reviews")
    if isinstance(reviews, CommentedSeq):
        following = _detach_tail(doc, "reviews")
        reviews.fa.set_block_style()
        reviews.append(entry)
        _attach_tail(doc, "reviews", following)
        return
    # No `reviews` key yet (or an empty one written as `reviews:`): place it in model order.
    order = list(FIELD_NAMES)
    before = [k for k in doc if k in order and order.index(k) < order.index("reviews") and k != "reviews"]
    following = _detach_tail(doc, before[-1]) if before else ""
    seq = CommentedSeq([entry])
    if "reviews" in doc:
        doc["reviews"] = seq
    else:
        doc.insert(list(doc).index(before[-1]) + 1 if before else 0, "reviews", seq)
    _attach_tail(doc, "reviews", following)


# --- migration -----------------------------------------------------------------------------------


@dataclass
class Migration:
    text: str
    item: Item
    stamped: Review | None  # the review that received the digest; None when nothing was done
    note: str | None = None  # why an approved item was left as it is


def migrate_text(text: str, display: str, outline: Outline) -> Migration:
    """Stamp the current digest on the approved item's most recent approving non-author review,
    when that review has no digest. Raises ReviewError when the file is not a valid item or the
    rewrite would change more than the added `digest:` line. Other findings in the item (a
    missing reference, an unknown sub-area) do not stop it: they do not change what was seen."""
    _, item = _valid_item(text, display, outline, strict=False)
    if item.status != "approved" or current_approval(item) is not None:
        return Migration(text, item, None)
    approvals = independent_approvals(item)
    if not approvals:
        return Migration(text, item, None, "no approving review by a non-author (IV207); nothing to stamp")
    latest = approvals[-1]
    if latest.digest is not None:
        return Migration(text, item, None, f"the review of {latest.date} saw other content; review the item again")
    index = next(i for i, r in enumerate(item.reviews) if r is latest)
    digest = content_digest(item)
    stamped = latest.model_copy(update={"digest": digest})

    def edit(doc: Any) -> None:
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        entry = doc["reviews"][index]
        last = list(entry)[-1]
        following = _detach_tail(entry, last)
        entry["digest"] = DoubleQuotedScalarString(digest)
        _attach_tail(entry, "digest", following)

    after = _rewrite(text, display, edit)
    _only_digest_lines_added(text, after, digest, display)
    reviews = list(item.reviews)
    reviews[index] = stamped
    expected = item.model_copy(update={"reviews": reviews})
    _, got = _valid_item(after, display, outline, strict=False)
    if got != expected:
        raise ReviewError(f"{display}: stamping the digest would change the item otherwise; left unchanged")
    return Migration(after, expected, stamped)


def _only_digest_lines_added(before: str, after: str, digest: str, display: str) -> None:
    """Refuse a rewrite that did more than add the digest: a `digest:` line, or `, digest: "..."`
    inside a review written as a flow mapping."""
    a, b = before.splitlines(), after.splitlines()
    inline = f', digest: "{digest}"'
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        added = tag == "insert" and all(line.strip() == f'digest: "{digest}"' for line in b[j1:j2])
        flow = tag == "replace" and [line.replace(inline, "", 1) for line in b[j1:j2]] == a[i1:i2]
        if not (added or flow):
            raise ReviewError(
                f"{display}:{i1 + 1}: the rewrite would change more than the added digest "
                "(layout not canonical?); run `cmas-bank fmt` on it first, or record a new review"
            )


# --- files (what the command runs) ---------------------------------------------------------------


def _say(message: str, err: bool = False) -> None:
    print(message, file=sys.stderr if err else sys.stdout, flush=True)


def _read(path: Path, display: str) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ReviewError(f"{display}: cannot read file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ReviewError(f"{display}: file is not valid UTF-8") from None


def run_review(
    paths: Sequence[Path],
    outline: Outline,
    reviewer: str,
    verdict: str,
    notes: str,
    status: str | None,
    date: str | None,
) -> int:
    """Record one review in each item file; all or nothing: any refusal writes no file (exit 2)."""
    from cmas_bank.diagnostics import display_path
    from cmas_bank.fileio import atomic_write_text

    try:
        day = dt.date.fromisoformat(date) if date is not None else dt.date.today()
    except ValueError:
        _say(f"cmas-bank: error: --date {date!r} is not a date (use YYYY-MM-DD)", err=True)
        return 2
    new = NewReview(reviewer=reviewer, verdict=verdict, notes=notes, date=day, status=status)
    done: list[tuple[Path, Recorded]] = []
    try:
        for path in paths:
            display = display_path(path.absolute())
            if path.is_dir():
                raise ReviewError(f"{display}: is a folder; name each item file reviewed")
            done.append((path, record_review(_read(path, display), display, new, outline)))
    except ReviewError as exc:
        _say(f"cmas-bank: error: review refused: {exc}", err=True)
        return 2
    for path, recorded in done:
        try:
            atomic_write_text(path, recorded.text)
        except OSError as exc:
            _say(f"cmas-bank: error: {path}: cannot write: {exc.strerror or exc}", err=True)
            return 2
        _say(recorded.summary)
    return 0


def run_migration(paths: Sequence[Path], outline: Outline) -> int:
    """Stamp digests across the bank: 0 when every approved item ends with a current approval,
    1 when some could not be stamped (each named with the reason)."""
    from cmas_bank.diagnostics import display_path
    from cmas_bank.fileio import atomic_write_text, discover

    stamped = left = 0
    for path in discover(paths):
        display = display_path(path.absolute())
        try:
            migration = migrate_text(_read(path, display), display, outline)
            if migration.stamped is not None:
                atomic_write_text(path, migration.text)
        except (ReviewError, OSError) as exc:
            _say(f"{display}: not migrated: {exc}", err=True)
            left += 1
            continue
        if migration.note:
            _say(f"{display}: not migrated: {migration.note}", err=True)
            left += 1
        elif migration.stamped is not None:
            stamped += 1
            _say(f"{display}: stamped the review by {migration.stamped.reviewer} of {migration.stamped.date}")
    _say(f"stamped {stamped} review(s); {left} file(s) need attention.", err=True)
    return 1 if left else 0
