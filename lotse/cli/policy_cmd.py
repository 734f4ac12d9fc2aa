"""``lotse policy check FILE`` and ``lotse policy show``: the machine policy for IT.

``check`` validates a policy file before rollout: exit 0 if it is fine, 2 with every
problem as ``FILE:LINE: message``. ``show`` prints the values in force on this machine
before any vault is opened (every option a policy may set, from :mod:`lotse.options`),
and where each comes from.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from lotse import options
from lotse.cli.context import say
from lotse.errors import BadInputError
from lotse.i18n import _
from lotse.policy import current_policy, read_policy


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "policy", parents=[common], help=_("die Richtlinie des Rechners prüfen und anzeigen")
    )
    actions = p.add_subparsers(dest="policy_action", metavar=_("AKTION"), required=True)
    check = actions.add_parser(
        "check", parents=[common], help=_("eine Richtlinien-Datei vor der Verteilung prüfen")
    )
    check.add_argument("file", metavar=_("DATEI"))
    check.set_defaults(handler=cmd_check)
    show = actions.add_parser(
        "show", parents=[common], help=_("die geltenden Einstellungen dieses Rechners zeigen")
    )
    show.set_defaults(handler=cmd_show)


def cmd_check(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise BadInputError(_("{file}: keine Datei.").format(file=args.file))
    policy = read_policy(path)
    if policy.problems:
        raise BadInputError(
            _("{file}: {n} Fehler in der Richtlinie.").format(
                file=args.file, n=len(policy.problems)
            ),
            policy.problems,
        )
    say(
        _("{file}: in Ordnung ({locked} festgelegt, {defaults} vorbelegt).").format(
            file=args.file, locked=len(policy.locked), defaults=len(policy.defaults)
        )
    )
    return 0


def _shown(value: object) -> str:
    if isinstance(value, str) and "\n" in value:
        return value.strip().splitlines()[0] + " …"
    return json.dumps(value, ensure_ascii=False)


def cmd_show(args: argparse.Namespace) -> int:
    policy = current_policy()
    print(_("Richtlinie: {file}").format(file=policy.source or _("keine")))
    for key in options.POLICY_KEYS:
        if key in policy.locked:
            origin = _(options.LOCKED_NOTE)
        elif key in policy.defaults:
            origin = _("Vorgabe der Richtlinie")
        else:
            origin = _("eingebaut")
        print(f"{key} = {_shown(options.machine_value(key))}  ({origin})")
    for problem in policy.problems:
        print(problem)
    return 2 if policy.problems else 0
