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
        time.sleep(1.05 - time.time() % 1)      # marks are whole seconds: the alert starts after yonhap's articles
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
        # the scheduler runs due alerts after each crawl: one digest or more, depending on when the
        # sources' crawls ended; a run of our own delivers whatever the stop cut short
        run_cli("alert", "run", *common, env=env)
        payloads = hook.payloads()
        assert payloads and all(p["query"] == 'entity:"Telegram"' for p in payloads)
        items = [i for p in payloads for i in p["items"]]
        assert items and {i["source"] for i in items} <= {"dmr", "yonhap_ko"}      # yonhap was there before
        assert len({i["link"] for i in items}) == len(items)                       # nothing sent twice
        assert any(i["language"] == "ko" for i in items)                           # Korean articles linked to Telegram
        assert all(i["link"].startswith("http://127.0.0.1:8000/articles/") for i in items)
        assert "crawled" in payloads[0]["coverage"] and payloads[0]["coverage"]["sources"] == 3
        assert len(smtp.messages) == len(payloads)
        assert payloads[0]["items"][0]["title"] in smtp.messages[0].get_body(("html",)).get_content()
        # nothing new since: nothing sent
        sent = (len(hook.received), len(smtp.messages))
        run_cli("alert", "run", *common, env=env)
        assert (len(hook.received), len(smtp.messages)) == sent
    finally:
        hook.stop()
        smtp.stop()
        newsroom.stop()
