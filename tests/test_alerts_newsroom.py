"""Issue 24's "done when": on a fresh index, an alert added after a first crawl of the sample
newsroom delivers to a real SMTP server and a webhook receiver once `policywatch schedule` has
crawled the rest, and a second run with nothing new sends nothing — on SQLite and Elasticsearch."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.alert_servers import SMTPServer, Webhook
from tests.conftest import FAST_CRAWL, LOCK_DIR, ROOT, run_cli


def test_a_scheduled_crawl_delivers_the_alert_then_nothing_new_sends_nothing(index_url, tmp_path):
    from newsroom import sources_yaml, start
    newsroom = start(outlets=("yonhap", "dmr", "yonhap_ko"), test_pages=False)
    smtp, hook = SMTPServer().start(), Webhook()
    try:
        sources = tmp_path / "sources.yaml"
        sources.write_text(sources_yaml(newsroom.urls), encoding="utf-8")
        config = tmp_path / "config.yaml"
        config.write_text("alert_settle: 0\nbase_url: http://127.0.0.1:8000\n", encoding="utf-8")
        env = {"POLICYWATCH_CONFIG": str(config)}
        common = ("--index", index_url, "--sources", str(sources))
        run_cli("crawl", "--source", "yonhap", *common, *FAST_CRAWL, env=env)
        mail = f"mailto://127.0.0.1:{smtp.port}?mode=insecure&from=pw@example.org&to=desk@example.org"
        run_cli("alert", "add", "telegram", "--entity", "텔레그램", "--to", mail, "--to", hook.url, *common, env=env)
        scheduler = subprocess.Popen([sys.executable, "-m", "policywatch.cli", "schedule", "--tick", "1", *common,
                                      *FAST_CRAWL], cwd=ROOT, env={**os.environ, "POLICYWATCH_LOCK_DIR": LOCK_DIR, **env},
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 400
            while (not hook.received or not smtp.messages) and time.monotonic() < deadline:
                time.sleep(1)
        finally:
            scheduler.send_signal(signal.SIGTERM)
            scheduler.wait(timeout=300)
        [payload] = hook.payloads()
        assert payload["query"] == 'entity:"Telegram"'
        items = payload["items"]
        assert items and {i["source"] for i in items} <= {"dmr", "yonhap_ko"}      # yonhap was there before
        assert any(i["language"] == "ko" for i in items)                           # Korean articles linked to Telegram
        assert all(i["link"].startswith("http://127.0.0.1:8000/articles/") for i in items)
        assert "crawled" in payload["coverage"] and payload["coverage"]["sources"] == 3
        [message] = smtp.messages
        assert items[0]["title"] in message.get_body(("html",)).get_content()
        # nothing new since: nothing sent
        run_cli("alert", "run", *common, env=env)
        assert len(hook.received) == 1 and len(smtp.messages) == 1
    finally:
        hook.stop()
        smtp.stop()
        newsroom.stop()
