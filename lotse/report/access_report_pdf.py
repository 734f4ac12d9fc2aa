"""The access report (GDPR Art. 15) as a PDF in plain words, for the family.

What :mod:`lotse.report.access_report` holds, laid out with ReportLab and the embedded
DejaVu fonts of the statistics report. Imported only when such a PDF is written.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from lotse.i18n import _, ngettext
from lotse.report.access_report import AccessReport, Fact
from lotse.report.pdf_report import (
    BOX,
    CONTENT_W,
    FONT,
    FONT_BOLD,
    MARGIN_X,
    MUTED,
    PAGE_W,
    RULE,
    a4_document,
    escape,
    register_fonts,
    text_styles,
)

# A little less room above and below than the statistics report: the text is longer.
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm


# -- PDF --------------------------------------------------------------------------------------


def _day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def _styles() -> dict[str, ParagraphStyle]:
    # A little larger than the statistics report: it is read by the family.
    st = text_styles((10, 13.5), (8.5, 11), (18, 23), subtitle_after=8, h2_space=(12, 4))
    base = st["body"]
    return {
        **st,
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5),
        "head": ParagraphStyle("head", parent=base, fontName=FONT_BOLD, fontSize=9, leading=11.5),
    }


def _table(
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    st: dict[str, ParagraphStyle],
    header: Sequence[str] | None = None,
) -> Table:
    data = []
    if header is not None:
        data.append([Paragraph(escape(h), st["head"]) for h in header])
    data += [[Paragraph(escape(cell), st["cell"]) for cell in row] for row in rows]
    table = Table(data, colWidths=[CONTENT_W * w for w in widths], repeatRows=int(bool(header)))
    style = [
        # A table draws in its own font otherwise (Helvetica, never embedded).
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header is not None:
        style.append(("BACKGROUND", (0, 0), (-1, 0), BOX))
    table.setStyle(TableStyle(style))
    return table


def _facts(facts: Sequence[Fact], st: dict[str, ParagraphStyle]) -> Table:
    return _table([(f.label, f.value) for f in facts], (0.32, 0.68), st)


def _section(title: str, intro: str, body: list[Any], st: dict[str, ParagraphStyle]) -> list[Any]:
    head = [Paragraph(escape(title), st["h2"]), Paragraph(escape(intro), st["small"]), Spacer(1, 3)]
    if not body:
        return head
    # The heading stays with the start of what it introduces.
    return [KeepTogether([*head, body[0]]), *body[1:]]


def _none(text: str, st: dict[str, ParagraphStyle]) -> list[Any]:
    return [Paragraph(escape(text), st["body"])]


def _consent_rows(report: AccessReport) -> list[tuple[str, ...]]:
    rows = []
    for c in report.consents:
        what = c.purpose_label
        if c.recipient:
            what += " – " + _("an: {recipient}").format(recipient=c.recipient)
        if c.form_language:
            what += " – " + _("Formular in der Sprache „{code}“").format(code=c.form_language)
        state = (
            _("widerrufen am {date}").format(date=_day(c.withdrawn)) if c.withdrawn else _("gilt")
        )
        rows.append((_day(c.date), what, state))
    return rows


def _contact_rows(report: AccessReport) -> list[tuple[str, ...]]:
    rows = []
    for c in report.contacts:
        parts = []
        if c.minutes is not None:
            parts.append(ngettext("{n} Minute", "{n} Minuten", c.minutes).format(n=c.minutes))
        if c.setting_label:
            parts.append(c.setting_label)
        if c.topics:
            parts.append(_("Themen: {list}").format(list=", ".join(c.topics)))
        rows.append((_day(c.date), c.kind_label, " · ".join(parts), c.notes or ""))
    return rows


def _referral_rows(report: AccessReport) -> list[tuple[str, ...]]:
    rows = []
    for r in report.referrals:
        how = r.mode_label or ""
        history = "; ".join(f"{_day(s.date)}: {s.status_label}" for s in r.history)
        rows.append((_day(r.date), r.target_label, how, history, r.notes or ""))
    return rows


def _reminder_rows(report: AccessReport) -> list[tuple[str, ...]]:
    return [
        (
            _day(m.due),
            m.text or _("(ohne Text)"),
            _("erledigt am {date}").format(date=_day(m.done)) if m.done else _("offen"),
        )
        for m in report.reminders
    ]


def _story(report: AccessReport, st: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [
        Paragraph(escape(_("Auskunft über Ihre gespeicherten Daten")), st["title"]),
        Paragraph(
            escape(
                _("Familie {code} · erstellt am {date}").format(
                    code=report.code, date=created_at(report.created)
                )
            ),
            st["subtitle"],
        ),
        Paragraph(
            escape(
                _(
                    "Sie haben gefragt, welche Daten wir über Ihre Familie gespeichert haben "
                    "(Artikel 15 der Datenschutz-Grundverordnung). Hier steht alles, was im "
                    "Programm Lotse über Ihre Familie gespeichert ist. Die Daten liegen "
                    "verschlüsselt auf dem Rechner Ihrer Lotsin oder Ihres Lotsen; nur wer die "
                    "Passphrase kennt, kann sie lesen."
                )
            ),
            st["body"],
        ),
    ]
    if report.keeper:
        story += _section(
            _("Wer die Daten speichert"),
            _("Bei Fragen zu Ihren Daten wenden Sie sich an diese Stelle."),
            [_facts(report.keeper, st)],
            st,
        )
    story += _section(
        _("Ihr Haushalt"),
        _(
            "Diese Angaben ohne Namen zählen auch in der Statistik mit. Die Statistik "
            "enthält nur Zahlen, keine Namen."
        ),
        [_facts(report.household, st)],
        st,
    )
    story += _section(
        _("Name, Telefon, Adresse und Notizen"),
        _("Diese Angaben speichern wir nur, solange Sie in die Dokumentation eingewilligt haben."),
        [_facts(report.person, st)]
        if report.person
        else _none(_("Dazu ist nichts gespeichert: Ihre Familie wird ohne Namen geführt."), st),
        st,
    )
    consents = _consent_rows(report)
    story += _section(
        _("Ihre Einwilligungen"),
        _(
            "Wofür Sie eingewilligt haben. Sie können jede Einwilligung jederzeit "
            "widerrufen; was vorher geschah, bleibt davon unberührt."
        ),
        [_table(consents, (0.16, 0.6, 0.24), st, (_("seit"), _("wofür"), _("Stand")))]
        if consents
        else _none(_("Es ist keine Einwilligung gespeichert."), st),
        st,
    )
    contacts = _contact_rows(report)
    story += _section(
        _("Gespräche und Kontakte"),
        _("Jedes Gespräch, jeder Besuch und jeder Anruf, der festgehalten wurde."),
        [
            _table(
                contacts,
                (0.14, 0.2, 0.33, 0.33),
                st,
                (_("am"), _("was"), _("Einzelheiten"), _("Notiz")),
            )
        ]
        if contacts
        else _none(_("Es ist kein Kontakt gespeichert."), st),
        st,
    )
    referrals = _referral_rows(report)
    story += _section(
        _("Vermittlungen an andere Stellen"),
        _(
            "Zu welchen Angeboten wir Sie vermittelt haben, auf welche Weise, und wie es "
            "weiterging."
        ),
        [
            _table(
                referrals,
                (0.13, 0.21, 0.2, 0.26, 0.2),
                st,
                (_("am"), _("an"), _("wie"), _("Verlauf"), _("Notiz")),
            )
        ]
        if referrals
        else _none(_("Es ist keine Vermittlung gespeichert."), st),
        st,
    )
    reminders = _reminder_rows(report)
    story += _section(
        _("Wiedervorlagen"),
        _("Erinnerungen, die sich Ihre Lotsin oder Ihr Lotse für Ihre Familie notiert hat."),
        [_table(reminders, (0.16, 0.6, 0.24), st, (_("fällig am"), _("was"), _("Stand")))]
        if reminders
        else _none(_("Es ist keine Wiedervorlage gespeichert."), st),
        st,
    )
    if report.drafts:
        story += _section(
            _("Nicht abgeschlossene Eingaben"),
            _(
                "Formulare zu Ihrer Familie, die begonnen, aber noch nicht gespeichert "
                "wurden. Sie enthalten, was bis dahin eingegeben war."
            ),
            _none(
                ngettext("{n} Formular", "{n} Formulare", report.drafts).format(n=report.drafts),
                st,
            ),
            st,
        )
    log = [(created_at(line.at), line.action_label) for line in report.log]
    story += _section(
        _("Was mit Ihren Daten gemacht wurde"),
        _(
            "Das Protokoll des Programms nennt Ihre Familie nur mit dem Code {code}, nie mit Namen."
        ).format(code=report.code),
        [_table(log, (0.3, 0.7), st, (_("wann"), _("was")))]
        if log
        else _none(_("Das Protokoll nennt Ihre Familie nicht."), st),
        st,
    )
    if report.retention_months:
        keep = ngettext(
            "Nach dem Ende der Begleitung werden alle Daten Ihrer Familie nach {n} Monat gelöscht.",
            "Nach dem Ende der Begleitung werden alle Daten Ihrer Familie nach {n} Monaten "
            "gelöscht.",
            report.retention_months,
        ).format(n=report.retention_months)
    else:
        keep = _(
            "Eine feste Frist zum Löschen ist nicht eingestellt: die Daten werden gelöscht, "
            "wenn Sie es verlangen oder die Stelle es entscheidet."
        )
    story += _section(
        _("Wie lange wir die Daten aufbewahren, und Ihre Rechte"),
        keep,
        _none(
            _(
                "Sie können verlangen, dass falsche Angaben berichtigt und Ihre Daten gelöscht "
                "werden, und jede Einwilligung widerrufen. Sie können sich auch bei der "
                "Aufsichtsbehörde für den Datenschutz beschweren."
            ),
            st,
        ),
        st,
    )
    return story


def created_at(moment: dt.datetime) -> str:
    """A moment of the log (kept in UTC) in the machine's local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


def pdf_bytes(report: AccessReport) -> bytes:
    register_fonts()
    st = _styles()
    buffer = io.BytesIO()

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(
            MARGIN_X,
            11 * mm,
            _("Auskunft nach Art. 15 DSGVO · Familie {code}").format(code=report.code),
        )
        canvas.drawRightString(
            PAGE_W - MARGIN_X, 11 * mm, _("Seite {page}").format(page=document.page)
        )
        canvas.restoreState()

    doc = a4_document(
        buffer,
        title=_("Auskunft über gespeicherte Daten – Familie {code}").format(code=report.code),
        author="Lotse",
        top=MARGIN_TOP,
        bottom=MARGIN_BOTTOM,
        on_page=footer,
    )
    doc.build(_story(report, st))
    return buffer.getvalue()
