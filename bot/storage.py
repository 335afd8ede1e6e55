"""The bot's own small state in SQLite: answers (so buttons work after a restart), feedback, follow-up threads.

Blocking and thread-safe; the bot calls it through ``asyncio.to_thread``, ``newsbot feedback``
reads it directly (WAL mode: a reader never blocks the running bot). Files written by an older
version gain the new columns on open.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsbot.models import Answer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL,
                                    user_id INTEGER, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS feedback (answer_id TEXT NOT NULL, user_id INTEGER NOT NULL, helpful INTEGER NOT NULL,
                                     question TEXT NOT NULL, answer TEXT NOT NULL, created REAL NOT NULL,
                                     PRIMARY KEY (answer_id, user_id));
CREATE TABLE IF NOT EXISTS threads (thread_id INTEGER PRIMARY KEY, answer_id TEXT NOT NULL, history TEXT NOT NULL);
"""
#: Columns added after the first release: (table, column, type).
_ADDED = (("answers", "asked", "TEXT"), ("feedback", "reason", "TEXT"), ("feedback", "comment", "TEXT"),
          ("threads", "opener_id", "INTEGER"))

#: Why an answer was not helpful: the value stored, and what the modal shows.
REASONS: dict[str, str] = {
    "wrong_side": "A side is wrong or misquoted",
    "missing_source": "A source or side is missing",
    "outdated": "Outdated",
    "other": "Something else",
}
HISTORY_KEPT = 10


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as the bot showed it: ``asked`` is the user's own words when they differ from the question
    the corpus was asked (a follow-up whose "he" was resolved)."""

    answer: Answer
    asked: str
    user_id: int | None


@dataclass(frozen=True)
class FollowedThread:
    """A follow-up thread the bot answers in: the answer it was opened on, who opened it, what was asked."""

    answer_id: str
    opener_id: int | None
    history: list[str]


@dataclass(frozen=True)
class FeedbackRecord:
    """One person's vote on one answer, with the reason when it was not helpful."""

    answer_id: str
    user_id: int
    helpful: bool
    reason: str | None
    comment: str | None
    asked: str
    question: str
    verdict: str
    summary: str
    created: str  # ISO 8601, UTC

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


class BotStore:
    """SQLite at ``path`` (created with its folder if missing)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        for table, column, kind in _ADDED:
            if column not in {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        self._lock = threading.Lock()

    # --- answers ---------------------------------------------------------------
    def save_answer(self, answer: Answer, user_id: int | None, *, asked: str | None = None) -> str:
        """Store an answer; returns its short id (used in button custom ids)."""
        answer_id = secrets.token_hex(6)
        with self._lock:
            self._db.execute("INSERT INTO answers (id, question, answer, user_id, created, asked) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             (answer_id, answer.question, answer.model_dump_json(), user_id, time.time(),
                              asked if asked and asked != answer.question else None))
        return answer_id

    def stored(self, answer_id: str) -> StoredAnswer | None:
        with self._lock:
            row = self._db.execute("SELECT answer, asked, user_id FROM answers WHERE id = ?", (answer_id,)).fetchone()
        if row is None:
            return None
        answer = Answer.model_validate_json(row[0])
        return StoredAnswer(answer, row[1] or answer.question, row[2])

    def answer(self, answer_id: str) -> Answer | None:
        stored = self.stored(answer_id)
        return stored.answer if stored else None

    # --- feedback --------------------------------------------------------------
    def vote(self, answer_id: str, user_id: int, helpful: bool) -> bool:
        """Record (or change) a user's vote; False if the answer is unknown.

        A Helpful vote clears an earlier reason; a Not helpful one keeps the reason already given
        (the click is stored while its modal is open, so it may land after the modal's reason).
        """
        return self._feedback(answer_id, user_id, helpful, None, None, keep_reason=not helpful)

    def explain(self, answer_id: str, user_id: int, reason: str, comment: str | None) -> bool:
        """A "Not helpful" vote with its reason (one of :data:`REASONS`) and the person's own words."""
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        return self._feedback(answer_id, user_id, False, reason, (comment or "").strip() or None)

    def _feedback(self, answer_id: str, user_id: int, helpful: bool, reason: str | None,
                  comment: str | None, *, keep_reason: bool = False) -> bool:
        answer = self.answer(answer_id)
        if answer is None:
            return False
        kept = "CASE WHEN feedback.helpful = 0 THEN feedback.{0} ELSE NULL END" if keep_reason else "excluded.{0}"
        with self._lock:
            self._db.execute(
                "INSERT INTO feedback (answer_id, user_id, helpful, question, answer, created, reason, comment) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(answer_id, user_id) DO UPDATE SET "
                "helpful = excluded.helpful, created = excluded.created, "
                f"reason = {kept.format('reason')}, comment = {kept.format('comment')}",
                (answer_id, user_id, int(helpful), answer.question, answer.model_dump_json(), time.time(), reason,
                 comment))
        return True

    def votes(self, answer_id: str) -> tuple[int, int]:
        """(helpful, not helpful) counts of an answer."""
        with self._lock:
            rows = self._db.execute("SELECT helpful, COUNT(*) FROM feedback WHERE answer_id = ? GROUP BY helpful",
                                    (answer_id,)).fetchall()
        counts = dict(rows)
        return counts.get(1, 0), counts.get(0, 0)

    def feedback(self, *, helpful: bool | None = None, limit: int | None = None) -> list[FeedbackRecord]:
        """Votes, newest first; ``helpful`` keeps only one kind."""
        sql = ("SELECT f.answer_id, f.user_id, f.helpful, f.reason, f.comment, a.asked, f.question, f.answer, "
               "f.created FROM feedback f LEFT JOIN answers a ON a.id = f.answer_id")
        args: list[object] = []
        if helpful is not None:
            sql += " WHERE f.helpful = ?"
            args.append(int(helpful))
        sql += " ORDER BY f.created DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        records = []
        for aid, uid, up, reason, comment, asked, question, answer_json, created in rows:
            answer = Answer.model_validate_json(answer_json)
            records.append(FeedbackRecord(aid, uid, bool(up), reason, comment, asked or question, question,
                                          answer.verdict.value, answer.summary,
                                          datetime.fromtimestamp(created, UTC).isoformat(timespec="seconds")))
        return records

    # --- follow-up threads -------------------------------------------------------
    def open_thread(self, thread_id: int, answer_id: str, question: str, opener_id: int | None = None) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO threads (thread_id, answer_id, history, opener_id) "
                             "VALUES (?, ?, ?, ?)", (thread_id, answer_id, json.dumps([question]), opener_id))

    def thread(self, thread_id: int) -> FollowedThread | None:
        """The follow-up thread ``thread_id``, or None if the bot does not follow it."""
        with self._lock:
            row = self._db.execute("SELECT answer_id, opener_id, history FROM threads WHERE thread_id = ?",
                                   (thread_id,)).fetchone()
        return FollowedThread(row[0], row[1], json.loads(row[2])) if row else None

    def thread_history(self, thread_id: int) -> list[str] | None:
        """Earlier questions of a follow-up thread, or None if the bot does not follow that thread."""
        thread = self.thread(thread_id)
        return thread.history if thread else None

    def thread_of_answer(self, answer_id: str) -> int | None:
        """The follow-up thread opened on an answer, if any."""
        with self._lock:
            row = self._db.execute("SELECT thread_id FROM threads WHERE answer_id = ? LIMIT 1", (answer_id,)).fetchone()
        return row[0] if row else None

    def add_to_thread(self, thread_id: int, question: str) -> None:
        """Remember a (resolved) question of the thread; the last ten are kept."""
        with self._lock:
            row = self._db.execute("SELECT history FROM threads WHERE thread_id = ?", (thread_id,)).fetchone()
            if row is None:
                return
            history = json.loads(row[0])[-(HISTORY_KEPT - 1):] + [question]
            self._db.execute("UPDATE threads SET history = ? WHERE thread_id = ?", (json.dumps(history), thread_id))

    def close(self) -> None:
        with self._lock:
            self._db.close()
