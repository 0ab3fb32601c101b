"""Hostile text through every output surface: the HTML dossier, Markdown, JSON, the web
pages, CSV/JSONL/Parquet exports and the GEXF graph. Titles, outlet names, article text,
quotes, speakers, claim subjects and URLs all carry the payloads; none may act."""
from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import httpx
import pytest

from storytrace.export import TABLES, export_table
from storytrace.report.sample import sample_analysis
from test_web_support import build_store, running_server

PAYLOAD = ('<script>alert("x")</script>"><img src=x onerror=alert(1)><a href="javascript:alert(2)">j</a>'
           '[click](javascript:alert(3)) ![i](http://evil.example/p.png) <b onmouseover=alert(4)>'
           ' =HYPERLINK("http://evil.example","x") | cell | **bold** `code`'
           '\x07\x1b[31m\x08\x0b\x85 end')
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class Auditor(HTMLParser):
    """Collects everything in a page that could run script or load something."""

    def __init__(self):
        super().__init__()
        self.problems, self.text = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "img", "iframe", "object", "embed", "base", "form") and not (
                tag == "script" and dict(attrs).get("src", "").startswith("/static/")) and tag != "form":
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "xlink:href") and value and re.match(r"\s*(javascript|data|vbscript):", value, re.I) \
                    and not (tag == "link" and value == "data:,"):
                self.problems.append(f"{tag} {name}={value}")
            if name == "style":
                self.problems.append(f"{tag} style=")

    def handle_data(self, data):
        self.text.append(data)


def audit(html: str) -> str:
    a = Auditor()
    a.feed(html)
    assert not a.problems, a.problems
    assert not CONTROLS.search(html), repr(CONTROLS.search(html).group())
    return "".join(a.text)


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    db = build_store(folder, sample_analysis(5, payload=PAYLOAD))
    return folder, db


def test_html_dossier_keeps_hostile_text_as_text(site_dir):
    folder, _ = site_dir
    pages = list(folder.rglob("*.html"))
    assert len(pages) == 3
    for page in pages:
        text = audit(page.read_text(encoding="utf-8"))
        assert '<script>alert("x")</script>' in text  # shown to the reader, as text
    article_page = (folder / "stories" / "s-sample0001" / "articles-1.html").read_text()
    assert "javascript:alert(1)" in article_page  # the article's own bad URL is shown, never linked
    assert 'href="javascript' not in article_page


def test_markdown_escapes_markdown_and_html(site_dir):
    folder, _ = site_dir
    md = (folder / "stories" / "s-sample0001" / "dossier.md").read_text(encoding="utf-8")
    assert not CONTROLS.search(md)
    assert "<script" not in md and "<img" not in md and "<b " not in md
    assert "&lt;script&gt;" in md
    # every link target is an http(s) URL in angle brackets or one of our own pages
    for target in re.findall(r"(?<!\\)\]\(([^)]*)\)", md):
        assert re.match(r"^(<https?://[^ <>]+>|articles-\d+\.html#a[0-9a-f]+(-s\d+)?)$", target), target
    assert "[click](javascript" not in md and "![i](" not in md
    assert "\\[click\\]\\(javascript" in md  # shown, escaped


def test_json_dossier_is_valid_and_faithful(site_dir):
    folder, _ = site_dir
    d = json.loads((folder / "stories" / "s-sample0001" / "dossier.json").read_text(encoding="utf-8"))
    assert d["title"].endswith(PAYLOAD)
    art = next(a for a in d["articles"] if a["id"] == "art-1")
    assert art["url"] == "javascript:alert(1)" and art["href"] is None


def test_web_pages_keep_hostile_text_as_text(site_dir):
    _, db = site_dir
    with running_server(db) as url, httpx.Client(base_url=url, timeout=10) as client:
        paths = ["/", "/stories/s-sample0001", "/articles/art-1", "/articles/art-origin",
                 "/compare/art-origin/art-1"]
        for path in paths:
            r = client.get(path)
            assert r.status_code == 200, path
            text = audit(r.text)
            assert "alert(" in text or path == "/", path
        r = client.get("/", params={"q": PAYLOAD})
        assert r.status_code == 200
        audit(r.text)
        for path in ["/stories/s-sample0001.json", "/articles/art-1.json", "/index.json"]:
            assert client.get(path).json()  # valid JSON, served as JSON
            assert client.get(path).headers["content-type"].startswith("application/json")
        graph = client.get("/stories/s-sample0001/graph.json").json()
        assert all(n.get("href", "/").startswith("/") for n in graph["nodes"])


@pytest.mark.parametrize("table", sorted(TABLES))
def test_csv_exports_have_no_formulas_or_controls(site_dir, tmp_path, table):
    _, db = site_dir
    export_table(db, table, "csv", tmp_path / "t.csv")
    raw = (tmp_path / "t.csv").read_text(encoding="utf-8")
    assert not CONTROLS.search(raw)
    for row in csv.reader(io.StringIO(raw, newline="")):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "|", "%")), (table, cell[:40])
    export_table(db, table, "jsonl", tmp_path / "t.jsonl")
    for line in (tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)  # every record is one valid JSON line, whatever its text


def test_gexf_and_graphml_read_back(site_dir, tmp_path):
    import networkx as nx

    _, db = site_dir
    g = nx.read_gexf(export_table(db, "graph", "gexf", tmp_path / "g.gexf"))
    assert any("<script>" in str(data.get("label", "")) for _, data in g.nodes(data=True))
    nx.read_graphml(export_table(db, "graph", "graphml", tmp_path / "g.graphml"))
    assert not CONTROLS.search((tmp_path / "g.gexf").read_text(encoding="utf-8").replace("\n", "").replace("\t", "").replace("\r", ""))
