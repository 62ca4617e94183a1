"""Alerts (issue 24) against real servers: an SMTP server (aiosmtpd) and a webhook receiver on
local ports, the real `policywatch alert` command, over SQLite and Elasticsearch alike."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from common.dates import parse_iso
from index import ActionRef, Article, EntityRef, content_hash, open_index
from tests.alert_servers import SMTPServer, Webhook
from tests.conftest import LOCK_DIR, ROOT, run_cli

SECRET = "S3cret-pw-4711"


@pytest.fixture
def webhook():
    hook = Webhook()
    yield hook
    hook.stop()


@pytest.fixture
def smtp():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def config(tmp_path):
    """A user config file: no settle time (the tests write, then run at once), the UI's address."""
    path = tmp_path / "config.yaml"
    path.write_text("alert_settle: 0\nbase_url: http://pw.example\n", encoding="utf-8")
    return {"POLICYWATCH_CONFIG": str(path)}


def article(n: int, title: str, body: str, *, language="en", published="2024-09-01T09:00:00+00:00",
            source="yonhap", entities=(), actions=()) -> Article:
    text = [body]
    return Article(id=f"art{n}", url=f"http://news.example/{source}/{n}", source=source, title=title, body=text,
                   published=published, language=language, fetched="2024-09-02T00:00:00Z",
                   content_hash=content_hash(title, text),
                   entities=[EntityRef(name, kind, 1, [sentence]) for name, kind, sentence in entities],
                   actions=[ActionRef(a, s) for a, s in actions])


def write(index_url: str, *articles: Article) -> None:
    ix = open_index(index_url, create=True)
    try:
        ix.write(list(articles))
        ix.refresh()
    finally:
        ix.close()
    # `indexed` and alert marks are whole seconds and a run takes what was indexed before the
    # current second: wait for the next one, or a fast machine's run finds "nothing new" yet
    time.sleep(1.05 - time.time() % 1)


TELEGRAM = ("Telegram", "PLATFORM", "Police asked Telegram to remove deepfake channels.")
FIRST = article(1, "Police open Telegram deepfake probe", "Police opened a probe into Telegram deepfake rooms.",
                entities=[TELEGRAM], actions=[("investigation", "Police opened a probe into Telegram.")])
LATE = article(2, "Telegram agrees to take down deepfakes", "Telegram agreed to take down deepfake videos.",
               published="2020-01-05T00:00:00+00:00", entities=[TELEGRAM])     # published long ago, crawled now
KOREAN = article(3, "경찰, 텔레그램 딥페이크 수사", "경찰이 텔레그램 딥페이크 수사에 착수했다.", language="ko",
                 source="yonhap_ko", entities=[("Telegram", "PLATFORM", "경찰이 텔레그램 딥페이크 수사에 착수했다.")])
OTHER = article(4, "Weather turns cold", "A cold front arrives on Monday.")


def alert(index_url, env, *args, check=True):
    return run_cli("alert", *args, "--index", index_url, env=env, check=check)


def test_an_alert_sends_only_what_is_new_to_smtp_and_webhook(index_url, config, webhook, smtp):
    write(index_url, FIRST)
    mail = f"mailto://127.0.0.1:{smtp.port}?mode=insecure&from=pw@example.org&to=desk@example.org"
    alert(index_url, config, "add", "tg", "--query", "telegram", "--to", webhook.url, "--to", mail)
    # FIRST was indexed before the alert: not new to it
    assert "nothing new" in alert(index_url, config, "run").stdout
    assert webhook.received == [] and smtp.messages == []
    write(index_url, LATE, OTHER)
    alert(index_url, config, "run")
    [payload] = webhook.payloads()
    assert [i["title"] for i in payload["items"]] == [LATE.title]          # late: published 2020, new to the alert
    assert payload["items"][0]["link"] == "http://pw.example/articles/art2"
    assert payload["coverage"]["sources"] >= 1
    [message] = smtp.messages
    assert "1 new story" in message["Subject"]
    assert message.get_content_type() == "multipart/alternative"
    kinds = {part.get_content_type(): part.get_content() for part in message.iter_parts()}
    assert LATE.title in kinds["text/html"] and LATE.title in kinds["text/plain"]
    assert "Coverage:" in kinds["text/plain"]
    # nothing new: nothing sent
    alert(index_url, config, "run")
    assert len(webhook.received) == 1 and len(smtp.messages) == 1


def test_a_channel_down_then_back_loses_nothing(index_url, config, webhook):
    write(index_url, OTHER)
    alert(index_url, config, "add", "tg", "--entity", "Telegram", "--to", webhook.url)
    write(index_url, FIRST)
    webhook.failing = True
    failed = alert(index_url, config, "run", check=False)
    assert failed.returncode == 1 and "failed" in failed.stdout
    shown = json.loads(alert(index_url, config, "show", "tg").stdout)
    assert shown["channels"][0]["failures"] == 1 and shown["channels"][0]["next"].startswith("retry after")
    status = run_cli("status", "--index", index_url, env=config)
    assert "alert tg: 1 channel(s) failing" in status.stderr
    # backing off: a due run now skips it
    assert "not due" in alert(index_url, config, "run", "--due").stdout
    write(index_url, KOREAN)
    webhook.failing = False
    later = "2099-01-01T00:00:00Z"
    alert(index_url, config, "run", "--due", "--now", later)
    [payload] = webhook.payloads()
    assert sorted(i["title"] for i in payload["items"]) == sorted([FIRST.title, KOREAN.title])   # both languages
    assert json.loads(alert(index_url, config, "show", "tg").stdout)["channels"][0]["failures"] == 0


def test_a_run_killed_between_send_and_mark_repeats_the_message_never_skips_it(index_url, config, webhook):
    alert_env = config
    write(index_url, OTHER)
    alert(index_url, alert_env, "add", "tg", "--query", "telegram", "--to", webhook.url)
    write(index_url, FIRST)
    killed = subprocess.run([sys.executable, "-m", "tests.alert_crash", "alert", "run", "--index", index_url],
                            cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "POLICYWATCH_LOCK_DIR": LOCK_DIR, **alert_env})
    assert killed.returncode == 70, killed.stderr
    assert len(webhook.received) == 1
    # the mark did not move: the message is sent again (on Elasticsearch once the dead run's
    # lease has expired: until then a run says another one holds it and sends nothing)
    deadline = time.monotonic() + 90
    while len(webhook.received) < 2 and time.monotonic() < deadline:
        if "another process" in alert(index_url, alert_env, "run").stderr:
            time.sleep(5)
    assert [p["items"][0]["title"] for p in webhook.payloads()] == [FIRST.title, FIRST.title]
    alert(index_url, alert_env, "run")
    assert len(webhook.received) == 2


def test_a_daily_digest_is_due_at_its_local_time(index_url, config, webhook):
    write(index_url, OTHER)
    alert(index_url, config, "add", "morning", "--query", "telegram", "--every", "daily", "--at", "08:00",
          "--tz", "Asia/Seoul", "--to", webhook.url)
    write(index_url, FIRST)
    created = parse_iso(json.loads(alert(index_url, config, "show", "morning").stdout)["created"])
    # the first 08:00 in Seoul after the alert was made
    local = created.astimezone(ZoneInfo("Asia/Seoul"))
    next_eight = local.replace(hour=8, minute=0, second=0)
    next_eight += timedelta(days=1) if next_eight <= local else timedelta(0)
    before = (next_eight - timedelta(minutes=1)).astimezone(timezone.utc).isoformat()
    after = (next_eight + timedelta(minutes=1)).astimezone(timezone.utc).isoformat()
    assert "not due" in alert(index_url, config, "run", "--due", "--now", before).stdout
    assert webhook.received == []
    alert(index_url, config, "run", "--due", "--now", after)
    [payload] = webhook.payloads()
    assert payload["items"][0]["title"] == FIRST.title
    # the same slot again: not due; the next day's slot with nothing new: an empty digest says so
    assert "not due" in alert(index_url, config, "run", "--due", "--now", after).stdout
    next_day = (next_eight + timedelta(days=1, minutes=1)).astimezone(timezone.utc).isoformat()
    alert(index_url, config, "run", "--due", "--now", next_day)
    assert webhook.payloads()[-1]["items"] == [] and "nothing new" in webhook.payloads()[-1]["title"]


def test_slots_follow_the_alerts_time_zone():
    from alerts.model import Alert
    from alerts.timing import latest_slot, next_slot
    daily = Alert("d", every="daily", at="08:00", tz="Asia/Seoul")
    now = datetime(2024, 9, 2, 0, 30, tzinfo=timezone.utc)              # 09:30 in Seoul
    assert latest_slot(daily, now) == datetime(2024, 9, 1, 23, 0, tzinfo=timezone.utc)
    assert next_slot(daily, now) == datetime(2024, 9, 2, 23, 0, tzinfo=timezone.utc)
    weekly = Alert("w", every="weekly", at="08:00", tz="Asia/Seoul")
    assert latest_slot(weekly, now) == datetime(2024, 9, 1, 23, 0, tzinfo=timezone.utc)   # Monday 08:00 KST
    assert latest_slot(weekly, datetime(2024, 9, 1, 22, 0, tzinfo=timezone.utc)) == \
        datetime(2024, 8, 25, 23, 0, tzinfo=timezone.utc)


def test_secrets_are_never_shown(index_url, tmp_path, webhook):
    auth = SMTPServer(user="desk", password=SECRET).start()
    try:
        config = tmp_path / "config.yaml"
        config.write_text("alert_settle: 0\nchannels:\n  desk: mailto://desk:${SMTP_PASSWORD}@127.0.0.1:"
                          f"{auth.port}?mode=insecure&from=pw@example.org&to=desk@example.org\n", encoding="utf-8")
        env = {"POLICYWATCH_CONFIG": str(config), "SMTP_PASSWORD": SECRET}
        write(index_url, OTHER)
        alert(index_url, env, "add", "tg", "--query", "telegram", "--to", "desk",
              "--to", f"mailto://desk:{SECRET}@127.0.0.1:{auth.port}?mode=insecure&from=pw@example.org&to=b@example.org")
        write(index_url, FIRST)
        outputs = [alert(index_url, env, "list"), alert(index_url, env, "show", "tg"),
                   run_cli("-v", "alert", "run", "--index", index_url, env=env)]
        assert len(auth.messages) == 2 and auth.logins == ["desk", "desk"]
        auth.stop()                                         # down: the failure is logged and shown
        write(index_url, LATE)
        outputs.append(run_cli("-v", "alert", "run", "--index", index_url, env=env, check=False))
        outputs += [alert(index_url, env, "list"), run_cli("status", "--index", index_url, env=env)]
        assert outputs[-3].returncode == 1
        for out in outputs:
            assert SECRET not in out.stdout + out.stderr
        assert "****" in outputs[0].stdout
    finally:
        auth.stop()


def test_bad_channel_url_or_unknown_alert_is_one_line_and_exit_2(index_url, config):
    write(index_url, OTHER)
    bad = alert(index_url, config, "add", "x", "--query", "telegram", "--to", f"nosuch://user:{SECRET}@host",
                check=False)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "bad channel URL" in bad.stderr and SECRET not in bad.stderr
    missing = alert(index_url, config, "add", "x", "--query", "telegram", "--to",
                    "mailtos://u:${NOT_SET_ANYWHERE}@mail.example.org", check=False)
    assert missing.returncode == 2 and "NOT_SET_ANYWHERE" in missing.stderr
    for args in (("show", "nope"), ("remove", "nope"), ("test", "nope"), ("run", "nope")):
        out = alert(index_url, config, *args, check=False)
        assert out.returncode == 2 and out.stderr.strip() == "policywatch: no alert named 'nope' (see policywatch alert list)"


def test_alert_test_sends_a_sample_and_moves_no_mark(index_url, config, webhook):
    write(index_url, FIRST)
    alert(index_url, config, "add", "tg", "--query", "telegram", "--to", webhook.url)
    alert(index_url, config, "test", "tg")
    [payload] = webhook.payloads()
    assert "(test)" in payload["title"] and payload["items"][0]["title"] == FIRST.title
    alert(index_url, config, "run")
    assert len(webhook.received) == 1              # FIRST predates the alert: the test moved nothing
    alert(index_url, config, "remove", "tg")
    listed = alert(index_url, config, "list")
    assert "tg" not in listed.stdout and "no alert on" in listed.stderr      # an empty list says so
