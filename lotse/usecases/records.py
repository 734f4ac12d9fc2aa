"""Use cases of records files (``lotse.records/2``, reading ``/1`` too): import and export.

An import is all or nothing: the file is checked completely, then stored in one
transaction; on any problem nothing is stored and every problem is listed.
"""

from __future__ import annotations

from pathlib import Path

from lotse import options
from lotse.records.exporter import export_records
from lotse.records.importer import ImportSummary, Progress, store_records
from lotse.records.model import Records
from lotse.records.reader import read_records
from lotse.usecases.access import VaultAccess
from lotse.usecases.audit import log_export, log_import


class RecordsAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    def store(
        self, records: Records, name: str = "", progress: Progress | None = None
    ) -> ImportSummary:
        """Store records already read and checked (``name`` names them in messages); logged."""
        with self._access.guarded():
            summary = store_records(self._access.vault, records, name, progress)
        log_import(self._access, summary)
        return summary

    def import_file(
        self, path: Path, name: str | None = None, progress: Progress | None = None
    ) -> ImportSummary:
        """Read, check and store the records file ``path``."""
        label = name or path.name
        # Codes are checked against this vault's catalogues (its own districts).
        with self._access.read() as session, options.vault_catalogues(session):
            records = read_records(path, label)
        return self.store(records, label, progress)

    def export(self, path: Path) -> int:
        """Write every record to ``path`` (atomically); returns the number of records.

        The file holds personal data in plain form: the export is logged (family codes).
        """
        with self._access.guarded():
            count = export_records(self._access.vault, path)
        log_export(self._access, Path(path), count)
        return count
