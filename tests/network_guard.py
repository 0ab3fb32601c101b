"""Pytest plugin: the whole test suite runs with non-loopback sockets blocked.

Proves nothing is downloaded at run time. Blocks in this process (socket.connect,
connect_ex, sendto, create_connection and DNS lookups of non-local names) and in every
subprocess the tests start (``tests/netguard/sitecustomize.py`` on PYTHONPATH installs
the same guard there). Loopback and Unix sockets stay allowed: the fetch tests use a
local HTTP server and the concurrency tests talk to local processes.

Registered from tests/conftest.py with ``pytest_plugins = ["network_guard"]``.
"""
from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

GUARD_DIR = Path(__file__).resolve().parent / "netguard"


class NetworkBlocked(OSError):
    """A test tried to reach a non-loopback address."""


def _is_loopback(host) -> bool:
    if host in ("localhost", "", None):
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    try:
        ip = ipaddress.ip_address(str(host).split("%", 1)[0])
    except ValueError:
        return False  # a name: only "localhost" is allowed
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _is_literal(host) -> bool:
    """An IP literal: resolving it sends nothing; connecting is still checked."""
    try:
        ipaddress.ip_address(str(host).split("%", 1)[0])
        return True
    except ValueError:
        return False


def _check(sock, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
        if not _is_loopback(address[0]):
            raise NetworkBlocked(f"network access to {address[0]!r} is blocked during tests")


_installed = False


def install() -> None:
    """Patch the socket module; idempotent."""
    global _installed
    if _installed:
        return
    _installed = True
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_sendto, real_getaddrinfo = socket.socket.sendto, socket.getaddrinfo

    def connect(self, address):
        _check(self, address)
        return real_connect(self, address)

    def connect_ex(self, address):
        _check(self, address)
        return real_connect_ex(self, address)

    def sendto(self, data, *args):
        _check(self, args[-1])
        return real_sendto(self, data, *args)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_loopback(host) and not _is_literal(host):
            raise NetworkBlocked(f"DNS lookup of {host!r} is blocked during tests")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.socket.sendto = sendto
    socket.getaddrinfo = getaddrinfo
    os.environ["STORYTRACE_NETWORK_GUARD"] = "1"


def activate() -> None:
    """Guard this process and every subprocess started from now on."""
    install()
    # Subprocesses (the CLI runs in the hostile-input, crash and concurrency suites) too.
    paths = [str(GUARD_DIR), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))


def pytest_configure(config) -> None:
    activate()
