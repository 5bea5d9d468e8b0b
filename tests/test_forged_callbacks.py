"""Forged callback payloads, as an attacker would send them: never a 500, never a traceback."""

from __future__ import annotations

import json
import random

import pytest

from barometer_dash.app_factory import create_app

JUNK = [None, "", "x", "nope", "../../etc/passwd", "=1+1", 0, -1, 99, 2**63, 1.5, float("inf"), True,
        [], [99], ["x"], [None], [[1]], {}, {"width": "x"}, {"ds": 5}, {"search": ["?q=1"]},
        {"ds": "demo", "search": "?q=trust_police&by=country", "lang": "en", "built": True},
        "?q=trust_police&country=XK", "<script>alert(1)</script>", "a" * 3000]


def _payload(rng: random.Random, dep: dict) -> dict:
    def item(spec: dict):
        sid = spec["id"]
        if sid.startswith("{"):
            pattern = json.loads(sid)
            var = rng.choice(["gender", "nope", 5, None, "age_group"])
            return rng.choice([[], [{"id": {**pattern, "var": var}, "property": spec["property"],
                                     "value": rng.choice(JUNK)}], "junk"])
        return {"id": sid, "property": spec["property"], "value": rng.choice(JUNK)}

    outputs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1].split("@")[0]}
               for o in dep["output"].strip(".").split("...")]
    return {
        "output": dep["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": [item(s) for s in dep["inputs"]],
        "state": [item(s) for s in dep["state"]],
        "changedPropIds": [rng.choice([f"{s['id']}.{s['property']}" for s in dep["inputs"]])],
    }


@pytest.fixture(scope="module")
def client():
    return create_app({"cache": "null"}).server.test_client()


def test_two_thousand_forged_payloads_give_no_500(client, caplog):
    deps = [d for d in client.get("/_dash-dependencies").get_json() if d.get("clientside_function") is None]
    rng = random.Random(20261126)
    statuses: dict[int, int] = {}
    for _ in range(2000):
        body = _payload(rng, rng.choice(deps))
        resp = client.post("/_dash-update-component", data=json.dumps(body, allow_nan=True),
                           content_type="application/json")
        statuses[resp.status_code] = statuses.get(resp.status_code, 0) + 1
        assert resp.status_code != 500, (body, resp.get_data(as_text=True)[:300])
        assert b"Traceback" not in resp.get_data()
    assert sum(statuses.values()) == 2000
    # Most forged payloads are answered (a view, or no change); only unreadable shapes are refused.
    assert statuses.get(200, 0) + statuses.get(204, 0) > 1500, statuses


@pytest.mark.parametrize("body", ["not json", "[]", "{}", '{"output": "page.children"}',
                                  '{"output": "nope.children", "inputs": [], "state": []}'])
def test_malformed_callback_requests_are_client_errors(client, body):
    resp = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert 400 <= resp.status_code < 500
