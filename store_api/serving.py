"""`xuanpin serve`: gunicorn with the embedded defaults, and the worker in a thread; and
`xuanpin streams`: gunicorn with gevent workers, for many open event streams at once."""

from __future__ import annotations

import os
import shutil
import threading
import time

from gunicorn.app.base import BaseApplication

from store_api.core.lifecycle import STOPPING
from store_api.core.settings import Settings


class StoreServer(BaseApplication):
    """gunicorn running the store server built by create_app in each worker process.

    Pages run in gthread workers: a thread per request, which an open event stream would hold
    for its whole life. With streams=True the workers are gevent's instead, where a stream is a
    greenlet: one process holds thousands (measured in benchmarks/sse_fanout.py).
    """

    def __init__(self, settings: Settings, host: str, port: int, *, streams: bool = False):
        self.settings = settings
        self.bind = f"{host}:{port}"
        self.streams = streams
        metrics_folder(settings, "streams" if streams else "pages")
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", self.bind)
        for name, value in options(self.settings, streams=self.streams).items():
            self.cfg.set(name, value)

    def load(self):
        from store_api import create_app

        return create_app()


# Access log lines carry the request id the app gives every answer.
ACCESS_TEXT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms %({x-request-id}o)s "%(a)s"'
ACCESS_JSON = ('{"remote": "%(h)s", "request": "%(r)s", "status": %(s)s, "bytes": "%(b)s", '
               '"ms": %(M)s, "request_id": "%({x-request-id}o)s", "agent": "%(a)s"}')


def options(settings: Settings, *, streams: bool) -> dict:
    """gunicorn's settings for pages (gthread) or event streams (gevent), as measured in
    benchmarks/: one place for `xuanpin serve` and config/gunicorn.conf.py alike."""
    found = {
        # Let the kernel spread new connections over the workers evenly.
        "reuse_port": True,
        "timeout": 60,
        "graceful_timeout": 20,
        # A worker is replaced, gracefully, after this many requests (with jitter so they do
        # not all restart at once): a slow leak cannot grow without end.
        "max_requests": 20_000,
        "max_requests_jitter": 2_000,
        "accesslog": "-",
        "access_log_format": ACCESS_JSON if settings.log.format == "json" else ACCESS_TEXT,
        "child_exit": _child_exit,
        "post_worker_init": _after_worker_start(settings.worker.run_in_serve and not streams),
    }
    if streams:
        found.update(workers=settings.streams.workers, worker_class="gevent",
                     worker_connections=settings.streams.max_clients)
    else:
        found.update(workers=settings.server.workers or os.cpu_count() or 1,
                     threads=settings.server.threads, worker_class="gthread")
    return found


def gunicorn_conf(*, streams: bool) -> dict:
    """Everything config/gunicorn*.conf.py hand gunicorn, from xuanpin's settings."""
    from store_api.core.settings import load_settings

    settings = load_settings()
    metrics_folder(settings, "streams" if streams else "pages")
    found = options(settings, streams=streams)
    port = settings.streams.port if streams else settings.server.port
    found["bind"] = f"{settings.server.host}:{port}"
    return found


def metrics_folder(settings: Settings, name: str) -> None:
    """Give this server's workers an empty folder to share metrics through (Prometheus
    multiprocess mode), before any of them starts."""
    folder = settings.var_dir / "metrics" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def _child_exit(_server, gunicorn_worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(gunicorn_worker.pid)


def _after_worker_start(run_worker: bool):
    def post_worker_init(gunicorn_worker) -> None:
        _watch_for_shutdown(gunicorn_worker)
        if run_worker:
            _start_background_worker(gunicorn_worker)

    return post_worker_init


def _watch_for_shutdown(gunicorn_worker) -> None:
    """Set STOPPING once gunicorn tells this worker to stop, so event streams end at once."""

    def watch():
        while gunicorn_worker.alive:
            time.sleep(0.5)
        STOPPING.set()

    threading.Thread(target=watch, name="xuanpin-shutdown-watch", daemon=True).start()


def _start_background_worker(gunicorn_worker) -> None:
    """Run the outbox worker as a thread of this web worker process."""
    from store_api.core.state import state
    from store_api.core.worker import start_thread

    start_thread(state(gunicorn_worker.wsgi))
