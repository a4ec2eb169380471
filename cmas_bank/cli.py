"""The `cmas-bank` command line: parses options, calls the library, renders results.

Exit codes, for every command: 0 clean, 1 findings, 2 usage, configuration or I/O error.
Heavy modules (jsonschema, lxml, numpy, rich tables) are imported inside the commands that
use them, because this CLI runs as a pre-commit hook on every commit.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from cmas_bank import __version__
from cmas_bank.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from cmas_bank.analyze.run import Analysis
    from cmas_bank.diagnostics import Diagnostic
    from cmas_bank.export import BankExport
    from cmas_bank.importer import ImportPlan
    from cmas_bank.lint.run import LintRun

app = typer.Typer(
    name="cmas-bank",
    help="Validate, lint, deduplicate, check coverage of and export a CMAS question bank.\n\n"
    "Exit codes: 0 clean, 1 findings, 2 usage, configuration or I/O error.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", help="pyproject.toml to read \\[tool.cmas-bank] from (default: nearest one up).", dir_okay=False
    ),
]
OutlineOption = Annotated[
    str | None, typer.Option("--outline", help="Outline name (e.g. cmas-2020) or YAML file; overrides config.")
]
FormatOption = Annotated[OutputFormat, typer.Option("--output-format", "-f", help="How to print findings.")]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Ignore and do not write the result cache.")]
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(help="Item files or folders (default: the bank folder from config).", show_default=False),
]


def fail(message: str) -> NoReturn:
    from cmas_bank.diagnostics import printable

    typer.echo(f"cmas-bank: error: {printable(message)}", err=True)
    raise typer.Exit(2)


def use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cmas-bank {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Validate, lint, deduplicate, check coverage of and export a CMAS question bank."""


def load_context(config_path: Path | None, outline: str | None = None):
    """Config and outline for a command; problems with either are usage errors (exit 2)."""
    from cmas_bank.outline import load_outline

    config, ref = load_context_lazily(config_path, outline)
    return config, load_outline(str(ref.source))


def load_context_lazily(config_path: Path | None, outline: str | None = None):
    """Config and the outline file, not yet read: for the engine, which reads the outline only
    when a file must be checked (a missing outline is a usage error now, a flawed one then)."""
    from cmas_bank.config import load_config
    from cmas_bank.outlineref import outline_ref

    config = load_config(config_path)
    return config, outline_ref(outline, Path.cwd()) if outline is not None else outline_ref(config.outline, config.root)


@app.command()
def validate(
    paths: PathsArgument = None,
    output_format: FormatOption = OutputFormat.text,
    config: ConfigOption = None,
    outline: OutlineOption = None,
    no_cache: NoCacheOption = False,
    bank_only: BankOnlyOption = False,
) -> None:
    """Check item files against the item schema and the content outline.

    Each file is parsed (one YAML mapping, no duplicate keys, aliases or custom tags, UTF-8),
    checked against schemas/item.schema.json, then against the outline (the work area exists and
    the sub-area belongs to it); across the files, ids are unique and match file names."""
    from cmas_bank.diagnostics import exit_code, summary_line
    from cmas_bank.engine.run import Job, run_check
    from cmas_bank.output import render

    cfg, outl = load_context_lazily(config, outline)
    paths = bank_paths(paths, cfg.bank, bank_only)
    result = run_check(paths or [cfg.bank], cfg, outl, job=Job(stages=("validate",)), use_cache=not no_cache)
    diagnostics = result.stages["validate"]
    emit(render(diagnostics, output_format.value, colour=use_colour(), families=("IV",)))
    if output_format is OutputFormat.text:
        typer.echo(summary_line(diagnostics, result.file_count), err=True)
    raise typer.Exit(exit_code(diagnostics))


@app.command()
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder to write the schema files into.", file_okay=False)
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if the files in --out differ from the models.")
    ] = False,
) -> None:
    """Print or write the JSON Schemas generated from the models (item, outline, ...)."""
    from cmas_bank.schema import all_schemas, dump, write_schemas

    if out is None:
        if check:
            fail("--check needs --out")
        emit(dump(all_schemas()["item.schema.json"]))
        return
    if check:
        stale = []
        for name, doc in all_schemas().items():
            path = out / name
            try:
                same = path.read_text(encoding="utf-8") == dump(doc)
            except OSError:
                same = False
            if not same:
                stale.append(path)
        for path in stale:
            typer.echo(f"{path}: out of date; run `cmas-bank schema --out {out}`", err=True)
        raise typer.Exit(1 if stale else 0)
    for path in write_schemas(out):
        typer.echo(f"wrote {path}", err=True)


@app.command()
def outlines(
    config: ConfigOption = None,
    outline: OutlineOption = None,
) -> None:
    """Show the configured content outline: work areas, weights, blueprint counts, sub-areas."""
    _, outl = load_context(config, outline)
    lines = [f"{outl.title} ({outl.id}, provenance: {outl.provenance}); blueprint {outl.blueprint_items} items"]
    for area in outl.work_areas:
        lines.append(f"{area.number}  {area.name}  {area.weight:g}%  {area.items} items")
        lines.extend(f"   {s.code}  {s.name}" for s in area.subareas)
    emit("\n".join(lines) + "\n")


class CoverageFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


StatusOption = Annotated[
    list[str] | None,
    typer.Option("--status", help="Statuses that count (repeat or comma-separate; default: approved)."),
]
MultiplierOption = Annotated[
    float | None, typer.Option("--min-multiplier", help="Forms the bank must fill (default: config, else 1.0).")
]


@app.command()
def coverage(
    paths: PathsArgument = None,
    status: StatusOption = None,
    min_multiplier: MultiplierOption = None,
    output_format: Annotated[CoverageFormat, typer.Option("--output-format", "-f")] = CoverageFormat.table,
    config: ConfigOption = None,
    outline: OutlineOption = None,
    no_cache: NoCacheOption = False,
    wide: Annotated[
        bool, typer.Option("--wide", help="Table: a column for each count (needs about 120 columns).")
    ] = False,
) -> None:
    """Count eligible items per work area and sub-area against the blueprint.

    Exits 1 when any work area falls short of blueprint x multiplier. Items that fail
    validation are left out (run validate); off-blueprint items are listed, never counted."""
    from cmas_bank.coverage import coverage_choice, print_table, render_json, render_markdown
    from cmas_bank.engine.run import Job, run_check

    cfg, outl = load_context(config, outline)
    statuses, multiplier = coverage_choice(cfg, status, min_multiplier)
    job = Job(stages=("coverage",), statuses=tuple(statuses), multiplier=multiplier)
    result = run_check(paths or [cfg.bank], cfg, outl, job=job, use_cache=not no_cache)
    report = result.covered
    if output_format is CoverageFormat.json:
        emit(render_json(report))
    elif output_format is CoverageFormat.markdown:
        emit(render_markdown(report))
    else:
        print_table(report, wide=wide)
    invalid = result.invalid
    if invalid:
        typer.echo(f"{invalid} file(s) failed validation and were not counted; run `cmas-bank validate`.", err=True)
    raise typer.Exit(0 if report.ok else 1)


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


BankOnlyOption = Annotated[
    bool,
    typer.Option(
        "--bank-only",
        help="Leave out the given files that are not under the configured bank folder (the pre-commit hooks pass "
        "every changed YAML file); nothing left: exit 0.",
    ),
]


def bank_paths(paths: list[Path] | None, bank: Path, bank_only: bool) -> list[Path] | None:
    """`paths`, less those outside `bank` when `bank_only`; exits 0 when none is left (a commit
    that changes no item), rather than falling back to the whole bank."""
    if not bank_only or not paths:
        return paths
    root = os.path.realpath(bank)
    kept = [p for p in paths if (os.path.realpath(p) + os.sep).startswith(root + os.sep)]
    if not kept:
        raise typer.Exit(0)
    return kept


def _selectors(values: list[str] | None) -> list[str]:
    return [s.strip() for v in values or [] for s in v.split(",") if s.strip()]


CheckSelectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        help="Codes to report (codes, prefixes such as IC or IW3, or names); replaces \\[tool.cmas-bank.check] select.",
    ),
]
CheckExtendOption = Annotated[list[str] | None, typer.Option("--extend-select", help="Codes to add to the selection.")]
CheckIgnoreOption = Annotated[list[str] | None, typer.Option("--ignore", help="Codes to leave out.")]


def code_settings(cfg, select: list[str] | None, extend_select: list[str] | None, ignore: list[str] | None):
    """`[tool.cmas-bank.check]` with the command line's selectors on top."""
    from cmas_bank.codesettings import settings_from_config

    return settings_from_config(
        cfg,
        select=_selectors(select) if select else None,
        extend_select=_selectors(extend_select),
        ignore=_selectors(ignore),
    )


@app.command()
def check(
    paths: PathsArgument = None,
    status: StatusOption = None,
    min_multiplier: MultiplierOption = None,
    output_format: FormatOption = OutputFormat.text,
    select: CheckSelectOption = None,
    extend_select: CheckExtendOption = None,
    ignore: CheckIgnoreOption = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Lowest severity that fails the run.")] = FailOn.error,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore and do not write the result cache.")] = False,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: on a terminal).")
    ] = None,
    config: ConfigOption = None,
    outline: OutlineOption = None,
) -> None:
    """Run every check (validate, lint, dedupe, coverage) over one parse of the bank.

    What CI and the bank-wide pre-commit hook run. Results for unchanged files come from a cache
    in .cmas-bank-cache/ keyed on each file's bytes and on the tool, config, outline and schema.
    `\\[tool.cmas-bank.check]` (select, ignore, extend-select, severity), or --select, --ignore and
    --extend-select, choose which findings of every family are reported and how severe they are."""
    from cmas_bank.assemble.formfiles import covers_bank, form_files, judge
    from cmas_bank.check import run_check, summary
    from cmas_bank.codesettings import apply_to_check
    from cmas_bank.coverage import coverage_choice
    from cmas_bank.diagnostics import Severity, exit_code
    from cmas_bank.engine.run import Job
    from cmas_bank.output import render

    cfg, outl = load_context_lazily(config, outline)
    settings = code_settings(cfg, select, extend_select, ignore)
    statuses, multiplier = coverage_choice(cfg, status, min_multiplier)
    forms = form_files(cfg) if covers_bank(paths, cfg.bank) else []
    show = sys.stderr.isatty() and "CI" not in os.environ if progress is None else progress
    with progress_bar(show, _file_count(paths or [cfg.bank]) if show else None) as advance:
        result = run_check(
            paths or [cfg.bank],
            cfg,
            outl,
            use_cache=not no_cache,
            progress=advance,
            job=Job(statuses=tuple(statuses), multiplier=multiplier, items=bool(forms), clusters=bool(forms)),
        )
    if forms:
        from cmas_bank.outline import read

        result.stages["forms"] = judge(result, read(outl), forms)
    from cmas_bank.memory import collector_paused

    with collector_paused():  # sorting and printing tens of thousands of findings: no heap walks
        shown = apply_to_check(result, settings)
        diagnostics = shown.diagnostics
        families = ("IV", "IW", "ID", "IC", "IF")
        emit(render(diagnostics, output_format.value, colour=use_colour(), families=families, ordered=True))
    if output_format is OutputFormat.text:
        typer.echo(summary(shown), err=True, nl=False)
        left_out = len(result.diagnostics) - len(diagnostics)
        if left_out:
            typer.echo(f"{'(left out)':<9} {left_out} finding(s), by select/ignore", err=True)
    raise typer.Exit(exit_code(diagnostics, Severity(fail_on.value)))


def _file_count(paths: list[Path]) -> int | None:
    """How many item files `paths` hold (the progress bar's total), None when they cannot be listed."""
    from cmas_bank.fileio import discover_names

    try:
        return len(discover_names(paths, allow_empty=True))
    except (OSError, UsageError, ValueError):
        return None


@contextmanager
def progress_bar(show: bool, total: int | None = None, console=None):
    """A rich progress bar on stderr (files done/total, percent, time left), or a no-op; rich is
    imported only when it is shown."""
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    # Refreshed from this thread, not rich's own: `check` forks worker processes, and a fork
    # must not copy a thread that may be holding stderr's lock.
    console = console or Console(stderr=True)
    with Progress(*columns, console=console, transient=True, auto_refresh=False) as bar:
        task = bar.add_task("checking", total=total)

        def advance(n: int) -> None:
            bar.advance(task, n)
            bar.refresh()

        yield advance


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.", dir_okay=False)] = Path("report.html"),
    paths: PathsArgument = None,
    status: StatusOption = None,
    min_multiplier: MultiplierOption = None,
    select: CheckSelectOption = None,
    extend_select: CheckExtendOption = None,
    ignore: CheckIgnoreOption = None,
    stats: Annotated[
        Path | None,
        typer.Option(
            "--stats",
            help="Stats file from `analyze --out` to add item statistics from (default: the newest in stats/).",
            dir_okay=False,
        ),
    ] = None,
    config: ConfigOption = None,
    outline: OutlineOption = None,
) -> None:
    """Write one self-contained HTML report: coverage, status pipeline, key balance, forms, findings,
    and item statistics when there is a stats file.

    The findings are those `check` reports, after `\\[tool.cmas-bank.check]` and the selectors
    given here. Exits 0 once the report is written, whatever it shows (use `check` to gate CI)."""
    from cmas_bank.assemble.formfiles import covers_bank, form_files, judge, pool_of
    from cmas_bank.check import run_check
    from cmas_bank.codes import descriptions
    from cmas_bank.codesettings import apply_to_check
    from cmas_bank.coverage import coverage_choice
    from cmas_bank.engine.run import Job
    from cmas_bank.fileio import atomic_write_text
    from cmas_bank.report import render_html

    cfg, outl = load_context(config, outline)
    settings = code_settings(cfg, select, extend_select, ignore)
    statuses, multiplier = coverage_choice(cfg, status, min_multiplier)
    stats_doc = _report_stats(stats, cfg.root)
    forms = form_files(cfg) if covers_bank(paths, cfg.bank) else []
    job = Job(statuses=tuple(statuses), multiplier=multiplier, items=bool(forms))
    result = run_check(paths or [cfg.bank], cfg, outl, job=job)
    sections = ""
    if forms:
        from cmas_bank.assemble.formreport import forms_html

        result.stages["forms"] = judge(result, outl, forms)
        sections = forms_html(forms, pool_of(result), outl)
    try:
        page = render_html(apply_to_check(result, settings), outl, descriptions(), sections, stats_doc)
        atomic_write_text(out, page)
    except OSError as exc:
        fail(f"{out}: cannot write report: {exc.strerror or exc}")
    typer.echo(f"wrote {out}", err=True)


def _report_stats(stats: Path | None, root: Path) -> tuple[str, dict[str, Any]] | None:
    """The stats file `report` draws from (`--stats`, else the newest in stats/) and its document."""
    from cmas_bank import report_stats

    path = stats if stats is not None else report_stats.find_stats(root)
    if path is None:
        return None
    full, base = path.resolve(), root.resolve()
    shown = full.relative_to(base) if full.is_relative_to(base) else path
    try:
        return shown.as_posix(), report_stats.load_stats(path)
    except report_stats.StatsError as exc:
        fail(f"{exc}" + ("" if stats is not None else " (give another with --stats)"))


class ExportFormat(str, Enum):
    json = "json"
    qti21 = "qti21"
    qti30 = "qti30"
    csv = "csv"
    xlsx = "xlsx"
    moodle = "moodle"
    gift = "gift"
    aiken = "aiken"
    canvas = "canvas"
    blackboard = "blackboard"
    anki = "anki"
    html = "html"


class ResponsesFormat(str, Enum):
    auto = "auto"
    csv = "csv"
    qti = "qti"
    moodle = "moodle"
    canvas = "canvas"
    practice = "practice"


class PracticeMode(str, Enum):
    exam = "exam"
    study = "study"


@app.command()
def export(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="json bundle, QTI 2.1 or 3.0 zip package, csv, xlsx, html (a practice exam in one file), or for an LMS: moodle (Moodle XML), gift, "
            "aiken (lossy: stem, options, key), canvas (Canvas Classic Quizzes QTI 1.2 zip) or blackboard (Upload "
            "Questions text; lossy: stem, options, key); or anki (an .apkg deck, a subdeck per work area).",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write (replaced atomically).", dir_okay=False)],
    paths: PathsArgument = None,
    status: StatusOption = None,
    domain: Annotated[
        list[int] | None, typer.Option("--domain", help="Work areas to export (repeat; default: all).")
    ] = None,
    ids: Annotated[
        Path | None, typer.Option("--ids", help="File of ids to export, one per line.", dir_okay=False)
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Export the valid items when some files have errors.")
    ] = False,
    mode: Annotated[
        PracticeMode | None,
        typer.Option("--mode", help="html only: a timed exam (default), or study with feedback after each answer."),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="html only: shuffle the question order with this seed (default: by id)."),
    ] = None,
    form: Annotated[
        Path | None,
        typer.Option(
            "--form",
            help="An assembled form file: export its items in its order, pretest items marked unscored.",
            dir_okay=False,
        ),
    ] = None,
    config: ConfigOption = None,
    outline: OutlineOption = None,
) -> None:
    """Export approved items (or those --status, --domain, --ids or --form choose) as a JSON bundle, a
    QTI 2.1 or QTI 3.0 content package, CSV, a practice exam in one HTML file, Moodle XML, GIFT, Aiken,
    a Canvas QTI 1.2 zip, Blackboard upload text or an Anki deck.

    The same items give byte-identical output. Files with validation errors stop the export
    (exit 1) unless --skip-invalid; nothing is written then, and a failed write leaves no
    partial file."""
    from cmas_bank.coverage import parse_statuses
    from cmas_bank.export import Selection, read_id_list

    if fmt is not ExportFormat.html and (mode is not None or seed is not None):
        fail("--mode and --seed apply to --format html only")
    cfg, outl = load_context(config, outline)
    selection = Selection(
        statuses=parse_statuses(status or ["approved"]),  # type: ignore[arg-type]
        domains=tuple(sorted(set(domain or ()))),
        ids=read_id_list(ids) if ids is not None else None,
    )
    order = None
    if form is not None:
        if status or domain or ids is not None:
            fail("--form chooses the items: --status, --domain and --ids do not apply with it")
        selection, order = _form_selection(form, outl.id)
    run = {"skip_invalid": skip_invalid, "mode": (mode or PracticeMode.exam).value, "seed": seed, "form": order}
    _report_export(out, _exported(paths or [cfg.bank], cfg, outl, fmt.value, selection, out, run), fmt.value)


def _exported(paths: list[Path], cfg, outl, fmt: str, selection, out: Path, run: dict) -> BankExport:
    """`export_paths` writing `out` (atomically, as it renders), its refusals and failures
    reported (exit 1; exit 2 when the file cannot be written)."""
    from cmas_bank.export import ExportError, InvalidFiles, WriteFailed, export_paths
    from cmas_bank.output import render

    try:
        return export_paths(paths, cfg, outl, fmt, selection, out=out, **run)
    except WriteFailed as exc:
        fail(str(exc))
    except InvalidFiles as exc:
        typer.echo(render(exc.errors, "text"), err=True, nl=False)
        typer.echo(
            f"cmas-bank: export refused: {exc.count} file(s) have errors; fix them "
            "(cmas-bank validate) or pass --skip-invalid",
            err=True,
        )
        raise typer.Exit(1) from None
    except ExportError as exc:
        typer.echo(f"cmas-bank: export failed: {exc}", err=True)
        raise typer.Exit(1) from None


def _form_selection(path: Path, outline_id: str):
    """`export --form FILE`: every item of the form whatever its status, and its order."""
    from typing import get_args

    from cmas_bank.assemble.formcheck import load_form
    from cmas_bank.diagnostics import printable
    from cmas_bank.export import FormOrder, Selection
    from cmas_bank.model import Status

    found = load_form(path)
    if found.outline != outline_id:
        typer.echo(
            printable(f"cmas-bank: warning: {path}: the form was built for outline {found.outline}, not {outline_id}"),
            err=True,
        )
    ids = tuple(e.id for e in found.items)
    unscored = frozenset(e.id for e in found.items if not e.scored)
    return Selection(statuses=get_args(Status), ids=ids), FormOrder(found.form, ids, unscored)


def _report_export(out: Path, exported: BankExport, fmt: str) -> None:
    """Say what was skipped and what was written."""
    from cmas_bank.diagnostics import printable

    if exported.skipped:
        names = printable(", ".join(exported.skipped[:3]))
        more = f" and {len(exported.skipped) - 3} more" if len(exported.skipped) > 3 else ""
        typer.echo(f"skipped {len(exported.skipped)} file(s) with validation errors: {names}{more}", err=True)
    note = "" if exported.changed else " (unchanged)"
    typer.echo(f"wrote {out}: {len(exported.items)} items as {fmt}{note}", err=True)


@app.command()
def assemble(
    form_files: Annotated[
        list[Path] | None, typer.Argument(help="With --check: the form files to check.", show_default=False)
    ] = None,
    forms: Annotated[int | None, typer.Option("--forms", help="Forms to build (default: config, else 1).")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Chooses among equally good forms (default 0).")] = None,
    max_overlap: Annotated[
        int | None, typer.Option("--max-overlap", help="Items any two forms may share (default: no limit).")
    ] = None,
    max_usage: Annotated[
        int | None, typer.Option("--max-usage", help="Forms one item may be on (default: no limit).")
    ] = None,
    pretest: Annotated[
        int | None, typer.Option("--pretest", help="Unscored pretest slots per form (default: from the outline).")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for the form files.", file_okay=False)] = None,
    time_limit: Annotated[float | None, typer.Option("--time-limit", help="Solver seconds (default 60).")] = None,
    strategy: Annotated[
        str | None, typer.Option("--strategy", help="auto, simultaneous or sequential (one form at a time).")
    ] = None,
    order: Annotated[str | None, typer.Option("--order", help="Delivery order: area or shuffle (by the seed).")] = None,
    stats: Annotated[
        Path | None,
        typer.Option(
            "--stats",
            help="Stats file from `analyze --out` for the p-value and information targets "
            "(default: the stats setting, else the newest in stats/).",
            dir_okay=False,
        ),
    ] = None,
    check_forms: Annotated[
        bool, typer.Option("--check", help="Check the form files given against the bank instead (IF codes).")
    ] = False,
    output_format: FormatOption = OutputFormat.text,
    no_cache: NoCacheOption = False,
    config: ConfigOption = None,
    outline: OutlineOption = None,
) -> None:
    """Assemble exam forms that meet the blueprint (0-1 programme solved by HiGHS), or --check them.

    Each form has the outline's per-area counts, sub-areas covered where the bank allows, 20-30 %
    of each key letter, the bank's difficulty and cognitive mix, no two enemies or duplicates,
    and unscored pretest items from review; with a stats file (--stats, else the newest in stats/),
    targets on each form's mean p-value and Rasch information at the cut score (settings p-value,
    information). One YAML file per form in --out, byte-identical for
    the same bank, settings and seed; an infeasible request is explained and nothing is written
    (exit 1). Settings: \\[tool.cmas-bank.assemble]."""
    from cmas_bank.assemble.command import run_assemble, run_form_check

    cfg, outl = load_context(config, outline)
    if check_forms:
        raise typer.Exit(run_form_check(cfg, outl, list(form_files or []), output_format.value, not no_cache))
    if form_files:
        raise UsageError("form files are checked with --check; to build forms, give --forms and --out")
    options = {
        "forms": forms,
        "seed": seed,
        "max_overlap": max_overlap,
        "max_usage": max_usage,
        "pretest": pretest,
        "time_limit": time_limit,
        "strategy": strategy,
        "order": order,
    }
    raise typer.Exit(run_assemble(cfg, outl, options, out, not no_cache, stats))


import_app = typer.Typer(no_args_is_help=True, help="Create item files from other formats.")
app.add_typer(import_app, name="import")


@import_app.callback()
def _import() -> None:
    """Create item files from other formats (CSV, xlsx, QTI, Moodle XML, GIFT)."""


ImportOutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Folder to write item files into (default: the bank).", file_okay=False),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace item files that already exist.")]


@import_app.command("csv")
def import_csv(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV file with a header row (columns as `cmas-bank export --format csv` writes).", dir_okay=False
        ),
    ],
    out: ImportOutOption = None,
    force: ForceOption = False,
    output_format: FormatOption = OutputFormat.text,
    config: ConfigOption = None,
    outline: OutlineOption = None,
) -> None:
    """Turn a spreadsheet of questions (CSV, UTF-8) into item files, one per row.

    Each row is validated like an item file; findings point at file.csv:ROW:COLUMN and name the
    column. Nothing is written unless every row is clean (exit 1 otherwise), and an existing
    item file is only replaced with --force."""
    from cmas_bank.importer import plan_csv_import

    _run_import(plan_csv_import, file, out, force, output_format, config, outline)


@import_app.command("xlsx")
def import_xlsx(
    file: Annotated[
        Path,
        typer.Argument(help="Excel workbook (.xlsx) as `cmas-bank export --format xlsx` writes.", dir_okay=False),
    ],
    out: ImportOutOption = None,
    force: ForceOption = False,
    output_format: FormatOption = OutputFormat.text,
    config: ConfigOption = None,
    outline: OutlineOption = None,
) -> None:
    """Turn an Excel workbook of questions (its first sheet) into item files, one per row.

    As `import csv`, with findings naming the cell (items!F12). A cell that is not stored as text
    (a number, a date, a formula) is reported, never converted; a file that is not a safe
    workbook is refused (exit 2)."""
    from cmas_bank.importer import plan_xlsx_import

    _run_import(plan_xlsx_import, file, out, force, output_format, config, outline)


AuthorOption = Annotated[
    str, typer.Option("--author", help="Author written into each imported item (the formats carry none).")
]
SubareaOption = Annotated[
    str | None,
    typer.Option("--subarea", help="Sub-area code (e.g. 4C) for questions whose file names no category."),
]


def _import_format(
    fmt: str,
    file: Path,
    out: Path | None,
    force: bool,
    output_format: OutputFormat,
    config: Path | None,
    outline: str | None,
    author: str,
    subarea: str | None,
) -> None:
    from functools import partial

    from cmas_bank.importfmt import Defaults, plan_format_import

    planner = partial(plan_format_import, fmt, defaults=Defaults(author=author, subarea=subarea))
    _run_import(planner, file, out, force, output_format, config, outline)


@import_app.command("qti")
def import_qti(
    file: Annotated[
        Path,
        typer.Argument(
            help="QTI 2.1 or 3.0 content package (.zip) or item file (.xml), or a Canvas QTI 1.2 zip.", dir_okay=False
        ),
    ],
    out: ImportOutOption = None,
    force: ForceOption = False,
    author: AuthorOption = "imported",
    subarea: SubareaOption = None,
    output_format: FormatOption = OutputFormat.text,
    config: ConfigOption = None,
    outline: OutlineOption = None,
) -> None:
    """Turn the single-choice questions of a QTI package into draft item files.

    As `import csv`: findings located (package.zip!/entry:LINE), nothing written unless every
    question is clean, existing items replaced only with --force. A question the bank cannot hold
    is listed (IM401) and skipped."""
    _import_format("qti", file, out, force, output_format, config, outline, author, subarea)


@import_app.command("moodle")
def import_moodle(
    file: Annotated[Path, typer.Argument(help="Moodle XML question file.", dir_okay=False)],
    out: ImportOutOption = None,
    force: ForceOption = False,
    author: AuthorOption = "imported",
    subarea: SubareaOption = None,
    output_format: FormatOption = OutputFormat.text,
    config: ConfigOption = None,
    outline: OutlineOption = None,
) -> None:
    """Turn the single-choice questions of a Moodle XML file into draft item files (as `import qti`)."""
    _import_format("moodle", file, out, force, output_format, config, outline, author, subarea)


@import_app.command("gift")
def import_gift(
    file: Annotated[Path, typer.Argument(help="GIFT text file (UTF-8).", dir_okay=False)],
    out: ImportOutOption = None,
    force: ForceOption = False,
    author: AuthorOption = "imported",
    subarea: SubareaOption = None,
    output_format: FormatOption = OutputFormat.text,
    config: ConfigOption = None,
    outline: OutlineOption = None,
) -> None:
    """Turn the single-choice questions of a GIFT file into draft item files (as `import qti`)."""
    _import_format("gift", file, out, force, output_format, config, outline, author, subarea)


# Findings that refuse the file itself (unreadable, not what it says, hostile): exit 2.
REFUSED_FILE = ("IM101", "IM107", "IM108", "IM109")


def _list_skipped(plan: ImportPlan, output_format: OutputFormat) -> bool:
    """List the skipped questions: on stderr as text; in the other formats on stdout with the
    findings (True: the findings were printed too)."""
    from cmas_bank.output import render

    if not plan.skipped:
        return False
    if output_format is OutputFormat.text:
        typer.echo(render(plan.skipped, "text", colour=False).rstrip("\n"), err=True)
    else:
        emit(render([*plan.diagnostics, *plan.skipped], output_format.value))
    typer.echo(f"skipped {len(plan.skipped)} question(s) the bank cannot hold", err=True)
    return output_format is not OutputFormat.text


def _run_import(
    planner: Callable[..., ImportPlan],
    file: Path,
    out: Path | None,
    force: bool,
    output_format: OutputFormat,
    config: Path | None,
    outline: str | None,
) -> None:
    from cmas_bank.diagnostics import printable
    from cmas_bank.importer import write_plan
    from cmas_bank.output import render

    cfg, outl = load_context(config, outline)
    target = out if out is not None else cfg.bank
    schema_file = cfg.root / "schemas" / "item.schema.json"
    plan = planner(file, target, outl, force=force, schema=schema_file if schema_file.is_file() else None)
    listed = _list_skipped(plan, output_format)
    if not plan.ok:
        if not listed:
            emit(render(plan.diagnostics, output_format.value, colour=use_colour()))
        source = printable(plan.source)
        typer.echo(f"Found {len(plan.diagnostics)} problem(s) in {source}; nothing written.", err=True)
        raise typer.Exit(2 if any(d.code in REFUSED_FILE for d in plan.diagnostics) else 1)
    for note in plan.notes:
        typer.echo(note, err=True)
    try:
        written = write_plan(plan)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        fail(f"{where}cannot write item files: {exc.strerror or exc}; nothing written")
    replaced = sum(1 for f in plan.files if f.replaces)
    extra = f" ({replaced} replaced)" if replaced else ""
    extra += f", {len(plan.unchanged)} unchanged" if plan.unchanged else ""
    typer.echo(f"wrote {len(written)} item file(s) to {target}{extra}", err=True)


@app.command()
def new(
    area: Annotated[int, typer.Argument(help="Work area number in the outline (cmas-bank outlines).")],
    subarea: Annotated[
        str | None, typer.Option("--subarea", help="Sub-area code, e.g. 4C (default: the area's first).")
    ] = None,
    prefix: Annotated[str, typer.Option("--prefix", help="Id prefix: ids are PREFIX-NN-NNNN.")] = "CMAS",
    config: ConfigOption = None,
    outline: OutlineOption = None,
) -> None:
    """Create a draft item file with the next free id in the work area's folder of the bank.

    The file is templates/item.yaml (or the packaged template) with id, work area, sub-area and
    dates filled in, comments kept; it is created atomically and never replaces a file. Prints
    its path."""
    from cmas_bank.scaffold import create_item

    cfg, outl = load_context(config, outline)
    try:
        path = create_item(cfg.bank, outl, area, root=cfg.root, subarea=subarea, prefix=prefix)
    except OSError as exc:
        fail(f"cannot create the item file: {exc.strerror or exc}")
    typer.echo(path.relative_to(cfg.root).as_posix() if path.is_relative_to(cfg.root) else str(path))


class Verdict(str, Enum):
    approved = "approved"
    changes_requested = "changes-requested"
    rejected = "rejected"


class ItemStatus(str, Enum):
    draft = "draft"
    review = "review"
    approved = "approved"
    retired = "retired"


@app.command()
def review(
    paths: PathsArgument = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", help="Who reviewed the item (not an author).")] = None,
    verdict: Annotated[Verdict | None, typer.Option("--verdict", help="The review's decision.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="What the review checked (required).")] = None,
    status: Annotated[
        ItemStatus | None,
        typer.Option("--status", help="Move the item: draft -> review -> approved, approved -> retired (or back)."),
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="Review date, YYYY-MM-DD (default: today).")] = None,
    migrate: Annotated[
        bool,
        typer.Option(
            "--migrate",
            help="Once, on a bank whose approvals you trust: stamp the current content digest on each approved "
            "item's latest approving review that has none.",
        ),
    ] = False,
    config: ConfigOption = None,
    outline: OutlineOption = None,
) -> None:
    """Record a review of item files: reviewer, date, verdict, notes and a digest of the content it saw.

    The review is appended through a round trip that keeps comments and layout, and the file is
    written atomically. Refused (exit 2, nothing written): a reviewer who is an author, empty
    notes, an invalid item, a status move not allowed, or --status approved without a current
    approving review by a non-author. `validate` reports an approval whose content changed
    afterwards (IV210)."""
    from cmas_bank.review import run_migration, run_review

    cfg, outl = load_context(config, outline)
    if migrate:
        if reviewer or verdict or notes or status or date:
            fail("--migrate takes only PATHS; record reviews without it")
        raise typer.Exit(run_migration(paths or [cfg.bank], outl))
    if not paths:
        fail("name the item files reviewed")
    if reviewer is None or verdict is None or notes is None:
        fail("a review needs --reviewer, --verdict and --notes")
    raise typer.Exit(run_review(paths, outl, reviewer, verdict.value, notes, status.value if status else None, date))


@app.command()
def dedupe(
    paths: PathsArgument = None,
    output_format: FormatOption = OutputFormat.text,
    config: ConfigOption = None,
    outline: OutlineOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Find exact and near-duplicate items: copies, rewordings, reshuffled options.

    Without PATHS the whole configured bank is checked. With PATHS, only those files are compared
    against the whole bank (incremental mode, for pre-commit). Items that list each other in
    `enemies` are acknowledged variants and are not reported. Text output ends with a listing of
    the clusters and a word diff of their stems; JSON output carries the clusters too."""
    from cmas_bank.dedupe import render_clusters_text, render_json_with_clusters
    from cmas_bank.diagnostics import exit_code, summary_line
    from cmas_bank.engine.run import dedupe_job, run_check
    from cmas_bank.output import render

    cfg, outl = load_context(config, outline)
    targets, job = dedupe_job(cfg.bank, paths)
    result = run_check(targets, cfg, outl, job=job, use_cache=not no_cache)
    diagnostics = result.stages["dedupe"]
    if output_format is OutputFormat.json:
        emit(render_json_with_clusters(diagnostics, result.clusters))
    else:
        emit(render(diagnostics, output_format.value, colour=use_colour(), families=("ID",)))
    if output_format is OutputFormat.text:
        listing = render_clusters_text(result.clusters)
        emit(("\n" if diagnostics else "") + listing)
        exact = sum(1 for c in result.clusters if c.kind == "exact")
        possible = sum(1 for c in result.clusters if c.kind == "possible")
        skipped = result.file_count - result.analysed
        note = f"; {skipped} unreadable item file(s) skipped (run validate)" if skipped else ""
        review = f", {possible} possible paraphrase(s) to review" if possible else ""
        typer.echo(
            f"{exact} exact and {len(result.clusters) - exact - possible} near-duplicate cluster(s){review} among "
            f"{result.analysed} items{note}. {summary_line(diagnostics, result.file_count)}",
            err=True,
        )
    raise typer.Exit(exit_code(diagnostics))


class RulesFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


def _statistics(diagnostics: list[Diagnostic], output_format: OutputFormat) -> str:
    """`lint --statistics`: the count per rule, as text or JSON."""
    from cmas_bank.lint import statistics

    rows = statistics(diagnostics)
    if output_format is OutputFormat.json:
        import json

        doc = [{"code": c, "name": n, "severity": s.value, "count": k, "fixable": f} for c, n, s, k, f in rows]
        return json.dumps(doc, indent=2) + "\n"
    return "".join(f"{k:>6}  {c}  {n:<28} [{s.value}]{'  [*]' if f else ''}\n" for c, n, s, k, f in rows)


def _lint_summary(run: LintRun, fix: bool) -> str:
    from cmas_bank.diagnostics import summary_line

    diagnostics = run.diagnostics
    fixed = sum(run.fixed.values())
    note = f" Fixed {fixed} finding(s) in {len(run.fixed)} file(s)." if run.fixed else ""
    fixable = sum(1 for d in diagnostics if d.fix)
    hint = f" {fixable} fixable with --fix." if fixable and not fix else ""
    skipped = f" {run.not_linted} file(s) not linted: not valid items." if run.not_linted else ""
    return summary_line(diagnostics, run.file_count) + skipped + note + hint


@app.command()
def lint(
    paths: PathsArgument = None,
    output_format: FormatOption = OutputFormat.text,
    config: ConfigOption = None,
    outline: OutlineOption = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select", help="Rules to run (codes, prefixes such as IW3, or names); replaces the config's select."
        ),
    ] = None,
    extend_select: Annotated[
        list[str] | None, typer.Option("--extend-select", help="Rules to add to the selection.")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Rules to leave out.")] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on", help="Lowest severity that makes the exit code 1 (default: error, or the config's fail-on)."
        ),
    ] = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print the number of findings per rule instead of the findings.")
    ] = False,
    no_cache: NoCacheOption = False,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix", help="Apply the safe fixes (whitespace, quote characters) in place, then report what is left."
        ),
    ] = False,
    bank_only: BankOnlyOption = False,
) -> None:
    """Check items against the item-writing rules (IW codes): stem, options, cues, hygiene,
    and bank-wide patterns such as answer-key balance.

    Files that are not valid items are reported with their validation errors and not linted.
    An item silences a rule with `suppress: {CODE: "reason"}`; `cmas-bank rules` lists the rules
    and `cmas-bank rule CODE` explains one."""
    from cmas_bank.diagnostics import exit_code, printable
    from cmas_bank.lint.run import run_lint
    from cmas_bank.lint.settings import settings_from_config
    from cmas_bank.output import render

    cfg, outl = load_context(config, outline)
    paths = bank_paths(paths, cfg.bank, bank_only)
    settings = settings_from_config(
        cfg,
        select=_selectors(select) if select else None,
        extend_select=_selectors(extend_select),
        ignore=_selectors(ignore),
        fail_on=fail_on.value if fail_on else None,
    )
    overrides = {
        "select": _selectors(select) if select else None,
        "extend_select": _selectors(extend_select) or None,
        "ignore": _selectors(ignore) or None,
    }
    run = run_lint(paths, cfg, outl, settings, fix=fix, overrides=overrides, use_cache=not no_cache)
    diagnostics = run.diagnostics
    for message in run.fix_errors:
        typer.echo(f"cmas-bank: cannot fix {printable(message)}", err=True)
    if statistics:
        emit(_statistics(diagnostics, output_format))
    else:
        emit(render(diagnostics, output_format.value, colour=use_colour(), families=("IW",)))
    if output_format is OutputFormat.text or statistics:
        typer.echo(_lint_summary(run, fix), err=True)
    raise typer.Exit(max(exit_code(diagnostics, settings.fail_on), 1 if run.fix_errors else 0))


@app.command()
def rules(
    output_format: Annotated[
        RulesFormat,
        typer.Option("--format", "--output-format", "-f", help="text, markdown (the README tables) or json."),
    ] = RulesFormat.text,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Codes to list: codes, prefixes (IV for validate's, IW3), or names."),
    ] = None,
) -> None:
    """List every finding code (IV validate, IW lint, ID dedupe, IC coverage, IM import): code,
    name, default severity, whether lint --fix fixes it, whether a lint rule is opt-in (not in
    the default selection), summary."""
    from cmas_bank import codes

    chosen = codes.select(_selectors(select))
    emit(
        {"text": codes.rules_text, "markdown": codes.rules_markdown, "json": codes.rules_json}[output_format.value](
            chosen
        )
    )


@app.command()
def rule(code: Annotated[str, typer.Argument(help="A code (IW301, IV205) or name (key-longest).")]) -> None:
    """Explain one code: what it finds and why it matters; for lint rules also a bad and a good
    example and the rule's options."""
    from cmas_bank import codes
    from cmas_bank.config import suggest

    found = codes.find(code)
    if found is None:
        names = [*codes.all_codes(), *(i.name for i in codes.all_codes().values())]
        fail(f"unknown rule {code!r}{suggest(code, names)}; `cmas-bank rules` lists them")
    emit(codes.rule_text(found))


@app.command()
def fmt(
    paths: PathsArgument = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 listing the files that would change.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Write nothing; print a unified diff of the changes (exit 1 if any).")
    ] = False,
    config: ConfigOption = None,
    bank_only: BankOnlyOption = False,
) -> None:
    """Rewrite item files in the canonical layout, keeping every comment.

    Keys in the model's order (options A-D), long or multi-line text as `|-` blocks, two-space
    indentation, one trailing newline. Only files whose layout changes are written (atomically);
    the data is never changed: each rewrite is parsed again and compared before it is kept."""
    from cmas_bank.config import load_config
    from cmas_bank.diagnostics import display_path, printable
    from cmas_bank.lint.fmt import FormatError, format_file, write
    from cmas_bank.validate import discover

    cfg = load_config(config)
    files = discover(bank_paths(paths, cfg.bank, bank_only) or [cfg.bank])
    changed: list[str] = []
    errors = 0
    for path in files:
        display = display_path(path.absolute())
        try:
            rewrite = format_file(path, display)
        except FormatError as exc:
            typer.echo(f"cmas-bank: cannot format {printable(str(exc))}", err=True)
            errors += 1
            continue
        if not rewrite.changed:
            continue
        changed.append(display)
        shown = printable(display)
        if diff:
            emit(rewrite.diff())
        elif check:
            emit(f"would reformat {shown}\n")
        else:
            try:
                write(rewrite)
            except FormatError as exc:
                typer.echo(f"cmas-bank: cannot format {printable(str(exc))}", err=True)
                changed.pop()
                errors += 1
                continue
            typer.echo(f"reformatted {shown}", err=True)
    done = "would be reformatted" if (check or diff) else "reformatted"
    typer.echo(
        f"{len(changed)} file(s) {done}, {len(files) - len(changed) - errors} unchanged"
        + (f", {errors} could not be formatted" if errors else "")
        + ".",
        err=True,
    )
    if errors:
        raise typer.Exit(2)
    raise typer.Exit(1 if changed and (check or diff) else 0)


def _write_stats(out: Path, doc: dict) -> None:
    """`analyze --out`: the stats document as YAML, JSON or CSV by the file's suffix."""
    from cmas_bank.analyze import output
    from cmas_bank.fileio import atomic_write_text

    render = {".json": output.to_json, ".csv": output.to_csv}.get(out.suffix.lower(), output.to_yaml)
    try:
        atomic_write_text(out, render(doc))
    except OSError as exc:
        fail(f"{out}: cannot write stats: {exc.strerror or exc}")
    typer.echo(f"wrote {out}", err=True)


@app.command()
def analyze(
    responses: Annotated[
        list[Path],
        typer.Argument(
            help="Responses files: long or wide CSV, QTI results XML, Moodle or Canvas reports (see the README).",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Stats file to write: .yaml/.yml (kept beside the bank), .json or .csv.", dir_okay=False
        ),
    ] = None,
    administration: Annotated[
        str | None,
        typer.Option("--administration", help="Name of the administration (default: the first file's name)."),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Date of the administration, YYYY-MM-DD (default: today).")
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Analyse despite input problems, leaving the bad responses out.")
    ] = False,
    fmt: Annotated[
        ResponsesFormat,
        typer.Option(
            "--format",
            help="Format of the responses files: auto (told from the content), csv (long or wide), qti (QTI 2.1 or "
            "3.0 results XML), moodle (quiz Responses report CSV), canvas (Student Analysis CSV) or practice (the result "
            "file the practice exam downloads).",
        ),
    ] = ResponsesFormat.auto,
    bank: Annotated[
        list[Path] | None, typer.Option("--bank", help="Item files or folders (default: the bank folder from config).")
    ] = None,
    config: ConfigOption = None,
    outline: OutlineOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Item statistics from candidate responses: p-values, point-biserials, distractors, KR-20, Rasch.

    Every input problem is reported at file:row:column (IA1xx) and stops the analysis unless
    --skip-invalid. Flags (IA2xx, IA3xx) point at the item files. Exit 0 with no findings, 1 with
    warnings or errors, 2 when a file cannot be read or written."""
    import datetime

    from cmas_bank.analyze.settings import settings_from_config
    from cmas_bank.diagnostics import Severity
    from cmas_bank.engine.run import Job, run_check
    from cmas_bank.output import render

    cfg, outl = load_context(config, outline)
    settings = settings_from_config(cfg)
    when = date or datetime.date.today().isoformat()
    try:
        datetime.date.fromisoformat(when)
    except ValueError:
        fail(f"--date {when!r} is not a date (YYYY-MM-DD)")
    suffix = out.suffix.lower() if out is not None else ".yaml"
    if suffix not in (".yaml", ".yml", ".json", ".csv"):
        fail(f"--out {out}: the file name must end in .yaml, .yml, .json or .csv")
    result = run_check(bank or [cfg.bank], cfg, outl, job=Job(stages=("validate",), items=True), use_cache=not no_cache)
    from cmas_bank.analyze import output
    from cmas_bank.analyze.run import analyze as run_analysis

    analysis = run_analysis(responses, result.items, settings, skip_invalid=skip_invalid, fmt=fmt.value)
    findings = [*analysis.problems, *analysis.flags]
    emit(render(findings, "text", colour=use_colour()))
    if analysis.unreadable:
        raise typer.Exit(2)
    _stop_unless_computed(analysis)
    doc = output.document(analysis, administration or responses[0].stem, when)
    emit(output.text_report(doc))
    if out is not None:
        _write_stats(out, doc)
    raise typer.Exit(1 if any(d.severity.rank >= Severity.WARNING.rank for d in findings) else 0)


def _stop_unless_computed(analysis: Analysis) -> None:
    """Say how many input findings were not shown; exit 1 when input problems stopped the analysis."""
    if analysis.hidden:
        from cmas_bank.analyze.responses import SHOWN

        typer.echo(
            f"{analysis.hidden} more input finding(s) not shown (the first {SHOWN:,} of each code are).", err=True
        )
    if not analysis.computed:
        typer.echo(
            f"Found {len(analysis.problems)} problem(s) in the responses; nothing analysed "
            "(fix them, or use --skip-invalid).",
            err=True,
        )
        raise typer.Exit(1)


def _only_the_command_asked(argv: list[str]) -> None:
    """Keep in `app` only the command that `argv` names (`cmas-bank validate ...`), so that Typer
    builds one command's parameters, not all of them (about 0.1 s on every run). Anything else
    (no command, an option first, a name that is not a command, shell completion) keeps them all,
    so help, suggestions and completion see every command."""
    import os

    if len(argv) < 2 or argv[1].startswith("-") or any(k.endswith("_COMPLETE") for k in os.environ):
        return
    name = argv[1]
    commands = [
        c
        for c in app.registered_commands
        if (c.name or typer.main.get_command_name(c.callback.__name__ if c.callback else "")) == name
    ]
    groups = [g for g in app.registered_groups if g.name == name]
    if commands or groups:
        app.registered_commands[:] = commands
        app.registered_groups[:] = groups


def main() -> None:
    """Console entry point: usage errors become one line on stderr and exit 2."""
    import os

    # pydantic looks for plugins in every installed distribution's entry points when it builds
    # the first model (about 30 ms); the CLI uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    commands, groups = list(app.registered_commands), list(app.registered_groups)
    _only_the_command_asked(sys.argv)
    try:
        app()
    except UsageError as exc:
        from cmas_bank.diagnostics import printable

        typer.echo(f"cmas-bank: error: {printable(str(exc))}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        app.registered_commands[:], app.registered_groups[:] = commands, groups


def console() -> None:
    """The installed `cmas-bank` command (and `python -m cmas_bank`): `main`, and then an exit
    that does not free a bank-sized run's heap object by object (`cmas_bank.memory`). Tests
    call `main` in-process, which keeps nothing and exits as usual."""
    from cmas_bank import memory

    memory.defer_teardown()
    try:
        main()
    except SystemExit as done:
        if memory.kept():
            _exit_without_teardown(done.code)
        raise


def _exit_without_teardown(code: object) -> None:
    """Exit with `code` as `sys.exit` would, without freeing a bank-sized run's heap object by
    object (see `cmas_bank.memory`): the output is flushed first. Where flushing fails (a closed
    pipe), Python's own exit reports it."""
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(status)
