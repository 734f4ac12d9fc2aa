"""Group offers and their sessions: list, create, edit, delete (Qt-free).

A group offer (Gruppenangebot) is a recurring or one-off group activity; each meeting is
a group session (Gruppentermin) with anonymous head counts of adults and children
(statistics.md). Every function works in the caller's session and never commits: the use
case (:mod:`lotse.usecases`) opens one transaction around it. Every input is checked
before anything is written, and a problem raises :class:`~lotse.errors.BadInputError`
with a message in the user's language, so a failed call leaves the vault as it was.

Numbers may come as ``int`` or as the text a person typed (``"90"``, ``""``), so the
window needs no parsing of its own. Limits follow the records format (records.md):
minutes 0–600, head counts 0–500.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lotse.catalogues import GROUP_CATEGORIES
from lotse.db.models import GroupOffer, GroupSession
from lotse.domain.fields import HEAD_COUNT, MINUTES, TITLE_LENGTH
from lotse.errors import BadInputError
from lotse.i18n import _
from lotse.options import districts

# The limits are the fields' own (lotse.domain), so what is stored here can be exported.
MAX_TITLE_LENGTH = TITLE_LENGTH
MAX_MINUTES = MINUTES.high
MAX_HEAD_COUNT = HEAD_COUNT.high
#: Sessions before this day are almost certainly a typing error (kinderstark began 2014).
EARLIEST_DATE = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class OfferRow:
    """One group offer as the list shows it."""

    id: int
    title: str
    category: str | None
    district: str | None
    sessions: int
    last_session: dt.date | None


@dataclass(frozen=True)
class SessionRow:
    """One session of a group offer."""

    id: int
    offer_id: int
    date: dt.date
    minutes: int | None
    adults: int
    children: int


@dataclass(frozen=True)
class SessionInput:
    """A checked session: what :func:`check_session` makes of a person's input."""

    date: dt.date
    minutes: int | None
    adults: int
    children: int


# --- reading -------------------------------------------------------------------------------


def list_offers(session: Session, offer_id: int | None = None) -> list[OfferRow]:
    """Every group offer (or just ``offer_id``) with its number of sessions and last date."""
    counts = (
        select(
            GroupSession.offer_id.label("offer_id"),
            func.count(GroupSession.id).label("n"),
            func.max(GroupSession.date).label("last"),
        )
        .group_by(GroupSession.offer_id)
        .subquery()
    )
    query = (
        select(
            GroupOffer.id,
            GroupOffer.title,
            GroupOffer.category,
            GroupOffer.district,
            func.coalesce(counts.c.n, 0),
            counts.c.last,
        )
        .outerjoin(counts, counts.c.offer_id == GroupOffer.id)
        .order_by(func.lower(GroupOffer.title), GroupOffer.id)
    )
    if offer_id is not None:
        query = query.where(GroupOffer.id == offer_id)
    rows = session.execute(query).all()
    return [
        OfferRow(id, title, category, district, int(n), _as_date(last))
        for id, title, category, district, n, last in rows
    ]


def get_offer(session: Session, offer_id: int) -> OfferRow:
    """One group offer (raises :class:`BadInputError` if it is gone)."""
    for row in list_offers(session, offer_id):
        return row
    raise _offer_gone()


def list_sessions(session: Session, offer_id: int) -> list[SessionRow]:
    """The sessions of one offer, newest first."""
    rows = session.scalars(
        select(GroupSession)
        .where(GroupSession.offer_id == offer_id)
        .order_by(GroupSession.date.desc(), GroupSession.id.desc())
    ).all()
    return [_session_row(s) for s in rows]


def count_sessions(session: Session, offer_id: int) -> int:
    """How many sessions would go with the offer if it were deleted."""
    return int(
        session.scalar(select(func.count(GroupSession.id)).where(GroupSession.offer_id == offer_id))
        or 0
    )


# --- offers --------------------------------------------------------------------------------


def create_offer(
    session: Session, title: str, category: str | None = None, district: str | None = None
) -> int:
    """Store a new group offer; returns its id."""
    clean_title = check_title(title)
    check_category(category)
    check_district(district, session)
    offer = GroupOffer(title=clean_title, category=category or None, district=district or None)
    session.add(offer)
    session.flush()
    return offer.id


def update_offer(
    session: Session,
    offer_id: int,
    title: str,
    category: str | None = None,
    district: str | None = None,
) -> None:
    """Change an offer's title, category and district."""
    clean_title = check_title(title)
    check_category(category)
    check_district(district, session)
    offer = _offer(session, offer_id)
    offer.title = clean_title
    offer.category = category or None
    offer.district = district or None
    session.flush()


def delete_offer(session: Session, offer_id: int) -> int:
    """Delete an offer and all its sessions; returns how many sessions went with it."""
    _offer(session, offer_id)
    n = count_sessions(session, offer_id)
    # Delete the sessions explicitly: the ORM cascade would load each one first.
    session.execute(delete(GroupSession).where(GroupSession.offer_id == offer_id))
    session.execute(delete(GroupOffer).where(GroupOffer.id == offer_id))
    session.expire_all()
    return n


# --- sessions ------------------------------------------------------------------------------


def record_session(
    session: Session,
    offer_id: int,
    date: dt.date | None,
    minutes: int | str | None,
    adults: int | str | None,
    children: int | str | None,
    today: dt.date | None = None,
) -> int:
    """Store a new session of ``offer_id``; returns its id."""
    checked = check_session(date, minutes, adults, children, today)
    _offer(session, offer_id)
    row = GroupSession(
        offer_id=offer_id,
        date=checked.date,
        minutes=checked.minutes,
        adults=checked.adults,
        children=checked.children,
    )
    session.add(row)
    session.flush()
    return row.id


def update_session(
    session: Session,
    session_id: int,
    date: dt.date | None,
    minutes: int | str | None,
    adults: int | str | None,
    children: int | str | None,
    today: dt.date | None = None,
) -> None:
    """Change a recorded session."""
    checked = check_session(date, minutes, adults, children, today)
    row = _group_session(session, session_id)
    row.date = checked.date
    row.minutes = checked.minutes
    row.adults = checked.adults
    row.children = checked.children
    session.flush()


def delete_session(session: Session, session_id: int) -> None:
    """Delete one recorded session."""
    session.delete(_group_session(session, session_id))
    session.flush()


# --- checks --------------------------------------------------------------------------------


def check_title(title: str | None) -> str:
    """The offer's title without surrounding blanks; it must not be empty or too long."""
    clean = " ".join((title or "").split())
    if not clean:
        raise BadInputError(_("Bitte geben Sie dem Gruppenangebot einen Titel."))
    if len(clean) > MAX_TITLE_LENGTH:
        raise BadInputError(
            _("Der Titel ist zu lang: höchstens {max} Zeichen (eingegeben: {n}).").format(
                max=MAX_TITLE_LENGTH, n=len(clean)
            )
        )
    return clean


def check_category(category: str | None) -> None:
    if category and category not in GROUP_CATEGORIES:
        raise BadInputError(
            _('Die Art "{code}" gibt es nicht. Möglich sind: {codes}.').format(
                code=category, codes=", ".join(GROUP_CATEGORIES.codes)
            )
        )


def check_district(district: str | None, session: Session | None = None) -> None:
    catalogue = districts(session)
    if district and district not in catalogue:
        raise BadInputError(
            _('Den Sozialraum "{code}" gibt es nicht. Möglich sind: {codes}.').format(
                code=district, codes=", ".join(catalogue.codes)
            )
        )


def check_session(
    date: dt.date | None,
    minutes: int | str | None,
    adults: int | str | None,
    children: int | str | None,
    today: dt.date | None = None,
) -> SessionInput:
    """Check a session as a person entered it; all problems are reported at once."""
    today = today or dt.date.today()
    problems: list[str] = []
    if date is None:
        problems.append(_("Bitte geben Sie das Datum des Termins an."))
    elif date > today:
        problems.append(
            _(
                "Das Datum {date} liegt in der Zukunft. Erfassen Sie einen Termin, wenn er "
                "stattgefunden hat."
            ).format(date=format_date(date))
        )
    elif date < EARLIEST_DATE:
        problems.append(
            _("Das Datum {date} liegt vor {earliest}; bitte prüfen Sie es.").format(
                date=format_date(date), earliest=format_date(EARLIEST_DATE)
            )
        )
    n_minutes = _number(minutes, _("Dauer in Minuten"), MAX_MINUTES, False, problems)
    n_adults = _number(adults, _("Erwachsene"), MAX_HEAD_COUNT, True, problems)
    n_children = _number(children, _("Kinder"), MAX_HEAD_COUNT, True, problems)
    if problems:
        raise BadInputError(problems[0] if len(problems) == 1 else "\n".join(problems), problems)
    assert date is not None and n_adults is not None and n_children is not None
    return SessionInput(date, n_minutes, n_adults, n_children)


def format_date(date: dt.date) -> str:
    """A date as Germans write it (the UI shows German dates in every language)."""
    return date.strftime("%d.%m.%Y")


def _number(
    value: int | str | None, field: str, high: int, required: bool, problems: list[str]
) -> int | None:
    text = value.strip() if isinstance(value, str) else value
    if text is None or text == "":
        if required:
            problems.append(_("{field}: bitte eine Zahl angeben.").format(field=field))
        return None
    try:
        number = int(text)
    except (TypeError, ValueError):
        problems.append(
            _('{field}: "{text}" ist keine ganze Zahl. Bitte eine Zahl von 0 bis {high}.').format(
                field=field, text=text, high=high
            )
        )
        return None
    if not 0 <= number <= high:
        problems.append(
            _("{field}: {number} geht nicht. Bitte eine Zahl von 0 bis {high}.").format(
                field=field, number=number, high=high
            )
        )
        return None
    return number


def _offer(session: Session, offer_id: int) -> GroupOffer:
    offer = session.get(GroupOffer, offer_id)
    if offer is None:
        raise _offer_gone()
    return offer


def _group_session(session: Session, session_id: int) -> GroupSession:
    row = session.get(GroupSession, session_id)
    if row is None:
        raise BadInputError(_("Diesen Gruppentermin gibt es nicht mehr."))
    return row


def _offer_gone() -> BadInputError:
    return BadInputError(_("Dieses Gruppenangebot gibt es nicht mehr."))


def _session_row(s: GroupSession) -> SessionRow:
    return SessionRow(s.id, s.offer_id, s.date, s.minutes, s.adults, s.children)


def _as_date(value: object) -> dt.date | None:
    # max() over a Date column comes back as text from SQLite when used in a subquery.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
