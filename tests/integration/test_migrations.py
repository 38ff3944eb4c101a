"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from store_api.core import migrate
from store_api.core.models import Base
from store_api.core.state import state


def test_migrated_schema_matches_the_models(app):
    engine = state(app).db.engine
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_downgrade_to_nothing_and_back(app):
    engine = state(app).db.engine
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_upgrading_a_database_that_holds_a_centre(app):
    """Every revision applies to a database with rows in it, not only to an empty one."""
    engine = state(app).db.engine
    migrate.downgrade(engine, "base")
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO factories (code, name_zh, name_en, industrial_belt_zh, industrial_belt_en,"
            " contact_name, contact_phone, fulfilment_mode, dispatch_promise_hours,"
            " mixed_batch_min_fen, created_at) VALUES ('F1', '厂', 'F', '带', 'B', 'c', '1',"
            " 'ships_itself', 48, 0, CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO buyers (phone, name, company, business_type, member_level, created_at)"
            " VALUES ('13800000000', '王', '', 'shop', 'standard', CURRENT_TIMESTAMP)"))
    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT on_account FROM buyers")).scalar() in (False, 0)
        assert connection.execute(text("SELECT code FROM factories")).scalar() == "F1"
