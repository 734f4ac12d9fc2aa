"""Benchmark of the statistics report (issue 3): is counting in SQL as fast as it can be?

Fills a fresh vault (cheap Argon2id parameters: the KDF is not what is measured) with
20,000 synthetic families and about 300,000 contacts (and, where the demo data has none,
synthetic casework: screenings with factors, identified dates, closures with reasons,
referral modes), then times on the last full quarter:

* the quarterly JSON report (figures computed from the records, written to a file),
* the PDF report,
* the floor: the same figures by one hand-written raw SQL query per figure, on the same
  connection (and checks that they agree with the report's),
* the JSON report on an unencrypted copy of the database (``sqlcipher_export``), in this
  process and in a fresh one (SQLCipher's process-wide ``cipher_memory_security``, which
  the vault switches on, slows plain SQLite in the same process too).

Targets: report ≤ 1.5× floor, encrypted ≤ 1.3× unencrypted, PDF ≤ 2 s.

With ``--vault FOLDER`` it times an existing vault instead (e.g. the 100,000 families kept
by ``bench/bench_scale.py --keep``; issue 15: the quarterly report ≤ 2 s) on the last full
quarter before today: each statement of the figures, attributed to its function in
lotse/stats/figures.py (CPU time, so that another process on the machine disturbs it
less), and the JSON and PDF reports as the window writes them (the first one in a fresh
process, with a cold page cache, and the median of the others).

    .venv/bin/python bench/bench_report.py [--families 20000] [--contacts 15] [--repeat 5]
    .venv/bin/python bench/bench_report.py --vault /tmp/bench-scale/vault-100000/vault
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import gc
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session

from lotse import settings
from lotse.catalogues import (
    BURDEN_FACTORS,
    CLOSURE_REASONS,
    COUNSELLING_KINDS,
    REFERRAL_MODES,
)
from lotse.crypto import kdf
from lotse.demo import generate_records
from lotse.records.importer import store_records
from lotse.records.model import Records
from lotse.report import write_report
from lotse.stats.figures import Figures, compute_figures
from lotse.stats.period import Period, previous_quarter
from lotse.vault import Vault, create_vault

TODAY = dt.date(2026, 11, 2)
KINDS = "(" + ", ".join(f"'{k}'" for k in COUNSELLING_KINDS) + ")"
REACHED = f"SELECT family_id FROM contact WHERE date BETWEEN :s AND :e AND kind IN {KINDS}"
AGE = (
    "CAST(substr(:e, 1, 4) AS INTEGER) - CAST(substr(birth_date, 1, 4) AS INTEGER)"
    " - (substr(birth_date, 6, 5) > substr(:e, 6, 5))"
)
BAND = (
    f"CASE WHEN {AGE} >= 18 THEN '18+' WHEN {AGE} >= 15 THEN '15-17' WHEN {AGE} >= 10 "
    f"THEN '10-14' WHEN {AGE} >= 6 THEN '6-9' WHEN {AGE} >= 3 THEN '3-5' WHEN {AGE} >= 1 "
    "THEN '1-2' ELSE '0' END"
)

# Date columns are compared as text (CAST): with their numeric affinity SQLite would try to
# convert the text parameter on every row, which SQLCipher's memory security makes slow.

#: One raw query per total (a single value).
FLOOR_TOTALS: dict[str, str] = {
    "counselling_contacts": (
        f"SELECT count(*) FROM contact WHERE date BETWEEN :s AND :e AND kind IN {KINDS}"
    ),
    "counselling_minutes": (
        "SELECT coalesce(sum(minutes), 0) FROM contact "
        f"WHERE date BETWEEN :s AND :e AND kind IN {KINDS}"
    ),
    "no_shows": "SELECT count(*) FROM contact WHERE date BETWEEN :s AND :e AND kind = 'no_show'",
    "families_reached": (
        "SELECT count(DISTINCT family_id) FROM contact "
        f"WHERE date BETWEEN :s AND :e AND kind IN {KINDS}"
    ),
    "new_families": (
        f"SELECT count(*) FROM family f WHERE f.id IN ({REACHED}) AND NOT EXISTS "
        f"(SELECT 1 FROM contact c WHERE c.family_id = f.id AND c.kind IN {KINDS} "
        "AND CAST(c.date AS TEXT) < :s)"
    ),
    "adults_reached": f"SELECT coalesce(sum(adults), 0) FROM family WHERE id IN ({REACHED})",
    "children_reached": (
        f"SELECT count(*) FROM child WHERE CAST(birth_date AS TEXT) <= :e "
        f"AND family_id IN ({REACHED})"
    ),
    "expected_children": (
        f"SELECT count(*) FROM child WHERE CAST(birth_date AS TEXT) > :e "
        f"AND family_id IN ({REACHED})"
    ),
    "group_offers": (
        "SELECT count(DISTINCT offer_id) FROM group_session WHERE date BETWEEN :s AND :e"
    ),
    "group_sessions": "SELECT count(*) FROM group_session WHERE date BETWEEN :s AND :e",
    "group_participants_adults": (
        "SELECT coalesce(sum(adults), 0) FROM group_session WHERE date BETWEEN :s AND :e"
    ),
    "group_participants_children": (
        "SELECT coalesce(sum(children), 0) FROM group_session WHERE date BETWEEN :s AND :e"
    ),
    "referrals": "SELECT count(*) FROM referral WHERE date BETWEEN :s AND :e",
    "referrals_arrived": (
        "SELECT count(*) FROM referral WHERE date BETWEEN :s AND :e AND status = 'arrived'"
    ),
    "screenings": "SELECT count(*) FROM family WHERE screening_date BETWEEN :s AND :e",
    "screenings_positive": (
        "SELECT count(*) FROM family f WHERE screening_date BETWEEN :s AND :e AND ("
        "screening_staff_concern OR screening_own_request OR "
        "(SELECT count(*) FROM screening_factor sf WHERE sf.family_id = f.id) >= :t)"
    ),
    "screenings_positive_reached": (
        "SELECT count(*) FROM family f WHERE screening_date BETWEEN :s AND :e AND ("
        "screening_staff_concern OR screening_own_request OR "
        "(SELECT count(*) FROM screening_factor sf WHERE sf.family_id = f.id) >= :t) "
        "AND EXISTS (SELECT 1 FROM contact c WHERE c.family_id = f.id "
        f"AND c.kind IN {KINDS} AND c.date >= f.screening_date)"
    ),
    "families_closed": "SELECT count(*) FROM family WHERE closed BETWEEN :s AND :e",
}

#: One raw query per median's distribution (days, families rows), written differently
#: from lotse.stats: the earliest counselling contact of every family, then filtered.
FIRST = f"SELECT family_id, min(date) AS first FROM contact WHERE kind IN {KINDS} GROUP BY 1"
FLOOR_DISTRIBUTIONS: dict[str, str] = {
    "median_days_to_first_contact": (
        "SELECT CAST(julianday(x.first) - julianday(f.identified) AS INTEGER), count(*) "
        f"FROM family f JOIN ({FIRST}) x ON x.family_id = f.id "
        "WHERE x.first BETWEEN :s AND :e AND f.identified <= x.first GROUP BY 1"
    ),
    "median_support_days": (
        "SELECT CAST(julianday(f.closed) - julianday(x.first) AS INTEGER), count(*) "
        f"FROM family f JOIN ({FIRST}) x ON x.family_id = f.id "
        "WHERE f.closed BETWEEN :s AND :e AND x.first <= f.closed GROUP BY 1"
    ),
}

#: One raw query per breakdown (code, count rows).
FLOOR_BREAKDOWNS: dict[str, str] = {
    "families_by_district": (
        "SELECT coalesce(district, 'unknown'), count(*) FROM family "
        f"WHERE id IN ({REACHED}) GROUP BY 1"
    ),
    "families_by_access_route": (
        "SELECT coalesce(access_route, 'unknown'), count(*) FROM family "
        f"WHERE id IN ({REACHED}) GROUP BY 1"
    ),
    "families_by_sgb2": (
        "SELECT CASE sgb2 WHEN 1 THEN 'yes' WHEN 0 THEN 'no' ELSE 'unknown' END, count(*) "
        f"FROM family WHERE id IN ({REACHED}) GROUP BY 1"
    ),
    "children_by_age_band": (
        f"SELECT {BAND}, count(*) FROM child WHERE CAST(birth_date AS TEXT) <= :e "
        f"AND family_id IN ({REACHED}) GROUP BY 1"
    ),
    "contacts_by_kind": (
        "SELECT kind, count(*) FROM contact "
        f"WHERE date BETWEEN :s AND :e AND kind IN {KINDS} GROUP BY kind"
    ),
    "contacts_by_topic": (
        "SELECT coalesce(t.topic, 'none'), count(*) FROM contact c "
        "LEFT JOIN contact_topic t ON t.contact_id = c.id "
        f"WHERE c.date BETWEEN :s AND :e AND c.kind IN {KINDS} GROUP BY 1"
    ),
    "referrals_by_target": (
        "SELECT target, count(*) FROM referral WHERE date BETWEEN :s AND :e GROUP BY target"
    ),
    "referrals_by_status": (
        "SELECT status, count(*) FROM referral WHERE date BETWEEN :s AND :e GROUP BY status"
    ),
    "referrals_by_mode": (
        "SELECT coalesce(mode, 'unknown'), count(*) FROM referral "
        "WHERE date BETWEEN :s AND :e GROUP BY 1"
    ),
    "closures_by_reason": (
        "SELECT coalesce(closure_reason, 'unknown'), count(*) FROM family "
        "WHERE closed BETWEEN :s AND :e GROUP BY 1"
    ),
    "screening_factors": (
        "SELECT coalesce(sf.factor, 'none'), count(*) FROM family f "
        "LEFT JOIN screening_factor sf ON sf.family_id = f.id "
        "WHERE f.screening_date BETWEEN :s AND :e GROUP BY 1"
    ),
}


def floor_figures(session: Session, period: Period) -> Figures:
    """The figures by one raw SQL query each, on the session's connection."""
    conn = session.connection().connection.driver_connection
    assert conn is not None
    params = {
        "s": period.start.isoformat(),
        "e": period.end.isoformat(),
        "t": settings.get(session, "screening_threshold"),
    }
    totals = {k: conn.execute(sql, params).fetchone()[0] for k, sql in FLOOR_TOTALS.items()}
    breakdowns = {
        k: dict(conn.execute(sql, params).fetchall()) for k, sql in FLOOR_BREAKDOWNS.items()
    }
    distributions = {
        k: dict(sorted(conn.execute(sql, params).fetchall()))
        for k, sql in FLOOR_DISTRIBUTIONS.items()
    }
    figures = Figures(totals, breakdowns, distributions)  # type: ignore[arg-type]
    figures.take_medians()
    return figures


def agree(report: Figures, floor: Figures) -> list[str]:
    """Differences between the report's figures and the floor's (nonzero cells only)."""
    problems = [
        f"{k}: report {report.totals[k]} floor {floor.totals[k]}"
        for k in (*FLOOR_TOTALS, *FLOOR_DISTRIBUTIONS)
        if report.totals[k] != floor.totals[k]
    ]
    for key in FLOOR_BREAKDOWNS:
        mine = {c: n for c, n in report.breakdowns[key].items() if n}
        if mine != floor.breakdowns[key]:
            problems.append(f"{key}: report {mine} floor {floor.breakdowns[key]}")
    for key in FLOOR_DISTRIBUTIONS:
        if report.distributions[key] != floor.distributions[key]:
            problems.append(f"{key}: distributions differ")
    return problems


def add_casework(vault: Vault, seed: int) -> str:
    """Synthetic casework where the generated records have none (the demo data may not
    yet): about half the families screened, a third closed, every referral a mode."""
    rng = random.Random(seed)
    with vault.transaction() as session:
        conn = session.connection().connection.driver_connection
        assert conn is not None
        if conn.execute("SELECT count(*) FROM family WHERE screening_date IS NOT NULL").fetchone()[
            0
        ]:
            return "casework from the generated records"
        spans = conn.execute(
            f"SELECT family_id, min(date), max(date) FROM contact WHERE kind IN {KINDS} "
            "GROUP BY family_id"
        ).fetchall()
        families, factors = [], []
        for family_id, first, last in spans:
            first_day = dt.date.fromisoformat(first)
            identified = first_day - dt.timedelta(days=int(rng.expovariate(1 / 12)))
            screened = rng.random() < 0.5
            closed = None
            if rng.random() < 0.35:
                closed = min(TODAY, dt.date.fromisoformat(last) + dt.timedelta(rng.randrange(30)))
            families.append(
                {
                    "id": family_id,
                    "identified": identified.isoformat(),
                    "screening": identified.isoformat() if screened else None,
                    "concern": int(screened and rng.random() < 0.3),
                    "request": int(screened and rng.random() < 0.2),
                    "closed": closed.isoformat() if closed else None,
                    "reason": rng.choice((*CLOSURE_REASONS.codes, None)) if closed else None,
                }
            )
            if screened:
                chosen = rng.sample(BURDEN_FACTORS.codes, rng.choice((0, 1, 1, 2, 2, 3, 4)))
                factors += [(family_id, i, code) for i, code in enumerate(chosen)]
        conn.executemany(
            "UPDATE family SET identified = :identified, screening_date = :screening, "
            "screening_staff_concern = :concern, screening_own_request = :request, "
            "closed = :closed, closure_reason = :reason WHERE id = :id",
            families,
        )
        conn.executemany(
            "INSERT INTO screening_factor (family_id, position, factor) VALUES (?, ?, ?)", factors
        )
        modes = (*REFERRAL_MODES.codes, None)
        conn.executemany(
            "UPDATE referral SET mode = ? WHERE id = ?",
            [(rng.choice(modes), rid) for (rid,) in conn.execute("SELECT id FROM referral")],
        )
    return f"synthetic casework: {sum(1 for f in families if f['screening'])} screenings"


def top_up_contacts(records: Records, target: int, seed: int) -> None:
    """Add contacts like the generated ones until there are ``target``.

    The demo generator stops a family's follow-ups at ``today``, so 20,000 families give
    fewer than 300,000 contacts; further ones are copies of random generated contacts a
    few days later (never after ``today``), of the same family, kind and topics.
    """
    rng = random.Random(seed)
    originals = records.contacts[:]
    while len(records.contacts) < target:
        c = rng.choice(originals)
        day = min(TODAY, c.date + dt.timedelta(days=rng.randrange(1, 60)))
        records.contacts.append(dataclasses.replace(c, date=day, topics=list(c.topics)))


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """(median, minimum) wall time of ``fn`` over ``repeat`` runs after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


@contextlib.contextmanager
def plaintext_session(db: Path) -> Iterator[Session]:
    """A session on an unencrypted database, with the vault's connection settings."""

    def connect() -> Any:
        conn = sqlcipher3.connect(str(db), check_same_thread=False)
        for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -32768")  # as the vault's connections
        return conn

    engine = create_engine("sqlite://", module=sqlcipher3, creator=connect)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    with Session(engine) as session:
        yield session
    engine.dispose()


def time_plain(db: Path, period: Period, out: Path, repeat: int) -> tuple[float, float]:
    """(median, minimum) of the JSON report on the unencrypted copy ``db``."""
    with plaintext_session(db) as session:

        def plain_report() -> None:
            write_report(session, period, "json", out / "p.json", False, 3, "Bench")

        return best(plain_report, repeat)


def statement_times(
    session: Session, period: Period, repeat: int
) -> tuple[float, float, dict[str, float]]:
    """Median CPU and wall time of compute_figures, median CPU time per statement site (the
    sites timed in runs of their own: finding a statement's site costs a little)."""
    here = compute_figures.__code__.co_filename
    helpers = {"_one_row", "_distribution", "run"}
    runs: list[dict[str, float]] = []
    started: dict[str, Any] = {}

    def before(*_args: Any) -> None:
        frame, site = sys._getframe(1), "?"
        while frame is not None:
            code = frame.f_code
            if code.co_filename == here and code.co_name not in helpers:
                site = f"{code.co_name}:{frame.f_lineno}"
                break
            frame = frame.f_back  # type: ignore[assignment]
        started.update(site=site, t=time.process_time())

    def after(*_args: Any) -> None:
        run = runs[-1]
        run[started["site"]] = run.get(started["site"], 0.0) + time.process_time() - started["t"]

    totals, walls = [], []
    for _ in range(repeat + 1):  # the first run warms the page cache
        t0, w0 = time.process_time(), time.perf_counter()
        compute_figures(session, period)
        totals.append(time.process_time() - t0)
        walls.append(time.perf_counter() - w0)
    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        for _ in range(repeat):
            runs.append({})
            compute_figures(session, period)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    sites = {site for run in runs for site in run}
    per_site = {site: statistics.median(run.get(site, 0.0) for run in runs) for site in sites}
    return statistics.median(totals[1:]), statistics.median(walls[1:]), per_site


def time_vault(folder: Path, passphrase: str, repeat: int) -> int:
    """The figures' statements and the reports of an existing vault (``--vault``)."""
    from lotse.usecases import VaultAPI

    period = previous_quarter(dt.date.today())
    out = Path(tempfile.mkdtemp(prefix="lotse-bench-report-"))
    api = VaultAPI.open(folder, passphrase)
    reports: dict[str, list[float]] = {"pdf": [], "json": []}
    try:
        for _ in range(repeat + 1):
            for fmt in reports:  # PDF first, as bench_scale.py (and its cold cache)
                t0 = time.perf_counter()
                api.statistics.write_report(period, fmt, out / f"report.{fmt}")
                reports[fmt].append(time.perf_counter() - t0)
        with api._access.read() as session:  # a bench may reach behind the use cases
            cpu, wall, per_site = statement_times(session, period, repeat)
    finally:
        api.close()
    print(f"{folder}: quarter {period.label}, medians of {repeat} runs")
    for fmt, times in reports.items():
        then = statistics.median(times[1:])
        print(f"  {fmt.upper():<4} report  first {times[0]:5.2f} s, then {then:5.2f} s  (≤ 2 s)")
    print(f"  figures        {wall:5.2f} s ({cpu:4.2f} s CPU), CPU by statement:")
    for site, seconds in sorted(per_site.items(), key=lambda kv: -kv[1]):
        print(f"    {site:<32} {seconds * 1000:7.1f} ms")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=20_000)
    parser.add_argument("--contacts", type=float, default=15.0, help="mean contacts per family")
    parser.add_argument("--total-contacts", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--plain", type=Path, help=argparse.SUPPRESS)  # the fresh process
    parser.add_argument("--vault", type=Path, help="time this existing vault instead")
    parser.add_argument("--passphrase", default="Bench-Passphrase-2026")
    args = parser.parse_args()
    if args.vault:
        return time_vault(args.vault, args.passphrase, args.repeat)
    if args.plain:
        print(
            json.dumps(
                time_plain(args.plain, previous_quarter(TODAY), args.plain.parent, args.repeat)
            )
        )
        return 0

    work = Path(tempfile.mkdtemp(prefix="lotse-bench-"))
    print(f"vault in {work} (cheap Argon2id parameters: the KDF is not measured)")
    vault = create_vault(work / "vault", "Bench-Passphrase-2026", kdf.TEST_PARAMS)
    t0 = time.perf_counter()
    records = generate_records(args.families, args.seed, TODAY, mean_contacts=args.contacts)
    generated = len(records.contacts)
    top_up_contacts(records, args.total_contacts, args.seed)
    t1 = time.perf_counter()
    store_records(vault, records, "bench")
    casework = add_casework(vault, args.seed)
    t2 = time.perf_counter()
    print(
        f"{len(records.families)} families, {len(records.contacts)} contacts "
        f"({generated} generated), "
        f"{len(records.referrals)} referrals, {len(records.group_sessions)} group sessions "
        f"(generated in {t1 - t0:.1f} s, stored in {t2 - t1:.1f} s); {casework}"
    )
    # The report runs in a process that does not hold 300,000 records in memory: drop them,
    # or every garbage collection during the timings walks them all.
    del records
    gc.collect()
    period = previous_quarter(TODAY)
    out = work / "out"
    out.mkdir()
    rep = args.repeat

    with vault.session() as session:

        def json_report() -> None:
            write_report(session, period, "json", out / "r.json", False, 3, "Bench")

        def pdf_report() -> None:
            write_report(session, period, "pdf", out / "r.pdf", True, 3, "Bench")

        figures = compute_figures(session, period)
        floor = floor_figures(session, period)
        problems = agree(figures, floor)
        json_med, json_min = best(json_report, rep)
        figs_med, _ = best(lambda: compute_figures(session, period), rep)
        floor_med, floor_min = best(lambda: floor_figures(session, period), rep)
        pdf_med, pdf_min = best(pdf_report, rep)
    # ATTACH needs a connection outside any transaction.
    raw = vault.engine.raw_connection()
    plain = work / "plain.db"
    conn = raw.driver_connection
    assert conn is not None
    conn.execute(f"ATTACH DATABASE '{plain}' AS plaintext KEY ''")
    conn.execute("SELECT sqlcipher_export('plaintext')")
    conn.execute("DETACH DATABASE plaintext")
    raw.close()
    vault.close()

    with plaintext_session(plain) as session:
        assert compute_figures(session, period) == figures
    plain_med, plain_min = time_plain(plain, period, out, rep)
    # SQLCipher's cipher_memory_security (set by the vault) is process-wide: it also slows
    # the unencrypted copy in this process. A fresh process shows plain SQLite.
    fresh = subprocess.run(
        [sys.executable, __file__, "--plain", str(plain), "--repeat", str(rep)],
        check=True,
        capture_output=True,
        text=True,
    )
    fresh_med, fresh_min = json.loads(fresh.stdout)

    print(f"period {period.label} ({period.start}..{period.end}), median of {rep} runs (min):")
    t = figures.totals
    print(
        f"  casework: {t['screenings']} screenings ({t['screenings_positive']} positive, "
        f"{t['screenings_positive_reached']} reached), {t['families_closed']} closed; medians "
        f"{t['median_days_to_first_contact']} days to first contact over "
        f"{figures.families_in('median_days_to_first_contact')} families, "
        f"{t['median_support_days']} days of support over "
        f"{figures.families_in('median_support_days')}"
    )
    rows = [
        ("floor: raw SQL, one query per figure", floor_med, floor_min),
        ("figures (lotse.stats)", figs_med, figs_med),
        ("JSON report, encrypted vault", json_med, json_min),
        ("JSON report, unencrypted, same process", plain_med, plain_min),
        ("JSON report, unencrypted, fresh process", fresh_med, fresh_min),
        ("PDF report (published)", pdf_med, pdf_min),
    ]
    for name, med, low in rows:
        print(f"  {name:<38} {med * 1000:8.1f} ms ({low * 1000:.1f})")
    # Ratios of medians, and of minimums (less disturbed by other load on the machine).
    print(
        f"report / floor          {json_med / floor_med:5.2f} (min {json_min / floor_min:4.2f})"
        "  target ≤ 1.5"
    )
    print(
        f"encrypted / unencrypted {json_med / plain_med:5.2f} (min {json_min / plain_min:4.2f})"
        "  target ≤ 1.3 (same process)"
    )
    print(
        f"encrypted / unencrypted {json_med / fresh_med:5.2f} (min {json_min / fresh_min:4.2f})"
        "  (fresh process: plain SQLite, no SQLCipher memory security)"
    )
    print(f"PDF                     {pdf_med:5.2f} s (min {pdf_min:4.2f})  target ≤ 2 s")
    if problems:
        print("DISAGREEMENT between report and floor:")
        for p in problems:
            print("  " + p)
        return 1
    print("report and floor agree on every figure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
