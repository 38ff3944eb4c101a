"""The floor of benchmarks/sse_fanout.py: the least a gevent WSGI app can do to hold event
streams open and fan one Redis subscription out to them (no Flask, no database, no limits)."""

from __future__ import annotations

import os

import gevent
import redis
from gevent.queue import Empty, Queue

subscribers: set[Queue] = set()
listening: list[gevent.Greenlet] = []


def _listen() -> None:
    pubsub = redis.Redis.from_url(os.environ["XUANPIN_REDIS_URL"]).pubsub(
        ignore_subscribe_messages=True)
    pubsub.psubscribe("xuanpin:*")
    for message in pubsub.listen():
        for inbox in list(subscribers):
            inbox.put(message["data"])


def app(environ, start_response):
    """Hold an event stream open; send each published message as a `changed` event."""
    if not listening:
        listening.append(gevent.spawn(_listen))
        gevent.sleep(0.2)
    inbox: Queue = Queue()
    subscribers.add(inbox)
    start_response("200 OK", [("Content-Type", "text/event-stream"),
                              ("Cache-Control", "no-cache")])

    def stream():
        try:
            yield b"retry: 3000\n\n"
            while True:
                yield b"event: changed\ndata: " + inbox.get(timeout=55) + b"\n\n"
        except Empty:
            return
        finally:
            subscribers.discard(inbox)

    return stream()
