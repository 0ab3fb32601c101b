"""JSON text for the store and analysis.json: orjson (``storytrace.jsontext``) against the
standard library's C encoder, on the records of a real analysis, in one process.

    .venv/bin/python benchmarks/json_speed.py OUT/analysis.json [--repeat 3]

Every record list of the analysis is written record by record, as outputs.py and the store
do: unsorted (analysis.json) and with sorted keys (the store's JSON columns). Prints the
best-of-``--repeat`` seconds of each and their ratio, and checks that both texts read back
the same.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from storytrace.jsontext import dumps  # noqa: E402


def best(fn, records, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn(records)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("analysis")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = json.loads(Path(args.analysis).read_text(encoding="utf-8"))
    records = [r for value in data.values() if isinstance(value, list) for r in value]
    print(f"{len(records):,} records from {args.analysis}")
    print("| keys | json (C encoder) s | orjson s | json / orjson |")
    print("|---|---|---|---|")
    for sort_keys in (False, True):
        old = best(lambda rs: [json.dumps(r, ensure_ascii=False, sort_keys=sort_keys) for r in rs],
                   records, args.repeat)
        new = best(lambda rs: [dumps(r, sort_keys=sort_keys) for r in rs], records, args.repeat)
        print(f"| {'sorted' if sort_keys else 'as built'} | {old:.2f} | {new:.2f} | {old / new:.1f}x |")
    same = all(json.loads(dumps(r)) == json.loads(json.dumps(r, ensure_ascii=False)) for r in records)
    print("texts read back the same:", same)
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
