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


def test_every_link_parameter_is_documented():
    source = (Path(__file__).resolve().parents[1] / "barometer_dash" / "ui" / "state.py").read_text()
    params = set(re.findall(r'params\.pop\("([a-z]+)"', source)) | {"country", "year"}
    table = README.split("### Link parameters", 1)[1].split("\n## ", 1)[0]
    for param in params:
        assert f"`{param}`" in table, param


def test_readme_opens_with_the_two_commands():
    block = README.split("```sh", 1)[1].split("```", 1)[0]
    lines = [line for line in block.strip().splitlines() if line.strip()]
    assert lines[0].startswith("bash scripts/run.sh")
    assert lines[1].startswith("bash scripts/test.sh")
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "bash scripts/test.sh" in ci
