"""The course of a case in words, for the family detail: where the family came from, its
screening, and whether (and why) the accompaniment ended."""

from __future__ import annotations

from lotse.catalogues import BURDEN_FACTORS, CLOSURE_REASONS
from lotse.i18n import _
from lotse.ui.widgets import german_date
from lotse.usecases import FamilyInput


def case_state(family: FamilyInput) -> str:
    """ "offen", or "abgeschlossen am 04.11.2026 (An eine andere Stelle übergeben)"."""
    if family.closed is None:
        return _("offen")
    state = _("abgeschlossen am {date}").format(date=german_date(family.closed))
    if family.closure_reason:
        state += f" ({CLOSURE_REASONS.label(family.closure_reason)})"
    return state


def case_lines(family: FamilyInput) -> list[str]:
    """Identified date, origin and screening, each a line (none when nothing is known)."""
    lines = []
    known = []
    if family.identified is not None:
        known.append(_("Bekannt seit {date}").format(date=german_date(family.identified)))
    if family.origin_service:
        origin = _("übernommen von {service}").format(service=family.origin_service)
        if family.origin_date is not None:
            origin += " " + _("am {date}").format(date=german_date(family.origin_date))
        known.append(origin)
    if known:
        lines.append(" · ".join(known))
    if family.screening_date is not None:
        found = [BURDEN_FACTORS.label(code) for code in family.screening_factors]
        if family.screening_staff_concern:
            found.append(_("Sorge des Fachpersonals"))
        if family.screening_own_request:
            found.append(_("Wunsch der Eltern"))
        lines.append(
            _("Screening am {date}: {found}").format(
                date=german_date(family.screening_date),
                found=", ".join(found) if found else _("nichts gefunden"),
            )
        )
    return lines
