"""`make demo` is repeatable and shows no test page (issue 11, items 11 and 12): run twice into a
temporary index on ports of the test's own, it holds the same articles after the second run, its
search shows no <script> fixture, and a taken port is one clear line."""
from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys

import pytest

from conftest import LOCK_DIR, ROOT, free_port


def free_port_pair() -> int:
    """A port p with p, p + 1 and p + 3 free (the demo's yonhap, dmr and yonhap_ko; p + 2 is the
    faults outlet's place, which the demo does not start)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < 65532:
            try:
                for other in (port + 1, port + 3):
                    with socket.socket() as s:
                        s.bind(("127.0.0.1", other))
            except OSError:
                continue
            return port
    raise RuntimeError("no free ports p, p + 1 and p + 3")


def demo(cwd, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policywatch.demo", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=900,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "POLICYWATCH_LOCK_DIR": LOCK_DIR})


def stats(cwd, index: str) -> dict:
    r = subprocess.run([sys.executable, "-m", "policywatch.cli", "stats", "--index", index], cwd=cwd,
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    return json.loads(r.stdout)


def test_the_demo_run_twice_holds_the_same_articles_and_no_test_page(tmp_path):
    from newsroom import corpus
    port, index = free_port_pair(), f"sqlite:///{tmp_path}/demo.db"
    first = demo(tmp_path, "--index", index, "--port", str(port))
    assert first.returncode == 0, first.stderr[-2000:]
    count = stats(tmp_path, index)["articles"]
    assert count == len(corpus.articles()) + len(corpus.articles("yonhap_ko"))    # English + Korean outlets
    titles = [json.loads(line)["title"] for line in subprocess.run(
        [sys.executable, "-m", "policywatch.cli", "export", "--index", index, "--format", "jsonl"], cwd=tmp_path,
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True).stdout.splitlines()]
    assert "__pwned" not in first.stdout and not any("__pwned" in t for t in titles)
    assert "South Korea Makes Possessing Or Watching Sexual Deepfakes A Crime" in titles   # the demo's own title
    # it ends with the digest an alert on Telegram would send: coverage first, Korean items too
    digest = first.stdout[first.stdout.index("$ policywatch alert preview"):]
    assert "Coverage: 3 of 3 source(s) crawled" in digest and "· ko" in digest
    assert "in PolicyWatch: http://127.0.0.1:8000/articles/" in digest
    second = demo(tmp_path, "--index", index, "--port", str(port))
    assert second.returncode == 0, second.stderr[-2000:]
    assert stats(tmp_path, index)["articles"] == count


def test_a_taken_port_is_one_clear_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = demo(tmp_path, "--index", f"sqlite:///{tmp_path}/demo.db", "--port", str(port))
    assert r.returncode == 1
    assert r.stderr.startswith(f"demo: cannot start the sample newsroom: cannot serve yonhap on 127.0.0.1:{port}")
    assert "DEMO_PORT" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def cli(cwd, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policywatch.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "POLICYWATCH_LOCK_DIR": LOCK_DIR},
                          check=check, timeout=300)


def shown_block(text: str, after: str) -> list[str]:
    """The lines of the first ``` block after the sentence `after` (a worked example's output)."""
    rest = text[text.index(after):]
    block = rest.split("```", 2)[1]
    return [line for line in block.splitlines()[1:] if line.strip()]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """One `make demo` into an index of the test's own (its newsroom stopped afterwards, as for a user)."""
    tmp = tmp_path_factory.mktemp("demo")
    port, index = free_port_pair(), f"sqlite:///{tmp}/demo.db"
    result = demo(tmp, "--index", index, "--port", str(port))
    assert result.returncode == 0, result.stderr[-2000:]
    return tmp, index, result


def test_the_demo_echoes_commands_that_paste_into_a_shell(demo_run):
    tmp, index, result = demo_run
    echoed = [line[2:] for line in result.stdout.splitlines() if line.startswith("$ policywatch ")]
    assert "$ policywatch search 'telegram AND (deepfake OR deepfakes)'" in result.stdout
    assert """$ policywatch search 'entity:"Pavel Durov" action:arrest'""" in result.stdout
    for line in echoed:
        args = shlex.split(line)[1:]             # what a shell makes of the pasted line
        if args[0] != "crawl":                   # the newsroom is gone; the rest reads the index
            cli(tmp, *args)


def test_after_the_demo_commands_use_the_demo_sources(demo_run):
    tmp, index, _ = demo_run
    status = cli(tmp, "status", "--index", index)
    assert [line.split()[0] for line in status.stdout.splitlines()[1:]] == ["yonhap", "dmr", "yonhap_ko"]
    assert "never crawled" not in status.stdout and "demo-sources.yaml" in status.stderr
    korean = json.loads(cli(tmp, "search", "collection:korea lang:ko", "--index", index, "--format", "json").stdout)
    assert korean and {h["source"] for h in korean} == {"yonhap_ko"}      # the Korean press is in korea
    unknown = cli(tmp, "search", "collection:eu", "--index", index, check=False)
    assert unknown.returncode == 2 and "known: korea, tech, wire" in unknown.stderr


def test_the_readme_trend_example_prints_what_the_readme_shows(demo_run):
    tmp, index, _ = demo_run
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = shown_block(readme, "prints (rows cut):")
    out = cli(tmp, "trend", "deepfake* action:legislation collection:korea", "deepfake* action:legislation collection:tech",
              "--from", "2024-06-01", "--to", "2024-12-31", "--index", index).stdout.splitlines()
    rows = iter(out)
    for line in shown:
        if line != "…":
            assert line in rows, (line, out)      # each shown row, in the order shown


def test_the_web_collection_menu_lists_the_demo_collections(demo_run):
    import time
    import urllib.request
    tmp, index, _ = demo_run
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "policywatch.cli", "serve", "--index", index, "--port", str(port),
                               "--state", str(tmp / "web.db")], cwd=tmp, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    page = r.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(10)
    menu = page.split('id="f-collection"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([^"]+)"', menu) == ["korea", "tech", "wire"]


def test_the_readme_tour_runs_on_the_demo(demo_run):
    """Every `policywatch …` line of the README's code blocks, in order, against the demo index
    (the README's default): each answers, with something to show."""
    tmp, index, _ = demo_run
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("```")[1::2]
    commands = [line.strip() for block in blocks for line in block.splitlines()
                if line.strip().startswith("policywatch ") and "--help" not in line]
    assert len(commands) >= 5, commands
    for command in commands:
        args = shlex.split(command)[1:]
        r = subprocess.run([sys.executable, "-m", "policywatch.cli", *args], cwd=tmp, capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "POLICYWATCH_INDEX": index}, timeout=300)
        assert r.returncode == 0 and "Traceback" not in r.stderr, (command, r.stderr)
        assert r.stdout.strip() or "wrote " in r.stderr, (command, r.stderr)          # never silently empty
        assert "note:" not in r.stderr or "sources this index was built from" in r.stderr, (command, r.stderr)
