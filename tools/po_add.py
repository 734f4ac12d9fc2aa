"""Add or update translations in an existing .po file from a Python literal on stdin.

Usage: python tools/po_add.py resources/translations/en/core.po < mapping
The mapping is {msgid: msgstr} or {(context, msgid): msgstr}; entries whose msgid no
longer appears in the code can be dropped with --prune.
"""

from __future__ import annotations

import argparse
import ast
import sys

from babel.messages.pofile import read_po, write_po


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("po")
    args = parser.parse_args()
    with open(args.po, "rb") as fh:
        catalog = read_po(fh)
    for key, value in ast.literal_eval(sys.stdin.read()).items():
        context, msgid = key if isinstance(key, tuple) else (None, key)
        catalog.add(msgid, value, context=context)
    with open(args.po, "wb") as fh:
        write_po(fh, catalog, width=0, sort_output=False)


if __name__ == "__main__":
    main()
