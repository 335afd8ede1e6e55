"""Small reloads applied in place to the live generation, committed by the same one registry write.

Copying every unchanged passage into a new generation costs as much as the
corpus is large, however little changed. A small reload therefore writes
into the live generation's collections instead: the new and changed
articles' records and passages are added as rows of the next revision
(``born`` = that revision, under their own row ids), which no reader of the
live revision sees; then the registry write that commits the revision also
lists the rows it replaces as hidden. Readers of the old revision keep
seeing exactly the old corpus until then, readers of the new one exactly the
new corpus after; a crash before the write leaves rows no reader sees, which
:func:`tidy` deletes later, and a crash after it leaves hidden rows, deleted
the same way. The replaced rows are deleted once the searches still reading
the old revision have finished. In server mode another process may still read
the old revision (it re-reads the registry every few seconds), so there they
are deleted by a later reload, once they have been hidden for
:data:`SERVER_GRACE` seconds; until then each revision's view keeps hiding
them. The registry lists the hidden rows per reload with its commit time
(:class:`Retired`).

When a reload would change more than :data:`DELTA_SHARE` of the passages —
counting what earlier in-place reloads changed since the last whole build, so
that replaced rows do not pile up in the index — the store builds a whole new
generation instead (:mod:`retrieval.store`).
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsbot.models import Article, Chunk
from retrieval.generation import PAGE, Generation, records_of
from retrieval.store_rows import View
from retrieval.store_types import StoreVerificationError

log = logging.getLogger(__name__)
DELTA_SHARE = 0.25  # in-place reloads while the passages changed since the last whole build stay under this share
SERVER_GRACE = 60.0  # server mode: seconds a replaced row stays (readers re-read the registry every 2 s; searches end)


@dataclass(frozen=True)
class Retired:
    """The rows one in-place reload hid, and when it committed (wall clock: other processes compare it)."""

    at: float
    chunks: tuple[str, ...]
    articles: tuple[str, ...]


def retired_of(meta: dict) -> list[Retired]:
    """The hidden rows the registry lists, per reload (a registry of an older newsbot: one group, long due)."""
    if "retired" in meta:
        return [Retired(float(at), tuple(c), tuple(a)) for at, c, a in json.loads(meta["retired"] or "[]")]
    chunks, articles = json.loads(meta.get("hidden_chunks") or "[]"), json.loads(meta.get("hidden_articles") or "[]")
    return [Retired(0.0, tuple(chunks), tuple(articles))] if chunks or articles else []


def hidden_rows(retired: list[Retired]) -> tuple[frozenset[str], frozenset[str]]:
    """The passage rows and the article rows these reloads hid, all together."""
    return (frozenset(row for r in retired for row in r.chunks),
            frozenset(row for r in retired for row in r.articles))


def view_of(meta: dict) -> View:
    """The rows readers of the registry's committed revision see."""
    counts, (chunks, articles) = (meta.get("articles"), meta.get("chunks")), hidden_rows(retired_of(meta))
    return View(rev=int(meta.get("seq", 0)), hidden_chunks=chunks, hidden_articles=articles,
                articles=None if counts[0] is None else int(counts[0]),
                chunks=None if counts[1] is None else int(counts[1]))


def registry_meta(base: str, view: View, churn: int, retired: list[Retired], **rest: Any) -> dict:
    """The registry metadata committing ``view`` of generation ``base`` (written whole: Chroma replaces it)."""
    return {"active": base, "seq": view.rev, "articles": view.articles, "chunks": view.chunks, "churn": churn,
            "retired": json.dumps([[r.at, sorted(r.chunks), sorted(r.articles)] for r in retired]), **rest}


def stray_rows(live: Generation, due: list[Retired]) -> tuple[list[str], list[str]]:
    """Stored rows no reader needs: born after the live revision (an interrupted reload) or hidden by ``due``."""
    out = []
    for collection, due_rows in zip(live.collections, hidden_rows(due), strict=True):
        rows = collection.get(where={"born": {"$gt": live.view.rev or 0}}, include=[])["ids"]
        hidden = sorted(due_rows)
        for lo in range(0, len(hidden), PAGE):
            rows += collection.get(ids=hidden[lo : lo + PAGE], include=[])["ids"]
        out.append(rows)
    return out[0], out[1]


def stored(live: Generation, chunk_rows: list[str], article_rows: list[str]) -> bool:
    """True when every one of these rows is stored."""
    for collection, rows in zip(live.collections, (chunk_rows, article_rows), strict=True):
        for lo in range(0, len(rows), PAGE):
            if len(collection.get(ids=rows[lo : lo + PAGE], include=[])["ids"]) != len(rows[lo : lo + PAGE]):
                return False
    return True


def tidy(live: Generation, retired: list[Retired], grace: float = 0.0) -> list[Retired]:
    """Delete the rows no reader needs any more; the hidden rows that must stay a while yet.

    Rows born after the live revision belong to an interrupted reload (the caller holds the
    reload lease, so no reload is running). Hidden rows go once hidden for ``grace`` seconds.
    """
    now = time.time()
    due = [r for r in retired if now - r.at >= grace]
    chunk_rows, article_rows = stray_rows(live, due)
    if chunk_rows or article_rows:
        log.info("deleting %d passage and %d article rows no reader of %s sees", len(chunk_rows), len(article_rows),
                 live.name)
        live.delete_rows(chunk_rows, article_rows)
    return [r for r in retired if r not in due]


@dataclass
class Delta:
    """One in-place reload of the live generation: what it adds, what it hides, and the view it commits."""

    live: Generation
    final: dict[str, Article]
    fresh: list[Article]  # articles whose record is written anew (added or changed)
    chunks: list[Chunk]  # their passages
    gone: set[str]  # articles whose stored record and passages are replaced or removed
    hidden_chunks: list[str]
    hidden_articles: list[str]
    churn: int
    carried: list[Retired]  # rows earlier reloads hid that are still stored (server mode): still hidden
    added: tuple[list[str], list[str]] = field(default_factory=lambda: ([], []))

    @classmethod
    def plan(cls, live: Generation, churn: int, final: dict[str, Article], fresh: set[str],
             chunks: list[Chunk], carried: list[Retired]) -> Delta | None:
        """The in-place reload to ``final``, or None when it would change too much (build anew then)."""
        if live.view.rev is None:
            return None
        gone = {aid for aid in live.articles if aid not in final or aid in fresh}
        chunk_rows, article_rows = live.chunk_rows(), live.article_rows()
        hidden_chunks = [chunk_rows[c.id] for c in live.all_chunks() if c.article_id in gone]
        churn += len(hidden_chunks) + len(chunks)
        if churn > DELTA_SHARE * max(live.chunk_count, 1):
            return None
        return cls(live, final, [final[aid] for aid in final if aid in fresh], chunks, gone, hidden_chunks,
                   [article_rows[aid] for aid in sorted(gone)], churn, carried)

    @property
    def rev(self) -> int:
        assert self.live.view.rev is not None
        return self.live.view.rev + 1

    @property
    def view(self) -> View:
        chunks, articles = hidden_rows(self.retired(0.0))
        return View(rev=self.rev, hidden_chunks=chunks, hidden_articles=articles, articles=len(self.final),
                    chunks=self.live.chunk_count - len(self.hidden_chunks) + len(self.chunks))

    def retired(self, at: float) -> list[Retired]:
        """The hidden rows the committing registry lists: those carried over and this reload's (committed ``at``)."""
        return [*self.carried, Retired(at, tuple(self.hidden_chunks), tuple(self.hidden_articles))]

    def write(self, vector: Callable[[Chunk], Any]) -> None:
        """Add the new rows (unseen by readers of the live revision)."""
        counts = Counter(c.article_id for c in self.chunks)
        chunk_rows = self.live.add_chunks(records_of(self.chunks, vector), born=self.rev)
        self.added = (chunk_rows, [])  # known before the articles are written, for undo()
        self.added = (chunk_rows, self.live.add_articles(self.fresh, counts, born=self.rev))

    def verified(self) -> Generation:
        """The live generation as of the new revision, its caches carried over, once its rows are checked."""
        live, view = self.live, self.view
        if live.article_count - len(self.hidden_articles) + len(self.fresh) != len(self.final):
            raise StoreVerificationError(f"{live.name}: expected {len(self.final)} articles after the reload")
        if not stored(live, *self.added):
            raise StoreVerificationError(f"{live.name}: rows of revision {self.rev} are missing after writing them")
        articles = {aid: a for aid, a in live.articles.items() if aid not in self.gone}
        articles.update((a.id, a) for a in self.fresh)
        article_rows = {aid: r for aid, r in live.article_rows().items() if aid not in self.gone}
        article_rows.update(zip((a.id for a in self.fresh), self.added[1], strict=True))
        chunks = [c for c in live.all_chunks() if c.article_id not in self.gone] + self.chunks
        kept = {c.id for c in chunks}
        chunk_rows = {cid: r for cid, r in live.chunk_rows().items() if cid in kept}
        chunk_rows.update(zip((c.id for c in self.chunks), self.added[0], strict=True))
        new = live.derive(view, articles, article_rows, chunks, chunk_rows)
        if len(chunks) != view.chunks or len(articles) != view.articles:
            raise StoreVerificationError(f"{new.name}: expected {view.chunks} passages, found {len(chunks)}")
        probe = live.any_vector()
        if chunks and (probe is None or not new.search(probe, 1)):
            raise StoreVerificationError(f"a probe search of {new.name} returned nothing")
        return new

    def undo(self) -> None:
        """Delete the rows written so far (they are unseen anyway; a later tidy would delete them too)."""
        try:
            self.live.delete_rows(*self.added)
        except Exception as exc:  # noqa: BLE001 - the next reload's tidy deletes them
            log.warning("could not delete the rows of an abandoned reload of %s: %s", self.live.name, exc)
