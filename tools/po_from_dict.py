"""Write a .po file from a Python mapping (used once to seed catalogues; kept for reuse).

Usage: python tools/po_from_dict.py LANG OUT.po < mapping.py-literal
The input is a Python literal: a dict {msgid: msgstr} or {(context, msgid): msgstr}.
"""

from __future__ import annotations

import ast
import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po


def main() -> None:
    language, out = sys.argv[1], sys.argv[2]
    mapping = ast.literal_eval(sys.stdin.read())
    catalog = Catalog(locale=language, domain="lotse", project="Lotse")
    for key, value in mapping.items():
        context, msgid = key if isinstance(key, tuple) else (None, key)
        catalog.add(msgid, value, context=context)
    with open(out, "wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False, sort_output=False)


if __name__ == "__main__":
    main()
