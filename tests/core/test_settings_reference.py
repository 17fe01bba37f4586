"""The README's settings reference names every environment variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_documents_every_environment_variable():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    readme = (ROOT / "README.md").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', settings_source))

    undocumented = sorted(name for name in read if f"`{name}`" not in readme)

    assert read, "no env_* calls found: the settings module changed shape"
    assert undocumented == []
