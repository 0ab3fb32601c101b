"""Bytes to text: BOMs, declared and detected encodings, and refusing binary data."""
from __future__ import annotations

import codecs
import re

from ..errors import InputError

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16")]
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any 8-bit or UTF-8 encoding (images, executables)."""
    sample = data[:8192]
    if not sample:
        return False
    if any(sample.startswith(b) for b, _ in _BOMS):
        return False
    if _looks_utf16(sample):
        return False
    return len(_CONTROL.findall(sample)) / len(sample) > 0.05


def _looks_utf16(sample: bytes) -> bool:
    # BOM-less UTF-16 text: every other byte NUL for ASCII-range text.
    if len(sample) < 4:
        return False
    evens, odds = sample[0::2], sample[1::2]
    return odds.count(0) > 0.4 * len(odds) and evens.count(0) < 0.05 * len(evens) or \
        evens.count(0) > 0.4 * len(evens) and odds.count(0) < 0.05 * len(odds)


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode text bytes; raises InputError for binary or undecodable data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if looks_binary(data):
        raise InputError("binary data, not text", code="binary")
    if _looks_utf16(data[:8192]):
        le = data[1:2] == b"\x00"
        return data.decode("utf-16-le" if le else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes  # a trafilatura dependency

    results = list(from_bytes(data[:200_000]))
    if not results or results[0].encoding is None:
        raise InputError("undecodable bytes: not UTF-8 and no other encoding fits", code="encoding")
    return data.decode(_pick_encoding(results), errors="replace")


# Several single-byte code pages often fit a short Western text equally well (cp1250,
# cp1257, cp775 ...). Among the equally good fits, windows-1252 wins: it is the web's
# default legacy encoding (WHATWG), and picking another turns "é" into "ķ".
_WESTERN = ("cp1252", "latin_1", "iso8859_15")


def _pick_encoding(results) -> str:
    least = min(m.chaos for m in results)
    tied = [m.encoding for m in results if m.chaos <= least + 0.01]
    for name in _WESTERN:
        if name in tied:
            return "cp1252" if name != "iso8859_15" else name
    return results[0].encoding
