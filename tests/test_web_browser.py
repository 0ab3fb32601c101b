"""The web app in a real headless Chromium, as a person would use it: open the stories,
click into a story, see the graph drawn, open an article, compare two articles, and check
that no request ever leaves 127.0.0.1. Screenshots go to a temp folder (printed)."""
from __future__ import annotations

import json
import shutil
from urllib.parse import urlsplit

import pytest

from storytrace.report.sample import sample_analysis
from test_web_support import build_store, running_server

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if not (CHROMIUM and DRIVER):
    pytest.skip("Debian chromium and chromium-driver are not installed (make browser)", allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    db = build_store(tmp_path_factory.mktemp("site"), sample_analysis(12))
    with running_server(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,1800",
                 f"--user-data-dir={tmp_path_factory.mktemp('chrome-profile')}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots: {folder}")
    return folder


def requested_hosts(driver) -> set[str]:
    hosts = set()
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            url = msg["params"]["request"]["url"]
            if url.startswith(("http:", "https:", "ws:", "wss:")):
                hosts.add(urlsplit(url).hostname)
    return hosts


def wait_for(driver, css, attr=None, timeout=15):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    el = WebDriverWait(driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))
    if attr:
        WebDriverWait(driver, timeout).until(lambda d: el.get_attribute(attr))
    return el


def test_browse_story_article_compare(site, browser, shots):
    from selenium.webdriver.common.by import By

    browser.get(site + "/")
    assert "Stories" in browser.find_element(By.TAG_NAME, "h1").text
    browser.save_screenshot(str(shots / "1-index.png"))

    browser.find_element(By.LINK_TEXT, "Ferry fire near Port Alder").click()
    cy = wait_for(browser, "#cy", attr="data-rendered")
    assert int(cy.get_attribute("data-rendered")) == 12  # every article is a node of the drawn graph
    canvases = browser.find_elements(By.CSS_SELECTOR, "#cy canvas")
    assert canvases and canvases[0].size["width"] > 300
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "disputed" in page and "independent origin" in page and "Ines Varga" in page
    browser.save_screenshot(str(shots / "2-story.png"))

    # A verdict's "sentence" link lands on that sentence in the article.
    browser.find_element(By.CSS_SELECTOR, "table.claims a.small").click()
    wait_for(browser, "section.article")
    target = browser.execute_script("return document.querySelector(':target') && document.querySelector(':target').textContent")
    assert target and "passengers" in target

    browser.back()
    wait_for(browser, "#articles")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Valley Gazette report 1").click()
    wait_for(browser, "section.article")
    assert browser.find_elements(By.CSS_SELECTOR, ".text .reused"), "reused passage is highlighted"
    browser.save_screenshot(str(shots / "3-article.png"))

    browser.find_element(By.CSS_SELECTOR, "a.compare-link").click()
    wait_for(browser, ".compare")
    shared = browser.find_elements(By.CSS_SELECTOR, ".compare .shared")
    assert len(shared) >= 2 and shared[0].text == shared[1].text  # the same passage, side by side
    browser.save_screenshot(str(shots / "4-compare.png"))

    assert requested_hosts(browser) == {"127.0.0.1"}
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def test_search_with_hostile_text_is_safe(site, browser):
    from selenium.webdriver.common.by import By

    browser.get(site + "/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys('"><script>document.title="pwned"</script> ferry OR * NEAR(')
    box.submit()
    wait_for(browser, "h1")
    assert browser.title != "pwned"
    assert '<script>document.title="pwned"</script>' in browser.find_element(By.TAG_NAME, "h2").text  # shown as text

    # FTS5 syntax in the query is taken as words, never as a query expression
    box = browser.find_element(By.NAME, "q")
    box.clear()
    box.send_keys('ferry" AND (Port*')
    box.submit()
    wait_for(browser, "h1")
    assert "Ferry fire" in browser.find_element(By.TAG_NAME, "body").text


def test_static_dossier_has_no_script_and_renders(site, browser, shots, tmp_path):
    from selenium.webdriver.common.by import By

    from storytrace.report import write_reports

    index = write_reports(sample_analysis(8), tmp_path)
    browser.get(index.as_uri())
    browser.find_element(By.LINK_TEXT, "Ferry fire near Port Alder").click()
    wait_for(browser, "svg.graph")
    assert browser.find_elements(By.CSS_SELECTOR, "svg.graph circle")
    # the inline stylesheet is allowed by the policy's hash: the summary boxes are laid out in a row
    stats = browser.find_elements(By.CSS_SELECTOR, ".stat")
    assert stats[0].location["y"] == stats[1].location["y"]
    browser.save_screenshot(str(shots / "5-static-dossier.png"))
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
