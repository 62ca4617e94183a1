"""Sentence boundaries without the parser.

``policywatch_paragraphs`` marks the token after every line break as a
sentence start, so the headline and each paragraph begin a sentence even
without final punctuation; spaCy's rule-based ``sentencizer``, placed after
it, splits the rest on punctuation and leaves those marks alone. Together they
replace the dependency parser (the slowest pipe) for wire copy, whose
sentences end in punctuation and whose abbreviations ("Sept.", "U.S.") the
tokenizer already keeps whole.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span


@Language.component("policywatch_paragraphs")
def mark_paragraph_starts(doc: Doc) -> Doc:
    for i, token in enumerate(doc):
        if i == 0:
            token.is_sent_start = True
        elif doc[i - 1].is_space and "\n" in doc[i - 1].text and not token.is_space:
            token.is_sent_start = True
    return doc


def sentence_text(span: Span) -> str:
    """The whitespace-normalised sentence containing ``span`` (the whole doc if unsegmented)."""
    doc = span.doc
    sent = span.sent if doc.has_annotation("SENT_START") else doc[:]
    return " ".join(sent.text.split())
