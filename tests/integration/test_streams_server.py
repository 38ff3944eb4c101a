"""`xuanpin streams`: the same app on gevent workers holds many event streams at once, and each
hears of a change through Redis."""

import os
import signal
import subprocess
import sys

import redis
import requests

from tests.support.services import free_port, wait_for_port

CLI = [sys.executable, "-m", "store_api.cli"]


def test_streams_server_holds_more_streams_than_threads_and_delivers_through_redis(
        redis_server, tmp_path):
    env = {**os.environ, "XUANPIN_PATHS_VAR_DIR": str(tmp_path / "var"),
           "XUANPIN_REDIS_URL": redis_server.url, "XUANPIN_SERVER_THREADS": "2"}
    for step in ("init", "demo"):
        subprocess.run([*CLI, step], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([*CLI, "streams", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    streams = []
    try:
        wait_for_port(port, timeout=30)
        # Under `xuanpin serve` two threads would allow one stream; gevent holds them all.
        for _ in range(20):
            response = requests.get(f"http://127.0.0.1:{port}/display/streamer/events",
                                    stream=True, timeout=10)
            assert response.status_code == 200
            lines = response.iter_lines()
            assert next(lines).startswith(b"retry:")
            streams.append((response, lines))
        redis.Redis.from_url(redis_server.url).publish(
            "xuanpin:display:streamer", '{"zone": "streamer"}')
        for _, lines in streams:
            assert next(line for line in lines if line) == b"event: changed"
    finally:
        for response, _ in streams:
            response.close()
        server.send_signal(signal.SIGINT)
        server.wait(20)


def test_streams_server_refuses_to_start_without_redis(tmp_path):
    env = {**os.environ, "XUANPIN_PATHS_VAR_DIR": str(tmp_path / "var")}
    env.pop("XUANPIN_REDIS_URL", None)
    subprocess.run([*CLI, "init"], env=env, check=True, capture_output=True)
    result = subprocess.run([*CLI, "streams"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0 and "XUANPIN_REDIS_URL" in result.stderr
