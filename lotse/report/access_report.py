"""The access report (GDPR Art. 15): everything Lotse stores about one family, for the family.

:class:`AccessReport` holds it as plain values (the use case
:mod:`lotse.usecases.access_report` fills it from the vault); this module writes it as
JSON (``lotse.access-report/1``: every value, codes beside their labels) or as a PDF in
plain words, meant to be handed to the family: what is stored (household, contact data,
consents, every contact, every referral with its history, every reminder), what the
vault's log says was done with the family's data, how long it is kept and what the family
may ask for (:mod:`lotse.report.access_report_pdf`, imported only when a PDF is written:
ReportLab is not loaded by every start).

Both files hold personal data in plain form: they are written readable by the user only
(:func:`lotse.fileio.atomic_write`), and writing one is logged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lotse.errors import BadInputError
from lotse.i18n import _

FORMAT = "lotse.access-report/1"
FORMATS = ("pdf", "json")


@dataclass(frozen=True)
class Fact:
    """One stored value in plain words: what it is, and what it says."""

    label: str
    value: str


@dataclass(frozen=True)
class ConsentLine:
    purpose: str
    purpose_label: str
    date: dt.date
    recipient: str | None
    form_language: str | None
    withdrawn: dt.date | None


@dataclass(frozen=True)
class ContactLine:
    date: dt.date
    kind: str
    kind_label: str
    minutes: int | None
    setting_label: str | None
    topics: tuple[str, ...]
    notes: str | None


@dataclass(frozen=True)
class StatusLine:
    status: str
    status_label: str
    date: dt.date


@dataclass(frozen=True)
class ReferralLine:
    date: dt.date
    target: str
    target_label: str
    mode_label: str | None
    status_label: str
    history: tuple[StatusLine, ...]
    notes: str | None


@dataclass(frozen=True)
class ReminderLine:
    due: dt.date
    text: str
    done: dt.date | None


@dataclass(frozen=True)
class LogLine:
    at: dt.datetime
    action: str
    action_label: str


@dataclass(frozen=True)
class AccessReport:
    """Everything stored about one family, as the family is told it."""

    code: str
    created: dt.datetime
    #: Who keeps the data (the vault's organisation, site and navigator, as set).
    keeper: tuple[Fact, ...]
    household: tuple[Fact, ...]
    #: Name, phone, address, notes: empty when the family is kept anonymous.
    person: tuple[Fact, ...]
    consents: tuple[ConsentLine, ...]
    contacts: tuple[ContactLine, ...]
    referrals: tuple[ReferralLine, ...]
    reminders: tuple[ReminderLine, ...]
    #: What the vault's log says was done with the family's data.
    log: tuple[LogLine, ...]
    #: Months the records are kept after the accompaniment ended (0: until erased).
    retention_months: int
    #: Forms left open about the family (drafts), which may hold what was typed.
    drafts: int = 0


# -- JSON -------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def json_bytes(report: AccessReport) -> bytes:
    data = {"format": FORMAT, **_plain(dataclasses.asdict(report))}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def format_of(path: Path) -> str:
    """``pdf`` or ``json`` by the file's extension; :class:`BadInputError` otherwise."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise BadInputError(
            _("{file}: die Auskunft wird als .pdf oder .json geschrieben.").format(file=path)
        )
    return fmt
