"""Fetching one web page for ``load_url``: http(s) only, redirects followed, size-capped.

Every way a fetch can go wrong becomes a ``BadSource`` with a short reason
(HTTP status, timeout, too large, unsupported content type...), so that the
loader reports it like any bad file. The body is never written to disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

import httpx

from retrieval.formats import SUPPORTED_SUFFIXES, BadSource, decode_text

_ACCEPT = "text/html,application/xhtml+xml,text/markdown,text/plain,application/json;q=0.9,*/*;q=0.1"


@dataclass(frozen=True)
class Page:
    """A fetched body and what is needed to parse it."""

    kind: str  # the parser, as a suffix: .html, .json, .jsonl, .md or .txt
    body: bytes
    final_url: str  # after redirects
    charset: str | None  # declared in the Content-Type header
    id_stem: str  # host, path and query of the URL asked for: the base of a stable id


def fetch_page(url: str, *, timeout: float, max_bytes: int, client: httpx.Client | None = None) -> Page:
    """GET ``url``; raises ``BadSource`` with the reason when it cannot be used."""
    try:
        target = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        raise BadSource("not a valid URL") from None
    if target.scheme not in ("http", "https") or not target.host:
        raise BadSource("only http:// and https:// URLs can be added")
    own = client is None
    http = client or httpx.Client(timeout=timeout)
    try:
        with http.stream("GET", target, follow_redirects=True, timeout=timeout,
                         headers={"Accept": _ACCEPT}) as resp:
            if resp.status_code >= 400:
                raise BadSource(f"the server answered HTTP {resp.status_code}")
            media_type = resp.headers.get("content-type", "").split(";")[0].strip().lower()
            kind = kind_for(media_type, resp.url.path)
            if kind is None:
                raise BadSource(f"unsupported content type {media_type}")
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise BadSource(too_large(int(declared), max_bytes))
            body = bytearray()
            for part in resp.iter_bytes():
                body += part
                if len(body) > max_bytes:
                    raise BadSource(too_large(len(body), max_bytes))
            final_url, charset = str(resp.url), resp.charset_encoding
    except httpx.TimeoutException:
        raise BadSource(f"timed out after {timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise BadSource("too many redirects") from None
    except httpx.UnsupportedProtocol:
        raise BadSource("redirected to an address that is not http:// or https://") from None
    except httpx.ConnectError:
        raise BadSource(f"could not connect to {target.host}") from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise BadSource(f"could not fetch ({exc.__class__.__name__})") from None
    finally:
        if own:
            http.close()
    stem = f"{target.host}{target.path}" + (f"?{target.query.decode()}" if target.query else "")
    return Page(kind=kind, body=bytes(body), final_url=final_url, charset=charset, id_stem=stem)


def decode_page(page: Page) -> str:
    """The body as text: the declared charset, else UTF-8, else (HTML) trafilatura's detection from the page."""
    if page.charset is not None or page.kind != ".html":
        return decode_text(page.body, charset=page.charset)
    try:
        return decode_text(page.body)
    except BadSource as exc:
        if "not valid UTF-8 (byte" not in str(exc):
            raise
    from trafilatura.utils import decode_file

    return decode_text(decode_file(page.body).encode("utf-8", "replace"))


def kind_for(media_type: str, url_path: str) -> str | None:
    """Which parser a body needs, from its content type (and the URL's suffix for plain text)."""
    suffix = PurePosixPath(url_path).suffix.lower()
    if media_type in ("text/html", "application/xhtml+xml"):
        return ".html"
    if media_type in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        return ".jsonl"
    if media_type == "application/json" or media_type.endswith("+json"):
        return ".jsonl" if suffix == ".jsonl" else ".json"
    if media_type in ("text/markdown", "text/x-markdown"):
        return ".md"
    if media_type == "text/plain":
        return suffix if suffix in SUPPORTED_SUFFIXES else ".txt"
    if not media_type:
        return suffix if suffix in SUPPORTED_SUFFIXES else ".html"
    return None


def too_large(size: int, limit: int) -> str:
    """The reason for refusing ``size`` bytes over ``limit``, in readable units."""
    return f"too large ({_amount(size)} > {_amount(limit)})"


def _amount(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} MB"
    return f"{n / 1e3:.1f} KB" if n >= 1_000 else f"{n} bytes"
