"""Events reach subscribers across processes through Redis, and within one without it."""

import threading

import pytest
import redis

from store_api.broker import InProcessBroker, RedisBroker


def deliver(publisher, subscriber):
    with subscriber.subscribe(["order:ABC"]) as subscription:
        assert subscription.get(timeout=0.1) is None
        threading.Timer(0.1, publisher.publish, args=("order:ABC", {"status": "paid"})).start()
        publisher.publish("order:OTHER", {"status": "no"})
        return subscription.get(timeout=5)


def test_in_process_broker_delivers_to_subscribers_of_the_channel():
    broker = InProcessBroker()
    assert deliver(broker, broker) == {"status": "paid"}


def test_redis_broker_delivers_between_separate_clients(redis_server):
    # Two clients stand for two gunicorn workers, or two hosts.
    publisher = RedisBroker(redis.Redis.from_url(redis_server.url))
    subscriber = RedisBroker(redis.Redis.from_url(redis_server.url))
    assert deliver(publisher, subscriber) == {"status": "paid"}


def test_redis_broker_fails_loudly_when_redis_is_gone():
    from tests.services import free_port

    broker = RedisBroker(redis.Redis.from_url(f"redis://127.0.0.1:{free_port()}/0",
                                              socket_connect_timeout=0.5))
    with pytest.raises(redis.ConnectionError):
        broker.publish("order:ABC", {"status": "paid"})
