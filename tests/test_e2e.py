"""End to end in real headless Chromium: overview → click a 类 bar → 款 → 项 → project detail; reload lands on
the same view; filter the projects page; download a CSV; screenshots go to test-results/."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
RESULTS = ROOT / "test-results"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not Path(CHROMIUM).exists():
    if os.environ.get("JUESUAN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"JUESUAN_REQUIRE_BROWSER=1 but {CHROMIUM} is missing", pytrace=False)
    pytest.skip(f"browser tests need {CHROMIUM} (install Debian's chromium; CI does)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run app.py` on a free loopback port, stopped by its own PID."""

    def __init__(self, db):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "JUESUAN_DB": str(db)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless=true",
             "--server.address=127.0.0.1", f"--server.port={self.port}", "--browser.gatherUsageStats=false",
             "--server.fileWatcherType=none"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail("streamlit did not answer /_stcore/health within 60 s")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


@pytest.fixture(scope="module")
def e2e_db(tmp_path_factory, seed_db):
    db = tmp_path_factory.mktemp("e2e") / "juesuan.duckdb"
    shutil.copy(seed_db, db)
    return db


@pytest.fixture(scope="module")
def server(e2e_db):
    s = Server(e2e_db)
    yield s.url
    s.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN")
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    ctx.close()


def settle(page):
    """Wait until Streamlit has finished the run and no element is stale."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
    page.wait_for_function("!document.querySelector('[data-stale=true]')")
    time.sleep(0.6)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")


def shot(page, name):
    RESULTS.mkdir(exist_ok=True)
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(height + 40, 600), 5000)})
    time.sleep(0.5)
    page.screenshot(path=str(RESULTS / f"{name}.png"))
    page.set_viewport_size(size)


def click_bar(page, label):
    bar = page.locator(f'path[aria-roledescription="bar"][aria-label*="{label}"]:visible').first
    expect(bar).to_be_visible()
    bar.click()
    settle(page)


def test_drill_from_overview_to_a_project_and_reload(server, page):
    page.goto(server)
    settle(page)
    expect(page.get_by_text("4,180.76", exact=True)).to_be_visible()
    shot(page, "overview")
    click_bar(page, "204 公共安全支出")  # the overview's bars lead into 支出去向
    assert "/spending" in page.url and "code=204" in page.url
    click_bar(page, "20406 司法")
    assert "code=20406" in page.url
    click_bar(page, "2040607 公共法律服务")
    assert "code=2040607" in page.url
    expect(page.get_by_text("背后的项目")).to_be_visible()
    shot(page, "spending-item")
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    grid.click(position={"x": 18, "y": 35 + 35 * 1 + 17})  # the selection cell of row P02
    settle(page)
    assert "project=P02" in page.url
    expect(page.get_by_role("heading", name="法律援助工作经费")).to_be_visible()
    shot(page, "project-detail")
    page.reload()
    settle(page)
    assert "project=P02" in page.url
    expect(page.get_by_role("heading", name="法律援助工作经费")).to_be_visible()


def test_filter_projects_and_download_csv(server, page):
    page.goto(f"{server}/projects")
    settle(page)
    expect(page.get_by_text("显示 24 / 24 个项目")).to_be_visible()
    page.locator("[data-testid=stMultiSelect]").first.click()
    page.get_by_role("option", name="良").click()
    page.keyboard.press("Escape")
    settle(page)
    expect(page.get_by_text("显示 1 / 24 个项目")).to_be_visible()
    shot(page, "projects-filtered")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 CSV").first.click()
    path = info.value.path()
    content = Path(path).read_bytes().decode("utf-8-sig")
    assert content.splitlines()[0].startswith("project_id,name,code")
    assert len(content.strip().splitlines()) == 2 and "公共视频" in content


def test_phone_width(server, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    pg.goto(server)
    settle(pg)
    expect(pg.get_by_text("4,180.76", exact=True)).to_be_visible()
    overflow = pg.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth - window.innerWidth")
    assert overflow <= 1
    shot(pg, "overview-390px")
    ctx.close()


def test_first_visit_after_start_is_a_deep_link(e2e_db, page):
    """The server's very first session opens /audit directly: the page still gets the app's frame."""
    s = Server(e2e_db)
    try:
        page.goto(f"{s.url}/audit")
        settle(page)
        sidebar = page.locator("[data-testid=stSidebar]")
        expect(sidebar.get_by_role("link", name="支出去向")).to_be_visible()
        expect(sidebar.get_by_text("common", exact=True)).to_have_count(0)
        expect(page.get_by_role("heading", name="审核发现")).to_be_visible()
    finally:
        s.stop()
