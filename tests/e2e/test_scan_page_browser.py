"""A buyer's phone opens a shelf label's page: name, picture, prices and stock are on screen."""

import re

from tests.support.browser import screenshot


def test_scan_page_on_a_phone(live_server, phone):
    response = phone.goto(live_server.scan_url)
    assert response.status == 200
    heading = phone.locator("h1")
    assert re.search(r"[\u4e00-\u9fff]", heading.inner_text())
    picture = phone.locator("img.photo").first
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
    assert phone.locator(".ladder tbody tr").count() == 3
    assert phone.locator(".ladder tr.reached td.mine").count() == 1
    assert "批发价" in phone.locator(".ladder h2").inner_text()
    colour = phone.locator(".stock li").first.evaluate(
        "li => getComputedStyle(li).borderLeftColor")
    assert colour in ("rgb(46, 157, 91)", "rgb(27, 152, 224)")  # the stylesheet was applied
    screenshot(phone, "scan-page-zh")

    phone.get_by_role("link", name="English").click()
    phone.wait_for_load_state()
    assert "Wholesale prices" in phone.locator(".ladder h2").inner_text()
    phone.goto(live_server.scan_url)
    assert "Wholesale prices" in phone.locator(".ladder h2").inner_text()  # remembered
    screenshot(phone, "scan-page-en")


def test_unknown_code_page_in_the_browser(live_server, phone):
    response = phone.goto(live_server.url + "/s/NOTACODE42")
    assert response.status == 404
    assert "没有找到这个货位码" in phone.locator("h1").inner_text()
