"""The web page in headless Chromium over a store of the seed articles: load, filter, open an event and
its evidence, draw the timeline, network and map, code pasted text; at 1,400 px and on a narrow screen,
with every host but the server unreachable.

Needs Debian's ``chromium`` and ``chromium-driver`` and the ``selenium`` package (the test extra);
skips without them. With ``KRONIKA_SCREENSHOTS=FOLDER`` the screenshots of each view are kept there.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="chromium and chromium-driver are not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(seed_store) -> Iterator[str]:
    import uvicorn

    from kronika.api import create_app

    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(seed_store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[webdriver.Chrome]:
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        # the network cable unplugged: no host resolves but the test server's
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_window_size(1400, 1000)
    yield driver
    driver.quit()


@pytest.fixture
def page(server, browser):
    browser.set_window_size(1400, 1000)

    def open_(query: str = "") -> webdriver.Chrome:
        browser.get(server + query)
        _settled(browser)
        return browser

    return open_


def _settled(driver, timeout: float = 30) -> None:
    """Wait until the page's request is answered (the status line no longer says it is loading)."""

    def done(d) -> bool:
        text = d.find_element(By.ID, "status").text
        return not text.endswith("…") and d.execute_script("return document.readyState") == "complete"

    time.sleep(0.2)
    WebDriverWait(driver, timeout).until(done)


def _wait(driver, css: str, timeout: float = 20):
    try:
        return WebDriverWait(driver, timeout).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))
    except TimeoutException:
        pytest.fail(f"nothing matches {css!r}; status: {driver.find_element(By.ID, 'status').text!r}")


def _shot(driver, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("KRONIKA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(folder / f"{name}.png"))


def _errors(driver) -> list[str]:
    return [
        e["message"]
        for e in driver.get_log("browser")
        if e["level"] == "SEVERE" and "favicon" not in e["message"]
    ]


def _rows(driver) -> list[list[str]]:
    return [
        [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in driver.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    ]


def test_page_loads_everything_from_its_own_server(page, server):
    d = page()
    assert _rows(d), "the first page of events is listed"
    hosts = d.execute_script("return performance.getEntriesByType('resource').map(r => new URL(r.name).host)")
    assert set(hosts) <= {server.split("/")[2]}
    assert not _errors(d)


def test_filters_find_the_putin_assad_contacts_and_stay_in_the_url(page, tmp_path):
    d = page()
    form = d.find_element(By.ID, "filters")
    form.find_element(By.NAME, "actor").send_keys("Putin")
    form.find_element(By.NAME, "recipient").send_keys("Assad")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _settled(d)
    assert "actor=Putin" in d.current_url and "recipient=Assad" in d.current_url
    rows = _rows(d)
    assert rows and all("RUS GOV" in r[2] and "SYR GOV" in r[3] for r in rows), rows
    _shot(d, "events", tmp_path)
    d.refresh()  # the URL brings the same filters back
    _settled(d)
    assert d.find_element(By.NAME, "actor").get_attribute("value") == "Putin"


def test_an_event_opens_with_its_evidence_marked(page, tmp_path):
    # the call of 2016-02-24, reported by two articles, in the dyad's timeline
    d = page(
        "?view=timeline&actor=Putin&recipient=Assad&date_from=2016-02-24&date_to=2016-02-24&type=CONSULT"
    )
    rows = d.find_elements(By.CSS_SELECTOR, "#events tbody tr")
    assert [r[5] for r in _rows(d)] == ["2"]
    rows[0].click()
    _wait(d, "#detail li.mention")
    detail = d.find_element(By.ID, "detail")
    assert len(detail.find_elements(By.CSS_SELECTOR, "li.mention")) >= 2  # both sources
    assert detail.find_elements(By.CSS_SELECTOR, "li.mention mark.trigger")
    assert "Putin" in " ".join(
        m.text for m in detail.find_elements(By.CSS_SELECTOR, "mark.actor, mark.recipient")
    )
    _shot(d, "event", tmp_path)


def test_timeline_chart_shows_the_dyad_and_a_bar_lists_its_events(page, tmp_path):
    d = page("?view=timeline&actor=Putin&recipient=Assad")
    bars = _wait(d, "#timeline-chart .mark-rect path")
    rows = _rows(d)
    assert any(r[0] == "2016-02-24" and r[1] == "CONSULT" and r[5] == "2" for r in rows), rows
    _shot(d, "timeline", tmp_path)
    last = bars[-1]  # the latest period: February 2016
    ActionChains(d).move_to_element(last).click().perform()
    WebDriverWait(d, 10).until(lambda x: "events from" in x.find_element(By.ID, "count").text)
    assert all(r[0].startswith("2016-02") for r in _rows(d))


def test_network_has_one_node_per_actor_and_a_click_filters(page, tmp_path):
    d = page("?view=network")
    nodes = _wait(d, "#network-chart .nodes path")
    labels = [t.text for t in d.find_elements(By.CSS_SELECTOR, "#network-chart .labels text")]
    assert len(labels) == len(set(labels)) == len(nodes)
    assert "RUS GOV" in labels and "SYR GOV" in labels and not any("," in x for x in labels)
    _shot(d, "network", tmp_path)
    ActionChains(d).move_to_element(nodes[labels.index("RUS GOV")]).click().perform()
    _settled(d)
    assert d.find_element(By.NAME, "actor").get_attribute("value") in labels
    assert "view=" not in d.current_url and _rows(d)


def test_map_draws_the_event_places_on_the_outline(page, tmp_path):
    d = page("?view=map")
    circles = _wait(d, "#map-chart .mark-symbol.role-mark path")
    assert d.find_elements(By.CSS_SELECTOR, "#map-chart .mark-shape path")  # the countries
    assert len(circles) == int(d.find_element(By.ID, "map-chart").get_attribute("data-places")) > 0
    assert "Syria" in d.find_element(By.ID, "map-chart").text
    _shot(d, "map", tmp_path)


def test_pasted_text_is_coded(page, tmp_path):
    d = page("?view=code")
    box = d.find_element(By.CSS_SELECTOR, "#code textarea")
    box.send_keys("Vladimir Putin spoke to Bashar al-Assad by phone on Wednesday.")
    d.find_element(By.CSS_SELECTOR, "#code input[name=pub_date]").send_keys("02242016")
    d.find_element(By.CSS_SELECTOR, "#code button[type=submit]").click()
    _settled(d, timeout=120)
    coded = d.find_element(By.ID, "coded").text
    assert "CONSULT" in coded and "RUS" in coded
    _shot(d, "code", tmp_path)


def test_an_error_is_shown_in_place_and_old_results_are_cleared(page):
    d = page("?actor=Putin")
    assert _rows(d)
    d.find_element(By.NAME, "date_from").send_keys("20x6")
    d.find_element(By.CSS_SELECTOR, "#filters button[type=submit]").click()
    _settled(d)
    status = d.find_element(By.ID, "status")
    assert "error" in status.get_attribute("class") and "date" in status.text
    assert not d.find_element(By.ID, "results").is_displayed()


@pytest.mark.parametrize(
    "view", ["", "?view=timeline&actor=Putin&recipient=Assad", "?view=network", "?view=map"]
)
def test_narrow_screen_has_no_sideways_scroll(page, browser, view, tmp_path):
    browser.set_window_size(420, 900)
    d = page(view)
    time.sleep(0.5)
    overflow = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    # the screenshot shows the chart (or the table), below the stacked filters
    d.execute_script(
        "const c = document.querySelector('.view:not([hidden]) .chart')"
        " || document.getElementById('results'); c.scrollIntoView({block: 'start'});"
    )
    name = (view.split("view=")[1].split("&")[0] if "view=" in view else "events") + "-narrow"
    _shot(d, name, tmp_path)


def test_api_docs_render_offline(server, browser):
    browser.get(server + "docs")
    _wait(browser, ".swagger-ui .opblock", timeout=30)
    paths = " ".join(e.text for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path"))
    assert "/api/events" in paths and "/api/places" in paths
