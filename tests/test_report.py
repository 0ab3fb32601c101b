"""Dossiers: what a reader sees in the HTML, Markdown and JSON of a story."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from storytrace.model import Analysis, Article, Story
from storytrace.settings import Settings
from storytrace.report import Limits, write_reports
from storytrace.report.bundle import word_diff
from storytrace.report.html import static_csp
from storytrace.report.sample import sample_analysis


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.ids, self.hrefs, self.meta_csp = [], set(), [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
            self.meta_csp = attrs["content"]


def parse(path) -> Collector:
    c = Collector()
    c.feed(path.read_text(encoding="utf-8"))
    return c


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dossiers")
    index = write_reports(sample_analysis(7), folder)
    assert index == folder / "index.html"
    return folder


def test_files_written_and_every_html_carries_the_no_script_policy(out):
    story = out / "stories" / "s-sample0001"
    assert {p.name for p in story.iterdir()} == {"index.html", "articles-1.html", "dossier.md", "dossier.json"}
    for page in out.rglob("*.html"):
        c = parse(page)
        assert c.meta_csp == static_csp()
        assert "script-src 'none'" in c.meta_csp and "default-src 'none'" in c.meta_csp
        assert not [t for t, _ in c.tags if t in ("script", "iframe", "object", "embed")]
        # no remote loads: every src/href is relative, a fragment, or an article's own http(s) URL link
        for tag, attrs in c.tags:
            assert "src" not in attrs or not re.match(r"^[a-z]+:", attrs["src"])
            if tag == "link":
                assert attrs["href"].startswith("data:")


def test_every_item_links_to_its_sentence(out):
    story = out / "stories" / "s-sample0001"
    anchors = parse(story / "articles-1.html").ids
    links = [h for h in parse(story / "index.html").hrefs if h.startswith("articles-")]
    assert len(links) > 20
    for href in links:
        assert href.split("#", 1)[1] in anchors, href
    # a claim link points at the sentence holding the figure
    d = json.loads((story / "dossier.json").read_text())
    value = next(v for g in d["claim_groups"] for v in g["values"] if v["text"] == "52 passengers")
    ref = value["outlets"][0]["ref"]
    text = sample_analysis(7).articles[2].text
    assert "52 passengers" in text[ref["start"]:]
    assert text[ref["start"]:].startswith("A crew member told reporters")


def test_dossier_content(out):
    d = json.loads((out / "stories" / "s-sample0001" / "dossier.json").read_text())
    assert d["counts"] == {"articles": 7, "outlets": 7, "origins": 1, "duplicates": 1, "links": 11}
    assert [g["verdict"] for g in d["claim_groups"]] == ["disputed"]
    assert {v["text"]: v["count"] for v in d["claim_groups"][0]["values"]} == {"40 passengers": 7, "52 passengers": 1}
    quotes = d["quote_groups"][0]
    assert quotes["speaker"] == "Ines Varga" and quotes["variants_total"] == 7
    truncated = next(v for v in quotes["versions"] if v["fidelity"] == "truncated")
    assert truncated["diff"] == [["equal", "The fire started in the engine room and the crew acted,"],
                                 ["delete", "fast,"]]
    assert d["facts"][0]["independent_origins"] == 1 and d["facts"][0]["supporting"] == 7
    html = (out / "stories" / "s-sample0001" / "index.html").read_text()
    assert "disputed" in html and "Ines Varga" in html and "<svg class=\"graph\"" in html
    articles = (out / "stories" / "s-sample0001" / "articles-1.html").read_text()
    assert 'class="opinion"' in articles and 'class="reused"' in articles and 'class="copied"' in articles


def test_time_runs_left_to_right_in_the_graph(out):
    from storytrace.report.svg import graph_layout

    d = json.loads((out / "stories" / "s-sample0001" / "dossier.json").read_text())
    layout = graph_layout(d)
    nodes = sorted((n for n in layout["nodes"] if n["kind"] == "article"), key=lambda n: n["published"])
    xs = [n["x"] for n in nodes]
    assert xs == sorted(xs) and xs[0] < xs[-1]
    assert len({n["y"] for n in nodes}) == len(layout["lanes"])  # one lane per outlet
    origin = next(n for n in nodes if n["origin"])
    assert origin["id"] == "art-origin"


def test_markdown_dossier(out):
    md = (out / "stories" / "s-sample0001" / "dossier.md").read_text()
    assert md.startswith("# Ferry fire near Port Alder\n")
    assert "| passengers on board | disputed | 2 |" in md
    assert "~~fast,~~" in md.replace("\\", "")


def test_big_story_is_summarised_and_paginated(tmp_path):
    limits = Limits(articles_per_page=20, graph_nodes=30, claim_groups=5)
    write_reports(sample_analysis(95), tmp_path, limits)
    story = tmp_path / "stories" / "s-sample0001"
    assert sorted(p.name for p in story.glob("articles-*.html")) == [f"articles-{i}.html" for i in range(1, 6)]
    html = (story / "index.html").read_text()
    assert "Showing 30 of 95 articles" in html
    assert html.count("<circle") < 80
    page3 = parse(story / "articles-3.html")
    assert {h.rsplit("/", 1)[-1] for h in page3.hrefs} >= {"articles-1.html", "articles-2.html", "articles-4.html",
                                                          "articles-5.html"}


def test_missing_fields_render(tmp_path):
    bare = Analysis(articles=[Article(id="x1", text=""), Article(id="x2", text="One line.", published="garbage")],
                    stories=[Story(id="s1", title="", articles=["x1", "x2", "missing"])])
    index = write_reports(bare, tmp_path)
    assert "s1" in index.read_text()
    d = json.loads((tmp_path / "stories" / "s1" / "dossier.json").read_text())
    assert d["counts"]["articles"] == 2 and d["first_published"] is None


def test_output_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_reports(sample_analysis(9), a)
    shuffled = sample_analysis(9)
    shuffled.articles.reverse()
    shuffled.links.reverse()
    shuffled.quotes.reverse()
    write_reports(shuffled, b)
    for f in a.rglob("*"):
        if f.is_file():
            assert f.read_bytes() == (b / f.relative_to(a)).read_bytes(), f


def test_word_diff():
    assert word_diff("we will rebuild the pier", "we will rebuild") == [("equal", "we will rebuild"),
                                                                         ("delete", "the pier")]


def test_seed_articles_render(seeds_dir, tmp_path):
    """The two real seed articles as one story: their shared quote is found and linked."""
    from storytrace.ingest import ingest
    from storytrace.store import Store

    with Store(tmp_path / "s.db") as store:
        run = store.begin_run("t", [])
        ingest([str(seeds_dir)], store, run, Settings())
        arts = list(store.iter_articles())
    assert len(arts) >= 2
    for a in arts:
        a.story = "seed"
    analysis = Analysis(articles=arts, stories=[Story(id="seed", title="Raqqa convoy", articles=[a.id for a in arts])])
    write_reports(analysis, tmp_path / "out")
    page = (tmp_path / "out" / "stories" / "seed" / "articles-1.html").read_text()
    assert page.count('<section class="article"') == len(arts)
    assert "Raqqa" in page


def test_verbatim_copies_point_to_their_original_instead_of_repeating_it(tmp_path):
    import storytrace

    story = ("A ferry caught fire near Port Alder on Monday, the coast guard said. "
             "\"We got all 52 passengers off,\" Captain Ana Ruiz said. Two crew members were treated for smoke. "
             "The ferry operator said an engine room fault started the fire and an inquiry would follow.")
    rows = [{"id": "wire", "source": "Wire Agency", "title": "Ferry fire", "published": "2026-03-02T08:00:00",
             "text": story}]
    rows += [{"id": f"copy-{i}", "source": f"Outlet {i}", "title": f"Ferry fire ({i})",
              "published": f"2026-03-02T1{i}:00:00", "text": story} for i in range(3)]
    rows.append({"id": "trimmed", "source": "Outlet T", "title": "Ferry fire, trimmed", "published": "2026-03-02T15:00:00",
                 "text": story + " Services resume on Friday, the operator added."})
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = storytrace.analyze([str(src)], out=tmp_path / "out")
    assert len(result.stories) == 1
    folder = next((tmp_path / "out" / "stories").iterdir())
    page = (folder / "articles-1.html").read_text(encoding="utf-8")
    sections = {m.group(1): m.group(0) for m in re.finditer(r'<section class="article[^"]*" id="([^"]+)">.*?</section>',
                                                               page, re.S)}
    copies = [s for s in sections.values() if "word for word the same text as" in s]
    assert len(copies) == 3  # the three verbatim copies, not the trimmed one or the original
    for s in copies:
        assert "Captain Ana Ruiz" not in s and 'href="articles-1.html#' in s
    assert sum("Captain Ana Ruiz" in s for s in sections.values()) == 2  # original + trimmed copy
    # every link to a sentence (quotes and figures in copies included) still lands on an anchor
    anchors = parse(folder / "articles-1.html").ids
    for href in parse(folder / "index.html").hrefs + parse(folder / "articles-1.html").hrefs:
        if href.startswith("articles-1.html#"):
            assert href.split("#", 1)[1] in anchors, href


def test_pager_of_a_huge_story_shows_a_window():
    from storytrace.report.html import pager_items

    items = pager_items(1000, 2000)
    assert [p for k, p in items if k == "link"] == [*range(1, 11), *range(997, 1000), *range(1001, 1004), 1998, 1999, 2000]
    assert ("current", 1000) in items and [k for k, _ in items].count("gap") == 2
    assert pager_items(2, 5) == [("link", 1), ("current", 2), ("link", 3), ("link", 4), ("link", 5)]


def test_repeated_values_keep_their_count_but_list_few_outlets(tmp_path):
    from storytrace.report import story_dossier

    analysis = sample_analysis(95)
    d = story_dossier(analysis, analysis.stories[0], Limits(outlets=2))
    values = {v["text"]: v for g in d["claim_groups"] for v in g["values"]}
    assert values["40 passengers"]["count"] == 95 and len(values["40 passengers"]["outlets"]) == 2
    assert all(o["ref"]["article"] and o["ref"]["anchor"] for o in values["40 passengers"]["outlets"])
    write_reports(analysis, tmp_path, Limits(outlets=2))
    html = (tmp_path / "stories" / "s-sample0001" / "index.html").read_text()
    assert "and 93 more" in html  # 95 outlets say it, 2 are named on the page
