"""``lotse smoke``: the frozen app's self-test, which CI runs on the installed package.

Hidden from ``lotse --help`` (it is for release engineers). Against a throwaway vault in
a temporary folder it runs what a navigator's first day runs: create a vault, fill a
second one with demo records and export them, import that records file, write a JSON and
a PDF report, and open and close the main window offscreen. Each command step runs this
very program again as a child process (the frozen executable, or ``python -m lotse``),
with ``--debug``, so it tests what a user starts and a failure shows its traceback.

The window is the one the entry point (:mod:`lotse.entry`) hands the command line as
``args.desktop``: the command line never imports :mod:`lotse.ui` itself. A Lotse that
cannot build its window fails, at once and loudly: a frozen build that lost Qt, or a
command line started without the entry point, must never pass. The exit status is 0 only
if every step passed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from lotse import settings
from lotse.cli.context import say
from lotse.cli.gui import Desktop
from lotse.errors import EXIT_FAILURE, EXIT_OK
from lotse.i18n import _
from lotse.vault import open_vault

#: Families in the demo records file: enough to fill every report table, quick to import.
SMOKE_FAMILIES = 40
#: How long the main window stays open: long enough for its first views to load.
WINDOW_SECONDS = 1.5
#: A step that takes longer than this hangs (a real one takes seconds).
STEP_TIMEOUT_SECONDS = 600


class SmokeFailure(Exception):
    """A smoke step did not do what it should (the message says what)."""


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    # No help= on purpose: argparse then leaves the command out of ``lotse --help``.
    p = sub.add_parser("smoke", parents=[common])
    p.set_defaults(handler=cmd_smoke)


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def this_program() -> list[str]:
    """The command line that starts this very Lotse: the frozen executable, or this Python."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "lotse"]


def _lotse(*argv: str) -> None:
    """Run one ``lotse`` command as a child process; anything but exit 0 fails the step."""
    command = [*this_program(), "--debug", *argv]
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=STEP_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SmokeFailure(
            _("„lotse {command}“ ist nach {seconds} s nicht fertig.").format(
                command=" ".join(argv), seconds=STEP_TIMEOUT_SECONDS
            )
        ) from exc
    if done.returncode != EXIT_OK:
        raise SmokeFailure(
            _("„lotse {command}“ endete mit Status {status}.").format(
                command=" ".join(argv), status=done.returncode
            )
            + "\n"
            + (done.stderr or "").rstrip()
        )


def _fit_districts(path: Path) -> None:
    """Move the demo families onto the district codes in force (the machine's policy may
    set its own), so the import accepts them on every machine."""
    from lotse.options import districts

    codes = districts().codes
    lines = path.read_text(encoding="utf-8").splitlines()
    fitted = []
    for number, line in enumerate(lines):
        record = json.loads(line)
        if record.get("district") is not None and record["district"] not in codes:
            record["district"] = codes[number % len(codes)]
        fitted.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(fitted) + "\n", encoding="utf-8")


def _check_json_report(path: Path) -> None:
    report = json.loads(path.read_text(encoding="utf-8"))
    if report.get("format") != "lotse.report/1":
        raise SmokeFailure(_("{file}: kein lotse.report/1.").format(file=path))
    expected = settings.machine_value("suppression_threshold")
    if report.get("threshold") != expected:
        raise SmokeFailure(
            _("{file}: Schwelle {found}, erwartet {expected}.").format(
                file=path, found=report.get("threshold"), expected=expected
            )
        )
    if not report.get("totals", {}).get("families_reached"):
        raise SmokeFailure(_("{file}: keine Familien gezählt.").format(file=path))


def _check_pdf(path: Path) -> None:
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise SmokeFailure(_("{file}: kein vollständiges PDF.").format(file=path))


def _load_window(desktop: Desktop | None) -> Desktop:
    """The window the entry point handed over, its code and Qt loaded now.

    :class:`SmokeFailure` if this Lotse cannot build it: no window handed over (the
    command line used without the entry point), or Qt (or a part of it) missing.
    """
    if desktop is None:
        raise SmokeFailure(
            _(
                "Das Lotse-Fenster lässt sich nicht bauen: Diesem Lotse wurde kein Fenster "
                "mitgegeben (gestartet ohne lotse.entry)."
            )
        )
    try:
        desktop.load()
    except ImportError as exc:
        raise SmokeFailure(
            _(
                "Das Lotse-Fenster lässt sich nicht bauen: {error}. Diesem Lotse fehlt Qt "
                "(PySide6) oder ein Teil davon; so darf er nicht ausgeliefert werden."
            ).format(error=exc)
        ) from exc
    return desktop


def _open_and_close_window(desktop: Desktop | None, folder: Path, passphrase: str) -> None:
    """Open the main window on the vault offscreen, let it settle, close it.

    An exception inside a Qt callback does not propagate (PySide6 only prints it through
    ``sys.excepthook``), so every one is caught here and fails the step.
    """
    window_maker = _load_window(desktop)
    raised: list[str] = []
    previous_hook = sys.excepthook

    def record(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        raised.append("".join(traceback.format_exception(kind, error, tb)))
        previous_hook(kind, error, tb)

    sys.excepthook = record
    vault = open_vault(folder, passphrase)
    try:
        window = window_maker.build_main_window(vault)
        application = window_maker.ensure_app()
        window.show()
        _process_events(application, WINDOW_SECONDS)
        window.close()
        _process_events(application, 0.2)
        window.deleteLater()
        _process_events(application, 0.1)
    finally:
        vault.close()
        sys.excepthook = previous_hook
    if raised:
        raise SmokeFailure(_("Fehler im Fenster:") + "\n" + "\n".join(raised))


def _process_events(application: Any, seconds: float) -> None:
    """Run the window's events for ``seconds`` (its first loads run on worker threads)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        application.processEvents()
        time.sleep(0.01)


def _report(vault: Path, period: str, fmt: str, out: Path) -> None:
    _lotse("--vault", str(vault), "report", "--period", period, "--format", fmt, "--out", str(out))


def _say_ok(step: str, started: float) -> None:
    say(
        _("smoke: {step}: ok ({seconds:.1f} s)").format(
            step=step, seconds=time.monotonic() - started
        )
    )


def run_smoke(workdir: Path, desktop: Desktop | None) -> None:
    """Every step of the smoke test in ``workdir``, the window ``desktop``'s; raises on the
    first failure."""
    # Long enough for any policy's min_passphrase_length (at most 128).
    length = max(40, settings.machine_value("min_passphrase_length"))
    passphrase = "smoke-" + secrets.token_urlsafe(96)[:length]
    demo_vault, vault = workdir / "demo-vault", workdir / "vault"
    records = workdir / "records.jsonl"
    json_report, pdf_report = workdir / "report.json", workdir / "report.pdf"
    today = dt.date.today()
    period = f"{today - dt.timedelta(days=364)}..{today}"

    def records_file() -> None:
        _lotse("--vault", str(demo_vault), "init")
        _lotse("--vault", str(demo_vault), "demo", "--families", str(SMOKE_FAMILIES))
        _lotse("--vault", str(demo_vault), "export", str(records))
        _fit_districts(records)

    def json_step() -> None:
        _report(vault, period, "json", json_report)
        _check_json_report(json_report)

    def pdf_step() -> None:
        _report(vault, period, "pdf", pdf_report)
        _check_pdf(pdf_report)

    steps: list[tuple[str, Callable[[], None]]] = [
        # First, so a build without Qt fails before a minute of other steps.
        (_("Fenster-Bibliothek laden"), lambda: _load_window(desktop)),
        (_("Tresor anlegen"), lambda: _lotse("--vault", str(vault), "init")),
        (_("Datensatz-Datei aus Demo-Daten schreiben"), records_file),
        (
            _("Datensatz-Datei einlesen"),
            lambda: _lotse("--vault", str(vault), "import", str(records)),
        ),
        (_("JSON-Bericht schreiben"), json_step),
        (_("PDF-Bericht schreiben"), pdf_step),
        (
            _("Hauptfenster öffnen und schließen"),
            lambda: _open_and_close_window(desktop, vault, passphrase),
        ),
    ]
    with _environment(LOTSE_PASSPHRASE=passphrase, QT_QPA_PLATFORM="offscreen"):
        for name, step in steps:
            started = time.monotonic()
            step()
            _say_ok(name, started)


def cmd_smoke(args: argparse.Namespace) -> int:
    try:
        with tempfile.TemporaryDirectory(prefix="lotse-smoke-") as tmp:
            run_smoke(Path(tmp), getattr(args, "desktop", None))
    except SmokeFailure as failure:
        say(str(failure))
        say(_("smoke: FEHLGESCHLAGEN"))
        return EXIT_FAILURE
    except Exception:
        traceback.print_exc()
        say(_("smoke: FEHLGESCHLAGEN"))
        return EXIT_FAILURE
    say(_("smoke: alles in Ordnung"))
    return EXIT_OK
