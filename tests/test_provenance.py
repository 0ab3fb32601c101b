"""Provenance graph of a story: duplicate, syndicated copy, crediting re-report, origins."""
import json
import sqlite3
from pathlib import Path

import networkx as nx

from storytrace.export.graph import export_graph, story_graph, write_graph
from storytrace.model import Analysis, Article, Story
from storytrace.stages.provenance import independent_origins, trace_provenance

STORY = json.loads((Path(__file__).parent / "data" / "provenance_story.json").read_text())
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def story_articles():
    return [Article(**v, story="s1") for v in STORY.values()]


def kinds(prov):
    return {(lk.from_, lk.kind, lk.to, lk.to_source) for lk in prov.links}


def test_copy_reReport_and_origin():
    prov = trace_provenance("s1", story_articles(), {})
    k = kinds(prov)
    assert ("wire-copy", "copies-text", "bbc-1", "BBC") in k
    assert ("guardian-1", "copies-text", "bbc-1", "BBC") in k  # a copy that credits: both links
    assert ("guardian-1", "cites", "bbc-1", "BBC") in k
    assert not [x for x in k if x[0] == "bbc-1"]  # the origin derives from nothing
    copy = next(lk for lk in prov.links if lk.from_ == "wire-copy" and lk.kind == "copies-text")
    reReport = next(lk for lk in prov.links if lk.from_ == "guardian-1" and lk.kind == "copies-text")
    assert copy.extra["uncredited"] is True and reReport.extra["uncredited"] is False
    assert copy.extra["direction"] == "time" and copy.extra["share"] > 0.9
    assert prov.origins == ["bbc-1", "local-1"]
    assert prov.origin_of == {"bbc-1": "bbc-1", "wire-copy": "bbc-1", "guardian-1": "bbc-1", "local-1": "local-1"}
    assert independent_origins(["bbc-1", "wire-copy", "guardian-1"], prov.origin_of) == 1
    assert independent_origins(["wire-copy", "local-1"], prov.origin_of) == 2


def test_passage_spans_point_at_the_same_words():
    arts = {a.id: a for a in story_articles()}
    prov = trace_provenance("s1", list(arts.values()), {})
    for lk in prov.links:
        if lk.kind == "copies-text":
            for p in lk.passages:
                frm = arts[lk.from_].text[p.from_span[0]:p.from_span[1]].split()
                to = arts[lk.to].text[p.to_span[0]:p.to_span[1]].split()
                assert frm[:3] == to[:3] and frm[-3:] == to[-3:]


def test_duplicates_link_to_their_representative_and_share_its_origin():
    arts = story_articles()
    dup = Article(**{**STORY["syndicated"], "id": "wire-copy-2", "source": "Eastern Courier"}, story="s1")
    prov = trace_provenance("s1", arts + [dup], {"wire-copy-2": "wire-copy"})
    assert ("wire-copy-2", "duplicate", "wire-copy", "Northern Courier") in kinds(prov)
    assert prov.origin_of["wire-copy-2"] == "bbc-1"
    assert not [lk for lk in prov.links if lk.from_ == "wire-copy-2" and lk.kind == "copies-text"]


def test_siblings_of_a_common_source_share_text():
    origin = STORY["origin"]["text"]
    ps = origin.split("\n\n")
    a = Article(id="o", text=origin, published="2024-03-04T08:00:00Z", source="BBC News")
    b = Article(id="b", text="\n\n".join(ps[:4]), published="2024-03-04T09:00:00Z")
    c = Article(id="c", text="\n\n".join(ps[1:5]) + "\n\nA line of our own about local roads.",
                published="2024-03-04T10:00:00Z")
    prov = trace_provenance("s", [c, b, a], {})
    k = kinds(prov)
    assert ("b", "copies-text", "o", "BBC") in k and ("c", "copies-text", "o", "BBC") in k
    sibling = [lk for lk in prov.links if {lk.from_, lk.to} == {"b", "c"}]
    assert [lk.kind for lk in sibling] == ["shares-text"] and sibling[0].extra["common_source"] == "o"
    assert prov.origins == ["o"]


def test_order_of_input_does_not_change_the_result():
    arts = story_articles()
    one = trace_provenance("s1", arts, {}).to_dict()
    two = trace_provenance("s1", list(reversed(arts)), {}).to_dict()
    assert one == two


def test_graph_reads_back_with_timeline_and_dirty_labels(tmp_path):
    arts = story_articles()
    arts[0].title = "Dam\x01 breach\x0b \ud800report"
    prov = trace_provenance("s1", arts, {})
    analysis = Analysis(articles=arts, links=prov.links,
                        stories=[Story("s1", "Dam", [a.id for a in arts], origins=prov.origins)])
    g = story_graph(analysis.to_dict())
    assert g.has_edge("guardian-1", "bbc-1") and g.edges["guardian-1", "bbc-1"]["kinds"] == "cites copies-text"
    for fmt in ("gexf", "graphml"):
        path = write_graph(g, tmp_path / f"g.{fmt}", fmt)
        back = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
        assert set(back.nodes) == set(g.nodes) and back.number_of_edges() == g.number_of_edges()
        assert back.nodes["bbc-1"]["label"] == "Dam breach report"
    assert nx.read_gexf(tmp_path / "g.gexf").nodes["bbc-1"]["start"] == "2024-03-04T08:00:00"


def test_export_graph_from_store(tmp_path):
    from storytrace.store.schema import MIGRATIONS

    db = tmp_path / "st.db"
    con = sqlite3.connect(db)
    for script in MIGRATIONS:
        con.executescript(script)
    arts = story_articles()
    prov = trace_provenance("s1", arts, {})
    for a in arts:
        con.execute("INSERT INTO articles (id, content_hash, source, title, published, text, story_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", (a.id, a.id, a.source, a.title, a.published, a.text, "s1"))
    for lk in prov.links:
        con.execute("INSERT INTO links (story_id, from_article, to_article, to_source, kind, cue, passages, data) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ("s1", lk.from_, lk.to, lk.to_source, lk.kind, lk.cue,
                                                        json.dumps([p.to_dict() for p in lk.passages]),
                                                        json.dumps(lk.extra)))
    con.execute("INSERT INTO stories (id, origins) VALUES ('s1', ?)", (json.dumps(prov.origins),))
    con.commit()
    con.close()
    out = export_graph(db, "gexf", tmp_path / "out.gexf")
    g = nx.read_gexf(out)
    assert g.nodes["bbc-1"]["origin"] is True and g.nodes["wire-copy"]["origin"] is False
    assert g.edges["wire-copy", "bbc-1"]["uncredited"] is True


def test_seeds_derive_from_one_outside_origin():
    if not SEEDS.exists():
        import pytest
        pytest.skip("shared seeds absent")
    a = Article(id="at", text=(SEEDS / "raqqa-convoy-americanthinker.txt").read_text(), source="American Thinker")
    b = Article(id="ns", text=(SEEDS / "raqqa-convoy-news-summary.txt").read_text())
    prov = trace_provenance("raqqa", [a, b], {})
    k = kinds(prov)
    assert ("at", "cites", None, "BBC") in k and ("at", "cites", None, "Daily Mail") in k
    assert ("ns", "cites", None, "BBC") in k
    shared = [lk for lk in prov.links if lk.kind in ("copies-text", "shares-text")]
    assert [(lk.kind, lk.extra["common_source"]) for lk in shared] == [("shares-text", "quoted speech")]
    assert prov.origins == [] and prov.origin_sources == ["BBC"]
    assert independent_origins(["at", "ns"], prov.origin_of) == 1


WIRE = ("HALVARD, May 2 (NPA) - Flooding closed the main road into Halvard on Friday after the river "
        "burst its banks overnight, officials said. About 300 homes were evacuated and two bridges were shut.")


def test_wire_acronym_credits_the_agency_and_short_credits_name_the_outlet():
    wire = Article(id="w", text=WIRE, source="Northmoor Press Agency", published="2025-05-02T08:00:00")
    copy = Article(id="c", text=WIRE + " The council opened a rest centre.", source="Halvard Gazette",
                   published="2025-05-02T10:00:00")
    local = Article(id="l", text="Flood water reached the market square, the Halvard Gazette reported. "
                                 "Residents told the Gazette they had no warning. According to the Gazette, "
                                 "the council opened a rest centre.", source="Lowmoor Times",
                    published="2025-05-02T12:00:00")
    prov = trace_provenance("s", [wire, copy, local], {"c": "w"})
    cites = {(lk.from_, lk.to, lk.to_source) for lk in prov.links if lk.kind == "cites"}
    assert ("c", "w", "Northmoor Press Agency") in cites  # "(NPA) -" is the agency's dateline
    assert not any(f == "w" for f, _, _ in cites)  # the agency's own dateline is no credit
    assert [(t, s) for f, t, s in cites if f == "l"] == [("c", "Halvard Gazette")]  # one outlet, one link


def test_outlet_calling_itself_by_its_last_word_is_not_a_credit():
    art = Article(id="t", text="\"We were lucky,\" the mayor told the Times on Monday.", source="Lowmoor Times")
    prov = trace_provenance("s", [art], {})
    assert not [lk for lk in prov.links if lk.kind == "cites"]


KESSICK_WIRE = ("KESSICK (Meridian Press Agency) - Flood water reached the market square in Kessick on "
        "Tuesday night after the river broke its banks, and the fire service said 41 homes were "
        "evacuated. \"We have never seen the water this high,\" said Ana Ruiz, who runs a bakery "
        "on the square.")


def test_exact_copies_pass_the_whole_text_as_the_aligner_finds_it():
    from storytrace.settings import Settings
    from storytrace.stages.reuse import align

    rep = Article(id="wire-0", text=KESSICK_WIRE, source="Meridian Press Agency", story="s")
    copies = [Article(id=f"wire-{i}", text=KESSICK_WIRE, source=f"outlet{i % 7}.example", story="s") for i in range(1, 40)]
    prov = trace_provenance("s", [rep] + copies, {c.id: rep.id for c in copies})
    dups = [lk for lk in prov.links if lk.kind == "duplicate"]
    assert sorted(lk.from_ for lk in dups) == sorted(c.id for c in copies)  # one link per copy
    whole = (0, len(KESSICK_WIRE) - 1)  # first word to last word (the final full stop is no word)
    aligned = align(rep, copies[0], Settings())  # what the aligner gives for identical texts
    assert [(p.b_span, p.a_span) for p in aligned.passages] == [(whole, whole)]
    for lk in dups:
        assert [(p.from_span, p.to_span) for p in lk.passages] == [(whole, whole)]
        assert lk.extra["share"] == round(aligned.share_b, 3) == 1.0
        assert lk.extra["uncredited"] is False  # every copy credits the agency in its dateline
    # every copy's credit goes to the agency's article, and all share its origin
    cites = {lk.from_: lk.to for lk in prov.links if lk.kind == "cites"}
    assert all(cites[c.id] == "wire-0" for c in copies)
    assert set(prov.origin_of.values()) == {"wire-0"}
    assert all(at.article == c.id for c in copies for at in prov.attributions[c.id])


def test_short_exact_copy_still_carries_its_whole_text():
    # Too short for the aligner (reuse_min_words), but an exact copy carries all of it.
    text = "Ferry service resumes on Monday."
    rep, cp = Article(id="a", text=text, source="One"), Article(id="b", text=text, source="Two")
    prov = trace_provenance("s", [rep, cp], {"b": "a"})
    (lk,) = [lk for lk in prov.links if lk.kind == "duplicate"]
    assert [(p.from_span, p.to_span) for p in lk.passages] == [((0, len(text) - 1), (0, len(text) - 1))]
    assert lk.extra["share"] == 1.0
