"""Running the command line from tests: in this process (fast, and counted by coverage) or as the
installed program in a fresh interpreter (for the few tests that must prove the entry point).

`cli()` calls `cmas_bank.cli.main`, the console script's own function, with `sys.argv` set as the
script would set it, inside Typer's `CliRunner` isolation (stdin, stdout and stderr replaced and
kept apart, the environment restored): the exit code is the one `main` exits with, including the
2 it turns a `UsageError` into. It returns what `subprocess.run` returned to these tests, so a
test reads `returncode`, `stdout` and `stderr` the same way whichever way the command ran.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT
from typer.testing import CliRunner

from cmas_bank.cli import main


@dataclass(frozen=True)
class Ran:
    """What a command did: its exit code and what it printed on each stream."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


# Runs from the checkout itself keep their cache outside it, so the tests (which have a key of
# their own) never overwrite a developer's `.cmas-bank-cache/` with files their key rejects.
ROOT_CACHE = tempfile.mkdtemp(prefix="cmas-bank-test-results-")


def _env(cwd: Path) -> dict[str, str]:
    return {"CMAS_BANK_CACHE_DIR": ROOT_CACHE} if Path(cwd).resolve() == ROOT.resolve() else {}


def cli(*args: str, cwd: Path = ROOT) -> Ran:
    """Run `cmas-bank ARGS` in this process from `cwd`; the working directory, `sys.argv` and
    `sys.excepthook` (which Typer sets) are restored afterwards. An exception that `main` lets
    escape (a crash, which the real program would print as a traceback) is raised here."""
    saved = sys.argv, sys.excepthook
    code: int | str | None = 0
    with contextlib.chdir(cwd), CliRunner().isolation(env=_env(cwd)) as (out, err, _mixed):
        sys.argv = ["cmas-bank", *args]
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        finally:
            sys.argv, sys.excepthook = saved
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr = out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")
    assert code is None or isinstance(code, int), f"exit with a message instead of a code: {code!r}"
    return Ran(args, code or 0, stdout, stderr)


def installed_program() -> Path:
    """The `cmas-bank` script that installing the package put beside this interpreter."""
    script = Path(sys.executable).parent / "cmas-bank"
    found = script if script.is_file() else shutil.which("cmas-bank")
    assert found, f"no cmas-bank script beside {sys.executable} or on PATH: install the package (pip install -e .)"
    return Path(found)


def run_installed(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the installed `cmas-bank` script as its own process."""
    env = {**os.environ, **_env(cwd)}
    return subprocess.run(
        [str(installed_program()), *args], check=False, cwd=cwd, capture_output=True, text=True, timeout=120, env=env
    )
