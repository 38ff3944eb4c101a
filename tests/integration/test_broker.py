"""Events reach subscribers across processes through Redis, and within one without it."""

import threading

import pytest
import redis

from store_api.core.broker import InProcessBroker, RedisBroker


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
    from tests.support.services import free_port

    broker = RedisBroker(redis.Redis.from_url(f"redis://127.0.0.1:{free_port()}/0",
                                              socket_connect_timeout=0.5))
    with pytest.raises(redis.ConnectionError):
        broker.publish("order:ABC", {"status": "paid"})


def test_many_subscribers_in_a_process_share_one_redis_subscription(redis_server):
    from contextlib import ExitStack

    client = redis.Redis.from_url(redis_server.url)

    def subscribers() -> int:
        return sum(1 for c in client.client_list() if int(c.get("psub", 0)) or int(c.get("sub", 0)))

    before = subscribers()  # other tests' brokers may still listen on this server
    broker = RedisBroker(client)
    with ExitStack() as stack:
        subscriptions = [stack.enter_context(broker.subscribe([f"order:{i}"]))
                         for i in range(50)]
        assert subscribers() == before + 1
        RedisBroker(redis.Redis.from_url(redis_server.url)).publish("order:7", {"n": 7})
        assert subscriptions[7].get(timeout=5) == {"n": 7}
        assert subscriptions[8].get(timeout=0.2) is None
