"""Loading articles from files, folders, uploads and URLs, reporting every bad one by name.

Formats (``retrieval.formats``): ``.txt``/``.md`` with optional YAML front
matter, ``.html`` (main text extracted by trafilatura), ``.json``/``.jsonl``
records. Nothing here raises for bad input: each source that cannot be used
becomes a ``LoadFailure`` with a short reason, and everything else still loads.
Ids are stable (front matter / record ``id``, else derived from the path) and
unique within a ``LoadResult``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import httpx

from newsbot.models import Article
from retrieval.fetch_policy import FetchPolicy
from retrieval.fetching import DEFAULT_USER_AGENT, decode_page, fetch_page, too_large
from retrieval.formats import (
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    SUPPORTED_SUFFIXES,
    BadSource,
    content_hash,
    decode_text,
    parse_document,
    slugify,
)

__all__ = ["SUPPORTED_SUFFIXES", "LoadFailure", "LoadResult", "content_hash", "load_bytes", "load_paths", "load_url"]


@dataclass(frozen=True)
class LoadFailure:
    """A source that could not be loaded, and why, in words a moderator can act on."""

    source: str  # file path relative to the folder given, upload name, or URL
    reason: str


@dataclass
class LoadResult:
    """What loaded and what did not. Article ids are unique within one result."""

    articles: list[Article] = field(default_factory=list)
    failures: list[LoadFailure] = field(default_factory=list)

    def merge(self, other: LoadResult) -> LoadResult:
        """Both results together; an article whose id is already taken becomes a failure."""
        return _unique_ids(self.articles + other.articles, self.failures + other.failures)


def load_paths(paths: Sequence[Path], *, max_bytes: int = 5_000_000, root: Path | None = None) -> LoadResult:
    """Load files and folders (recursively, sorted; hidden files and folders skipped).

    Sources are named relative to the folder given (a file given directly: by
    its name) or, when ``root`` is set and the path is inside it, relative to
    ``root`` - so a file gets the same id whether its folder or the file itself
    is loaded. Links that resolve outside the folder (or ``root``) are refused.
    """
    articles: list[Article] = []
    failures: list[LoadFailure] = []
    seen: set[Path] = set()
    root_abs = Path(os.path.abspath(root)) if root is not None else None
    for given in paths:
        path = Path(given)
        label_base = _label_base(path, root_abs)
        if root_abs is not None and label_base == root_abs:
            boundary: Path | None = _resolved(root_abs)
        else:  # links inside a folder must stay in it; a file named directly is taken as given
            boundary = _resolved(Path(os.path.abspath(path))) if os.path.isdir(path) else None
        for item in _walk(path, label_base, boundary):
            if isinstance(item, LoadFailure):
                failures.append(item)
                continue
            file, label, resolved = item
            if resolved in seen:  # the same file reached twice (folder + file, or a link): load it once
                continue
            seen.add(resolved)
            parsed = _load_file(file, label, max_bytes)
            articles += parsed.articles
            failures += parsed.failures
    return _unique_ids(articles, failures)


def load_bytes(name: str, data: bytes, *, source: str | None = None, max_bytes: int = 5_000_000) -> LoadResult:
    """Load one uploaded file. Only the base name of ``name`` is used (it may be hostile); nothing is written."""
    base = _safe_base_name(name)
    label = source or base
    suffix = PurePosixPath(base).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return LoadResult([], [LoadFailure(label, _unsupported(suffix))])
    if len(data) > max_bytes:
        return LoadResult([], [LoadFailure(label, too_large(len(data), max_bytes))])
    return _parsed(label, suffix, data, default_id=slugify(PurePosixPath(base).stem))


def load_url(url: str, *, timeout: float = 20.0, max_bytes: int = 5_000_000, client: httpx.Client | None = None,
             policy: FetchPolicy | None = None, user_agent: str = DEFAULT_USER_AGENT) -> LoadResult:
    """Fetch ``url`` (http/https only, redirects followed) and extract its article; a given client stays open.

    ``policy`` says which addresses may be fetched (default: public ones only, see
    :mod:`retrieval.fetch_policy`); a given client's own transport decides instead.
    """
    label = url.strip()[:500]
    try:
        page = fetch_page(url, timeout=timeout, max_bytes=max_bytes, client=client, policy=policy,
                          user_agent=user_agent)
        text = decode_page(page)
    except BadSource as exc:
        return _failed(label, str(exc))
    return _parsed(label, page.kind, text, default_id=slugify(page.id_stem), default_url=page.final_url)


def _label_base(path: Path, root: Path | None) -> Path:
    """The folder that sources and default ids are relative to."""
    absolute = Path(os.path.abspath(path))
    if root is not None and (absolute == root or root in absolute.parents):
        return root
    return absolute if os.path.isdir(absolute) else absolute.parent


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def _walk(path: Path, label_base: Path, boundary: Path | None) -> Iterator[tuple[Path, str, Path] | LoadFailure]:
    """Files under ``path`` in sorted order as (path, label, resolved path), or failures.

    ``boundary`` is where links must stay (None: a file given directly may be a link anywhere).
    Iterative, so that however deep the folders go there is no recursion limit to hit.
    """
    pending: list[Iterator[Path]] = [iter([Path(os.path.abspath(path))])]
    top = True
    while pending:
        entry = next(pending[-1], None)
        if entry is None:
            pending.pop()
            continue
        found = _visit(entry, str(path) if top else None, label_base, boundary, top=top)
        top = False
        if isinstance(found, list):
            pending.append(iter(found))
        else:
            yield found


def _visit(absolute: Path, given: str | None, label_base: Path, boundary: Path | None, *,
           top: bool) -> list[Path] | tuple[Path, str, Path] | LoadFailure:
    """One entry: a folder's visible children, a regular file, or why it is refused."""
    label = given if given is not None else _label(absolute, label_base)
    is_link = os.path.islink(absolute)
    try:
        info = os.stat(absolute)
        resolved = absolute.resolve()
    except FileNotFoundError:
        return LoadFailure(label, "broken link (its target does not exist)" if is_link else "no such file or folder")
    except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop on Python 3.11
        return LoadFailure(label, f"cannot be read: {_os_reason(exc)}")
    if top and not stat.S_ISDIR(info.st_mode):
        label = _label(absolute, label_base)
    if boundary is not None and resolved != boundary and boundary not in resolved.parents:
        return LoadFailure(label, "a link that points outside the folder; refused")
    if stat.S_ISDIR(info.st_mode):
        if is_link and not top:
            return LoadFailure(label, "a link to a folder; links to folders are not followed")
        try:
            names = sorted(os.listdir(absolute))
        except OSError as exc:
            return LoadFailure(label, f"folder cannot be read: {_os_reason(exc)}")
        return [absolute / name for name in names if not name.startswith(".")]
    if stat.S_ISREG(info.st_mode):
        return absolute, label, resolved
    return LoadFailure(label, "not a regular file")


def _load_file(file: Path, label: str, max_bytes: int) -> LoadResult:
    suffix = file.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return _failed(label, _unsupported(suffix))
    try:
        size = os.stat(file).st_size
        if size > max_bytes:  # refused before reading a byte
            return _failed(label, too_large(size, max_bytes))
        with open(file, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return _failed(label, f"cannot be read: {_os_reason(exc)}")
    if len(data) > max_bytes:  # it grew after the size check
        return _failed(label, too_large(len(data), max_bytes))
    default_id = slugify(str(PurePosixPath(label).with_suffix("")))
    return _parsed(label, suffix, data, default_id=default_id)


def _parsed(label: str, kind: str, data: bytes | str, *, default_id: str, default_url: str = "") -> LoadResult:
    try:
        text = data if isinstance(data, str) else decode_text(data)
        parsed = parse_document(kind, text, default_id=default_id, source=label, default_url=default_url)
    except BadSource as exc:
        return _failed(label, str(exc))
    except Exception as exc:  # noqa: BLE001 - a parser bug on odd input must not stop the other files
        return _failed(label, f"could not be parsed ({exc.__class__.__name__})")
    return _unique_ids(parsed.articles, [LoadFailure(label, p) for p in parsed.problems])


def _unique_ids(articles: list[Article], failures: list[LoadFailure]) -> LoadResult:
    first_source: dict[str, str] = {}
    kept: list[Article] = []
    failures = list(failures)
    for article in articles:
        if article.id in first_source:
            failures.append(LoadFailure(article.source,
                                        f"duplicate id '{article.id}' (also in {first_source[article.id]})"))
            continue
        first_source[article.id] = article.source
        kept.append(article)
    return LoadResult(kept, failures)


def _safe_base_name(name: str) -> str:
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()[:200]
    return base if base not in ("", ".", "..") else "upload"


def _label(path: Path, base: Path) -> str:
    try:
        rel = path.relative_to(base).as_posix()
    except ValueError:
        return path.name or str(path)
    return rel if rel != "." else (path.name or ".")


def _failed(source: str, reason: str) -> LoadResult:
    return LoadResult([], [LoadFailure(source, reason)])


def _unsupported(suffix: str) -> str:
    shown = suffix or "(no suffix)"
    return f"unsupported file type {shown}; use {', '.join(sorted(MARKDOWN_SUFFIXES | HTML_SUFFIXES))}, .json or .jsonl"


def _os_reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
