"""A real server (`xuanpin serve`, gunicorn) on the demo centre, and a real Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib

import pytest

from tests.support.browser import phone_context
from tests.support.services import StoreServer, unavailable

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Serve the demo centre with gunicorn on a free port."""
    var = tmp_path_factory.mktemp("live") / "var"
    env = {"XUANPIN_PATHS_VAR_DIR": str(var)}
    command = [sys.executable, "-m", "store_api.cli"]
    for step in ("init", "demo"):
        subprocess.run([*command, step], env={**os.environ, **env}, check=True,
                       capture_output=True)
    server = StoreServer(env)
    server.var = var
    server.logins = tomllib.loads((var / "demo-logins.toml").read_text("utf-8"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skip or fail where it is missing."""
    executable = shutil.which("chromium")
    if executable is None:
        unavailable("chromium is not installed (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _watched(context):
    """A page of the context whose refusals by the Content-Security-Policy fail the test."""
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    return page, refused


@pytest.fixture
def phone(browser):
    """A page the size of a phone, in Chinese."""
    context = phone_context(browser)
    page, refused = _watched(context)
    yield page
    context.close()
    assert refused == []


@pytest.fixture
def desk(browser):
    """A page the size of the counter's screen, in Chinese."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page, refused = _watched(context)
    yield page
    context.close()
    assert refused == []


