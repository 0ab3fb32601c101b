"""Credits in text: media vs person, outlet normalisation, user aliases, the seeds."""
from pathlib import Path

import pytest

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
