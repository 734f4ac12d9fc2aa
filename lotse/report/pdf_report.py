"""The PDF report (reportlab): A4, German, with embedded DejaVu fonts.

Page 1 shows the headline figures big (the four Oberhausen reports, then families,
referrals and the arrival share) and all totals; the breakdowns follow, each as a table
with a bar per row. A page "Screening und Verlauf" closes the report: screenings, closed
accompaniments, the two medians in days, and the breakdowns by burden factor, closure
reason and referral mode. Every page carries the period, the organisation, the date of
creation, the publication mark and its page number.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from lotse.i18n import N_, _
from lotse.report.model import SOURCES_TITLE, ReportData
from lotse.report.textfmt import format_date, format_int, format_share, format_total
from lotse.resources import resource_path
from lotse.stats.keys import (
    BREAKDOWN_KEYS,
    CASEWORK_BREAKDOWNS,
    CASEWORK_TITLE,
    CASEWORK_TOTALS,
    TOTAL_KEYS,
    breakdown_label,
    total_label,
)

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
ACCENT = colors.HexColor("#1d5f8a")
BAR = colors.HexColor("#4a90c2")
RULE = colors.HexColor("#cbd2d9")
BOX = colors.HexColor("#eef3f7")
INTERNAL = colors.HexColor("#a61b1b")

Progress = Callable[[int, int], None]


def register_fonts() -> None:
    """Register the shipped DejaVu fonts with reportlab (once); they are embedded."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def text_styles(
    body: tuple[float, float],
    small: tuple[float, float],
    title: tuple[float, float],
    subtitle_after: float,
    h2_space: tuple[float, float],
) -> dict[str, ParagraphStyle]:
    """The house's paragraph styles (body, small, title, subtitle, h2) at a document's
    sizes: ``(font size, leading)`` pairs, the space after the subtitle, and the space
    before and after a section heading. The statistics report and the access report share
    them, each at its own scale."""
    base = ParagraphStyle("base", fontName=FONT, fontSize=body[0], leading=body[1], textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=small[0], leading=small[1], textColor=MUTED
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=title[0],
            leading=title[1],
            spaceAfter=2,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=base,
            fontSize=11,
            leading=15,
            textColor=MUTED,
            spaceAfter=subtitle_after,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=h2_space[0],
            spaceAfter=h2_space[1],
            textColor=ACCENT,
        ),
    }


def _styles() -> dict[str, ParagraphStyle]:
    st = text_styles((9.5, 12.5), (8, 10), (20, 25), subtitle_after=10, h2_space=(10, 5))
    base = st["body"]
    return {
        **st,
        "big": ParagraphStyle(
            "big", parent=base, fontName=FONT_BOLD, fontSize=24, leading=28, textColor=ACCENT
        ),
        "boxlabel": ParagraphStyle("boxlabel", parent=base, fontSize=9, leading=11.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11),
        "num": ParagraphStyle("num", parent=base, fontSize=9, leading=11, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontName=FONT_BOLD, fontSize=9, leading=11),
        "headnum": ParagraphStyle(
            "headnum", parent=base, fontName=FONT_BOLD, fontSize=9, leading=11, alignment=TA_RIGHT
        ),
    }


def a4_document(
    buffer: Any,
    title: str,
    author: str,
    top: float = MARGIN_TOP,
    bottom: float = MARGIN_BOTTOM,
    subject: str | None = None,
    on_page: Callable[[Any, Any], None] | None = None,
) -> BaseDocTemplate:
    """An A4 document of the house: DejaVu from the first page, one frame between the
    margins without padding (text and tables line up with the header and footer rules)."""
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=author,
        creator="Lotse",
        # Otherwise every page starts in Helvetica, which is never embedded.
        initialFontName=FONT,
        **({} if subject is None else {"subject": subject}),
    )
    frame = Frame(
        MARGIN_X,
        bottom,
        CONTENT_W,
        PAGE_H - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    extra = {} if on_page is None else {"onPage": on_page}
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], **extra)])
    return doc


def escape(text: str) -> str:
    """Text for a reportlab Paragraph (its markup is XML)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Decorated(Canvas):
    """A canvas that draws header and footer with "page n of N" once all pages are known."""

    data: ReportData

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        data = self.data
        top = PAGE_H - 13 * mm
        mark_w = pdfmetrics.stringWidth(data.mark, FONT_BOLD, 8.5)
        self.setFont(FONT_BOLD, 8.5)
        self.setFillColor(MUTED if data.published else INTERNAL)
        self.drawRightString(PAGE_W - MARGIN_X, top, data.mark)
        # The organisation's name gets the rest of the line, in a smaller size if need be.
        left = data.issuer or _("Lotse-Statistik")
        room = CONTENT_W - mark_w - 8 * mm
        size = 8.5
        while size > 6.5 and pdfmetrics.stringWidth(left, FONT_BOLD, size) > room:
            size -= 0.5
        self.setFont(FONT_BOLD, size)
        self.setFillColor(INK)
        self.drawString(MARGIN_X, top, _fit(left, FONT_BOLD, size, room))
        self.setStrokeColor(RULE)
        self.setLineWidth(0.6)
        self.line(MARGIN_X, top - 3.5 * mm, PAGE_W - MARGIN_X, top - 3.5 * mm)

        bottom = 11 * mm
        self.line(MARGIN_X, bottom + 5.5 * mm, PAGE_W - MARGIN_X, bottom + 5.5 * mm)
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        footer = _(
            "Lotse-Statistik · Zeitraum {label} ({start} – {end}) · erstellt am {created}"
        ).format(
            label=data.period.label,
            start=format_date(data.period.start),
            end=format_date(data.period.end),
            created=format_date(data.created),
        )
        self.drawString(MARGIN_X, bottom, footer)
        page = _("Seite {page} von {pages}").format(page=self._pageNumber, pages=total)
        self.drawRightString(PAGE_W - MARGIN_X, bottom, page)
        if data.published:
            self.drawString(MARGIN_X, bottom - 3.6 * mm, data.footnotes()[0])


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis so that it fits ``width``."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _headline(data: ReportData, st: dict[str, ParagraphStyle]) -> Table:
    totals = data.figures.totals
    boxes = [
        (format_int(totals["adults_reached"]), total_label("adults_reached")),
        (format_int(totals["children_reached"]), total_label("children_reached")),
        (format_int(totals["counselling_contacts"]), total_label("counselling_contacts")),
        (format_int(totals["group_offers"]), total_label("group_offers")),
        (format_int(totals["families_reached"]), total_label("families_reached")),
        (
            format_int(totals["new_families"]),
            _("Neu erreichte Familien (erster Kontakt im Zeitraum)"),
        ),
        (format_int(totals["referrals"]), total_label("referrals")),
        (
            format_share(data.arrival_share),
            _("Anteil angekommener Vermittlungen (angekommen / entschieden)"),
        ),
    ]
    cells = [
        [Paragraph(escape(n), st["big"]), Paragraph(escape(label), st["boxlabel"])]
        for n, label in boxes
    ]
    rows = [[cells[i], cells[i + 1]] for i in range(0, len(cells), 2)]
    half = CONTENT_W / 2
    table = Table(rows, colWidths=[half, half], rowHeights=None)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, -1), BOX),
                ("LINEBELOW", (0, 0), (-1, -1), 4, colors.white),
                ("LINEAFTER", (0, 0), (0, -1), 4, colors.white),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return table


def _totals_table(
    data: ReportData,
    st: dict[str, ParagraphStyle],
    keys: tuple[str, ...] = TOTAL_KEYS,
    share: bool = True,
) -> Table:
    rows: list[list[Any]] = [
        [Paragraph(_("Kennzahl"), st["head"]), Paragraph(_("Wert"), st["headnum"])]
    ]
    for key in keys:
        rows.append(
            [
                Paragraph(escape(total_label(key)), st["cell"]),
                Paragraph(escape(format_total(data.figures, key)), st["num"]),
            ]
        )
    if share:
        rows.append(
            [
                Paragraph(escape(_("Anteil angekommener Vermittlungen")), st["cell"]),
                Paragraph(format_share(data.arrival_share), st["num"]),
            ]
        )
    table = Table(rows, colWidths=[CONTENT_W - 35 * mm, 35 * mm], repeatRows=1)
    table.setStyle(_table_style())
    return table


def _table_style() -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
    )


def _bar(value: int | None, largest: int, width: float) -> Drawing:
    drawing = Drawing(width, 9, initialFontName=FONT)  # not Helvetica (never embedded)
    if value:
        length = max(1.0, width * value / largest) if largest else 0
        drawing.add(Rect(0, 1, length, 7, fillColor=BAR, strokeColor=None))
    return drawing


def _breakdown(data: ReportData, key: str, st: dict[str, ParagraphStyle]) -> KeepTogether:
    cells = data.figures.breakdowns.get(key, {})
    largest = max((v for v in cells.values() if v is not None), default=0)
    label_w, num_w = 72 * mm, 22 * mm
    bar_w = CONTENT_W - label_w - num_w - 6 * mm
    rows: list[list[Any]] = [
        [
            Paragraph(_("Merkmal"), st["head"]),
            Paragraph(_("Anzahl"), st["headnum"]),
            "",
        ]
    ]
    for code, value in cells.items():
        rows.append(
            [
                Paragraph(escape(data.label(key, code)), st["cell"]),
                Paragraph(format_int(value), st["num"]),
                _bar(value, largest, bar_w - 6),
            ]
        )
    table = Table(rows, colWidths=[label_w, num_w, bar_w + 6 * mm], repeatRows=1)
    style = _table_style()
    style.add("LEFTPADDING", (2, 1), (2, -1), 8)
    table.setStyle(style)
    parts: list[Any] = [Paragraph(escape(breakdown_label(key)), st["h2"]), table]
    note = _BREAKDOWN_NOTES.get(key)
    if note:
        parts += [Spacer(1, 2), Paragraph(escape(_(note)), st["small"])]
    return KeepTogether(parts)


_BREAKDOWN_NOTES = {
    "contacts_by_topic": N_(
        "Eine Beratung mit mehreren Themen zählt unter jedem ihrer Themen; die Summe kann "
        "daher größer sein als die Zahl der Beratungen."
    ),
    "children_by_age_band": N_("Alter in vollendeten Jahren am letzten Tag des Zeitraums."),
    "referrals_by_status": N_("Stand der Vermittlungen bei Erstellung des Berichts."),
    "screening_factors": N_(
        "Ein Screening mit mehreren Belastungsfaktoren zählt unter jedem davon; die Summe "
        "kann daher größer sein als die Zahl der Screenings."
    ),
    "referrals_by_mode": N_(
        "Informiert: die Familie hat von dem Angebot erfahren; Kontakt hergestellt: die "
        "Lotsin oder der Lotse hat die Stelle angesprochen oder den Termin vereinbart; "
        "begleitet: zum ersten Termin mitgegangen."
    ),
}

_CASEWORK_INTRO = N_(
    "Ein Screening gilt als positiv, wenn es die eingestellte Zahl an Belastungsfaktoren "
    "erreicht, das Fachpersonal besorgt ist oder die Eltern selbst Unterstützung wünschen. "
    "„Danach beraten“: mit mindestens einer Einzelberatung am Tag des Screenings oder später."
)
_MEDIAN_NOTE = N_(
    "Mediane in Tagen: der mittlere Wert je Familie (bei gerader Anzahl der Mittelwert der "
    "beiden mittleren), auf eine Nachkommastelle gerundet; „–“, wenn keine Familie "
    "hineinzählt. Tage bis zum Erstkontakt: über die im Zeitraum neu erreichten Familien, "
    "deren Bekanntwerden auf oder vor ihrer ersten Einzelberatung liegt. Dauer der "
    "Begleitung: über die im Zeitraum abgeschlossenen Begleitungen, von der ersten "
    "Einzelberatung bis zum Abschluss."
)


def _casework_page(data: ReportData, st: dict[str, ParagraphStyle]) -> list[Any]:
    """The page "Screening und Verlauf": its totals with the medians, then its breakdowns."""
    parts: list[Any] = [
        PageBreak(),
        Paragraph(escape(_(CASEWORK_TITLE)), st["h2"]),
        Paragraph(escape(_(_CASEWORK_INTRO)), st["small"]),
        Spacer(1, 4),
        _totals_table(data, st, CASEWORK_TOTALS, share=False),
        Spacer(1, 2),
        Paragraph(escape(_(_MEDIAN_NOTE)), st["small"]),
    ]
    parts += [_breakdown(data, key, st) for key in CASEWORK_BREAKDOWNS]
    return parts


def _sources(data: ReportData, st: dict[str, ParagraphStyle]) -> list[Any]:
    """A merged report's last page: the packages it was made from."""

    def when(moment: dt.datetime | None) -> str:
        return "" if moment is None else moment.strftime("%d.%m.%Y %H:%M")

    heads = (_("Lotsin/Lotse"), _("Standort"), _("Arbeitsbereich"), _("Erstellt"), _("Erhalten"))
    rows: list[list[Any]] = [[Paragraph(escape(h), st["head"]) for h in heads]]
    for src in data.sources:
        cells = (src.navigator, src.site, src.service_line, when(src.created), when(src.received))
        rows.append([Paragraph(escape(text), st["cell"]) for text in cells])
    widths = [CONTENT_W * w for w in (0.26, 0.2, 0.24, 0.15, 0.15)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_table_style())
    return [PageBreak(), Paragraph(escape(_(SOURCES_TITLE)), st["h2"]), table]


def pdf_bytes(data: ReportData, progress: Progress | None = None) -> bytes:
    """The PDF of ``data``."""
    register_fonts()
    st = _styles()
    # The casework breakdowns are on their own page, after the others.
    breakdowns = [key for key in BREAKDOWN_KEYS if key not in CASEWORK_BREAKDOWNS]
    steps = len(breakdowns) + 3
    buffer = io.BytesIO()
    doc = a4_document(
        buffer,
        title=_("Lotse-Statistik {period}").format(period=data.period.label),
        author=data.navigator or data.organisation or "Lotse",
        subject=data.mark,
    )
    period = data.period
    story: list[Any] = [
        Paragraph(escape(_("Statistik {period}").format(period=period.label)), st["title"]),
        Paragraph(
            escape(
                _("{start} bis {end}").format(
                    start=format_date(period.start), end=format_date(period.end)
                )
                + (f" · {data.issuer}" if data.issuer else "")
            )
            # Who made an internal report: a line of its own, never split across two.
            + (
                "<br/>" + escape(_("Erstellt von {name}").format(name=data.navigator))
                if data.navigator
                else ""
            ),
            st["subtitle"],
        ),
        _headline(data, st),
        Spacer(1, 8),
    ]
    intro = [
        _(
            "Personen und Familien werden je Zeitraum einmal gezählt, Beratungen und Termine "
            "jeweils einzeln. Teilnahmen an Gruppenterminen sind Köpfe je Termin, keine "
            "verschiedenen Personen."
        ),
    ]
    if data.closed:
        intro.append(
            _("Der Zeitraum ist abgeschlossen: die Zahlen sind die beim Abschluss gespeicherten.")
        )
    story += [Paragraph(escape(text), st["small"]) for text in intro]
    # The casework totals are on their own page ("Screening und Verlauf").
    first_page = tuple(key for key in TOTAL_KEYS if key not in CASEWORK_TOTALS)
    story += [Paragraph(escape(_("Kennzahlen")), st["h2"]), _totals_table(data, st, first_page)]
    story.append(
        Paragraph(
            escape(
                _("Screenings, abgeschlossene Begleitungen und Mediane: Seite „{title}“.").format(
                    title=_(CASEWORK_TITLE)
                )
            ),
            st["small"],
        )
    )
    if data.footnotes():
        story.append(Spacer(1, 4))
        for note in data.footnotes():
            story += [Paragraph(escape(note), st["small"]), Spacer(1, 2)]
    story.append(PageBreak())
    if progress:
        progress(1, steps)
    for i, key in enumerate(breakdowns, start=2):
        story.append(_breakdown(data, key, st))
        if progress:
            progress(i, steps)
    story += _casework_page(data, st)
    if data.sources:
        story += _sources(data, st)
    if progress:
        progress(steps - 1, steps)

    class Decorated(_Decorated):
        pass

    Decorated.data = data
    doc.build(story, canvasmaker=Decorated)
    if progress:
        progress(steps, steps)
    return buffer.getvalue()
