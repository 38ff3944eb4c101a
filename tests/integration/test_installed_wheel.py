"""A plain, non-editable install of the wheel serves the demo centre from any folder."""

import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.support.services import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


def get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers.get_content_type(), response.read()


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with the wheel built from this checkout installed into it."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work),
                    str(ROOT)], check=True)
    wheel = next(work.glob("xuanpin-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    subprocess.run([str(work / "venv" / "bin" / "pip"), "install", "-q", str(wheel)], check=True)
    return work / "venv" / "bin" / "xuanpin"


def test_init_demo_serve_from_the_installed_wheel(installed, tmp_path):
    site = tmp_path / "centre"
    site.mkdir()
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def run(*args):
        return subprocess.run([str(installed), *args], cwd=site, env=environment, check=True,
                              capture_output=True, text=True).stdout

    run("init")
    assert "63 products added" in run("demo")
    port = free_port()
    server = subprocess.Popen([str(installed), "serve", "--port", str(port)], cwd=site,
                              env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        wait_for_port(port)
        printed = ""
        while "/s/" not in printed:
            printed += server.stdout.readline()
        scan_url = re.search(r"(http://\S+/s/\w+)", printed).group(1)
        status, _, body = get(scan_url)
        page = body.decode()
        assert status == 200
        assert re.search(r"<h1>[\u4e00-\u9fff]", page), "no Chinese product name on the page"
        assert "批发价" in page
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
        assert get(f"http://127.0.0.1:{port}{stylesheet}")[:2] == (200, "text/css")
        picture = re.search(r'<img class="photo" src="([^"]+)"', page).group(1)
        assert get(f"http://127.0.0.1:{port}{picture}")[:2] == (200, "image/svg+xml")
        status, _, body = get(f"http://127.0.0.1:{port}/readyz")
        assert status == 200 and b'"ready"' in body
    finally:
        server.terminate()
        server.wait(20)
    assert (site / "var" / "xuanpin.db").exists()
