"""Which words of an action sentence the action is about: spaCy's dependency parse, run on action
sentences only.

Rules over entity spans pick the nearest agency and the nearest platform; they cannot tell the
platform acted upon ("opened an investigation into Telegram") from one merely named in the same
sentence ("... after Telegram's near-total absence of responses", "cooperation from the company
would be taken into account"). The parse can: :func:`arguments` gives the tokens that fill a
slot of the trigger's predicate - its subject, object, agent ("by"), the objects of its
prepositions ("into", "against", "on") and, for a noun trigger, the verb that carries it
("opened an investigation", "faces charges", "under investigation") - and the names those
tokens head (lists, appositions, "Telegram founder Pavel Durov"). nlp/cases.py keeps an
authority or target only when one of its tokens is among them.

The parser is the slowest pipe of the English model and the main pipeline leaves it out; it is
loaded here, on first use, with only the shared embedding layer and the tagger (tok2vec, tagger,
parser), and each article's action sentences are parsed in one batch (bench/cases_eval.py
--parser measures the cost).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

# pipes of an en_core_web_* model the parse needs: the embedding layer it listens to, the tagger
# (a noun trigger's light verb is told by its tag), and the parser
_KEEP = ("tok2vec", "tagger", "parser")
# prepositions that set a time, cause or place, not who is acted upon
_CIRCUMSTANCE = frozenset({"after", "before", "because", "despite", "amid", "amidst", "since", "during", "following",
                           "as", "like", "than", "in", "until", "while", "including", "unlike", "besides", "within",
                           "throughout", "ahead", "prior", "regarding"})
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "poss", "compound", "nmod", "attr", "oprd",
                            "appos", "npadvmod"})
# what a name's head word may carry and still be that name's slot: "Telegram founder Pavel Durov",
# "Naver, Kakao and other portals", "the founder of Telegram"
_NAME_DEPS = frozenset({"conj", "appos", "compound", "poss", "nmod", "amod", "nummod", "quantmod", "det"})
_SPEECH = frozenset({"said", "says", "say", "told", "tell", "added", "announced", "announces", "stated", "noted",
                     "confirmed", "confirms", "explained", "wrote", "reported", "claimed", "claims"})
_PRONOUNS = frozenset({"it", "they", "we", "he", "she", "i"})
# a word that stands for a company named before it in the sentence ("Meta said ... its
# cooperation", "Telegram ... the company")
ANAPHORS = frozenset({"it", "its", "itself", "they", "their", "them", "company", "platform", "app", "firm",
                      "messenger", "service", "operator"})
_HYPOTHETICAL = frozenset({"would", "could", "might", "may"})


@lru_cache(maxsize=2)
def parser(model: str) -> Language:
    """The model's parser, loaded once per process on first use."""
    nlp = spacy.load(model, exclude=["senter", "attribute_ruler", "lemmatizer", "ner"])
    for name in list(nlp.pipe_names):
        if name not in _KEEP:
            nlp.remove_pipe(name)
    return nlp


def parse(model: str, sentences: list[Span]) -> list[Doc]:
    """Each sentence as a parsed Doc with the same tokens (token i of the Doc is token
    sentence.start + i of the article)."""
    nlp = parser(model)
    docs = [Doc(nlp.vocab, words=[t.text for t in s], spaces=[bool(t.whitespace_) for t in s]) for s in sentences]
    return list(nlp.pipe(docs))


def root(doc: Doc, start: int, end: int) -> Token:
    """The head word of tokens start..end (a multi-word trigger: "opened an investigation")."""
    for t in doc[start:end]:
        if not start <= t.head.i < end or t.head.i == t.i:
            return t
    return doc[start]


def ruling_verb(trigger: Token) -> Token | None:
    """The verb a court acts through when the trigger is the court itself ("a federal judge
    sentenced", "was ordered by a U.K. court", "U.S. District Judge R. Barclay Surrick ordered",
    "the court has ruled"): the verb the name it is part of is the subject or "by" agent of."""
    t = trigger
    while t.dep_ in ("compound", "appos") and t.head.tag_.startswith("NN"):
        t = t.head
    if t.dep_ == "nsubj" and t.head.tag_.startswith("VB"):
        return t.head
    if t.dep_ == "pobj" and t.head.dep_ == "agent" and t.head.head.tag_.startswith("VB"):
        return t.head.head
    return None


def _predicates(trigger: Token) -> list[Token]:
    """The trigger and the verbs whose arguments are its own: the light verb of a noun trigger
    ("opened an investigation", "imposed a fine", "is under investigation"), the verb it is the
    complement of ("plans to investigate"), the first of two verbs sharing a subject ("raided
    and charged")."""
    heads = [trigger]
    t = trigger
    while t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.tag_.startswith("NN"):
        t = t.head.head         # "a second set of formal proceedings", "a series of raids"
        heads.append(t)
    if t.tag_.startswith("NN"):
        if t.dep_ in ("dobj", "nsubjpass", "nsubj", "attr", "oprd", "conj") and t.head.tag_.startswith("VB"):
            t = t.head
            heads.append(t)
        elif t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.head.tag_.startswith("VB"):
            t = t.head.head
            heads.append(t)
    while t.dep_ in ("xcomp", "conj") and t.head.tag_.startswith("VB") \
            and not any(c.dep_.startswith("nsubj") for c in t.children):
        t = t.head
        heads.append(t)
    return heads


def hypothetical(trigger: Token) -> bool:
    """A noun trigger that is the subject of a would/could/might clause is talked of, not done:
    "cooperation from the company would be taken into account"."""
    return trigger.tag_.startswith("NN") and trigger.dep_ in ("nsubj", "nsubjpass") and any(
        c.dep_ == "aux" and c.lower_ in _HYPOTHETICAL for c in trigger.head.children)


def arguments(trigger: Token, ruling: bool = False) -> tuple[set[int], set[int]]:
    """(tokens that may name the actor, tokens that may name the one acted upon): the slots of
    the trigger's predicates and the names they head. A trigger in what someone said, whose own
    clause names no actor but a pronoun or none ("police said they had begun an investigation",
    "the prosecutor said the investigation was opened"), takes the speaker as its actor. With
    ``ruling`` (a court's action), what the ruling says of someone is about them: the subject of
    a complement clause and what it is on ("the court has ruled Apple must pay", "ruled that a
    sales ban on the Samsung Galaxy Tab 7.7 should be extended", "ordered that Apple publish")."""
    slots: set[Token] = set()
    actors: set[Token] = set()
    heads = _predicates(trigger)
    for h in heads:
        if ruling and h.tag_.startswith("VB"):
            for cl in h.children:
                if cl.dep_ != "ccomp":
                    continue
                for subj in (c for c in cl.children if c.dep_ in ("nsubj", "nsubjpass")):
                    slots.add(subj)
                    slots.update(g for p in subj.children if p.dep_ == "prep" and p.lower_ not in _CIRCUMSTANCE
                                 for g in p.children if g.dep_ == "pobj")
        for c in h.children:
            if c.dep_ in _ARGUMENT_DEPS:
                slots.add(c)
            elif c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ not in _CIRCUMSTANCE):
                for g in c.children:
                    if g.dep_ == "pobj":
                        slots.add(g)
                    elif g.dep_ == "pcomp":     # "an investigation into whether the company aided ..."
                        slots.update(x for x in g.children if x.dep_ in ("nsubj", "nsubjpass", "dobj"))
                    elif c.lower_ == "according" and g.dep_ == "prep":   # "according to the police"
                        actors.update(x for x in g.children if x.dep_ == "pobj")
        if h.dep_ in ("relcl", "acl") and h.head.i != h.i:      # "the police, who arrested him"
            slots.add(h.head)
    top = heads[-1]
    subject = [c for c in top.children if c.dep_ in ("nsubj", "nsubjpass")]
    agentless = not subject or all(c.lower_ in _PRONOUNS for c in subject) or (
        subject[0].dep_ == "nsubjpass" and not any(c.dep_ == "agent" for c in top.children))
    if top.dep_ == "ccomp" and top.head.lower_ in _SPEECH and agentless:
        actors.update(c for c in top.head.children if c.dep_ == "nsubj")
    return _names(slots | actors), _names(slots)


_CLAUSE_DEPS = frozenset({"advcl", "ccomp", "relcl", "acl", "csubj", "csubjpass", "parataxis"})


def in_clause(trigger: Token, token: Token) -> bool:
    """Whether ``token`` belongs to the trigger's clause: the path between them in the tree
    enters no other clause ("... after Japan's guidance was seen as pressuring Naver") and no
    phrase of time or cause ("after Telegram's near-total absence of responses"). Verbs joined by
    "and" share a clause unless the second has its own subject; a clause that modifies the other
    word is its own ("a probe targeting Telegram", "Durov, who was charged")."""
    up = {t.i: t for t in [token, *token.ancestors]}
    common = next((t for t in [trigger, *trigger.ancestors] if t.i in up), None)
    if common is None:
        return False
    for side in (token, trigger):
        t = side
        while t.i != common.i:
            modifies = t.dep_ in ("acl", "relcl") and t.head.i == common.i
            if (t.dep_ in _CLAUSE_DEPS and not modifies) or (t.dep_ == "prep" and t.lower_ in _CIRCUMSTANCE) or (
                    t.dep_ == "conj" and any(c.dep_.startswith("nsubj") for c in t.children)):
                return False
            t = t.head
    return True


def _names(tokens: set[Token]) -> set[int]:
    out: set[int] = set()
    stack = list(tokens)
    while stack:
        t = stack.pop()
        if t.i in out:
            continue
        out.add(t.i)
        stack.extend(c for c in t.children if c.dep_ in _NAME_DEPS)
        stack.extend(g for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                     for g in c.children if g.dep_ == "pobj")
    return out
