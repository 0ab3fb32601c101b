"""Ingest: every reader, ids and versions, idempotence, and bad input that never crashes."""
import bz2
import gzip
import io
import json
import os
import zipfile

from hypothesis import given, settings as hsettings, strategies as st

from storytrace.ingest import ingest, iter_articles
from storytrace.model import RecordError
from storytrace.settings import Settings
from storytrace.store import Store

from conftest import write_jsonl

S = Settings()
STORY = ("Rescue teams in Port Ellery searched the harbour on Tuesday after a fishing boat sank "
         "with six crew aboard. The coastguard said two men were pulled alive from the water.")


def read(*inputs, settings=S):
    items = list(iter_articles([str(i) for i in inputs], settings))
    return ([i for i in items if not isinstance(i, RecordError)],
            [i for i in items if isinstance(i, RecordError)])


def test_plain_text_headline_stays_in_text(tmp_path):
    f = tmp_path / "boat.txt"
    f.write_text("Fishing boat sinks off Port Ellery\n\n" + STORY, encoding="utf-8")
    (art,), errors = read(f)
    assert not errors
    assert art.title == "Fishing boat sinks off Port Ellery"
    assert art.text.startswith("Fishing boat sinks off Port Ellery\n\n")
    assert art.language == "en"


def test_text_is_canonical_but_otherwise_as_given(tmp_path):
    f = tmp_path / "x.jsonl"
    raw = "Line one\x00 with NUL\ttab\r\nline two \x07bell \ud800lone"
    f.write_text(json.dumps({"id": "k1", "text": raw}) + "\n", encoding="utf-8")
    (art,), _ = read(f)
    assert art.text == "Line one with NUL\ttab\nline two bell lone"


def test_sentence_first_line_is_not_a_headline(tmp_path):
    f = tmp_path / "note.md"
    f.write_text("The council met on Monday to discuss the harbour wall.\nIt agreed to repair it.", encoding="utf-8")
    (art,), _ = read(f)
    assert art.title is None


def test_markdown_front_matter_gives_metadata(tmp_path):
    f = tmp_path / "col.md"
    f.write_text("---\nsource: Harbour Weekly\npublished: 2025-06-16T07:30:00Z\nurl: https://hw.example/a\n---\n"
                 "# Why the ferry failed\n\n" + STORY, encoding="utf-8")
    (art,), _ = read(f)
    assert art.source == "Harbour Weekly"
    assert art.published.startswith("2025-06-16T07:30:00")
    assert art.title == "Why the ferry failed"
    assert art.text.startswith("# Why the ferry failed")


def test_html_main_text_and_metadata(demo_dir):
    (art,), errors = read(demo_dir / "coastline-courier-ferry-fire.html")
    assert not errors
    assert art.source == "Coastline Courier"
    assert art.title.startswith("Twelve dead as fire sweeps")
    assert art.published == "2025-06-14T06:10:00+00:00"
    assert art.url == "https://www.coastline-courier.example/news/ferry-fire-port-ellery"
    assert "We got every lifeboat in the water within eleven minutes" in art.text
    assert "Most read" not in art.text and "All rights reserved" not in art.text  # page furniture
    marked = [art.text[s:e] for s, e in art.boilerplate_spans]
    assert marked == ["Subscribe to the Coastline Courier newsletter for daily updates."]


def test_jsonl_fields_aliases_and_metadata(tmp_path):
    f = write_jsonl(tmp_path / "a.jsonl", [
        {"id": "w1", "headline": "Boat sinks", "outlet": "Harbour Wire", "date": "2025-06-10",
         "link": "https://harbourwire.example/boat", "body": STORY, "section": "world"},
        {"url": "https://www.bbc.co.uk/news/boat-123", "text": STORY + " More."},
    ])
    (a, b), errors = read(f)
    assert not errors
    assert (a.id, a.title, a.source, a.published, a.url) == (
        "w1", "Boat sinks", "Harbour Wire", "2025-06-10", "https://harbourwire.example/boat")
    assert a.metadata == {"section": "world"}
    assert b.source == "bbc.co.uk"  # outlet from the URL's registrable domain, offline
    assert b.id.startswith("a-")


def test_csv_reader(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text('id,title,source,published,text,extra\nc1,"Boat, sinking",Wire,2025-01-02,"' + STORY + '",x\n',
                 encoding="utf-8")
    (art,), errors = read(f)
    assert not errors and art.id == "c1" and art.title == "Boat, sinking" and art.metadata == {"extra": "x"}


def test_warc_reader_keeps_html_responses_only(demo_dir):
    arts, errors = read(demo_dir / "valley-gazette-crawl.warc")
    assert not errors
    assert [a.source for a in arts] == ["Valley Gazette", "Velmora Times"]  # image and 404 skipped
    assert arts[0].metadata["warc_date"].startswith("2025-06-14T10:30")


def test_warc_gz_reader(tmp_path, demo_dir):
    data = (demo_dir / "valley-gazette-crawl.warc").read_bytes()
    from warcio.archiveiterator import ArchiveIterator
    from warcio.warcwriter import WARCWriter
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for rec in ArchiveIterator(io.BytesIO(data)):
        writer.write_record(rec)
    f = tmp_path / "crawl.warc.gz"
    f.write_bytes(out.getvalue())
    arts, errors = read(f)
    assert len(arts) == 2 and not errors


def test_rss_feed_reader(demo_dir):
    arts, errors = read(demo_dir / "northern-ledger-feed.rss")
    assert not errors
    assert [a.id for a in arts] == ["nl-ferry-fire-1", "nl-alder-falls-quake"]
    assert arts[0].source == "Northern Ledger"
    assert arts[0].published == "2025-06-14T11:00:00+00:00"
    assert "\n\n" in arts[0].text  # paragraphs kept


def test_atom_feed_reader(tmp_path):
    f = tmp_path / "feed.atom"
    f.write_text(f"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Isle Post</title>
      <entry><id>urn:1</id><title>Boat</title><link href="https://islepost.example/boat"/>
      <updated>2025-06-10T10:00:00Z</updated><summary>{STORY}</summary></entry></feed>""", encoding="utf-8")
    (art,), errors = read(f)
    assert not errors and art.id == "urn:1" and art.source == "Isle Post"


def test_containers_gz_bz2_zip(tmp_path):
    body = ("Boat sinks off Port Ellery\n\n" + STORY).encode()
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(body))
    (tmp_path / "b.txt.bz2").write_bytes(bz2.compress(body + b" B"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("inner/c.txt", body + b" C")
        zf.writestr("inner/d.jsonl", json.dumps({"id": "z1", "text": STORY}) + "\n")
    (tmp_path / "c.zip").write_bytes(buf.getvalue())
    arts, errors = read(tmp_path)
    assert not errors
    assert sorted(a.text[-2:] for a in arts) == sorted(["r.", " B", " C", "r."])
    assert {a.id for a in arts} >= {"z1"}


def test_archive_urls_are_unwrapped(tmp_path):
    f = write_jsonl(tmp_path / "a.jsonl", [
        {"url": "https://web.archive.org/web/20171114123456/https://www.bbc.com/news/world-123", "text": STORY}])
    (art,), _ = read(f)
    assert art.url == "https://www.bbc.com/news/world-123"
    assert art.source == "bbc.com"
    assert art.captured == "2017-11-14T12:34:56"


def test_non_english_is_stored_with_its_language(tmp_path):
    f = write_jsonl(tmp_path / "a.jsonl", [{"id": "fr", "text": (
        "Des équipes de secours ont fouillé le port mardi après le naufrage d'un bateau de pêche "
        "avec six marins à bord. Les garde-côtes ont déclaré que deux hommes avaient été sauvés.")}])
    (art,), _ = read(f)
    assert art.language == "fr"


def test_stdin(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(json.dumps({"id": "s1", "text": STORY}).encode())))
    (art,), errors = read("-")
    assert art.id == "s1" and not errors


# -- bad input: one clear error each, the rest goes on --

def bad_inputs(tmp_path):
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 owners in Port Ellery said the harbour was closed.".encode("latin-1"))
    (tmp_path / "broken.html").write_text("<html><body><div></div></body></html>")
    (tmp_path / "lines.jsonl").write_text(
        '{"id": "ok1", "text": "' + STORY + '"}\n{not json\n[1, 2]\n{"id": ["x"], "text": "t"}\n'
        '{"id": "n1", "text": 42}\n{"id": "ok1", "text": "' + STORY + '"}\n', encoding="utf-8")
    (tmp_path / "bad.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort")
    (tmp_path / "bad.rss").write_text("<rss><channel><title>x</title>")
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 30_000_000))
    (tmp_path / "trunc.txt.gz").write_bytes(gzip.compress(b"hello world " * 1000)[:50])
    outside = tmp_path.parent / (tmp_path.name + "-secret.txt")
    outside.write_text("secret text that must never be read " * 5)
    os.symlink(outside, tmp_path / "escape.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.txt").write_text("Boat sinks off Port Ellery\n\n" + STORY)


def test_bad_inputs_each_give_one_clear_error(tmp_path):
    bad_inputs(tmp_path)
    arts, errors = read(tmp_path)
    # the repeated id is read twice here; ingest turns the second into a duplicate-id error
    assert sorted(a.id for a in arts if a.id.startswith("ok")) == ["ok1", "ok1"]
    assert any("Port Ellery" in a.text and "Caf" in a.text for a in arts)  # latin-1 decoded
    assert any(a.text.endswith("alive from the water.") and a.title for a in arts)
    by_file = {}
    for e in errors:
        by_file.setdefault(os.path.basename(e.source), []).append(e)
    assert by_file["binary.txt"][0].code == "binary"
    assert by_file["empty.txt"][0].code == "empty"
    assert by_file["broken.html"][0].code == "no-text"
    assert sorted(e.record for e in by_file["lines.jsonl"]) == ["line 2", "line 3", "line 4", "line 5"]
    assert by_file["bad.warc"]
    assert by_file["bad.rss"][0].code == "bad-feed"
    assert by_file["bomb.txt.gz"][0].code == "bomb"
    assert by_file["trunc.txt.gz"][0].code == "corrupt-archive"
    assert by_file["escape.txt"][0].code == "symlink-escape"
    assert by_file["pipe.txt"][0].code == "not-a-file"
    assert all(str(e) and e.source for e in errors)
    assert not any("secret" in a.text for a in arts)


def test_file_over_size_limit(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("word " * 3000)
    _, errors = read(f, settings=Settings(max_file_bytes=1000))
    assert errors[0].code == "too-large" and "big.txt" in errors[0].source


def test_zip_bomb_member_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.txt", b"0" * 50_000_000)
        zf.writestr("fine.txt", "Boat sinks\n\n" + STORY)
    (tmp_path / "a.zip").write_bytes(buf.getvalue())
    arts, errors = read(tmp_path / "a.zip")
    assert [e.code for e in errors] == ["bomb"] and "bomb.txt" in errors[0].source
    assert len(arts) == 1


# -- the store: idempotent, versioned, errors recorded --

def run_ingest(db, *inputs):
    with Store(db) as store:
        run = store.begin_run("ingest", [str(i) for i in inputs])
        report = ingest([str(i) for i in inputs], store, run, S)
        store.finish_run(run, "ok")
        return report


def test_reingest_is_a_noop_and_changes_become_versions(tmp_path):
    db = tmp_path / "s.db"
    f = write_jsonl(tmp_path / "a.jsonl", [{"id": "v1", "text": STORY}, {"id": "v2", "text": STORY + " Two."}])
    first = run_ingest(db, f)
    assert (first.added, first.changed) == (2, 0)
    again = run_ingest(db, f)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)
    write_jsonl(f, [{"id": "v1", "text": STORY + " Updated."}])
    third = run_ingest(db, f)
    assert third.changed == 1 and [e.code for e in third.errors] == ["new-version"]
    with Store(db) as store:
        assert store.count("articles") == 2
        art = store.article("v1")
        assert art.version == 2 and art.text.endswith("Updated.") and art.metadata["versions"] == 2
        versions = store.conn.execute(
            "SELECT version, record FROM article_versions WHERE article_id='v1' ORDER BY version").fetchall()
        assert [v[0] for v in versions] == [1, 2]
        assert json.loads(versions[0][1])["text"] == STORY  # the old version is kept
        assert store.search("harbour coastguard") and store.search('") OR * NEAR(') == []


def test_errors_are_stored_and_good_records_kept(tmp_path):
    db = tmp_path / "s.db"
    (tmp_path / "in").mkdir()
    bad_inputs(tmp_path / "in")
    report = run_ingest(db, tmp_path / "in")
    with Store(db) as store:
        assert store.count("errors") == len(report.errors) >= 10
        assert store.count("articles") == report.added >= 3
        codes = [r[0] for r in store.conn.execute("SELECT code FROM errors")]
        assert codes.count("duplicate-id") == 1
        assert store.check()["ok"]


def test_seed_articles_get_outlet_and_trailer(seeds_dir):
    arts, errors = read(seeds_dir)
    assert not errors
    thinker = next(a for a in arts if "americanthinker" in a.origin)
    assert thinker.source == "American Thinker"  # a known outlet named in the file name
    assert [thinker.text[s:e] for s, e in thinker.boilerplate_spans] == [
        "If you experience technical problems, please write to"]
    assert thinker.title == "Hundreds of fighters in ISIS convoy allowed to escape Raqqa with weapons"
    summary = next(a for a in arts if "news-summary" in a.origin)
    assert summary.boilerplate_spans == []  # reported text is never marked


def test_records_built_on_two_processes_come_in_the_same_order_with_the_same_errors(tmp_path, monkeypatch):
    """A big input's records are built by forked workers when they are costly (ingest/parallel.py):
    the same articles and errors in the same order as in one process, a record's time limit
    included."""
    from storytrace.ingest import parallel

    bad_inputs(tmp_path)
    (tmp_path / "many.jsonl").write_text("".join(
        json.dumps({"id": f"m{i}", "text": f"{STORY} Update number {i}."}) + "\n" for i in range(60)),
        encoding="utf-8")
    paras = "".join(f"<p>{STORY} Paragraph {i}.</p><div><span>{i}</span></div>" for i in range(15_000))
    (tmp_path / "slow.html").write_text(f"<html><body><article>{paras}</article></body></html>")
    settings = Settings(max_record_seconds=1)

    def items(workers):
        out = []
        for item in iter_articles([str(tmp_path)], settings, workers=workers):
            out.append((item.source, item.message, item.code, item.record) if isinstance(item, RecordError)
                       else item.to_dict())
        return out

    one = items(1)
    monkeypatch.setattr(parallel, "SERIAL_FIRST", 5)
    monkeypatch.setattr(parallel, "CHUNK", 4)
    assert items(2) == one  # these records are cheap: built here, as with one worker
    monkeypatch.setattr(parallel, "MIN_MS_PER_RECORD", 0.0)
    started = []
    real_pool = parallel.ProcessPoolExecutor
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", lambda n: started.append(n) or real_pool(n))
    assert items(2) == one
    assert started == [2]
    assert len(one) > parallel.SERIAL_FIRST + 10 * parallel.CHUNK  # most were built by the workers
    assert [e for e in one if isinstance(e, tuple) and e[0].endswith("slow.html")][0][2] == "timeout"


def test_each_stored_batch_reports_the_articles_added_so_far(tmp_path):
    """The pipeline starts its workers once ingest has stored enough articles (on_stored)."""
    records = [{"id": f"b{i}", "text": f"{STORY} Number {i}."} for i in range(7)]
    f = write_jsonl(tmp_path / "b.jsonl", records + [{"id": "b0", "text": STORY + " Number 0."}])
    added: list[int] = []
    with Store(tmp_path / "s.db") as store:
        run = store.begin_run("ingest", [str(f)])
        report = ingest([str(f)], store, run, Settings(batch_size=3), on_stored=added.append)
        assert store.count("articles") == 7
    assert added == [3, 6, 7] and report.added == 7


# -- dates: plain ISO 8601 read by the standard library, the same as dateutil reads it --

@hsettings(max_examples=400, deadline=None)
@given(year=st.integers(1800, 2300), month=st.integers(0, 13), day=st.integers(0, 32),
       hour=st.integers(0, 25), minute=st.integers(0, 60), second=st.one_of(st.none(), st.integers(0, 61)),
       fraction=st.one_of(st.none(), st.text("0123456789", min_size=1, max_size=6)),
       sep=st.sampled_from("T "), zone=st.one_of(st.none(), st.just("Z"), st.tuples(
           st.sampled_from("+-"), st.integers(0, 25), st.integers(0, 60))))
def test_plain_iso_dates_read_as_dateutil_reads_them(year, month, day, hour, minute, second, fraction, sep, zone):
    from storytrace.ingest.normalize import _PLAIN_ISO, _from_dateutil, normalise_date

    raw = f"{year:04d}-{month:02d}-{day:02d}{sep}{hour:02d}:{minute:02d}"
    if second is not None:
        raw += f":{second:02d}" + (f".{fraction}" if fraction else "")
    if zone == "Z":
        raw += "Z"
    elif zone:
        raw += f"{zone[0]}{zone[1]:02d}:{zone[2]:02d}"
    assert _PLAIN_ISO.fullmatch(raw)  # the fast path takes it
    assert normalise_date(raw) == _from_dateutil(raw)


def test_dates_in_and_outside_the_plain_iso_form():
    from storytrace.ingest.normalize import _PLAIN_ISO, normalise_date

    assert normalise_date("June 10, 2025 10:00") == ("2025-06-10T10:00:00", None)
    assert normalise_date("2025-06-10") == ("2025-06-10", None)
    assert _PLAIN_ISO.fullmatch("٢٠٢٥-٠٦-١٠T10:00") is None  # other scripts' digits: dateutil decides
    assert normalise_date("2025-06-10T10:00:00Z") == ("2025-06-10T10:00:00+00:00", None)
    assert normalise_date("not a date") == (None, "not a date")


def test_an_offset_of_24_hours_keeps_the_record_with_its_date_unread(tmp_path):
    # dateutil reads "+24:00", but no datetime can be written with it: this used to raise.
    f = tmp_path / "a.jsonl"
    write_jsonl(f, [{"id": "z1", "text": STORY, "published": "June 10, 2025 10:00 +24:00"},
                    {"id": "z2", "text": STORY + " Again.", "published": "2025-06-10T10:00+24:00"}])
    arts = [a for a in iter_articles([str(f)], S)]
    assert [a.id for a in arts] == ["z1", "z2"]
    assert [a.published for a in arts] == [None, None]
    assert arts[0].metadata["published_raw"] == "June 10, 2025 10:00 +24:00"
