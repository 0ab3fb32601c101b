"""Group articles into stories: the articles about one real-world event.

Only duplicate-group representatives are clustered (copies follow their representative).
Similarity between two articles = (1 - w) * cosine(word TF-IDF) + w * cosine(name TF-IDF),
damped by the time between them (publication days, else the year the text talks about).
Average-linkage clustering at one threshold cuts the similarity graph into stories.

Average linkage can only join two groups when at least one article pair reaches the
threshold, so the connected components of the thresholded graph are exact blocks: each is
clustered on its own, and 100k articles never make one 100k x 100k matrix. The pairs are
searched among articles at most ``story_max_block`` apart in time order (exact below that
many representatives), the span a block's clustering window covers anyway, so the search
grows linearly with the corpus instead of with its square.

Related stories: two stories that would be one on words and names alone but are far
apart in time (a later investigation of the same event).

Story ids are stable: an article keeps the story id it had in ``previous`` (the store's
last run); a new story's id derives from its earliest article.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache

import numpy as np

from ..article_texts import HeldTexts
from ..ids import make_id
from ..model import Article, Story
from ..settings import Settings
from .dedupe import Duplicate
from .story_embeddings import Embedder, centred, check_weight, embedding_input
from .story_features import day_number, main_year, names, title_and_text

TITLE_CHARS = 90  # a story label is a short line
TOP_ENTITIES = 8


def group_stories(articles: list[Article], duplicates: dict[str, Duplicate],
                  previous: dict[str, str], settings: Settings, texts: HeldTexts | None = None,
                  embedder: Embedder | None = None) -> list[Story]:
    """Every article in exactly one :class:`Story`, sorted by story id. ``texts``: where
    articles loaded without text get theirs; ``embedder``: encodes (and caches) sentence
    embeddings when ``story_embedding_weight`` is above 0."""
    if not articles:
        return []
    arts = sorted(articles, key=_precedence)  # input order never matters
    reps = representatives(arts, duplicates)
    labels, related_pairs, rep_names = cluster_representatives(reps, settings, texts, embedder)
    return build_stories(arts, duplicates, reps, labels, related_pairs, previous, rep_names=rep_names,
                         texts=texts)


def representatives(arts: list[Article], duplicates: dict[str, Duplicate]) -> list[Article]:
    """The articles that are clustered: all but copies of another article present here."""
    by_id = {a.id: a for a in arts}
    return [a for a in arts if not (a.id in duplicates and duplicates[a.id].of in by_id)]


def build_stories(arts: list[Article], duplicates: dict[str, Duplicate], reps: list[Article],
                  labels: list, related_pairs, previous: dict[str, str],
                  known_labels: dict | None = None, extra_related: dict | None = None,
                  rep_names: RepresentativeNames | None = None, texts: HeldTexts | None = None) -> list[Story]:
    """Stories from a cluster label per representative (copies follow their representative).

    ``arts`` are in precedence order. ``known_labels`` (cluster label -> (title, entities))
    skips recomputing the label of an unchanged story; ``extra_related`` (story id -> ids)
    adds related stories found outside ``related_pairs``; ``rep_names`` gives the
    representatives' names already extracted for their features.
    """
    by_id = {a.id: a for a in arts}
    members: dict = defaultdict(list)
    for a, lab in zip(reps, labels):
        members[lab].append(a)
    cluster_of_rep = {a.id: lab for a, lab in zip(reps, labels)}
    for a in arts:
        if a.id not in cluster_of_rep:
            members[cluster_of_rep[_root(a.id, duplicates, by_id)]].append(a)

    ordered = sorted(((lab, sorted(m, key=_precedence)) for lab, m in members.items()),
                     key=lambda lm: _precedence(lm[1][0]))
    clusters = [m for _, m in ordered]
    ids = _stable_ids([[a.id for a in m] for m in clusters], previous)
    id_of_label = {lab: sid for (lab, _), sid in zip(ordered, ids)}

    related: dict[str, set[str]] = defaultdict(set)
    for x, y in related_pairs:
        sx, sy = id_of_label[x], id_of_label[y]
        if sx != sy:
            related[sx].add(sy)
            related[sy].add(sx)
    for sid, others in (extra_related or {}).items():
        related[sid].update(others)

    known_labels = known_labels or {}
    stories = []
    for (lab, m), sid in zip(ordered, ids):
        title, entities = known_labels[lab] if lab in known_labels else story_label(m, rep_names, texts)
        origins = sorted(a.id for a in m if a.id not in duplicates)
        dates = sorted(a.published for a in m if a.published)
        extra = {"size": len(m), "outlets": sorted({a.source for a in m if a.source}),
                 "date_range": [dates[0], dates[-1]] if dates else None}
        stories.append(Story(id=sid, title=title, articles=sorted(a.id for a in m),
                             origins=origins, related=sorted(related[sid]),
                             entities=list(entities), extra=extra))
    return sorted(stories, key=lambda s: s.id)


def assign_stories(articles: list[Article], stories: list[Story]) -> None:
    """Write each article's ``story`` field from the grouping (in place)."""
    story_of = {aid: s.id for s in stories for aid in s.articles}
    for a in articles:
        a.story = story_of.get(a.id)


def _precedence(a: Article) -> tuple:
    return (a.published is None, a.published or "", a.id)


def _root(aid: str, duplicates: dict[str, Duplicate], by_id: dict[str, Article]) -> str:
    seen = set()
    while aid in duplicates and duplicates[aid].of in by_id and aid not in seen:
        seen.add(aid)
        aid = duplicates[aid].of
    return aid


# -- similarity and clustering -------------------------------------------------------------

def _tfidf(docs, vectorizer, n: int):
    """TF-IDF rows of the ``n`` ``docs`` (read once), or all-zero rows when no document has
    a content word (nothing to compare)."""
    from scipy import sparse

    try:
        return vectorizer.fit_transform(docs)
    except ValueError:  # "empty vocabulary": only stop words, numbers-only or blank texts
        return sparse.csr_matrix((n, 1), dtype=np.float32)


def story_vectors(reps: list[Article], texts: HeldTexts | None = None):
    """Word and name TF-IDF rows (fitted on ``reps``), publication days, main years."""
    words, ents, days, years, _, _ = _story_features(reps, texts)
    return words, ents, days, years


def _story_features(reps: list[Article], texts: HeldTexts | None = None, embedder: Embedder | None = None):
    """``story_vectors``, the sentence embeddings (None without an ``embedder``) and the
    representatives' names, read back from the name rows. The texts are read once, a
    chunk at a time: the word TF-IDF is fitted on them as they come, and each one's names,
    main year and embedding are taken on the way."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    texts = texts or HeldTexts()
    name_lists: list[tuple[str, ...]] = []
    years = np.full(len(reps), -1, dtype=np.int64)
    embedded: list[np.ndarray] = []

    def documents():
        for chunk in texts.chunks(reps):
            if embedder is not None:
                embedded.append(embedder.vectors([embedding_input(a.title, a.analysis_text) for a in chunk]))
            for a in chunk:
                doc = title_and_text(a)
                name_lists.append(names(doc))
                if (year := main_year(a.analysis_text)) is not None:
                    years[len(name_lists) - 1] = year
                yield doc

    # scikit-learn's tokens (runs of 2+ word characters) without its pattern's \b: the same
    # tokens, as a run is always taken whole, but re can skip to word characters (10k: the
    # fit 3.75 -> 3.09 s, same vocabulary and matrix).
    words = _tfidf(documents(), TfidfVectorizer(stop_words=list(ENGLISH_STOP_WORDS), sublinear_tf=True,
                                                token_pattern=r"(?u)\w\w+", dtype=np.float32), len(reps))
    name_vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
    ents = _tfidf(name_lists, name_vectorizer, len(reps))
    days = np.array([d if (d := day_number(a)) is not None else -1 for a in reps], dtype=np.int64)
    terms = name_vectorizer.get_feature_names_out() if hasattr(name_vectorizer, "vocabulary_") else []
    emb = centred(np.concatenate(embedded)) if embedded else None
    return words, ents, days, years, emb, RepresentativeNames(reps, ents, np.asarray(terms, dtype=object))


class RepresentativeNames:
    """Each representative's names as a set, read back from its name TF-IDF row: the row's
    non-zero columns are exactly the names in its text. The story labels need them again:
    extracted once more (through a names cache of 20,000 texts, too small there), they took
    38.0 of the 100k stories stage's 249.6 CPU seconds."""

    def __init__(self, reps: list[Article], ents, terms: np.ndarray):
        self.row = {a.id: i for i, a in enumerate(reps)}
        self.ents, self.terms = ents, terms

    def get(self, article: Article) -> frozenset[str] | None:
        """The names of ``article``'s title and text, or None when it is no representative."""
        i = self.row.get(article.id)
        if i is None:
            return None
        lo, hi = self.ents.indptr[i], self.ents.indptr[i + 1]
        return frozenset(self.terms[self.ents.indices[lo:hi]].tolist())


def content_similarity(words_a, ents_a, words_b, ents_b, settings: Settings, emb_a=None, emb_b=None):
    """Rows of ``a`` against rows of ``b``: (1 - w) word cosine + w name cosine (sparse).
    With embeddings (``emb_a``, ``emb_b``: rows of ``_story_features``): a dense array,
    (1 - e) x that + e x the embeddings' cosine (e: ``story_embedding_weight``)."""
    w = settings.story_entity_weight
    sim = ((1 - w) * (words_a @ words_b.T) + w * (ents_a @ ents_b.T)).tocsr()
    if emb_a is None:
        return sim
    e = np.float32(settings.story_embedding_weight)
    return (1 - e) * sim.toarray() + e * (emb_a @ emb_b.T)


def _dense(sim) -> np.ndarray:
    """A ``content_similarity`` result as a dense array."""
    return sim if isinstance(sim, np.ndarray) else sim.toarray()


class Similarity:
    """Content similarity among the rows of (words, names), never held whole.

    News of one kind shares everyday words, so nearly every pair of articles has some
    similarity: the full product of 10,000 articles held ~1e8 entries (~3 GB). Clustering
    needs only the pairs at the threshold (computed a chunk of rows at a time) and the
    dense similarity inside one block; each entry is computed exactly as in the full
    product (same rows, same summation order)."""

    ENTRIES_PER_CHUNK = 20_000_000  # similarities computed at once: bounds the chunk's memory
    MAX_ROWS_PER_CHUNK = 2000
    BLOCK_ROWS = 500  # rows of a dense block computed at once

    def __init__(self, words, ents, settings: Settings, emb: np.ndarray | None = None):
        self.words, self.ents, self.settings, self.emb = words, ents, settings, emb
        self.n = words.shape[0]

    def _emb(self, rows):
        return None if self.emb is None else self.emb[rows]

    def blocks(self, threshold: float, band: int) -> list[np.ndarray]:
        """Connected components of the pairs at ``threshold`` or above among rows at most
        ``band`` apart (rows are in time order), sorted by first member.

        Found a chunk of rows at a time, each row against the band of rows after it,
        carrying only each article's component forward, so the pairs are never all held (one
        kind of news: ~all 4e7 of 10k). Every pair of news articles shares some word, so an
        unbounded search costs n² products (at 30k representatives 53 s against 22 s in the
        band; benchmarks/stories_scale.py). A block bigger than the band is clustered in
        windows of that size anyway."""
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        band = max(1, band)
        root = np.arange(self.n, dtype=np.int64)  # each article's component, by its first member
        rows = max(1, min(self.MAX_ROWS_PER_CHUNK, self.ENTRIES_PER_CHUNK // max(1, min(self.n, band))))
        for start in range(0, self.n, rows):
            stop = min(self.n, start + rows)
            end = min(self.n, stop + band)
            # Row i against rows start..end: pairs (i, j < start) were seen with j's chunk.
            # An entry's value does not depend on which other columns are computed.
            chunk = content_similarity(self.words[start:stop], self.ents[start:stop], self.words[start:end],
                                       self.ents[start:end], self.settings, self._emb(slice(start, stop)),
                                       self._emb(slice(start, end)))
            row, col = _pairs_at(chunk, threshold)
            keep = (row < col) & (col - row <= band)
            ri = np.concatenate([row[keep].astype(np.int64) + start, np.arange(self.n)])
            ci = np.concatenate([col[keep].astype(np.int64) + start, root])
            del chunk, row, col, keep
            graph = coo_matrix((np.ones(len(ri), dtype=np.int8), (ri, ci)), shape=(self.n, self.n))
            _, comp = connected_components(graph, directed=False)
            first = np.full(comp.max() + 1, self.n, dtype=np.int64)
            np.minimum.at(first, comp, np.arange(self.n))
            root = first[comp]
        groups: dict[int, list[int]] = defaultdict(list)
        for idx, r in enumerate(root.tolist()):
            groups[r].append(idx)
        return sorted((np.array(g) for g in groups.values()), key=lambda g: int(g[0]))

    def block(self, part: np.ndarray) -> np.ndarray:
        """The dense similarity among the rows ``part`` (float32, as computed), filled a
        chunk of rows at a time: the sparse products and sums of a whole 5,000-article
        window (nearly every pair shares a word) held several times the dense result."""
        w, e, emb = self.words[part], self.ents[part], self._emb(part)
        out = np.empty((len(part), len(part)), dtype=np.float32)
        for r0 in range(0, len(part), self.BLOCK_ROWS):
            r1 = min(len(part), r0 + self.BLOCK_ROWS)
            out[r0:r1] = _dense(content_similarity(w[r0:r1], e[r0:r1], w, e, self.settings,
                                                   None if emb is None else emb[r0:r1], emb))
        return out


def _pairs_at(sim, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Row and column positions of the entries of ``sim`` (sparse or dense) at ``threshold``
    or above."""
    if isinstance(sim, np.ndarray):
        return np.nonzero(sim >= threshold)
    sim = sim.tocoo()
    keep = sim.data >= threshold
    return sim.row[keep], sim.col[keep]


def _identity(x):
    return x


def time_factor(days: np.ndarray, years: np.ndarray, i: np.ndarray, j: np.ndarray,
                settings: Settings) -> np.ndarray:
    """Damping in (0, 1] for article pairs (i, j): far apart in time = less alike."""
    fac = np.ones(len(i), dtype=np.float64)
    dated = (days[i] >= 0) & (days[j] >= 0)
    gap = np.abs(days[i] - days[j]).astype(np.float64)
    fac[dated] = np.exp(-np.maximum(gap[dated] - settings.story_day_grace, 0) / settings.story_day_scale)
    undated = ~dated & (years[i] >= 0) & (years[j] >= 0) & (years[i] != years[j])
    fac[undated] = settings.story_year_penalty
    return fac


def cluster_representatives(reps: list[Article], settings: Settings, texts: HeldTexts | None = None,
                            embedder: Embedder | None = None):
    """Cluster labels (ints) per representative, related (label, label) pairs, and the
    representatives' names (None for a single one: none were extracted)."""
    if len(reps) == 1:
        return [0], [], None
    words, ents, days, years, emb, rep_names = _story_features(reps, texts, story_embedder(settings, embedder))
    labels, related = cluster_similarity(Similarity(words, ents, settings, emb), days, years, settings)
    return labels, related, rep_names


def story_embedder(settings: Settings, embedder: Embedder | None = None) -> Embedder | None:
    """The embedder the stories stage uses: None when ``story_embedding_weight`` is 0 (the
    default), else ``embedder`` or one without a cache."""
    check_weight(settings.story_embedding_weight)
    if settings.story_embedding_weight == 0:
        return None
    return embedder or Embedder()


def cluster_similarity(similarity: Similarity, days: np.ndarray, years: np.ndarray, settings: Settings):
    """Labels and related label pairs from the content similarity of representatives in
    precedence order (the time damping is applied here)."""
    n = similarity.n
    if n == 1:
        return [0], []
    thr = settings.story_threshold
    # Blocks on undamped similarity: they hold every story and every related pair.
    blocks = similarity.blocks(thr, settings.story_max_block)
    labels = np.full(n, -1, dtype=np.int64)
    related: set[tuple[int, int]] = set()
    next_label = 0
    for block in blocks:
        if len(block) == 1:
            labels[block[0]] = next_label
            next_label += 1
            continue
        for part in _split(block, settings.story_max_block):
            sub = similarity.block(part)  # float32; damped a story at a time (DampedBlock)
            damped = DampedBlock(sub, part, days, years, settings)
            local = split_near_misses(damped, damped.average_linkage(thr), settings)
            del damped
            local_labels = local + next_label
            labels[part] = local_labels
            next_label = int(local_labels.max()) + 1
            related |= _related_pairs(sub, local_labels, thr)
    return labels.tolist(), sorted(related)


class DampedBlock:
    """A window's similarity damped by the time between articles, never held whole.

    Average linkage needs only the condensed distance, built from the undamped ``sub``
    (float32) a few rows at a time, and the near-miss split only the damped square of one
    candidate story at a time. The whole damped square (float64) of a 5,000-article window
    was 190 MB on top of ``sub``, the distance and scipy's copy of it. Every entry is the
    one the whole square held: float64(sub[i, j]) x time factor, for i < j, mirrored."""

    ROWS_AT_ONCE = 2_000_000  # pairs damped at once (their indexes and factors are held)

    def __init__(self, sub: np.ndarray, part: np.ndarray, days: np.ndarray, years: np.ndarray,
                 settings: Settings):
        self.sub, self.part, self.days, self.years, self.settings = sub, part, days, years, settings

    def take(self, members: np.ndarray) -> np.ndarray:
        """The damped similarity among ``members`` (ascending positions in the window)."""
        return _damp(self.sub[np.ix_(members, members)].astype(np.float64), self.part[members],
                     self.days, self.years, self.settings)

    def average_linkage(self, threshold: float) -> np.ndarray:
        """``average_linkage`` of the whole damped window."""
        from scipy.cluster.hierarchy import linkage

        n = len(self.part)
        if n == 1:
            return np.zeros(1, dtype=np.int64)
        condensed = np.empty(n * (n - 1) // 2, dtype=np.float64)
        at = 0
        rows = max(1, self.ROWS_AT_ONCE // n)
        for r0 in range(0, n, rows):
            ii, jj = _upper_pairs(n, r0, min(n, r0 + rows))  # row by row: the condensed order
            damped = self.sub[ii, jj].astype(np.float64)
            damped *= time_factor(self.days, self.years, self.part[ii], self.part[jj], self.settings)
            np.subtract(1.0, damped, out=condensed[at:at + len(damped)])
            at += len(damped)
        np.clip(condensed, 0.0, None, out=condensed)
        return _cut(linkage(condensed, method="average"), n, threshold)


def _upper_pairs(n: int, r0: int, r1: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions (i, j), i < j, of the rows r0..r1 of an n x n matrix's upper triangle, row by row."""
    ii, jj = np.nonzero(np.arange(n)[None, :] > np.arange(r0, r1)[:, None])
    return ii + r0, jj


def _damp(damped: np.ndarray, part: np.ndarray, days: np.ndarray, years: np.ndarray,
          settings: Settings) -> np.ndarray:
    """``damped`` (a block's similarity), in place, with every pair damped by its time
    apart: the upper triangle computed a few rows at a time (its pair indexes and factors
    held at once made a 5,000-article window peak at 906 MB instead of 627) and mirrored,
    so the result is exactly symmetric."""
    n = len(part)
    rows = max(1, DampedBlock.ROWS_AT_ONCE // max(1, n))
    for r0 in range(0, n, rows):
        ii, jj = _upper_pairs(n, r0, min(n, r0 + rows))
        damped[ii, jj] *= time_factor(days, years, part[ii], part[jj], settings)
        damped[jj, ii] = damped[ii, jj]
    return damped


def _split(block: np.ndarray, size: int) -> list[np.ndarray]:
    # Articles are in time order, so a giant block splits into consecutive time windows.
    return [block[k:k + size] for k in range(0, len(block), size)]


def average_linkage(sim: np.ndarray, threshold: float) -> np.ndarray:
    """Labels 0..k-1 from average-linkage clustering stopped at ``threshold`` similarity."""
    if len(sim) == 1:
        return np.zeros(1, dtype=np.int64)
    return _cut(_average_linkage_tree(sim), len(sim), threshold)


def _cut(merges: np.ndarray, n: int, threshold: float) -> np.ndarray:
    """Labels from a scipy average-linkage tree of ``n`` items cut at ``threshold`` similarity:
    every merge below the distance threshold, as scikit-learn's AgglomerativeClustering
    (distance_threshold) cuts the same tree."""
    return _first_merges(merges, n, int(np.count_nonzero(merges[:, 2] < 1.0 - threshold)))


def _average_linkage_tree(sim: np.ndarray) -> np.ndarray:
    """scipy's average-linkage tree on distance 1 - ``sim`` (clipped at 0), given to it in
    condensed form built a row at a time. scikit-learn's AgglomerativeClustering builds the
    same tree through a square distance matrix and two index arrays over its upper triangle
    (400 MB more for a 5,000-article window: a process clustering the 10k corpus peaked at
    1,260 MB with it, at 783 MB with this)."""
    from scipy.cluster.hierarchy import linkage

    n = len(sim)
    condensed = np.empty(n * (n - 1) // 2, dtype=np.float64)
    at = 0
    for i in range(n - 1):
        np.subtract(1.0, sim[i, i + 1:], out=condensed[at:at + n - 1 - i])
        at += n - 1 - i
    np.clip(condensed, 0.0, None, out=condensed)
    return linkage(condensed, method="average")


def _first_merges(merges: np.ndarray, n: int, kept: int) -> np.ndarray:
    """Labels (by first member) of the groups the first ``kept`` merges of a scipy tree make."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    # Merge k joins nodes merges[k, 0] and merges[k, 1] into node n + k.
    kids = merges[:kept, :2].astype(np.int64).ravel()
    parents = np.repeat(np.arange(n, n + kept, dtype=np.int64), 2)
    graph = coo_matrix((np.ones(len(kids), dtype=np.int8), (kids, parents)), shape=(n + kept, n + kept))
    _, comp = connected_components(graph, directed=False)
    order: dict[int, int] = {}
    return np.array([order.setdefault(int(c), len(order)) for c in comp[:n]], dtype=np.int64)


def split_near_misses(damped: DampedBlock, labels: np.ndarray, settings: Settings) -> np.ndarray:
    """Split stories that hold two dense groups of articles (two events of one kind).

    Two earthquakes in one country share every topic word, so average linkage over the
    whole block may join them; but each event's articles are far more alike among
    themselves than across. A story is cut in two (its average-linkage bisection, see
    :func:`bisect`) when the halves' mean cross similarity is below ``story_split_ratio`` x
    the cohesion (mean within similarity) of the looser half; halves are tried again,
    recursively. ``damped``: the window's damped similarity, taken one story at a time.
    """
    ratio, least = settings.story_split_ratio, settings.story_split_min_size
    out = labels.copy()
    next_label = int(labels.max()) + 1
    todo = [np.flatnonzero(labels == lab) for lab in np.unique(labels)]  # ascending positions
    while todo:
        members = todo.pop()
        if len(members) < 2 * least:
            continue
        sim = damped.take(members)
        halves = bisect(sim, least, settings.story_split_set_aside)
        if halves is None:
            continue
        ha, hb = halves  # ha holds the earliest; both ascending
        if sim[np.ix_(ha, hb)].mean() < ratio * min(_cohesion(sim, ha), _cohesion(sim, hb)):
            out[members[hb]] = next_label
            next_label += 1
            todo += [members[ha], members[hb]]
    # Renumber by first member so labels stay in article order.
    order: dict[int, int] = {}
    return np.array([order.setdefault(int(r), len(order)) for r in out], dtype=np.int64)


def bisect(sim: np.ndarray, least: int, set_aside: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Two halves (positions in ``sim``) of at least ``least`` members each, or None.

    Average linkage cut in two often only cuts off one odd article (a roundup, a short
    wire note), which hides the two events behind it. Such a half smaller than ``least``
    is set aside and the rest bisected again (up to ``set_aside`` times); the set-aside
    articles then join the half they are more alike on average. The first half holds
    position 0."""
    rest = np.arange(len(sim))
    aside: list[int] = []
    for _ in range(set_aside + 1):
        if len(rest) < 2 * least:
            return None
        sub = sim[np.ix_(rest, rest)]
        half = _first_merges(_average_linkage_tree(sub), len(sub), len(sub) - 2)  # two groups
        a, b = rest[half == half[0]], rest[half != half[0]]
        if min(len(a), len(b)) >= least:
            break
        small, rest = (a, b) if len(a) < len(b) else (b, a)
        aside += small.tolist()
    else:
        return None
    for k in sorted(aside):
        if sim[k, a].mean() >= sim[k, b].mean():
            a = np.append(a, k)
        else:
            b = np.append(b, k)
    a, b = np.sort(a), np.sort(b)
    return (a, b) if a[0] < b[0] else (b, a)


def _cohesion(sim: np.ndarray, members: np.ndarray) -> float:
    """Mean similarity between distinct members."""
    sub = sim[np.ix_(members, members)]
    k = len(members)
    return float((sub.sum() - np.trace(sub)) / (k * (k - 1)))


def _related_pairs(sim: np.ndarray, labels: np.ndarray, threshold: float) -> set[tuple[int, int]]:
    """Story pairs whose undamped average similarity reaches the threshold."""
    from scipy.sparse import csr_matrix

    k = int(labels.max()) + 1 - int(labels.min())
    local = labels - labels.min()
    onehot = csr_matrix((np.ones(len(local)), (np.arange(len(local)), local)), shape=(len(local), k))
    # Story x article sums in float64, a slice of columns at a time, so the float32 ``sim``
    # is never widened whole (each column's sums are added in the same order either way).
    by_story = np.empty((k, len(sim)), dtype=np.float64)
    for c0 in range(0, len(sim), _SUM_COLUMNS):
        by_story[:, c0:c0 + _SUM_COLUMNS] = onehot.T @ sim[:, c0:c0 + _SUM_COLUMNS].astype(np.float64)
    sums = np.asarray(onehot.T @ by_story.T)  # k x k sums of pair similarities
    sizes = np.asarray(onehot.sum(axis=0)).ravel()
    avg = sums / np.maximum(np.outer(sizes, sizes), 1)
    xs, ys = np.nonzero(np.triu(avg >= threshold, 1) & (np.outer(sizes, sizes) > 0))
    base = int(labels.min())
    return {(int(x) + base, int(y) + base) for x, y in zip(xs, ys)}


_SUM_COLUMNS = 256


# -- ids and labels ------------------------------------------------------------------------

def _stable_ids(clusters: list[list[str]], previous: dict[str, str]) -> list[str]:
    """One id per cluster (clusters sorted by their earliest article).

    A cluster keeps the previous story id held by its earliest previously-seen article (the
    older story when stories merge); a previous story split in two keeps its id on the part
    that holds its earliest article. Other clusters get an id from their earliest article.
    """
    ids: list[str | None] = [None] * len(clusters)
    taken: set[str] = set()
    used_before = set(previous.values())
    for k, members in enumerate(clusters):
        for aid in members:  # members are in precedence order: earliest first
            old = previous.get(aid)
            if old and old not in taken:
                ids[k] = old
                taken.add(old)
                break
    for k, members in enumerate(clusters):
        if ids[k] is None:
            sid = make_id("s", members[0])
            salt = 0
            while sid in taken or sid in used_before:
                salt += 1
                sid = make_id("s", members[0], salt)
            ids[k] = sid
            taken.add(sid)
    return ids  # type: ignore[return-value]


def story_label(members: list[Article], rep_names: RepresentativeNames | None = None,
                texts: HeldTexts | None = None) -> tuple[str, list[str]]:
    """A short title (the most typical headline) and the names most articles mention."""
    texts = texts or HeldTexts()
    name_set = cache(lambda text: frozenset(names(text)))  # copies share one text: read it once
    known = {a.id: n for a in members if rep_names is not None and (n := rep_names.get(a)) is not None}
    # The copies' names from their own texts, read a chunk at a time (a wire story may have
    # thousands of copies); the cache is emptied with each chunk so it keeps no texts.
    for chunk in texts.chunks([a for a in members if a.id not in known]):
        known.update((a.id, name_set(title_and_text(a))) for a in chunk)
        name_set.cache_clear()

    counts = Counter(n for a in members for n in known[a.id])
    min_df = 2 if len(members) > 1 else 1
    entities = [n for n, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                if c >= min_df][:TOP_ENTITIES]
    titled = [(i, a) for i, a in enumerate(members) if a.title]
    if titled:
        # The headline naming the most shared entities; ties go to the earliest article.
        top = set(entities)
        _, best = max(titled, key=lambda ia: (len(top & name_set(ia[1].title or "")), -ia[0]))
        title = best.title or ""
    else:
        with texts.loaded(members[:1]):
            title = next((line.strip() for line in members[0].analysis_text.splitlines() if line.strip()), "")
    if len(title) > TITLE_CHARS:
        title = title[:TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return title, entities

