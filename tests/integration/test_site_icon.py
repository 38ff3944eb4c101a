"""The site's icon: at /favicon.ico where browsers look unasked, and linked from every layout."""

import re


def test_favicon_ico_answers_with_an_icon(sqlite_app):
    answer = sqlite_app.test_client().get("/favicon.ico")
    assert answer.status_code == 200
    assert answer.mimetype == "image/vnd.microsoft.icon"
    assert answer.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header


def test_every_layout_links_an_icon_that_answers(sqlite_app):
    client = sqlite_app.test_client()
    # The buyer's layout, the console's (the same layout.html signed out), a screen waiting
    # for approval, and a zone screen: each of the documents the app writes its own <head> for.
    pages = ["/cart", "/console/login", "/display/new", "/display/bestseller"]
    for url in pages:
        answer = client.get(url)
        assert answer.status_code == 200, url
        links = re.findall(r'<link rel="icon" href="([^"]+)"', answer.get_data(as_text=True))
        assert any(link.endswith(".svg") for link in links), url
        assert "/favicon.ico" in links, url
        for link in links:
            assert client.get(link).status_code == 200, (url, link)
