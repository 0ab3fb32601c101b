"""Write the fictional demo corpus (demo/corpus/) from articles.py in mixed formats.

    python demo/make_corpus.py        # rewrites demo/corpus/

The output is committed, so the demo needs no generation step; rerun after editing articles.py.
"""
from __future__ import annotations

import html
import io
import json
import shutil
from collections import defaultdict
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

from articles import ARTICLES

OUT = Path(__file__).resolve().parent / "corpus"
NOTICE = "Fictional article written for the storytrace demo. Outlets, people and events are invented."


def paragraphs_html(text: str, skip_first_line: bool = False) -> str:
    parts = [p for p in text.split("\n\n") if p.strip()]
    return "\n".join(f"      <p>{html.escape(p.strip())}</p>" for p in parts)


def page(a: dict) -> str:
    """A news page with the furniture real sites have: navigation, share bar, footer."""
    e = html.escape
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{e(a['title'])} | {e(a['source'])}</title>
  <meta property="og:site_name" content="{e(a['source'])}">
  <meta property="og:title" content="{e(a['title'])}">
  <meta property="og:url" content="{e(a['url'])}">
  <link rel="canonical" href="{e(a['url'])}">
  <meta name="author" content="{e(a.get('author', ''))}">
  <meta property="article:published_time" content="{e(a['published'])}">
  <meta name="description" content="{e(NOTICE)}">
</head>
<body>
  <header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/world">World</a>
    <a href="/sport">Sport</a> <a href="/subscribe">Subscribe</a></nav></header>
  <main>
    <article>
      <h1>{e(a['title'])}</h1>
      <p class="byline">By {e(a.get('author', 'Staff reporter'))}</p>
{paragraphs_html(a['text'])}
    </article>
    <aside><h2>Most read</h2><ul><li><a href="/a">Council approves new harbour wall</a></li>
      <li><a href="/b">Weather: storms expected this weekend</a></li></ul></aside>
  </main>
  <footer><p>{e(NOTICE)}</p><p>&copy; 2025 {e(a['source'])}. All rights reserved.</p></footer>
</body>
</html>
"""


def write_html(a: dict) -> None:
    (OUT / a["file"]).write_text(page(a), encoding="utf-8")


def write_text(a: dict) -> None:
    # Plain text with front matter; the headline is the first line of the text itself.
    header = f"---\nsource: {a['source']}\npublished: {a['published']}\n---\n"
    (OUT / a["file"]).write_text(header + a["text"] + "\n", encoding="utf-8")


def write_jsonl(items: list[dict], name: str) -> None:
    with open(OUT / name, "w", encoding="utf-8") as fh:
        for a in items:
            rec = {k: a[k] for k in ("id", "url", "source", "title", "published", "text")}
            rec["note"] = NOTICE  # an unknown field: kept as metadata
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def write_rss(items: list[dict], name: str) -> None:
    e = html.escape
    entries = []
    for a in items:
        when = format_datetime(datetime.fromisoformat(a["published"]))
        body = "".join(f"<p>{e(p.strip())}</p>" for p in a["text"].split("\n\n") if p.strip())
        entries.append(f"""  <item>
    <title>{e(a['title'])}</title>
    <link>{e(a['url'])}</link>
    <guid isPermaLink="false">{e(a['id'])}</guid>
    <pubDate>{when}</pubDate>
    <content:encoded>{e(body)}</content:encoded>
  </item>""")
    feed_title = items[0]["source"]
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>{e(feed_title)}</title>
  <link>https://{e(feed_title.lower().replace(' ', ''))}.example/</link>
  <description>{e(NOTICE)}</description>
{chr(10).join(entries)}
</channel>
</rss>
"""
    (OUT / name).write_text(xml, encoding="utf-8")


def write_warc(items: list[dict], name: str) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(OUT / name, "wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        for a in items:
            body = page(a).encode("utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            rec = writer.create_warc_record(a["url"], "response", payload=io.BytesIO(body),
                                            http_headers=headers,
                                            warc_headers_dict={"WARC-Date": a["published"][:19] + "Z"})
            writer.write_record(rec)
        # Crawls hold more than articles: an image and a missing page, which ingest skips.
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://valleygazette.example/logo.png", "response", payload=io.BytesIO(b"\x89PNG\r\n\x1a\n"),
            http_headers=img, warc_headers_dict={"WARC-Date": "2025-06-14T10:31:00Z"}))
        missing = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://valleygazette.example/gone", "response", payload=io.BytesIO(b"<html>Not found</html>"),
            http_headers=missing, warc_headers_dict={"WARC-Date": "2025-06-14T10:32:00Z"}))


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for a in ARTICLES:
        if a["format"] == "html":
            write_html(a)
        elif a["format"] == "text":
            write_text(a)
        else:
            grouped[(a["format"], a["file"])].append(a)
    for (fmt, name), items in sorted(grouped.items()):
        {"jsonl": write_jsonl, "rss": write_rss, "warc": write_warc}[fmt](items, name)
    print(f"wrote {len(ARTICLES)} articles to {OUT}")


if __name__ == "__main__":
    main()
