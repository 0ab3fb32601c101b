"""Duplicates and syndication on wire copy written for these tests."""
from __future__ import annotations

import random

from storytrace.model import Article
from storytrace.settings import Settings
from storytrace.stages.dedupe import (candidate_pairs, find_duplicates, minhash_signatures,
                                      shingle_hashes)

WIRE = [
    "MERIDIAN CITY (Northwire) - Firefighters battled a blaze at the Kessick grain terminal "
    "on Tuesday night after an explosion in a drying tower shook homes two miles away.",
    "Fire chief Alma Rudd said 43 crews fought the flames for six hours and that three "
    "workers were taken to St Brennan hospital with burns. None was in a critical condition.",
    "\"The tower went up like a torch,\" said Rudd, who has led the department for 11 years. "
    "\"We kept it away from the fuel depot, and that is what mattered tonight.\"",
    "The terminal handles about 900,000 tonnes of wheat a year for farms across the Orlan "
    "valley. Its owner, Harlow Agri, said it would cooperate with inspectors.",
    "Residents of the Dunmore estate reported broken windows and a smell of burning grain. "
    "The council opened the Victoria Hall as a shelter for 60 families overnight.",
    "Investigators from the state safety board are expected at the site on Wednesday to "
    "examine the dryer, which was installed in 2009 and inspected last spring.",
]


def wire_copy(paragraphs, headline):
    return headline + "\n\n" + "\n\n".join(paragraphs)


def test_syndicated_copies_form_one_group_with_earliest_as_representative():
    original = Article(id="wire", title="Blaze at grain terminal", published="2024-03-05T22:00:00",
                       text=wire_copy(WIRE, "Blaze at grain terminal"))
    trimmed = Article(id="trimmed", title="Terminal fire injures three", published="2024-03-06T07:00:00",
                      text=wire_copy(WIRE[:4], "Terminal fire injures three"))
    padded = Article(id="padded", title="Explosion rocks Meridian", published="2024-03-06T09:30:00",
                     text=wire_copy(["Our reporter at the scene described queues of fire engines "
                                     "along the ring road and smoke visible from the bypass."]
                                    + WIRE + ["Local MP Grace Tolland called for a full inquiry."],
                                    "Explosion rocks Meridian"))
    other = Article(id="other", title="Council budget", published="2024-03-06",
                    text="The council approved a budget of 41 million for schools, roads and "
                         "libraries on Monday after a long debate about the swimming pool.")
    dups = find_duplicates([padded, other, trimmed, original], Settings())
    assert set(dups) == {"trimmed", "padded"}
    assert {d.of for d in dups.values()} == {"wire"}
    assert dups["trimmed"].group == dups["padded"].group
    assert dups["trimmed"].shared > 0.9  # every trimmed paragraph is in the original
    assert 0.7 < dups["padded"].shared < 0.95  # its extra paragraphs are not


def test_result_does_not_depend_on_input_order_and_ties_break_on_id():
    a = Article(id="b-copy", text=wire_copy(WIRE, "One"))
    b = Article(id="a-copy", text=wire_copy(WIRE, "Two"))
    first = find_duplicates([a, b], Settings())
    second = find_duplicates([b, a], Settings())
    assert first == second
    assert first["b-copy"].of == "a-copy"  # no dates: the smaller id represents


def test_boilerplate_is_ignored():
    trailer = ("Subscribe to the Daily Beacon for all the local news you need, delivered every "
               "morning to your inbox. Follow us on social media for breaking stories. ") * 3
    a_text = "The mayor opened a new bridge over the Tarn river on Friday. " + trailer
    b_text = "Shoppers queued for hours outside the new bakery on Mill Lane this weekend. " + trailer
    a = Article(id="a", text=a_text, boilerplate_spans=[(a_text.index("Subscribe"), len(a_text))])
    b = Article(id="b", text=b_text, boilerplate_spans=[(b_text.index("Subscribe"), len(b_text))])
    assert find_duplicates([a, b], Settings()) == {}
    # Without the boilerplate marks the shared trailer would make them copies.
    assert find_duplicates([Article(id="a", text=a_text), Article(id="b", text=b_text)], Settings())


def test_minhash_estimates_jaccard():
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(3000)]
    base = [rng.choice(vocab) for _ in range(400)]
    half = base[:200] + [rng.choice(vocab) for _ in range(200)]
    sa, sb = shingle_hashes(" ".join(base)), shingle_hashes(" ".join(half))
    true = len(set(sa) & set(sb)) / len(set(sa) | set(sb))
    sig = minhash_signatures([sa, sb], 256)
    estimate = float((sig[0] == sig[1]).mean())
    assert abs(estimate - true) < 0.08


def test_bucket_cap_bounds_candidate_pairs():
    text = wire_copy(WIRE, "Same")
    sig = minhash_signatures([shingle_hashes(text)] * 1000, 128)
    pairs = candidate_pairs(sig, 32, max_bucket=50)
    assert len(pairs) < 2 * 1000  # not 1000 * 999 / 2
    uncapped = candidate_pairs(sig[:60], 32, max_bucket=100)
    assert len(uncapped) == 60 * 59 // 2
    arts = [Article(id=f"c{i:04d}", text=text) for i in range(1000)]
    dups = find_duplicates(arts, Settings())
    assert len(dups) == 999 and {d.of for d in dups.values()} == {"c0000"}


def test_short_and_empty_texts():
    arts = [Article(id="e1", text=""), Article(id="e2", text="   "),
            Article(id="s1", text="Breaking: storm."), Article(id="s2", text="breaking storm")]
    dups = find_duplicates(arts, Settings())
    assert dups == {"s2": dups["s2"]} and dups["s2"].of == "s1"


def test_shingles_of_many_texts_equal_each_texts_own():
    """Hashed over the joined words of a batch, each text keeps exactly its own shingles."""
    import random

    import numpy as np

    from storytrace.stages.dedupe import _shingle_hashes_of, _shingle_hashes_of_many

    rng = random.Random(7)
    texts = [[], ["a"], ["a", "b"], ["a"] * 4, ["a"] * 5, ["x", "y"] * 9, ["é", "\ud800", "z", "z", "z"]]
    texts += [[rng.choice("abc") for _ in range(rng.randint(0, 14))] for _ in range(300)]
    memo: dict[str, int] = {}
    many = _shingle_hashes_of_many(texts[:150], memo) + _shingle_hashes_of_many(texts[150:], memo)
    for words, got in zip(texts, many):
        want = _shingle_hashes_of(words)
        assert got.dtype == want.dtype and np.array_equal(got, want), words


def _pairs_by_dict(signatures, bands, max_bucket, usable):
    """candidate_pairs as first written: a dict of every row's band key."""
    from collections import defaultdict

    import numpy as np

    rows = signatures.shape[1] // bands
    pairs = set()
    for band in range(bands):
        buckets = defaultdict(list)
        for i in np.flatnonzero(usable):
            buckets[signatures[i, band * rows:(band + 1) * rows].tobytes()].append(int(i))
        for members in buckets.values():
            m = len(members)
            if m <= max_bucket:
                pairs.update((members[x], members[y]) for x in range(m) for y in range(x + 1, m))
            else:
                pairs.update((members[0], j) for j in members[1:])
                pairs.update((members[x - 1], members[x]) for x in range(2, m))
    return sorted(pairs)


def test_candidate_pairs_equal_a_dict_of_band_keys():
    import numpy as np

    rng = np.random.default_rng(3)
    sig = rng.integers(0, 3, size=(400, 16), dtype=np.uint32)  # few values: many shared buckets
    usable = rng.random(400) > 0.1
    for max_bucket in (2, 5, 1000):
        got = candidate_pairs(sig, 8, max_bucket, list(usable))
        assert got == _pairs_by_dict(sig, 8, max_bucket, usable)
        assert got


def test_groups_and_shares_equal_all_pairs_containment_across_batches(monkeypatch):
    """Texts are signed a batch at a time and only the texts of candidate pairs shingled
    again: the groups and shares must equal comparing every pair with full shingles."""
    import itertools

    from storytrace.stages import dedupe

    monkeypatch.setattr(dedupe, "_SHINGLE_BATCH", 7)  # many batches, a copy often in another
    rng = random.Random(11)
    vocab = [f"w{i}" for i in range(5000)] + ["\ud800x"]  # a lone surrogate stays text
    bases = [[rng.choice(vocab) for _ in range(rng.randint(60, 120))] for _ in range(40)]
    arts = []
    for b, words in enumerate(bases):
        arts.append(Article(id=f"b{b:02d}", published=f"2024-01-{b % 28 + 1:02d}", text=" ".join(words)))
        kind = b % 4
        if kind == 0:  # trimmed copy, a month later
            arts.append(Article(id=f"t{b:02d}", published=f"2024-02-{b % 28 + 1:02d}",
                                text=" ".join(words[:int(len(words) * 0.85)])))
        elif kind == 1:  # exact copy but for case and punctuation
            arts.append(Article(id=f"x{b:02d}", text=" ".join(words).upper().replace(" ", ", ")))
        elif kind == 2:  # padded copy of a padded copy: a chain of three texts
            pad = [rng.choice(vocab) for _ in range(8)]
            arts.append(Article(id=f"p{b:02d}", text=" ".join(pad + words)))
            arts.append(Article(id=f"q{b:02d}", text=" ".join(pad + words + pad[:3])))
    rng.shuffle(arts)
    got = find_duplicates(arts, Settings())

    settings = Settings()
    order = sorted(arts, key=lambda a: (a.published is None, a.published or "", a.id))
    sh = [shingle_hashes(a.text) for a in order]
    parent = list(range(len(order)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i
    for i, j in itertools.combinations(range(len(order)), 2):
        if dedupe._min_containment(sh[i], sh[j]) >= settings.duplicate_threshold:
            ri, rj = root(i), root(j)
            parent[max(ri, rj)] = min(ri, rj)
    want = {a.id: (order[root(i)].id, round(dedupe._containment(sh[i], sh[root(i)]), 4))
            for i, a in enumerate(order) if root(i) != i}
    assert {k: (d.of, d.shared) for k, d in got.items()} == want
    assert sorted(want) == sorted(a.id for a in arts if a.id[0] != "b"), sorted(want)
    assert {got[f"x{b:02d}"].shared for b in range(1, 40, 4)} == {1.0}
