"""Claim groups and verdicts: alignment across outlets, sums, sources and time."""
from __future__ import annotations

from pathlib import Path

import pytest

from storytrace.model import Article
from storytrace.stages.claims import extract_claims
from storytrace.stages.conflicts import compatible_subgroups, judge_claims

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _judge(*articles: Article, origin_of=None):
    arts = {a.id: a for a in articles}
    claims = [c for a in articles for c in extract_claims(a)]
    return judge_claims("s-1", claims, arts, origin_of), claims


def _group(groups, subject):
    found = [g for g in groups if g.subject == subject]
    assert found, f"no group {subject!r} in {[g.subject for g in groups]}"
    return found[0]


def _art(aid, text, published=None, source=None):
    return Article(id=aid, text=text, published=published, source=source)


def test_synonyms_align_and_agree():
    a = _art("a", "Some 300 ISIS militants were evacuated from the town, officials said.")
    b = _art("b", "About 300 Daesh fighters left the town overnight.")
    c = _art("c", "Roughly 300 IS fighters were allowed to leave, a commander said.")
    groups, _ = _judge(a, b, c)
    g = _group(groups, "IS fighters (left)")
    assert g.verdict == "consistent" and len(g.claims) == 3
    assert g.independent_origins == 3


def test_different_quantities_stay_apart():
    a = _art("a", "The strike killed 12 people and injured 40, medics said. "
                  "At least 30 foreign fighters were in the convoy of 80 vehicles.")
    b = _art("b", "Medics said 12 people died and 41 were wounded. "
                  "The convoy of 80 vehicles included 25 trucks carrying 200 fighters.")
    groups, _ = _judge(a, b)
    subjects = {g.subject: g for g in groups}
    assert subjects["people killed"].verdict == "consistent"
    assert subjects["people injured"].verdict == "conflict"  # 40 vs 41, no named disagreement
    assert "vehicles" in subjects and subjects["vehicles"].verdict == "consistent"
    for g in groups:  # trucks never sit with vehicles, foreign fighters never with fighters
        units = {c.unit for c in _claims_of(g, a, b)}
        assert not ({"trucks", "vehicles"} <= units)
        subs = {c.subject for c in _claims_of(g, a, b)}
        assert not ({"foreign fighters", "fighters"} <= subs)


def _claims_of(group, *articles):
    claims = {c.id: c for a in articles for c in extract_claims(a)}
    return [claims[i] for i in group.claims]


def test_rising_toll_is_a_change_over_time():
    a = _art("a", "Floods have killed 45 people, the ministry said.", "2024-05-01T09:00:00")
    b = _art("b", "The floods have now killed 80 people, the ministry said.", "2024-05-02T09:00:00")
    c = _art("c", "Officials said 112 people were killed in the floods.", "2024-05-03T09:00:00")
    groups, _ = _judge(a, b, c)
    g = _group(groups, "people killed")
    assert g.verdict == "conflict" and g.extra["reason"] == "over-time"
    assert "changed over time (rising)" in g.explanation
    assert "45 (2024-05-01) -> 80 (2024-05-02) -> 112 (2024-05-03)" in g.explanation


def test_named_sources_disagreeing_is_disputed_and_unnamed_is_plain_conflict():
    a = _art("a", "The army said 20 rebels were captured.")
    b = _art("b", "The rebels said 200 rebels were captured.")
    c = _art("c", "Some 20 rebels were captured.")
    d = _art("d", "Around 200 rebels were captured.")
    disputed, _ = _judge(a, b)
    g = _group(disputed, "rebels arrested")
    assert g.verdict == "disputed" and "The army (set 1) vs The rebels (set 2)" in g.explanation
    plain, _ = _judge(c, d)
    assert _group(plain, "rebels arrested").verdict == "conflict"


def test_independent_origins_collapse_copies():
    a = _art("a", "More than 50 homes were destroyed by the fire, firefighters said.")
    b = _art("b", "More than 50 homes were destroyed by the fire, firefighters said.")
    c = _art("c", "Some 55 homes were destroyed, the mayor said.")
    groups, _ = _judge(a, b, c, origin_of={"a": "a", "b": "a", "c": "c"})
    g = _group(groups, "houses [destroyed]")
    assert g.verdict == "compatible" and g.independent_origins == 2


def test_order_independent_and_deterministic():
    arts = [_art("x", "Police arrested 14 protesters on Saturday.", "2024-01-07"),
            _art("y", "Fourteen protesters were arrested on Saturday, police said.", "2024-01-07"),
            _art("z", "Police said they detained about a dozen protesters.", "2024-01-08")]
    g1, claims = _judge(*arts)
    lookup = {a.id: a for a in arts}
    g2 = judge_claims("s-1", list(reversed(claims)), lookup)
    assert [g.to_dict() for g in g1] == [g.to_dict() for g in g2]
    assert g1 and all(g.id.startswith("g-") for g in g1)


def test_compatible_subgroups_share_a_value():
    a = _art("a", "Around 300 people fled, a driver said. Hundreds of people fled. "
                  "Only a few dozen people fled, the mayor said.")
    groups, _ = _judge(a)
    g = _group(groups, "people (left)")
    assert len(g.extra["compatible_subgroups"]) == 2
    claims = {c.id: c for c in extract_claims(a)}
    for ids in g.extra["compatible_subgroups"]:
        members = [claims[i] for i in ids]
        assert len(compatible_subgroups(members)) == 1


# -- the seed articles ---------------------------------------------------------------------------

def _seeds():
    paths = sorted(SEEDS.glob("*.txt"))
    if len(paths) < 2:
        pytest.skip("seed articles not available")
    return [Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in paths]


def test_seed_story_verdicts():
    groups, claims = _judge(*_seeds())
    by_id = {c.id: c for c in claims}
    vehicles = _group(groups, "vehicles (left)")
    assert vehicles.verdict == "compatible"
    texts = {by_id[i].text for i in vehicles.claims}
    assert texts == {"163 vehicles", "almost 50 trucks, 13 buses and more than 100 IS vehicles"}
    assert "summed" in vehicles.explanation and "witnesses told the BBC" in vehicles.explanation
    fighters = _group(groups, "IS fighters (left)")
    assert fighters.verdict == "disputed"
    sets = [{by_id[i].text for i in ids} for ids in fighters.extra["compatible_subgroups"]]
    assert {"only a few dozen fighters"} in sets
    big = next(s for s in sets if "Some 250 IS fighters" in s)
    assert "Hundreds of fighters" in big and "hundreds of ISIS fighters" in big
    assert "Publicly, the SDF said only a few dozen fighters" in fighters.explanation
    assert "Some 250 IS fighters were allowed to leave Raqqa" in fighters.explanation
    assert "compatible with each other" in fighters.explanation
    assert "the SDF (set 1)" in fighters.explanation and "coalition" in fighters.explanation
    assert fighters.independent_origins == 2
    people = _group(groups, "people (left)")
    assert people.verdict == "compatible"
    for g in groups:  # every verdict names its evidence sentences with article ids
        for i in g.claims:
            assert by_id[i].article in g.explanation
