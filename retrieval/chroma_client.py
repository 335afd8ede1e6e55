"""Opening Chroma: an embedded store in the data directory, or a Chroma server when its URL is set.

Telemetry is off in both (no network calls home), and resetting the database is never allowed.
"""

from __future__ import annotations

from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings

from newsbot.settings import Settings


def open_client(settings: Settings) -> tuple[chromadb.ClientAPI, str]:
    """An embedded PersistentClient, or an HttpClient when a Chroma server URL is set."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        client = chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                     ssl=url.scheme == "https", settings=chroma_settings)
        return client, "server"
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings), "embedded"
