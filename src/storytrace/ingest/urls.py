"""URLs: the outlet's registrable domain (offline) and unwrapping of archive captures."""
from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

# web.archive.org/web/20171114123456id_/https://www.bbc.com/news/...
_WAYBACK = re.compile(r"^https?://(?:web\.)?archive\.org/web/(\d{4,14})[a-z_]*/(.+)$", re.I)
# archive.today mirrors: archive.ph/2017.11.14-123456/https://... (short ids cannot be unwrapped)
_ARCHIVE_TODAY = re.compile(
    r"^https?://archive\.(?:today|ph|is|li|vn|fo|md)/(\d{4}\.\d{2}\.\d{2}-\d{6})/(.+)$", re.I)


@lru_cache(maxsize=1)
def _extractor():
    import tldextract
    # The bundled public-suffix snapshot only: never fetch the list at run time.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def registrable_domain(url: str | None) -> str | None:
    """``https://www.bbc.co.uk/news/x`` -> ``bbc.co.uk``; None when there is no host."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    ext = _extractor()(host)
    if ext.domain and ext.suffix:
        return f"{ext.domain}.{ext.suffix}".lower()
    return host.lower()


def unwrap_archive(url: str | None) -> tuple[str | None, str | None]:
    """(original URL, capture time ISO) for archive captures, else (url, None)."""
    if not url:
        return url, None
    m = _WAYBACK.match(url)
    if m:
        stamp, original = m.groups()
        return _fix_scheme(original), _parse_stamp(stamp.ljust(14, "0"), "%Y%m%d%H%M%S")
    m = _ARCHIVE_TODAY.match(url)
    if m:
        stamp, original = m.groups()
        return _fix_scheme(original), _parse_stamp(stamp, "%Y.%m.%d-%H%M%S")
    return url, None


def is_archive_host(url: str | None) -> bool:
    host = (urlsplit(url).hostname or "") if url else ""
    return host.endswith("archive.org") or bool(re.match(r"archive\.(today|ph|is|li|vn|fo|md)$", host))


def _fix_scheme(url: str) -> str:
    # The Wayback Machine sometimes collapses "https://" to "https:/".
    url = re.sub(r"^(https?):/+", r"\1://", url)
    return url if re.match(r"^https?://", url) else "http://" + url


def _parse_stamp(stamp: str, fmt: str) -> str | None:
    try:
        return datetime.strptime(stamp, fmt).isoformat()
    except ValueError:
        return None


def safe_href(url: str | None) -> str | None:
    """The URL if it is http(s) and may be rendered as a link, else None."""
    if not url:
        return None
    url = url.strip()
    return url if re.match(r"^https?://[^\s<>\"']+$", url, re.I) else None
