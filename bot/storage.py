"""The bot's own small state in SQLite: answers (so buttons work after a restart), votes, follow-up threads.

Blocking and thread-safe; the bot calls it through ``asyncio.to_thread``.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
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


class BotStore:
    """SQLite at ``path`` (created with its folder if missing)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def save_answer(self, answer: Answer, user_id: int | None) -> str:
        """Store an answer; returns its short id (used in button custom ids)."""
        answer_id = secrets.token_hex(6)
        with self._lock:
            self._db.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?)",
                             (answer_id, answer.question, answer.model_dump_json(), user_id, time.time()))
        return answer_id

    def answer(self, answer_id: str) -> Answer | None:
        with self._lock:
            row = self._db.execute("SELECT answer FROM answers WHERE id = ?", (answer_id,)).fetchone()
        return Answer.model_validate_json(row[0]) if row else None

    def vote(self, answer_id: str, user_id: int, helpful: bool) -> bool:
        """Record (or change) a user's vote; False if the answer is unknown."""
        answer = self.answer(answer_id)
        if answer is None:
            return False
        with self._lock:
            self._db.execute(
                "INSERT INTO feedback VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(answer_id, user_id) DO UPDATE SET "
                "helpful = excluded.helpful, created = excluded.created",
                (answer_id, user_id, int(helpful), answer.question, answer.model_dump_json(), time.time()))
        return True

    def votes(self, answer_id: str) -> tuple[int, int]:
        with self._lock:
            rows = self._db.execute("SELECT helpful, COUNT(*) FROM feedback WHERE answer_id = ? GROUP BY helpful",
                                    (answer_id,)).fetchall()
        counts = dict(rows)
        return counts.get(1, 0), counts.get(0, 0)

    def open_thread(self, thread_id: int, answer_id: str, question: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO threads VALUES (?, ?, ?)",
                             (thread_id, answer_id, json.dumps([question])))

    def thread_history(self, thread_id: int) -> list[str] | None:
        """Earlier questions of a follow-up thread, or None if the bot does not follow that thread."""
        with self._lock:
            row = self._db.execute("SELECT history FROM threads WHERE thread_id = ?", (thread_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def add_to_thread(self, thread_id: int, question: str) -> None:
        history = (self.thread_history(thread_id) or [])[-9:] + [question]
        with self._lock:
            self._db.execute("UPDATE threads SET history = ? WHERE thread_id = ?", (json.dumps(history), thread_id))

    def close(self) -> None:
        with self._lock:
            self._db.close()
