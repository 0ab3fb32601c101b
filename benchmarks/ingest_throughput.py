"""Ingest throughput and extraction quality vs plain trafilatura.extract, in one run.

    python benchmarks/ingest_throughput.py [N_PAGES]    # default 10000

Generates N HTML news pages (known main text), then measures on the same pages:
  * baseline: ``trafilatura.extract(html)`` with its defaults, page by page;
  * storytrace: the whole ingest (read, extract, normalise, language, boilerplate, SQLite + FTS5),
    in one process and with the records built on every core (``workers``), whose stores must match;
and word-level precision/recall/F1 of each output against the known article text
(storytrace's text minus its boilerplate spans). Also ingests the demo corpus.
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import corpus, page  # noqa: E402

from storytrace.engine.dump import canonical_dump  # noqa: E402
from storytrace.ingest import ingest  # noqa: E402
from storytrace.settings import Settings  # noqa: E402
from storytrace.store import Store  # noqa: E402
from storytrace.text import mask_spans  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "demo" / "corpus"


def words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    p, g = words(pred), words(gold)
    hit = sum((p & g).values())
    precision = hit / max(1, sum(p.values()))
    recall = hit / max(1, sum(g.values()))
    return precision, recall, 2 * precision * recall / max(1e-9, precision + recall)


def timed_ingest(inputs, db: Path, workers: int = 1) -> tuple[float, int]:
    with Store(db) as store:
        run = store.begin_run("bench", [str(i) for i in inputs])
        t = time.perf_counter()
        report = ingest([str(i) for i in inputs], store, run, Settings(), workers=workers)
        elapsed = time.perf_counter() - t
        store.finish_run(run, "ok")
    return elapsed, report.added


def main(n: int) -> None:
    import trafilatura

    arts = corpus(n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for a in arts:
            (folder / f"{a['id']}.html").write_text(page(a), encoding="utf-8")

        t = time.perf_counter()
        baseline = {}
        for a in arts:
            baseline[a["id"]] = trafilatura.extract((folder / f"{a['id']}.html").read_text(encoding="utf-8")) or ""
        base_s = time.perf_counter() - t

        ours_s, added = timed_ingest([folder], Path(tmp) / "s.db")
        cores = os.cpu_count() or 1
        par_s, _ = timed_ingest([folder], Path(tmp) / "par.db", workers=cores)
        same = canonical_dump(Path(tmp) / "s.db") == canonical_dump(Path(tmp) / "par.db")
        with Store(Path(tmp) / "s.db") as store:
            ours = {Path(x.origin).stem: mask_spans(x.text, x.boilerplate_spans) for x in store.iter_articles()}
        demo_s, demo_n = timed_ingest([DEMO], Path(tmp) / "demo.db")

    gold = {a["id"]: a["title"] + "\n" + a["text"] for a in arts}
    q_base = [prf(baseline[k], gold[k]) for k in gold]
    q_ours = [prf(ours.get(k, ""), gold[k]) for k in gold]
    mean = lambda rows, i: sum(r[i] for r in rows) / len(rows)  # noqa: E731
    print(f"pages: {n}  (stored {added})")
    print(f"{'':28}{'articles/s':>12}{'precision':>11}{'recall':>9}{'F1':>8}")
    print(f"{'trafilatura.extract (plain)':28}{n / base_s:12.1f}{mean(q_base, 0):11.4f}{mean(q_base, 1):9.4f}{mean(q_base, 2):8.4f}")
    print(f"{'storytrace ingest (full)':28}{n / ours_s:12.1f}{mean(q_ours, 0):11.4f}{mean(q_ours, 1):9.4f}{mean(q_ours, 2):8.4f}")
    print(f"{f'storytrace ingest, {cores} workers':28}{n / par_s:12.1f}   (stores identical: {same})")
    print(f"ratio storytrace/plain extract speed: {base_s / ours_s:.2f} (one process), {base_s / par_s:.2f} ({cores} workers)")
    print(f"demo corpus: {demo_n} articles in {demo_s:.2f}s = {demo_n / demo_s:.1f} articles/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
