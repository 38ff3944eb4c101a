"""Liveness and readiness, with the database and with a real Redis."""

from sqlalchemy import text

from store_api.core import migrate
from store_api.core.state import state
from tests.support.services import RedisServer, free_port


def test_healthz_answers(sqlite_app):
    response = sqlite_app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_on_a_current_database(app):
    response = app.test_client().get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["checks"]["migrations"]["ok"] is True
    assert "redis" not in response.json["checks"]


def test_readyz_refuses_a_database_behind_its_migrations(sqlite_app):
    with state(sqlite_app).db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'old'"))
    response = sqlite_app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["migrations"] == {"ok": False, "current": "old",
                                                     "head": migrate.head_revision()}


def test_readyz_follows_redis_down_and_up(make_app, redis_server):
    app = make_app(**{"redis.url": redis_server.url})
    assert app.test_client().get("/readyz").json["checks"]["redis"] == {"ok": True}

    port = free_port()
    down = make_app(**{"redis.url": f"redis://127.0.0.1:{port}/0"})
    response = down.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"]["ok"] is False


def test_readyz_recovers_when_redis_returns(make_app):
    server = RedisServer()
    try:
        app = make_app(**{"redis.url": server.url})
        client = app.test_client()
        assert client.get("/readyz").status_code == 200
        server.stop()
        assert client.get("/readyz").status_code == 503
        server = RedisServer(port=server.port)
        assert client.get("/readyz").status_code == 200
    finally:
        server.stop()
