"""`xuanpin serve`: gunicorn with the embedded defaults, and the worker in a thread."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from store_api.settings import Settings


class StoreServer(BaseApplication):
    """gunicorn running the store server built by create_app in each worker process."""

    def __init__(self, settings: Settings, host: str, port: int):
        self.settings = settings
        self.bind = f"{host}:{port}"
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", self.bind)
        self.cfg.set("workers", self.settings["server.workers"])
        self.cfg.set("threads", self.settings["server.threads"])
        self.cfg.set("worker_class", "gthread")
        self.cfg.set("timeout", 60)
        self.cfg.set("graceful_timeout", 20)
        self.cfg.set("accesslog", "-")
        if self.settings["worker.run_in_serve"]:
            self.cfg.set("post_worker_init", _start_background_worker)

    def load(self):
        from store_api import create_app

        return create_app()


def _start_background_worker(gunicorn_worker) -> None:
    """Run the outbox worker as a thread of each web worker process."""
    from store_api.state import state
    from store_api.worker import start_thread

    start_thread(state(gunicorn_worker.wsgi))
