"""Typing indicators both ways: never stored in the transcript, never with text."""

from __future__ import annotations

import asyncio

from tests.handoff.helpers import (
    claimed_conversation,
    next_frame,
    open_stream,
)


async def read_typing(response, timeout: float = 10.0) -> str:
    async def _read() -> str:
        while True:
            line = (await response.content.readline()).decode()
            if line.startswith("event: typing"):
                return line
    return await asyncio.wait_for(_read(), timeout)


async def test_typing_both_ways(offline_client, redis, base_settings):
    session, csrf = await claimed_conversation(offline_client, redis, base_settings)
    cid = session["conversation_id"]

    stream = await open_stream(offline_client, session["token"])
    await offline_client.post(f"/api/conversations/{cid}/typing", headers=csrf)
    assert "typing" in await read_typing(stream)
    stream.close()

    socket = await offline_client.ws_connect("/api/console/events")
    await next_frame(socket, "hello")
    await offline_client.post("/api/webchat/typing", headers={"Authorization": f"Bearer {session['token']}"})
    frame = await next_frame(socket, "typing")
    assert frame["conversation_id"] == cid and frame["who"] == "user"
    await socket.close()

    transcript = (await (await offline_client.get(f"/api/conversations/{cid}")).json())["messages"]
    assert all(m["role"] != "typing" for m in transcript)
