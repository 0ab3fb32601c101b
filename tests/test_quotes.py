"""Quotes and speakers (issue 5) on small fictional news texts and the two seed articles."""
from pathlib import Path

import pytest

from storytrace.model import Article
from storytrace.stages.quote_groups import canonical_speakers, group_quotes
from storytrace.stages.quotes import extract_quotes

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def quotes(text, **kw):
    return extract_quotes(Article(id="a1", text=text, **kw))


def one(text):
    qs = quotes(text)
    assert len(qs) == 1, [(q.text, q.speaker) for q in qs]
    return qs[0]


def test_said_name_after_quote_with_role_and_span():
    text = '"The bridge will reopen on Monday," said Mayor Ana Ortiz, a spokeswoman for the council.'
    q = one(text)
    assert q.text == "The bridge will reopen on Monday,"
    assert text[q.span[0]:q.span[1]] == '"The bridge will reopen on Monday,"'
    assert q.speaker == "Mayor Ana Ortiz"
    assert q.extra["speaker_role"] == "a spokeswoman for the council"
    assert q.extra["cue"] == "said" and q.extra["unnamed"] is False
    s, e = q.extra["speaker_span"]
    assert text[s:e] == "Mayor Ana Ortiz"


def test_name_said_colon_before_quote():
    q = one("Ortiz said: \u201cWe expect heavy traffic all week.\u201d")
    assert q.speaker == "Ortiz" and q.text == "We expect heavy traffic all week."


def test_pronoun_resolved_to_person_named_before():
    text = ("Harbour master Tomas Reyes inspected the damaged pier on Friday. "
            "\u201cIt is worse than we feared,\u201d he told the Gazette.")
    q = one(text)
    assert q.speaker == "Tomas Reyes" and q.extra["cue"] == "told"


def test_quote_over_several_paragraphs_is_one_quote():
    text = ("The inspector said, \u201cThe wall was never built to carry this load.\n\n"
            "\u201cWe warned the owners twice and they ignored us.\u201d\n\nWork stopped on Tuesday.")
    q = one(text)
    assert "never built" in q.text and "ignored us" in q.text
    assert q.speaker == "The inspector" or q.speaker == "inspector" or q.extra["unnamed"]


def test_quote_split_by_attribution_is_one_quote():
    q = one('"I think," Reyes said, "that the pier can be saved."')
    assert q.text == "I think, that the pier can be saved."
    assert q.speaker == "Reyes" and len(q.extra["fragments"]) == 2


@pytest.mark.parametrize("marks", [("\u201c", "\u201d"), ('"', '"'), ("'", "'"), ("\u00ab", "\u00bb"),
                                   ("\u2018", "\u2019")])
def test_quotation_mark_styles(marks):
    o, c = marks
    q = one(f"{o}We didn't plan for a flood this big,{c} said Nadia Kowalski.")
    assert q.speaker == "Nadia Kowalski"
    assert q.text == "We didn't plan for a flood this big,"


def test_unnamed_speakers_kept_as_written():
    qs = quotes("One driver told the Gazette: \u201cThe road was closed for hours.\u201d\n\n"
                "\u201cNobody warned us about the checkpoint,\u201d said a smuggler.")
    assert [(q.speaker, q.extra["unnamed"]) for q in qs] == [("One driver", True), ("a smuggler", True)]


def test_titles_and_scare_quotes_are_not_quotes():
    assert quotes('Reyes says his favourite film is "The Old Man and the Sea".') == []
    assert quotes('Critics called the plan "reckless" and the council a "talking shop".') == []


def test_continuation_paragraph_keeps_speaker():
    qs = quotes("\u201cWe will rebuild,\u201d said Ana Ortiz.\n\n\u201cBut it will take years and "
                "a lot of money from the state.\u201d")
    assert [q.speaker for q in qs] == ["Ana Ortiz", "Ana Ortiz"]
    assert qs[1].extra["cue"] == "continuation"


def test_non_english_is_skipped_and_output_is_deterministic():
    text = '"We will rebuild," said Ana Ortiz.'
    assert quotes(text, language="fr") == []
    assert [q.to_dict() for q in quotes(text)] == [q.to_dict() for q in quotes(text)]


def test_canonical_speakers_merge_titles_and_surnames():
    m = canonical_speakers(["Colonel Ryan Dillon", "Col. Dillon", "Dillon", "Col Ryan Dillon"])
    assert set(m.values()) == {"Ryan Dillon"}
    m = canonical_speakers(["Hillary Clinton", "Bill Clinton", "Clinton"])
    assert m["Clinton"] == "Clinton" and m["Bill Clinton"] == "Bill Clinton"


def test_group_quotes_fidelity_across_outlets():
    a = Article(id="a", text='"The dam is safe and the valley will not flood," said Col. Ryan Dillon.',
                published="2024-01-01T10:00:00")
    b = Article(id="b", text='"The dam is safe," said Dillon.', published="2024-01-01T12:00:00")
    c = Article(id="c", text='"The dam is totally safe and the valley will not flood," Dillon said.',
                published="2024-01-02T09:00:00")
    d = Article(id="d", text='"The dam is safe and the valley will not flood," said Mayor Ana Ortiz.',
                published="2024-01-03T09:00:00")
    arts = {x.id: x for x in (a, b, c, d)}
    qs = [q for x in (d, c, b, a) for q in extract_quotes(x)]
    out, groups = group_quotes("s1", qs, arts, origin_of={"b": "a"})
    assert len({q.group for q in out}) == 1
    g = groups[0]
    assert g["speaker"] == "Ryan Dillon" and g["canonical_text"].startswith("The dam is safe and")
    fid = {v["article"]: v["fidelity"] for v in g["variants"]}
    assert fid == {"a": "verbatim", "b": "truncated", "c": "altered", "d": "misattributed"}
    assert g["independent_origins"] == 3
    assert ["insert", "", "totally"] in next(v["diff"] for v in g["variants"] if v["article"] == "c")


@pytest.fixture(scope="module")
def seeds():
    if not SEEDS.exists():
        pytest.skip("seed articles absent")
    return {p.stem: Article(id=p.stem, text=p.read_text()) for p in sorted(SEEDS.glob("*.txt"))}


def test_seed_dillon_quotes_found_and_grouped(seeds):
    qs = [q for a in seeds.values() for q in extract_quotes(a)]
    dillon = [q for q in qs if q.speaker and "Dillon" in q.speaker]
    assert {q.article for q in dillon} == set(seeds)
    assert sum("didn" in q.text and "want anyone to leave" in q.text for q in dillon) == 2
    assert sum(q.text.startswith("But this goes to the heart of our strategy") for q in dillon) == 2
    out, groups = group_quotes("raqqa", qs, seeds)
    by_group = {}
    for q in out:
        if q.speaker and "Dillon" in q.speaker:
            by_group.setdefault(q.group, set()).add(q.article)
    assert len(by_group) == 2 and all(arts == set(seeds) for arts in by_group.values())
    # scare quotes in the column are not quotes; the smuggler keeps his own words
    assert not any(q.text == "huge number" for q in qs)


# -- issue 5 follow-up: recall and speaker patterns --------------------------------------

def test_partial_quotes_in_one_sentence_share_the_attribution():
    qs = quotes("Mayor Ana Ortiz said the new bridge was not \u201ca luxury for commuters\u201d "
                "but \u201ca lifeline for the whole valley.\u201d")
    assert [q.speaker for q in qs] == ["Mayor Ana Ortiz", "Mayor Ana Ortiz"]


def test_three_word_partial_quote_kept_only_inside_reported_speech():
    q = one("Reyes said the harbour plan was \u201ca total failure\u201d on Tuesday.")
    assert q.speaker == "Reyes" and q.text == "a total failure"
    assert quotes("The harbour plan was a \u201ctotal failure indeed\u201d for the town.") == []


def test_participle_cue_takes_the_main_clause_subject():
    q = one("Speaking at a school in Dunmore, Harbour master Tomas Reyes criticised the council, "
            "calling its plan \u201ca waste of everyone's time.\u201d")
    assert q.speaker.endswith("Tomas Reyes") and q.extra["cue"] == "calling"


def test_participle_cue_not_read_as_inverted_speaker():
    q = one("Nadia Kowalski criticised the budget on Monday, saying the cuts go "
            "\u201cfar deeper than anyone was told.\u201d")
    assert q.speaker == "Nadia Kowalski"


def test_pronoun_subject_inside_a_clause():
    q = one("Kowalski had a blunt answer for the board when she said, "
            "\u201cThe money is gone and nobody will tell us where.\u201d")
    assert q.speaker == "Kowalski"


def test_colon_paragraph_introduces_the_next_quote():
    qs = quotes("The council leader, Ana Ortiz, continued:\n\n"
                "\u201cWe cannot keep patching a bridge that was built for horses.\u201d")
    assert len(qs) == 1 and qs[0].speaker == "Ana Ortiz"


def test_capitalised_inverted_cue_and_apposition_name():
    qs = quotes("Added Tomas Reyes: \u201cThe pier will stay closed until spring.\u201d\n\n"
                "Her deputy, Nadia Kowalski, said: \u201cWe have asked the state for help twice.\u201d")
    assert [q.speaker for q in qs] == ["Tomas Reyes", "Nadia Kowalski"]


def test_dialogue_tag_with_any_past_tense_verb():
    qs = quotes("\u201cGet off my pier!\u201d bellowed Tomas Reyes at the crowd.\n\n"
                "\u201cThat was the last ferry,\u201d Ortiz sighed as it left.")
    assert [q.speaker for q in qs] == ["Tomas Reyes", "Ortiz"]


def test_quote_governed_by_a_non_speech_verb_in_the_parse():
    q = one("After the inspector Tomas Reyes criticised the plan, Ortiz shot back, "
            "\u201cThe inspector has never once visited the site.\u201d")
    assert q.speaker == "Ortiz"


def test_show_and_work_titles_with_inner_commas_are_not_quotes():
    text = ("Speaking on Channel 9's \u201cMorning Harbour,\u201d Ortiz said the ferry would "
            "return. Reyes was the founder of \u201cFriends of Dunmore Pier.\u201d")
    assert quotes(text) == []


def test_pronoun_resolves_to_an_apposition_subject():
    text = ('Harbour master Captain Elena Marsh said: "We got every lifeboat in the water within eleven minutes."'
            '\n\nFishing boats joined the rescue. One skipper, Tomas Reid, said he pulled nine people from the '
            'water. "They were freezing and some were badly burned," he said.')
    quotes = extract_quotes(Article(id="x", text=text, language="en"))
    assert [q.speaker for q in quotes] == ["Captain Elena Marsh", "Tomas Reid"]
