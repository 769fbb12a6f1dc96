"""End to end in a real browser: Playwright drives Debian's Chromium (``make setup`` installs
it; Playwright's own browser download is not used) against the app served by uvicorn on a free
loopback port, over a copy of the test case. One browser serves the whole module.

The tests run in order, as one person's visit: log in, open the company lead list and the top
company, open its network view, expand a node, filter a tie type, record an outcome. The lead
list and the network view are saved as screenshots: into the test's temporary folder, and into
docs/img (the README's pictures) when INVERT_SCREENSHOTS=1 (`make screenshots`), so that a test
run leaves the working tree as it found it.
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
import uvicorn
from playwright.sync_api import sync_playwright
from web.webcase import PASSWORD, Case

from invert.web.app import create_app

CHROMIUM = shutil.which("chromium")
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go: docs/img when asked to update the README's pictures."""
    if os.environ.get("INVERT_SCREENSHOTS") == "1":
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        return DOCS_IMG
    return tmp_path_factory.mktemp("screenshots")


TIMEOUT_MS = 10_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(built_case: Case, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("browser") / "case"
    shutil.copytree(built_case.path, path)
    port = _free_port()
    config = uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator:
    assert CHROMIUM, "Chromium is missing: make setup installs the Debian package chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 860})
        context.set_default_timeout(TIMEOUT_MS)
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.errors = errors
        yield tab
        browser.close()


def _count(page, selector: str) -> int:
    return int(page.inner_text(selector))


def _until(page, selector: str, ok) -> int:  # type: ignore[no-untyped-def]
    """The count in ``selector`` once ``ok`` holds for it (polled from here: the page's CSP
    forbids the string evaluation Playwright's wait_for_function would use)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not ok(value := _count(page, selector)):
        assert time.monotonic() < deadline, f"{selector} stayed at {value}"
        page.wait_for_timeout(50)
    return value


def test_login_opens_the_company_lead_list(page, shots):
    page.goto("/leads/company")
    assert "/login" in page.url, "a page needs a login first"
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url("**/leads/company")
    rows = page.locator("table.leads tbody tr")
    assert rows.count() > 0
    page.screenshot(path=str(shots / "leads.png"), full_page=True)
    assert (shots / "leads.png").stat().st_size > 10_000


def test_filtering_a_lead_list_replaces_the_results_in_place(page):
    page.goto("/leads/person")
    page.evaluate("window.__same_page = true")  # gone if the browser loads a new page
    page.fill("input[name=min_p]", "0.99")
    page.click("button:has-text('Filter')")
    page.wait_for_url("**/leads/person?*min_p=0.99*")
    page.wait_for_selector("#lead-results:has-text('0 matching')")
    assert page.evaluate("window.__same_page === true"), "htmx swapped the results, no reload"


def test_the_top_company_opens_and_links_to_its_network(page, built_case):
    page.goto("/leads/company")
    page.locator("table.leads tbody tr").first.locator("a").click()
    page.wait_for_url(f"**/entity/{built_case.company}")
    assert page.locator("h2:has-text('Indicators')").count() == 1
    page.click("a:has-text('network')")
    page.wait_for_url(f"**/network/{built_case.company}")


def test_the_network_renders_expands_and_filters(page, built_case, shots):
    page.wait_for_selector("#network[data-ready='1']")
    start = _count(page, "#node-count")
    assert start > 1 and _count(page, "#edge-count") > 0
    # Expand a worker of the company: its phone and address join the graph.
    person = page.evaluate(
        """() => { const cy = window.invertGraph;
            return cy.nodes('[kind = "person"]').first().id(); }"""
    )
    page.evaluate(f"() => window.invertGraph.getElementById({person!r}).emit('tap')")
    grown = _until(page, "#node-count", lambda n: n > start)
    edges = _count(page, "#edge-count")
    page.uncheck("#edge-types input[value='at address']")
    _until(page, "#edge-count", lambda n: n < edges)
    assert _count(page, "#node-count") < grown, "the address left with its tie"
    # The shortest path between the start and the expanded worker is one tie.
    page.select_option("#path-from", built_case.company)
    page.select_option("#path-to", person)
    page.click("#path-show")
    assert page.inner_text("#path-status").startswith("1 tie")
    page.click("#path-clear")
    page.wait_for_timeout(200)  # let the canvas settle before the picture
    page.screenshot(path=str(shots / "network.png"))
    assert (shots / "network.png").stat().st_size > 10_000
    assert page.errors == []


def test_an_outcome_is_recorded_through_the_case_file_form(page):
    page.goto("/cases/1")
    form = page.locator("form[action='/cases/1/outcomes']")
    form.locator("select[name=result]").select_option("confirmed")
    form.locator("input[name=notes]").fill("Seen at the greenhouse on Monday.")
    form.locator("button").click()
    page.wait_for_url("**/cases/1")
    outcomes = page.locator(
        "table:has(th:has-text('Recorded by')) tbody tr, "
        "table:has(th:has-text('Recorded by')) tr:has(td)"
    )
    assert "confirmed" in outcomes.first.inner_text()
    assert "analyst" in page.content()
