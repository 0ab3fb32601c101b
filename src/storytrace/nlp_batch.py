"""Run a function over many items with their spaCy calls batched across the items.

The per-article stages ask spaCy for a text or two at a time, and spaCy costs about twice
as much per text that way as in batches of dozens. ``map_batched`` runs each item in its own
greenlet; when the item's code calls ``nlp.tag``, the request goes to the hub (the caller of
``map_batched``) and the greenlet pauses. Once every item has paused or finished, the hub
tags each pipeline's queued texts together and resumes every greenlet with its own docs,
until all are done. Results and the exception raised are those of a loop over the items.
"""
from __future__ import annotations

from functools import partial

from greenlet import getcurrent, greenlet


class _Item(greenlet):
    """One item's greenlet: ``nlp.tag`` called in it waits for the hub's batch."""


def in_batch() -> bool:
    """Whether this code runs under ``map_batched`` (per greenlet, so per thread too)."""
    return isinstance(getcurrent(), _Item)


def wait_for_docs(texts: list[str], exclude: tuple[str, ...]) -> list:
    """The docs of ``tag(texts, exclude)``, from the hub's next batch."""
    return getcurrent().parent.switch((tuple(exclude), list(texts)))


def map_batched(fn, items: list) -> list:
    """``[fn(item) for item in items]``, with the items' ``nlp.tag`` calls batched."""
    from .nlp import tag_now

    items = list(items)
    tasks = [_Item(fn) for _ in items]  # their parent is this greenlet, the hub
    results: list = [None] * len(items)
    failed: tuple[int, Exception] | None = None  # the first item, in order, that raised
    ready = [(i, partial(g.switch, item)) for i, (g, item) in enumerate(zip(tasks, items))]
    while ready:
        queued: dict[tuple, list[tuple[int, list[str]]]] = {}  # exclude -> (item, texts)
        for i, resume in ready:
            if failed is not None and i > failed[0]:
                continue  # a loop would have stopped before this item
            try:
                got = resume()
            except Exception as exc:
                failed = (i, exc)
                continue
            if tasks[i].dead:
                results[i] = got
            else:
                queued.setdefault(got[0], []).append((i, got[1]))
        ready = []
        for exclude, requests in queued.items():
            ready.extend(_answer(requests, exclude, tasks, tag_now))
    if failed is not None:
        raise failed[1]
    return results


def _answer(requests, exclude, tasks, tag_now) -> list:
    """(item, resume) for each request: all tagged in one ``tag_now``; if that raises,
    each alone, and the error goes to the item that asked, as a direct call raises it."""
    try:
        docs = tag_now([t for _, texts in requests for t in texts], exclude)
    except Exception:
        out = []
        for i, texts in requests:
            try:
                out.append((i, partial(tasks[i].switch, tag_now(texts, exclude))))
            except Exception as exc:
                out.append((i, partial(tasks[i].throw, type(exc), exc, exc.__traceback__)))
        return out
    out, at = [], 0
    for i, texts in requests:
        out.append((i, partial(tasks[i].switch, docs[at:at + len(texts)])))
        at += len(texts)
    return out
