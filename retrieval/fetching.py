"""Fetching over HTTP for ``load_url`` and the feeds: http(s) only, redirects followed hop by hop, size-capped.

Every way a fetch can go wrong becomes a ``BadSource`` with a short reason
(HTTP status, timeout, too large, unsupported content type, an address the
fetch policy refuses...), so that the loader reports it like any bad file. A
failure worth retrying later (a timeout, a refused connection, HTTP 429 or
5xx) is a :class:`TransientFetch`. The body is never written to disk.

Which addresses may be fetched is :mod:`retrieval.fetch_policy`'s decision,
made on every connection; this module follows redirects itself so that a
refusal after a redirect says where the redirect went.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

import httpx

from newsbot.settings import DEFAULT_USER_AGENT
from retrieval.fetch_policy import AddressRefused, FetchPolicy, guarded_client
from retrieval.formats import SUPPORTED_SUFFIXES, BadSource, decode_text

_ACCEPT = "text/html,application/xhtml+xml,text/markdown,text/plain,application/json;q=0.9,*/*;q=0.1"
MAX_REDIRECTS = 10
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class TransientFetch(BadSource):
    """A failure that may pass: a timeout, a connection that failed, HTTP 429 or 5xx (worth retrying later)."""


@dataclass(frozen=True)
class Fetched:
    """What a GET returned, after redirects: status, headers and (for a 2xx answer) the body."""

    status: int
    headers: httpx.Headers
    body: bytes
    url: str  # the final URL, after redirects


@dataclass(frozen=True)
class Page:
    """A fetched body and what is needed to parse it."""

    kind: str  # the parser, as a suffix: .html, .json, .jsonl, .md or .txt
    body: bytes
    final_url: str  # after redirects
    charset: str | None  # declared in the Content-Type header
    id_stem: str  # host, path and query of the URL asked for: the base of a stable id


def parse_url(url: str) -> httpx.URL:
    """``url`` as an http(s) URL with a host, or ``BadSource`` saying why it cannot be fetched."""
    try:
        target = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        raise BadSource("not a valid URL") from None
    if target.scheme not in ("http", "https") or not target.host:
        raise BadSource("only http:// and https:// URLs can be added")
    return target


def id_stem(url: httpx.URL) -> str:
    """Host, path and query of ``url``: the base of an article's stable id (the same page, the same id)."""
    return f"{url.host}{url.path}" + (f"?{url.query.decode()}" if url.query else "")


def fetch(client: httpx.Client, url: str, *, timeout: float, max_bytes: int,
          headers: Mapping[str, str] | None = None,
          check: Callable[[httpx.Response], None] | None = None) -> Fetched:
    """GET ``url``, following up to :data:`MAX_REDIRECTS` redirects one by one.

    Returns any final status; the body is read (up to ``max_bytes``) only for a 2xx answer, after
    ``check`` has seen its headers (it raises ``BadSource`` to refuse one, e.g. an image, unread).
    Raises ``BadSource`` (``TransientFetch`` for timeouts and failed connections, ``AddressRefused``
    for an address the client's policy refuses).
    """
    target = parse_url(url)
    for hop in range(MAX_REDIRECTS + 1):
        try:
            with client.stream("GET", target, headers=dict(headers or {}), timeout=timeout,
                               follow_redirects=False) as resp:
                location = resp.headers.get("location")
                if resp.status_code in _REDIRECTS and location:
                    target = _next_hop(resp.url, location)
                    continue
                if not 200 <= resp.status_code < 300:
                    return Fetched(resp.status_code, resp.headers, b"", str(resp.url))
                if check is not None:
                    check(resp)
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise BadSource(too_large(int(declared), max_bytes))
                body = bytearray()
                for part in resp.iter_bytes():
                    body += part
                    if len(body) > max_bytes:
                        raise BadSource(too_large(len(body), max_bytes))
                return Fetched(resp.status_code, resp.headers, bytes(body), str(resp.url))
        except AddressRefused as exc:
            if hop:
                raise AddressRefused(f"redirected to {target}; {exc}") from None
            raise
        except httpx.TimeoutException:
            raise TransientFetch(f"timed out after {timeout:g} s") from None
        except httpx.ConnectError:
            raise TransientFetch(f"could not connect to {target.host}") from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise TransientFetch(f"could not fetch ({exc.__class__.__name__})") from None
    raise BadSource("too many redirects")


def _next_hop(current: httpx.URL, location: str) -> httpx.URL:
    try:
        target = current.join(location)
    except (httpx.InvalidURL, ValueError):
        raise BadSource("redirected to an address that is not a valid URL") from None
    if target.scheme not in ("http", "https") or not target.host:
        raise BadSource("redirected to an address that is not http:// or https://")
    return target


def status_failure(status: int) -> BadSource:
    """The failure for an HTTP error status; 429 and 5xx may pass (:class:`TransientFetch`)."""
    reason = f"the server answered HTTP {status}"
    return TransientFetch(reason) if status == 429 or status >= 500 else BadSource(reason)


def fetch_page(url: str, *, timeout: float, max_bytes: int, client: httpx.Client | None = None,
               policy: FetchPolicy | None = None, user_agent: str = DEFAULT_USER_AGENT) -> Page:
    """GET ``url`` as an article; raises ``BadSource`` with the reason when it cannot be used.

    Without ``client``, one is made that connects only where ``policy`` allows (default: public
    addresses only); a given client's own transport decides where it connects.
    """
    target = parse_url(url)
    own = client is None
    http = client or guarded_client(policy or FetchPolicy(), timeout=timeout, user_agent=user_agent)
    kinds: list[str] = []

    def readable(resp: httpx.Response) -> None:
        media_type = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        kind = kind_for(media_type, resp.url.path)
        if kind is None:
            raise BadSource(f"unsupported content type {media_type}")
        kinds.append(kind)

    try:
        got = fetch(http, str(target), timeout=timeout, max_bytes=max_bytes, check=readable,
                    headers={"Accept": _ACCEPT})
    finally:
        if own:
            http.close()
    if got.status >= 300:
        raise status_failure(got.status)
    charset = _charset(got.headers)
    return Page(kind=kinds[-1], body=got.body, final_url=got.url, charset=charset, id_stem=id_stem(target))


def _charset(headers: httpx.Headers) -> str | None:
    """The charset the Content-Type header declares, if any."""
    for param in headers.get("content-type", "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip("\"'"):
            return value.strip().strip("\"'")
    return None


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
