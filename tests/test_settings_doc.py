"""docs/settings.md documents every Settings field with its current default."""
import ast
import dataclasses
import re
from pathlib import Path

from storytrace.settings import Settings, load_settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def documented() -> dict[str, str]:
    rows = re.findall(r"^\| `(\w+)` \| `(.+?)` \| (.+?) \|$", DOC.read_text(encoding="utf-8"), re.M)
    return {name: default for name, default, meaning in rows if meaning.strip()}


def test_every_setting_is_documented_with_its_default():
    docs = documented()
    for f in dataclasses.fields(Settings):
        assert f.name in docs, f"Settings.{f.name} is not documented in docs/settings.md"
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        assert ast.literal_eval(docs[f.name]) == default, f"docs/settings.md: stale default for {f.name}"
    names = {f.name for f in dataclasses.fields(Settings)}
    assert set(docs) <= names, f"documented but gone: {sorted(set(docs) - names)}"


def test_limits_can_be_set_from_the_environment():
    s = load_settings(env={"STORYTRACE_MAX_FILE_BYTES": "1234", "STORYTRACE_FETCH_TIMEOUT": "2.5"})
    assert s.max_file_bytes == 1234 and s.fetch_timeout == 2.5
