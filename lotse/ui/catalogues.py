"""The open vault's catalogues the window shows: its districts (Sozialräume).

Since issue 9 a vault may keep its own districts (unless the machine policy sets them for
the whole organisation), so they are the vault's, not the machine's. The main window
reads them with its settings (off the UI thread) and sets them here before it builds its
views; the views and forms read them here. Locked, the machine's are in force again.
"""

from __future__ import annotations

from lotse.catalogues import Catalogue
from lotse.usecases.settings import districts as machine_districts

_districts: Catalogue | None = None


def districts() -> Catalogue:
    """The districts in force in the open vault (the machine's while none is open)."""
    return _districts if _districts is not None else machine_districts()


def set_districts(catalogue: Catalogue | None) -> bool:
    """Use ``catalogue`` from now on (None: the machine's); True if it changed."""
    global _districts
    changed = catalogue != _districts
    _districts = catalogue
    return changed
