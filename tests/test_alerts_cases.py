"""An alert that watches a case (issue 26): a new stage, or a new source reporting a stage, is
news; more of what was known is not. Real SMTP server and webhook receiver, the real `policywatch
alert` command, over SQLite and Elasticsearch alike."""
from __future__ import annotations

from index import StatementRef
from index.cases import case_id
from tests.test_alerts import SECRET, alert, article, config, smtp, webhook, write  # noqa: F401  (fixtures)


def statement(authority: str, role: str, action: str, stage: str, sentence: str, target="Telegram") -> StatementRef:
    return StatementRef(authority=authority, role=role, country="KR", track="criminal", action=action, stage=stage,
                        target=target, target_type="PLATFORM", status="happened", when=None, sentence=sentence)


PROBE = "South Korean police opened an investigation into Telegram."
PROBE_KO = "경찰이 텔레그램에 대한 내사에 착수했다."
CHARGE = "South Korean prosecutors charged Telegram with aiding the crimes."


def with_statements(n, title, source, *statements, language="en"):
    a = article(n, title, " ".join(s.sentence for s in statements), source=source, language=language,
                actions=[(s.action, s.sentence) for s in statements])
    a.statements = list(statements)
    return a


FIRST = with_statements(1, "Police open Telegram probe", "yonhap",
                        statement("Korean National Police Agency", "police", "investigation", "investigation", PROBE))
KOREAN = with_statements(2, "경찰, 텔레그램 내사 착수", "yonhap_ko",
                         statement("National Office of Investigation", "police", "investigation", "investigation",
                                   PROBE_KO), language="ko")
CHARGED = with_statements(3, "Prosecutors charge Telegram", "dmr",
                          statement("Supreme Prosecutors' Office", "prosecutor", "prosecution", "charge", CHARGE))
AGAIN = with_statements(4, "Telegram probe widens", "yonhap",          # the stage and source known already
                        statement("Korean National Police Agency", "police", "investigation", "investigation",
                                  "Police widened their investigation into Telegram."))
ELSEWHERE = with_statements(5, "Police probe Kakao", "dmr",             # another case
                            statement("Korean National Police Agency", "police", "investigation", "investigation",
                                      "Police opened an investigation into Kakao.", target="Kakao"))
CASE = case_id(FIRST.statements[0])


def test_a_case_alert_sends_new_stages_and_new_sources_only(index_url, config, webhook, smtp):  # noqa: F811
    assert case_id(KOREAN.statements[0]) == case_id(CHARGED.statements[0]) == CASE
    write(index_url, FIRST)
    mail = f"mailto://127.0.0.1:{smtp.port}?mode=insecure&from=pw@example.org&to=desk@example.org"
    alert(index_url, config, "add", "tg-case", "--case", CASE, "--to", webhook.url, "--to", mail)
    assert f"case:{CASE}" in alert(index_url, config, "list").stdout
    assert "nothing new" in alert(index_url, config, "run").stdout          # FIRST predates the alert
    write(index_url, AGAIN, ELSEWHERE)
    assert "nothing new" in alert(index_url, config, "run").stdout          # known stage, known source
    assert webhook.received == [] and smtp.messages == []
    write(index_url, KOREAN, CHARGED)
    alert(index_url, config, "run")
    [payload] = webhook.payloads()
    news = {(i["title"], i["actions"][0]["action"], i["actions"][0]["news"]) for i in payload["items"]}
    assert news == {(KOREAN.title, "investigation", "new source"), (CHARGED.title, "charge", "new stage")}
    assert payload["query"] == f"case:{CASE}" and payload["search_link"] == f"http://pw.example/cases/{CASE}"
    [message] = smtp.messages
    assert "2 new stories" in message["Subject"]
    plain = {p.get_content_type(): p.get_content() for p in message.iter_parts()}["text/plain"]
    assert "new stage charge (Supreme Prosecutors' Office): " + CHARGE in plain
    alert(index_url, config, "run")                                          # nothing new: nothing sent
    assert len(webhook.received) == 1 and len(smtp.messages) == 1


def test_an_unknown_case_is_one_line_and_exit_2(index_url, config, webhook):  # noqa: F811
    write(index_url, FIRST)
    out = alert(index_url, config, "add", "x", "--case", "0123456789ab", "--to", webhook.url, check=False)
    assert out.returncode == 2
    assert out.stderr.strip() == "policywatch: no case '0123456789ab' in the index (see policywatch cases)"
    both = alert(index_url, config, "add", "x", "--case", CASE, "--entity", "Telegram", "--to", webhook.url,
                 check=False)
    assert both.returncode == 2
