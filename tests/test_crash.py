"""Atomic reload: SIGKILL at 20 points of a reload never leaves a mixed or empty corpus.

Twice: a reload that replaces most of ~200 articles (a whole new generation is built beside the
live one), and one that edits, adds and removes a few of them (written in place into the live one).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.engine_helpers import ROOT, SEED

pytestmark = pytest.mark.slow
KILLS = 20


def _corpus(folder: Path, prefix: str, n: int, *, edited: tuple[int, ...] = (), skip: tuple[int, ...] = (),
            extra: int = 0) -> set[str]:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, folder / SEED.name)
    kept = [i for i in range(n + extra) if i not in skip]
    names = [f"{prefix}-{i}" for i in kept]
    for i, name in zip(kept, names, strict=True):
        note = " The vote was postponed." if i in edited else ""
        (folder / f"{name}.md").write_text(
            f"---\ntitle: {prefix} story {i}\npublisher: Wire\n---\n"
            + f"Report {i} from the {prefix} desk. The council discussed item {i} at length. " * 3 + note)
    return {SEED.stem, *names}


def _run(action: str, data: Path, corpus: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "tests.crash_worker", action, str(data), str(corpus)],
                         capture_output=True, text=True, timeout=300, cwd=ROOT, check=False)
    assert out.returncode == 0, f"{action} failed: {out.stderr[-3000:]}"
    return json.loads(out.stdout.strip().splitlines()[-1])


def _start_reload(data: Path, corpus: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "tests.crash_worker", "reload", str(data), str(corpus)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
    return proc


def _kill_at_twenty_points(tmp_path: Path, old: Path, new: Path) -> tuple[dict, dict, list[str]]:
    """The store's state before and after a reload from ``old`` to ``new``, and each killed run's outcome."""
    snapshot = tmp_path / "snapshot"
    _run("check", snapshot, old)  # creates an empty store
    _run("reload", snapshot, old)
    before = _run("check", snapshot, old)

    timing = tmp_path / "timing"
    shutil.copytree(snapshot, timing)
    proc = _start_reload(timing, new)
    started = time.monotonic()
    proc.wait(300)
    duration = time.monotonic() - started
    after = _run("check", timing, new)

    outcomes = []
    for k in range(1, KILLS + 1):
        data = tmp_path / f"run-{k}"
        shutil.copytree(snapshot, data)
        proc = _start_reload(data, new)
        time.sleep(duration * k / (KILLS + 1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        state = _run("check", data, new)
        assert state["content"] in (before["content"], after["content"]), f"kill {k}: mixed corpus: {state}"
        assert set(state["chunk_article_ids"]) == set(state["articles"]), f"kill {k}: passages and articles disagree"
        assert state["stats_articles"] == len(state["articles"]) and state["stats_chunks"] == state["chunks"], state
        assert state["verdict"] == "contested", f"kill {k}: {state}"
        outcomes.append("new" if state["content"] == after["content"] else "old")
        shutil.rmtree(data, ignore_errors=True)
    # and a reload after a crash completes normally
    data = tmp_path / "after"
    shutil.copytree(snapshot, data)
    proc = _start_reload(data, new)
    time.sleep(duration / 2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    _run("reload", data, new)
    assert _run("check", data, new)["content"] == after["content"]
    return before, after, outcomes


def test_sigkill_at_twenty_points_of_a_reload_leaves_the_old_or_the_new_corpus(tmp_path: Path) -> None:
    old_ids = _corpus(tmp_path / "old", "old", 100)
    new_ids = _corpus(tmp_path / "new", "new", 200)
    before, after, outcomes = _kill_at_twenty_points(tmp_path, tmp_path / "old", tmp_path / "new")
    assert before["articles"] == sorted(old_ids) and after["articles"] == sorted(new_ids)
    assert "old" in outcomes  # some kills did land mid-reload


def test_sigkill_at_twenty_points_of_an_in_place_reload_leaves_the_old_or_the_new_corpus(tmp_path: Path) -> None:
    old_ids = _corpus(tmp_path / "old", "desk", 200)
    new_ids = _corpus(tmp_path / "new", "desk", 200, edited=(3, 40), skip=(7,), extra=1)
    before, after, outcomes = _kill_at_twenty_points(tmp_path, tmp_path / "old", tmp_path / "new")
    assert before["articles"] == sorted(old_ids) and after["articles"] == sorted(new_ids)
    assert after["generation"].startswith(f"{before['generation']}r")  # written into the live generation
    assert "old" in outcomes
