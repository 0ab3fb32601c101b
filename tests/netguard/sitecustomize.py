"""Installs the test network guard in subprocesses started by the test suite."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
try:
    import network_guard

    network_guard.install()
finally:
    sys.path.pop(0)
