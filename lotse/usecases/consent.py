"""Use cases of the consent register: recording a withdrawal, erasing personal data, and
the "Einwilligung fehlt" list of "Heute".

The rules themselves (what may be stored and passed on) are in
:mod:`lotse.casework.consent`; every use case that stores a family's records obeys them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lotse.casework import consent
from lotse.casework.consent import ConsentInput, ErasedPersonal, MissingConsent
from lotse.casework.families import family_input, get_family
from lotse.catalogues import CONSENT_PURPOSES
from lotse.db.models import Consent
from lotse.errors import BadInputError
from lotse.i18n import _
from lotse.usecases.access import VaultAccess

__all__ = ["ConsentAPI", "ConsentInput", "ErasedPersonal", "MissingConsent", "Withdrawal"]


@dataclass(frozen=True)
class Withdrawal:
    """A recorded withdrawal and, if asked for, what was erased with it."""

    code: str
    purpose: str
    withdrawn: dt.date
    erased: ErasedPersonal | None


class ConsentAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    def withdraw(
        self,
        family_id: int,
        index: int,
        withdrawn: dt.date,
        erase_personal: bool = False,
        today: dt.date | None = None,
    ) -> Withdrawal:
        """Record that the family withdrew its consent number ``index`` (in register order)
        on ``withdrawn``; logged. With ``erase_personal`` (offered when ``documentation``
        is withdrawn) the family's personal data goes in the same transaction, logged too.
        """
        today = today or dt.date.today()
        with self._access.write() as session:
            family = get_family(session, family_id)
            rows = sorted(family.consents, key=lambda c: c.position)
            if not 0 <= index < len(rows):
                raise BadInputError(_("Diese Einwilligung ist nicht mehr erfasst."))
            row: Consent = rows[index]
            label = CONSENT_PURPOSES.label(row.purpose)
            if row.withdrawn is not None:
                raise BadInputError(
                    _("Die Einwilligung „{purpose}“ ist schon am {date} widerrufen.").format(
                        purpose=label, date=row.withdrawn.strftime("%d.%m.%Y")
                    )
                )
            if withdrawn < row.date or withdrawn > today:
                raise BadInputError(
                    _(
                        "Widerruf der Einwilligung „{purpose}“: das Datum muss zwischen dem "
                        "Tag der Einwilligung ({given}) und heute liegen."
                    ).format(purpose=label, given=row.date.strftime("%d.%m.%Y"))
                )
            before = family_input(family).consents
            row.withdrawn = withdrawn
            session.flush()
            consent.log_withdrawals(session, family.code, before, family_input(family).consents)
            erased = consent.erase_personal_data(session, family_id) if erase_personal else None
            return Withdrawal(family.code, row.purpose, withdrawn, erased)

    def erase_personal_data(self, family_id: int) -> ErasedPersonal:
        """Clear the family's personal data (it stays, anonymous, in the statistics)."""
        with self._access.write() as session:
            get_family(session, family_id)
            return consent.erase_personal_data(session, family_id)

    def missing(self, today: dt.date) -> list[MissingConsent]:
        """The "Einwilligung fehlt" list: families holding what their consents do not cover."""
        with self._access.read() as session:
            return consent.missing(session, today)

    @staticmethod
    def may_document(consents: list[ConsentInput], day: dt.date) -> bool:
        """Whether these consents allow personal data on ``day`` (the form asks, to say why
        its personal fields are closed)."""
        return consent.may_document(consents, day)
