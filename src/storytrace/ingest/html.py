"""HTML to main text and metadata, with trafilatura; feed fragments to plain text."""
from __future__ import annotations

import re

from ..errors import InputError

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_TAG = re.compile(rb"<\s*[a-zA-Z]")


def declared_charset(data: bytes) -> str | None:
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "ignore") if m else None


# Elements that never nest (void) or that the parser closes by itself when the next one
# opens: counting them would call an ordinary page of unclosed <p> or <li> "deep".
_NO_DEPTH = frozenset("""area base br col embed hr img input link meta param source track wbr
    p li td th tr dt dd option optgroup thead tbody tfoot colgroup rb rt rp""".split())
_OPEN_OR_CLOSE = re.compile(r"<(/?)([a-zA-Z][\w:.-]{0,40})[^>]{0,2000}?(/?)>")


def check_nesting(html: str, max_depth: int) -> None:
    """Refuse pathologically nested markup before handing it to a parser.

    Counts open minus closed elements of every kind (custom ones too) cheaply; a page
    deeper than ``max_depth`` is refused with a clear error instead of being parsed
    (libxml2 silently drops everything below its own depth limit, losing the text).
    """
    depth = 0
    for m in _OPEN_OR_CLOSE.finditer(html, 0, 5_000_000):
        closing, tag, self_closing = m.groups()
        tag = tag.lower()
        if self_closing or tag in _NO_DEPTH:
            continue
        if closing:
            depth = max(depth - 1, 0)
            continue
        depth += 1
        if depth > max_depth:
            raise InputError(f"HTML nested deeper than {max_depth} elements; refused", "too-deep")


def extract_html(html: str, url: str | None, max_depth: int) -> dict:
    """Main text and metadata of a page: {text, title, author, published, source, url}."""
    import trafilatura  # heavy import, only when HTML arrives

    check_nesting(html, max_depth)
    # trafilatura's defaults (with its fallback extractors) except reader comments, which
    # are not the article: the faster no-fallback mode loses text on some real pages.
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, deduplicate=False,
        # Keep the time of day: ordering same-day copies needs it.
        date_extraction_params={"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True,
                                "extensive_search": False})
    if doc is None:
        raise InputError("no main text found in the HTML page", "no-text")
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    text = get("text") or ""
    if not text.strip():
        raise InputError("no main text found in the HTML page", "no-text")
    return {"text": text, "title": get("title"), "author": get("author"), "published": get("date"),
            "source": get("sitename"), "url": get("url") or url}


_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
          "article", "pre", "ul", "ol", "table"}


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed entry content), one paragraph per block."""
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    parts: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _BLOCK:
            parts.append("\n\n")
        if el.text and el.tag not in ("script", "style"):
            parts.append(el.text)
        if el.tail:
            parts.append(el.tail)
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parts))
    return re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip()
