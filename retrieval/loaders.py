"""Loading articles from files, uploads and URLs, reporting every bad one by name.

Formats: ``.txt``/``.md`` with optional YAML front matter, ``.html`` (main text
extracted by trafilatura), ``.json``/``.jsonl`` records. A file that cannot be
read is reported with its reason while the others load; nothing here raises
for bad input. The article text is kept exactly as written, because every
quote must be an exact slice of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import httpx
import yaml

from newsbot.models import Article

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"})
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_META_KEYS = ("id", "title", "publisher", "published", "url", "language")


@dataclass(frozen=True)
class LoadFailure:
    """A source that could not be loaded, and why, in words a moderator can act on."""

    source: str
    reason: str


@dataclass
class LoadResult:
    """What loaded and what did not."""

    articles: list[Article] = field(default_factory=list)
    failures: list[LoadFailure] = field(default_factory=list)

    def merge(self, other: LoadResult) -> LoadResult:
        return LoadResult(self.articles + other.articles, self.failures + other.failures)


class _Bad(ValueError):
    """A reason to refuse one source."""


def load_paths(paths: Sequence[Path], *, max_bytes: int = 5_000_000, root: Path | None = None) -> LoadResult:
    """Load files and folders (recursively, sorted; hidden entries skipped). Ids are unique in the result."""
    result = LoadResult()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            base = path.resolve()
            for file in sorted(p for p in path.rglob("*") if p.is_file() or p.is_symlink()):
                rel = file.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                result = result.merge(_load_file(file, rel.as_posix(), base, max_bytes))
        elif path.exists() or path.is_symlink():
            result = result.merge(_load_file(path, path.name, path.resolve().parent, max_bytes))
        else:
            result.failures.append(LoadFailure(str(path), "no such file or folder"))
    return _unique_ids(result)


def load_bytes(name: str, data: bytes, *, source: str | None = None, max_bytes: int = 5_000_000) -> LoadResult:
    """Load one uploaded file; only the base name of ``name`` is used (it may be hostile)."""
    base = PurePosixPath(name.replace("\\", "/")).name or "upload.txt"
    label = source or base
    try:
        if len(data) > max_bytes:
            raise _Bad(_too_large(len(data), max_bytes))
        articles = _parse(base, data, default_id=_slug(PurePosixPath(base).stem), source=label)
        return _unique_ids(LoadResult(articles, []))
    except _Bad as exc:
        return LoadResult([], [LoadFailure(label, str(exc))])


def load_url(url: str, *, timeout: float = 20.0, max_bytes: int = 5_000_000,
             client: httpx.Client | None = None) -> LoadResult:
    """Fetch ``url`` and extract its article (http and https only)."""
    if not re.match(r"^https?://", url, re.IGNORECASE):
        return LoadResult([], [LoadFailure(url, "only http:// and https:// URLs can be added")])
    own = client is None
    client = client or httpx.Client(follow_redirects=True, timeout=timeout)
    try:
        with client.stream("GET", url) as resp:
            if resp.status_code >= 400:
                return LoadResult([], [LoadFailure(url, f"the server answered HTTP {resp.status_code}")])
            body = bytearray()
            for part in resp.iter_bytes():
                body.extend(part)
                if len(body) > max_bytes:
                    return LoadResult([], [LoadFailure(url, _too_large(len(body), max_bytes))])
            ctype = resp.headers.get("content-type", "")
    except httpx.HTTPError as exc:
        return LoadResult([], [LoadFailure(url, f"could not fetch: {exc.__class__.__name__}")])
    finally:
        if own:
            client.close()
    name = "page.html" if "html" in ctype or not ctype else ("page.json" if "json" in ctype else "page.txt")
    try:
        articles = _parse(name, bytes(body), default_id=_slug(re.sub(r"^https?://", "", url))[:80], source=url,
                          default_url=url)
    except _Bad as exc:
        return LoadResult([], [LoadFailure(url, str(exc))])
    return _unique_ids(LoadResult(articles, []))


def content_hash(article: Article) -> str:
    """sha256 over the article's id, text and metadata: any change makes a new hash."""
    payload = json.dumps([article.id, article.title, article.text, article.publisher, article.published,
                          article.url, article.language], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _load_file(file: Path, label: str, base: Path, max_bytes: int) -> LoadResult:
    try:
        resolved = file.resolve()
        if base not in resolved.parents and resolved != base:
            raise _Bad("a link that points outside the corpus folder")
        if file.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise _Bad(f"unsupported file type {file.suffix or '(none)'}; use .md, .txt, .html, .json or .jsonl")
        size = file.stat().st_size
        if size > max_bytes:
            raise _Bad(_too_large(size, max_bytes))
        data = file.read_bytes()
        stem = str(PurePosixPath(label).with_suffix(""))
        return LoadResult(_parse(file.name, data, default_id=_slug(stem), source=label), [])
    except _Bad as exc:
        return LoadResult([], [LoadFailure(label, str(exc))])
    except OSError as exc:
        return LoadResult([], [LoadFailure(label, f"cannot be read: {exc.strerror or exc}")])


def _parse(name: str, data: bytes, *, default_id: str, source: str, default_url: str = "") -> list[Article]:
    text = _decode(data)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in (".json", ".jsonl"):
        return _records(text, suffix, default_id, source)
    if suffix in (".html", ".htm"):
        return [_html(text, default_id, source, default_url)]
    return [_markdown(text, default_id, source, default_url)]


def _decode(data: bytes) -> str:
    if not data.strip():
        raise _Bad("empty file")
    if b"\x00" in data[:8192]:
        raise _Bad("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Bad(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    return text.removeprefix("\ufeff")


def _markdown(text: str, default_id: str, source: str, default_url: str) -> Article:
    meta: dict = {}
    body = text
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 2})" if mark is not None else ""
            raise _Bad(f"broken front matter{where}: {getattr(exc, 'problem', None) or exc}") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise _Bad("broken front matter: expected 'key: value' lines")
        meta = loaded or {}
        body = text[m.end():]
    elif text.startswith("---"):
        raise _Bad("broken front matter: no closing '---' line")
    if "title" not in meta:
        first = next((ln for ln in body.splitlines() if ln.strip()), "")
        meta["title"] = first.strip().lstrip("#").strip()
        body = body[body.index(first) + len(first):] if first else body
    return _article(meta, body, default_id, source, default_url)


def _html(text: str, default_id: str, source: str, default_url: str) -> Article:
    import trafilatura

    doc = trafilatura.bare_extraction(text, url=default_url or None, include_comments=False, with_metadata=True)
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        raise _Bad("no article text could be extracted from the HTML")
    meta = {"title": getattr(doc, "title", None) or "", "publisher": getattr(doc, "sitename", None) or "",
            "published": getattr(doc, "date", None) or "", "url": getattr(doc, "url", None) or default_url,
            "language": getattr(doc, "language", None) or "en"}
    return _article(meta, body, default_id, source, default_url)


def _records(text: str, suffix: str, default_id: str, source: str) -> list[Article]:
    try:
        rows = [json.loads(ln) for ln in text.splitlines() if ln.strip()] if suffix == ".jsonl" else json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Bad(f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
    rows = rows if isinstance(rows, list) else [rows]
    out, bad = [], []
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
            bad.append(f"record {n}: missing 'text'")
            continue
        rid = _slug(str(row["id"])) if row.get("id") else f"{default_id}-{n}"
        out.append(_article(row, row["text"], rid, f"{source}#{n}", ""))
    if bad and not out:
        raise _Bad("; ".join(bad[:3]))
    return out


def _article(meta: dict, body: str, default_id: str, source: str, default_url: str) -> Article:
    body = body.strip("\r\n")
    if not body.strip():
        raise _Bad("no article text after the front matter")
    published = meta.get("published") or ""
    if isinstance(published, dt.date | dt.datetime):
        published = published.isoformat()[:10]
    article = Article(
        id=_slug(str(meta["id"])) if meta.get("id") else default_id,
        title=str(meta.get("title") or default_id).strip(),
        text=body,
        publisher=str(meta.get("publisher") or ""),
        published=str(published),
        url=str(meta.get("url") or default_url),
        language=str(meta.get("language") or "en"),
        source=source,
    )
    return article.model_copy(update={"content_hash": content_hash(article)})


def _unique_ids(result: LoadResult) -> LoadResult:
    seen: dict[str, str] = {}
    kept: list[Article] = []
    failures = list(result.failures)
    for a in result.articles:
        if a.id in seen:
            failures.append(LoadFailure(a.source, f"duplicate id '{a.id}' (also in {seen[a.id]})"))
            continue
        seen[a.id] = a.source
        kept.append(a)
    return LoadResult(kept, failures)


def _slug(value: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._/-]+", "-", value).strip("-./").replace("/", "--")
    return slug[:120] or "article"


def _too_large(size: int, limit: int) -> str:
    return f"too large ({size / 1e6:.1f} MB > {limit / 1e6:.1f} MB)"
