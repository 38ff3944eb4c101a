"""What one running app holds: its settings, database, broker and optional Redis client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import redis
from flask import Flask, current_app

from store_api.core.broker import InProcessBroker, RedisBroker
from store_api.core.clock import CLOCK, Clock
from store_api.core.db import Database
from store_api.core.scans import ScanRecorder
from store_api.core.settings import Settings

if TYPE_CHECKING:
    from store_api.core.worker import Jobs


@dataclass
class AppState:
    settings: Settings
    db: Database
    redis: redis.Redis | None
    broker: InProcessBroker | RedisBroker
    scans: ScanRecorder
    app: Flask
    jobs: Jobs
    clock: Clock = CLOCK

    @property
    def media_dir(self):
        """Return the folder of uploaded and generated pictures."""
        return self.settings.var_dir / "media"


def state(app: Flask | None = None) -> AppState:
    """Return the state of the given app, or of the current one."""
    return (app or current_app).extensions["xuanpin"]
