"""End to end in real headless Chromium, at 1400 px and on a 390 px phone: overview → click a 类 bar → 款 → 项 →
project detail; reload; navigation without the drawer; 三公 blanks; print to PDF; downloads; contrast. Screenshots go
to test-results/."""

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

    def __init__(self, db, script: str = "app.py"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "JUESUAN_DB": str(db)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / script), "--server.headless=true",
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
    """The seed, plus the 2024 Shanghai 决算 whose 公开07表 leaves 决算数 blank."""
    from core.pipeline import ingest
    from tests.test_pdf import AUTHENTIC

    db = tmp_path_factory.mktemp("e2e") / "juesuan.duckdb"
    shutil.copy(seed_db, db)
    assert ingest([AUTHENTIC], db).loaded
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
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True, locale="zh-CN")
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


SEED = "2022-final-1c256323b7"
SHANGHAI = "2024-final-dae7287c88"
PHONE = {"width": 390, "height": 844}
WIDTHS = [pytest.param(PHONE, id="390px"), pytest.param({"width": 1400, "height": 900}, id="1400px")]


@pytest.fixture()
def sized(browser, request):
    """A page at the viewport the test is parametrised with (a phone gets touch and a 2× screen)."""
    size = request.param
    phone = size["width"] < 500
    ctx = browser.new_context(viewport=size, accept_downloads=True, locale="zh-CN", is_mobile=phone, has_touch=phone,
                              device_scale_factor=2 if phone else 1)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    ctx.close()


def in_first_screen(page, locator):
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= page.viewport_size["height"]


def test_drill_from_overview_to_a_project_and_reload(server, page):
    page.goto(f"{server}/?doc={SEED}")
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


@pytest.mark.parametrize("sized", WIDTHS, indirect=True)
def test_navigation_and_answers_without_the_drawer(server, sized):
    """Item 1 of #13: links and the document switch in the main area; after a choice the answer is on screen."""
    pg = sized
    pg.goto(f"{server}/?doc={SEED}")
    settle(pg)
    main = pg.locator("[data-testid=stMain]")
    nav = main.locator(".st-key-nav")
    for name in ("部门一览", "总览", "支出去向", "项目绩效", "三公经费", "自动核对", "需要关注", "数据与下载", "方法说明"):
        link = nav.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        assert in_first_screen(pg, link), name
    expect(pg.locator("[data-testid=stSidebar] a")).to_have_count(0)
    switch = main.get_by_text("正在查看的文件", exact=False)
    assert in_first_screen(pg, switch)
    assert pg.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth - window.innerWidth") <= 1
    # the bars carry their values as text and are at least 24 px tall
    expect(main.locator("[data-testid=stVegaLiteChart] text", has_text="3,391.24")).to_have_count(1)
    bar = pg.locator('path[aria-roledescription="bar"][aria-label*="204 公共安全支出"]:visible').first
    assert bar.bounding_box()["height"] >= 24
    shot(pg, f"overview-{pg.viewport_size['width']}px")
    bar.click()
    settle(pg)
    assert "code=204" in pg.url
    answer = pg.get_by_role("heading", name="按款分")
    assert in_first_screen(pg, answer)
    first_bar = pg.locator('path[aria-roledescription="bar"][aria-label*="20499"]:visible').first
    assert in_first_screen(pg, first_bar)
    assert first_bar.bounding_box()["height"] >= 24
    shot(pg, f"spending-{pg.viewport_size['width']}px")
    # the page links keep the document: 项目绩效, then choosing a project puts it at the top
    nav.get_by_role("link", name="项目绩效", exact=True).click()
    settle(pg)
    assert f"doc={SEED}" in pg.url
    grid = pg.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    grid.click(position={"x": 18, "y": 35 + 17})  # the first row's selection cell
    settle(pg)
    assert "project=" in pg.url
    time.sleep(0.5)
    heading = pg.locator(".st-key-project-detail h3").first
    assert in_first_screen(pg, heading)
    shot(pg, f"project-{pg.viewport_size['width']}px")


def test_a_keyboard_reaches_every_drill_action(server, page):
    """Item 7: the chart's click has a focusable control beside it."""
    page.goto(f"{server}/?doc={SEED}")
    settle(page)
    box = page.get_by_role("combobox", name="查看一类支出的明细")
    box.focus()
    page.keyboard.type("204")
    page.keyboard.press("Enter")
    settle(page)
    assert "/spending" in page.url and "code=204" in page.url


@pytest.mark.parametrize("sized", WIDTHS, indirect=True)
def test_three_public_blanks_read_not_given(server, sized):
    """Item 2: a blank 决算数 is 未列示 everywhere; the narrative's figures are shown with their page."""
    pg = sized
    pg.goto(f"{server}/sangong?doc={SHANGHAI}")
    settle(pg)
    main = pg.locator("[data-testid=stMain]")
    expect(main.get_by_text("未列示").first).to_be_visible()
    body = main.inner_text()
    assert "None" not in body and "0.0%" not in body and "—、—" not in body
    expect(main.get_by_text("情况说明中写的“三公”经费数字")).to_be_visible()
    shot(pg, f"sangong-{pg.viewport_size['width']}px")


@pytest.mark.parametrize("path, expected", [
    (f"/?doc={SEED}&print=1", ["4,180.76", "4,074.57", "204", "公共安全支出", "3,391.24", "调整单元网格员绩效奖励资金"]),
    (f"/projects?doc={SEED}&project=P13&print=1", ["公共视频“天网”工程后期维护项目（含设备购买）", "394.60", "47.93",
                                                    "每年至少开展 4 次验收", "邀请专家组成专家组进行年度验收"]),
    ("/review?print=1&years=2022", ["需要关注", "却拿满执行分的项目", "一篮子项目经费", "13.44",
                                    "因疫情等原因", "多给", "少给"]),
])
@pytest.mark.parametrize("sized", WIDTHS, indirect=True)
def test_print_view_prints_figures_and_names(server, sized, path, expected, tmp_path):
    """Item 5: Chromium's page.pdf() of the print view holds the figures and names as text, without controls."""
    import pdfplumber

    pg = sized
    pg.goto(server + path)
    settle(pg)
    pg.emulate_media(media="print")
    out = tmp_path / "print.pdf"
    pg.pdf(path=str(out), format="A4", print_background=True)
    with pdfplumber.open(out) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    compact = text.replace("\n", "")
    assert all(x in compact for x in expected), [x for x in expected if x not in compact]
    assert "正在查看的文件" not in compact and "下载 CSV" not in compact and "打印版" not in compact
    RESULTS.mkdir(exist_ok=True)
    shutil.copy(out, RESULTS / f"print-{path.split('?')[0].strip('/') or 'overview'}-{pg.viewport_size['width']}px.pdf")


@pytest.mark.parametrize("sized", WIDTHS, indirect=True)
def test_downloads_read_like_the_screen(server, sized):
    """Item 6: Chinese headers, a first block naming the document, and a file name that says what it holds."""
    import io

    from openpyxl import load_workbook

    pg = sized
    pg.goto(f"{server}/projects?doc={SEED}")
    settle(pg)
    pg.locator("[data-testid=stMultiSelect] input").first.click()
    pg.keyboard.type("良")
    pg.keyboard.press("Enter")
    pg.keyboard.press("Escape")
    settle(pg)
    expect(pg.get_by_text("显示 1 / 24 个项目")).to_be_visible()
    with pg.expect_download() as info:
        pg.get_by_role("button", name="下载 CSV").first.click()
    name = info.value.suggested_filename
    assert name == "中共福建省委泉州台商投资区工作委员会社会治理办公室-2022年部门决算-项目绩效.csv"
    head, table = Path(info.value.path()).read_bytes().decode("utf-8-sig").split("\n\n", 1)
    assert "部门,中共福建省委泉州台商投资区工作委员会社会治理办公室" in head and "金额单位,万元" in head
    assert table.splitlines()[0].startswith("编号,项目,科目,全年预算（万元）,执行数（万元）")
    assert len(table.strip().splitlines()) == 2 and "公共视频" in table
    assert "True" not in table and "False" not in table
    with pg.expect_download() as info:
        pg.get_by_role("button", name="下载 Excel").first.click()
    assert info.value.suggested_filename.endswith("-项目绩效.xlsx")
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book.sheetnames == ["说明", "项目绩效"]
    assert book["说明"]["B2"].value == "中共福建省委泉州台商投资区工作委员会社会治理办公室"
    assert book["项目绩效"]["B1"].value == "项目"


@pytest.mark.parametrize("sized", WIDTHS, indirect=True)
def test_text_contrast_is_readable(server, sized):
    """Item 7: axe-core finds no text below 4.5:1 on the overview, the spending page or the audit page."""
    from axe_playwright_python.sync_playwright import Axe

    pg = sized
    for path in (f"/?doc={SEED}", f"/spending?doc={SEED}&code=204", f"/audit?doc={SHANGHAI}"):
        pg.goto(server + path)
        settle(pg)
        results = Axe().run(pg, options={"runOnly": ["color-contrast"]})
        violations = results.response["violations"]
        assert not violations, (path, [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in violations])
    assert pg.evaluate("document.documentElement.lang") == "zh-CN"


def test_landing_page_opens_a_department(server, page):
    """The collection first: one row per department; choosing one opens its document."""
    page.goto(server)
    settle(page)
    expect(page.get_by_role("heading", name="部门一览")).to_be_visible()
    expect(page.get_by_text("2 个部门系列", exact=False)).to_be_visible()
    shot(page, "landing")
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.click(position={"x": 18, "y": 35 + 17})  # the first row's selection cell
    settle(page)
    assert "/overview" in page.url and "doc=" in page.url
    expect(page.locator("h1").first).to_contain_text("年度")


@pytest.mark.parametrize("sized", WIDTHS, indirect=True)
def test_review_pack_download(server, sized):
    """The review list's one-click pack: a cover sheet, one sheet per section, Chinese headers, a telling name."""
    import io

    from openpyxl import load_workbook

    pg = sized
    pg.goto(f"{server}/review?years=2022")
    settle(pg)
    expect(pg.get_by_text("覆盖 1 份文件", exact=False)).to_be_visible()
    with pg.expect_download() as info:
        pg.get_by_role("button", name="下载审阅包", exact=False).click()
    name = info.value.suggested_filename
    assert name.startswith("需要关注-2022年-1个部门-") and name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book.sheetnames[0] == "说明" and len(book.sheetnames) == 6
    low = book[book.sheetnames[1]]
    assert [c.value for c in low[1]][:3] == ["部门", "年度", "项目"]
    assert any(row[2].value == "一篮子项目经费" for row in low.iter_rows(min_row=2))
    # the filter is in the URL: a reload keeps it
    pg.reload()
    settle(pg)
    expect(pg.get_by_text("覆盖 1 份文件", exact=False)).to_be_visible()


def test_first_visit_after_start_is_a_deep_link(e2e_db, page):
    """The server `make run` starts (serve.py, imports warmed at start-up) answers a first session that opens /audit
    directly: the page still gets the app's frame."""
    s = Server(e2e_db, "serve.py")
    try:
        page.goto(f"{s.url}/audit")
        settle(page)
        main = page.locator("[data-testid=stMain]")
        expect(main.locator(".st-key-nav").get_by_role("link", name="支出去向", exact=True)).to_be_visible()
        expect(page.get_by_text("common", exact=True)).to_have_count(0)
        expect(page.get_by_role("heading", name="自动核对")).to_be_visible()
    finally:
        s.stop()


def test_back_returns_to_the_previous_drill_level_and_project(server, page):
    page.goto(f"{server}/spending?doc={SEED}")
    settle(page)
    click_bar(page, "204 公共安全支出")
    click_bar(page, "20406 司法")
    assert "code=20406" in page.url
    page.go_back()
    settle(page)
    assert "code=204" in page.url and "code=20406" not in page.url
    expect(page.get_by_text("按款分", exact=False).first).to_be_visible()
    page.go_back()
    settle(page)
    assert "code=" not in page.url
    expect(page.get_by_text("按类分", exact=False).first).to_be_visible()
    # 项目绩效: open a project, then Back closes it and stays closed
    page.goto(f"{server}/projects?doc={SEED}")
    settle(page)
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    grid.click(position={"x": 18, "y": 35 + 35 * 1 + 17})
    settle(page)
    assert "project=P02" in page.url
    page.go_back()
    settle(page)
    time.sleep(1.0)
    settle(page)
    assert "project=" not in page.url
    expect(page.get_by_role("heading", name="法律援助工作经费")).to_have_count(0)


@pytest.fixture(scope="module")
def collection_server(tmp_path_factory, seed_db):
    """The seed, a labelled constructed 2023 copy under the name spelled 中国共产党… (the same body, one more year), and
    the 2024 Shanghai 决算: two department series, one of them over two years."""
    from core.pipeline import ingest
    from tests.test_pdf import AUTHENTIC

    tmp = tmp_path_factory.mktemp("e2e-collection")
    db = tmp / "juesuan.duckdb"
    shutil.copy(seed_db, db)
    name = "中共福建省委泉州台商投资区工作委员会社会治理办公室"
    text = (ROOT / "data" / "raw" / "fj-quanzhou-taishang-shehui-zhili-2022-final.txt").read_text(encoding="utf-8")
    copy = tmp / "renamed-2023.txt"
    copy.write_text(text.replace("2022", "2023").replace("2021", "2022").replace(name, "中国共产党" + name[2:]),
                    encoding="utf-8")
    assert len(ingest([copy, AUTHENTIC], db).loaded) == 2
    s = Server(db)
    yield s.url
    s.stop()


def test_landing_department_trend_compare_review_and_back(collection_server, page):
    """A reader's way through the collection: the landing page → a department → its years → a comparison (downloaded)
    → the review pack; Back retraces the way."""
    import io

    from openpyxl import load_workbook

    server = collection_server
    page.goto(server)
    settle(page)
    expect(page.get_by_text("2 个部门系列", exact=False)).to_be_visible()
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.click(position={"x": 18, "y": 35 + 35 + 17})  # the second row: 泉州台商投资区社会治理办公室 (latest: 2023)
    settle(page)
    assert "/overview" in page.url and "doc=2023-final-" in page.url
    page.locator(".st-key-nav").get_by_role("link", name="历年变化", exact=True).click()
    settle(page)
    assert "/trends" in page.url
    expect(page.get_by_role("heading", name="历年变化")).to_be_visible()
    expect(page.get_by_role("link", name="2022 年部门决算", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="2023 年部门决算", exact=True)).to_be_visible()
    shot(page, "trends")
    page.get_by_role("link", name="把这些年份放在一起比较").click()
    settle(page)
    assert "/compare" in page.url and page.url.count("docs=") == 2
    expect(page.get_by_role("heading", name="比较")).to_be_visible()
    expect(page.get_by_text("年度不同", exact=False)).to_be_visible()
    shot(page, "compare")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载比较", exact=False).click()
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book.sheetnames == ["说明", "并排比较", "类构成"]
    side = book["并排比较"]
    assert [c.value for c in side[1]][:3] == ["文件", "年度", "类型"]
    assert [row[4].value for row in side.iter_rows(min_row=2)] == [4074.57, 4074.57]  # 支出合计 of both years
    page.locator(".st-key-nav").get_by_role("link", name="需要关注", exact=True).click()
    settle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="下载审阅包", exact=False).click()
    assert info.value.suggested_filename.startswith("需要关注-")
    page.go_back()
    settle(page)
    assert "/compare" in page.url and page.url.count("docs=") == 2
    expect(page.get_by_role("heading", name="比较")).to_be_visible()
    page.go_back()
    settle(page)
    assert "/trends" in page.url
    expect(page.get_by_role("heading", name="历年变化")).to_be_visible()


def test_a_filtered_project_list_stays_filtered_in_the_link_and_after_back(server, page):
    page.goto(f"{server}/projects?doc={SEED}&grade=优&kw=法律")
    settle(page)
    expect(page.get_by_text("显示 10 / 24 个项目", exact=False)).to_be_visible()
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    grid.click(position={"x": 18, "y": 35 + 17})
    settle(page)
    assert "project=P" in page.url and "grade=" in page.url and "kw=" in page.url  # the filters stay in the link
    page.go_back()
    settle(page)
    assert "project=" not in page.url and "grade=" in page.url
    expect(page.get_by_text("显示 10 / 24 个项目", exact=False)).to_be_visible()
