"""Opt-in URL fetching against a real HTTP server on 127.0.0.1, and the network guard."""
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import network_guard
from storytrace.errors import InputError
from storytrace.ingest import iter_articles
from storytrace.ingest.fetch import fetch_url, non_public_reason, vet_address
from storytrace.model import RecordError
from storytrace.settings import Settings

PAGE = ("<html><head><title>Ferry fire at Corran</title></head><body><article><h1>Ferry fire at Corran</h1>"
        "<p>A fire broke out on the Corran ferry on Monday evening, the harbour authority said. "
        "All forty passengers were taken ashore by lifeboat crews and nobody was hurt.</p>"
        "<p>The ferry will stay out of service while investigators inspect the engine room, "
        "a spokeswoman told the Coastline Courier.</p></article></body></html>").encode()


class Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        route = self.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        kind, value = route
        if kind == "redirect":
            self.send_response(302)
            self.send_header("Location", value)
            self.end_headers()
        elif kind == "page":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(value)))
            self.end_headers()
            self.wfile.write(value)
        elif kind == "endless":  # no Content-Length, body never ends
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
            except OSError:
                pass
        elif kind == "slow":  # a byte at a time, slower than the time limit allows
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.routes = {
        "/page": ("page", PAGE),
        "/hop": ("redirect", "/page"),
        "/loop": ("redirect", "/loop"),
        "/to-metadata": ("redirect", "http://169.254.169.254/latest/meta-data/"),
        "/to-private": ("redirect", "http://10.1.2.3/admin"),
        "/to-file": ("redirect", "file:///etc/passwd"),
        "/big": ("page", b"<p>" + b"y" * 300_000 + b"</p>"),
        "/endless": ("endless", None),
        "/slow": ("slow", None),
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()
    httpd.server_close()


# tests/conftest.py registers the guard as a plugin for the whole session; activating it
# here too (idempotent) keeps these tests honest when this file runs on its own.
network_guard.activate()

S = Settings(fetch_max_bytes=200_000, fetch_timeout=3.0, fetch_max_redirects=3)


def test_fetches_a_page_and_follows_a_redirect(server):
    body, final, ctype = fetch_url(server + "/hop", S, allow_private=True)
    assert body == PAGE and final == server + "/page" and ctype.startswith("text/html")


def test_loopback_is_refused_without_the_test_switch(server):
    with pytest.raises(InputError) as exc:
        fetch_url(server + "/page", S)
    assert exc.value.code == "fetch-refused" and "loopback" in str(exc.value)


def test_localhost_name_is_refused_after_dns_resolution(server):
    port = server.rsplit(":", 1)[1]
    with pytest.raises(InputError) as exc:
        fetch_url(f"http://localhost:{port}/page", S)
    assert exc.value.code == "fetch-refused" and "resolves to" in str(exc.value)


@pytest.mark.parametrize("route,word", [("/to-metadata", "link-local"), ("/to-private", "private"),
                                        ("/to-file", "only http")])
def test_redirects_are_vetted_again(server, route, word):
    with pytest.raises(InputError) as exc:
        fetch_url(server + route, S, allow_private=True)
    assert exc.value.code == "fetch-refused" and word in str(exc.value)


def test_redirect_loop_is_capped(server):
    with pytest.raises(InputError) as exc:
        fetch_url(server + "/loop", S, allow_private=True)
    assert "more than 3 redirects" in str(exc.value)


@pytest.mark.parametrize("route", ["/big", "/endless"])
def test_size_is_capped(server, route):
    with pytest.raises(InputError) as exc:
        fetch_url(server + route, S, allow_private=True)
    assert exc.value.code == "too-large"


def test_time_is_capped(server):
    start = time.monotonic()
    with pytest.raises(InputError) as exc:
        fetch_url(server + "/slow", Settings(fetch_timeout=1.0), allow_private=True)
    assert exc.value.code == "timeout" and time.monotonic() - start < 3


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/",
                                 "javascript:alert(1)", "http://user:pw@127.0.0.1/", "http:///nohost",
                                 "http://127.0.0.1:99999/"])
def test_bad_schemes_and_urls_are_refused(url):
    with pytest.raises(InputError) as exc:
        fetch_url(url, S, allow_private=True)
    assert exc.value.code == "fetch-refused"


@pytest.mark.parametrize("address,reason", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("10.0.0.8", "private"), ("192.168.1.1", "private"), ("172.16.5.4", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"), ("100.64.0.1", "non-global"), ("93.184.215.14", None),
    ("2606:4700::1111", None)])
def test_address_classes(address, reason):
    assert non_public_reason(address) == reason


def test_private_addresses_refused_even_with_the_loopback_switch():
    with pytest.raises(InputError) as exc:
        vet_address("169.254.169.254", 80, allow_private=True)
    assert exc.value.code == "fetch-refused"


def test_ingest_fetches_only_when_asked(server):
    items = list(iter_articles([server + "/page"], S))
    assert [(type(i), i.code) for i in items] == [(RecordError, "url-not-fetched")]
    # with --fetch, the real guard (no test switch) refuses the loopback server
    items = list(iter_articles([server + "/page"], S, fetch=True))
    assert len(items) == 1 and items[0].code == "fetch-refused" and items[0].source == server + "/page"


# -- the network guard (tests/network_guard.py) is active for the whole suite --

def test_outbound_connections_are_blocked_in_tests():
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("93.184.215.14", 80), timeout=1)
    with pytest.raises(OSError, match="blocked"):
        socket.getaddrinfo("example.org", 443)


def test_outbound_connections_are_blocked_in_subprocesses():
    code = ("import socket\ntry:\n    socket.create_connection(('93.184.215.14', 80), timeout=1)\n"
            "except OSError as e:\n    print('blocked' if 'blocked' in str(e) else 'other')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.stdout.strip() == "blocked"
