"""Statistics count what happened and show no message text."""

from __future__ import annotations

from handoff.stats import summarize
from tests.handoff.helpers import claimed_conversation


def test_summary_of_plain_records():
    base = 1_795_000_000_000
    rows = [
        {"created_at": base, "channel": "webchat", "max_urgency": "emergency", "concerns": ["suicide_risk"],
         "waiting_since": base + 1000, "claimed_at": base + 31_000, "first_reply_at": base + 61_000, "outcome": "referred"},
        {"created_at": base + 5000, "channel": "line", "max_urgency": "low", "concerns": []},
    ]
    summary = summarize(rows)
    assert summary["conversations"] == 2 and summary["handoff_rate"] == 0.5
    assert summary["wait_to_claim"]["median_s"] == 30.0
    assert summary["first_human_reply"]["emergency"] == {"n": 1, "median_s": 60.0, "p95_s": 60.0}
    assert summary["by_concern"] == {"suicide_risk": 1} and summary["outcomes"] == {"referred": 1}


async def test_a_closed_conversation_is_counted_and_the_csv_has_no_text(offline_client, redis, base_settings):
    session, csrf = await claimed_conversation(offline_client, redis, base_settings)
    cid = session["conversation_id"]
    await offline_client.post(f"/api/conversations/{cid}/messages", json={"text": "相談員です"}, headers=csrf)
    await offline_client.post(f"/api/conversations/{cid}/close", json={"outcome": "emergency_services"}, headers=csrf)
    summary = await (await offline_client.get("/api/stats")).json()
    assert summary["conversations"] == 1 and summary["handoff_rate"] == 1.0
    assert summary["outcomes"] == {"emergency_services": 1}
    assert summary["first_human_reply"]["emergency"]["n"] == 1
    csv_text = await (await offline_client.get("/api/stats.csv")).text()
    assert "emergency_services" in csv_text and "suicide_risk" in csv_text
    assert "薬" not in csv_text and "相談員です" not in csv_text
    assert (await offline_client.get("/api/stats", params={"from": "yesterday"})).status == 400
