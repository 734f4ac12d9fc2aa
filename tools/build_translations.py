"""Compile the gettext catalogue of each language into ``<lang>/LC_MESSAGES/lotse.mo``.

Every language's translations may be kept in several ``.po`` files by area
(``resources/translations/en/core.po``, ``ui.po`` …); they are merged into the one
``lotse`` domain, and a msgid translated differently in two files is an error.

``--check`` also extracts every marked string from ``lotse/`` (Babel) and lists the ones
the English catalogue lacks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def merged_catalog(language: str) -> Catalog:
    merged = Catalog(locale=language, domain="lotse")
    for po in sorted((TRANSLATIONS / language).glob("*.po")):
        with po.open("rb") as fh:
            part = read_po(fh, locale=language)
        for message in part:
            if not message.id or not message.string or message.fuzzy:
                continue
            existing = merged.get(message.id, message.context)
            if existing is not None and existing.string != message.string:
                raise SystemExit(f"{po.name}: {message.id!r} translated twice, differently")
            merged.add(message.id, message.string, context=message.context)
    return merged


def extracted_msgids() -> set[tuple[str, str | None]]:
    found: set[tuple[str, str | None]] = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT / "lotse"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.add((msgid, context))
    return found


def missing_english() -> list[str]:
    catalog = merged_catalog("en")
    return sorted(m for m, ctx in extracted_msgids() if catalog.get(m, ctx) is None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="list untranslated strings")
    args = parser.parse_args()
    for language_dir in sorted(p for p in TRANSLATIONS.iterdir() if p.is_dir()):
        catalog = merged_catalog(language_dir.name)
        out = language_dir / "LC_MESSAGES" / "lotse.mo"
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
    if args.check:
        missing = missing_english()
        for msgid in missing:
            print(f"missing English translation: {msgid!r}")
        return 1 if missing else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
