"""Opening Chroma: an embedded store in the data directory, or a Chroma server when its URL is set.

Telemetry is off in both (no network calls home), and resetting the database is never allowed.
An embedded store is locked for this process before Chroma opens it (:mod:`retrieval.store_lock`).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings

from newsbot.settings import Settings
from retrieval import store_lock


def open_client(settings: Settings, *, role: str, wait: float) -> tuple[chromadb.ClientAPI, str, Path | None]:
    """An HttpClient when a Chroma server URL is set, else an embedded PersistentClient held by this
    process; the third item is the lock's key for :func:`retrieval.store_lock.release` (None: no lock)."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        client = chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                     ssl=url.scheme == "https", settings=chroma_settings)
        return client, "server", None
    path = settings.data_dir / "chroma"
    held = store_lock.acquire(path, role, wait)
    try:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings), "embedded", held
    except BaseException:
        store_lock.release(held)
        raise
