"""Every command, option, environment variable and crawl setting of our own is documented in
the README (as datasette checks its settings)."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from policywatch.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
# the README and the pages under docs/ (each feature's own page)
README = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices.items())


@pytest.mark.parametrize("name, sub", subcommands(), ids=[n for n, _ in subcommands()])
def test_command_and_its_options_are_in_the_readme(name, sub):
    assert re.search(rf"policywatch {name}\b", README), f"`policywatch {name}` is not in the README"
    for action in sub._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert flag in README, f"`policywatch {name} {flag}` is not documented in the README"


def test_environment_variables_are_documented():
    root = Path(__file__).resolve().parent.parent
    source = (root / "core" / "config.py").read_text() + (root / "policywatch" / "cli.py").read_text()
    names = set(re.findall(r'ENV_[A-Z_]+ = "(POLICYWATCH_[A-Z_]+)"', source))
    names |= set(re.findall(r'environ.get\("(POLICYWATCH_[A-Z_]+)"', source))
    assert names
    for var in sorted(names):
        assert var in README, f"the environment variable {var} is not documented in the README"


def test_crawl_settings_of_our_own_are_documented():
    settings = (Path(__file__).resolve().parent.parent / "crawler" / "settings.py").read_text()
    internal = {"POLICYWATCH_INDEX_OPTIONS", "POLICYWATCH_PROGRESS_SECONDS"}     # set by the CLI itself
    names = set(re.findall(r"^(POLICYWATCH_[A-Z_]+) =", settings, re.M)) - internal
    assert len(names) >= 10
    for name in sorted(names):
        assert name in README, f"the crawl setting {name} is not documented in the README"
