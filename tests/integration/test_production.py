"""What a production host relies on: security headers, request ids in answers and JSON logs,
/metrics for Prometheus, 503 when the database is away, and gunicorn's configuration."""

import json
import logging
import os
import random
import runpy

from shelf_labels.codes import new_code
from store_api import create_app
from tests.support.services import free_port


def test_every_page_forbids_inline_script_and_framing_except_zone_screens(sqlite_app):
    client = sqlite_app.test_client()
    for path in ("/console/login", "/cart", "/s/NOSUCHCODE", "/api/v1/cart"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy.split(
            "style-src-attr")[0], path
        assert "frame-ancestors 'none'" in policy and headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
    screen = client.get("/display/bestseller").headers
    assert "frame-ancestors 'self'" in screen["Content-Security-Policy"]
    assert "X-Frame-Options" not in screen


def test_requests_carry_an_id_into_answers_and_json_logs(make_app, capsys):
    app = make_app(**{"log.format": "json"})
    client = app.test_client()
    made = client.get("/healthz").headers["X-Request-Id"]
    assert len(made) == 32
    assert client.get("/healthz", headers={"X-Request-Id": "nginx-123.4"}).headers[
        "X-Request-Id"] == "nginx-123.4"
    forged = client.get("/healthz", headers={"X-Request-Id": "bad id <script>" + "x" * 80})
    assert len(forged.headers["X-Request-Id"]) == 32  # replaced, not echoed
    with app.test_request_context(headers={"X-Request-Id": "abc-42"}):
        app.preprocess_request()
        logging.getLogger("xuanpin.test").warning("stock is low: %s", "杯子")
    line = [row for row in capsys.readouterr().err.splitlines() if "stock is low" in row][-1]
    entry = json.loads(line)
    assert entry["request_id"] == "abc-42" and entry["message"] == "stock is low: 杯子"
    assert entry["level"] == "WARNING"


def test_metrics_count_requests_by_route_and_read_queues_from_the_database(sqlite_app):
    client = sqlite_app.test_client()
    for _ in range(3):
        client.get("/s/NOSUCHCODE")
    text = client.get("/metrics").get_data(as_text=True)
    counted = [line for line in text.splitlines()
               if line.startswith("xuanpin_http_requests_total{") and 'route="/s/<code>"' in line]
    assert counted and float(counted[0].rsplit(" ", 1)[1]) >= 3
    for name in ("xuanpin_outbox_depth 0.0", "xuanpin_reserved_units 0.0",
                 "xuanpin_print_queue_depth 0.0", "xuanpin_http_request_seconds_bucket",
                 "xuanpin_sse_clients"):
        assert name in text, name
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert outside.status_code == 404


def test_metrics_name_one_charset(sqlite_app):
    kind = sqlite_app.test_client().get("/metrics").headers["Content-Type"]
    assert kind.startswith("text/plain; version=") and kind.lower().count("charset") == 1, kind


def test_a_database_that_cannot_be_reached_answers_503_and_says_so(tmp_path):
    # A PostgreSQL port where nothing listens.
    app = create_app({"paths.var_dir": str(tmp_path / "var"), "limits.enabled": False,
                      "database.url": f"postgresql+psycopg://x@127.0.0.1:{free_port()}/x"})
    client = app.test_client()
    code = new_code(random.Random(7).getrandbits)  # well-formed, so the database is asked
    answer = client.get(f"/api/v1/slots/{code}")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert answer.get_json()["error"]["code"] == "unavailable"
    page = client.get(f"/s/{code}", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 503 and "数据库" in page.get_data(as_text=True)


def test_the_gunicorn_config_takes_the_store_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("XUANPIN_PATHS_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("XUANPIN_SERVER_WORKERS", "0")
    monkeypatch.setenv("XUANPIN_LOG_FORMAT", "json")
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    folder = os.path.join(os.path.dirname(__file__), "..", "..", "config")
    pages = runpy.run_path(os.path.join(folder, "gunicorn.conf.py"))
    assert pages["workers"] == os.cpu_count() and pages["worker_class"] == "gthread"
    assert pages["bind"] == "127.0.0.1:8000" and pages["max_requests"] > 0
    assert '"request_id": "%({x-request-id}o)s"' in pages["access_log_format"]
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"].endswith("metrics/pages")
    streams = runpy.run_path(os.path.join(folder, "gunicorn-streams.conf.py"))
    assert streams["worker_class"] == "gevent" and streams["bind"] == "127.0.0.1:8001"
    assert callable(streams["post_worker_init"]) and callable(pages["post_worker_init"])


def test_a_pg_dump_backup_restores_into_a_working_centre(tmp_path, postgres_server):
    """The backup and restore steps of docs/deployment.md, as written there."""
    import subprocess
    import sys
    import uuid

    source = postgres_server.create_database(f"live_{uuid.uuid4().hex[:8]}")
    env = {**os.environ, "XUANPIN_PATHS_VAR_DIR": str(tmp_path / "var"),
           "XUANPIN_DATABASE_URL": source}
    cli = [sys.executable, "-m", "store_api.cli"]
    for step in ("init", "demo"):
        subprocess.run([*cli, step], env=env, check=True, capture_output=True)
    dump = tmp_path / "xuanpin.dump"
    plain = source.replace("postgresql+psycopg", "postgresql")
    subprocess.run([str(postgres_server.bin / "pg_dump"), "--format=custom",
                    f"--file={dump}", plain], check=True, capture_output=True)
    target = postgres_server.create_database(f"restored_{uuid.uuid4().hex[:8]}")
    subprocess.run([str(postgres_server.bin / "pg_restore"), "--no-owner", "--exit-on-error",
                    f"--dbname={target.replace('postgresql+psycopg', 'postgresql')}",
                    str(dump)], check=True, capture_output=True)
    restored = {**env, "XUANPIN_DATABASE_URL": target}
    check = subprocess.run([*cli, "check"], env=restored, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    import psycopg

    def counts(url):
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as db:
            return [db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for table in ("products", "stock_ledger", "shelf_slots", "users")]

    assert counts(target) == counts(source) and counts(source)[0] == 63
    # The restored database is at the newest migration: `xuanpin init` has nothing to do.
    upgraded = subprocess.run([*cli, "init"], env=restored, capture_output=True, text=True)
    assert upgraded.returncode == 0, upgraded.stderr


def test_ids_beyond_any_row_in_a_url_name_nothing(sqlite_app):
    from tests.support.clients import sign_in

    client = sign_in(sqlite_app, "admin")
    for path in (f"/api/v1/forwards/{2**63}/reroute", f"/console/forwards/{2**31}/cancel",
                 f"/console/users/{2**40}/active"):
        assert client.post(path, headers={"Accept": "application/json"},
                           data={"csrf_token": client.csrf_token}).status_code == 404, path
    assert client.get(f"/console/labels/jobs/{2**31 - 1}").status_code == 404  # in range: asked


def test_instants_in_the_centres_zone_compare_as_the_same_instants_in_utc(app, db,
                                                                         make_product):
    """A scan at 16:30 UTC is after midnight in Shanghai (16:00 UTC); SQLite stores no zone,
    so the comparison holds only if both sides are written in UTC."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from sqlalchemy import func, select

    from store_api.core.models import ScanEvent

    scanned = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
    with db.unit_of_work() as session:
        product = make_product(session)[0]
        session.add(ScanEvent(slot_id=product.slot.id, zone_id=product.slot.zone_id,
                              product_id=product.id, session_id="s", created_at=scanned))
    with db.read_session() as session:
        def since(moment):
            return session.scalar(select(func.count()).select_from(ScanEvent).where(
                ScanEvent.created_at >= moment))

        assert since(datetime(2026, 12, 2, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))) == 1
        assert since(datetime(2026, 12, 2, 0, 31, tzinfo=ZoneInfo("Asia/Shanghai"))) == 0
        assert session.scalar(select(ScanEvent.created_at)) == scanned
