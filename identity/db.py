"""The SQLAlchemy base and engine every table of the studio shares.

SQLite (the embedded default) gets foreign keys, WAL, and secure_delete so that
a deleted row's bytes are overwritten, not left in free pages. Its transactions
start with an explicit BEGIN: Python's sqlite3 would otherwise run a transaction's
first SELECTs outside it. Writing sessions (`writer(engine)`) begin IMMEDIATE, so
two writers can never both read the audit log's head (or a cameo about to be
revoked) before either writes: writers queue (up to BUSY_TIMEOUT_S), readers do
not wait (WAL). That suits one machine; PostgreSQL, with row locks, is the
choice for more.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


BUSY_TIMEOUT_S = 30
SQLITE_CACHE_KIB = 32 * 1024  # per connection, at most


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (_sqlite_begin)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA secure_delete=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    # SQLite's default page cache is 2 MiB per connection: with 10,000 clips (a 21 MB file) the feed's reads
    # went back to the OS for every page, 5-10x slower (bench/bench_feed.py). Pages are cached as they are read.
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.close()


def _sqlite_begin(conn) -> None:
    options = conn.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return
    # Writers queue for the one write lock up front; readers take a snapshot and never wait (WAL).
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITE_OPTION) else "BEGIN")


WRITE_OPTION = "cameo_write"


def writer(engine: Engine) -> Engine:
    """The engine for sessions that write: on SQLite their transactions take the write lock first."""
    return engine.execution_options(**{WRITE_OPTION: True})


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(database_url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def compact(engine: Engine) -> None:
    """After deleting biometric rows: make sure no copy of their bytes is left in the database files.

    SQLite: secure_delete zeroes freed pages, the WAL is checkpointed and truncated
    (it may still hold the old pages), and VACUUM rewrites the file. PostgreSQL: a
    deleted row is gone for our readers; VACUUM there is the operator's routine.
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("VACUUM")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
