"""Opt-in URL fetching (``--fetch``): http(s) only, public addresses only, bounded.

Why so strict: a URL in an input list comes from a stranger. Without checks it can make
storytrace read cloud metadata (169.254.169.254), an admin page on the local network, or
a file (``file://``). So every hop is vetted: the scheme must be http or https, the host
is resolved once, every address it resolves to must be public, and the connection goes
to the vetted address itself (a second DNS answer cannot swap in a private one). Size,
time and redirects are capped by settings; the body is never decompressed by us
(``Accept-Encoding: identity``), so a gzip bomb cannot grow in memory.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from ..errors import InputError
from ..settings import Settings

ALLOWED_SCHEMES = ("http", "https")
USER_AGENT = "storytrace (+https://github.com/storytrace; opt-in fetch)"


def fetch_url(url: str, settings: Settings, allow_private: bool = False) -> tuple[bytes, str, str]:
    """GET one URL: (body bytes, final URL after redirects, content type).

    Raises InputError (code ``fetch-refused`` for a refused scheme or address,
    ``fetch-failed`` for network errors, ``too-large``, ``timeout``). ``allow_private``
    lets loopback addresses through (and nothing else: private, link-local and reserved
    stay refused); only tests against a local server on 127.0.0.1 use it.
    """
    deadline = time.monotonic() + settings.fetch_timeout
    current = url
    for _hop in range(settings.fetch_max_redirects + 1):
        status, headers, body = _get_once(current, settings, deadline, allow_private)
        if status in (301, 302, 303, 307, 308):
            location = headers.get("location")
            if not location:
                raise InputError(f"{current}: redirect without a Location header", "fetch-failed")
            current = urljoin(current, location.strip())
            continue
        if not 200 <= status < 300:
            raise InputError(f"{current}: HTTP status {status}", "fetch-failed")
        return body, current, headers.get("content-type", "")
    raise InputError(f"{url}: more than {settings.fetch_max_redirects} redirects; refused", "fetch-refused")


def vet_address(host: str, port: int, allow_private: bool = False) -> str:
    """Resolve ``host`` and return an address to connect to, refusing non-public ones.

    Every address the name resolves to must be public: a name that resolves to both a
    public and a private address is refused, not half-trusted.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"{host}: cannot resolve host ({exc})", "fetch-failed") from exc
    addresses = sorted({info[4][0] for info in infos})
    if not addresses:
        raise InputError(f"{host}: resolves to no address", "fetch-failed")
    for address in addresses:
        reason = non_public_reason(address)
        if reason and not (allow_private and reason == "loopback"):
            raise InputError(f"{host} resolves to {address}, a {reason} address; refused", "fetch-refused")
    return addresses[0]


def non_public_reason(address: str) -> str | None:
    """Why an IP address must not be fetched from (None when it is public)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    for reason, flag in (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
                         ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                         ("private", ip.is_private), ("reserved", ip.is_reserved)):
        if flag:
            return reason
    if not ip.is_global:
        return "non-global"  # shared address space (100.64/10) and the like
    return None


def _get_once(url: str, settings: Settings, deadline: float, allow_private: bool):
    parts = _checked_parts(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise InputError(f"{url}: over the {settings.fetch_timeout}s fetch time limit", "timeout")
    address = vet_address(host, port, allow_private)
    conn_cls = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    conn = conn_cls(host, port, address, timeout=min(remaining, settings.fetch_timeout))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("GET", target, headers={"Host": parts.netloc.rsplit("@", 1)[-1],
                                             "User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                                             "Connection": "close"})
        resp = conn.getresponse()
        headers = {k.lower(): v for k, v in resp.getheaders()}
        if resp.status in (301, 302, 303, 307, 308):
            return resp.status, headers, b""
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > settings.fetch_max_bytes:
            raise InputError(f"{url}: {declared} bytes, over the {settings.fetch_max_bytes}-byte fetch limit",
                             "too-large")
        body = _read_bounded(resp, url, settings, deadline)
        return resp.status, headers, body
    except (OSError, http.client.HTTPException) as exc:
        if isinstance(exc, (socket.timeout, TimeoutError)):
            raise InputError(f"{url}: over the {settings.fetch_timeout}s fetch time limit", "timeout") from exc
        raise InputError(f"{url}: fetch failed ({exc})", "fetch-failed") from exc
    finally:
        conn.close()


def _checked_parts(url: str):
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise InputError(f"{url}: not a valid URL ({exc})", "fetch-refused") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise InputError(f"{url}: only http and https URLs are fetched; refused", "fetch-refused")
    if not parts.hostname:
        raise InputError(f"{url}: URL has no host", "fetch-refused")
    if parts.username or parts.password:
        raise InputError(f"{url}: URLs with credentials are not fetched; refused", "fetch-refused")
    return parts


def _read_bounded(resp, url: str, settings: Settings, deadline: float) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        if time.monotonic() > deadline:
            raise InputError(f"{url}: over the {settings.fetch_timeout}s fetch time limit", "timeout")
        chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > settings.fetch_max_bytes:
            raise InputError(f"{url}: body over the {settings.fetch_max_bytes}-byte fetch limit", "too-large")
        chunks.append(chunk)


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the vetted address, whatever DNS says now."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """TLS to the vetted address, with the certificate checked against the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


_TYPE_SUFFIX = (("html", ".html"), ("rss", ".rss"), ("atom", ".atom"), ("xml", ".xml"),
                ("json", ".json"), ("csv", ".csv"), ("warc", ".warc"), ("text/plain", ".txt"))


def format_name_for(final_url: str, content_type: str) -> str:
    """A file name whose suffix tells the readers the format of a fetched body."""
    ctype = content_type.split(";", 1)[0].strip().lower()
    for marker, suffix in _TYPE_SUFFIX:
        if marker in ctype:
            return "fetched" + suffix
    path = urlsplit(final_url).path.lower()
    return "fetched" + (path[path.rfind("."):] if "." in path.rsplit("/", 1)[-1] else ".html")


def looks_like_url(raw: str) -> bool:
    return "://" in raw[:20] and not raw.startswith("/")
