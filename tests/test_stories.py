"""Stories: near-miss events stay apart, copies follow their original, ids stay stable."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from storytrace.model import Article
from storytrace.settings import Settings
from storytrace.stages.dedupe import find_duplicates
from storytrace.stages.stories import Similarity, bisect, group_stories, story_vectors
from storytrace.stages.story_features import names, title_and_text

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def quake(aid, town, region, day, magnitude, official, deaths, outlet, angle):
    """A fictional earthquake report; two different quakes share almost every keyword."""
    text = (
        f"A magnitude {magnitude} earthquake struck near {town} in {region} province early on "
        f"{day}, killing at least {deaths} people and destroying hundreds of homes, officials said. "
        f"Rescue teams searched collapsed buildings in {town} through the night. "
        f"{official}, the provincial governor, said the death toll was likely to rise as crews "
        f"reached remote villages. The Velorian seismic institute said the quake was shallow "
        f"and was followed by strong aftershocks. {angle} "
        f"Hospitals in {region} appealed for blood donors and the army sent tents and water.")
    return Article(id=aid, title=f"Earthquake near {town} kills {deaths}", text=text,
                   published=f"2024-{day}", source=outlet)


def first_quake():
    return [
        quake("q1-a", "Arvensk", "Tolmar", "02-11", "6.4", "Governor Ilse Marroq", 38, "Northwire",
              "Residents of Arvensk slept in the streets of the old market square."),
        quake("q1-b", "Arvensk", "Tolmar", "02-11", "6.4", "Governor Ilse Marroq", 41, "Daily Beacon",
              "Ilse Marroq visited the Arvensk stadium where families gathered."),
        quake("q1-c", "Arvensk", "Tolmar", "02-12", "6.4", "Governor Ilse Marroq", 52, "Valley Gazette",
              "The Tolmar dam near Arvensk was inspected and declared safe."),
    ]


def second_quake():
    return [
        quake("q2-a", "Pelleck", "Suvra", "05-03", "5.9", "Governor Dario Fenn", 12, "Northwire",
              "In Pelleck the main bridge over the Ostra river cracked."),
        quake("q2-b", "Pelleck", "Suvra", "05-03", "5.9", "Governor Dario Fenn", 14, "Harbourside Review",
              "Dario Fenn said schools in Pelleck would stay closed all week."),
    ]


def investigation():
    text = ("Six weeks after the earthquake that devastated Arvensk, an investigation by the "
            "Valley Gazette found that builders in Tolmar province ignored seismic codes. "
            "Inspectors had approved apartment blocks in Arvensk that collapsed in seconds, "
            "documents show. Governor Ilse Marroq ordered an inquiry into the permits. "
            "Families of the 52 people killed in Arvensk demanded prosecutions.")
    return Article(id="q1-probe", title="Arvensk quake: permits ignored seismic codes", text=text,
                   published="2024-03-25", source="Valley Gazette")


def stories_by_article(stories):
    return {aid: s.id for s in stories for aid in s.articles}


def test_near_miss_events_are_separate_and_each_event_is_one_story():
    arts = first_quake() + second_quake()
    stories = group_stories(arts, find_duplicates(arts, Settings()), {}, Settings())
    of = stories_by_article(stories)
    assert of["q1-a"] == of["q1-b"] == of["q1-c"]
    assert of["q2-a"] == of["q2-b"]
    assert of["q1-a"] != of["q2-a"]
    assert sorted(len(s.articles) for s in stories) == [2, 3]


def test_later_investigation_is_a_related_story():
    arts = first_quake() + [investigation()]
    stories = group_stories(arts, {}, {}, Settings())
    of = stories_by_article(stories)
    assert of["q1-probe"] != of["q1-a"] == of["q1-b"] == of["q1-c"]
    probe = next(s for s in stories if "q1-probe" in s.articles)
    main = next(s for s in stories if "q1-a" in s.articles)
    assert probe.related == [main.id] and main.related == [probe.id]


def test_copies_follow_their_representative_and_labels_come_from_articles():
    arts = first_quake()
    copy = Article(id="q1-copy", text=arts[0].text + "\nReporting by Northwire staff.",
                   title="Deadly quake in Tolmar", published="2024-02-12", source="Coastline Courier")
    dups = find_duplicates(arts + [copy], Settings())
    assert dups["q1-copy"].of == "q1-a"
    stories = group_stories(arts + [copy], dups, {}, Settings())
    assert len(stories) == 1
    story = stories[0]
    assert story.articles == sorted(a.id for a in arts + [copy])
    assert "q1-copy" not in story.origins
    assert "arvensk" in story.title.lower()
    assert "arvensk" in story.entities and "ilse marroq" in story.entities
    assert story.extra["date_range"] == ["2024-02-11", "2024-02-12"]
    assert "Coastline Courier" in story.extra["outlets"]


def test_incremental_run_matches_from_scratch_and_keeps_ids():
    settings = Settings()
    batch_a = first_quake()[:2] + second_quake()[:1]
    batch_b = first_quake()[2:] + second_quake()[1:]
    first = group_stories(batch_a, {}, {}, settings)
    previous = stories_by_article(first)
    both = batch_a + batch_b
    incremental = group_stories(both, {}, previous, settings)
    scratch = group_stories(list(reversed(both)), {}, {}, settings)
    as_sets = lambda ss: sorted(sorted(s.articles) for s in ss)  # noqa: E731
    assert as_sets(incremental) == as_sets(scratch)
    inc = stories_by_article(incremental)
    for aid, sid in previous.items():
        assert inc[aid] == sid  # earlier articles keep their story ids
    # Ids derive from founding articles, so a from-scratch run gives the same ids here too.
    assert stories_by_article(scratch) == inc


def test_merged_stories_keep_the_older_id():
    settings = Settings()
    arts = first_quake()
    previous = {"q1-a": "s-old", "q1-b": "s-old", "q1-c": "s-newer"}
    stories = group_stories(arts, {}, previous, settings)
    assert [s.id for s in stories] == ["s-old"]


def test_names_skip_sentence_starts_and_keep_multiword_names():
    found = names("The governor met Colonel Ryan Dillon in Raqqa. Rescue teams arrived. "
                  "Officials of the Bank of England spoke.")
    assert "ryan dillon" in found and "raqqa" in found and "bank of england" in found
    assert "the" not in found and "rescue" not in found


def _names_token_by_token(text):
    """names() as first written: every token of the text in one Python loop (the reference
    for the faster scan, which looks at capitalised tokens only)."""
    from storytrace.stages.story_features import _CONNECT, _NOT_NAMES, _SENTENCE_GAP, _TITLES, _TOKEN

    out, run, run_end, first_starts_sentence = [], [], -1, False

    def flush():
        while run and run[-1] in _CONNECT:
            run.pop()
        if len(run) > 1 and first_starts_sentence and run[1] in _CONNECT:
            del run[:2]
        while len(run) > 1 and (run[0] in _NOT_NAMES or run[0] in _TITLES):
            del run[0]
        if run and not (len(run) == 1 and (first_starts_sentence or run[0] in _NOT_NAMES)):
            out.append(" ".join(run))

    for m in _TOKEN.finditer(text):
        word = m.group()
        capital = word[0].isupper()
        if not run:
            if not capital:
                continue
        elif (capital or word in _CONNECT) and text[run_end:m.start()] in (" ", "\t"):
            run.append(word.lower())
            run_end = m.end()
            continue
        else:
            flush()
            run = []
        if capital:
            first_starts_sentence = bool(_SENTENCE_GAP.search(text[max(0, m.start() - 3):m.start()]))
            if first_starts_sentence and word.lower() in _NOT_NAMES:
                continue
            run = [word.lower()]
            run_end = m.end()
    flush()
    return tuple(n for n in out if n)


_NAME_PIECES = ["The", "the", "Bank", "of", "England", "de", "la", "Nación", "O'Brien", "x'Brien", "pro-Russian",
                "U.S.", "_Abc", "'Reuters'", "Éric", "élan", "Łódź", "ǅemal", "Ⓐ", "AT&T", "McDonald", "3-D",
                "Governor", "Ilse", "Residents", "In", "Monday", "said", " ", " ", " ", "  ", "\t", "\n", ". ", "; ",
                "“", "”", ", ", "-", "’s", "42", "—"]


@hsettings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=30))
def test_names_equal_the_token_by_token_reading(pieces):
    text = "".join(pieces)
    assert names(text) == _names_token_by_token(text)


def test_names_equal_the_token_by_token_reading_on_real_text():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*"))] if SEEDS.exists() else []
    data = SEEDS.parent / "data" / "basil_dev.jsonl"
    if data.exists():
        texts += [json.loads(line)["text"] for line in data.open(encoding="utf-8")]
    texts.append("Reuters’s Jane O'Brien met the pro-Russian mayor of Łódź and Banco de la Nación officials.")
    assert sum(len(names(t)) for t in texts) > 20
    for text in texts:
        assert names(text) == _names_token_by_token(text)

def test_every_article_in_exactly_one_story_for_any_language():
    arts = [Article(id="fr", text="Un séisme a frappé Arvensk mardi, selon les autorités."),
            Article(id="empty", text=""),
            Article(id="ja", text="東京で地震が発生しました。"),
            Article(id="en", text="Storm floods the Tarn valley again.", published="not a date")]
    stories = group_stories(arts, {}, {}, Settings())
    ids = sorted(aid for s in stories for aid in s.articles)
    assert ids == ["empty", "en", "fr", "ja"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not present")
def test_seed_articles_share_one_story():
    arts = [Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    assert len(arts) == 2
    stories = group_stories(arts + first_quake(), {}, {}, Settings())
    of = stories_by_article(stories)
    assert of[arts[0].id] == of[arts[1].id] != of["q1-a"]
    seed_story = next(s for s in stories if arts[0].id in s.articles)
    assert "raqqa" in seed_story.entities


DEMO = Path(__file__).resolve().parents[1] / "demo" / "corpus"


@pytest.mark.skipif(not DEMO.is_dir(), reason="demo corpus not present")
def test_demo_corpus_copies_collapse_and_near_miss_quakes_separate():
    from storytrace.ingest import iter_articles
    from storytrace.stages.boilerplate import learn_boilerplate

    settings = Settings()
    arts = [a for a in iter_articles([str(DEMO)], settings) if isinstance(a, Article)]
    learned = learn_boilerplate(arts)
    for a in arts:
        a.boilerplate_spans = learned[a.id]
        a.__dict__.pop("_analysis_text", None)
    dups = find_duplicates(arts, settings)
    assert len({d.group for d in dups.values()}) >= 2  # the ferry wire copy and the quake copy
    stories = group_stories(arts, dups, {}, settings)
    assert sorted(len(s.articles) for s in stories) == [3, 4, 7]
    titles = " | ".join(s.title for s in stories).lower()
    assert "kessick" in titles and "alder falls" in titles and "corran star" in titles


def undated(arts):
    for a in arts:
        a.published = None  # like scraped pages without dates: time cannot separate them
    return arts


def third_pelleck_report():
    return quake("q2-c", "Pelleck", "Suvra", "05-04", "5.9", "Governor Dario Fenn", 15,
                 "Valley Gazette", "Engineers in Suvra checked the Ostra river bridge.")


def test_undated_near_miss_events_are_split_into_two_stories():
    arts = undated(first_quake() + second_quake() + [third_pelleck_report()])
    merged = group_stories(arts, {}, {}, Settings(story_split_ratio=0.0))
    assert len(merged) == 1  # words alone join the two quakes: the split must separate them
    stories = group_stories(arts, {}, {}, Settings())
    assert sorted(sorted(s.articles) for s in stories) == [
        ["q1-a", "q1-b", "q1-c"], ["q2-a", "q2-b", "q2-c"]]


def test_one_event_told_from_many_angles_is_not_split():
    # Uniformly alike articles: cutting them anywhere leaves halves as close as their insides.
    angles = ["Residents slept in the streets of the old market square, wrapped in blankets "
              "donated by shopkeepers, afraid that aftershocks would bring down cracked walls.",
              "Families gathered at the stadium, where volunteers cooked soup on open fires.",
              "Engineers inspected the Tolmar dam overnight and declared it safe, although a "
              "spillway gate jammed and had to be opened by hand.",
              "Schools stayed closed and national exams were postponed, the ministry said.",
              "Students from the university handed out bread and bottled water.",
              "Military helicopters flew the badly injured to hospitals in the capital."]
    arts = undated([quake(f"one-{k}", "Arvensk", "Tolmar", "02-11", "6.4", "Governor Ilse Marroq",
                          38 + k, f"Outlet {k}", angle) for k, angle in enumerate(angles)])
    stories = group_stories(arts, {}, {}, Settings())
    assert len(stories) == 1


def seismic_roundup():
    """An odd article that touches both quakes' region and vocabulary but reports neither."""
    text = ("Seismologists at the Velorian seismic institute reviewed a year of earthquakes. "
            "Tremors shook Tolmar and Suvra provinces, and aftershocks are still recorded weekly. "
            "The institute asked the government for more sensors and a new warning network, "
            "and said building codes in older towns are rarely enforced.")
    return Article(id="roundup", title="A year of quakes: seismologists ask for sensors", text=text,
                   source="Science Weekly")


def test_odd_article_does_not_hide_two_near_miss_events():
    # Bisecting the merged story first cuts off the roundup alone; set aside, the two quakes split.
    arts = undated(first_quake() + second_quake() + [third_pelleck_report()]) + [seismic_roundup()]
    merged = group_stories(arts, {}, {}, Settings(story_split_set_aside=0))
    assert len(merged) == 1
    stories = group_stories(arts, {}, {}, Settings())
    groups = sorted(sorted(a for a in s.articles if a != "roundup") for s in stories)
    assert groups == [["q1-a", "q1-b", "q1-c"], ["q2-a", "q2-b", "q2-c"]]
    assert len(stories) == 2  # the roundup joins one of the two events, not a story of its own


def test_one_event_with_an_odd_article_is_not_split():
    # Two angles of one quake (rescue at a school, the dam) and the roundup: the roundup is
    # cut off first; set aside, the rest bisects into the two angles, too alike to be cut.
    angles = ["Volunteers with rescue dogs searched the rubble of the collapsed school for survivors.",
              "Rescue dogs and volunteers dug through rubble at the school, where two children were found alive.",
              "At the collapsed school, volunteers and rescue dogs kept searching the rubble after dark.",
              "Engineers inspected the Tolmar dam and its spillway gate, which jammed during the quake.",
              "The spillway gate of the Tolmar dam jammed, and engineers opened it by hand overnight.",
              "Engineers said the Tolmar dam held, although its spillway gate had to be forced open."]
    arts = undated([quake(f"one-{k}", "Arvensk", "Tolmar", "02-11", "6.4", "Governor Ilse Marroq",
                          38 + k, f"Outlet {k}", angle) for k, angle in enumerate(angles)])
    arts.append(seismic_roundup())
    words, ents, _, _ = story_vectors(arts)
    sim = Similarity(words, ents, Settings()).block(np.arange(len(arts)))
    assert bisect(sim, 3, set_aside=0) is None
    rescue, dam = bisect(sim, 3, set_aside=1)
    assert [arts[i].id for i in rescue] == ["one-0", "one-1", "one-2"]
    assert [arts[i].id for i in dam] == ["one-3", "one-4", "one-5", "roundup"]
    stories = group_stories(arts, {}, {}, Settings())
    assert len(stories) == 1


def _components(adjacent: np.ndarray) -> list[list[int]]:
    from scipy.sparse.csgraph import connected_components

    _, comp = connected_components(adjacent, directed=False)
    groups: dict[int, list[int]] = {}
    for i, c in enumerate(comp.tolist()):
        groups.setdefault(c, []).append(i)
    return sorted(groups.values())


def test_a_dense_block_filled_a_chunk_of_rows_at_a_time_is_the_whole_product(monkeypatch):
    from storytrace.stages.stories import content_similarity

    arts = _generated_news(240)
    words, ents, _, _ = story_vectors(arts)
    part = np.arange(3, 230, 2)
    w, e = words[part], ents[part]
    whole = content_similarity(w, e, w, e, Settings()).toarray()
    monkeypatch.setattr(Similarity, "BLOCK_ROWS", 17)
    block = Similarity(words, ents, Settings()).block(part)
    assert block.dtype == whole.dtype == np.float32 and np.array_equal(block, whole)


def test_pair_search_finds_every_threshold_pair_within_its_band():
    """Blocks are the components of the pairs at the threshold among articles at most
    ``story_max_block`` apart: all pairs below that many articles, the band above it."""
    arts = _generated_news(240)
    words, ents, _, _ = story_vectors(arts)
    settings = Settings()
    n = len(arts)
    linked = Similarity(words, ents, settings).block(np.arange(n)) >= settings.story_threshold
    assert n <= settings.story_max_block
    similarity = Similarity(words, ents, settings)
    got = sorted(b.tolist() for b in similarity.blocks(settings.story_threshold, settings.story_max_block))
    assert got == _components(linked)
    assert max(map(len, got)) > 1  # the generated stories do form blocks

    distance = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    banded = sorted(b.tolist() for b in similarity.blocks(settings.story_threshold, 5))
    assert banded == _components(linked & (distance <= 5))
    assert banded != got  # pairs further apart than the band were not compared


def _generated_news(n: int) -> list[Article]:
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    recs = sorted(generate.corpus(n, style="news"), key=lambda r: (r["published"], r["id"]))
    return [Article(id=r["id"], text=r["text"], title=r["title"], published=r["published"], source=r["source"])
            for r in recs]


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aB 1١\t\n\u00a0\u2028\x1c.Ｂ２"), max_size=40) | st.text(max_size=40))
def test_a_boilerplate_line_key_is_the_two_substitutions(line):
    """_line_key joins split() words: the same as collapsing re's \\s runs (digits as 0)."""
    import re

    from storytrace.stages.boilerplate import _line_key

    assert _line_key(line) == re.sub(r"\s+", " ", re.sub(r"\d", "0", line.lower())).strip()


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab_1é \n.'-"), max_size=30) | st.text(max_size=30))
def test_word_tokens_without_the_boundary_are_scikit_learns(text):
    """story_vectors' token pattern gives scikit-learn's default tokens."""
    import re

    assert re.findall(r"(?u)\w\w+", text) == re.findall(r"(?u)\b\w\w+\b", text)


def _scikit_learn_labels(sim: np.ndarray, **cut) -> list[int]:
    """The partition AgglomerativeClustering gives (the implementation average_linkage replaced)."""
    from sklearn.cluster import AgglomerativeClustering

    dist = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    raw = AgglomerativeClustering(metric="precomputed", linkage="average", **cut).fit_predict(dist)
    order: dict[int, int] = {}
    return [order.setdefault(int(r), len(order)) for r in raw]


@pytest.mark.parametrize("seed", range(6))
def test_average_linkage_cuts_the_tree_as_scikit_learn_does(seed):
    from storytrace.stages.stories import _average_linkage_tree, _first_merges, average_linkage

    rng = np.random.default_rng(seed)
    for _ in range(20):
        n = int(rng.integers(2, 90))
        group = rng.integers(0, int(rng.integers(1, 6)), n)
        sim = rng.random((n, n)) * 0.3 + (group[:, None] == group[None, :]) * rng.random() * 0.6
        if seed % 2:
            sim = np.round(sim, 1)  # many equal distances: ties must break the same way
        sim = (sim + sim.T) / 2
        for threshold in (0.1, 0.25, 0.5):
            want = _scikit_learn_labels(sim, n_clusters=None, distance_threshold=1.0 - threshold)
            assert average_linkage(sim, threshold).tolist() == want
        if n > 2:  # bisect's cut: two groups
            halves = _first_merges(_average_linkage_tree(sim), n, n - 2)
            assert halves.tolist() == _scikit_learn_labels(sim, n_clusters=2)


@pytest.mark.parametrize("seed", range(4))
def test_a_damped_window_taken_a_story_at_a_time_equals_the_whole_damped_square(seed, monkeypatch):
    """DampedBlock never holds the window's damped square, but every value it gives (the
    condensed distance behind the average linkage, each story's square) is that square's:
    float64(sim[i, j]) x time factor for i < j, mirrored, even where the float32
    similarity is not exactly symmetric."""
    from storytrace.stages.stories import DampedBlock, _damp, average_linkage

    rng = np.random.default_rng(seed)
    n = int(rng.integers(40, 160))
    group = rng.integers(0, 4, n)
    sub = (rng.random((n, n)) * 0.3 + (group[:, None] == group[None, :]) * 0.5).astype(np.float32)
    sub[np.tril_indices(n, -1)] += np.float32(1e-6)  # lower triangle differs in the last bits
    part = np.sort(rng.choice(3 * n, n, replace=False))  # the window's rows among the block's
    days = np.where(rng.random(3 * n) < 0.3, -1, rng.integers(700_000, 700_090, 3 * n))
    years = np.where(rng.random(3 * n) < 0.5, -1, rng.integers(2005, 2010, 3 * n))
    settings = Settings()
    whole = _damp(sub.astype(np.float64), part, days, years, settings)
    monkeypatch.setattr(DampedBlock, "ROWS_AT_ONCE", 7 * n)  # several chunks of rows
    damped = DampedBlock(sub, part, days, years, settings)
    for threshold in (0.1, 0.3, 0.5):
        assert damped.average_linkage(threshold).tolist() == average_linkage(whole, threshold).tolist()
    for _ in range(5):
        members = np.sort(rng.choice(n, int(rng.integers(2, n)), replace=False))
        assert np.array_equal(damped.take(members), whole[np.ix_(members, members)])


def test_related_pairs_sum_a_slice_of_columns_at_a_time_exactly():
    from scipy.sparse import csr_matrix

    from storytrace.stages.stories import _SUM_COLUMNS, _related_pairs

    rng = np.random.default_rng(3)
    n = 2 * _SUM_COLUMNS + 37
    sim = rng.random((n, n)).astype(np.float32)
    sim = (sim + sim.T) / 2
    labels = rng.integers(5, 40, n)
    # The whole-matrix product it replaced, on the same float32 values widened at once.
    onehot = csr_matrix((np.ones(n), (np.arange(n), labels - 5)), shape=(n, 35))
    sums = np.asarray(onehot.T @ (onehot.T @ sim.astype(np.float64)).T)
    sizes = np.asarray(onehot.sum(axis=0)).ravel()
    avg = sums / np.maximum(np.outer(sizes, sizes), 1)
    threshold = float(np.median(avg[np.outer(sizes, sizes) > 0]))
    xs, ys = np.nonzero(np.triu(avg >= threshold, 1) & (np.outer(sizes, sizes) > 0))
    want = {(int(x) + 5, int(y) + 5) for x, y in zip(xs, ys)}
    assert want and _related_pairs(sim, labels, threshold) == want


@pytest.mark.skipif(not DEMO.is_dir(), reason="demo corpus not present")
def test_names_read_back_from_the_name_rows_are_the_names_of_each_text():
    from storytrace.ingest import iter_articles
    from storytrace.stages.stories import _story_features, story_label

    arts = [a for a in iter_articles([str(DEMO), str(SEEDS)], Settings()) if isinstance(a, Article)]
    arts += first_quake() + second_quake() + [seismic_roundup()]
    *_, rep_names = _story_features(arts)
    for a in arts:
        assert rep_names.get(a) == frozenset(names(title_and_text(a))), a.id
    assert rep_names.get(Article(id="not-a-representative", text="Raqqa")) is None
    # The labels are the same whether the names are read back or extracted again.
    assert story_label(arts, rep_names) == story_label(arts)
    assert story_label(arts[:5], rep_names) == story_label(arts[:5])
