"""The navigator's site and service line fields, from the organisation's catalogues.

When the machine policy sets ``sites``, the site is a choice from that list, else free
text; when it sets ``service_lines``, those are the choices, else the built-in ones
(:func:`lotse.usecases.settings.service_line_catalogue` says which). The wizard and the
settings dialog both use these fields, so they offer the same.

The profile keeps the site as text (the label chosen) and the service line as a built-in
code; an organisation's own service line that is not a built-in code is kept as
``other`` with its label, so the profile stays valid and the label stays readable.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit

from lotse.catalogues import Catalogue
from lotse.i18n import _
from lotse.usecases import Profile
from lotse.usecases.settings import SERVICE_LINES

OTHER = "other"


class SiteField:
    """The site: a choice list when a catalogue is set, else a line of free text."""

    def __init__(self, catalogue: Catalogue, current: str = "") -> None:
        self.catalogue = catalogue
        self.widget: QLineEdit | QComboBox
        if not catalogue.entries:
            self.widget = QLineEdit(current)
            self.widget.setPlaceholderText(_("z. B. Evangelisches Krankenhaus Oberhausen"))
            return
        combo = QComboBox()
        combo.addItem(_("– nicht angegeben –"), "")
        for code in catalogue.codes:
            combo.addItem(catalogue.label(code), code)
        index = 0
        for row in range(1, combo.count()):
            if current and current in (combo.itemData(row), combo.itemText(row)):
                index = row
        if current and index == 0:
            # A site kept from before the catalogue: keep it selectable rather than lose it.
            combo.addItem(current, current)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        self.widget = combo

    def text(self) -> str:
        if isinstance(self.widget, QLineEdit):
            return self.widget.text()
        return self.widget.currentText() if self.widget.currentData() else ""


class ServiceLineField:
    """The service line choice; ``other`` (built-in) enables the free-text field."""

    def __init__(
        self,
        catalogue: Catalogue,
        other: QLineEdit,
        profile: Profile | None = None,
        allow_empty: bool = False,
    ) -> None:
        self.catalogue = catalogue
        self.other = other
        self.widget = QComboBox()
        if allow_empty:
            self.widget.addItem(_("– nicht angegeben –"), "")
        for code in catalogue.codes:
            self.widget.addItem(catalogue.label(code), code)
        if profile is not None:
            self._select(profile)
        self.widget.currentIndexChanged.connect(self._changed)
        self._changed()

    def _select(self, profile: Profile) -> None:
        row = self.widget.findData(profile.service_line)
        if profile.service_line == OTHER and OTHER not in self.catalogue:
            # An organisation's own line, kept as "other" with its label.
            row = self.widget.findText(profile.service_line_other)
        if row < 0 and profile.service_line:
            # A line kept from before the catalogue: keep it selectable rather than lose it.
            label = SERVICE_LINES.label(profile.service_line)
            if profile.service_line == OTHER and profile.service_line_other:
                label = profile.service_line_other
            self.widget.addItem(label, profile.service_line)
            row = self.widget.count() - 1
        if row >= 0:
            self.widget.setCurrentIndex(row)

    def _changed(self) -> None:
        self.other.setEnabled(self.widget.currentData() == OTHER)

    def values(self) -> tuple[str, str]:
        """``(service_line, service_line_other)`` as the profile keeps them."""
        code = self.widget.currentData() or ""
        if not code or code in SERVICE_LINES:
            return code, self.other.text() if code == OTHER else ""
        return OTHER, self.widget.currentText()
