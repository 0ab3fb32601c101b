"""Page-load time of a 500-article story: in the web app (server time, and a real headless
Chromium load with the interactive graph drawn) and as a static dossier.

Speed is reported as ratios to a baseline measured in the same process: the server's
answer to a trivial request (the stylesheet), and ``json.dumps`` of the analysis for
writing the dossier files. Usage: ``python benchmarks/web_pageload.py [N_ARTICLES]``.
"""
from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from storytrace.report import write_reports  # noqa: E402
from storytrace.report.sample import sample_analysis  # noqa: E402
from test_web_support import build_store, running_server  # noqa: E402


def timed(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def browser_load(url: str) -> dict | None:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    profile = tempfile.mkdtemp()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,1800", f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    d = webdriver.Chrome(service=Service(driver), options=opts)
    try:
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            d.get(url)
            WebDriverWait(d, 60).until(
                lambda x: x.execute_script("return document.getElementById('cy').getAttribute('data-rendered')"))
            graph_drawn = time.perf_counter() - t
            nav = d.execute_script("var n = performance.getEntriesByType('navigation')[0];"
                                   "return [n.responseEnd, n.domContentLoadedEventEnd, n.loadEventEnd];")
            runs.append((nav[0] / 1000, nav[1] / 1000, nav[2] / 1000, graph_drawn))
        return {k: statistics.median(r[i] for r in runs) for i, k in
                enumerate(("response_s", "dom_ready_s", "load_s", "graph_drawn_s"))}
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main(n: int = 500) -> dict:
    import httpx

    analysis = sample_analysis(n)
    folder = Path(tempfile.mkdtemp())
    try:
        t = time.perf_counter()
        db = build_store(folder / "site", analysis)
        store_s = time.perf_counter() - t
        dump_s = timed(lambda: json.dumps(analysis.to_dict()), 3)
        write_s = timed(lambda: write_reports(analysis, folder / "static"), 3)
        with running_server(db) as url, httpx.Client(base_url=url, timeout=60) as client:
            base_s = timed(lambda: client.get("/static/style.css"), 20)
            cold_s = timed(lambda: client.get("/stories/s-sample0001"), 1)  # builds the dossier
            story_s = timed(lambda: client.get("/stories/s-sample0001"), 5)  # cached until the store changes
            graph_s = timed(lambda: client.get("/stories/s-sample0001/graph.json"), 5)
            article_s = timed(lambda: client.get("/articles/art-250"), 10)
            size = len(client.get("/stories/s-sample0001").content)
            browser = browser_load(url + "/stories/s-sample0001")
        result = {"articles": n, "store_and_dossiers_s": round(store_s, 3),
                  "write_reports_s": round(write_s, 3), "json_dump_baseline_s": round(dump_s, 4),
                  "write_reports_vs_json_dump": round(write_s / dump_s, 1),
                  "trivial_request_s": round(base_s, 4), "story_page_cold_s": round(cold_s, 3),
                  "story_page_cold_vs_trivial": round(cold_s / base_s, 1), "story_page_s": round(story_s, 3),
                  "story_page_vs_trivial": round(story_s / base_s, 1), "story_page_bytes": size,
                  "graph_json_s": round(graph_s, 3), "article_page_s": round(article_s, 4),
                  "browser": {k: round(v, 3) for k, v in browser.items()} if browser else "chromium not installed"}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
