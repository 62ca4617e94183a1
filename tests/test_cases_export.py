"""Cases in exports (issue 26): `policywatch export` and the web API's /api/export give each
article's statements with their case ids, in JSON lines and CSV, over SQLite and Elasticsearch."""
from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient

from core.config import Config
from index import StatementRef
from index.cases import case_id
from tests.conftest import run_cli
from tests.test_alerts import article, write
from web.app import create_app

CHARGE = "French judges charged Telegram founder Pavel Durov on Wednesday."
DUROV = StatementRef(authority="Paris Judicial Court", role="court", country="FR", track="criminal",
                     action="prosecution", stage="charge", target="Pavel Durov", target_type="PERSON",
                     status="happened", when="on Wednesday", sentence=CHARGE, related=["Telegram"])
PLANNED = StatementRef(authority="Korean National Police Agency", role="police", country="KR", track="criminal",
                       action="investigation", stage="investigation", target="Telegram", target_type="PLATFORM",
                       status="planned", when=None, sentence="Korean police will investigate Telegram.")


def charged():
    a = article(1, "Durov charged in France", CHARGE + " Korean police will investigate Telegram.",
                actions=[("prosecution", CHARGE), ("investigation", PLANNED.sentence)])
    a.statements = [DUROV, PLANNED]
    return a


def expected_json():
    return [{"authority": "Paris Judicial Court", "action": "prosecution", "stage": "charge", "target": "Pavel Durov",
             "target_type": "PERSON", "status": "happened", "when": "on Wednesday", "sentence": CHARGE,
             "case": case_id(DUROV)},
            {"authority": "Korean National Police Agency", "action": "investigation", "stage": "investigation",
             "target": "Telegram", "target_type": "PLATFORM", "status": "planned", "when": None,
             "sentence": PLANNED.sentence, "case": case_id(PLANNED)}]


EXPECTED_CELL = (f"Paris Judicial Court: charge -> Pavel Durov [case {case_id(DUROV)}]; "
                 f"Korean National Police Agency: investigation (planned) -> Telegram [case {case_id(PLANNED)}]")


def test_the_cli_export_gives_statements_and_their_cases(index_url):
    write(index_url, charged(), article(2, "Weather", "A cold front arrives."))
    lines = run_cli("export", "durov", "--index", index_url).stdout.splitlines()
    [record] = [json.loads(line) for line in lines]
    assert record["statements"] == expected_json()
    [row] = csv.DictReader(io.StringIO(run_cli("export", "durov", "--format", "csv", "--index", index_url).stdout))
    assert row["statements"] == EXPECTED_CELL
    [weather] = csv.DictReader(io.StringIO(run_cli("export", "weather", "--format", "csv", "--index", index_url).stdout))
    assert weather["statements"] == ""


def test_the_web_api_export_gives_statements_and_their_cases(index_url, tmp_path):
    write(index_url, charged())
    with TestClient(create_app(Config(index_url=index_url), state=str(tmp_path / "web.db"))) as client:
        jsonl = client.get("/api/export", params={"q": "durov", "format": "jsonl"})
        assert [json.loads(line)["statements"] for line in jsonl.text.splitlines()] == [expected_json()]
        table = client.get("/api/export", params={"q": "durov", "format": "csv"})
        [row] = csv.DictReader(io.StringIO(table.text))
        assert row["statements"] == EXPECTED_CELL
