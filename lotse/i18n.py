"""The one translation catalogue for everything Lotse shows: core, CLI, reports and UI.

Source strings (msgids) are German, because German is the product's first language:
with no catalogue at all Lotse speaks German. ``resources/translations/en`` translates
them to English. ``resources/translations/de`` holds the German translation of the few
English strings that come from the Python standard library (argparse).

All catalogues belong to the single gettext domain ``lotse``; ``tools/build_translations.py``
compiles them to ``resources/translations/<lang>/LC_MESSAGES/lotse.mo``.
"""

from __future__ import annotations

import gettext
import os
import sys
from collections.abc import Callable

from lotse.resources import resource_path

DOMAIN = "lotse"
LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language: str = DEFAULT_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def _(message: str) -> str:
    """Translate ``message`` (a German msgid) into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (translated on display)."""
    return message


def current_language() -> str:
    return _language


def detect_language(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """The user's language from the environment: English under an English locale, else German.

    ``LOTSE_LANG`` wins; then the POSIX order ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``.
    """
    env = os.environ if environ is None else environ
    explicit = env.get("LOTSE_LANG", "").strip().lower()
    if explicit:
        return explicit if explicit in LANGUAGES else DEFAULT_LANGUAGE
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        first = value.split(":")[0].split(".")[0].split("_")[0].lower()
        if first in ("c", "posix"):
            continue
        return first if first in LANGUAGES else DEFAULT_LANGUAGE
    if environ is None and sys.platform in ("win32", "darwin"):
        # Windows and apps started from the macOS Finder have no LANG: ask the system.
        # (Not on Linux: there the environment is the user's choice, and Python maps the
        # C locale to en_US.)
        import locale

        system = (locale.getlocale()[0] or "").lower()
        if system.startswith(("en_", "english")):
            return "en"
    return DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Switch every later translation to ``language`` (``de`` or ``en``)."""
    global _translation, _language
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    localedir = resource_path("translations")
    _translation = gettext.translation(
        DOMAIN, localedir=str(localedir), languages=[language], fallback=True
    )
    _language = language
    for listener in list(_listeners):
        listener(language)


def on_language_changed(listener: Callable[[str], None]) -> None:
    """Call ``listener(language)`` after every :func:`set_language` (the UI retranslates)."""
    _listeners.append(listener)


def catalogue_loaded(language: str) -> bool:
    """Whether the compiled catalogue for ``language`` is present (set-up compiles it)."""
    path = resource_path("translations", language, "LC_MESSAGES", f"{DOMAIN}.mo")
    return path.is_file()
