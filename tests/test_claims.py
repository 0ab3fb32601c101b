"""Quantitative claims: intervals, subjects, events and sources on real and fictional news."""
from __future__ import annotations

from pathlib import Path

import pytest

from storytrace.model import Article, Quote
from storytrace.stages.claim_numbers import find_numbers, vague_interval, words_to_number
from storytrace.stages.claims import extract_claims

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _seed(name: str) -> Article:
    path = SEEDS / name
    if not path.exists():
        pytest.skip("seed articles not available")
    return Article(id=path.stem, text=path.read_text(encoding="utf-8"))


def _by_text(claims, text):
    found = [c for c in claims if c.text == text]
    assert found, f"no claim {text!r} in {[c.text for c in claims]}"
    return found[0]


def _figures(text: str, published: str | None = None):
    return [(text[e.start:e.end], e.low, e.high, e.kind) for e in find_numbers(text, published=published)]


# -- number expressions --------------------------------------------------------------------

@pytest.mark.parametrize("text,value", [("two hundred and fifty", 250), ("forty-two", 42),
                                        ("a thousand", 1000), ("three million", 3_000_000),
                                        ("twelve", 12), ("lorry", None)])
def test_number_words(text, value):
    assert words_to_number(text) == value


@pytest.mark.parametrize("sentence,expected", [
    ("Officials counted 3,500 tents.", ("3,500", 3500, 3500, "count")),
    ("Ten trucks were loaded.", ("Ten", 10, 10, "count")),
    ("The column was six to seven kilometres long.", ("six to seven kilometres", 6, 7, "distance")),
    ("They killed about 500 or 600 people.", ("about 500 or 600", 450, 660, "count")),
    ("A convoy of almost 50 trucks left.", ("almost 50", 45, 50, "count")),
    ("Police arrested more than 100 people.", ("more than 100", 101, None, "count")),
    ("There were at least 225 cases.", ("at least 225", 225, None, "count")),
    ("Fewer than 300 people voted.", ("Fewer than 300", None, 299, "count")),
    ("Between 5 and 10 boats sank.", ("Between 5 and 10", 5, 10, "count")),
    ("Turnout rose to 45.5 per cent.", ("45.5 per cent", 45.5, 45.5, "percent")),
    ("A 7.1-magnitude quake hit.", ("7.1", 7.1, 7.1, "magnitude")),
    ("Smugglers charged £3,000 per person.", ("£3,000", 3000, 3000, "money")),
    ("The fund holds $2.5bn.", ("$2.5bn", 2.5e9, 2.5e9, "money")),
    ("The siege lasted four months.", ("four months", 4, 4, "duration")),
    ("A 12-year-old boy was hurt.", ("12-year-old", 12, 12, "age")),
])
def test_number_expressions_become_intervals(sentence, expected):
    assert expected in _figures(sentence)


@pytest.mark.parametrize("phrase,interval", [("hundreds", (200, 999)), ("dozens", (24, 144)),
                                             ("a few dozen", (24, 60)), ("several hundred", (300, 900)),
                                             ("thousands", (2000, 9999)),
                                             ("tens of thousands", (20_000, 99_999))])
def test_vague_quantities(phrase, interval):
    assert vague_interval(phrase) == interval


def test_codes_and_times_are_not_figures():
    figures = [f[0] for f in _figures("Men with AK47s met at 10:30 about COVID-19 on Route-66.")]
    assert figures == []


def test_dates_normalised_against_publication():
    text = "The convoy left on October 12. Talks ended on Monday. It began in 2016."
    assert {t for t, _, _, k in _figures(text, "2017-10-25") if k == "date"} == {"October 12", "Monday", "2016"}
    found = {text[e.start:e.end]: e.date for e in find_numbers(text, published="2017-10-25T10:00:00")}
    assert found == {"October 12": "2017-10-12", "Monday": "2017-10-23", "2016": "2016"}
    undated = {text[e.start:e.end]: e.date for e in find_numbers(text)}
    assert undated["October 12"] == "--10-12" and "Monday" not in undated


# -- claims on fictional news ----------------------------------------------------------------

QUAKE = Article(id="q1", source="Wire One", published="2024-03-04T08:00:00", text=(
    "Quake kills dozens in mountain province\n\n"
    "A magnitude 6.8 earthquake struck Veldra on Sunday, killing at least 45 people and injuring "
    "more than 300, officials said.\n\n"
    "The death toll has since risen to 61, the interior ministry said, while the number of injured "
    "stood at 340.\n\n"
    "“We lost twelve teachers,” said Mayor Ana Ruiz. Rescue teams are searching for about 20 people "
    "still missing."))


def test_claims_carry_subject_event_and_source():
    claims = extract_claims(QUAKE)
    killed = _by_text(claims, "at least 45 people")
    assert (killed.low, killed.high, killed.subject, killed.attributed_to) == (45, None, "people killed", "officials")
    injured = _by_text(claims, "more than 300")
    assert (injured.low, injured.subject) == (301, "people injured")
    toll = _by_text(claims, "61")
    assert (toll.subject, toll.attributed_to) == ("people killed", "the interior ministry")
    assert _by_text(claims, "340").subject == "people injured"
    assert _by_text(claims, "twelve teachers").attributed_to == "Mayor Ana Ruiz"
    missing = _by_text(claims, "about 20 people")
    assert (missing.low, missing.high, missing.subject, missing.extra["approximate"]) == (18, 22, "people missing", True)
    assert _by_text(claims, "dozens").extra["vague"] is True
    date = _by_text(claims, "Sunday")
    assert date.extra["date"] == "2024-03-03" and date.low is None and date.high is None


def test_spans_point_into_the_stored_text_and_ids_are_stable():
    claims = extract_claims(QUAKE)
    assert claims
    for c in claims:
        assert QUAKE.text[c.span[0]:c.span[1]] == c.text
        s, e = c.extra["sentence_span"]
        assert s <= c.span[0] < c.span[1] <= e
    again = extract_claims(QUAKE)
    assert [c.to_dict() for c in claims] == [c.to_dict() for c in again]
    assert len({c.id for c in claims}) == len(claims)


def test_boilerplate_and_other_languages_are_skipped():
    text = "Subscribe now: 3 months for £1.\n\nRebels freed 40 hostages on Friday."
    art = Article(id="b1", text=text, boilerplate_spans=[(0, text.index("\n"))])
    assert [c.text for c in extract_claims(art) if c.extra["kind"] != "date"] == ["40 hostages"]
    assert extract_claims(Article(id="f1", text="Les rebelles ont libéré 40 otages.", language="fr")) == []


def test_quote_speakers_from_the_quotes_stage_attribute_numbers_inside_quotes():
    text = "“They killed about 500 or 600 people, fighters and families,” he said on the phone."
    art = Article(id="h1", text=text)
    quote = Quote(id="q-1", article="h1", text=text[1:text.index("”")], span=(1, text.index("”")),
                  speaker="Abu Musab Huthaifa")
    with_quotes = _by_text(extract_claims(art, [quote]), "about 500 or 600 people")
    assert with_quotes.attributed_to == "Abu Musab Huthaifa"
    assert with_quotes.subject == "people killed"
    assert _by_text(extract_claims(art), "about 500 or 600 people").attributed_to is None


def test_itemised_list_yields_a_summed_total():
    art = Article(id="i1", text="Soldiers killed 5 fighters and 3 civilians, a spokesman said.")
    total = _by_text(extract_claims(art), "5 fighters and 3 civilians")
    assert (total.low, total.high, total.unit, total.subject) == (8, 8, "people", "people killed")
    assert [p["text"] for p in total.extra["parts"]] == ["5 fighters", "3 civilians"]


# -- the seed articles ---------------------------------------------------------------------------

def test_seed_vehicle_list_and_fighter_figures():
    summary = extract_claims(_seed("raqqa-convoy-news-summary.txt"))
    total = _by_text(summary, "almost 50 trucks, 13 buses and more than 100 IS vehicles")
    assert (total.low, total.high, total.unit) == (159, None, "vehicles")
    assert [(p["low"], p["high"]) for p in total.extra["parts"]] == [(45, 50), (13, 13), (101, None)]
    sdf = _by_text(summary, "only a few dozen fighters")
    assert (sdf.low, sdf.high, sdf.attributed_to, sdf.extra["event"]) == (24, 60, "the SDF", "left")
    coalition = _by_text(summary, "Some 250 IS fighters")
    assert (coalition.low, coalition.high, coalition.subject) == (225, 275, "IS fighters")
    assert "coalition" in coalition.attributed_to
    people = _by_text(summary, "Some 250 IS fighters were allowed to leave Raqqa, with 3,500 of their family members")
    assert (people.low, people.high, people.unit) == (3725, 3775, "people")
    assert _by_text(summary, "around 4,000 people").attributed_to == "one driver"
    assert _by_text(summary, "six to seven kilometres").extra["kind"] == "distance"
    assert _by_text(summary, "112 people").extra["qualifier"] == "subset"  # "in my vehicle alone"
    thinker = extract_claims(_seed("raqqa-convoy-americanthinker.txt"))
    vehicles = _by_text(thinker, "163 vehicles")
    assert (vehicles.low, vehicles.high, vehicles.attributed_to) == (163, 163, "witnesses")
    assert _by_text(thinker, "£3,000").unit == "GBP"
    assert _by_text(thinker, "only four").subject == "foreign fighters"  # the antecedent


# -- robustness -------------------------------------------------------------------------------

from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

_PIECES = ["hundreds", "of", "people", "killed", "more than", "a few dozen", "between", "and", "to",
           "said", "police", "1,000", "3.5", "£2bn", "October 12", "Monday", "almost", "injured",
           "99999999999999999999", "0", "-", "%", "per cent", "km", "year-old", "magnitude", "“", "”",
           ".", ",", "\n\n", "at least", "up to"]


@hsettings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=8)), max_size=40),
       st.sampled_from([None, "2024-02-29", "not a date", "2024-13-45T00:00"]))
def test_any_text_gives_valid_spans_and_never_raises(pieces, published):
    art = Article(id="fuzz", text=" ".join(pieces), published=published)
    for c in extract_claims(art):
        assert art.text[c.span[0]:c.span[1]] == c.text
        assert c.low is None or c.high is None or c.low <= c.high


_TAGGED = ("The operation seized six AK-47 rifles, 12 magazines and a .357 Magnum that she legally "
           "owned.  Police responded to a 911 call from a man in the 9700 block of Shady Tree Lane, "
           "where something odd happened; it's the 2007 World Series MVP who reportedly said that "
           "anyone could see 300 passing yards against the Saints back in Week 11.\n"
           "There were 40 people there, but Papandreou's Socialists hold a comfortable lead.")


def test_tagged_window_gives_the_sentences_tags_and_pos():
    """The claims tagger reads tags from a window of the sentence, POS from the ruler's rules
    by lookup (nlp.tag): both must equal spaCy's full tagger + attribute_ruler on the sentence."""
    from storytrace.nlp import load_english, ruler_lookup
    from storytrace.stages import claims
    from storytrace.stages.claim_subjects import Phrase

    assert ruler_lookup(claims.TAGGER) is not None  # en_core_web_sm's rules are all readable
    full = load_english(claims.TAGGER)(_TAGGED)
    tagger = claims._LazyTagger(_TAGGED)
    for tok in full:
        if tok.is_space:
            continue
        start, end = tok.idx, tok.idx + len(tok.text)
        ws, we = tagger._window(0, len(_TAGGED), Phrase(tok.text, start, end, [tok.text], False))
        window = claims._tag([_TAGGED[ws:we]])[0]
        same = [t for t in window if ws + t.idx == start]
        assert same and same[0].text == tok.text, tok.text
        assert (same[0].tag_, same[0].pos_) == (tok.tag_, tok.pos_), tok.text
