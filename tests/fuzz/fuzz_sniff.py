"""atheris target: the sniff reader (see harness.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import main  # noqa: E402

if __name__ == "__main__":
    main("sniff")
