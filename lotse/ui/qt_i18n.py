"""Language switching for the window: our gettext catalogue plus Qt's own translations.

Qt's standard dialogs (file dialog, message box buttons, calendar) are translated by the
``qtbase_<lang>.qm`` files PySide6 ships; our own strings by :mod:`lotse.i18n`.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from lotse import i18n

_translator: QTranslator | None = None


def apply_language(language: str) -> None:
    """Switch gettext and Qt's translator to ``language`` (listeners then retranslate)."""
    global _translator
    app = QApplication.instance()
    if app is not None:
        if _translator is not None:
            QApplication.removeTranslator(_translator)
            _translator = None
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if language != "en" and translator.load(f"qtbase_{language}", folder):
            QApplication.installTranslator(translator)
            _translator = translator
    locale = QLocale(QLocale.Language.German if language == "de" else QLocale.Language.English)
    QLocale.setDefault(locale)
    i18n.set_language(language)
