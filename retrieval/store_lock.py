"""One process at a time on an embedded Chroma store: an OS lock on its data directory.

Chroma's embedded ``PersistentClient`` is not safe across processes: each one
caches the vector index in memory, so a process does not see what another
writes, and rows one deletes vanish under the other's readers. Before this
lock, ``newsbot ingest`` run beside a running bot left the bot serving its old
corpus minus the articles the ingest had changed (neither version of them).

So every process that opens an embedded store first takes an exclusive
``flock`` on ``<data_dir>/chroma/newsbot.lock`` and keeps it until it closes the
store; the operating system drops it when a process dies, so a crash never
leaves it behind. Threads (and several stores) of one process share the
lock. The file says who holds it (role, pid, host, since), so a refusal can
name the holder. A bot holds the store for its whole life, so nobody waits
for one; a short command (an ``ask``, an ``ingest``) is waited for.
A Chroma server needs none of this: it serves any number of processes.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock, no lock (documented)
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)
LOCK_NAME = "newsbot.lock"
POLL_SECONDS = 0.2
#: A bot holds the store while it runs: never wait for that role.
LONG_LIVED = "bot"
#: How long a command waits for another one to close the store.
WAIT_SECONDS = 30.0


class StoreInUse(RuntimeError):
    """Another process has the embedded store open."""


@dataclass
class _Held:
    fd: int
    users: int


_held: dict[Path, _Held] = {}
_opening: dict[Path, threading.Lock] = {}
_guard = threading.Lock()


def _holder(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):  # being written, or not ours
        return {}


def _refusal(folder: Path, holder: dict) -> StoreInUse:
    role = holder.get("role", "newsbot")
    who = f"{role} (pid {holder.get('pid', '?')} on {holder.get('host', '?')}, since {holder.get('since', '?')})"
    if role == LONG_LIVED:
        advice = "ask and reload in Discord (/reload), or stop the bot first"
    else:
        advice = "try again when it has finished"
    return StoreInUse(
        f"The store in {folder} is in use by another newsbot process: {who}. An embedded Chroma store serves "
        f"one process at a time: {advice}; to share one store between processes run a Chroma server "
        "(NEWSBOT_CHROMA_URL, see README 'Chroma server mode').")


def acquire(folder: Path, role: str, wait: float) -> Path:
    """Hold ``folder`` (an embedded store's directory) for this process; the key to :func:`release`.

    Waits up to ``wait`` seconds (``math.inf``: for as long as it takes) for a holder that will
    finish, never for a bot; then raises :class:`StoreInUse` naming the holder.
    """
    folder.mkdir(parents=True, exist_ok=True)
    key = folder.resolve()
    with _guard:
        opening = _opening.setdefault(key, threading.Lock())
    with opening:  # one thread of this process takes the OS lock; the others then share it
        with _guard:
            if key in _held:
                _held[key].users += 1
                return key
        fd = _lock(key / LOCK_NAME, folder, role, wait) if fcntl is not None else -1
        with _guard:
            _held[key] = _Held(fd, 1)
        return key


def _lock(path: Path, folder: Path, role: str, wait: float) -> int:
    """The descriptor of ``path`` under an exclusive flock, the holder's details written into it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline, told = time.monotonic() + wait, False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            holder = _holder(path)
            if holder.get("role") == LONG_LIVED or time.monotonic() >= deadline:
                os.close(fd)
                raise _refusal(folder, holder) from None
            if not told:
                log.warning("waiting for the store in %s: %s pid %s has it open", folder,
                            holder.get("role", "another process"), holder.get("pid", "?"))
                told = True
            time.sleep(POLL_SECONDS)
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps({"role": role, "pid": os.getpid(), "host": socket.gethostname(),
                              "since": datetime.now(UTC).isoformat(timespec="seconds")}).encode(), 0)
    return fd


def release(key: Path) -> None:
    """Let go of one use of the store; the last one unlocks it for other processes."""
    with _guard:
        held = _held.get(key)
        if held is None:
            return
        held.users -= 1
        if held.users > 0:
            return
        del _held[key]
        if held.fd >= 0:
            os.close(held.fd)  # closing the descriptor drops the flock
