"""zh-CN first: every message in the code has a Chinese translation, compiled and current."""

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "store_api" / "translations" / "zh_Hans_CN" / "LC_MESSAGES"


def test_every_message_in_the_code_is_translated(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
         "-k", "_l", "-o", str(pot), "store_api", "kiosk", "shelf_labels"],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with (CATALOG / "messages.po").open("rb") as f:
        translated = {m.id: m.string for m in read_po(f) if m.id}
    missing = sorted(i for i in wanted if not translated.get(i))
    assert missing == []


def test_compiled_catalogue_matches_the_po_file():
    with (CATALOG / "messages.po").open("rb") as f:
        po = {m.id: m.string for m in read_po(f) if m.id and m.string}
    with (CATALOG / "messages.mo").open("rb") as f:
        mo = {m.id: m.string for m in read_mo(f) if m.id}
    assert mo == po, "run `make translations` to compile the catalogue"
