"""Every public endpoint fuzzed with Hypothesis-generated input (issue #8): never a 5xx, always JSON with a stable
``code`` on refusal, and a message that is accepted is kept, whatever its characters.

Hypothesis generates the inputs (text of any Unicode, including lone surrogates and controls; JSON of any
shape; headers; signatures); the requests then run against one real app with a real Redis.
"""

from __future__ import annotations

import json
from typing import Any, List

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handoff.crypto import Box
from handoff.keys import Keys
from handoff.store import Store
from tests.handoff.helpers import open_session

EXAMPLES = 120
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12)
BODIES = st.one_of(
    st.binary(max_size=300),
    JSON.map(lambda value: json.dumps(value).encode()),
    st.text(max_size=300).map(lambda text: json.dumps({"text": text}).encode()),
)


def generated(strategy: st.SearchStrategy, count: int = EXAMPLES) -> List[Any]:
    """Draw ``count`` examples from a Hypothesis strategy (the requests themselves are async, below)."""
    drawn: List[Any] = []

    @settings(max_examples=count, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value: Any) -> None:
        drawn.append(value)

    collect()
    return drawn


async def _assert_clear(response) -> None:
    assert response.status < 500, response.status
    if response.status >= 400:
        body = await response.json()
        assert isinstance(body.get("code"), str) and body.get("error")


async def test_web_chat_messages_of_any_shape(offline_client, redis, base_settings):
    session = await open_session(offline_client)
    headers = {"Authorization": f"Bearer {session['token']}", "Content-Type": "application/json"}
    accepted = []
    for body in generated(BODIES):
        response = await offline_client.post("/api/webchat/messages", data=body, headers=headers)
        await _assert_clear(response)
        if response.status == 200:
            accepted.append(json.loads(body)["text"])
    store = Store(redis, Keys(base_settings.key_prefix), Box(base_settings.data_key), 60, 600)
    kept = [m["text"] for m in await store.transcript(session["conversation_id"]) if m["role"] == "user"]
    assert len(kept) == len(accepted)  # every message she was answered for is in her transcript


async def test_tokens_tickets_and_headers_of_any_shape(offline_client):
    header_safe = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))  # what a client can send at all
    tokens = generated(st.text(alphabet=header_safe, max_size=60), 80)
    for token in tokens:
        await _assert_clear(await offline_client.post("/api/webchat/messages", json={"text": "x"},
                                                      headers={"Authorization": f"Bearer {token}"}))
        await _assert_clear(await offline_client.get("/api/webchat/stream", params={"ticket": token}))


async def test_login_and_console_requests_of_any_shape(offline_client):
    for body in generated(BODIES, 80):
        await _assert_clear(await offline_client.post("/api/auth/login", data=body,
                                                      headers={"Content-Type": "application/json"}))
    for name in generated(st.text(max_size=30), 40):
        await _assert_clear(await offline_client.get(f"/api/conversations/{json.dumps(name)}"))


async def test_line_webhook_with_any_body_and_signature(aiohttp_client, base_settings, redis):
    from dataclasses import replace

    from handoff.app import create_app

    client = await aiohttp_client(create_app(replace(base_settings, line_channel_secret="s" * 32,
                                                     line_channel_access_token="t")))
    header_safe = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
    pairs = generated(st.tuples(BODIES, st.text(alphabet=header_safe, max_size=60)), 80)
    for body, signature in pairs:
        response = await client.post("/webhooks/line", data=body, headers={"X-Line-Signature": signature})
        assert response.status == 401  # nothing unsigned is ever parsed
