"""Hostile inputs, generated at test time: each case writes files into a folder and says
what a correct outcome is. Shared by tests/test_hostile_input.py and the fuzz corpus.

Nothing large is committed: bombs and huge files are built here, in a temp folder.
"""
from __future__ import annotations

import bz2
import gzip
import io
import json
import os
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

STORY = ("Rescue teams in Port Ellery searched the harbour on Tuesday after a fishing boat sank "
         "with six crew aboard. The coastguard said two men were pulled alive from the water and "
         "the search for the other four would continue through the night.")
SECRET = "TOPSECRET-7f3a9c-NEVER-INGEST"  # text of files outside the input folder


@dataclass
class Case:
    name: str
    build: callable  # (folder: Path, outside: Path) -> list of input paths (str)
    codes: set[str] = field(default_factory=set)  # error codes expected (any of them)
    articles: int | None = None  # articles expected in the store, when the outcome is exact
    min_articles: int = 0
    text_check: callable | None = None  # (list of texts) -> bool
    seconds: float = 60.0
    env: dict = field(default_factory=dict)  # STORYTRACE_* settings for this run
    errors: int | None = None  # error rows expected, when exact
    known_bug: str | None = None  # a bug outside ingest that this case exposes (strict xfail)
    result_check: callable | None = None  # (analysis.json as data) -> bool


def _write(folder: Path, name: str, data: bytes | str) -> str:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def _rng(name: str) -> random.Random:
    return random.Random(name)  # deterministic per case


def random_bytes(folder, outside):
    rng = _rng("random")
    return [_write(folder, f"noise{suffix}", bytes(rng.getrandbits(8) for _ in range(20_000)))
            for suffix in ("", ".txt", ".html", ".jsonl", ".csv", ".rss", ".warc")]


def nul_bytes(folder, outside):
    return [_write(folder, "nuls.txt", "Harbour closes\n\n" + STORY.replace(" ", " \x00", 5)),
            _write(folder, "all-nul.txt", b"\x00" * 50_000),
            _write(folder, "nul.jsonl", json.dumps({"id": "nul-1", "text": "\x00" + STORY + "\x00"}) + "\n")]


def lone_surrogates(folder, outside):
    escaped = '{"id": "sur-1", "title": "\\udc00 bad title", "text": "' + STORY + ' \\ud800 \\udfff"}\n'
    raw_utf8 = b'{"id": "sur-2", "text": "' + STORY.encode() + b' \xed\xa0\x80 end"}\n'  # CESU-style
    return [_write(folder, "surrogates.jsonl", escaped.encode() + raw_utf8)]


def encodings(folder, outside):
    html = ("<html><head><meta charset='{cs}'><title>Caf\u00e9 fire {n}</title></head><body><article>"
            "<p>{story}</p><p>The caf\u00e9 owner, Ren\u00e9e M\u00fcller, said na\u00efve repairs "
            "had caused fire number {n}, according to the harbour authority.</p></article></body></html>")
    text = "Caf\u00e9 fire {n} in Port Ellery\n\n" + STORY
    return [
        _write(folder, "utf16-bom.txt", text.format(n=1).encode("utf-16")),
        _write(folder, "utf16le-nobom.txt", text.format(n=2).encode("utf-16-le")),
        _write(folder, "utf16be-nobom.txt", text.format(n=3).encode("utf-16-be")),
        _write(folder, "latin1-says-utf8.html", html.format(cs="utf-8", story=STORY, n=4).encode("latin-1")),
        _write(folder, "utf8-says-sjis.html", html.format(cs="shift_jis", story=STORY, n=5).encode("utf-8")),
        _write(folder, "bogus-charset.html", html.format(cs="x-no-such-charset", story=STORY, n=6).encode("cp1252")),
        _write(folder, "utf32.txt", text.format(n=7).encode("utf-32")),
    ]


def long_line(folder, outside):
    # 30 MB on one line: no newline anywhere, so line-based code sees one giant line.
    words = (STORY.replace(".", "") + " ").encode()
    data = (words * (30_000_000 // len(words) + 1))[:30_000_000]
    return [_write(folder, "one-line.txt", data)]


def long_line_jsonl(folder, outside):
    body = ("word " * 6_000_000)[:30_000_000]
    return [_write(folder, "one-record.jsonl", json.dumps({"id": "huge-1", "text": body}) + "\n")]


def nested_html(folder, outside, tag="div"):
    n = 200_000
    page = ("<html><body>" + f"<{tag}>" * n + "<p>" + STORY + "</p>" + f"</{tag}>" * n
            + "</body></html>")
    return [_write(folder, f"nested-{tag}.html", page)]


def nested_unclosed(folder, outside):
    page = "<html><body>" + "<blockquote><q><x-y>" * 70_000 + STORY
    return [_write(folder, "nested-unclosed.html", page)]


def nested_json(folder, outside):
    return [_write(folder, "deep.jsonl", "[" * 200_000 + "]" * 200_000 + "\n"
                   + json.dumps({"id": "ok-after-deep", "text": STORY}) + "\n"),
            _write(folder, "deep-array.json", "[" * 200_000 + "]" * 200_000)]


def truncated_gzip(folder, outside):
    whole = gzip.compress((json.dumps({"id": "g1", "text": STORY}) + "\n").encode() * 200)
    return [_write(folder, "cut.txt.gz", gzip.compress(STORY.encode() * 50)[:60]),
            _write(folder, "cut.jsonl.gz", whole[: len(whole) // 2]),
            _write(folder, "cut.html.gz", b"\x1f\x8b\x08\x00"),
            _write(folder, "cut.warc.gz", gzip.compress(_warc_record(STORY))[:200])]


def gzip_bomb(folder, outside):
    path = folder / "bomb.txt.gz"
    with gzip.open(path, "wb", compresslevel=9) as fh:
        block = b"A" * 1_000_000
        for _ in range(300):  # 300 MB of "A" (over max_decompressed_bytes), 300 KB compressed
            fh.write(block)
    return [str(path)]


def bz2_bomb(folder, outside):
    path = folder / "bomb.jsonl.bz2"
    comp = bz2.BZ2Compressor(9)
    parts = [comp.compress(b"\n" * 10_000_000) for _ in range(30)]  # 300 MB of newlines
    path.write_bytes(b"".join(parts) + comp.flush())
    return [str(path)]


def zip_bomb(folder, outside):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i in range(3):
            with zf.open(f"part{i}.txt", "w", force_zip64=True) as member:
                for _ in range(100):
                    member.write(b"0" * 1_000_000)  # 100 MB each, 300 MB in all
        zf.writestr("real.txt", "Boat sinks off Port Ellery\n\n" + STORY)
    inner = buf.getvalue()
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i in range(5):
            zf.writestr(f"nest{i}.zip", inner)  # a zip of zips: 1.5 GB if fully expanded
    return [_write(folder, "bomb.zip", inner), _write(folder, "nested-bomb.zip", outer.getvalue())]


def billion_laughs(folder, outside):
    lol = "".join(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10))
    feed = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">' + lol + ']>'
            '<rss version="2.0"><channel><title>Laughs</title><item><title>Boom</title>'
            '<description>&lol9;</description></item></channel></rss>')
    atom = feed.replace("<rss", "<feed").replace("</rss>", "</feed>")
    html = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY lol0 "lol">' + lol + ']>'
            "<html><body><article><p>" + STORY + " &lol9;</p></article></body></html>")
    return [_write(folder, "laughs.rss", feed), _write(folder, "laughs.atom", atom),
            _write(folder, "laughs.xml", feed.lower()), _write(folder, "laughs.xhtml", html)]


def external_entities(folder, outside):
    secret = outside / "secret.txt"
    secret.write_text(SECRET)
    uri = secret.as_uri()
    entity = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{uri}">]>'
              '<rss version="2.0"><channel><title>XXE</title><item><title>Leak</title>'
              '<description>' + STORY + ' &xxe;</description></item></channel></rss>')
    param = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "{uri}"> %p;]>'
             '<rss version="2.0"><channel><title>XXE</title><item><title>Leak</title>'
             '<description>' + STORY + '</description></item></channel></rss>')
    dtd = (f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{uri}">'
           '<rss version="2.0"><channel><title>XXE</title><item><title>Leak</title>'
           '<description>' + STORY + '</description></item></channel></rss>')
    xinclude = ('<html xmlns:xi="http://www.w3.org/2001/XInclude"><body><article><p>' + STORY
                + f'</p><xi:include href="{uri}" parse="text"/></article></body></html>')
    return [_write(folder, "xxe.rss", entity), _write(folder, "xxe-param.rss", param),
            _write(folder, "xxe-dtd.rss", dtd), _write(folder, "xinclude.html", xinclude)]


def _warc_record(text: str, length_lie: int = 0) -> bytes:
    html = f"<html><body><article><p>{text}</p></article></body></html>".encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:12345678-1234-1234-1234-123456789012>\r\n"
            b"WARC-Target-URI: https://news.example/boat\r\nWARC-Date: 2025-06-16T07:30:00Z\r\n"
            b"Content-Type: application/http; msgtype=response\r\n"
            b"Content-Length: " + str(len(http) + length_lie).encode() + b"\r\n\r\n")
    return head + http + b"\r\n\r\n"


def truncated_warc(folder, outside):
    good = _warc_record(STORY)
    return [_write(folder, "cut.warc", good + _warc_record(STORY.replace("six", "seven"))[:300]),
            _write(folder, "lying-length.warc", _warc_record(STORY, length_lie=10_000_000)),
            _write(folder, "garbage-after.warc", good + b"WARC/1.0\r\nContent-Length: -5\r\n\r\nxx")]


def bad_jsonl(folder, outside):
    lines = [json.dumps({"id": "j1", "text": STORY}),
             json.dumps([1, 2, 3]), json.dumps("a string"), "42", "null", "true",
             json.dumps({"id": {"nested": 1}, "text": STORY}),
             json.dumps({"id": "j2", "text": ["not", "a", "string"]}),
             json.dumps({"id": "j3", "text": STORY, "title": {"x": 1}, "published": [2025]}),
             json.dumps({"id": "j4", "text": STORY, "published": 1e308, "url": 12}),
             json.dumps({"id": True, "text": STORY}),
             json.dumps({"id": "", "text": STORY}),
             json.dumps({"id": "j1", "text": STORY}),  # duplicate id, same content
             json.dumps({"id": "j1", "text": STORY + " Later: all six were found."}),  # a new version
             "{not json", '{"id": "j5", "text": "unterminated',
             json.dumps({"text": "   \n\t  "}), json.dumps({"id": "j6"}),
             json.dumps({"id": "j7", "text": STORY, "extra": float("nan")}, allow_nan=True),
             json.dumps({"id": "j8", "html": "<p>" + STORY + "</p>", "weird\x00key": "\ud800"}),
             '{"id": "j9", "id": "j10", "text": "' + STORY + '"}']
    return [_write(folder, "bad.jsonl", "\n".join(lines) + "\n"),
            _write(folder, "array.json", json.dumps([{"id": "k1", "text": STORY}, 5, None, "x"])),
            _write(folder, "bad.csv", "id,text\nc1,\"" + STORY + "\"\nc2,\"unterminated\n" + "x" * 1000)]


def symlink_escape(folder, outside):
    secret = outside / "secret.txt"
    secret.write_text("Secret harbour memo\n\n" + SECRET + " " + STORY)
    secret_dir = outside / "private"
    secret_dir.mkdir(exist_ok=True)
    (secret_dir / "memo.txt").write_text("Memo\n\n" + SECRET + " " + STORY)
    os.symlink(secret, folder / "escape.txt")
    os.symlink(secret_dir, folder / "escape-dir")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink(folder / "loop-a", folder / "loop-b")
    os.symlink(folder / "loop-b", folder / "loop-a")
    _write(folder, "fine.txt", "Boat sinks\n\n" + STORY)
    return [str(folder)]


def fifo(folder, outside):
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(folder / "pipe.jsonl")
    _write(folder, "fine.txt", "Boat sinks\n\n" + STORY)
    return [str(folder), str(folder / "pipe.jsonl")]


def many_copies(folder, outside):
    line = [json.dumps({"id": f"copy-{i}", "source": f"outlet{i % 50}.example", "text": STORY})
            for i in range(100_000)]
    return [_write(folder, "copies.jsonl", "\n".join(line) + "\n")]


def over_limit_lines(folder, outside):
    # Run with max_file_bytes = 1 MB: the 3 MB line is skipped, the lines around it are kept.
    good = [json.dumps({"id": f"near-{i}", "text": STORY + f" Update {i}."}) for i in range(2)]
    big = json.dumps({"id": "big", "text": "x" * 3_000_000})
    return [_write(folder, "long-line.jsonl", "\n".join([good[0], big, good[1]]) + "\n"),
            _write(folder, "big.csv", "id,text\n" + "".join(f"r{i},{STORY}\n" for i in range(15_000))),
            _write(folder, "big-array.jsonl", "[" + ",".join([json.dumps({"text": STORY})] * 10_000) + "]")]


def slow_record(folder, outside):
    # Run with max_record_seconds = 1: extracting this 4 MB page takes far longer.
    paras = "".join(f"<p>{STORY} Paragraph {i}.</p><div><span>{i}</span></div>" for i in range(15_000))
    return [_write(folder, "slow.html", f"<html><body><article>{paras}</article></body></html>"),
            _write(folder, "quick.txt", "Boat sinks\n\n" + STORY)]


def stop_words_only(folder, outside):
    # Articles with no content words at all: nothing for TF-IDF to work with.
    return [_write(folder, "empty-words.jsonl",
                   json.dumps({"id": "sw-1", "text": "It was there and then it was not."}) + "\n"
                   + json.dumps({"id": "sw-2", "text": "And so it was, and they were not there."}) + "\n")]


def _one_wire_story(result):
    # one story, one original, every other copy a duplicate of it with a link to it
    originals = [a["id"] for a in result["articles"] if not a["duplicate_of"]]
    return (len(result["stories"]) == 1 and len(originals) == 1
            and sum(1 for lk in result["links"] if lk["kind"] == "duplicate" and lk["to"] == originals[0]) == 99_999)


def _all_texts_clean(texts):
    return all("\x00" not in t and not any(0xD800 <= ord(c) <= 0xDFFF for c in t) for t in texts)


CASES = [
    Case("random-bytes", random_bytes, {"binary", "bad-json", "bad-warc", "bad-feed", "bad-csv", "encoding"},
         seconds=60),
    Case("nul-bytes", nul_bytes, {"binary"}, articles=2, text_check=_all_texts_clean),
    Case("lone-surrogates", lone_surrogates, set(), articles=2, text_check=_all_texts_clean),
    Case("encodings", encodings, set(), articles=7,
         text_check=lambda ts: all("Caf\u00e9 fire" in t or "caf\u00e9 owner" in t for t in ts)),
    Case("30mb-single-line", long_line, set(), articles=1, text_check=lambda ts: len(ts[0]) == 2_000_000),
    Case("30mb-single-record", long_line_jsonl, set(), articles=1),
    Case("200k-nested-div", nested_html, {"too-deep"}),
    Case("200k-nested-blockquote", lambda f, o: nested_html(f, o, "blockquote"), {"too-deep"}),
    Case("200k-nested-custom", lambda f, o: nested_html(f, o, "x-box"), {"too-deep"}),
    Case("nested-unclosed", nested_unclosed, {"too-deep"}),
    Case("nested-json", nested_json, {"bad-json"}, articles=1),
    Case("truncated-gzip", truncated_gzip, {"corrupt-archive", "bad-warc"}, articles=0, errors=4),
    Case("gzip-bomb", gzip_bomb, {"bomb"}, articles=0),
    Case("bz2-bomb", bz2_bomb, {"bomb"}, articles=0),
    Case("zip-bomb", zip_bomb, {"bomb", "container"}, min_articles=1),
    Case("billion-laughs", billion_laughs, {"xml-entities"}, errors=3,
         text_check=lambda ts: all(len(t) < 5000 and "lollol" not in t for t in ts)),
    Case("external-entities", external_entities, {"xml-entities"}, min_articles=0),
    Case("truncated-warc", truncated_warc, {"bad-warc"}, min_articles=1),
    Case("bad-jsonl", bad_jsonl, {"bad-record", "bad-field", "bad-json", "duplicate-id", "new-version",
                                  "no-text", "bad-csv"}, min_articles=6),
    Case("symlink-escape", symlink_escape, {"symlink-escape"}, articles=1),
    Case("fifo", fifo, {"not-a-file"}, articles=1),
    Case("over-limit-lines", over_limit_lines, {"too-large"}, articles=2,
         env={"STORYTRACE_MAX_FILE_BYTES": "1000000"}),
    Case("record-time-limit", slow_record, {"timeout"}, articles=1, errors=1,
         env={"STORYTRACE_MAX_RECORD_SECONDS": "1"}),
    Case("stop-words-only", stop_words_only, set(), articles=2),
    Case("100k-copies", many_copies, set(), articles=100_000, seconds=240, result_check=_one_wire_story),
]
