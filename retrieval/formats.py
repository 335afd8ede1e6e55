"""Turning the bytes of one document into articles: Markdown/text, HTML, JSON and JSON Lines.

This module knows file *formats* only; where the bytes come from (folders,
uploads, URLs) is ``retrieval.loaders``. A document that cannot be used at all
raises ``BadSource`` with a short reason a moderator can act on; a JSON file
with some bad records returns the good ones plus one problem per bad record.
Article text is kept verbatim (only leading blank lines and trailing
whitespace are trimmed), because every quote must be an exact slice of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from newsbot.models import Article

MARKDOWN_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
RECORD_SUFFIXES = frozenset({".json", ".jsonl"})
SUPPORTED_SUFFIXES: frozenset[str] = MARKDOWN_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?:(.*?)\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_OPENING_FENCE = re.compile(r"\A---[ \t]*(?:\r?\n|\Z)")
_LEADING_BLANK_LINES = re.compile(r"(?:[^\S\n]*\n)*")
_FIELDS = ("id", "title", "publisher", "published", "url", "language")
_MAX_ID = 120


class BadSource(ValueError):
    """The whole document is unusable; ``str(exc)`` is the reason shown to people."""


@dataclass
class Parsed:
    """Articles read from one document, and the problems of records that were skipped."""

    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def content_hash(article: Article) -> str:
    """sha256 hex of a canonical JSON of id, title, text and metadata: any change gives a new hash.

    The feed an article came from counts too (only when it has one, so that other articles keep the
    hashes they had): an article that moves between the corpus folder and a feed is stored anew.
    """
    payload = {k: getattr(article, k) for k in (*_FIELDS, "text")}
    if article.feed:
        payload["feed"] = article.feed
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def slugify(value: str) -> str:
    """A stable id made of safe characters (``A-Z a-z 0-9 . _ -``); folders become ``--``.

    Letters outside ASCII that cannot be transliterated, and over-long values,
    get a short hash of the original so that different names stay different.
    """
    raw = value.strip()
    ascii_form = unicodedata.normalize("NFKD", raw)
    slug = re.sub(r"[^A-Za-z0-9._/-]+", "-", ascii_form)
    slug = re.sub(r"/+", "/", slug).strip("-./").replace("/", "--")
    lossy = any(ch.isalnum() and not ch.isascii() for ch in ascii_form)
    if slug and not lossy and len(slug) <= _MAX_ID:
        return slug
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    stem = slug[: _MAX_ID - 11].rstrip("-.")
    return f"{stem}-{digest}" if stem else f"article-{digest}"


def decode_text(data: bytes, *, charset: str | None = None) -> str:
    """The document as text: refuses empty, binary and non-UTF-8 data; drops a UTF-8 BOM."""
    if not data:
        raise BadSource("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadSource("not valid UTF-8 (it is UTF-16 text; save it as UTF-8)")
    if b"\x00" in data:
        raise BadSource("binary file (contains NUL bytes), not text")
    text: str | None = None
    if charset and codec_name(charset) not in (None, "utf-8"):
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadSource(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise BadSource("empty file (only whitespace)")
    return text


def codec_name(charset: str) -> str | None:
    """Python's canonical name of a charset label, or None when unknown."""
    import codecs

    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def parse_document(kind: str, text: str, *, default_id: str, source: str, default_url: str = "") -> Parsed:
    """Articles in ``text``; ``kind`` is a supported suffix (``.md``, ``.html``, ``.jsonl`` ...)."""
    if kind in RECORD_SUFFIXES:
        return parse_records(text, jsonl=kind == ".jsonl", default_id=default_id, source=source)
    if kind in HTML_SUFFIXES:
        return Parsed([parse_html(text, default_id=default_id, source=source, default_url=default_url)])
    return Parsed([parse_markdown(text, default_id=default_id, source=source, default_url=default_url)])


def parse_markdown(text: str, *, default_id: str, source: str, default_url: str = "") -> Article:
    """Plain text or Markdown with optional YAML front matter between ``---`` lines."""
    meta: dict[str, Any] = {}
    body = text
    match = _FRONT_MATTER.match(text)
    if match:
        meta = _front_matter(match.group(1) or "")
        body = text[match.end():]
    elif _OPENING_FENCE.match(text):
        raise BadSource("broken front matter: no closing '---' line")
    body = _trim(body)
    if not body.strip():
        raise BadSource("no article text after the front matter" if match else "empty file")
    if not _present(meta.get("title")):
        first, end = _first_line(body)
        rest = _trim(body[end:])
        meta["title"] = first.lstrip("#").strip()
        if rest.strip():
            body = rest
    return make_article(meta, body, default_id=default_id, source=source, default_url=default_url)


def parse_html(text: str, *, default_id: str, source: str, default_url: str = "") -> Article:
    """The main text and metadata of a web page, extracted by trafilatura (no scripts, menus or ads)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(text, url=default_url or None, with_metadata=True,
                                          include_comments=False, include_tables=True)
    except Exception as exc:  # noqa: BLE001 - trafilatura can fail on pathological markup; refuse that page
        raise BadSource(f"no text extracted from HTML ({exc.__class__.__name__})") from None
    body = getattr(doc, "text", None) or ""
    if not body.strip():
        raise BadSource("no text extracted from HTML")
    meta = {"title": getattr(doc, "title", None), "publisher": getattr(doc, "sitename", None),
            "published": getattr(doc, "date", None), "url": getattr(doc, "url", None),
            "language": getattr(doc, "language", None)}
    return make_article(meta, _trim(body), default_id=default_id, source=source, default_url=default_url)


def parse_records(text: str, *, jsonl: bool, default_id: str, source: str) -> Parsed:
    """JSON (one object or a list of objects) or JSON Lines; each bad record becomes one problem."""
    rows: list[tuple[int, Any]] = []
    problems: list[str] = []
    if jsonl:
        n = 0
        for line_no, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            n += 1
            try:
                rows.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                problems.append(f"record {n} (line {line_no}): not valid JSON ({exc.msg})")
            except RecursionError:
                problems.append(f"record {n} (line {line_no}): nested too deeply")
    else:
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadSource(f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
        except RecursionError:
            raise BadSource("not usable JSON: nested too deeply") from None
        if isinstance(loaded, dict):
            rows = [(1, loaded)]
        elif isinstance(loaded, list):
            rows = list(enumerate(loaded, 1))
        else:
            raise BadSource("JSON must be an object or a list of objects")
    if not rows and not problems:
        raise BadSource("no records")
    out = Parsed(problems=problems)
    for n, row in rows:
        try:
            out.articles.append(_record(row, n, default_id=default_id, source=source))
        except BadSource as exc:
            out.problems.append(f"record {n}: {exc}")
    out.problems.sort(key=_record_number)
    return out


def make_article(meta: dict[str, Any], body: str, *, default_id: str, source: str, default_url: str = "") -> Article:
    """An ``Article`` from metadata (unknown keys ignored) with its ``content_hash`` set."""
    values = {k: _scalar(k, meta.get(k)) for k in _FIELDS}
    _check_unicode("text", body)
    article = Article(
        id=slugify(values["id"]) if values["id"] else default_id,
        title=" ".join(values["title"].split()) or default_id,
        text=body,
        publisher=" ".join(values["publisher"].split()),
        published=values["published"].strip(),
        url=values["url"].strip() or default_url,
        language=values["language"].strip() or "en",
        source=source,
    )
    return article.model_copy(update={"content_hash": content_hash(article)})


def _front_matter(block: str) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else ""  # +1 for 1-based, +1 for the '---'
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BadSource(f"broken front matter: {where}{problem}") from None
    except RecursionError:
        raise BadSource("broken front matter: nested too deeply") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise BadSource("broken front matter: expected 'key: value' lines")
    meta = {str(k): v for k, v in loaded.items() if str(k) in _FIELDS}
    for key, value in meta.items():
        try:
            _scalar(key, value)
        except BadSource as exc:
            raise BadSource(f"broken front matter: {exc}") from None
    return meta


def _record(row: Any, n: int, *, default_id: str, source: str) -> Article:
    """One record; its url is its own (a feed's address is not the article's)."""
    if not isinstance(row, dict):
        raise BadSource("not a JSON object")
    text = row.get("text")
    if text is None:
        raise BadSource("missing 'text'")
    if not isinstance(text, str):
        raise BadSource("'text' must be a string")
    if "\x00" in text:
        raise BadSource("'text' contains NUL characters")
    body = _trim(text)
    if not body.strip():
        raise BadSource("'text' is empty")
    meta = {k: row.get(k) for k in _FIELDS}
    url = _scalar("url", meta["url"]).strip()
    if not _present(meta["id"]):
        meta["id"] = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url, flags=re.IGNORECASE) if url else f"{default_id}-{n}"
    if not _present(meta["title"]):
        first, _ = _first_line(body)
        meta["title"] = first if len(first) <= 100 else first[:99].rstrip() + "…"
    return make_article(meta, body, default_id=f"{default_id}-{n}", source=f"{source}#{n}")


def _scalar(key: str, value: Any) -> str:
    """A metadata value as text; nested structures are refused (they are never metadata)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        text = value.isoformat(timespec="minutes") if (value.hour, value.minute, value.second) != (0, 0, 0) \
            else value.date().isoformat()
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, str | int | float | bool):
        text = str(value)
    else:
        raise BadSource(f"'{key}' must be text, not {type(value).__name__}")
    _check_unicode(key, text)
    return text


def _check_unicode(key: str, text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadSource(f"'{key}' is not valid Unicode (lone surrogate)") from None


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _trim(body: str) -> str:
    """Drop leading blank lines and trailing whitespace; the result is a verbatim slice of ``body``."""
    return body[_LEADING_BLANK_LINES.match(body).end():].rstrip()


def _first_line(body: str) -> tuple[str, int]:
    """The first non-blank line (stripped) and the offset just after it."""
    offset = 0
    for line in body.splitlines(keepends=True):
        offset += len(line)
        if line.strip():
            return line.strip(), offset
    return "", offset


def _record_number(problem: str) -> int:
    match = re.match(r"record (\d+)", problem)
    return int(match.group(1)) if match else 0
