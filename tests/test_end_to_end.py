"""The whole pipeline on the demo corpus and the seeds, through the API and the CLI."""
import json
import subprocess
import sys

import pytest

import storytrace

CLI = [sys.executable, "-m", "storytrace.cli"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_dir):
    out = tmp_path_factory.mktemp("demo-out")
    result = storytrace.analyze([str(demo_dir)], out=out)
    return result, out


def by_id(result):
    return {a.id: a for a in result.articles}


def story_of(result, article_id):
    return by_id(result)[article_id].story


def test_contract_shape(demo):
    result, out = demo
    data = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(result.to_dict(), default=str))
    for key, fields in {
        "articles": {"id", "url", "source", "title", "published", "language", "text", "story",
                     "duplicate_of", "boilerplate_spans", "opinion_spans"},
        "stories": {"id", "title", "articles", "origins", "related"},
        "links": {"from", "to", "to_source", "kind", "passages"},
        "quotes": {"id", "article", "text", "span", "speaker", "group"},
        "claims": {"id", "article", "text", "span", "low", "high", "unit", "subject", "attributed_to"},
        "claim_groups": {"id", "story", "subject", "claims", "verdict", "explanation", "independent_origins"},
    }.items():
        assert data[key], f"{key} is empty on the demo corpus"
        for record in data[key]:
            assert fields <= set(record), (key, fields - set(record))
    texts = {a["id"]: a["text"] for a in data["articles"]}
    for a in data["articles"]:
        for s, e in a["boilerplate_spans"] + a["opinion_spans"]:
            assert 0 <= s < e <= len(a["text"])
    for q in data["quotes"] + data["claims"]:
        s, e = q["span"]
        assert 0 <= s < e <= len(texts[q["article"]])
    for link in data["links"]:
        assert link["kind"] in {"duplicate", "copies-text", "cites", "shares-text"}
        for p in link["passages"]:
            s, e = p["from_span"]
            assert 0 <= s < e <= len(texts[link["from"]])
    for g in data["claim_groups"]:
        assert g["verdict"] in {"consistent", "compatible", "conflict", "disputed"}
    assert (out / "index.html").is_file()


def test_analysis_json_streamed_equals_one_dump(demo):
    # analysis.json is written record by record; the bytes are those of one json.dumps.
    from storytrace.outputs import _dumps

    result, out = demo
    assert (out / "analysis.json").read_text(encoding="utf-8") == _dumps(result.to_dict())


def test_demo_events_separate_and_copies_group(demo):
    result, _ = demo
    ferry = story_of(result, "mpa-ferry-fire-1")
    kessick = story_of(result, "mpa-kessick-quake")
    alder = story_of(result, "mpa-alder-falls-quake")
    assert len({ferry, kessick, alder}) == 3
    assert story_of(result, "nl-ferry-fire-1") == ferry
    assert story_of(result, "hr-ferry-opinion" if "hr-ferry-opinion" in by_id(result) else
                    next(a.id for a in result.articles if a.source == "Harbourside Review")) == ferry
    assert story_of(result, "vg-kessick-quake") == kessick
    assert story_of(result, "nl-alder-falls-quake") == alder
    arts = by_id(result)
    # the wire story's syndicated copies point at the wire original
    assert arts["nl-ferry-fire-1"].duplicate_of == "mpa-ferry-fire-1"
    valley = next(a for a in result.articles if a.source == "Valley Gazette" and a.story == ferry)
    assert valley.duplicate_of == "mpa-ferry-fire-1"
    assert arts["vg-kessick-quake"].duplicate_of == "mpa-kessick-quake"


def test_demo_provenance_credit_and_origin(demo):
    result, _ = demo
    beacon = next(a for a in result.articles if a.source == "The Daily Beacon" and "Corran" in a.text)
    cites = [link for link in result.links if link.from_ == beacon.id and link.kind == "cites"]
    assert any(link.to_source == "Coastline Courier" for link in cites)
    ferry = next(s for s in result.stories if "mpa-ferry-fire-1" in s.articles)
    assert "mpa-ferry-fire-1" in ferry.origins
    assert not {"nl-ferry-fire-1"} & set(ferry.origins)


def test_seeds_one_story_with_credits(seeds_dir, tmp_path):
    result = storytrace.analyze([str(seeds_dir)], out=tmp_path)
    assert len(result.articles) == 2
    assert len({a.story for a in result.articles}) == 1
    thinker = next(a for a in result.articles if a.source == "American Thinker")
    assert [thinker.text[s:e] for s, e in thinker.boilerplate_spans] == [
        "If you experience technical problems, please write to"]
    credited = {(link.from_, link.to_source) for link in result.links if link.kind == "cites"}
    assert {a.id for a in result.articles} == {f for f, src in credited if src == "BBC"}
    assert (thinker.id, "Daily Mail") in credited


def test_cli_analyze_stories_show_check(tmp_path, demo_dir):
    out = tmp_path / "out"
    run = subprocess.run([*CLI, "analyze", str(demo_dir), "--out", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert str((out / "index.html").resolve()) in run.stdout
    db = str(out / "storytrace.db")
    stories = json.loads(subprocess.run([*CLI, "stories", "--db", db, "--json"], capture_output=True,
                                        text=True, check=True).stdout)
    assert len(stories) >= 3 and all(s["size"] >= 1 and s["outlets"] for s in stories)
    shown = subprocess.run([*CLI, "show", stories[0]["id"], "--db", db, "--json"], capture_output=True, text=True)
    assert shown.returncode == 0 and json.loads(shown.stdout)["articles"]
    missing = subprocess.run([*CLI, "show", "no-such-story", "--db", db], capture_output=True, text=True)
    assert missing.returncode == 1 and "no story" in missing.stderr
    check = subprocess.run([*CLI, "check", "--db", db, "--json"], capture_output=True, text=True)
    report = json.loads(check.stdout)
    assert check.returncode == 0 and report["articles"] == 14 and report["ok"]
    # a second run over the same input adds nothing and keeps story ids
    again = subprocess.run([*CLI, "analyze", str(demo_dir), "--out", str(out)], capture_output=True, text=True)
    assert again.returncode == 0
    stories2 = json.loads(subprocess.run([*CLI, "stories", "--db", db, "--json"], capture_output=True,
                                         text=True, check=True).stdout)
    assert sorted(s["id"] for s in stories2) == sorted(s["id"] for s in stories)


def test_cli_exit_codes(tmp_path):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "ok.txt").write_text("Boat sinks off Port Ellery\n\nThe coastguard said two men were rescued on Tuesday.")
    run = subprocess.run([*CLI, "ingest", str(bad), "--db", str(tmp_path / "s.db")], capture_output=True, text=True)
    assert run.returncode == 1
    assert "empty.txt" in run.stderr and "Traceback" not in run.stderr
    usage = subprocess.run([*CLI, "analyze"], capture_output=True, text=True)
    assert usage.returncode == 2
    missing = subprocess.run([*CLI, "check", "--db", str(tmp_path / "none.db"), "--json"], capture_output=True, text=True)
    assert missing.returncode == 0 and json.loads(missing.stdout)["articles"] == 0
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    broken = subprocess.run([*CLI, "check", "--db", str(garbage)], capture_output=True, text=True)
    assert broken.returncode == 3 and "Traceback" not in broken.stderr


def test_import_does_no_work():
    code = "import sys, storytrace; print(any(m in sys.modules for m in ('spacy', 'trafilatura', 'sklearn', 'torch')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_cli_fetch_is_opt_in_and_refuses_loopback(tmp_path):
    import http.server
    import threading

    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/page.html"
    try:
        db = str(tmp_path / "s.db")
        plain = subprocess.run([*CLI, "ingest", url, "--db", db], capture_output=True, text=True)
        fetched = subprocess.run([*CLI, "ingest", url, "--db", db, "--fetch"], capture_output=True, text=True)
    finally:
        server.shutdown()
    assert plain.returncode == 1 and url in plain.stderr  # a URL is not fetched unless asked
    assert fetched.returncode == 1 and url in fetched.stderr and "Traceback" not in fetched.stderr
    check = json.loads(subprocess.run([*CLI, "check", "--db", db, "--json"], capture_output=True,
                                      text=True).stdout)
    codes = {e["code"] for e in check["errors"]}
    assert "url-not-fetched" in codes and "fetch-refused" in codes


def test_demo_marks_only_site_furniture_as_boilerplate(demo):
    result, _ = demo
    marked = [a.text[s:e] for a in result.articles for s, e in a.boilerplate_spans]
    assert marked == ["Subscribe to the Coastline Courier newsletter for daily updates."] * 2


def test_outputs_get_a_new_files_usual_mode(demo):
    """Dossiers and analysis.json are written through temp files and renamed, and still get
    the mode any new file gets (0666 less the umask), not the temp file's owner-only 0600:
    a dossier folder is meant to be shared or served."""
    import os
    import stat

    _, out = demo
    umask = os.umask(0)
    os.umask(umask)
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".md", ".json")]
    assert out / "analysis.json" in files and any(p.name == "dossier.md" for p in files)
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o666 & ~umask}
