"""Every threshold and limit in one place, with documented defaults.

Settings load from defaults, then a TOML file (``--config`` or ``STORYTRACE_CONFIG``),
then environment variables ``STORYTRACE_<NAME>`` (upper case). docs/settings.md lists them.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    # -- input limits (ingest) --
    max_file_bytes: int = 50 * 1024 * 1024  # a single input file larger than this is refused
    max_archive_bytes: int = 20 * 1024**3  # streamed WARC/JSONL/CSV files may be this large
    max_decompressed_bytes: int = 200 * 1024 * 1024  # per compressed member (bomb guard)
    max_compression_ratio: int = 200  # decompressed/compressed above this is a bomb
    max_records_per_file: int = 1_000_000  # JSONL/CSV/WARC/feed records read per file
    max_html_depth: int = 2_000  # nesting depth of HTML elements before we refuse
    max_record_seconds: float = 30.0  # wall time for extracting one record
    max_text_chars: int = 2_000_000  # article text above this is cut and flagged
    batch_size: int = 500  # articles per store transaction
    analysis_batch_articles: int = 2000  # stories analysed, stored and rendered together: bounds memory
    # -- duplicates and stories --
    minhash_permutations: int = 128
    lsh_bands: int = 32
    lsh_max_bucket: int = 200  # LSH bucket size cap: 100k copies never make 5e9 pairs
    duplicate_threshold: float = 0.5  # shared-shingle share (containment) for a duplicate
    # -- language --
    analysis_languages: tuple[str, ...] = ("en",)  # languages the English-only stages handle
    # -- provenance --
    aliases: dict[str, str] = field(default_factory=dict)  # extra outlet aliases: MailOnline = Daily Mail
    # -- stories (issue 3): one default for every corpus, measured in benchmarks/quality.py --
    story_threshold: float = 0.11  # average-linkage similarity at which articles share a story
    story_entity_weight: float = 0.3  # share of the similarity from named entities (rest: words)
    story_day_grace: float = 2.0  # publication days apart before time starts to separate
    story_day_scale: float = 20.0  # then similarity decays as exp(-(days - grace) / scale)
    story_year_penalty: float = 0.7  # undated articles whose main year differs: similarity x this
    story_embedding_weight: float = 0.0  # share of the similarity from sentence embeddings (embeddings extra); 0: off
    story_max_block: int = 5000  # pairs are searched this far apart in time order; bigger blocks cluster in windows of this size
    # -- provenance: text reuse, direction, origins (stages/reuse.py, stages/provenance.py) --
    reuse_ngram: int = 4  # words per seed n-gram; 4 survives an edit every ~5 words
    reuse_max_gap: int = 6  # words skipped on either side before a passage is cut in two
    reuse_min_words: int = 10  # matched words a passage needs (one shared phrase is not reuse)
    reuse_max_ngram_freq: int = 20  # seeds occurring more often in one article are ignored
    reuse_max_candidates: int = 8  # articles aligned with each article of a story (top shared n-grams)
    reuse_min_shared_ngrams: int = 3  # shared n-grams for a pair to be aligned at all
    direction_min_share_gap: float = 0.2  # containment: share difference to call a direction
    sibling_cover: float = 0.8  # share of a pair's text explained by a common source -> shares-text
    # -- opt-in URL fetching (ingest/fetch.py, issue 9): off unless --fetch is given --
    fetch_max_bytes: int = 10 * 1024 * 1024  # body bytes read per URL before it is refused
    fetch_timeout: float = 20.0  # seconds per URL, connection and every redirect included
    fetch_max_redirects: int = 5  # redirects followed; each new address is vetted again
    # -- stories: near-miss split (issue 3 follow-up, stages/stories.py) --
    story_split_ratio: float = 0.70  # split a story whose two halves' cross similarity < this x their cohesion
    story_split_min_size: int = 3  # articles each half needs before a story is split in two
    story_split_set_aside: int = 1  # times a bisection that only cuts off a few odd articles is retried without them
    # -- stories: incremental update (issue 3, stages/stories_incremental.py) --
    story_incremental: bool = True  # re-cluster only new articles' neighbourhood; False: everything

    def with_overrides(self, **kwargs) -> "Settings":
        return replace(self, **{k: v for k, v in kwargs.items() if v is not None})


def load_settings(config: str | os.PathLike | None = None, env: dict | None = None) -> Settings:
    """Defaults, then the TOML file, then ``STORYTRACE_*`` environment variables."""
    env = os.environ if env is None else env
    values: dict = {}
    path = config or env.get("STORYTRACE_CONFIG")
    if path:
        with open(Path(path), "rb") as fh:
            data = tomllib.load(fh)
        values.update(data.get("storytrace", data))
    known = {f.name: f for f in fields(Settings)}
    for name, f in known.items():
        raw = env.get(f"STORYTRACE_{name.upper()}")
        if raw is not None and f.type in ("int", "float"):
            values[name] = int(raw) if f.type == "int" else float(raw)
        elif raw is not None and f.type == "bool":
            values[name] = raw.strip().lower() in ("1", "true", "yes", "on")
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
    if "analysis_languages" in values:
        values["analysis_languages"] = tuple(values["analysis_languages"])
    return Settings(**values)
