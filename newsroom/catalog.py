"""Each outlet's articles: the hand-written records turned into ``Article`` objects, plus
``scale`` synthetic ones, with the lookups listings, feeds and sitemaps need.

URL rules live here (not in the templates) so that ``newsroom.corpus`` can give tests the
ground truth without importing any HTML code."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from . import synthetic
from .content import dmr as dmr_content
from .content import faults as faults_content
from .content import yonhap as yonhap_content
from .content import yonhap_ko as yonhap_ko_content
from .model import Article, Stub, ap_date, parse_iso, slugify, texturize

OUTLETS = ("yonhap", "dmr", "faults", "yonhap_ko")
SECTIONS = {
    "yonhap": {"national": "National", "nk": "North Korea", "politics": "Politics", "economy": "Economy"},
    "dmr": {"tech": "Tech", "policy": "Policy", "social-media": "Social Media"},
    "faults": {"news": "News"},
    "yonhap_ko": {"society": "사회", "politics": "정치"},
}


def _dateline(city: str, day: str, text: str) -> str:
    return f"{city}, {day} (Yonhap) -- {text}"


def _yonhap(record: dict) -> Article:
    published = parse_iso(record["published"])
    paragraphs = list(record["paragraphs"])
    day = record.get("dateline_day") or ap_date(published)
    paragraphs[0] = _dateline(record.get("dateline", "SEOUL"), day, paragraphs[0])
    return Article(
        outlet="yonhap", key=record["id"], path=f"/view/{record['id']}", title=record["title"],
        section=record["section"], paragraphs=tuple(paragraphs), published=published,
        modified=parse_iso(record["modified"]) if record.get("modified") else None,
        authors=tuple(record["authors"]), image=record["image"], caption=record["caption"],
        tags=tuple(record.get("tags", ())), charset=record.get("charset", "utf-8"), attn=record.get("attn", ""))


def _yonhap_ko(record: dict) -> Article:
    """A Korean wire story: ``paragraphs`` are the clean body (the page adds the wire lead)."""
    published = parse_iso(record["published"])
    return Article(
        outlet="yonhap_ko", key=record["id"], path=f"/view/{record['id']}", title=record["title"],
        section=record["section"], paragraphs=tuple(record["paragraphs"]), published=published,
        authors=tuple(record["authors"]), language="ko", charset=record.get("charset", "utf-8"),
        image=f"/photo/yna/YH/{published:%Y/%m/%d}/PYH{record['id'][3:]}_P4.jpg",
        caption=f"({record['city']}=연합뉴스) {record['title']} {published:%Y.%m.%d} [연합뉴스 자료사진]")


def _dmr_path(published, slug: str) -> str:
    return f"/{published:%Y/%m/%d}/{slug}/"


def _dmr(record: dict) -> Article:
    published = parse_iso(record["published"])
    return Article(
        outlet="dmr", key=record["slug"], path=_dmr_path(published, record["slug"]),
        title=texturize(record["title"]), section=record["section"],
        paragraphs=tuple(texturize(p) for p in record["paragraphs"]), published=published,
        modified=parse_iso(record["modified"]) if record.get("modified") else None,
        authors=tuple(record["authors"]), image=record["image"], caption=record["credit"],
        tags=tuple(record.get("tags", ())), charset=record.get("charset", "utf-8"), post_id=record["post_id"])


def _faults(record: dict) -> Article:
    published = parse_iso(record["published"])
    return Article(
        outlet="faults", key=record["slug"], path=f"/news/{published:%Y/%m/%d}/{record['slug']}",
        title=record["title"], section="news", paragraphs=tuple(record["paragraphs"]), published=published,
        authors=tuple(record["authors"]), tags=tuple(record.get("tags", ())))


def demo_titles(outlet: str) -> dict[str, str]:
    """{path: title} for the articles whose real title is a test fixture (a <script> in a headline):
    what the demo shows instead, so a newcomer's first search is not a test page."""
    records = {"dmr": dmr_content.ARTICLES}.get(outlet, [])
    return {_dmr_path(parse_iso(r["published"]), r["slug"]): r["demo_title"] for r in records if "demo_title" in r}


@lru_cache(maxsize=None)
def handwritten(outlet: str) -> tuple[Article, ...]:
    """The hand-written articles of an outlet, newest first."""
    build, records = {"yonhap": (_yonhap, yonhap_content.ARTICLES), "dmr": (_dmr, dmr_content.ARTICLES),
                      "faults": (_faults, faults_content.ARTICLES),
                      "yonhap_ko": (_yonhap_ko, yonhap_ko_content.ARTICLES)}[outlet]
    return tuple(sorted((build(r) for r in records), key=lambda a: a.published, reverse=True))


def _stub(article: Article, index: int | None = None) -> Stub:
    lead = article.paragraphs[0].split(" -- ", 1)[-1] if article.outlet == "yonhap" else article.paragraphs[0]
    return Stub(article.path, article.title, article.section, article.published, article.modified, lead,
                article.authors, article.image, index)


class Catalog:
    """One outlet's articles. Synthetic articles are listed from cheap stubs; their full
    text is generated on request and kept in a small cache."""

    def __init__(self, outlet: str, scale: int = 0, test_pages: bool = True):
        """test_pages=False: the demo's newsroom, without the pages only tests need (demo_titles)."""
        if outlet not in OUTLETS:
            raise ValueError(f"unknown outlet {outlet!r}")
        self.outlet, self.scale = outlet, max(0, int(scale)) if outlet in ("yonhap", "dmr") else 0
        self.sections = SECTIONS[outlet]
        self._articles = {a.path: a for a in handwritten(outlet)}
        if not test_pages:
            for path, title in demo_titles(outlet).items():
                self._articles[path] = replace(self._articles[path], title=title)
        self._synthetic: dict[str, int] = {}
        stubs = [_stub(a) for a in self._articles.values()]
        used: set[str] = set(self._articles)
        for index in range(self.scale):
            title, section, published, lead, authors = synthetic.head(outlet, index)
            key, path, image = self._synthetic_address(index, title, published, used)
            used.add(path)
            self._synthetic[path] = index
            stubs.append(Stub(path, title, section, published, None, lead, authors, image, index, {"key": key}))
        self.stubs: list[Stub] = sorted(stubs, key=lambda s: s.published, reverse=True)
        self._by_path = {s.path: s for s in self.stubs}
        self._by_section: dict[str, list[Stub]] = {name: [] for name in self.sections}
        for stub in self.stubs:
            self._by_section.setdefault(stub.section, []).append(stub)
        self._position = {s.path: i for stubs in self._by_section.values() for i, s in enumerate(stubs)}
        self._full = lru_cache(maxsize=512)(self._generate)

    def _synthetic_address(self, index, title, published, used) -> tuple[str, str, str]:
        if self.outlet == "yonhap":
            ymd = f"{published:%Y%m%d}"
            key = f"AEN{ymd}{7000 + index // 366:04d}00315"
            image = f"/photo/yna/YH/{published:%Y/%m/%d}/PYH{ymd}{7000 + index // 366:04d}0001300_P4.jpg"
            return key, f"/view/{key}", image
        base = slugify(title, 70)
        key, n = base, 2
        while _dmr_path(published, key) in used:      # WordPress's own de-duplication: -2, -3, ...
            key, n = f"{base}-{n}", n + 1
        return key, _dmr_path(published, key), f"/wp-content/uploads/{published:%Y/%m}/{base[:40]}.jpg"

    def _generate(self, path: str) -> Article:
        stub = self._by_path[path]
        article = synthetic.make(self.outlet, stub.synthetic_index)
        paragraphs = list(article.paragraphs)
        extra = {}
        if self.outlet == "yonhap":
            city = {"eu": "BRUSSELS", "uk": "LONDON"}.get(article.tags[0], "SEOUL")
            paragraphs[0] = _dateline(city, ap_date(article.published), paragraphs[0])
            caption = "This file photo shows a smartphone screen displaying app icons. (Yonhap)"
        else:
            caption = "Featured Image courtesy of Unsplash"
            extra["post_id"] = 50000 + stub.synthetic_index
        return replace(article, key=stub.extra["key"], path=path, paragraphs=tuple(paragraphs),
                       image=stub.image, caption=caption, **extra)

    def article(self, path: str) -> Article | None:
        if path in self._articles:
            return self._articles[path]
        if path in self._synthetic:
            return self._full(path)
        return None

    def stub(self, path: str) -> Stub | None:
        return self._by_path.get(path)

    def in_section(self, section: str) -> list[Stub]:
        return self._by_section.get(section, [])

    def neighbours(self, path: str, section: str, count: int) -> list[Stub]:
        """Up to ``count`` stories of ``section`` published closest in time to ``path``
        (for "Related" boxes; O(count), since a crawl renders thousands of pages)."""
        stubs = self._by_section.get(section, [])
        here = self._position.get(path) if section == getattr(self.stub(path), "section", None) else None
        if here is None:
            return stubs[:count]
        out = []
        for step in range(1, len(stubs)):
            for i in (here - step, here + step):
                if 0 <= i < len(stubs) and len(out) < count:
                    out.append(stubs[i])
            if len(out) >= count or (here - step < 0 and here + step >= len(stubs)):
                break
        return out

    def articles(self, include_synthetic: bool = True) -> list[Article]:
        """Every article in full, newest first (generates the synthetic ones: for tests)."""
        return [self.article(s.path) for s in self.stubs
                if include_synthetic or s.synthetic_index is None]

    def months(self) -> list[tuple[str, list[Stub]]]:
        """[('2024-09', stubs), ...] newest month first, by the outlet's local date."""
        groups: dict[str, list[Stub]] = {}
        for stub in self.stubs:
            groups.setdefault(f"{stub.published:%Y-%m}", []).append(stub)
        return sorted(groups.items(), reverse=True)
