"""Credits in text: media vs person, outlet normalisation, user aliases, the seeds."""
import json
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from storytrace.model import Article
from storytrace.stages.attributions import find_attributions, outlet_name

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def credits(text, source=None, aliases=None):
    art = Article(id="t", text=text, source=source)
    return [(a.kind, a.source, a.pattern) for a in find_attributions(art, aliases)]


@pytest.mark.parametrize("text, source, pattern", [
    ("The minister resigned on Friday, the BBC reported.", "BBC", "reported"),
    ("A resident told Reuters the bridge had collapsed.", "Reuters", "told"),
    ("According to The New York Times, the deal was signed in May.", "New York Times", "according-to"),
    ("WASHINGTON (AP) — Congress passed the bill late on Tuesday.", "Associated Press", "dateline"),
    ("PARIS (AFP) - Farmers blocked the ring road.", "Agence France-Presse", "dateline"),
    ("A BBC investigation found that the convoy carried weapons.", "BBC", "investigation"),
    ("The footage was first published by the Daily Mail.", "Daily Mail", "reported-by"),
    ("The map was shared via Reuters on Monday.", "Reuters", "via"),
    ("BBC News has reported that the talks failed.", "BBC", "reported"),
])
def test_media_credit_is_found_and_normalised(text, source, pattern):
    assert ("media", source, pattern) in credits(text)


def test_told_an_outlet_is_media_but_told_a_person_is_not():
    found = credits("The driver told Reuters he was paid in cash. He later told John Smith the same.")
    assert ("media", "Reuters", "told") in found
    assert ("person", "John Smith", "told") in found
    assert not [f for f in found if f[1] == "John Smith" and f[0] == "media"]


def test_quoted_person_is_a_person_not_a_media_credit():
    found = credits("'We will rebuild,' said Colonel Anna Berg, a spokeswoman for the army.")
    assert found == [("person", "Anna Berg", "inverted")]


def test_unknown_outlet_with_media_word_is_media():
    found = credits("Fishermen told the Harbour Beacon that the pier had cracked.")
    assert ("media", "Harbour Beacon", "told") in found


def test_label_line_introduces_a_quoted_report():
    text = "Our view follows.\n\nDaily Mail:\n\nThe exodus was agreed to spare local forces.\n"
    assert ("media", "Daily Mail", "label") in credits(text)


def test_wire_byline_and_contribution_line():
    text = "By Jane Doe, Associated Press\n\nThe port reopened.\n\nReuters contributed to this report."
    found = credits(text)
    assert ("media", "Associated Press", "byline") in found
    assert ("media", "Reuters", "byline") in found


def test_user_alias_joins_a_known_outlet():
    text = "The figures were first reported by Harbour Daily Online."
    assert credits(text, aliases={"Harbour Daily Online": "Reuters"}) == [("media", "Reuters", "reported-by")]


def test_own_outlet_is_marked_self():
    art = Article(id="t", text="Witnesses told the BBC the dam broke at dawn.", source="bbc.co.uk")
    (found,) = find_attributions(art)
    assert found.source == "BBC" and found.extra.get("self") is True


def test_spans_point_into_text_and_skip_boilerplate():
    text = "Subscribe to the Daily Mail newsletter today.\nThe mayor resigned, the BBC reported."
    art = Article(id="t", text=text, boilerplate_spans=[(0, 45)])
    found = find_attributions(art)
    assert [a.source for a in found] == ["BBC"]
    a = found[0]
    assert text[a.source_span[0]:a.source_span[1]] == "BBC"
    assert text[a.span[0]:a.span[1]] == a.cue


@pytest.mark.parametrize("raw, name", [
    ("bbc.co.uk", "BBC"), ("https://www.bbc.com/news/world-123", "BBC"), ("BBC News", "BBC"),
    ("news.bbc.co.uk", "BBC"), ("apnews.com", "Associated Press"), ("MailOnline", "Daily Mail"),
    ("The Harbour Beacon", "Harbour Beacon"), ("www.example.org", "example.org"), (None, None),
])
def test_outlet_name(raw, name):
    assert outlet_name(raw) == name


@pytest.mark.skipif(not SEEDS.exists(), reason="shared seeds absent")
def test_seeds_credit_the_bbc_and_the_first_the_daily_mail():
    first = Article(id="at", text=(SEEDS / "raqqa-convoy-americanthinker.txt").read_text())
    second = Article(id="ns", text=(SEEDS / "raqqa-convoy-news-summary.txt").read_text())
    media_first = {a.source for a in find_attributions(first) if a.kind == "media"}
    media_second = {a.source for a in find_attributions(second) if a.kind == "media"}
    assert media_first == {"BBC", "Daily Mail"}
    assert media_second == {"BBC"}
    people = {a.source for a in find_attributions(second) if a.kind == "person"}
    assert "Ryan Dillon" in people and "Ryan Dillon" not in media_second


# --- the rules' pre-tests (_NEEDS) skip texts, never credits ---------------------------------

RULE_CASES = [  # one phrasing each, so that a pre-test missing one of them fails a test
    "According to a report by the Harbour Beacon, the pier closed.", "according to Reuters, it reopened.",
    "The BBC has reported that talks failed.", "Kessick Post late on Monday said so.",
    "A resident told Reuters he fled.", "Speaking to CNN, she wept.", "speaking to the BBC, he left.",
    "Talking to Al Jazeera, he left.", "She talked to Sky News.", "He spoke to AFP.", "She speaks to NPR.",
    "In an interview with the Times, he wept.", "in an interview with Le Monde.",
    "in a statement to Reuters.", "interviewed by ITV.", "confirmed to the Guardian.",
    "He tells Bloomberg.", "She is telling Axios.",
    "A BBC investigation found arms.", "An AP analysis agreed.", "The Guardian's own report differs.",
    "Reuters’s review differs.", "the Daily Mail's footage.", "The N's data.",
    "The footage was first published by the Daily Mail.", "It was reported by Reuters.", "It was seen by AFP.",
    "The story was broken by the Sun.", "It was broadcast by ITV.", "Reporting by CNN.",
    "Reports the BBC: nothing.", "The toll rose, said Colonel Ryan Dillon.", "It fell, writes the Times.",
    "The map was shared via Reuters.", "Via the BBC, it spread.",
    "WASHINGTON (AP) — Congress passed the bill.", "LONDON, Oct 17 (Reuters) - Markets fell.",
    "Daily Mail:\nThe report follows.", "The report follows.\n  Source: Reuters", "Credit: the BBC",
    "Courtesy of: AFP", "From the Guardian:", "Via: Sky News",
    "By Jane Doe, Associated Press", "Text.\nBy John Roe | Reuters", "\tBy Ann Poe of the Guardian",
    "The Associated Press contributed to this report.", "Reuters contributed to the story.",
    "The ferry sank.\n— Reuters", "Text.\n  -- the Kessick Post", "–AFP", "— Reuters\nA sign-off first.",
]


def _plain_credits(text):
    """scan_credits with every rule scanned, no pre-test skipping one."""
    from storytrace.stages import attributions

    saved, attributions._NEEDS = attributions._NEEDS, {}
    try:
        return attributions.scan_credits(text)
    finally:
        attributions._NEEDS = saved


def test_every_rule_matches_one_of_the_cases():
    from storytrace.stages.attributions import _NEEDS, _RULES

    for k, (pattern, rx) in enumerate(_RULES):
        hits = [text for text in RULE_CASES if rx.search(text)]
        assert hits, f"rule {k} ({pattern}) matches no case"
        if k in _NEEDS:
            assert all(_NEEDS[k](text) for text in hits), f"rule {k}'s pre-test rejects a text it matches"


def test_pre_tests_give_the_plain_scans_credits_on_cases_and_real_text():
    from storytrace.stages.attributions import scan_credits

    texts = list(RULE_CASES) + [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*"))]
    data = SEEDS.parent / "data"
    for name in ("basil_dev.jsonl", "gvc_dev.jsonl"):
        if (data / name).exists():  # real news, when the shared data is there
            texts += [json.loads(line)["text"] for line in (data / name).open(encoding="utf-8")][:150]
    assert sum(len(scan_credits(t)) for t in texts) > 60
    for text in texts:
        assert scan_credits(text) == _plain_credits(text), text[:80]


_PIECES = ["According to ", "according to ", "told ", "Speaking to ", "in an interview with ", "reported",
           " said ", "says ", "writes ", " by ", "first by ", "published by ", "seen by ", "via ", "Via ",
           "investigation", "’s ", "'s ", " own ", "report", "analysis", "data", " contributed to this report",
           "(", ")", " — ", "-", "–", "—", ":", " : ", "\n", "\n\n", "\t", "  ", " ", ". ", "By ", "the ",
           "The ", "A ", "an ", "Source", "Credit", "Courtesy of", "From ", "Reuters", "BBC", "Daily Mail",
           "Associated Press", "Jane Doe", "Kessick Post", "of ", "AP", "X", "said Colonel Ryan Dillon"]


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_pre_tests_never_drop_a_credit(pieces):
    from storytrace.stages.attributions import scan_credits

    text = "".join(pieces)
    assert scan_credits(text) == _plain_credits(text)
