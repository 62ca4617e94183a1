"""`make test` stops what it started (scripts/test-run): a node kind the run started is stopped when
the tests end, a node that answered before is left running, and pytest's exit code is kept.
Real servers stand in for the search nodes (python -m http.server), started and stopped by the
script through the same "start | stop | url" lines as Elasticsearch."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT, free_port


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
            return True
    except OSError:
        return False


def wait_for(port: int, up: bool) -> bool:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if answers(port) == up:
            return True
        time.sleep(0.2)
    return False


def node_line(port: int, pidfile) -> str:
    start = (f"({sys.executable} -m http.server {port} --bind 127.0.0.1 >/dev/null 2>&1 & echo $! > {pidfile}); "
             f"for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:{port}/ && break; sleep 0.1; done")
    stop = f"kill $(cat {pidfile})"
    return f"{start} | {stop} | http://127.0.0.1:{port}/"


def test_the_run_stops_the_nodes_it_started_and_keeps_the_users_and_the_exit_code(tmp_path):
    mine, users = free_port(), free_port()
    user_node = subprocess.Popen([sys.executable, "-m", "http.server", str(users), "--bind", "127.0.0.1"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(users, True)
        lines = "\n".join([node_line(mine, tmp_path / "mine.pid"), node_line(users, tmp_path / "users.pid")])
        # the "tests": check the started node answers while they run, then fail with exit code 3
        run = subprocess.run(["bash", "scripts/test-run", "sh", "-c", f"curl -sf -o /dev/null http://127.0.0.1:{mine}/ "
                              "&& exit 3 || exit 9"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                             env={**os.environ, "TEST_RUN_NODES": lines})
        assert run.returncode == 3, run.stderr
        assert wait_for(mine, False), "the node the run started is still running"
        assert answers(users) and user_node.poll() is None, "the user's node was stopped"
        assert "was already running: left as it is" in run.stderr
    finally:
        user_node.terminate()
        user_node.wait(10)


def test_make_test_goes_through_the_wrapper():
    r = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "scripts/test-run" in r.stdout and "es-cluster\n" not in r.stdout
