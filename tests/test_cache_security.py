"""The check cache can be found in a checkout, copied, damaged or named badly: it never runs
code, never hides a finding, and never writes or deletes a file it did not make."""

from __future__ import annotations

import os
import pickle
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from test_check import _same, run
from test_cli import cli

from cmas_bank.config import load_config
from cmas_bank.engine import store
from cmas_bank.engine.run import cache_folder
from cmas_bank.errors import UsageError

MINI = FIXTURES / "outlines" / "mini-exam.yaml"


def _cache_files(project: Path) -> list[Path]:
    return sorted(p for p in (project / ".cmas-bank-cache").glob("check-*/*") if p.is_file())


class _Boom:
    """Unpickling this runs `touch MARKER`: what a hostile cache would hold."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.marker}",))


def _seal(project: Path, name: str, payload: bytes, key: bytes | None = None) -> None:
    """Write a cache file the way the store does, with this user's key or another one."""
    folder = next((project / ".cmas-bank-cache").glob("check-*"))
    s = store.Store(folder=folder, key=key or store.secret_key() or b"")
    (folder / name).write_bytes(store.MAGIC + s._mac(name, payload) + payload)


def test_a_cache_that_would_run_code_is_never_loaded(project: Path) -> None:
    """Even sealed with this user's own key (as if it leaked), a pickle that names a function
    is refused by the data-only reader: nothing runs, and the result is that of no cache."""
    run(project)
    marker = project / "ran"
    files = [p.name for p in _cache_files(project)]
    names = [n for n in files if n.startswith(("state-", "part-bank-"))] + [min(n for n in files if n.isdigit())]
    assert len(names) == 3
    for name in names:
        _seal(project, name, pickle.dumps({"memo": _Boom(marker)}))
    result = run(project)
    assert not marker.exists()
    assert _same(result, run(project, use_cache=False))
    assert any("did not verify" in note for note in result.notes)


def test_a_forged_memo_cannot_hide_a_finding(project: Path) -> None:
    """A memo that says the bank is clean, sealed with another key (a cache copied from another
    machine or committed to the repository), is not believed."""
    item = project / "bank" / "COV-01.yaml"
    item.write_text(item.read_text().replace("answer: A", "answer: E"))
    truth = run(project, use_cache=False)
    assert "IV205" in {d.code for d in truth.diagnostics}
    run(project)
    state = next((project / ".cmas-bank-cache").glob("check-*/state-*"))
    s = store.Store(folder=state.parent, key=store.secret_key() or b"")
    forged = s._read(state.name)
    forged["memo"].per_file.clear()  # the findings of every file, gone
    _seal(project, state.name, store.dumps(forged), key=b"k" * 32)
    assert _same(run(project), truth)


def test_a_cache_folder_that_git_tracks_is_ignored(project: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    run(project)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-f", ".cmas-bank-cache"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "a committed cache"], cwd=project, check=True)
    before = {p: p.read_bytes() for p in _cache_files(project)}
    result = run(project)
    assert result.cache_hits == 0
    assert any("git tracks files in it" in note for note in result.notes)
    assert {p: p.read_bytes() for p in _cache_files(project)} == before  # nothing written there
    shown = cli("check", "--no-progress", cwd=project)
    assert "git tracks files in it" in shown.stderr


@pytest.mark.parametrize(
    "setting",
    ['"."', '"bank"', '".."', '""', "5"],
)
def test_a_cache_folder_that_would_harm_the_project_is_a_usage_error(project: Path, setting: str) -> None:
    (project / "check-lists").mkdir()
    (project / "check-lists" / "todo.md").write_text("keep me\n")
    (project / "check-release.md").write_text("keep me too\n")
    (project / ".gitignore").write_text("dist/\n")
    config = project / "pyproject.toml"
    config.write_text(config.read_text() + f"cache-dir = {setting}\n")
    with pytest.raises(UsageError, match="cache-dir"):
        cache_folder(load_config(cwd=project))
    result = cli("check", "--no-progress", cwd=project)
    assert result.returncode == 2 and "cache-dir" in result.stderr and "Traceback" not in result.stderr
    assert (project / "check-lists" / "todo.md").read_text() == "keep me\n"
    assert (project / "check-release.md").exists()
    assert (project / ".gitignore").read_text() == "dist/\n"


def test_a_folder_the_tool_did_not_make_is_not_used(project: Path) -> None:
    (project / "scratch").mkdir()
    (project / "scratch" / "check-notes.md").write_text("mine\n")
    config = project / "pyproject.toml"
    config.write_text(config.read_text() + 'cache-dir = "scratch"\n')
    result = run(project)
    assert any("was not made by cmas-bank" in note for note in result.notes)
    assert sorted(p.name for p in (project / "scratch").iterdir()) == ["check-notes.md"]
    # a folder it makes itself carries the tag, and is used from then on
    config.write_text(config.read_text().replace('"scratch"', '"build/cmas-cache"'))
    run(project)
    assert (project / "build" / "cmas-cache" / store.TAG_NAME).read_bytes().startswith(b"Signature: 8a477f59")
    assert run(project).cache_hits == 9


def test_damaged_cache_files_are_detected_and_recomputed(project: Path) -> None:
    """Single-bit flips anywhere in any cache file never change the output, nor raise."""
    item = project / "bank" / "COV-02.yaml"
    item.write_text(item.read_text().replace("to pay on a claim?", "to pay on a claim."))  # a lint finding
    truth = run(project, use_cache=False)
    rng = random.Random(12)
    for _ in range(40):
        run(project)
        files = _cache_files(project)
        victim = rng.choice(files)
        data = bytearray(victim.read_bytes())
        bit = rng.randrange(len(data) * 8)
        data[bit // 8] ^= 1 << (bit % 8)
        victim.write_bytes(bytes(data))
        assert _same(run(project), truth), (victim.name, bit)


def test_the_cache_key_covers_python_and_the_dependencies(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(project)
    assert run(project).cache_hits == 9
    monkeypatch.setattr(store, "DEPENDENCIES", (*store.DEPENDENCIES, "typer"))
    store.environment_fingerprint.cache_clear()
    try:
        assert run(project).cache_hits == 0
        monkeypatch.setattr(store.sys, "version", "3.99.0 (elsewhere)")
        store.environment_fingerprint.cache_clear()
        assert run(project).cache_hits == 0
    finally:
        store.environment_fingerprint.cache_clear()


def test_per_file_ignores_follow_the_name_not_a_links_target(project: Path) -> None:
    """Retargeting a symlinked item to another file with the same bytes cannot change a
    finding: per-file ignores match the name the bank gives the file, which the cache keys on."""
    (project / "pyproject.toml").write_text(
        '[tool.cmas-bank]\nbank = "bank"\noutline = "outline.yaml"\n\n'
        '[tool.cmas-bank.lint]\nper-file-ignores = { "quiet/*" = ["IW101"] }\n'
    )
    item = project / "bank" / "COV-02.yaml"
    text = item.read_text().replace("to pay on a claim?", "to pay on a claim.")  # IW101
    item.unlink()
    for folder in ("quiet", "loud"):
        (project / folder).mkdir()
        (project / folder / "COV-02.yaml").write_text(text)
    item.symlink_to(project / "quiet" / "COV-02.yaml")
    first = run(project)
    item.unlink()
    item.symlink_to(project / "loud" / "COV-02.yaml")
    second = run(project)
    assert _same(second, run(project, use_cache=False))
    assert _same(first, second)
    assert "IW101" in {d.code for d in second.diagnostics}


def test_temporaries_left_by_a_killed_run_are_removed(project: Path) -> None:
    run(project)
    folder = next((project / ".cmas-bank-cache").glob("check-*"))
    old, new = folder / ".00.abc123.tmp", folder / ".state-all.def456.tmp"
    old.write_bytes(b"half")
    new.write_bytes(b"half")
    hour_ago = os.stat(old).st_mtime - 3600
    os.utime(old, (hour_ago, hour_ago))
    item = project / "bank" / "COV-01.yaml"
    item.write_text(item.read_text() + "# touched\n")
    run(project)
    assert not old.exists()
    assert new.exists()  # young: another run may be writing it


def test_workers_die_with_their_parent(project: Path) -> None:
    """`kill -9` of a cold check leaves no worker process behind."""
    if not Path("/proc").is_dir():
        pytest.skip("needs /proc to list processes")
    bank = project / "bank"
    source = (bank / "COV-04.yaml").read_text()
    for i in range(400):
        (bank / f"GEN-{i:04d}.yaml").write_text(source.replace("id: COV-04", f"id: GEN-{i:04d}"))
    script = (
        "import sys, time\n"
        "from cmas_bank.engine import workers\n"
        "real = workers._check_chunk\n"
        "def slow(chunk):\n"
        "    time.sleep(60)\n"
        "    return real(chunk)\n"
        "workers._check_chunk = slow\n"
        "workers.PARALLEL_MIN, workers.CHUNK = 1, 50\n"
        "workers.os.cpu_count = lambda: 2\n"
        "from cmas_bank.config import load_config\n"
        "from cmas_bank.outline import load_outline\n"
        "from cmas_bank.check import run_check\n"
        "c = load_config(); run_check([c.bank], c, load_outline(c.outline, c.root), use_cache=False)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=project)
    try:
        children: list[int] = []
        for _ in range(200):
            children = _children(parent.pid)
            if len(children) >= 2:
                break
            subprocess.run(["sleep", "0.1"], check=True)
        assert len(children) >= 2, "the run started no workers"
    finally:
        parent.kill()
        parent.wait()
    for _ in range(50):
        if not any(_alive(pid) for pid in children):
            break
        subprocess.run(["sleep", "0.1"], check=True)
    assert not any(_alive(pid) for pid in children)


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_dependency_versions_read_from_folder_names_are_the_installed_ones() -> None:
    """The cache key reads versions from `NAME-VERSION.dist-info` folder names (fast); they must
    be what `importlib.metadata` says, or an upgrade could leave a stale result in use."""
    from importlib import metadata

    from cmas_bank.engine import store

    listed = store._dist_info_versions()
    for name in store.DEPENDENCIES:
        assert listed[store._canonical(name)] == metadata.version(name), name
    assert all(f"{name}={metadata.version(name)}" in store.environment_fingerprint() for name in store.DEPENDENCIES)


def test_the_cache_folder_can_be_given_by_the_environment(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CMAS_BANK_CACHE_DIR (a CI cache, or the tests' own folder) wins over `cache-dir`, and is
    refused like it where it would hold the project or the bank."""
    elsewhere = tmp_path / "ci-cache"
    monkeypatch.setenv("CMAS_BANK_CACHE_DIR", str(elsewhere))
    assert cache_folder(load_config(cwd=project)) == Path(os.path.realpath(elsewhere))
    first = cli("check", "--no-progress", cwd=project)
    again = cli("check", "--no-progress", cwd=project)
    assert first.returncode == again.returncode and "9 from cache" in again.stderr
    assert list(elsewhere.glob("check-*/state-*")) and not (project / ".cmas-bank-cache").exists()
    monkeypatch.setenv("CMAS_BANK_CACHE_DIR", str(project / "bank" / ".."))
    refused = cli("check", "--no-progress", cwd=project)
    assert refused.returncode == 2 and "CMAS_BANK_CACHE_DIR" in refused.stderr and "Traceback" not in refused.stderr
