"""What every command shares: finding the vault, asking for the passphrase, printing."""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from lotse.errors import BadInputError
from lotse.i18n import _

if TYPE_CHECKING:
    from lotse.usecases import VaultAPI
    from lotse.vault import Vault

APP_NAME = "Lotse"


def default_vault_dir() -> Path:
    """The user's data folder for Lotse (platformdirs), holding the vault."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "vault"


def vault_dir(option: str | None) -> Path:
    """``--vault`` wins over ``LOTSE_VAULT``, which wins over the default folder."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get("LOTSE_VAULT")
    if env:
        return Path(env).expanduser()
    return default_vault_dir()


def read_passphrase(prompt: str, confirm: bool = False, env_var: str = "LOTSE_PASSPHRASE") -> str:
    """``env_var`` (``LOTSE_PASSPHRASE``) if set, else asked on the terminal without echo."""
    env = os.environ.get(env_var)
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise BadInputError(
            _(
                "Keine Passphrase: Lotse läuft nicht an einem Terminal. Setzen Sie die "
                "Umgebungsvariable {name}."
            ).format(name=env_var)
        )
    try:
        first = getpass.getpass(prompt)
        if confirm:
            second = getpass.getpass(_("Passphrase wiederholen: "))
            if first != second:
                raise BadInputError(_("Die beiden Passphrasen stimmen nicht überein."))
    except EOFError as exc:
        raise BadInputError(_("Keine Passphrase eingegeben.")) from exc
    return first


@contextlib.contextmanager
def unlocked_vault(option: str | None) -> Iterator[Vault]:
    # Imported here: the window's start (entry -> cli.gui -> vault_dir) must not load the
    # storage stack before the unlock window shows.
    from lotse.vault import open_vault

    folder = vault_dir(option)
    vault = open_vault(
        folder, read_passphrase(_("Passphrase für {folder}: ").format(folder=folder))
    )
    try:
        yield vault
    finally:
        vault.close()


@contextlib.contextmanager
def unlocked_api(option: str | None) -> Iterator[VaultAPI]:
    """The use cases of the vault ``--vault`` names, unlocked with the passphrase asked for."""
    from lotse.usecases import VaultAPI

    with unlocked_vault(option) as vault:
        yield VaultAPI(vault)


def say(message: str) -> None:
    """A message for the user: to standard error (standard output is for data)."""
    print(message, file=sys.stderr)


def prepare() -> None:
    """What every start does first: the user's language, and the machine policy read once
    (the command line and the window share it; its problems are never silently ignored)."""
    from lotse import i18n, policy

    i18n.set_language(i18n.detect_language())
    for problem in policy.install_machine_policy().problems:
        say(_("Warnung: {problem}").format(problem=problem))
