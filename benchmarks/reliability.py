"""Reliability and security (issue 9): what the input guards cost, as ratios in one process.

    python benchmarks/reliability.py [--repeat 5]

1. The HTML nesting check vs trafilatura's extraction of the same pages (the guard runs
   before every extraction, so its cost must be a small fraction of it).
2. Decoding with the binary/encoding guards vs a bare ``bytes.decode("utf-8")``.
3. Language detection for 2,000 copies of one wire story, cached vs uncached.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "demo" / "corpus"


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    import trafilatura

    from storytrace.ingest.decode import decode_bytes
    from storytrace.ingest.html import check_nesting
    from storytrace.ingest.normalize import _classify, detect_language

    pages = [p.read_text(encoding="utf-8") for p in sorted(DEMO.glob("*.html"))]
    raw = [p.encode("utf-8") for p in pages]
    extract = best_of(lambda: [trafilatura.bare_extraction(p, fast=True, with_metadata=True) for p in pages],
                      args.repeat)
    guard = best_of(lambda: [check_nesting(p, 2000) for p in pages], args.repeat)
    print(f"nesting check: {guard * 1e3:.2f} ms vs extraction {extract * 1e3:.1f} ms for {len(pages)} pages "
          f"-> {guard / extract:.3%} of extraction")

    plain = best_of(lambda: [r.decode("utf-8") for r in raw], args.repeat)
    guarded = best_of(lambda: [decode_bytes(r) for r in raw], args.repeat)
    print(f"decode with guards: {guarded / plain:.1f}x a bare utf-8 decode ({guarded * 1e6:.0f} us for "
          f"{sum(map(len, raw)) // 1024} KiB)")

    story = ("Rescue teams in Port Ellery searched the harbour on Tuesday after a fishing boat sank "
             "with six crew aboard. The coastguard said two men were pulled alive from the water.")
    copies = [story] * 2000

    def uncached():
        for text in copies:
            _classify.cache_clear()
            detect_language(text)

    def cached():
        _classify.cache_clear()
        for text in copies:
            detect_language(text)

    slow, fast = best_of(uncached, 1), best_of(cached, args.repeat)
    print(f"language detection, 2,000 copies: cached {fast * 1e3:.1f} ms vs uncached {slow * 1e3:.0f} ms "
          f"-> {slow / fast:.0f}x faster")


if __name__ == "__main__":
    main()
