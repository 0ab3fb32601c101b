"""The whole pipeline on the demo corpus: its dossiers, and the web app serving the same."""
from __future__ import annotations

import json
import re

import httpx
import pytest

from test_report import parse
from test_web_support import running_server


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory):
    import storytrace
    from conftest import DEMO

    out = tmp_path_factory.mktemp("demo-out")
    analysis = storytrace.analyze([str(DEMO)], out=out)
    return out, analysis


def test_demo_dossiers(demo_out):
    out, analysis = demo_out
    index = parse(out / "index.html")
    story_links = [h for h in index.hrefs if h.startswith("stories/")]
    assert len(story_links) == len(analysis.stories) >= 2
    for href in story_links:
        folder = (out / href).parent
        page = parse(folder / "index.html")
        assert "script-src 'none'" in page.meta_csp
        anchors = set()
        for p in folder.glob("articles-*.html"):
            anchors |= parse(p).ids
        for link in (h for h in page.hrefs if h.startswith("articles-")):
            assert link.split("#", 1)[1] in anchors, link  # every item reaches its sentence
        d = json.loads((folder / "dossier.json").read_text())
        story = next(s for s in analysis.stories if s.id == d["id"])
        assert d["counts"]["articles"] == len(story.articles)
        assert (folder / "dossier.md").read_text().startswith("# ")


def test_demo_served_like_written(demo_out):
    out, analysis = demo_out
    biggest = max(analysis.stories, key=lambda s: len(s.articles))
    with running_server(out / "storytrace.db") as url, httpx.Client(base_url=url, timeout=30) as client:
        served = client.get(f"/stories/{biggest.id}.json").json()
        slug = re.sub(r"[^A-Za-z0-9_-]", "_", biggest.id)
        written = json.loads((out / "stories" / slug / "dossier.json").read_text())
        for key in ("counts", "origins", "facts", "quote_groups", "claim_groups", "articles"):
            if key == "articles":  # opinion spans are not in the store; the page reads them from the dossier
                assert [a["id"] for a in served[key]] == [a["id"] for a in written[key]]
            else:
                assert served[key] == written[key], key
        html = client.get(f"/stories/{biggest.id}").text
        assert biggest.title in html.replace("&#39;", "'").replace("&amp;", "&")
        for a in biggest.articles:
            assert client.get(f"/articles/{a}").status_code == 200


def test_dossiers_rendered_by_forked_workers_are_the_same_files(demo_out, tmp_path):
    from storytrace.report import write_reports

    out, analysis = demo_out
    assert len(analysis.stories) >= 3  # enough stories for the workers to share
    write_reports(analysis, tmp_path / "one", workers=1)
    write_reports(analysis, tmp_path / "two", workers=2)
    for name in ("one", "two"):
        got = {p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*") if p.is_file()}
        want = {p.relative_to(out): p.read_bytes() for p in (out / "stories").rglob("*") if p.is_file()}
        want[out.joinpath("index.html").relative_to(out)] = (out / "index.html").read_bytes()
        assert got == want, name
