"""``lotse init``, ``import``, ``export`` and ``demo``: creating and filling a vault."""

from __future__ import annotations

import argparse
from pathlib import Path

from lotse.cli.context import read_passphrase, say, unlocked_api, vault_dir
from lotse.errors import BadInputError
from lotse.i18n import _
from lotse.records.reader import RecordsError, read_records
from lotse.usecases.settings import min_passphrase_length
from lotse.vault.vault import create_vault, open_vault


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help=_("einen neuen Tresor anlegen"))
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser(
        "import",
        parents=[common],
        help=_("eine Datensatz-Datei (lotse.records/2 oder /1) einlesen"),
    )
    p.add_argument("file", metavar=_("DATEI"))
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser(
        "export", parents=[common], help=_("alle Datensätze als lotse.records/2 schreiben")
    )
    p.add_argument("file", metavar=_("DATEI"))
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("passphrase", parents=[common], help=_("die Passphrase des Tresors ändern"))
    p.add_argument(
        "--rotate-key",
        action="store_true",
        help=_("auch den Datenschlüssel erneuern (die Datenbank wird neu verschlüsselt)"),
    )
    p.set_defaults(handler=cmd_passphrase)

    p = sub.add_parser(
        "demo", parents=[common], help=_("den Tresor mit synthetischen Demo-Daten füllen")
    )
    p.add_argument("--families", type=_positive, default=200, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.set_defaults(handler=cmd_demo)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("keine ganze Zahl: {value}").format(value=text)
        ) from None
    if not 1 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(_("muss zwischen 1 und 1000000 liegen"))
    return value


def cmd_init(args: argparse.Namespace) -> int:
    folder = vault_dir(getattr(args, "vault", None))
    passphrase = read_passphrase(_("Neue Passphrase: "), confirm=True)
    min_length = min_passphrase_length()  # the policy may raise it
    create_vault(folder, passphrase, min_length=min_length).close()
    say(_("Neuer Tresor angelegt in {folder}.").format(folder=folder))
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    """Re-wrap the data key under a new passphrase (LOTSE_NEW_PASSPHRASE for scripts)."""
    folder = vault_dir(getattr(args, "vault", None))
    old = read_passphrase(_("Bisherige Passphrase für {folder}: ").format(folder=folder))
    new = read_passphrase(_("Neue Passphrase: "), confirm=True, env_var="LOTSE_NEW_PASSPHRASE")
    min_length = min_passphrase_length()
    vault = open_vault(folder, old)
    try:
        if args.rotate_key:
            vault.rotate_key(old, new, min_length=min_length)
        else:
            vault.change_passphrase(old, new, min_length=min_length)
    finally:
        vault.close()
    if args.rotate_key:
        say(
            _(
                "Die Passphrase wurde geändert und der Datenschlüssel erneuert: ältere Kopien "
                "von lotse-vault.json öffnen den Tresor nicht mehr. Sicherungen von vorher "
                "öffnen sich weiter mit der alten Passphrase; schreiben Sie eine neue "
                "(lotse backup DATEI) und vernichten Sie die alten."
            )
        )
        return 0
    say(_("Die Passphrase wurde geändert."))
    # Only the data key is re-wrapped: copies of the old header still open the data.
    say(
        _(
            "Hinweis: ältere Kopien von lotse-vault.json und Sicherungen öffnen sich weiter mit "
            "der alten Passphrase. Ist sie bekannt geworden, erneuern Sie auch den "
            "Datenschlüssel: lotse passphrase --rotate-key"
        )
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    # Read and check the file before asking for the passphrase: a bad file costs nothing.
    records = read_records(path, args.file)
    with unlocked_api(getattr(args, "vault", None)) as api:
        summary = api.records.store(records, args.file)
    say(_("Eingelesen: {summary}.").format(summary=summary.describe()))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.file == "-":
        raise BadInputError(_("Der Export braucht eine Datei, nicht die Standardausgabe."))
    with unlocked_api(getattr(args, "vault", None)) as api:
        count = api.records.export(Path(args.file))
    say(_("{n} Datensätze geschrieben nach {file}.").format(n=count, file=args.file))
    say(_("Achtung: die Datei enthält personenbezogene Daten unverschlüsselt."))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from lotse.demo import generate_records

    records = generate_records(args.families, args.seed)
    with unlocked_api(getattr(args, "vault", None)) as api:
        try:
            summary = api.records.store(records, "demo")
        except RecordsError as exc:
            raise BadInputError(
                _(
                    "Demo-Daten mit --seed {seed} sind in diesem Tresor schon vorhanden; "
                    "wählen Sie einen anderen --seed."
                ).format(seed=args.seed)
            ) from exc
    say(_("Demo-Daten eingefügt: {summary}.").format(summary=summary.describe()))
    return 0
