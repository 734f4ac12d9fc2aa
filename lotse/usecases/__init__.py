"""Use cases: the one way from the window and the command line to a vault (Qt-free).

``VaultAPI(vault)`` (or :meth:`VaultAPI.open` / :meth:`VaultAPI.create`) groups every use
case of an open vault; see :mod:`lotse.usecases.api`. The data types the use cases take
and return are re-exported here, so callers need no import from the layers below.
"""

from lotse.casework.families import Created, FamilyInput
from lotse.casework.followups import ContactInput, ReferralInput, ReminderInput, StatusChange
from lotse.casework.groups import OfferRow, SessionRow
from lotse.casework.listing import FamilyRow
from lotse.casework.profile import Profile
from lotse.casework.timeline import Entry, Kind
from lotse.casework.today import DueReminder, WaitingReferral
from lotse.records.importer import ImportSummary
from lotse.usecases.api import VaultAPI
from lotse.usecases.errors import as_lotse_error
from lotse.usecases.families import FamilyDetails, FamilyPage
from lotse.usecases.settings import SettingsForm, WindowSettings
from lotse.usecases.statistics import PeriodFigures
from lotse.usecases.team import MergeResult, TeamFigures
from lotse.usecases.today import TodayLists

__all__ = [
    "ContactInput",
    "Created",
    "DueReminder",
    "Entry",
    "FamilyDetails",
    "FamilyInput",
    "FamilyPage",
    "FamilyRow",
    "ImportSummary",
    "Kind",
    "MergeResult",
    "OfferRow",
    "PeriodFigures",
    "Profile",
    "ReferralInput",
    "ReminderInput",
    "SessionRow",
    "SettingsForm",
    "StatusChange",
    "TeamFigures",
    "TodayLists",
    "VaultAPI",
    "WaitingReferral",
    "WindowSettings",
    "as_lotse_error",
]
