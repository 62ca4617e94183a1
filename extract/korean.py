"""Korean pages: what the generic extraction (extract/article.py) leaves for Korean outlets.

- The wire lead `(서울=연합뉴스) 홍길동 기자 =` (also `[세종=뉴시스]홍길동 기자 =`, several
  reporters, 특파원) opens the first paragraph: it is not body text, and its reporters become
  the authors.
- Boilerplate inside the article container: reporter e-mail lines (`홍길동 기자 gildong@yna.co.kr`),
  copyright lines (`<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>`,
  `ⓒ 한겨레신문사 : 무단전재 및 재배포 금지`), related-article boxes (`관련 기사`, `▶ …`,
  `☞ …`), photo credits (`[연합뉴스 자료사진]`, `[… 제공. 재판매 및 DB 금지]`) and `(끝)`.
- Korean date forms — `2024-09-02 10:30`, `입력 2024.09.02. 오전 10:30`, `2024년 9월 2일
  오후 3시 5분` — in the outlet's zone, Asia/Seoul unless the source says otherwise; a
  labelled date (입력, 송고, 등록, 기사입력) wins over an unlabelled one.
- Language: Hangul-majority text is Korean when the page does not say.
"""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo


SEOUL = ZoneInfo("Asia/Seoul")
_NAME = r"[\uac00-\ud7a3]{2,4}"
_LEAD = re.compile(
    r"^\s*[(\[]\s*[^()\[\]=]{1,20}=\s*[^()\[\]]{1,20}[)\]]\s*"              # (서울=연합뉴스)
    rf"(?P<names>{_NAME}(?:\s*[,·]?\s*{_NAME})*)?\s*"                        # 홍길동 / 홍길동 김철수
    r"(?:기자|특파원|통신원|선임기자|객원기자)?\s*=\s*")                        # 기자 =
_TITLES = frozenset({"기자", "특파원", "통신원", "선임기자", "객원기자"})
_COPYRIGHT = re.compile(r"^[<\[(]?\s*(?:저작권자|ⓒ|©|\(c\)|copyright)[^\n]{0,120}$", re.IGNORECASE)
_NO_REUSE = re.compile(r"무단\s*전재|재배포\s*금지|AI\s*학습")
# A closing line of reporters and their addresses, one or several: "홍길동 기자 gildong@yna.co.kr",
# "김원진 기자 onejin@kyunghyang.com, 이홍근 기자 redroot@kyunghyang.com", "서울=홍길동 기자
# gildong@donga.com·김철수 기자 cs@donga.com", "gildong@hani.co.kr / cs@hani.co.kr".
_REPORTER_EMAIL = (rf"(?:(?:[\uac00-\ud7a3]{{1,10}}=)?(?:{_NAME}\s*[·,]?\s*)*(?:기자|특파원|선임기자|객원기자|통신원|인턴기자)?"
                   r"\s*[:=]?\s*)?[\w.+-]+@[\w-]+\.[\w.-]*\w")
_EMAIL_LINE = re.compile(rf"^{_REPORTER_EMAIL}(?:\s*[,·/|]?\s*{_REPORTER_EMAIL})*\s*\.?$")
_BYLINE_ONLY = re.compile(rf"^{_NAME}\s*(?:기자|특파원)$")
_RELATED = re.compile(r"^(?:\[?\s*관련\s*기사\s*\]?|▶|☞|■\s*관련|※\s*관련|\[관련|제보는|<관련)")
_PHOTO = re.compile(r"\[[^\[\]]{0,40}(?:자료\s*사진|사진|제공|DB\s*금지)[^\[\]]{0,40}\]\s*$")
_END = re.compile(r"^\(끝\)$")
# a line that is only a date stamp: 송고시간2024-09-02 10:30, 입력 2024.09.02. 오전 10:30 수정 …
_DATE_LINE = re.compile(r"^(?:(?:송고시간|송고|입력|수정|기사입력|최종수정|등록|업데이트)\s*:?\s*"
                        r"[\d.\-/:\s년월일시분()오전후]+)+$|^[\d\s.\-/:년월일시분오전후]{8,}$")

_DATE = re.compile(
    r"(?P<label>입력|송고|등록|기사입력|작성|발행)?\s*:?\s*"
    r"(?P<y>20\d\d)\s*(?:[.\-/]|년)\s*(?P<mo>\d{1,2})\s*(?:[.\-/]|월)\s*(?P<d>\d{1,2})\s*(?:일|\.)?\s*"
    r"(?:\([월화수목금토일]\)\s*)?"
    r"(?:(?P<ampm>오전|오후)\s*)?(?:(?P<h>\d{1,2})\s*(?::|시)\s*(?:(?P<mi>\d{1,2})\s*분?)?)?")


def is_korean(language: str | None, body: list[str]) -> bool:
    if language:
        return language.lower().startswith("ko")
    return is_korean_text(" ".join(body[:5]))


_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def is_korean_text(text: str) -> bool:
    """True when Hangul makes up at least a third of the letters of `text` (its first 2,000
    characters): how an article is recognised as Korean when nothing says its language."""
    sample = text[:2000]
    letters = sum(ch.isalpha() for ch in sample)
    return letters > 0 and len(_HANGUL.findall(sample)) * 3 >= letters


def lead_reporters(paragraph: str) -> tuple[str, list[str]]:
    """(the paragraph without its wire lead, the reporters the lead names)."""
    m = _LEAD.match(paragraph)
    if not m:
        return paragraph, []
    names = [n for n in re.findall(_NAME, m.group("names") or "") if n not in _TITLES]
    return paragraph[m.end():].strip(), names


def is_boilerplate(line: str) -> bool:
    line = line.strip()
    if _END.match(line) or _DATE_LINE.match(line) or _EMAIL_LINE.match(line) or _BYLINE_ONLY.match(line) or _RELATED.match(line):
        return True
    if len(line) < 200 and (_COPYRIGHT.match(line) or _NO_REUSE.search(line)):
        return True
    return len(line) < 300 and bool(_PHOTO.search(line))


def clean_body(body: list[str]) -> tuple[list[str], list[str]]:
    """(body without Korean boilerplate and wire lead, the lead's reporters)."""
    kept, reporters = [], []
    for paragraph in body:
        if is_boilerplate(paragraph):
            continue
        if not reporters and len(kept) < 2:      # the lead opens the story (a stray line may precede it)
            paragraph, reporters = lead_reporters(paragraph)
            if not paragraph:
                continue
        kept.append(paragraph)
    return kept, reporters


def clean_author(name: str) -> str:
    """"홍길동 기자" -> "홍길동"; e-mail addresses go."""
    name = re.sub(r"[\w.+-]+@[\w-]+\.[\w.-]+", "", name)
    return re.sub(r"\s*(?:기자|특파원|통신원|선임기자)\s*$", "", name.strip()).strip()


def date(texts: list[str], tz=None) -> str | None:
    """The first labelled Korean date in `texts`, else the first unlabelled one with a time, else
    the first date at all — as ISO 8601 in the outlet's zone (Asia/Seoul by default)."""
    tz = tz or SEOUL
    labelled = timed = any_date = None
    for text in texts:
        for m in _DATE.finditer(text):
            moment = _moment(m, tz)
            if moment is None:
                continue
            if m.group("label") and labelled is None:
                labelled = moment
            if m.group("h") and timed is None:
                timed = moment
            if any_date is None:
                any_date = moment
        if labelled:
            break
    best = labelled or timed or any_date
    return best.isoformat() if best else None


def _moment(m: re.Match, tz) -> datetime | None:
    hour = int(m.group("h") or 0)
    if m.group("ampm") == "오후" and hour < 12:
        hour += 12
    elif m.group("ampm") == "오전" and hour == 12:
        hour = 0
    try:
        return datetime(int(m.group("y")), int(m.group("mo")), int(m.group("d")), hour, int(m.group("mi") or 0),
                        tzinfo=tz)
    except ValueError:
        return None


def refine(result, tree, tz=None) -> None:
    """Apply the Korean rules to an extracted article (extract.article.Extracted), in place."""
    if not is_korean(result.language, result.body):
        return
    result.language = "ko"
    result.body, reporters = clean_body(result.body)
    authors = reporters or [clean_author(a) for a in result.authors]
    result.authors = [a for a in dict.fromkeys(authors) if a]
    if result.published_from in ("none", "url", "text", "headline", "htmldate"):   # no structured date
        texts = [t for t in tree.xpath('//*[contains(@class,"date") or contains(@class,"time") or '
                                       'contains(@class,"info") or contains(@class,"byline")]//text()') if t.strip()]
        found = date(texts[:40], tz) or date([t for t in tree.xpath("//body//text()")[:400] if t.strip()], tz)
        if found:
            result.published, result.published_from = found, "text"
