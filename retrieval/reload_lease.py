"""One reload at a time across processes sharing a Chroma store: a lease held as a collection.

A reload run by two processes at once (two bot shards on one Chroma server, or
``newsbot ingest`` beside a running bot on that server) would build the same next
generation and commit over each other. (An embedded store is held by one process
at a time, :mod:`retrieval.store_lock`; the lease costs little there and keeps one
path.) Creating a collection is atomic in Chroma (its
name is unique), so the lease is the collection ``{prefix}_reloading``: whoever
creates it holds it, and deletes it when the reload ends. Its metadata says
who holds it (host, pid) and when it last showed signs of life; a thread
renews that every :data:`BEAT_SECONDS`.

A lease is *stale* when its holder is a process of this host that no longer
exists (a crash; a pid since reused is told apart by its start time, on Linux),
or when it has not been renewed for :data:`STALE_SECONDS` (a crash on another host). A stale lease is broken by renaming that very
collection out of the way (Chroma renames by id, so a fresh lease taken by
someone else meanwhile is never touched) and taking a new one.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import chromadb

from retrieval.store_types import ReloadInProgress

log = logging.getLogger(__name__)
BEAT_SECONDS = 10.0
STALE_SECONDS = 90.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True


def _started(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks since boot, Linux), so a reused pid is told apart; else None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[19])  # field 22, counted after the command name
    except (OSError, ValueError, IndexError):
        return None


class ReloadLease:
    """The right to reload the corpus under ``prefix``, exclusive across every process on the store."""

    def __init__(self, client: chromadb.ClientAPI, prefix: str) -> None:
        self.client, self.name = client, f"{prefix}_reloading"
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._started = _started(os.getpid())  # read once: it never changes for this process
        self._held: Any = None
        self._since = ""
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    # --- taking and giving back ---------------------------------------------
    def acquire(self) -> None:
        """Take the lease or raise :class:`ReloadInProgress` naming who holds it."""
        self._since = datetime.now(UTC).isoformat(timespec="seconds")
        for _ in range(2):
            try:
                self._held = self.client.create_collection(self.name, metadata=self._meta(), embedding_function=None)
            except Exception as exc:
                holder = self._holder()
                if holder is None:
                    if "already exists" not in str(exc).lower():
                        raise
                    continue  # released between our create and our look: try again
                if not self._stale(holder.metadata or {}):
                    raise ReloadInProgress(self._busy_message(holder.metadata or {})) from None
                self._break(holder)
                continue
            self._stop.clear()
            self._beat = threading.Thread(target=self._renew, name="reload-lease", daemon=True)
            self._beat.start()
            return
        raise ReloadInProgress("Another process took the reload lock just now; try again when its reload has finished.")

    def holds(self) -> bool:
        """True while the lease under our name is still ours (checked on the store, just before a commit)."""
        if self._held is None:
            return False
        current = self._holder()
        return current is not None and current.id == self._held.id and (current.metadata or {}).get("owner") == self.owner

    def release(self) -> None:
        """Give the lease back (only if it is still ours: a broken one may belong to someone else now)."""
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=5)
        held, self._held = self._held, None
        if held is None:
            return
        current = self._holder()
        if current is not None and current.id == held.id:
            try:
                self.client.delete_collection(self.name)
            except Exception as exc:  # noqa: BLE001 - a stale lease is broken by the next reload anyway
                log.warning("could not give back the reload lease %s: %s", self.name, exc)

    # --- inside -------------------------------------------------------------
    def _meta(self) -> dict[str, Any]:
        meta = {"owner": self.owner, "host": socket.gethostname(), "pid": os.getpid(), "beat": time.time(),
                "since": self._since}
        return meta if self._started is None else {**meta, "started": self._started}

    def _renew(self) -> None:
        while not self._stop.wait(BEAT_SECONDS):
            try:
                self._held.modify(metadata=self._meta())
            except Exception as exc:  # noqa: BLE001 - the commit re-checks the lease
                log.warning("could not renew the reload lease: %s", exc)

    def _holder(self) -> Any:
        try:
            return self.client.get_collection(self.name, embedding_function=None)
        except Exception:  # noqa: BLE001 - not there
            return None

    @staticmethod
    def _stale(meta: dict) -> bool:
        here = meta.get("host") == socket.gethostname() and isinstance(meta.get("pid"), int)
        if here and not _alive(int(meta["pid"])):
            return True  # its holder crashed
        if here and isinstance(meta.get("started"), int) and _started(int(meta["pid"])) not in (None, meta["started"]):
            return True  # its holder crashed and another process has its pid now
        return time.time() - float(meta.get("beat") or 0) > STALE_SECONDS

    def _break(self, stale: Any) -> None:
        meta = stale.metadata or {}
        log.warning("breaking the reload lease of %s (no sign of life since %s)", meta.get("owner", "?"),
                    datetime.fromtimestamp(float(meta.get("beat") or 0), UTC).isoformat(timespec="seconds"))
        tomb = f"{self.name}_broken_{uuid.uuid4().hex[:8]}"
        try:
            stale.modify(name=tomb)  # by id: a lease someone took meanwhile keeps its name
            self.client.delete_collection(tomb)
        except Exception as exc:  # noqa: BLE001 - someone else broke it first
            log.info("the stale reload lease was already broken: %s", exc)

    @staticmethod
    def _busy_message(meta: dict) -> str:
        who = f"{meta.get('host', '?')} pid {meta.get('pid', '?')}"
        return (f"A reload is already running (in {who}, since {meta.get('since', '?')}); "
                "try again when it has finished.")
