"""Deterministic ids: blake2b over canonical fields, never Python's hash()."""
from __future__ import annotations

import hashlib


def digest(*parts: object, size: int = 8) -> str:
    """Hex digest of the parts, joined unambiguously (a NUL-free separator per part)."""
    h = hashlib.blake2b(digest_size=size)
    for part in parts:
        data = ("" if part is None else str(part)).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def make_id(prefix: str, *parts: object) -> str:
    """A short stable id such as ``a-3f2c...`` for the given canonical parts."""
    return f"{prefix}-{digest(*parts)}"


def content_hash(*parts: object) -> str:
    return digest(*parts, size=16)


def text_key(text: str) -> bytes:
    """A 16-byte digest that stands for ``text`` in a dict key or set, where the text
    itself would keep the whole string alive."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
