"""The whole flow in a real browser (Debian's chromium via Playwright), with the real Rasa.

A user on the web chat sends a high-risk message; a counselor logged into the
console sees it at the top of the queue, claims it and replies; the user sees
the reply live; the counselor closes it; the statistics count it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import aiohttp
import pytest

from handoff.app import create_app
from tests.handoff.helpers import PASSWORD, add_counselor

pytestmark = pytest.mark.servers

ROOT = Path(__file__).resolve().parents[2]
# Screenshots go to a temporary folder unless AKARI_SCREENSHOTS names one (e.g. docs, to refresh the README's).
DOCS = Path(os.environ.get("AKARI_SCREENSHOTS") or tempfile.mkdtemp(prefix="akari-screens-"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture
async def browser():
    playwright_api = pytest.importorskip("playwright.async_api")
    async with playwright_api.async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        await launched.close()


@pytest.fixture
async def live_server(aiohttp_server, base_settings, redis, bot_servers):
    settings = replace(base_settings, rasa_url=bot_servers.rasa_url, action_server_url=bot_servers.action_url)
    return await aiohttp_server(create_app(settings))


async def test_high_risk_message_reaches_a_counselor_who_replies_live(browser, live_server, redis, base_settings):
    await add_counselor(redis, base_settings, "aoi")
    base = str(live_server.make_url("/")).rstrip("/")
    user = await browser.new_page(viewport={"width": 390, "height": 780})
    await user.goto(f"{base}/")
    await user.get_by_test_id("chat-input").fill("もう消えたい。しにたい")
    await user.get_by_test_id("chat-send").click()
    await user.locator('[data-from="bot"]').first.wait_for()
    await user.get_by_test_id("state-banner").filter(has_text="相談員").wait_for()

    console = await (await browser.new_context(viewport={"width": 1280, "height": 860})).new_page()
    await console.goto(f"{base}/console")
    await console.get_by_test_id("login-user").fill("aoi")
    await console.get_by_test_id("login-password").fill(PASSWORD)
    await console.get_by_test_id("login-submit").click()
    first_row = console.get_by_test_id("queue-row").first
    await first_row.wait_for()
    assert "緊急" in await first_row.inner_text() or "高" in await first_row.inner_text()
    await first_row.get_by_test_id("claim-button").click()
    await console.get_by_test_id("reply-input").fill("相談員のあおいです。話してくれてありがとう。いまどこにいる？")
    await console.get_by_test_id("reply-send").click()

    await user.locator('[data-from="counselor"]').filter(has_text="あおい").wait_for()
    DOCS.mkdir(parents=True, exist_ok=True)
    await user.screenshot(path=str(DOCS / "webchat.png"))
    await console.screenshot(path=str(DOCS / "console.png"))

    await console.get_by_test_id("close-outcome").select_option("referred")
    await console.get_by_test_id("close-note").fill("いのちの電話を案内")
    await console.get_by_test_id("close-submit").click()
    stats = await console.request.get(f"{base}/api/stats")
    summary = await stats.json()
    assert summary["conversations"] == 1 and summary["outcomes"] == {"referred": 1}
    await user.close()
    await console.context.close()


async def test_the_statistics_page_draws_the_counts(browser, aiohttp_server, base_settings, redis):
    server = await aiohttp_server(create_app(base_settings))  # Rasa down: the lexicon still queues her
    base = str(server.make_url("/")).rstrip("/")
    async with aiohttp.ClientSession() as http:
        session = await (await http.post(f"{base}/api/webchat/sessions")).json()
        await http.post(f"{base}/api/webchat/messages", json={"text": "さっき薬全部飲んだ"},
                        headers={"Authorization": f"Bearer {session['token']}"})
    await add_counselor(redis, base_settings, "aoi")
    page = await (await browser.new_context()).new_page()
    await page.goto(f"{base}/console")
    await page.get_by_test_id("login-user").fill("aoi")
    await page.get_by_test_id("login-password").fill(PASSWORD)
    await page.get_by_test_id("login-submit").click()
    await page.get_by_test_id("stats-link").wait_for()
    await page.goto(f"{base}/stats")
    await page.get_by_test_id("stats-total").filter(has_text="1").wait_for()
    assert await page.get_by_test_id("chart-per-day").locator("rect").count() >= 1
    await page.screenshot(path=str(DOCS / "stats.png"), full_page=True)
    await page.context.close()
