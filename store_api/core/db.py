"""Engines, sessions and the unit of work: one commit point for every change."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from store_api.core.settings import Settings

WRITE_OPTION = "xuanpin_write"


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE for write transactions."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Leave BEGIN to us: pysqlite's own transaction handling would defer it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A writer takes the lock up front, so two writers never deadlock upgrading a read lock.
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(settings: Settings) -> Engine:
    """Create the engine for the configured database."""
    url = settings.database_url
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and ":memory:" not in url:
            settings.var_dir.mkdir(parents=True, exist_ok=True)
        timeout_ms = settings.database.sqlite_busy_timeout_ms
        engine = create_engine(
            url,
            echo=settings.database.echo,
            connect_args={"timeout": timeout_ms / 1000, "check_same_thread": False},
        )
        _tune_sqlite(engine, timeout_ms)
        return engine
    return create_engine(
        url,
        echo=settings.database.echo,
        pool_size=settings.database.pool_size,
        # A connection the database dropped (a restart, a fail-over) is noticed before use and
        # replaced; a database that does not answer fails the request within seconds.
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5},
    )


class Database:
    """Holds the engine and hands out read sessions and units of work."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._read = sessionmaker(bind=engine, expire_on_commit=False)
        self._write = sessionmaker(
            bind=engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    @property
    def session_factories(self) -> tuple[sessionmaker, sessionmaker]:
        """Return the read and write session factories, for session-wide event listeners."""
        return self._read, self._write

    def read_session(self) -> Session:
        """Return a session for reading; it never commits."""
        return self._read()

    def write_session(self) -> Session:
        """Return a session whose transaction takes the write lock from its start."""
        return self._write()

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """Yield a write session; commit once at the end, roll back on any exception."""
        session = self.write_session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
