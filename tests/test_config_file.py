"""Settings come from the first of: flag → environment → the user's config file → package default
(issue 10: one settings place, read in that order at the edge)."""
from __future__ import annotations

import argparse
import textwrap

import pytest

from common.errors import BadUsage
from core.config import ENV_CONFIG, from_args, user_file

from conftest import run_cli


def config(tmp_path, text: str):
    path = tmp_path / "config.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def args(**given):
    return argparse.Namespace(**given)


def test_each_value_comes_from_flag_then_environment_then_file_then_default(tmp_path):
    path = config(tmp_path, """\
        index: sqlite:///from-file.db
        token: file-token
        gazetteers: [team.yaml]
        lock_dir: /var/lib/pw/locks
        """)
    env = {ENV_CONFIG: str(path)}
    cfg = from_args(args(), env)
    assert (cfg.index_url, cfg.token, cfg.gazetteers, cfg.lock_dir) == (
        "sqlite:///from-file.db", "file-token", ["team.yaml"], "/var/lib/pw/locks")
    cfg = from_args(args(), {**env, "POLICYWATCH_INDEX": "sqlite:///from-env.db"})
    assert cfg.index_url == "sqlite:///from-env.db" and cfg.token == "file-token"
    cfg = from_args(args(index="sqlite:///from-flag.db"), {**env, "POLICYWATCH_INDEX": "sqlite:///from-env.db"})
    assert cfg.index_url == "sqlite:///from-flag.db"
    assert from_args(args(), {"HOME": str(tmp_path)}).index_url == "sqlite:///data/policywatch.db"   # no file


def test_the_default_file_is_under_the_users_config_folder(tmp_path):
    assert user_file({"HOME": "/home/ana"}) == user_file({"XDG_CONFIG_HOME": "/home/ana/.config"})
    (tmp_path / "policywatch").mkdir()
    (tmp_path / "policywatch" / "config.yaml").write_text("index: sqlite:///xdg.db\n")
    assert from_args(args(), {"XDG_CONFIG_HOME": str(tmp_path)}).index_url == "sqlite:///xdg.db"


@pytest.mark.parametrize("text, message", [
    ("indx: sqlite:///a.db\n", "unknown key 'indx'"),
    ("gazetteers: team.yaml\n", "'gazetteers' is the extra gazetteer files: a list of paths"),
    ("- index\n", "expected 'key: value' lines"),
    ("index: [unclosed\n", "cannot be read"),
])
def test_a_config_file_that_cannot_be_used_is_bad_usage_naming_the_key(tmp_path, text, message):
    with pytest.raises(BadUsage, match=message.replace("(", r"\(").replace("[", r"\[")):
        from_args(args(), {ENV_CONFIG: str(config(tmp_path, text))})


def test_the_command_line_reads_the_file_and_says_one_line_when_it_is_wrong(tmp_path):
    missing = tmp_path / "nowhere" / "index.db"
    good = config(tmp_path, f"index: sqlite:///{missing}\n")
    result = run_cli("search", "telegram", check=False, env={ENV_CONFIG: str(good), "POLICYWATCH_INDEX": ""})
    assert result.returncode == 1 and f"no index at {missing}" in result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("indx: x\n")
    result = run_cli("search", "telegram", check=False, env={ENV_CONFIG: str(bad)})
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "unknown key 'indx'" in result.stderr
