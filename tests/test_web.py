"""The web app over HTTP (a real uvicorn server on 127.0.0.1): pages, JSON twins, search,
Host check, read-only, 404s, the vendored graph library."""
from __future__ import annotations

import hashlib
from importlib import resources

import httpx
import pytest

from storytrace.report.sample import sample_analysis
from storytrace.web.app import APP_CSP, VENDORED
from test_web_support import build_store, running_server


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    db = build_store(tmp_path_factory.mktemp("site"), sample_analysis(6))
    with running_server(db) as url:
        with httpx.Client(base_url=url, timeout=10) as client:
            yield client


def test_pages_and_json_twins(site):
    for path in ("/", "/stories/s-sample0001", "/articles/art-1", "/compare/art-origin/art-1"):
        page = site.get(path)
        assert page.status_code == 200, path
        assert page.headers["content-security-policy"] == APP_CSP
        assert "script-src 'self'" in APP_CSP and "unsafe-eval" not in APP_CSP
        twin = site.get(path.replace("/", "/index", 1) + ".json" if path == "/" else path + ".json")
        assert twin.status_code == 200 and twin.headers["content-type"].startswith("application/json"), path
    story = site.get("/stories/s-sample0001.json").json()
    assert story["counts"]["articles"] == 6 and story["claim_groups"][0]["verdict"] == "disputed"
    # the app serves the same facts and quote groups as the written dossier
    assert story["facts"][0]["independent_origins"] == 1
    index = site.get("/index.json").json()
    assert index["stories"][0]["id"] == "s-sample0001" and index["stories"][0]["disputed"] == 1


def test_story_page_has_interactive_graph_from_itself(site):
    html = site.get("/stories/s-sample0001").text
    assert '<script src="/static/cytoscape-3.34.4.min.js"></script>' in html
    assert 'data-src="/stories/s-sample0001/graph.json"' in html
    graph = site.get("/stories/s-sample0001/graph.json").json()
    assert len([n for n in graph["nodes"] if n["kind"] == "article"]) == 6
    assert all(n["href"].startswith("/articles/") for n in graph["nodes"] if n["kind"] == "article")
    js = site.get("/static/cytoscape-3.34.4.min.js")
    assert hashlib.sha256(js.content).hexdigest() == VENDORED["cytoscape-3.34.4.min.js"]


def test_vendored_checksum_recorded_in_readme():
    readme = resources.files("storytrace.web").joinpath("static", "README.md").read_text()
    for name, digest in VENDORED.items():
        data = resources.files("storytrace.web").joinpath("static", name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest and digest in readme and name in readme


def test_compare_aligns_shared_passages(site):
    data = site.get("/compare/art-origin/art-1.json").json()
    shared = [r for r in data["rows"] if r["shared"]]
    assert shared and data["shared_words_share"] > 0.3
    html = site.get("/compare/art-origin/art-1").text
    assert html.count('class="text shared"') == 2 * len(shared)


@pytest.mark.parametrize("query", ["ferry", "\"", "*", "NEAR(", "ferry OR", "') DROP TABLE articles; --",
                                   "\x00", "a" * 5000, "𝕱𝖊𝖗𝖗𝖞", "title:ferry", "^ferry"])
def test_search_is_safe_for_any_text(site, query):
    r = site.get("/", params={"q": query})
    assert r.status_code == 200
    assert site.get("/index.json", params={"q": query}).status_code == 200


def test_search_finds_articles(site):
    data = site.get("/index.json", params={"q": "Marisol"}).json()
    assert {a["id"] for a in data["articles"]} >= {"art-origin", "art-1"}
    assert [s["id"] for s in data["stories"]] == ["s-sample0001"]
    assert site.get("/index.json", params={"q": "volcano"}).json()["stories"] == []


@pytest.mark.parametrize("path", ["/stories/nope", "/stories/nope.json", "/articles/nope", "/articles/nope.json",
                                  "/compare/art-1/nope", "/compare/nope/art-1.json", "/static/../app.py",
                                  "/static/nope.js", "/stories/%00", "/articles/%ff%fe", "/nothing"])
def test_unknown_ids_are_404(site, path):
    assert site.get(path).status_code == 404


def test_foreign_host_refused_and_read_only(site):
    assert site.get("/", headers={"Host": "attacker.example"}).status_code == 400
    assert site.get("/", headers={"Host": "127.0.0.1.attacker.example"}).status_code == 400
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert site.request(method, "/stories/s-sample0001").status_code == 405


def test_serve_refuses_missing_store(tmp_path):
    from storytrace.errors import UsageError
    from storytrace.web import serve

    with pytest.raises(UsageError):
        serve(tmp_path / "absent.db", 0)
