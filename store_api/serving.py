"""`xuanpin serve`: gunicorn with the embedded defaults, and the worker in a thread; and
`xuanpin streams`: gunicorn with gevent workers, for many open event streams at once."""

from __future__ import annotations

import threading
import time

from gunicorn.app.base import BaseApplication

from store_api.lifecycle import STOPPING
from store_api.settings import Settings


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
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", self.bind)
        if self.streams:
            self.cfg.set("workers", self.settings["streams.workers"])
            self.cfg.set("worker_class", "gevent")
            self.cfg.set("worker_connections", self.settings["streams.max_clients"])
        else:
            self.cfg.set("workers", self.settings["server.workers"])
            self.cfg.set("threads", self.settings["server.threads"])
            self.cfg.set("worker_class", "gthread")
        # Let the kernel spread new connections over the workers evenly.
        self.cfg.set("reuse_port", True)
        self.cfg.set("timeout", 60)
        self.cfg.set("graceful_timeout", 20)
        self.cfg.set("accesslog", "-")
        run_worker = self.settings["worker.run_in_serve"] and not self.streams

        def post_worker_init(gunicorn_worker) -> None:
            _watch_for_shutdown(gunicorn_worker)
            if run_worker:
                _start_background_worker(gunicorn_worker)

        self.cfg.set("post_worker_init", post_worker_init)

    def load(self):
        from store_api import create_app

        app = create_app()
        if self.streams:
            app.config["XUANPIN_STREAM_LIMIT"] = self.settings["streams.max_clients"]
        return app


def _watch_for_shutdown(gunicorn_worker) -> None:
    """Set STOPPING once gunicorn tells this worker to stop, so event streams end at once."""

    def watch():
        while gunicorn_worker.alive:
            time.sleep(0.5)
        STOPPING.set()

    threading.Thread(target=watch, name="xuanpin-shutdown-watch", daemon=True).start()


def _start_background_worker(gunicorn_worker) -> None:
    """Run the outbox worker as a thread of this web worker process."""
    from store_api.state import state
    from store_api.worker import start_thread

    start_thread(state(gunicorn_worker.wsgi))
