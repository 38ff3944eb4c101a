"""Server-sent event streams of broker channels, shared by the order page and the displays."""

from __future__ import annotations

import json
import threading
import time

from flask import Response, current_app
from gevent import monkey

from store_api import metrics
from store_api.core.lifecycle import STOPPING
from store_api.core.state import state

# A stream ends after this long and the browser reconnects, so no thread is held for ever.
STREAM_SECONDS = 55
HEARTBEAT_SECONDS = 15


def _stream_slots() -> threading.BoundedSemaphore:
    """Under gthread workers (`xuanpin serve`) each open stream holds a thread, so at most half
    a worker's threads may be held so; under gevent workers (`xuanpin streams`, or gunicorn
    with config/gunicorn-streams.conf.py) a stream is a greenlet, and the limit is
    streams.max_clients."""
    slots = current_app.extensions.get("xuanpin.stream_slots")
    if slots is None:
        settings = state().settings
        limit = settings.streams.max_clients if monkey.is_module_patched("socket") else max(
            1, settings.server.threads // 2)
        slots = threading.BoundedSemaphore(limit)
        current_app.extensions["xuanpin.stream_slots"] = slots
    return slots


def event_stream(channels: list[str], event: str, first: dict | None = None) -> Response:
    """Stream the channels' messages as `event` events (after `first`, if given) until the
    stream's time is up; answer 503 when every stream slot is taken, so the page polls."""
    slots = _stream_slots()
    if not slots.acquire(blocking=False):
        return Response("busy", status=503, headers={"Retry-After": "30"})
    broker = state().broker

    def stream():
        # Subscribed before the first byte goes out, so nothing published after it is missed.
        metrics.stream_opened()
        try:
            with broker.subscribe(channels) as subscription:
                opening = "retry: 3000\n\n"
                if first is not None:
                    data = json.dumps(first, ensure_ascii=False)
                    opening += f"event: {event}\ndata: {data}\n\n"
                yield opening
                now = time.monotonic()
                deadline, heartbeat = now + STREAM_SECONDS, now + HEARTBEAT_SECONDS
                while not STOPPING.is_set() and (now := time.monotonic()) < deadline:
                    message = subscription.get(timeout=1.0)
                    if message is not None:
                        data = json.dumps(message, ensure_ascii=False)
                        yield f"event: {event}\ndata: {data}\n\n"
                    elif now >= heartbeat:
                        heartbeat = now + HEARTBEAT_SECONDS
                        yield ": ping\n\n"
        finally:
            metrics.stream_closed()
            slots.release()

    return Response(stream(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
