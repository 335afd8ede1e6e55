"""The README stays true: it documents every setting and the two set-up commands exist."""

from __future__ import annotations

import os

from newsbot.settings import Settings
from tests.engine_helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_configuration_table() -> None:
    for name in Settings.model_fields:
        env = "DISCORD_TOKEN" if name == "discord_token" else f"NEWSBOT_{name.upper()}"
        assert f"`{env}`" in README, f"{env} is missing from the README configuration table"


def test_the_quick_start_commands_are_the_scripts_ci_runs() -> None:
    assert './run ask "Did Lukashenko apologize?"' in README and "\n./test " in README
    assert os.access(ROOT / "run", os.X_OK) and os.access(ROOT / "test", os.X_OK)
    assert "./test" in (ROOT / ".ci" / "run").read_text()
