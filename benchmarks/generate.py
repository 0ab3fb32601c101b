"""Generated corpora for benchmarks: realistic-length news articles, pages and syndicated copies.

Deterministic (seeded) and made of invented words and names, so nothing copyrighted is
involved and sizes scale to 100k+ articles.
"""
from __future__ import annotations

import html
import random
from datetime import datetime, timedelta

PLACES = ["Port Ellery", "Kessick", "Alder Falls", "Dunmore", "Ostrin", "Skerra", "Brannoch", "Velm",
          "Corrie Bay", "Tarn Hollow", "Easter Wick", "Lowmoor", "Fenwick Cross", "Halvard", "Marrow Point"]
PEOPLE = ["Elena Marsh", "Juris Varga", "Ana Ruiz", "Lena Oduya", "Rowan Fell", "Tomas Reid", "Dana Petrov",
          "Priya Anand", "Mairi Dunlop", "Omar Haddad", "Ines Carvalho", "Kofi Mensah", "Sofia Lind"]
ORGS = ["the coastguard", "the city council", "the health ministry", "the fire service", "the police",
        "the seismic institute", "the port authority", "the transport agency", "the university"]
EVENTS = ["fire", "flood", "earthquake", "strike", "collision", "protest", "storm", "explosion", "landslide",
          "outbreak", "power cut", "bridge collapse"]
VERBS = ["said", "told reporters", "added", "confirmed", "warned", "explained"]
FILLER = ("the officials residents rescue teams water road hospital morning evening building town centre "
          "investigation emergency services damage families homes government statement week night area "
          "crews witnesses vehicles roads schools shops workers police council repairs bridge harbour").split()
OUTLETS = [f"Outlet {i:03d} News" for i in range(60)]


def _sentence(rng: random.Random, place: str, event: str) -> str:
    kind = rng.random()
    if kind < 0.25:
        return (f"\"The {event} in {place} affected {rng.randint(2, 900)} {rng.choice(['people', 'homes', 'families'])}, "
                f"and we expect more reports,\" {rng.choice(PEOPLE)} {rng.choice(VERBS)}.")
    if kind < 0.5:
        return (f"{rng.choice(ORGS).capitalize()} {rng.choice(VERBS)} that {rng.randint(3, 400)} "
                f"{rng.choice(['people', 'vehicles', 'buildings', 'workers'])} were involved in {place}.")
    words = rng.choices(FILLER, k=rng.randint(12, 24))
    return f"{place} " + " ".join(words) + "."


def article_text(rng: random.Random, place: str, event: str, paragraphs: int = 8) -> str:
    paras = []
    for _ in range(paragraphs):
        paras.append(" ".join(_sentence(rng, place, event) for _ in range(rng.randint(2, 4))))
    return "\n\n".join(paras)


def corpus(n: int, seed: int = 7, syndicated: float = 0.10, max_story: int = 200):
    """n articles: stories of 1-200 articles, ~10% syndicated copies of another article."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1)
    out = []
    story = 0
    while len(out) < n:
        size = min(n - len(out), max(1, int(rng.paretovariate(1.2))), max_story)
        place, event = rng.choice(PLACES), rng.choice(EVENTS)
        when = start + timedelta(hours=rng.randint(0, 24 * 300))
        first = len(out)
        for j in range(size):
            if j and rng.random() < syndicated:
                base = out[rng.randint(first, len(out) - 1)]
                paras = base["text"].split("\n\n")
                text = "\n\n".join(paras[: max(3, len(paras) - rng.randint(0, 2))])
            else:
                text = article_text(rng, place, event)
            out.append({"id": f"g{len(out):07d}", "source": rng.choice(OUTLETS), "story": f"s{story}",
                        "title": f"{event.capitalize()} in {place}: {rng.choice(FILLER)} {rng.choice(FILLER)}",
                        "published": (when + timedelta(minutes=37 * j)).isoformat(), "text": text,
                        "url": f"https://outlet{rng.randint(0, 59):03d}.example/{story}/{len(out)}"})
        story += 1
    return out


def page(a: dict) -> str:
    """A news page around the article: navigation, share bar, related links, footer."""
    e = html.escape
    body = "\n".join(f"<p>{e(p)}</p>" for p in a["text"].split("\n\n"))
    related = "".join(f"<li><a href='/r{i}'>Related story number {i} about the {e(a['source'])}</a></li>" for i in range(8))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{e(a['title'])}</title>
<meta property="og:site_name" content="{e(a['source'])}"><link rel="canonical" href="{e(a['url'])}">
<meta property="article:published_time" content="{e(a['published'])}"></head><body>
<header><nav><a href="/">Home</a><a href="/news">News</a><a href="/sport">Sport</a><a href="/weather">Weather</a></nav></header>
<div class="share">Share this article: Facebook Twitter Email</div>
<main><article><h1>{e(a['title'])}</h1><p class="byline">By Staff Reporter</p>
{body}
<p>Sign up for our newsletter to get the top stories every morning.</p>
</article><aside><h2>Most read</h2><ul>{related}</ul></aside></main>
<footer><p>&copy; 2025 {e(a['source'])}. All rights reserved.</p><p>Contact us | Privacy | Terms</p></footer>
</body></html>"""
