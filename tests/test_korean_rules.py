"""Korean rules one by one: the wire lead, boilerplate lines, date forms (extract/korean.py);
Hangul aliases with particles, unknown names typed by rule, actions and negation (nlp/korean.py)."""
from __future__ import annotations

import pytest

from extract import korean
from nlp import Gazetteer
from nlp.korean import KoreanAnalyzer, is_korean_text


@pytest.mark.parametrize("paragraph, body, reporters", [
    ("(서울=연합뉴스) 홍길동 기자 = 경찰이 수사에 착수했다.", "경찰이 수사에 착수했다.", ["홍길동"]),
    ("(부산=연합뉴스) 홍길동 김철수 기자 = 경찰이 밝혔다.", "경찰이 밝혔다.", ["홍길동", "김철수"]),
    ("(파리=연합뉴스) 홍길동 특파원 = 프랑스 검찰이 밝혔다.", "프랑스 검찰이 밝혔다.", ["홍길동"]),
    ("[세종=뉴시스]홍길동 기자 = 정부가 밝혔다.", "정부가 밝혔다.", ["홍길동"]),
    ("경찰이 (서울=연합뉴스) 를 인용했다.", "경찰이 (서울=연합뉴스) 를 인용했다.", []),
])
def test_wire_lead_is_not_body_and_names_the_authors(paragraph, body, reporters):
    assert korean.lead_reporters(paragraph) == (body, reporters)


@pytest.mark.parametrize("line", [
    "<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>", "ⓒ 한겨레신문사 : 무단전재 및 재배포 금지",
    "홍길동 기자 gildong@yna.co.kr", "gildong@hani.co.kr",
    # several reporters on the closing line (Hankyoreh, Kyunghyang, Dong-A, Yonhap)
    "김가윤 기자 gayoon@hani.co.kr 고나린 기자 me@hani.co.kr",
    "김원진 기자 onejin@kyunghyang.com, 이홍근 기자 redroot@kyunghyang.com",
    "서울=홍길동 기자 gildong@donga.com·김철수 기자 cs@donga.com",
    "홍길동 김철수 기자 gildong@yna.co.kr, cs@yna.co.kr",
    "gildong@hani.co.kr / cs@hani.co.kr", "▶ 관련 기사: 경찰, 텔레그램 수사", "관련 기사",
    "경찰청 전경 [연합뉴스 자료사진]", "(끝)", "송고시간2024-09-02 10:30", "입력 2024.09.02. 오전 10:30 수정 2024.09.02. 오후 1:05",
])
def test_boilerplate_lines(line):
    assert korean.is_boilerplate(line)


@pytest.mark.parametrize("line", ["경찰은 2일 텔레그램에 대한 수사에 착수했다고 밝혔다.",
                                  "경찰은 피해 사실을 tips@police.go.kr로 신고해 달라고 당부했다.",
                                  "관련 법 개정안은 2024년 9월 26일 국회를 통과했다."])
def test_story_lines_are_kept(line):
    assert not korean.is_boilerplate(line)


@pytest.mark.parametrize("texts, expected", [
    (["입력 2024.09.02. 오전 10:30 수정 2024.09.03. 오후 3:05"], "2024-09-02T10:30:00+09:00"),
    (["입력 2024.09.02. 오후 12:10"], "2024-09-02T12:10:00+09:00"),
    (["2024-09-02 10:30"], "2024-09-02T10:30:00+09:00"),
    (["2024년 9월 2일"], "2024-09-02T00:00:00+09:00"),
    (["기사입력 2024년 9월 2일 오후 3시 5분"], "2024-09-02T15:05:00+09:00"),
    (["2024.09.01 사진", "송고 2024-09-02 08:00"], "2024-09-02T08:00:00+09:00"),   # a labelled date wins
])
def test_korean_date_forms_in_seoul_time(texts, expected):
    assert korean.date(texts) == expected


def test_hangul_text_is_recognised_as_korean():
    assert is_korean_text("경찰청 국가수사본부가 텔레그램 법인에 대한 내사에 착수했다. Telegram")
    assert not is_korean_text("Police said 우종수 led the Telegram probe into sexually explicit deepfakes.")


@pytest.fixture(scope="module")
def analyzer():
    return KoreanAnalyzer(Gazetteer.load())


def names(analyzer, text):
    return {(e.name, e.type, e.mentions) for e in analyzer.analyze(text).entities}


def test_hangul_aliases_match_with_particles_attached(analyzer):
    found = names(analyzer, "텔레그램에 경찰청이 요청했다. 텔레그램에서는 답했다. 방송통신심의위원회는 밝혔다.")
    assert found == {("Telegram", "PLATFORM", 2), ("Korean National Police Agency", "AGENCY", 1),
                     ("Korea Communications Standards Commission", "AGENCY", 1)}


def test_a_name_inside_a_longer_word_is_not_the_name(analyzer):
    # 국회의원 is a lawmaker, 한국어 the language
    assert names(analyzer, "국회의원들은 반대했다. 한국어로 답했다.") == set()


@pytest.mark.parametrize("text, expected", [
    # Yonhap: the police chief named with his title links the agency he heads, and the person
    ("윤희근 경찰청장은 2일 정례 기자간담회에서 \"텔레그램 측과 협력하겠다\"고 말했다.",
     {("윤희근", "PERSON", 1), ("Korean National Police Agency", "AGENCY", 1), ("Telegram", "PLATFORM", 1)}),
    # Hankyoreh: 방송통신위원회 -> 방송통신위원장, and the short 방통위 -> 방통위원장
    ("국회는 이진숙 방송통신위원장 탄핵소추안을 가결했다. 방통위원장 직무는 정지됐다.",
     {("이진숙", "PERSON", 1), ("Korea Communications Commission", "AGENCY", 2), ("National Assembly", "AGENCY", 1)}),
    # Kyunghyang: the head of the National Office of Investigation
    ("우종수 국가수사본부장은 \"엄정 대응하겠다\"고 밝혔다.",
     {("Woo Jong-soo", "PERSON", 1), ("National Office of Investigation", "AGENCY", 1)}),
    # an agency the gazetteer does not know, named by its head's title
    ("홍길순 경기남부경찰청장은 브리핑했다.", {("홍길순", "PERSON", 1), ("경기남부경찰청", "AGENCY", 1)}),
])
def test_a_head_of_a_body_links_the_body(analyzer, text, expected):
    assert names(analyzer, text) == expected


@pytest.mark.parametrize("text, expected", [
    # Yonhap: the long name and its official short form in brackets are one law, the gazetteer's
    ("경찰은 정보통신망 이용촉진 및 정보보호 등에 관한 법률(정보통신망법) 위반 혐의로 A씨를 입건했다.",
     {("Network Act", "LAW", 1)}),
    ("아동·청소년의 성보호에 관한 법률(청소년성보호법) 개정안이 국회 본회의를 통과했다.",
     {("Act on the Protection of Children and Youth Against Sex Offenses", "LAW", 1), ("National Assembly", "AGENCY", 1)}),
    ("검찰은 성폭력범죄의 처벌 등에 관한 특례법(성폭력처벌법) 위반 혐의로 기소했다.",
     {("Act on Special Cases Concerning the Punishment of Sexual Crimes", "LAW", 1)}),
    # Dong-A: a law the gazetteer does not know keeps its short form as its name
    ("정부는 스토킹범죄의 처벌 등에 관한 법률(스토킹처벌법) 시행령을 고쳤다.", {("스토킹처벌법", "LAW", 1)}),
    # Kyunghyang: a short form on its own, and common words ending in 법 that are no law
    ("딥페이크처벌법이 시행됐지만 범행수법은 교묘해졌고 현행법으로는 처벌이 어렵다.", {("딥페이크처벌법", "LAW", 1)}),
])
def test_korean_law_names_are_laws(analyzer, text, expected):
    assert names(analyzer, text) == expected


def test_unknown_names_are_kept_only_when_a_rule_types_them(analyzer):
    found = names(analyzer, "경기남부경찰청은 대학생을 체포했다. 홍길순 경기남부경찰청장은 브리핑했다. "
                            "텔레그램은 연락처를 알려왔다. 정부는 요청했다. 피해자가 영상을 시청했다.")
    assert found == {("경기남부경찰청", "AGENCY", 2), ("홍길순", "PERSON", 1), ("Telegram", "PLATFORM", 1)}


def test_actions_with_their_sentences(analyzer):
    analysis = analyzer.analyze("경찰, 텔레그램 내사\n\n국가수사본부가 밝혔다. 경찰은 운영자를 검거했다. "
                                "방심위는 영상 25건의 삭제를 요청했다. 프랑스와 공조하겠다고 말했다.")
    actions = {a.action: a.sentence for a in analysis.actions}
    assert actions == {"investigation": "경찰, 텔레그램 내사", "arrest": "경찰은 운영자를 검거했다.",
                       "takedown": "방심위는 영상 25건의 삭제를 요청했다.", "cooperation": "프랑스와 공조하겠다고 말했다."}


def test_agency_names_and_negated_cues_trigger_no_action(analyzer):
    # 국가수사본부 names an agency (no 수사); "수사하지 않았다" and "삭제를 검토" are not actions taken
    analysis = analyzer.analyze("국가수사본부장이 취임했다. 경찰은 텔레그램을 수사하지 않았다. 방심위는 삭제를 검토하고 있다.")
    assert analysis.actions == []


def test_tables_align_korean_titles_by_terminal_columns():
    import io
    import unicodedata

    from core.output import write_table
    out = io.StringIO()
    write_table([{"title": "경찰, 텔레그램 내사 착수", "source": "yonhap_ko"},
                 {"title": "Police probe Telegram", "source": "yonhap"}], ["title", "source"], out)

    def column_of_source(line: str) -> int:
        head = line[:line.index("yonhap")]
        return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in head)
    rows = out.getvalue().splitlines()[1:]
    assert column_of_source(rows[0]) == column_of_source(rows[1])
