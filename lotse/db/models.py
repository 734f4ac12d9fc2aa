"""The vault's database schema as SQLAlchemy 2 typed ORM classes.

Catalogue values are stored as their stable codes (see :mod:`lotse.catalogues`).
Personal data (names, phone numbers, addresses, notes) lives only here, inside the
SQLCipher-encrypted database. The schema is created and changed only by the Alembic
migrations in ``lotse/db/migrations``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from lotse.domain.fields import ID_LENGTH

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}  # noqa: RUF012


class Family(Base):
    """One household a navigator accompanies. It needs no name: ``code`` identifies it.

    The screening (records.md ``screening``) is kept in ``screening_*`` columns, its
    factors in :class:`ScreeningFactor` rows; a family has a screening when
    ``screening_date`` is set. ``origin`` is ``origin_service`` and ``origin_date``.
    """

    __tablename__ = "family"
    # The statistics count screenings and closures by date in a period.
    __table_args__ = (
        Index("ix_family_screening_date", "screening_date"),
        Index("ix_family_closed", "closed"),
        Index("ix_family_origin_date", "origin_date"),  # the few received families
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    #: The id the family had in an imported records file (kept as external reference).
    external_ref: Mapped[str | None] = mapped_column(String(ID_LENGTH), unique=True)
    district: Mapped[str | None] = mapped_column(String(64))
    access_route: Mapped[str | None] = mapped_column(String(64))
    sgb2: Mapped[bool | None] = mapped_column(Boolean)
    adults: Mapped[int] = mapped_column(Integer, default=0)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    interpreter: Mapped[bool | None] = mapped_column(Boolean)
    person_name: Mapped[str | None] = mapped_column(Text)
    person_phone: Mapped[str | None] = mapped_column(Text)
    person_address: Mapped[str | None] = mapped_column(Text)
    closed: Mapped[dt.date | None] = mapped_column(Date)
    #: Why the accompaniment ended (a code of ``catalogues.CLOSURE_REASONS``), with ``closed``.
    closure_reason: Mapped[str | None] = mapped_column(String(32))
    #: The day the service first learned of the family.
    identified: Mapped[dt.date | None] = mapped_column(Date)
    screening_date: Mapped[dt.date | None] = mapped_column(Date)
    screening_staff_concern: Mapped[bool] = mapped_column(Boolean, default=False)
    screening_own_request: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The service the family was handed over from, and when.
    origin_service: Mapped[str | None] = mapped_column(Text)
    origin_date: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    children: Mapped[list[Child]] = relationship(
        back_populates="family", cascade="all, delete-orphan", order_by="Child.position"
    )
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="family", cascade="all, delete-orphan", order_by="Contact.date"
    )
    referrals: Mapped[list[Referral]] = relationship(
        back_populates="family", cascade="all, delete-orphan", order_by="Referral.date"
    )
    screening_factors: Mapped[list[ScreeningFactor]] = relationship(
        back_populates="family",
        cascade="all, delete-orphan",
        order_by="ScreeningFactor.position",
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="family", cascade="all, delete-orphan", order_by="Consent.position"
    )


class ScreeningFactor(Base):
    """A burden factor of a family's screening: a table of its own so statistics can
    count factors in SQL (as :class:`ContactTopic`)."""

    __tablename__ = "screening_factor"
    __table_args__ = (UniqueConstraint("family_id", "factor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (family_id, factor) index serves lookups by family.
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    factor: Mapped[str] = mapped_column(String(32))

    family: Mapped[Family] = relationship(back_populates="screening_factors")


class Consent(Base):
    """One consent a family gave (records.md ``consents``), for one purpose.

    Replaces the single consent of the first schemas (``family.consent_*``: migration 0004
    copied it here as one row per scope code, 0009 dropped those columns).
    """

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: A code of ``catalogues.CONSENT_PURPOSES``.
    purpose: Mapped[str] = mapped_column(String(32))
    date: Mapped[dt.date] = mapped_column(Date)
    #: The named service (required for ``transfer``, allowed for ``referral``).
    recipient: Mapped[str | None] = mapped_column(Text)
    withdrawn: Mapped[dt.date | None] = mapped_column(Date)
    #: ISO 639-1 code of the consent form used.
    form_language: Mapped[str | None] = mapped_column(String(8))

    family: Mapped[Family] = relationship(back_populates="consents")


class Child(Base):
    __tablename__ = "child"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: Date of birth; a date after today is an expected date of birth (a pregnancy).
    birth_date: Mapped[dt.date] = mapped_column(Date)

    family: Mapped[Family] = relationship(back_populates="children")


class Contact(Base):
    """One documented encounter with a family."""

    __tablename__ = "contact"
    __table_args__ = (
        Index("ix_contact_date_kind", "date", "kind"),
        # The list's last contact, "counselled before", a family's first counselling.
        Index("ix_contact_family_date_kind", "family_id", "date", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))
    minutes: Mapped[int | None] = mapped_column(Integer)
    setting: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    family: Mapped[Family] = relationship(back_populates="contacts")
    topics: Mapped[list[ContactTopic]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactTopic.position"
    )


class ContactTopic(Base):
    """A topic of a contact: a table of its own so statistics can count topics in SQL."""

    __tablename__ = "contact_topic"
    __table_args__ = (UniqueConstraint("contact_id", "topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (contact_id, topic) index serves lookups by contact.
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    topic: Mapped[str] = mapped_column(String(32))

    contact: Mapped[Contact] = relationship(back_populates="topics")


class Referral(Base):
    """A family was put in touch with another service; its status moves on over time."""

    __tablename__ = "referral"
    __table_args__ = (Index("ix_referral_date", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    target: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32))
    status_date: Mapped[dt.date | None] = mapped_column(Date)
    #: How the family was put in touch (a code of ``catalogues.REFERRAL_MODES``).
    mode: Mapped[str | None] = mapped_column(String(32))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    family: Mapped[Family] = relationship(back_populates="referrals")


class GroupOffer(Base):
    __tablename__ = "group_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_ref: Mapped[str | None] = mapped_column(String(ID_LENGTH), unique=True)
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(32))
    district: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    sessions: Mapped[list[GroupSession]] = relationship(
        back_populates="offer", cascade="all, delete-orphan", order_by="GroupSession.date"
    )


class GroupSession(Base):
    """One meeting of a group offer, with anonymous head counts."""

    __tablename__ = "group_session"
    __table_args__ = (Index("ix_group_session_date", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("group_offer.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[dt.date] = mapped_column(Date)
    minutes: Mapped[int | None] = mapped_column(Integer)
    adults: Mapped[int] = mapped_column(Integer, default=0)
    children: Mapped[int] = mapped_column(Integer, default=0)

    offer: Mapped[GroupOffer] = relationship(back_populates="sessions")


class Setting(Base):
    """Vault-level settings (navigator's name, site, service line, preferences); the keys
    and their rules are declared in :mod:`lotse.options`."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Secret(Base):
    """Vault-level secrets (the statistics signing key): never among the settings, so
    nothing that lists, exports or resets settings can reach them."""

    __tablename__ = "secret"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class ReferralStatusChange(Base):
    """One step in a referral's history (the timeline shows them all)."""

    __tablename__ = "referral_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(32))
    date: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Reminder(Base):
    """A Wiedervorlage: something to do for a family by a due date."""

    __tablename__ = "reminder"
    __table_args__ = (  # the list's next open Wiedervorlage
        Index(
            "ix_reminder_open_family_due", "family_id", "due", sqlite_where=sql_text("done IS NULL")
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("family.id", ondelete="CASCADE"), index=True)
    due: Mapped[dt.date] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    done: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ClosedPeriod(Base):
    """A reported period whose figures are frozen as anonymous aggregates (statistics.md)."""

    __tablename__ = "closed_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(64), unique=True)
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    closed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class StatisticsPackage(Base):
    """A navigator's signed statistics package, received by a team lead for merging.

    ``payload`` is the whole signed package; the columns beside it (from migration
    0005_team) repeat what lists and the delivery matrix show, so they need not parse it.
    """

    __tablename__ = "statistics_package"
    __table_args__ = (
        UniqueConstraint("source_vault", "period_label"),
        Index("ix_statistics_package_start_end", "start", "end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_vault: Mapped[str] = mapped_column(String(64))
    period_label: Mapped[str] = mapped_column(String(64))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    #: When the navigator's vault made the package (a correction is newer).
    created: Mapped[dt.datetime | None] = mapped_column(DateTime)
    navigator: Mapped[str | None] = mapped_column(Text)
    site: Mapped[str | None] = mapped_column(Text)
    service_line: Mapped[str | None] = mapped_column(Text)


class PinnedKey(Base):
    """The signing key a vault's first package (or card) came with: later packages that
    claim that vault must be signed with it."""

    __tablename__ = "pinned_key"

    source_vault: Mapped[str] = mapped_column(String(64), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))
    pinned_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class TeamCard(Base):
    """A contact card received from another vault (the address book)."""

    __tablename__ = "team_card"

    id: Mapped[int] = mapped_column(primary_key=True)
    vault: Mapped[str] = mapped_column(String(64), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text, default="")
    #: The whole signed card (``lotse.card/1``).
    card: Mapped[dict[str, Any]] = mapped_column(JSON)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(Base):
    """The vault's log of consequential actions (never personal data).

    Written only through :func:`lotse.vault.audit.append`; ``mac`` chains each entry to
    the one before it (see :mod:`lotse.vault.audit`).
    """

    __tablename__ = "audit_log"
    # The viewer filters by day.
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: HMAC (hex) over this entry and the ``mac`` before it; ``None`` only in a log from
    #: before the chain, until the vault is next opened.
    mac: Mapped[str | None] = mapped_column(String(64))


class VaultStateRow(Base):
    """The database's side of the vault state (one row): compared with the header's at
    unlock to notice a rolled-back database or header (see :mod:`lotse.vault.state`)."""

    __tablename__ = "vault_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Raised by every restore: files of two different restores never pass as one vault.
    generation: Mapped[int] = mapped_column(Integer, default=1)
    #: Committed write transactions; bumped inside each one (never by hand).
    writes: Mapped[int] = mapped_column(Integer, default=0)
    last_backup_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Draft(Base):
    """A form left open: what was typed so far, kept as it is typed (issue 9).

    Only inside the encrypted database, never in a file of its own. ``kind`` names the
    form (``first_contact``, ``family``, ``contact``, ``referral``, ``status``,
    ``reminder``); ``family_id`` and ``ref_id`` say what it acts on. A family's drafts go
    with the family.
    """

    __tablename__ = "draft"

    #: Chosen by the form when it opens (a UUID), so saving needs no answer first.
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    family_id: Mapped[int | None] = mapped_column(
        ForeignKey("family.id", ondelete="CASCADE"), index=True
    )
    ref_id: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Counter(Base):
    """A number that only ever grows (the last family code number of each year), so a
    deleted family's code is never handed out again."""

    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
