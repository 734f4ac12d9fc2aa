"""The access report (GDPR Art. 15) of one family: built from the vault, written, logged.

Everything stored about the family goes in (:class:`lotse.report.access_report.
AccessReport`): household and screening, contact data, consents, every contact, every
referral with its status history, every reminder, open drafts, and the entries of the
audit log that name the family's code. Writing the file is logged (``access_report``,
code and format): it carries the family's personal data out of the vault in plain form.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lotse import options
from lotse.casework.families import family_input, get_family
from lotse.catalogues import (
    ACCESS_ROUTES,
    BURDEN_FACTORS,
    CLOSURE_REASONS,
    CONSENT_PURPOSES,
    CONTACT_KINDS,
    REFERRAL_MODES,
    REFERRAL_STATUSES,
    REFERRAL_TARGETS,
    SETTINGS,
    TOPICS,
)
from lotse.db import models
from lotse.db.models import AuditEntry, Contact, Referral, ReferralStatusChange, Reminder
from lotse.i18n import _, ngettext
from lotse.report import access_report_file as rendering
from lotse.report.access_report import (
    AccessReport,
    ConsentLine,
    ContactLine,
    Fact,
    LogLine,
    ReferralLine,
    ReminderLine,
    StatusLine,
)
from lotse.usecases.access import VaultAccess
from lotse.vault import audit

__all__ = ["AccessReport", "AccessReportAPI", "build_report"]


def _day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def _yes_no(value: bool | None) -> str:
    if value is None:
        return _("nicht bekannt")
    return _("ja") if value else _("nein")


def _household(session: Session, family: models.Family, data: Any) -> list[Fact]:
    districts = options.catalogue(session, "districts")
    facts = [
        Fact(
            _("Erwachsene"),
            ngettext("{n} erwachsene Person", "{n} Erwachsene", data.adults).format(n=data.adults),
        )
    ]
    today = dt.date.today()
    for number, birth in enumerate(data.children, start=1):
        kind = _("erwartet am {date}") if birth > today else _("geboren am {date}")
        facts.append(Fact(_("Kind {n}").format(n=number), kind.format(date=_day(birth))))
    if data.district:
        facts.append(Fact(_("Sozialraum"), districts.label(data.district)))
    if data.access_route:
        facts.append(
            Fact(_("Wie wir uns kennengelernt haben"), ACCESS_ROUTES.label(data.access_route))
        )
    facts.append(Fact(_("Bürgergeld (SGB II)"), _yes_no(data.sgb2)))
    if data.languages:
        facts.append(Fact(_("Sprachen"), ", ".join(data.languages)))
    if data.interpreter is not None:
        facts.append(Fact(_("Dolmetschung nötig"), _yes_no(data.interpreter)))
    if data.identified:
        facts.append(Fact(_("Uns bekannt seit"), _day(data.identified)))
    if data.screening_date:
        factors = ", ".join(BURDEN_FACTORS.label(f) for f in data.screening_factors)
        screening = _day(data.screening_date)
        if factors:
            screening += " – " + factors
        if data.screening_staff_concern:
            screening += " – " + _("Sorge des Fachpersonals")
        if data.screening_own_request:
            screening += " – " + _("auf Ihren Wunsch")
        facts.append(Fact(_("Kurzer Fragebogen (Screening)"), screening))
    if data.origin_service:
        origin = data.origin_service
        if data.origin_date:
            origin += " – " + _day(data.origin_date)
        facts.append(Fact(_("Übernommen von"), origin))
    if data.closed:
        ended = _day(data.closed)
        if data.closure_reason:
            ended += " – " + CLOSURE_REASONS.label(data.closure_reason)
        facts.append(Fact(_("Begleitung beendet"), ended))
    else:
        facts.append(Fact(_("Begleitung"), _("läuft noch")))
    facts.append(Fact(_("Code Ihrer Familie"), family.code))
    return facts


def _person(data: Any) -> list[Fact]:
    facts = []
    for label, value in (
        (_("Name"), data.person_name),
        (_("Telefon"), data.person_phone),
        (_("Adresse"), data.person_address),
        (_("Notiz"), data.notes),
    ):
        if value:
            facts.append(Fact(label, value))
    return facts


def _log(session: Session, code: str) -> list[LogLine]:
    """The audit entries that name the family's code (the log holds no other trace)."""
    lines = []
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        details = entry.details or {}
        families = details.get("families")
        named = details.get("family") == code or (isinstance(families, list) and code in families)
        if named:
            lines.append(LogLine(entry.at, entry.action, _(audit.label(entry.action))))
    return lines


def build_report(session: Session, family_id: int) -> AccessReport:
    """Everything the vault stores about the family (read in the caller's session)."""
    family = get_family(session, family_id)
    data = family_input(family)
    keeper = [
        Fact(label, str(options.get(session, key)))
        for key, label in (
            ("organisation", _("Träger")),
            ("site", _("Standort")),
            ("navigator_name", _("Ihre Lotsin oder Ihr Lotse")),
        )
        if options.get(session, key)
    ]
    consents = [
        ConsentLine(
            c.purpose,
            CONSENT_PURPOSES.label(c.purpose),
            c.date,
            c.recipient,
            c.form_language,
            c.withdrawn,
        )
        for c in data.consents
    ]
    contacts = [
        ContactLine(
            c.date,
            c.kind,
            CONTACT_KINDS.label(c.kind),
            c.minutes,
            SETTINGS.label(c.setting) if c.setting else None,
            tuple(TOPICS.label(t.topic) for t in c.topics),
            c.notes,
        )
        for c in session.scalars(
            select(Contact).where(Contact.family_id == family_id).order_by(Contact.date, Contact.id)
        )
    ]
    referrals = []
    for r in session.scalars(
        select(Referral).where(Referral.family_id == family_id).order_by(Referral.date, Referral.id)
    ):
        steps = session.scalars(
            select(ReferralStatusChange)
            .where(ReferralStatusChange.referral_id == r.id)
            .order_by(ReferralStatusChange.date, ReferralStatusChange.id)
        )
        referrals.append(
            ReferralLine(
                r.date,
                r.target,
                REFERRAL_TARGETS.label(r.target),
                REFERRAL_MODES.label(r.mode) if r.mode else None,
                REFERRAL_STATUSES.label(r.status),
                tuple(
                    StatusLine(s.status, REFERRAL_STATUSES.label(s.status), s.date) for s in steps
                ),
                r.notes,
            )
        )
    reminders = [
        ReminderLine(m.due, m.text, m.done)
        for m in session.scalars(
            select(Reminder)
            .where(Reminder.family_id == family_id)
            .order_by(Reminder.due, Reminder.id)
        )
    ]
    draft = getattr(models, "Draft", None)  # the drafts of open forms (issue 9)
    drafts = 0
    if draft is not None:
        drafts = (
            session.scalar(
                select(func.count()).select_from(draft).where(draft.family_id == family_id)
            )
            or 0
        )
    return AccessReport(
        code=family.code,
        created=dt.datetime.now(dt.UTC),
        keeper=tuple(keeper),
        household=tuple(_household(session, family, data)),
        person=tuple(_person(data)),
        consents=tuple(consents),
        contacts=tuple(contacts),
        referrals=tuple(referrals),
        reminders=tuple(reminders),
        log=tuple(_log(session, family.code)),
        retention_months=int(options.get(session, "retention_months")),
        drafts=drafts,
    )


class AccessReportAPI:
    def __init__(self, access: VaultAccess) -> None:
        self._access = access

    def build(self, family_id: int) -> AccessReport:
        """What the report of the family holds (nothing written, nothing logged)."""
        with self._access.read() as session:
            return build_report(session, family_id)

    def write(self, family_id: int, path: Path) -> str:
        """Write the family's report to ``path`` (``.pdf`` or ``.json``); logged. Returns
        the format."""
        path = Path(path)
        rendering.format_of(path)  # a wrong extension is refused before anything is read
        with self._access.write() as session:
            report = build_report(session, family_id)
            fmt = rendering.write(report, path)
            # In the same transaction: logged exactly when the file was written.
            audit.append(session, "access_report", family=report.code, format=fmt)
        return fmt
