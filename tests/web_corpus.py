"""A small, realistic corpus for the web tests, written into a real index through the index
interface. Mention counts and sentences are computed from the text, as the analyzer would."""
from __future__ import annotations

import hashlib
import re

from index import ActionRef, Article, EntityRef, content_hash, open_index

XSS_TITLE = "<script>window.__pwned=1</script>Deepfake bill"
XSS_ENTITY = 'Acme "<b>Media</b>" Group'
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“<])")

# (outlet, slug, published, title, paragraphs, entities [(name, type, [surface forms])], actions [(action, cue)])
ARTICLES = [
    ("yonhap", "police-telegram-probe", "2024-08-28T10:12:00+09:00",
     "Police launch probe into Telegram over deepfake sex crimes",
     ["SEOUL, Aug. 28 (Yonhap) -- The Korean National Police Agency said Wednesday it has opened an investigation "
      "into Telegram for allegedly abetting the spread of deepfake sexual images.",
      "The police agency said Telegram has not answered requests for account data in past cases. "
      "Investigators will ask French authorities for help, the KNPA said.",
      "South Korea has seen a surge of deepfake pornography shared in Telegram chat rooms."],
     [("Korean National Police Agency", "AGENCY", ["Korean National Police Agency", "KNPA"]),
      ("Telegram", "PLATFORM", ["Telegram"]), ("South Korea", "GPE", ["South Korea"]),
      ("France", "GPE", ["French"])],
     [("investigation", "opened an investigation")]),
    ("theregister", "durov-charged", "2024-08-29T09:30:00+00:00",
     "Telegram CEO Pavel Durov charged in France, barred from leaving",
     ["Pavel Durov, the founder of Telegram, has been charged by French magistrates and released on bail.",
      "The Paris prosecutor's office said Durov faces charges of complicity in the distribution of child sexual "
      "abuse material. He was arrested at Le Bourget airport on Saturday.",
      "Telegram said it abides by EU laws, including the Digital Services Act."],
     [("Pavel Durov", "PERSON", ["Pavel Durov", "Durov"]), ("Telegram", "PLATFORM", ["Telegram"]),
      ("Paris prosecutor's office", "AGENCY", ["Paris prosecutor's office"]), ("France", "GPE", ["French", "France"]),
      ("Digital Services Act", "LAW", ["Digital Services Act"])],
     [("prosecution", "has been charged"), ("arrest", "He was arrested")]),
    ("koreaherald", "kcsc-telegram-hotline", "2024-09-03T17:40:00+09:00",
     "Regulator sets up hotline with Telegram to remove deepfakes",
     ["The Korea Communications Standards Commission said Tuesday it has agreed with Telegram on a hotline "
      "to remove deepfake sexual content.",
      "Telegram removed 25 videos flagged by the KCSC and apologised for the delay, the commission said.",
      "The regulator asked platforms including KakaoTalk to take down such material within a day."],
     [("Korea Communications Standards Commission", "AGENCY", ["Korea Communications Standards Commission", "KCSC"]),
      ("Telegram", "PLATFORM", ["Telegram"]), ("KakaoTalk", "PLATFORM", ["KakaoTalk"])],
     [("cooperation", "agreed with Telegram on a hotline"), ("takedown", "removed 25 videos")]),
    ("yonhap", "telegram-ip-addresses", "2024-09-24T08:05:00+09:00",
     "Telegram to hand over IP addresses of rule breakers, Durov says",
     ["SEOUL, Sept. 24 (Yonhap) -- Telegram will disclose users' IP addresses and phone numbers in response to "
      "valid legal requests, Pavel Durov said.",
      "The Korean National Police Agency welcomed the change and said it would resume its requests."],
     [("Telegram", "PLATFORM", ["Telegram"]), ("Pavel Durov", "PERSON", ["Pavel Durov"]),
      ("Korean National Police Agency", "AGENCY", ["Korean National Police Agency"])],
     [("cooperation", "will disclose users' IP addresses")]),
    ("koreaherald", "deepfake-possession-bill", "2024-09-26T15:20:00+09:00",
     "National Assembly passes bill punishing possession of deepfake porn",
     ["The National Assembly on Thursday passed a bill that makes possessing or viewing deepfake sexual "
      "material punishable by up to three years in prison.",
      "Lawmakers said the bill responds to deepfakes spread on Telegram."],
     [("National Assembly", "AGENCY", ["National Assembly"]), ("Telegram", "PLATFORM", ["Telegram"])],
     [("legislation", "passed a bill")]),
    ("theregister", "xss-title", "2024-09-20T12:00:00+00:00", XSS_TITLE,
     ["A headline with markup <img src=x onerror=\"window.__pwned=2\"> must show as text.",
      f"The {XSS_ENTITY} lobbied the National Assembly over the deepfake bill."],
     [("National Assembly", "AGENCY", ["National Assembly"]), (XSS_ENTITY, "ORG", [XSS_ENTITY])],
     [("legislation", "lobbied the National Assembly")]),
    ("yonhap", "deepfake-arrests", "2024-10-02T11:00:00+09:00",
     "Police arrest 387 suspects in deepfake sex crime crackdown",
     ["SEOUL, Oct. 2 (Yonhap) -- The Korean National Police Agency said it has arrested 387 people over "
      "deepfake sex crimes since late August.",
      "Most of the material was traded on Telegram, police said, while some was shared on X."],
     [("Korean National Police Agency", "AGENCY", ["Korean National Police Agency"]),
      ("Telegram", "PLATFORM", ["Telegram"]), ("X", "PLATFORM", ["X"])],
     [("arrest", "arrested 387 people")]),
    ("koreaherald", "pipc-meta-fine", "2024-11-05T14:00:00+09:00",
     "Privacy watchdog fines Meta 21.6 billion won over sensitive data",
     ["The Personal Information Protection Commission fined Meta 21.6 billion won for collecting sensitive "
      "information of Facebook users without consent.",
      "Meta said it would review the decision."],
     [("Personal Information Protection Commission", "AGENCY", ["Personal Information Protection Commission"]),
      ("Meta", "ORG", ["Meta"]), ("Facebook", "PLATFORM", ["Facebook"])],
     [("penalty", "fined Meta")]),
    ("theregister", "durov-french-court", "2024-12-06T10:00:00+00:00",
     "Durov questioned again by French judges",
     ["Pavel Durov appeared before investigating judges in Paris for a second hearing.",
      "Telegram said its moderation has improved."],
     [("Pavel Durov", "PERSON", ["Pavel Durov"]), ("Telegram", "PLATFORM", ["Telegram"])],
     [("court", "appeared before investigating judges")]),
]


def _sentences(paragraphs: list[str]) -> list[str]:
    return [s for p in paragraphs for s in _SENTENCE.split(p)]


def _count(forms: list[str], sentence: str) -> int:
    """Occurrences of any form, the longest first so "Pavel Durov" is not also counted as "Durov"."""
    n = 0
    for form in sorted(forms, key=len, reverse=True):
        pattern = r"(?<!\w)" + re.escape(form) + r"(?!\w)"
        n += len(re.findall(pattern, sentence))
        sentence = re.sub(pattern, "\x00", sentence)
    return n


def build_articles() -> list[Article]:
    articles = []
    for outlet, slug, published, title, paragraphs, entities, actions in ARTICLES:
        url = f"https://{outlet}.example/news/{slug}"
        sentences = _sentences(paragraphs)
        refs = []
        for name, type_, forms in entities:
            mentioned = [s for s in sentences for _ in range(_count(forms, s))]
            refs.append(EntityRef(name, type_, max(len(mentioned), 1), mentioned))
        acts = [ActionRef(action, next(s for s in sentences if cue in s)) for action, cue in actions]
        articles.append(Article(
            id=hashlib.sha256(url.encode()).hexdigest()[:20], url=url, source=outlet, title=title, body=paragraphs,
            published=published, authors=["Staff reporter"], language="en", section="National",
            fetched="2024-12-07T00:00:00Z", content_hash=content_hash(title, paragraphs), entities=refs,
            actions=acts))
    return articles


def write_index(url: str, articles: list[Article] | None = None) -> list[Article]:
    articles = build_articles() if articles is None else articles
    index = open_index(url)
    try:
        result = index.write(articles)
        assert not result.failed, result.failed
    finally:
        index.close()
    return articles


def expected_counts(entity: str) -> dict[str, int]:
    """Articles per month naming the entity, counted here independently of the index."""
    counts: dict[str, int] = {}
    for a in build_articles():
        if any(e.name == entity for e in a.entities):
            month = a.published[:7] + "-01"
            counts[month] = counts.get(month, 0) + 1
    return counts


# One Yonhap story carried by two more outlets (a syndicated wire copy): one story, three articles.
WIRE = ("SEOUL, Sept. 5 (Yonhap) -- The government announced plans on Thursday to introduce stricter laws that "
        "would criminalize the purchase or viewing of sexually exploitative deepfakes, as police said reports of "
        "deepfake sex crimes had more than doubled this year. The justice ministry said the bill would be sent to "
        "the National Assembly this month, and that platforms such as Telegram would be asked to remove such "
        "material within a day of a request from the regulator.")
SYNDICATED = [("yonhap", "2024-09-05T10:00:00+09:00"), ("koreaherald", "2024-09-05T11:30:00+09:00"),
              ("theregister", "2024-09-05T06:00:00+00:00")]
# Collections for the web corpus's outlets, as a sources file would give them.
SOURCES_YAML = """sources:
  - name: yonhap
    feeds: [https://yonhap.example/rss.xml]
    collections: [korea, wire]
  - name: koreaherald
    feeds: [https://koreaherald.example/rss.xml]
    collections: [korea]
  - name: theregister
    feeds: [https://theregister.example/rss.xml]
    collections: [uk, europe]
"""


def syndicated_articles() -> list[Article]:
    title = "Government to criminalise viewing of sexually exploitative deepfakes"
    out = []
    for outlet, published in SYNDICATED:
        url = f"https://{outlet}.example/news/deepfake-viewing-law"
        out.append(Article(
            id=hashlib.sha256(url.encode()).hexdigest()[:20], url=url, source=outlet, title=title, body=[WIRE],
            published=published, authors=["Yonhap"], language="en", section="National",
            fetched=f"2024-09-05T0{len(out) + 2}:00:00Z", content_hash=content_hash(title, [WIRE]),
            entities=[EntityRef("Telegram", "PLATFORM", 1, [WIRE])],
            actions=[ActionRef("legislation", WIRE.split(" -- ")[1].split(", as police")[0])]))
    return out
