"""``lotse backup``, ``restore`` and ``recover``: keeping a vault safe from loss.

The work is done in :mod:`lotse.vault.backup` and :mod:`lotse.vault.recover`; these
handlers ask for secrets and say what happened.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from lotse import settings
from lotse.cli.context import read_passphrase, say, unlocked_vault, vault_dir
from lotse.crypto.recovery import PrivateKey
from lotse.fileio import read_input_file
from lotse.i18n import _, ngettext
from lotse.vault import backup
from lotse.vault.recover import (
    PrivateKeyLockedError,
    load_private_key,
    recover_vault,
    restore_with_recovery_key,
)

#: A private key file is a few kilobytes; anything far larger is not one.
KEY_FILE_LIMIT = 64 * 1024


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "backup",
        parents=[common],
        help=_("eine verschlüsselte, geprüfte Sicherung des ganzen Tresors schreiben"),
    )
    p.add_argument("file", metavar=_("DATEI"))
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser(
        "restore",
        parents=[common],
        help=_("eine Sicherung in einen leeren Ordner (oder an die Stelle des Tresors) legen"),
    )
    p.add_argument("file", metavar=_("DATEI"))
    p.add_argument(
        "--private-key",
        metavar=_("DATEI"),
        help=_(
            "Passphrase vergessen: mit dem privaten Wiederherstellungsschlüssel der IT "
            "wiederherstellen und eine neue Passphrase setzen"
        ),
    )
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser(
        "recover",
        parents=[common],
        help=_("mit dem Wiederherstellungsschlüssel der Organisation eine neue Passphrase setzen"),
    )
    p.add_argument(
        "--private-key",
        required=True,
        metavar=_("DATEI"),
        help=_("der private Wiederherstellungsschlüssel (PEM), den die IT offline aufbewahrt"),
    )
    p.set_defaults(handler=cmd_recover)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return _("{n:.1f} MiB").format(n=n / (1024 * 1024))
    return _("{n} KiB").format(n=max(1, n // 1024))


def _local_time(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def cmd_backup(args: argparse.Namespace) -> int:
    target = Path(args.file)
    with unlocked_vault(getattr(args, "vault", None)) as vault:
        info = backup.backup_vault(vault, target)
    families = ngettext("{n} Familie", "{n} Familien", info.families).format(n=info.families)
    say(
        _("Sicherung geschrieben nach {file} ({size}, {families}) und geprüft.").format(
            file=target, size=_size(info.size), families=families
        )
    )
    say(
        _(
            "Sie ist verschlüsselt und öffnet sich mit der jetzigen Passphrase. Bewahren Sie "
            "sie getrennt vom Rechner auf; zurück kommt sie mit: lotse restore {file}"
        ).format(file=target)
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    source = Path(args.file)
    folder = vault_dir(getattr(args, "vault", None))
    if args.private_key:
        # A forgotten passphrase: IT restores with the organisation's key and sets a new one.
        private_key = _private_key(args.private_key)
        new = _new_passphrase(folder)
        result = restore_with_recovery_key(
            source,
            folder,
            private_key,
            new,
            min_length=settings.machine_value("min_passphrase_length"),
        )
    else:
        passphrase = read_passphrase(_("Passphrase der Sicherung {file}: ").format(file=source))
        result = backup.restore_backup(source, folder, passphrase)
    message = _("Sicherung vom {created} wiederhergestellt in {folder} (Generation {generation}).")
    say(
        message.format(
            created=_local_time(result.backup_created), folder=folder, generation=result.generation
        )
    )
    if result.moved_aside is not None:
        say(
            _(
                "Die bisherigen Dateien des Tresors liegen unverändert in {aside}; löschen Sie "
                "den Ordner, wenn Sie sie nicht mehr brauchen."
            ).format(aside=result.moved_aside)
        )
    if result.erased_again:
        say(
            ngettext(
                "{n} Familie, die nach der Sicherung gelöscht wurde, ist wieder gelöscht.",
                "{n} Familien, die nach der Sicherung gelöscht wurden, sind wieder gelöscht.",
                result.erased_again,
            ).format(n=result.erased_again)
        )
    if result.erased_list_doubtful:
        say(
            _(
                "Warnung: die Liste der gelöschten Familien (lotse-erased.json) war beschädigt "
                "oder wurde verändert. Prüfen Sie, ob gelöschte Familien wieder da sind, und "
                "löschen Sie sie erneut (lotse erase)."
            )
        )
    if args.private_key:
        say(
            _(
                "Der wiederhergestellte Tresor öffnet sich mit der neuen Passphrase "
                "(gesetzt mit dem Wiederherstellungsschlüssel; im Protokoll vermerkt)."
            )
        )
    return 0


def _private_key(path: str) -> PrivateKey:
    """The recovery private key from its file, asking for the file's password if needed."""
    data = read_input_file(path, KEY_FILE_LIMIT)
    try:
        return load_private_key(data)
    except PrivateKeyLockedError:
        password = read_passphrase(
            _("Kennwort der Schlüsseldatei {file}: ").format(file=path),
            env_var="LOTSE_RECOVERY_KEY_PASSWORD",
        )
        return load_private_key(data, password)


def _new_passphrase(folder: Path) -> str:
    return read_passphrase(
        _("Neue Passphrase für {folder}: ").format(folder=folder),
        confirm=True,
        env_var="LOTSE_NEW_PASSPHRASE",
    )


def cmd_recover(args: argparse.Namespace) -> int:
    """For IT: set a new passphrase with the organisation's offline recovery key.

    ``LOTSE_RECOVERY_KEY_PASSWORD`` gives the key file's password and
    ``LOTSE_NEW_PASSPHRASE`` the new passphrase to scripts; otherwise both are asked for.
    """
    folder = vault_dir(getattr(args, "vault", None))
    private_key = _private_key(args.private_key)
    new = _new_passphrase(folder)
    min_length = settings.machine_value("min_passphrase_length")
    fingerprint = recover_vault(folder, private_key, new, min_length=min_length)
    say(
        _(
            "Der Tresor in {folder} hat eine neue Passphrase (wiederhergestellt mit dem "
            "Schlüssel {fingerprint}; im Protokoll des Tresors vermerkt)."
        ).format(folder=folder, fingerprint=fingerprint[:16])
    )
    return 0
