"""Two handoff instances behind a load balancer share everything through Redis."""

from __future__ import annotations

from handoff.app import create_app
from tests.handoff.helpers import (
    add_counselor,
    login,
    next_frame,
    open_session,
    open_stream,
    read_event,
    say,
)


async def test_a_user_on_one_instance_and_a_counselor_on_another(aiohttp_client, base_settings, redis):
    user_side = await aiohttp_client(create_app(base_settings))
    counselor_side = await aiohttp_client(create_app(base_settings))
    await add_counselor(redis, base_settings)
    _, me = await login(counselor_side)
    csrf = {"X-CSRF-Token": me["csrf_token"]}
    socket = await counselor_side.ws_connect("/api/console/events")
    await next_frame(socket, "hello")

    session = await open_session(user_side)
    await say(user_side, session["token"], "さっき薬全部飲んだ")
    frame = await next_frame(socket, "queue_changed")
    assert frame["conversation_id"] == session["conversation_id"]
    [entry] = (await (await counselor_side.get("/api/queue")).json())["queue"]
    assert entry["conversation_id"] == session["conversation_id"]

    cid = session["conversation_id"]
    assert (await counselor_side.post(f"/api/conversations/{cid}/claim", headers=csrf)).status == 200
    stream = await open_stream(user_side, session["token"])
    await counselor_side.post(f"/api/conversations/{cid}/messages", json={"text": "相談員です"}, headers=csrf)
    assert (await read_event(stream))["text"] == "相談員です"
    stream.close()
    await socket.close()
