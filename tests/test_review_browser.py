"""The review app in a real headless browser: Debian's chromium driven by Selenium through
/usr/bin/chromedriver (installed with apt-get when missing; nothing is downloaded at run time),
against a real HTTP server on 127.0.0.1 and, for publishing, the real WordPress fixture.

Screenshots of the queue and of a draft page are saved under test-artefacts/ (gitignored)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from redraft.cli.sync import sync
from redraft.store import Store
from redraft.web import ReviewConfig, Target, create_app
from tests.review_fixtures import (
    HOSTILE_LINK,
    POSTS,
    STORY_LINK,
    STORY_OUTLETS,
    STORY_POSTS,
    STORY_TITLE,
    drafted_db,
    serving,
)
from tests.wordpress import SiteOptions, WordPressSite, start_wordpress

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTEFACTS = Path(__file__).resolve().parent.parent / "test-artefacts"
# How long a page may take to show what a click asked for: a guard against a hung browser,
# not a speed assertion (pages render in milliseconds).
PAGE_WAIT_S = 30


def ensure_browser() -> None:
    """Install Debian's chromium and chromium-driver when missing (as root, with apt-get)."""
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.fail("the browser tests need Debian's chromium and chromium-driver: "
                    "apt-get install chromium chromium-driver")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], env=env, check=False, capture_output=True)
    done = subprocess.run(["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"],
                          env=env, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"apt-get could not install chromium: {done.stdout[-2000:]}{done.stderr}")


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    ensure_browser()
    profile = tempfile.mkdtemp(prefix="redraft-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    db = drafted_db(tmp_path, story=True)  # the library story also came from two more outlets
    with serving(create_app(ReviewConfig(db, "tess"))) as url:
        yield url, db


def screenshot(driver: WebDriver, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTEFACTS / name))


def wait_for(driver: WebDriver, css: str) -> WebElement:
    return WebDriverWait(driver, PAGE_WAIT_S).until(
        lambda d: d.find_element(By.CSS_SELECTOR, css))


def wait_for_text(driver: WebDriver, css: str, text: str) -> WebElement:
    """The element once it holds ``text``: after a form posts, the old page's element may still
    be there (and go stale) until the new page replaces it."""
    def found(d: WebDriver) -> WebElement | bool:
        element = d.find_element(By.CSS_SELECTOR, css)
        try:
            return element if text in element.text else False
        except WebDriverException as exc:
            # the same staleness as chromedriver words it mid-navigation: look again
            if "does not belong to the document" in str(exc):
                return False
            raise

    element = WebDriverWait(driver, PAGE_WAIT_S, ignored_exceptions=(
        StaleElementReferenceException, NoSuchElementException)).until(found)
    assert isinstance(element, WebElement)
    return element


def hovered_highlights(driver: WebDriver, element: WebElement) -> list[str]:
    """Focus ``element`` and return the ids of the elements lit up with it."""
    driver.execute_script("arguments[0].focus()", element)
    return [e.get_attribute("id") or "" for e in driver.find_elements(By.CSS_SELECTOR, ".hl")]


def test_the_queue_lists_the_stored_drafts_and_j_k_enter_open_one(
    browser: WebDriver, app_url: tuple[str, Path],
) -> None:
    url, db = app_url
    browser.set_window_size(1280, 900)
    browser.get(url + "/")
    links = browser.find_elements(By.CSS_SELECTOR, "a[data-row]")
    with Store.open(db) as store:
        stored = [row.title for row in store.queue_rows()]
    assert [link.text for link in links] == stored == [p["title"] for p in reversed(POSTS)]
    screenshot(browser, "queue.png")
    browser.find_element(By.TAG_NAME, "body").send_keys("j")
    browser.switch_to.active_element.send_keys("j")
    assert browser.switch_to.active_element.text == stored[1]
    browser.switch_to.active_element.send_keys("k")
    assert browser.switch_to.active_element.text == stored[0]
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert wait_for(browser, "h1").text == stored[0]
    browser.set_window_size(390, 844)
    browser.get(url + "/")
    screenshot(browser, "queue-phone.png")
    browser.set_window_size(1280, 900)


def test_the_queue_shows_how_many_outlets_cover_each_story_and_filters_and_sorts_by_it(
    browser: WebDriver, app_url: tuple[str, Path],
) -> None:
    url, db = app_url
    browser.get(url + "/")
    with Store.open(db) as store:
        stored = {row.title: row.outlets for row in store.queue_rows()}
    shown = {row.find_element(By.CSS_SELECTOR, "a[data-row]").text:
             int(row.find_element(By.CSS_SELECTOR, "td.outlets").text)
             for row in browser.find_elements(By.CSS_SELECTOR, "table.queue tbody tr")}
    assert shown == stored == {POSTS[0]["title"]: 1, POSTS[1]["title"]: STORY_OUTLETS,
                               POSTS[2]["title"]: 1}
    # sorted by the column: the story most outlets cover comes first (newest first otherwise)
    browser.find_element(By.LINK_TEXT, "Outlets").click()
    wait_for_text(browser, "table.queue tbody tr", POSTS[1]["title"])
    order = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "a[data-row]")]
    assert order == [POSTS[1]["title"], POSTS[2]["title"], POSTS[0]["title"]]
    # filtered: only stories at least two outlets cover
    browser.get(url + "/")
    Select(browser.find_element(By.ID, "outlets")).select_by_value("2")
    browser.find_element(By.XPATH, "//button[text()='Filter']").click()
    wait_for_text(browser, "h1", "(1)")
    assert [a.text for a in browser.find_elements(By.CSS_SELECTOR, "a[data-row]")] == [
        POSTS[1]["title"]]
    # the draft page lists the story's other entries: a link where it is http(s), text else
    browser.find_element(By.CSS_SELECTOR, "a[data-row]").click()
    wait_for(browser, "#story-h")
    assert f"from {STORY_OUTLETS} outlets" in browser.find_element(By.ID, "story-size").text
    story = browser.find_element(By.CSS_SELECTOR, "ul.story")
    links = [a.get_attribute("href") for a in story.find_elements(By.TAG_NAME, "a")]
    assert links == [STORY_POSTS[0]["link"]]
    assert STORY_TITLE in story.text and STORY_LINK in story.text
    assert story.find_elements(By.CSS_SELECTOR, "img, b") == []
    assert browser.execute_script("return window.pwned === undefined")
    credit_links = browser.find_elements(By.CSS_SELECTOR, "#credit a")
    assert [a.text for a in credit_links] == ["harbourgazette.example", "northernwire.example"]
    assert "civicpost.example" in browser.find_element(By.ID, "credit").text
    browser.execute_script("document.getElementById('story-h').scrollIntoView()")
    screenshot(browser, "draft-story.png")


def test_an_invented_number_is_saved_verified_again_shown_failing_and_linked_to_evidence(
    browser: WebDriver, app_url: tuple[str, Path],
) -> None:
    url, db = app_url
    browser.get(url + "/")
    browser.find_element(By.LINK_TEXT, POSTS[2]["title"]).click()
    assert "passed" in wait_for(browser, "#verdict").text
    box = browser.find_element(By.ID, "text")
    text = box.get_attribute("value") or ""
    assert "250 apple" in text
    box.clear()
    box.send_keys(text.replace("250 apple", "975 apple"))
    browser.find_element(By.XPATH, "//button[text()='Save and verify again']").click()
    verdict = wait_for_text(browser, "#verdict", "failed")
    assert "failed" in verdict.text
    assert "number" in browser.find_element(By.CSS_SELECTOR, ".messages").text
    flagged = browser.find_element(By.CSS_SELECTOR, ".sentence.flagged")
    assert "975 apple" in flagged.text
    lit = hovered_highlights(browser, flagged)
    sources = [i for i in lit if i.startswith("s")]
    assert sources and flagged.get_attribute("id") in lit
    evidence = browser.find_element(By.CSS_SELECTOR, ".problems .evidence").text
    for source_id in sources:
        assert browser.find_element(By.ID, source_id).text in evidence
    # and the other way: the source sentence lights up the draft sentence it supports
    back = hovered_highlights(browser, browser.find_element(By.ID, sources[0]))
    assert flagged.get_attribute("id") in back
    screenshot(browser, "draft.png")
    browser.execute_script("document.getElementById('problems-h').scrollIntoView()")
    screenshot(browser, "draft-actions.png")
    browser.set_window_size(390, 844)
    screenshot(browser, "draft-phone.png")
    browser.set_window_size(1280, 900)
    with Store.open(db) as store:
        row = next(r for r in store.queue_rows() if r.title == POSTS[2]["title"])
        assert not row.passed and "number" in row.kinds and row.engine == "editor:tess"


def test_source_markup_shows_as_text_and_runs_nothing(
    browser: WebDriver, app_url: tuple[str, Path],
) -> None:
    url, _ = app_url
    for path in ("/", None):
        if path is None:
            browser.find_elements(By.CSS_SELECTOR, "a[data-row]")[-1].click()
            wait_for(browser, "#verdict")
        else:
            browser.get(url + path)
        assert browser.execute_script("return window.pwned === undefined")
        assert browser.find_elements(By.CSS_SELECTOR, "main script, main img") == []
        assert "<script>window.pwned = 1</script>" in browser.find_element(By.TAG_NAME, "main").text
    assert HOSTILE_LINK in browser.find_element(By.CSS_SELECTOR, ".facts").text
    hrefs = [a.get_attribute("href") or "" for a in browser.find_elements(By.TAG_NAME, "a")]
    assert not [h for h in hrefs if h.lower().startswith("javascript")]


def test_a_post_without_the_anti_forgery_token_is_refused(
    browser: WebDriver, app_url: tuple[str, Path],
) -> None:
    url, db = app_url
    browser.get(url + "/")
    browser.find_element(By.LINK_TEXT, POSTS[1]["title"]).click()
    wait_for(browser, "#verdict")
    key = browser.find_element(By.CSS_SELECTOR, "input[name=key]").get_attribute("value")
    browser.execute_script(  # a forged form: everything but the token
        "const f = document.createElement('form'); f.method = 'post'; f.action = '/draft/decide';"
        "for (const [n, v] of [['key', arguments[0]], ['decision', 'approved']]) {"
        " const i = document.createElement('input'); i.name = n; i.value = v; f.append(i); }"
        "document.body.append(f); f.submit();", key)
    assert wait_for(browser, "h1").text == "Refused"
    assert "anti-forgery" in browser.find_element(By.TAG_NAME, "main").text
    with Store.open(db) as store:
        assert store.review(str(key)) is None


# --- publishing to the real WordPress fixture ------------------------------------------------

@pytest.fixture(scope="module")
def site() -> Iterator[WordPressSite]:
    with start_wordpress(SiteOptions(posts=3, seed=9)) as running:
        yield running


@pytest.mark.wordpress
def test_approve_then_publish_creates_the_post_on_wordpress(
    browser: WebDriver, site: WordPressSite, tmp_path: Path,
) -> None:
    db = tmp_path / "site.db"
    result = CliRunner().invoke(sync, [site.base_url, "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    target = Target(site.base_url, site.admin_user, site.app_password)
    with serving(create_app(ReviewConfig(db, "tess", target=target))) as url:
        browser.get(url + "/")
        first = browser.find_elements(By.CSS_SELECTOR, "a[data-row]")[0]
        title = first.text
        first.click()
        publish = wait_for(browser, "form[action='/draft/publish'] button")
        assert publish.get_attribute("disabled") is not None  # not approved yet
        browser.find_element(By.ID, "note").send_keys("checked against the source")
        browser.find_element(By.XPATH, "//button[text()='Approve']").click()
        assert "approved" in wait_for_text(browser, "#state", "approved").text
        browser.find_element(By.XPATH, "//button[text()='Publish to WordPress']").click()
        outcome = wait_for(browser, ".outcome")
        assert "created" in outcome.text and title in outcome.text
        link = outcome.find_element(By.LINK_TEXT, "edit on the site").get_attribute("href")
        assert link and link.startswith(site.base_url)
        assert "published" in browser.find_element(By.ID, "state").text
        audit = browser.find_element(By.CSS_SELECTOR, ".audit").text
        assert "tess approved: checked against the source" in audit
        assert "published to" in audit
        page = browser.page_source

        # the editor shortens the draft in the app and approves it again: the post is updated
        box = browser.find_element(By.ID, "text")
        paragraphs = (box.get_attribute("value") or "").split("\n\n")
        shorter = paragraphs[:-1] if len(paragraphs) > 1 else [
            paragraphs[0].rsplit(". ", 1)[0] + "."]
        box.clear()
        box.send_keys("\n\n".join(shorter))
        browser.find_element(By.XPATH, "//button[text()='Save and verify again']").click()
        assert "passed" in wait_for_text(browser, ".messages", "Saved").text
        browser.find_element(By.XPATH, "//button[text()='Approve']").click()
        wait_for_text(browser, ".messages", "approved")
        browser.find_element(By.XPATH, "//button[text()='Publish to WordPress']").click()
        outcome = wait_for_text(browser, ".outcome", "updated")
        assert title in outcome.text and outcome.find_element(By.LINK_TEXT, "edit on the site")
        # someone changes the post on the site: publishing again keeps it, and says why
        with Store.open(db) as store:
            row = next(r for r in store.queue_rows() if r.title == title)
            remote_id = store.post_records(row.key)[0].remote_id
        answer = httpx.post(site.rest(f"/wp/v2/posts/{remote_id}"),
                            json={"content": "<p>The site editor's text.</p>"},
                            auth=(site.admin_user, site.app_password))
        assert answer.status_code == 200, answer.text
        browser.find_element(By.XPATH, "//button[text()='Publish to WordPress']").click()
        outcome = wait_for_text(browser, ".outcome", "kept")
        assert "edited on the site" in outcome.text
        link = outcome.find_element(By.LINK_TEXT, "edit on the site").get_attribute("href")
        assert link and link.startswith(site.base_url) and f"post={remote_id}" in link
        page += browser.page_source
    assert site.app_password not in page
    with Store.open(db) as store:
        row = next(r for r in store.queue_rows() if r.title == title)
        records = store.post_records(row.key)
    assert len(records) == 1 and records[0].remote_id
    post = httpx.get(site.rest(f"/wp/v2/posts/{records[0].remote_id}", context="edit"),
                     auth=(site.admin_user, site.app_password)).json()
    assert post["status"] == "draft"
    assert post["title"]["raw"] == title
    assert post["content"]["raw"] == "<p>The site editor's text.</p>"  # kept, not overwritten
