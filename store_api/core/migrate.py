"""Schema migrations: upgrade to the newest revision, and tell whether a database is current."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

_SCRIPTS = Path(__file__).resolve().parents[1] / "migrations"


def _config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    config.attributes["connection"] = connection
    return config


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """Yield a connection in a transaction, SQLite foreign keys off while tables are rebuilt."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # Must precede the transaction; batch mode copies and drops referenced tables.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                yield connection
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to a revision, the newest by default."""
    with _migrating(engine) as connection:
        command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to an older revision ("base" for none)."""
    with _migrating(engine) as connection:
        command.downgrade(_config(connection), revision)


def head_revision() -> str:
    """Return the newest revision the code knows."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at, None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def make_revision(engine: Engine, message: str) -> None:
    """Write a new revision from the difference between the models and the database."""
    with engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)
