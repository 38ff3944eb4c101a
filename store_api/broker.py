"""Pub/sub for live pages: Redis across processes and hosts, or in-process for one host."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import redis

PREFIX = "xuanpin:"


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
    """Redis pub/sub, so every process and host sees every message."""

    def __init__(self, client: redis.Redis):
        self.client = client

    def publish(self, channel: str, message: dict) -> None:
        """Publish a message as JSON on the channel."""
        self.client.publish(PREFIX + channel, json.dumps(message, ensure_ascii=False))

    @contextmanager
    def subscribe(self, channels: list[str]) -> Iterator[Subscription]:
        """Receive the channels' messages while the block runs."""
        pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(*(PREFIX + channel for channel in channels))

        def receive(timeout: float) -> dict | None:
            message = pubsub.get_message(timeout=timeout)
            return json.loads(message["data"]) if message else None

        try:
            yield Subscription(receive)
        finally:
            pubsub.close()
