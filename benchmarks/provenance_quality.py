"""Provenance quality and speed on a generated, labelled reuse set.

Origins are generated from sentence templates (fictional places, people, figures); each
derived article applies known operations to an origin: verbatim paragraphs, trimmed
paragraphs and sentences, light word edits (gold: reused), fully paraphrased sentences
and inserted commentary (gold: not reused), re-ordered paragraphs, a credit line or not.
Reports alignment precision/recall by characters (both sides), direction accuracy,
attribution precision/recall on tests/data/attributions.jsonl, alignment pairs/s against
rapidfuzz's partial_ratio_alignment, and the time of one 500-article story.

    .venv/bin/python benchmarks/provenance_quality.py [--pairs 300] [--story 500]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import time
from pathlib import Path

from storytrace.model import Article
from storytrace.settings import Settings
from storytrace.stages.attributions import find_attributions
from storytrace.stages.provenance import trace_provenance
from storytrace.stages.reuse import align

ROOT = Path(__file__).resolve().parents[1]
PLACES = ["Varnholt", "Eskeby", "Marden", "Tolvik", "Brackwater", "Ostrava Nova", "Kelso Bay", "Druin",
          "Halsted", "Penmore", "Rask", "Ulmfield"]
PEOPLE = ["Marta Lindqvist", "Pieter Aalto", "Joanna Reyes", "Tomasz Wilk", "Amina Diallo", "Owen Price",
          "Lena Kovac", "Samuel Osei", "Ingrid Holm", "Rafael Costa"]
ROLES = ["the regional governor", "a fire service spokesman", "the town's mayor", "a local engineer",
         "the health minister", "a union representative", "a police spokeswoman", "the harbour master"]
THINGS = ["dam", "bridge", "factory", "hospital wing", "rail line", "power station", "ferry terminal",
          "school", "water plant", "sea wall"]
EVENTS = ["collapsed", "was flooded", "caught fire", "was evacuated", "was closed", "was damaged",
          "lost power", "was sealed off"]
UNITS = ["people", "homes", "workers", "vehicles", "families", "patients", "households", "passengers"]
ADJ = ["heavy", "sudden", "unexpected", "severe", "prolonged", "serious", "repeated", "major"]
TEMPLATES = [
    "The {thing} in {place} {event} on {day} after {adj} storms, officials said.",
    "About {n} {unit} were moved to temporary shelters in {place2} by the evening.",
    "{person}, {role}, said the damage was worse than anyone had expected.",
    "Inspectors had warned in {year} that the {thing} needed urgent repairs, according to documents.",
    "The repairs were postponed {k} times because of a dispute over the budget.",
    "Emergency crews from {k} districts worked through the night to reach {unit} trapped near the {thing}.",
    "Roads between {place} and {place2} remained closed on {day}, and trains were cancelled.",
    "{person} said an inquiry would examine why the warnings had not been acted upon.",
    "Insurers estimated the losses at {n} million euros, a figure that could still rise.",
    "Residents described a loud noise shortly before the {thing} {event}.",
    "The {thing} had been built in {year} and was last inspected {k} years ago.",
    "Opposition politicians called for the resignation of {role2} on {day}.",
    "At least {k} {unit} were treated in hospital for minor injuries, {role} said.",
    "Volunteers in {place2} collected food and blankets for the {n} {unit} who had left their homes.",
]
COMMENT = [
    "In our view this is exactly the kind of failure that years of neglect make inevitable.",
    "Readers will remember that we warned about this very problem two winters ago.",
    "It is hard not to feel angry when the same mistakes are repeated again and again.",
    "What happens next will tell us whether anyone in charge has learned a single lesson.",
    "The real scandal is not the storm but the silence that followed every warning.",
    "Critics will say the money was never there, but priorities are always a choice.",
]
SYNONYMS = {"said": "stated", "warned": "cautioned", "urgent": "pressing", "loud": "deafening",
            "closed": "shut", "residents": "locals", "officials": "authorities", "worse": "more serious",
            "moved": "relocated", "night": "evening", "estimated": "put", "called": "pressed"}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
OUTLETS = [("BBC News", "BBC"), ("Reuters", "Reuters"), ("Associated Press", "AP"),
           ("Harbour Beacon", "the Harbour Beacon"), ("Daily Mail", "the Daily Mail")]


def sentence(rng: random.Random, ctx: dict) -> str:
    return rng.choice(TEMPLATES).format(
        thing=ctx["thing"], place=ctx["place"], place2=rng.choice(PLACES), event=rng.choice(EVENTS),
        day=rng.choice(DAYS), adj=rng.choice(ADJ), n=rng.randint(12, 9000), unit=rng.choice(UNITS),
        person=rng.choice(PEOPLE), role=rng.choice(ROLES), role2=rng.choice(ROLES),
        year=rng.randint(1960, 2023), k=rng.randint(2, 9))


def make_origin(rng: random.Random, idx: int) -> tuple[Article, list[list[str]]]:
    ctx = {"thing": rng.choice(THINGS), "place": rng.choice(PLACES)}
    paras = [[sentence(rng, ctx) for _ in range(rng.randint(2, 4))] for _ in range(rng.randint(6, 9))]
    source, _ = OUTLETS[idx % len(OUTLETS)]
    text = "\n\n".join(" ".join(p) for p in paras)
    return Article(id=f"origin-{idx}", text=text, source=source, published="2024-03-04T08:00:00Z"), paras


def light_edit(rng: random.Random, s: str) -> str:
    words = s.split(" ")
    spots = [i for i, w in enumerate(words) if w.strip(".,").lower() in SYNONYMS]
    for i in rng.sample(spots, min(len(spots), 1)):
        core = words[i].strip(".,")
        words[i] = words[i].replace(core, SYNONYMS[core.lower()])
    return " ".join(words)


def make_derived(rng: random.Random, origin: Article, paras: list[list[str]], idx: int, credit: bool,
                 timed: bool):
    """A derived article and its gold: [(derived span, origin span)] of reused text."""
    pieces: list[tuple[str, tuple[int, int] | None]] = []  # (text, origin span or None)
    order = list(range(len(paras)))
    kept = sorted(rng.sample(order, max(2, int(len(order) * rng.uniform(0.4, 0.9)))))
    if rng.random() < 0.4:
        rng.shuffle(kept)
    offsets = []  # char offset of each origin sentence
    pos = 0
    for p in paras:
        row = []
        for s in p:
            row.append(pos)
            pos += len(s) + 1
        pos += 1  # paragraph joiner "\n\n" replaces the last space
        offsets.append(row)
    if rng.random() < 0.5:
        pieces.append((rng.choice(COMMENT) + " " + rng.choice(COMMENT), None))
    for pi in kept:
        para_pieces = []
        sents = list(range(len(paras[pi])))
        if len(sents) > 2 and rng.random() < 0.3:
            sents = sents[:-1]  # trimmed sentence
        for si in sents:
            s = paras[pi][si]
            ospan = (offsets[pi][si], offsets[pi][si] + len(s))
            r = rng.random()
            if r < 0.15:
                para_pieces.append((sentence(rng, {"thing": rng.choice(THINGS), "place": rng.choice(PLACES)}), None))
            elif r < 0.35:
                para_pieces.append((light_edit(rng, s), ospan))
            else:
                para_pieces.append((s, ospan))
        if rng.random() < 0.2:
            para_pieces.append((rng.choice(COMMENT), None))
        pieces.append(para_pieces)
    if credit:
        pieces.append((f"The report was first published by {OUTLETS[int(origin.id.split('-')[1]) % len(OUTLETS)][1]}.", None))
    text, gold = "", []
    for piece in pieces:
        group = piece if isinstance(piece, list) else [piece]
        if text:
            text += "\n\n"
        for k, (s, ospan) in enumerate(group):
            if k:
                text += " "
            if ospan:
                gold.append(((len(text), len(text) + len(s)), ospan))
            text += s
    published = "2024-03-04T%02d:%02d:00Z" % (9 + rng.randint(0, 10), rng.randint(0, 59)) if timed else None
    derived = Article(id=f"derived-{idx}", text=text, source=f"Outlet {idx}", published=published)
    return derived, gold


def char_set(spans):
    out = set()
    for s, e in spans:
        out.update(range(s, e))
    return out


def alignment_quality(pairs, settings):
    tp = fp = fn = 0
    right = wrong = unknown = 0
    for origin, derived, gold, credit in pairs:
        al = align(origin, derived, settings, outlet_a=None, outlet_b=None,
                   credits_b=frozenset({"BBC"}) if credit else frozenset())
        for side in (0, 1):
            pred = char_set([p.a_span if side == 0 else p.b_span for p in al.passages])
            truth = char_set([g[1] if side == 0 else g[0] for g in gold])
            text = origin.text if side == 0 else derived.text
            pred = {c for c in pred if not text[c].isspace()}
            truth = {c for c in truth if not text[c].isspace()}
            tp += len(pred & truth)
            fp += len(pred - truth)
            fn += len(truth - pred)
        if al.source is None:
            unknown += 1
        elif al.source == origin.id:
            right += 1
        else:
            wrong += 1
    p, r = tp / (tp + fp or 1), tp / (tp + fn or 1)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r or 1),
            "direction_right": right, "direction_wrong": wrong, "direction_unknown": unknown}


def direction_quality(rng, settings, n=100):
    """Direction when times are missing: credit line (attribution) or containment only."""
    counts = {"right": 0, "wrong": 0, "unknown": 0}
    for i in range(n):
        origin, paras = make_origin(rng, i)
        origin.published = None
        credit = i % 2 == 0
        derived, _ = make_derived(rng, origin, paras, i, credit, timed=False)
        outlet_a = {"BBC News": "BBC", "Associated Press": "Associated Press", "Daily Mail": "Daily Mail",
                    "Harbour Beacon": "Harbour Beacon", "Reuters": "Reuters"}[origin.source]
        credits_b = {a.source for a in find_attributions(derived) if a.kind == "media"}
        al = align(origin, derived, settings, outlet_a=outlet_a, outlet_b=derived.source, credits_b=credits_b)
        key = "unknown" if al.source is None else "right" if al.source == origin.id else "wrong"
        counts[key] += 1
    return counts


def attribution_quality():
    tp = fp = fn = 0
    misses, false = [], []
    for line in (ROOT / "tests" / "data" / "attributions.jsonl").read_text().splitlines():
        rec = json.loads(line)
        found = {a.source for a in find_attributions(Article(id="x", text=rec["text"])) if a.kind == "media"}
        gold = set(rec["media"])
        tp += len(found & gold)
        fp += len(found - gold)
        fn += len(gold - found)
        if gold - found:
            misses.append(rec["text"])
        if found - gold:
            false.append((rec["text"], sorted(found - gold)))
    p, r = tp / (tp + fp or 1), tp / (tp + fn or 1)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r or 1), "missed": misses, "false": false}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=300)
    ap.add_argument("--story", type=int, default=500)
    ap.add_argument("--rapidfuzz-pairs", type=int, default=10)
    args = ap.parse_args()
    settings = Settings()
    rng = random.Random(4)
    pairs = []
    for i in range(args.pairs):
        origin, paras = make_origin(rng, i)
        credit = rng.random() < 0.5
        derived, gold = make_derived(rng, origin, paras, i, credit, timed=rng.random() < 0.5)
        if derived.published is None:
            origin = dataclasses.replace(origin, published=None)
        pairs.append((origin, derived, gold, credit))
    q = alignment_quality(pairs, settings)
    print(f"alignment ({len(pairs)} pairs): precision {q['precision']:.3f} recall {q['recall']:.3f} "
          f"F1 {q['f1']:.3f}; direction right {q['direction_right']} wrong {q['direction_wrong']} "
          f"unknown {q['direction_unknown']}")
    d = direction_quality(random.Random(7), settings)
    print(f"direction without times (100 pairs, half with a credit line): {d}")
    a = attribution_quality()
    print(f"attributions: precision {a['precision']:.3f} recall {a['recall']:.3f} F1 {a['f1']:.3f}")
    for t in a["missed"]:
        print("  missed:", t)
    for t, f in a["false"]:
        print("  false:", f, t)

    t0 = time.perf_counter()
    for origin, derived, _, _ in pairs:
        align(origin, derived, settings)
    ours = len(pairs) / (time.perf_counter() - t0)
    from rapidfuzz import fuzz
    sample = pairs[:args.rapidfuzz_pairs]
    t0 = time.perf_counter()
    for origin, derived, _, _ in sample:
        fuzz.partial_ratio_alignment(origin.text, derived.text)
    theirs = len(sample) / (time.perf_counter() - t0)
    print(f"throughput: align {ours:.0f} pairs/s; rapidfuzz partial_ratio_alignment {theirs:.2f} pairs/s "
          f"(on {len(sample)} of the same pairs); ratio {ours / theirs:.0f}x")

    rng = random.Random(11)
    origins = [make_origin(rng, i) for i in range(5)]
    story = [o for o, _ in origins]
    for i in range(args.story - len(story)):
        origin, paras = origins[i % len(origins)]
        derived, _ = make_derived(rng, origin, paras, 1000 + i, rng.random() < 0.5, timed=True)
        story.append(derived)
    t0 = time.perf_counter()
    prov = trace_provenance("bench", story, {}, settings)
    took = time.perf_counter() - t0
    right = sum(1 for a in story[5:] if prov.origin_of.get(a.id, "").startswith("origin-")
                and prov.origin_of[a.id] == f"origin-{(int(a.id.split('-')[1]) - 1000) % 5}")
    print(f"story of {len(story)} articles: {took:.1f} s, {len(prov.links)} links, "
          f"origins {prov.origins}, derived traced to their true origin {right}/{len(story) - 5}")


if __name__ == "__main__":
    main()
