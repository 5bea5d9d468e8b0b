"""The README documents every setting, command and link parameter the code has."""

from __future__ import annotations

import re
from pathlib import Path

from barometer_dash.cli import build_parser
from barometer_dash.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    for setting in SETTINGS:
        assert f"`{setting.name}`" in README, setting.name


def test_every_command_is_documented():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert re.search(rf"barometer {re.escape(name)}\b", README), name


def test_link_parameter_table_is_the_registry():
    from barometer_dash.view.docs import page_table

    assert page_table() in README


def test_api_parameter_table_is_the_registry():
    from barometer_dash.view.docs import api_table

    api_doc = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    assert api_table() in api_doc


def test_readme_opens_with_the_two_commands():
    block = README.split("```sh", 1)[1].split("```", 1)[0]
    lines = [line for line in block.strip().splitlines() if line.strip()]
    assert lines[0].startswith("bash scripts/run.sh")
    assert lines[1].startswith("bash scripts/test.sh")
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "bash scripts/test.sh" in ci
