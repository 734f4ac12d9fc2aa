"""Records files through the API: an import is all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from lotse.records.reader import RecordsError
from lotse.usecases import VaultAPI

GOOD = (
    '{"format": "lotse.records/1"}\n'
    '{"type": "family", "id": "f-1", "adults": 2, "children": []}\n'
    '{"type": "contact", "family": "f-1", "date": "2026-05-03", "kind": "first_contact"}\n'
)


def test_import_then_export(api: VaultAPI, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(GOOD, encoding="utf-8")
    progress: list[tuple[int, int]] = []
    summary = api.records.import_file(source, progress=lambda d, t: progress.append((d, t)))
    assert (summary.families, summary.contacts) == (1, 1)
    assert progress and progress[-1][0] == progress[-1][1]
    assert api.records.export(tmp_path / "out.jsonl") == 2
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n") == 3


def test_a_second_import_of_the_same_file_stores_nothing(api: VaultAPI, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(GOOD, encoding="utf-8")
    api.records.import_file(source)
    with pytest.raises(RecordsError) as error:
        api.records.import_file(source, "noch einmal")
    assert error.value.details[0].startswith("noch einmal:2:")
    assert len(api.families.rows()) == 1
