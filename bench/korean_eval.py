"""Korean figures: extraction of the sample newsroom's Korean pages (yonhap_ko, served over
real HTTP), entity and action precision/recall against their hand-written ground truth, and the
throughput of the Korean analyzers on one core (characters per second).

    python bench/korean_eval.py [--repeat 40]

The pages are modelled on Yonhap's Korean service: the wire lead, e-mail, copyright and
related-news lines, three date forms and one EUC-KR page (newsroom/content/yonhap_ko.py).
Five pages are few: the figures show the rules work on the habits they were written for, not
how they generalise.
"""
from __future__ import annotations

import argparse
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction_eval import body_scores, prf  # noqa: E402  (same scoring as the English figures)
from machine import cpu_model  # noqa: E402


def fetch_pages():
    from newsroom import corpus
    from newsroom.server import start
    newsroom = start(outlets=("yonhap_ko",))
    try:
        pages = []
        for t in corpus.articles("yonhap_ko", urls=newsroom.urls):
            with urllib.request.urlopen(t["url"]) as r:
                pages.append((t, r.read(), r.headers.get_content_charset()))
        return pages
    finally:
        newsroom.stop()


def extraction(pages) -> None:
    import trafilatura
    from extract.article import extract
    for name in ("policywatch", "trafilatura-bare"):
        overlap = n_pred = n_truth = 0
        titles = dates = authors = 0
        for t, body, charset in pages:
            if name == "policywatch":
                e = extract(body, t["url"], header_charset=charset)
                got_body, got_title, got_date, got_authors = e.body, e.title, e.published, e.authors
            else:
                doc = trafilatura.bare_extraction(body.decode(charset), url=t["url"], with_metadata=True)
                got_body = (doc.text or "").split("\n") if doc else []
                got_title, got_date = (doc.title, doc.date) if doc else (None, None)
                got_authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()] if doc else []
            o, p, g = body_scores(got_body, t["paragraphs"])
            overlap, n_pred, n_truth = overlap + o, n_pred + p, n_truth + g
            titles += got_title == t["title"]
            dates += (got_date or "") == t["published"]
            authors += list(got_authors) == list(t["authors"])
        precision, recall, f1 = prf(overlap, n_pred, n_truth)
        n = len(pages)
        print(f"extraction {name:17s} body P {precision:.3f} R {recall:.3f} F1 {f1:.3f}; titles {titles}/{n}, "
              f"dates to the minute with +09:00 {dates}/{n}, authors {authors}/{n}")


def nlp(pages, repeat: int) -> None:
    from newsroom.content import yonhap_ko
    from nlp import Gazetteer
    from nlp.korean import KoreanAnalyzer
    from index import korean as search
    truth = {r["id"]: r for r in yonhap_ko.ARTICLES}
    analyzer = KoreanAnalyzer(Gazetteer.load())
    texts = [(t, t["title"] + "\n\n" + "\n\n".join(t["paragraphs"])) for t, _, _ in pages]
    tp = fp = fn = atp = afp = afn = 0
    for t, text in texts:
        a = analyzer.analyze(text)
        got, want = {e.name for e in a.entities}, set(truth[t["key"]]["entities"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        got, want = {x.action for x in a.actions}, set(truth[t["key"]]["actions"])
        atp, afp, afn = atp + len(got & want), afp + len(got - want), afn + len(want - got)
    p, r, f = prf(tp, tp + fp, tp + fn)
    print(f"entities (canonical name), {len(texts)} articles: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    p, r, f = prf(atp, atp + afp, atp + afn)
    print(f"actions, same articles: P {p:.3f} R {r:.3f}")
    chars = sum(len(text) for _, text in texts) * repeat
    for label, run in (("entities + actions (nlp/korean.py)", analyzer.analyze),
                       ("search stems + compound pieces (index/korean.py)",
                        lambda s: search.compound_parts(search.analyze(s)))):
        run(texts[0][1])                                     # the analyzer model loads on first use
        start = time.process_time()
        for _ in range(repeat):
            for _, text in texts:
                run(text)
        seconds = time.process_time() - start
        print(f"throughput, {label}: {chars / seconds:,.0f} characters/s on one core "
              f"({chars:,} characters, CPU time)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=40, help="passes over the texts for the throughput figures")
    args = parser.parse_args(argv)
    print(f"machine: {cpu_model()}")
    pages = fetch_pages()
    extraction(pages)
    nlp(pages, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
