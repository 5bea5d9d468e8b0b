"""Post Dash callbacks in-process exactly as the browser does, pattern-matching inputs included."""

from __future__ import annotations

import json
from typing import Any


class Callbacks:
    def __init__(self, client: Any):
        self.client = client
        self.deps = client.get("/_dash-dependencies").get_json()

    def dependency(self, first_output: str) -> dict[str, Any]:
        return next(d for d in self.deps if d["output"].lstrip(".").startswith(first_output))

    @staticmethod
    def _items(specs: list[dict[str, Any]], values: dict[str, Any], matches: dict[str, dict[str, Any]]) -> list[Any]:
        """One entry per spec; a pattern-matching spec gets one entry per matching component."""
        out: list[Any] = []
        for spec in specs:
            sid, prop = spec["id"], spec["property"]
            if sid.startswith("{"):
                pattern = json.loads(sid)
                found = matches.get(pattern["type"], {})
                out.append([{"id": {"type": pattern["type"], "var": var}, "property": prop,
                             "value": value if prop == "value" else {"type": pattern["type"], "var": var}}
                            for var, value in found.items()])
            else:
                out.append({"id": sid, "property": prop, "value": values.get(f"{sid}.{prop}")})
        return out

    def post(self, first_output: str, values: dict[str, Any], *, matches: dict[str, dict[str, Any]] | None = None,
             changed: str | None = None, raw: bool = False) -> Any:
        """`values` maps 'id.property' to its value; `matches` maps a pattern type to {var: value}."""
        dep = self.dependency(first_output)
        outputs = [{"id": o.rsplit(".", 1)[0].split("@")[0], "property": o.rsplit(".", 1)[1].split("@")[0]}
                   for o in dep["output"].strip(".").split("...")]
        body = {
            "output": dep["output"],
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": self._items(dep["inputs"], values, matches or {}),
            "state": self._items(dep["state"], values, matches or {}),
            "changedPropIds": [changed or next(iter(values))],
        }
        resp = self.client.post("/_dash-update-component", json=body)
        if raw:
            return resp
        assert resp.status_code in (200, 204), resp.get_data(as_text=True)[:500]
        return resp.get_json()["response"] if resp.status_code == 200 else None
