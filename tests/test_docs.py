"""Every command, option, environment variable and crawl setting of our own is documented, each on
its page under docs/ (as datasette checks its settings), and the README leads to every page."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from policywatch.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")                # commands, options, environment
SOURCES = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")        # crawl settings
REFERENCE_PAGES = ["cli.md", "query-language.md", "sources.md", "entities.md", "korean.md", "archive.md",
                   "elasticsearch.md", "web.md", "architecture.md", "figures.md", "development.md",
                   "existing-cluster.md", "alerts.md"]


def subcommands(parser=None, prefix=""):
    """(name, parser) of every command, a group's commands as 'group command'."""
    parser = parser or build_parser()
    action = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    found = []
    for name, sub in sorted(action.choices.items()) if action else []:
        found.append((prefix + name, sub))
        found += subcommands(sub, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize("name, sub", subcommands(), ids=[n for n, _ in subcommands()])
def test_command_and_its_options_are_in_the_cli_page(name, sub):
    assert re.search(rf"policywatch {name}\b", CLI), f"`policywatch {name}` is not in docs/cli.md"
    for action in sub._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert flag in CLI, f"`policywatch {name} {flag}` is not documented in docs/cli.md"


def test_environment_variables_are_documented():
    root = Path(__file__).resolve().parent.parent
    source = "".join(path.read_text() for path in [root / "core" / "config.py", root / "policywatch" / "cli.py",
                                                   *sorted((root / "policywatch" / "commands").glob("*.py"))])
    names = set(re.findall(r'ENV_[A-Z_]+ = "(POLICYWATCH_[A-Z_]+)"', source))
    names |= set(re.findall(r'environ.get\("(POLICYWATCH_[A-Z_]+)"', source))
    assert names
    for var in sorted(names):
        assert var in CLI, f"the environment variable {var} is not documented in docs/cli.md"


def test_crawl_settings_of_our_own_are_documented():
    settings = (Path(__file__).resolve().parent.parent / "crawler" / "settings.py").read_text()
    internal = {"POLICYWATCH_INDEX_OPTIONS", "POLICYWATCH_PROGRESS_SECONDS"}     # set by the CLI itself
    names = set(re.findall(r"^(POLICYWATCH_[A-Z_]+) =", settings, re.M)) - internal
    assert len(names) >= 10
    for name in sorted(names):
        assert name in SOURCES, f"the crawl setting {name} is not documented in docs/sources.md"


def test_the_readme_leads_to_every_reference_page():
    for page in REFERENCE_PAGES:
        assert f"(docs/{page})" in README, f"the README does not link docs/{page}"
    for page in (ROOT / "docs").glob("*.md"):
        assert f"(docs/{page.name})" in README, f"docs/{page.name} is not found from the README"


def test_the_readme_is_a_five_minute_read_with_the_two_commands_and_how_to_call_the_cli():
    assert len(README.splitlines()) <= 150
    for needed in ("make demo", "make test", ".venv/bin/policywatch", "source .venv/bin/activate", "make serve"):
        assert needed in README, needed
