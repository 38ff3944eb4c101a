"""Pub/sub for live pages: Redis across processes and hosts, or in-process for one host."""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import redis

from store_api.core.lifecycle import STOPPING

PREFIX = "xuanpin:"
log = logging.getLogger(__name__)


class Subscription:
    """Messages for a set of channels; get() waits up to a timeout and returns None if none came."""

    def __init__(self, receive):
        self._receive = receive

    def get(self, timeout: float) -> dict | None:
        """Return the next message, or None after timeout seconds."""
        return self._receive(timeout)


class InProcessBroker:
    """Fan-out to subscribers in this process; what the embedded default uses."""

    def __init__(self):
        self._lock = threading.Lock()
        self._queues: dict[str, set[queue.Queue]] = {}

    def publish(self, channel: str, message: dict) -> None:
        """Hand a message to every current subscriber of the channel."""
        with self._lock:
            targets = list(self._queues.get(channel, ()))
        for target in targets:
            target.put(message)

    @contextmanager
    def subscribe(self, channels: list[str]) -> Iterator[Subscription]:
        """Receive the channels' messages while the block runs."""
        inbox: queue.Queue = queue.Queue(maxsize=1000)
        with self._lock:
            for channel in channels:
                self._queues.setdefault(channel, set()).add(inbox)

        def receive(timeout: float) -> dict | None:
            try:
                return inbox.get(timeout=timeout)
            except queue.Empty:
                return None

        try:
            yield Subscription(receive)
        finally:
            with self._lock:
                for channel in channels:
                    self._queues.get(channel, set()).discard(inbox)


class RedisBroker:
    """Redis pub/sub, so every process and host sees every message.

    Each process holds one Redis subscription, on a listener thread, and hands what arrives to
    its own subscribers; a thousand open streams cost one Redis connection, not a thousand.
    """

    def __init__(self, client: redis.Redis):
        self.client = client
        self._local = InProcessBroker()
        self._lock = threading.Lock()
        self._listener: threading.Thread | None = None
        self.listening = threading.Event()

    def publish(self, channel: str, message: dict) -> None:
        """Publish a message as JSON on the channel."""
        self.client.publish(PREFIX + channel, json.dumps(message, ensure_ascii=False))

    def subscribe(self, channels: list[str]):
        """Receive the channels' messages while the block runs."""
        with self._lock:
            if self._listener is None or not self._listener.is_alive():
                self._listener = threading.Thread(target=self._listen, daemon=True,
                                                  name="xuanpin-redis-listener")
                self._listener.start()
        # The first subscriber waits (briefly) until the process listens, so it misses nothing
        # published after it subscribed; without Redis the page's own refresh takes over.
        self.listening.wait(timeout=2.0)
        return self._local.subscribe(channels)

    def _listen(self) -> None:
        backoff = 0.5
        while not STOPPING.is_set():
            pubsub = self.client.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.psubscribe(PREFIX + "*")
                self.listening.set()
                backoff = 0.5
                while not STOPPING.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is not None:
                        channel = message["channel"].decode()[len(PREFIX):]
                        self._local.publish(channel, json.loads(message["data"]))
            except (redis.RedisError, OSError) as error:
                self.listening.clear()
                log.warning("redis subscription lost (%s); retrying in %.1f s", error, backoff)
                time.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
            finally:
                pubsub.close()
