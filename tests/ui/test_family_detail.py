"""The family pane's wording: children's ages with the right plural, in both languages."""

from __future__ import annotations

import datetime as dt

from lotse.ui.family_detail import _age
from lotse.ui.qt_i18n import apply_language


def test_a_childs_age_in_months_has_its_plural_forms() -> None:
    today = dt.date(2026, 12, 2)
    assert _age(dt.date(2026, 11, 2), today) == "1 Monat (geb. 02.11.2026)"
    assert _age(dt.date(2026, 9, 2), today) == "3 Monate (geb. 02.09.2026)"
    assert _age(dt.date(2024, 11, 21), today) == "2 J. (geb. 21.11.2024)"
    apply_language("en")
    try:
        assert _age(dt.date(2026, 11, 2), today) == "1 month (born 02.11.2026)"
        assert _age(dt.date(2026, 9, 2), today) == "3 months (born 02.09.2026)"
    finally:
        apply_language("de")
