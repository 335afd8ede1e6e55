"""Articles and a chunker for store and search tests: small, hashed as the loaders hash them."""

from __future__ import annotations

import threading
from collections.abc import Callable

from newsbot.models import Article, Chunk
from retrieval.chunking import chunk_article
from retrieval.loaders import content_hash


def art(aid: str, text: str, *, title: str = "", published: str = "") -> Article:
    """An article from the wire with its content hash filled in (as the store expects)."""
    a = Article(id=aid, title=title or aid, text=text, publisher="Wire", published=published)
    return a.model_copy(update={"content_hash": content_hash(a)})


def chunker(a: Article) -> list[Chunk]:
    """Small passages (200 characters, 40 overlap), so a short article makes several."""
    return chunk_article(a, size=200, overlap=40)


def check_while_reloading(check: Callable[[], None], reload: Callable[[int], object], *, reloads: int,
                          threads: int) -> None:
    """Run ``check`` over and over on ``threads`` threads while ``reload(n)`` runs for n < ``reloads``.

    A thread stops at its first failure; the first failure of any thread is raised here.
    """
    errors: list[BaseException] = []
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                check()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                return

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for t in workers:
        t.start()
    try:
        for n in range(reloads):
            reload(n)
    finally:
        stop.set()
        for t in workers:
            t.join(30)
    assert not errors, errors[0]
