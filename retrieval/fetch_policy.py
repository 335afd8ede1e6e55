"""Which addresses newsbot may fetch from: never a loopback, private, link-local or metadata address, unless
the operator lists the host in ``NEWSBOT_FETCH_ALLOW_HOSTS``.

The bot fetches what moderators name (``/add url:``, feeds) and every page a feed links, from inside the
operator's network. Without a rule, ``http://169.254.169.254/…`` would read the cloud's credentials and
``http://127.0.0.1:8000/`` the Chroma server. The rule is enforced where the connection is made: the
network layer of the httpx transport (:class:`GuardedBackend`) resolves the host once, checks every
address it resolves to, and connects only to an address it checked. So a URL written with an address, a
DNS name that resolves to a private address (``localhost``, an intranet name, ``2130706433``), a redirect
to either, and a name whose answer changes between a check and the connection are refused alike, on
every hop. A host the operator lists is connected to whatever it resolves to (a test server, an intranet
feed). The CLI may fetch a URL its user types without the rule (:meth:`FetchPolicy.unrestricted`): that
user already has the machine.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpcore
import httpx

from retrieval.formats import BadSource

if TYPE_CHECKING:
    from newsbot.settings import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Cloud instance-metadata services (AWS, ECS, GCP and Azure share 169.254.169.254; Alibaba; Azure's
#: wire server; AWS over IPv6). Most are also link-local or private; they are named for a clearer reason.
METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "100.100.100.200", "168.63.129.16", "fd00:ec2::254"))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(BadSource):
    """A host that resolves to an address newsbot does not fetch from; ``str(exc)`` says which and why."""


def refusal(address: IPAddress) -> str | None:
    """What kind of address this is when it may not be fetched ("a loopback address"); None for a public one.

    IPv6 forms that carry an IPv4 address (``::ffff:127.0.0.1``, 6to4, NAT64) are judged by that address.
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return refusal(embedded)
    if address in METADATA:
        return "a cloud metadata address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_private:
        return "a private address"
    if address.is_multicast or address.is_reserved or not address.is_global:
        return "not a public address"
    return None


@dataclass(frozen=True)
class FetchPolicy:
    """Where fetches may connect: public addresses, and any address of the hosts listed in ``allow_hosts``.

    ``restricted=False`` connects anywhere (the CLI fetching what its own user typed).
    """

    allow_hosts: frozenset[str] = frozenset()
    restricted: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        """The policy for everything the bot and the feeds fetch: ``NEWSBOT_FETCH_ALLOW_HOSTS`` allowed."""
        return cls(frozenset(_host_key(h) for h in settings.fetch_allow_hosts if h.strip()))

    @classmethod
    def unrestricted(cls) -> FetchPolicy:
        """No address refused: for a URL the CLI's user typed on the machine itself."""
        return cls(restricted=False)

    def allows_host(self, host: str) -> bool:
        """True when ``host`` is connected to whatever it resolves to (listed, or no restriction)."""
        return not self.restricted or _host_key(host) in self.allow_hosts

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for ``host``: resolved once, each checked.

        Raises :class:`AddressRefused` when every address ``host`` resolves to is refused (addresses
        that are refused are never connected to, even when others are public), and
        ``httpcore.ConnectError`` when the name does not resolve.
        """
        if self.allows_host(host):
            return [host]
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"could not resolve {host}: {exc}") from None
        allowed: list[str] = []
        refused: list[tuple[str, str]] = []
        for address in dict.fromkeys(str(info[4][0]) for info in found):
            why = refusal(ipaddress.ip_address(address))
            if why is None:
                allowed.append(address)
            else:
                refused.append((address, why))
        if allowed:
            return allowed
        address, why = refused[0] if refused else ("no address", "not a public address")
        raise AddressRefused(refused_text(host, address, why))


def refused_text(host: str, address: str, why: str) -> str:
    """The reason shown for a refused host, with what the operator can do about it."""
    plain_host = host.strip("[]")
    said = f"{plain_host} is {why}" if plain_host == address else f"{plain_host} resolves to {address}, {why}"
    return f"refused: {said}; newsbot fetches such an address only if NEWSBOT_FETCH_ALLOW_HOSTS lists {plain_host}"


def _host_key(host: str) -> str:
    """A host as compared with the allow list: lower case, no brackets, no trailing dot."""
    return host.strip().strip("[]").rstrip(".").lower()


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's network backend with :class:`FetchPolicy` applied to every TCP connection it opens."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        """Connect to the first checked address of ``host`` that answers (TLS still names ``host``)."""
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in self.policy.addresses(host, port):
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # addresses() returns at least one address or raises
        raise failure

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        raise AddressRefused("refused: fetches never use a Unix socket")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport over a :class:`GuardedBackend`, ignoring proxy variables from the environment.

    httpx does not take a network backend, so the connection pool it built is replaced by one that has it
    (same TLS settings and limits). A proxy would resolve names itself, past the check: none is used.
    """

    def __init__(self, policy: FetchPolicy, *, limits: httpx.Limits | None = None) -> None:
        limits = limits or httpx.Limits(max_connections=10, max_keepalive_connections=5)
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False), network_backend=GuardedBackend(policy),
            max_connections=limits.max_connections, max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry)


def guarded_client(policy: FetchPolicy, *, timeout: float, user_agent: str) -> httpx.Client:
    """An httpx client that connects only where ``policy`` allows, names newsbot, and follows no redirect itself
    (:func:`retrieval.fetching.fetch` follows them hop by hop, so a refusal can name the redirect)."""
    return httpx.Client(transport=GuardedTransport(policy), timeout=timeout, follow_redirects=False,
                        headers={"User-Agent": user_agent})
