"""Direct and indirect quotes, claims and the denials that answer them (rules over text + parse)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from ..records import Actor, Article, Claim, Quote

DATA = Path(__file__).parent / "data"

_IRREGULAR = {
    "say": ["said"], "tell": ["told"], "write": ["wrote", "written"], "think": ["thought"],
    "feel": ["felt"], "hold": ["held"], "speak": ["spoke", "spoken"],
}


@lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, str]:
    """lemma -> kind (say, claim, deny, affirm, hedge) from data/cues.tsv."""
    out: dict[str, str] = {}
    for line in (DATA / "cues.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, kind = line.split("\t")[:2]
        out[lemma.strip()] = kind.strip()
    return out


def _inflect(lemma: str) -> list[str]:
    forms = [lemma] + _IRREGULAR.get(lemma, [])
    if lemma.endswith("e"):
        forms += [lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms += [lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    elif re.search(r"(s|sh|ch|x|z)$", lemma):
        forms += [lemma + "es", lemma + "ed", lemma + "ing"]
    else:
        forms += [lemma + "s", lemma + "ed", lemma + "ing"]
        if re.search(r"[^aeiou][aeiou][pbtgdm]$", lemma) and len(lemma) <= 4:
            forms += [lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]
    return forms


@lru_cache(maxsize=1)
def cue_forms() -> dict[str, str]:
    """inflected form -> lemma."""
    out: dict[str, str] = {}
    for lemma in cue_lexicon():
        for form in _inflect(lemma):
            out.setdefault(form, lemma)
    return out


# Words that may carry a quote even when the sentence has no quotation mark: the strong reporting cues.
_PREDICATE_WORDS = sorted({f for f, l in cue_forms().items()
                           if cue_lexicon()[l] in ("say", "claim", "deny", "affirm") and l not in (
                               "call", "post", "point", "continue", "ask", "think", "believe", "add",
                               "report", "answer", "charge", "signal", "observe", "note", "state", "describe",
                               # weak or common: they do not decide on their own that a segment is parsed
                               "cite", "offer", "remind", "express", "compare", "reference", "slam", "blast",
                               "decry", "bemoan", "advocate", "outline", "press", "promote", "email", "decline")}
                          | {"according", "said", "says", "told", "tells", "added", "stated", "noted"})
_MIGHT_HOLD = re.compile(
    r"[\"“”‘«»„]|(?<!\w)'(?=\w)|\b(?:" + "|".join(map(re.escape, _PREDICATE_WORDS)) + r")\b",
    re.IGNORECASE,
)


def might_hold_quote(text: str) -> bool:
    """Cheap test used to decide whether a segment is worth a full parse: quotation marks or a reporting cue."""
    return _MIGHT_HOLD.search(text) is not None


# ---------------------------------------------------------------- direct quotes on the raw text

# (opening pattern, closing pattern) per style; single quotes must not be apostrophes.
_STYLES = [
    (re.compile(r"[“\"]"), re.compile(r"[”\"]")),
    (re.compile(r"«\s?"), re.compile(r"\s?»")),
    (re.compile(r"„"), re.compile(r"[“”]")),
    (re.compile(r"\""), re.compile(r"\"")),
    (re.compile(r"(?<![\w'])(?:''|``)(?=[^\s'])"), re.compile(r"(?<=[^\s'])''(?!['\w])")),
    (re.compile(r"(?<![\w’'])‘"), re.compile(r"’(?![a-zA-Z])")),
    (re.compile(r"(?<![\w’'])'(?=[^\s'])"), re.compile(r"(?<=[^\s'])'(?![a-zA-Z])")),
]


def find_direct(text: str) -> list[tuple[int, int, int, int]]:
    """(open_mark_start, content_start, content_end, close_mark_end) for every quoted passage.

    A quote whose paragraph ends without a closing mark goes on when the next paragraph opens with the
    same mark (the multi-paragraph convention). Single-quote spans inside double-quote spans are nested
    quotes and are left to their container.
    """
    found: list[tuple[int, int, int, int]] = []

    def inside(pos: int) -> bool:
        return any(o <= pos < c for o, _, _, c in found)

    for op, cl in _STYLES:
        pos = 0
        while True:
            m = op.search(text, pos)
            if not m:
                break
            if inside(m.start()):
                pos = m.end()
                continue
            cstart = m.end()
            j = cstart
            result = None
            while True:
                c = cl.search(text, j)
                nl = text.find("\n", j)
                if nl != -1 and (c is None or nl < c.start()):
                    k = nl
                    while k < len(text) and text[k].isspace():
                        k += 1
                    nxt = op.match(text, k)
                    if nxt and k > nl and text[k] == text[m.start()]:
                        j = nxt.end()
                        continue
                    break
                if c is None:
                    break
                result = (m.start(), cstart, c.start(), c.end())
                break
            if result is None:
                pos = m.end() if nl == -1 else max(m.end(), nl)
                continue
            o, cs, ce, cend = result
            if text[cs:ce].strip() and not any(o < c2 and o2 < cend for o2, _, _, c2 in found):
                # trim inner whitespace
                while cs < ce and text[cs].isspace():
                    cs += 1
                while ce > cs and text[ce - 1].isspace():
                    ce -= 1
                found.append((o, cs, ce, cend))
            pos = cend
    found.sort()
    return found


# ---------------------------------------------------------------- helpers over the doc

def _parsed(tok: Token) -> bool:
    return tok.dep_ != "unparsed" and bool(tok.pos_)


def _lemma(tok: Token) -> str:
    low = tok.lower_.replace("’", "'")
    if _parsed(tok) and tok.lemma_:
        lem = tok.lemma_.lower()
        if lem in cue_lexicon():
            return lem
    return cue_forms().get(low, "")


def _sentences(doc: Doc, text: str) -> list[tuple[int, int]]:
    try:
        sents = [(s.start_char, s.end_char) for s in doc.sents]
        if sents:
            return sents
    except (ValueError, AttributeError):
        pass
    from ..nlp import split_segments

    return split_segments(text)


_SUBJ = ("nsubj", "nsubjpass", "csubj", "expl")
_NP_RIGHT = ("compound", "flat", "appos_name")
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "who"}


@dataclass
class _Attr:
    cue: Token | None
    cue_text: str | None
    cue_start: int | None
    cue_end: int | None
    src: tuple[int, int] | None


def _np_span(tok: Token) -> tuple[int, int]:
    """The whole source phrase headed by `tok`, appositions and relative clauses included
    ("Pete Seat, an Indiana GOP consultant whose firm ..."), the way attribution corpora mark sources."""
    left, right = tok.left_edge, tok.right_edge
    for child in sorted(_np_tail(tok), key=lambda c: c.i):
        if _not_source(child):
            # "Amy Deace, who said she would not ..." / "Noah on Thursday": the source ends before
            right = tok.doc[max(tok.i, child.left_edge.i - 1)]
            break
    while left.i < tok.i and (left.dep_ in ("cc", "mark", "preconj") or left.lower_ in ("but", "and", "while")):
        left = left.doc[left.i + 1]
    while right.i > tok.i and (right.is_punct or right.is_space):
        right = right.doc[right.i - 1]
    while left.i < tok.i and (left.is_punct or left.is_space):
        left = left.doc[left.i + 1]
    if right.i - left.i > 40:  # a runaway parse: keep the head's own words
        left, right = tok, tok
    return left.idx, right.idx + len(right)


_SPEECH_VERBS = {"say", "tell", "call", "write", "describe", "add", "explain"}

_SOURCE_TIME_NOUNS = {"statement", "interview", "filing", "email", "letter", "tweet", "speech", "post",
                      "release", "memo", "op-ed", "editorial", "radio", "television", "conference", "call",
                      "debate", "rally", "town", "hearing", "briefing", "appearance", "remarks", "response"}


def _np_tail(tok: Token) -> list[Token]:
    """Right-hand modifiers of a source head, looking through appositions."""
    out = [c for c in tok.rights]
    for c in list(out):
        if c.dep_ == "appos":
            out += [g for g in c.rights]
    return out


def _not_source(child: Token) -> bool:
    """A modifier the parser hung on the source that is no part of it: a relative clause that reports
    speech itself (labels are univocal), a time or the occasion of the saying."""
    if child.dep_ in ("relcl", "acl"):
        return any(_lemma(t) in _SPEECH_VERBS and t.pos_ == "VERB" for t in child.subtree)
    if child.dep_ == "npadvmod" and child.ent_type_ in ("DATE", "TIME"):
        return True
    if child.dep_ == "prep" and child.lower_ in ("on", "in", "at", "during", "about", "after", "before", "of"):
        objs = [g for g in child.children if g.dep_ == "pobj"]
        if not objs:
            return False
        o = objs[0]
        if child.lower_ == "about":
            return True
        if child.lower_ == "of":
            return False
        return o.ent_type_ in ("DATE", "TIME") or o.lower_ in _SOURCE_TIME_NOUNS
    return False


def _cue_span(tok: Token) -> tuple[int, int]:
    """The cue with its auxiliaries, negation and particle: "has described", "don't like", "pointed out"."""
    left, right = tok, tok
    if _parsed(tok):
        for child in reversed(list(tok.lefts)):
            if child.dep_ in ("aux", "auxpass", "neg") and child.i == left.i - 1:
                left = child
        for child in tok.rights:
            if child.dep_ == "prt" and child.i == right.i + 1:
                right = child
    return left.idx, right.idx + len(right)


def _subject(verb: Token) -> Token | None:
    seen = 0
    v = verb
    while v is not None and seen < 5:
        for child in v.children:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                if child.dep_ == "nsubjpass" and v is verb:
                    # "the deal was described as a gift", "she is expected to win": the passive subject is
                    # what is spoken of; the speaker is the agent, when there is one
                    return _agent(verb)
                return child
        if v.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp", "prep") and v.head is not v:
            v = v.head
            seen += 1
            continue
        break
    # "a statement the government refuted": relcl subjects are handled by the children loop above
    return _agent(verb)


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for g in child.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _split_off_subject(verb: Token) -> tuple[int, int] | None:
    """The subject cut off by a false sentence break, "Rep. Jane Roe (D-N.Y.) | said ...": when the verb opens
    its sentence and the sentence before is a bare name phrase (no verb, at most 15 words), that phrase."""
    doc = verb.doc
    try:
        sent = verb.sent
    except ValueError:
        return None
    if any(t.is_alpha and t.pos_ != "ADV" for t in doc[sent.start:verb.i]) or sent.start == 0:
        return None
    prev = [t for t in doc[sent.start - 1].sent if not t.is_space]
    while prev and prev[0].is_punct:
        prev = prev[1:]
    if not prev or len(prev) > 15 or not any(t.pos_ == "PROPN" for t in prev) or prev[-1].text not in (")",) and \
            prev[-1].pos_ != "PROPN":
        return None
    for n, t in enumerate(prev):
        if t.pos_ in ("VERB", "AUX") or t.text in ("!", "?", ";", ":") or t.text == "." and (
                n + 1 == len(prev) or prev[n + 1].text != ")"):
            return None
    return prev[0].idx, prev[-1].idx + len(prev[-1])


def _adjacent_source(doc: Doc, cue: Token, lo: int, hi: int) -> tuple[int, int] | None:
    """Speaker next to an unparsed cue: `said Rubio`, `Rubio said`, `he told reporters`."""
    def run_from(i: int, step: int) -> tuple[int, int] | None:
        j = i
        toks = []
        while lo <= j < hi:
            t = doc[j]
            if t.is_punct and t.text not in (".", "-"):
                break
            if t.lower_ in _PRONOUNS and not toks:
                return t.idx, t.idx + len(t)
            if t.text[:1].isupper() or (toks and t.lower_ in ("of", "the")):
                toks.append(t)
                j += step
                continue
            if not toks and t.lower_ in ("also", "later", "then", "has", "had", "have", "swiftly", "firmly",
                                         "reportedly", "repeatedly", "again", "once", "once again", "further"):
                j += step
                continue
            break
        while toks and toks[-1].lower_ in ("of", "the"):
            toks.pop()
        if not toks:
            return None
        a, b = min(toks, key=lambda t: t.i), max(toks, key=lambda t: t.i)
        return a.idx, b.idx + len(b)

    after = run_from(cue.i + 1, 1)
    before = run_from(cue.i - 1, -1)
    if before is not None:
        return before
    return after


# ---------------------------------------------------------------- the stage

def extract_quotes(doc: Doc, actors: list[Actor], article: Article) -> tuple[list[Quote], list[Claim]]:
    """Direct and indirect quotes, and the claims among them with who disputes them."""
    text = article.text
    if not text or doc is None or len(doc) == 0:
        return [], []
    sents = _sentences(doc, text)
    direct = find_direct(text)
    quote_zone = [(o, c) for o, _, _, c in direct]

    def in_quote(pos: int) -> bool:
        return any(o <= pos < c for o, c in quote_zone)

    def sent_of(pos: int) -> int:
        for k, (s, e) in enumerate(sents):
            if s <= pos < e:
                return k
        return max(0, len(sents) - 1)

    def actor_for(span: tuple[int, int] | None) -> Actor | None:
        if span is None:
            return None
        s, e = span
        best = None
        # the head noun phrase comes before an apposition or participle ("Rubio, speaking ... at the ASEAN
        # summit"): an actor there is the speaker; otherwise the mention nearest the end of the phrase
        comma = text.find(",", s, e)
        head_e = comma if comma != -1 and any(s <= a.start and a.end <= comma for a in actors) else e
        for a in actors:
            if a.start < head_e and s < a.end:
                key = (abs(a.end - head_e), -(min(a.end, head_e) - max(a.start, s)))
                if best is None or key < best[0]:
                    best = (key, a)
        if best:
            a = best[1]
            if s <= a.start and a.end <= e and (s, e) != (a.start, a.end):
                # the mention inside a longer source phrase ("US Secretary of State Marco Rubio")
                return replace(a, text=text[s:e], start=s, end=e)
            return a
        return Actor(text=text[s:e], start=s, end=e, kind="source")

    quotes: list[Quote] = []
    claims: list[Claim] = []
    cue_used: dict[int, tuple[int, int] | None] = {}
    denied: set[int] = set()

    # ---- indirect speech and denials from parsed cue verbs
    indirect_spans: list[tuple[int, int]] = []
    denials: list[tuple[Token, tuple[int, int] | None, tuple[int, int] | None]] = []
    for tok in doc:
        lem = _lemma(tok)
        if not lem or in_quote(tok.idx):
            continue
        kind = cue_lexicon()[lem]
        if kind == "deny" and _parsed(tok) and tok.pos_ not in ("VERB", "AUX"):
            # "an assertion India disputes" tagged as a noun: claim noun, then the disputer
            back = [t for t in doc[max(0, tok.i - 5):tok.i]]
            for n, t in enumerate(back):
                if t.lower_ in _CLAIM_NOUNS:
                    rest = back[n + 1:]
                    if rest and all(r.text[:1].isupper() or r.lower_ in _PRONOUNS or r.lower_ == "the" for r in rest):
                        denials.append((tok, (rest[0].idx, rest[-1].idx + len(rest[-1])), None))
                    break
            continue
        if not _parsed(tok):
            if kind == "deny":
                src = _adjacent_source(doc, tok, max(0, tok.i - 8), min(len(doc), tok.i + 8))
                denials.append((tok, src, None))
            continue
        if tok.pos_ not in ("VERB", "AUX") and not (tok.pos_ == "NOUN" and False):
            continue
        subj = _subject(tok)
        src = _np_span(subj) if subj is not None else _split_off_subject(tok)
        content: tuple[int, int] | None = None
        comps = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp")]
        if comps:
            # the complementizer ("that", "whether") belongs to the content, as PolNeAR marks it
            toks = list(comps[0].subtree)
            toks = [t for t in toks if t.i > tok.i] or toks
            toks = _cut_apposed_claim(toks)
            later = [c for c in comps if c.i > tok.i and c.dep_ == "ccomp"]
            if comps[0].i < tok.i and comps[0].dep_ == "ccomp" and later:
                # "It is no surprise, Mr. Garin said, that ...": both halves around the cue
                toks = list(comps[0].subtree) + _cut_apposed_claim(list(later[-1].subtree))
            if toks:
                a, b = toks[0], toks[-1]
                while b.is_punct and b.i > a.i and b.text not in ("”", "\"", "’"):
                    b = doc[b.i - 1]
                content = (a.idx, b.idx + len(b))
        if (content is None and tok.dep_ == "parataxis" and tok.head.i != tok.i and not in_quote(tok.head.idx)
                and (not _lemma(tok.head) or not any(c.dep_ in ("ccomp", "xcomp") for c in tok.head.children))):
            # "The bigger risk, she said, is a clash": the clause around the parenthetical cue is the content
            # (also when that clause's verb is itself a cue word used plainly: "..., he said, feels right")
            content = _around(tok)
        if (content is None and tok.dep_ == "conj" and subj is not None and subj.i > tok.i
                and tok.i > 0 and doc[tok.i - 1].text == "," and kind in ("say", "claim")):
            # "..., but it is under pressure, said the chief executive": the parser joined the cue to the
            # clause it reports; everything before the comma in the sentence is the content
            content = _before_inverted_cue(tok)
        has_pred = any(g.dep_ == "oprd" for g in tok.children)
        if content is None and (lem not in _NO_OBJECT or has_pred):
            for child in tok.children:
                if child.dep_ not in ("dobj", "obj"):
                    continue
                # "called the deal a disaster", "dismissed the report as absurd": object and predicate
                pred = [g for g in tok.children if g.i > child.i and (
                    g.dep_ == "oprd" or (g.dep_ == "prep" and g.lower_ == "as"))]
                if child.lower_ in ("which", "that", "who", "whom") or not pred and (child.lower_ in ("it", "this") or child.pos_ == "PRON" or (
                        child.ent_type_ in ("PERSON", "NORP", "GPE", "ORG") and lem in _ADDRESSEE_VERBS)):
                    continue
                if pred:  # "called the deal a gift to smugglers": a prepositional tail the parser hung on the verb
                    pred += [g for g in tok.children if g.dep_ == "prep" and g.i == pred[-1].right_edge.i + 1]
                a, b = child.left_edge, (pred[-1] if pred else child).right_edge
                while b.is_punct and b.i > a.i and b.text not in ("”", "\"", "’"):
                    b = doc[b.i - 1]
                content = (a.idx, b.idx + len(b))
                break
        if content is None:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in ("for", "about", "on", "to", "of", "against", "as"):
                    objs = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
                    if objs:
                        a, b = objs[0].left_edge, objs[0].right_edge
                        content = (a.idx, b.idx + len(b))
                        break
        if kind == "deny":
            denials.append((tok, src, content))
        if content is None:
            continue
        cue_span = _cue_span(tok)
        # drop a content that is itself just a direct quote (handled below)
        indirect_spans.append(content)
        speaker = actor_for(src)
        if src is not None:
            cue_used[tok.i] = src
        quotes.append(Quote(text=text[content[0]:content[1]], direct=False, cue=tok.text, speaker=speaker,
                            start=content[0], end=content[1], cue_start=cue_span[0], cue_end=cue_span[1]))
        if kind == "deny":
            denied.add(id(quotes[-1]))  # what a denial rejects is reported, not claimed by its speaker

    # ---- nominal attributions: "Lee's assertion that ...", "she made a promise to ...", "the decision by X to ..."
    for tok in doc:
        if not _parsed(tok) or tok.pos_ != "NOUN" or tok.lemma_.lower() not in _NOMINAL_CUES or in_quote(tok.idx):
            continue
        found = _nominal(tok)
        if found is None:
            continue
        src, content = found
        if any(q.start < content[1] and content[0] < q.end for q in quotes):
            continue
        indirect_spans.append(content)
        quotes.append(Quote(text=text[content[0]:content[1]], direct=False, cue=tok.text, speaker=actor_for(src),
                            start=content[0], end=content[1], cue_start=tok.idx, cue_end=tok.idx + len(tok)))

    # ---- "according to X, Y" / "Y, according to X": the rest of the sentence is X's
    for m in re.finditer(r"\b[Aa]ccording to\s+([^,.;:“\"\n]+)", text):
        if in_quote(m.start()):
            continue
        k = sent_of(m.start())
        fs, fe = sents[k]
        src = (m.start(1), m.start(1) + len(m.group(1).rstrip()))
        after = src[1]
        if text[after:after + 1] == ",":
            after += 1
        before_txt = text[fs:m.start()].rstrip(" ,—–-(")
        has_before = bool(before_txt.strip(" \n([“\"‘'"))
        if has_before and text[src[1]:src[1] + 1] == "," and len(text[after:fe].split()) >= 3 \
                and _opener_only(doc, fs, m.start()):
            # "Since May, according to X, troops have killed ...": what comes before is only an opener, so
            # the finding runs on both sides ("Y, according to X, who ..." keeps Y alone)
            cs_, ce_ = fs, fe
        elif has_before:
            cs_, ce_ = fs, fs + len(before_txt)
        else:
            cs_, ce_ = after, fe
        while cs_ < ce_ and text[cs_].isspace():
            cs_ += 1
        while ce_ > cs_ and (text[ce_ - 1].isspace() or text[ce_ - 1] in ".!?"):
            ce_ -= 1
        # a quoted phrase inside the finding ('the speech is "a test" of his reach, according to X') is
        # part of it; only a finding that is itself a quotation is left to the direct quotes
        if ce_ - cs_ < 3 or any(a <= cs_ and ce_ <= b for a, b in quote_zone):
            continue
        indirect_spans.append((cs_, ce_))
        quotes.append(Quote(text=text[cs_:ce_], direct=False, cue="according to", speaker=actor_for(src),
                            start=cs_, end=ce_, cue_start=m.start(), cue_end=m.start() + len("according to")))

    # ---- "Sanders: Clinton email story has moved" (headlines, transcripts): a name, a colon, what they say
    for m in _LABEL_LINE.finditer(text):
        name = m.group(1)
        said = m.group(2)
        if said.count(",") >= 4 or (name.isupper() and " " in name) or re.search(r"['’]s\b", name):
            continue  # a list of names under a heading, a section title ("Rubio's Message: ...")
        if name.split()[0].lower() in _NOT_LABELS or in_quote(m.start(2)) or any(
                q.start < m.end(2) and m.start(2) < q.end for q in quotes):
            continue
        ce_ = m.end(2)
        while ce_ > m.start(2) and text[ce_ - 1] in " .!?":
            ce_ -= 1
        src = (m.start(1), m.end(1))
        indirect_spans.append((m.start(2), ce_))
        quotes.append(Quote(text=text[m.start(2):ce_], direct=False, cue=":", speaker=actor_for(src),
                            start=m.start(2), end=ce_, cue_start=m.end(1), cue_end=m.end(1) + 1))

    # ---- direct quotes
    prev: Quote | None = None
    prev_close = -1
    for o, cs, ce, cend in direct:
        k0, k1 = sent_of(cs), sent_of(max(cs, ce - 1))
        if k1 + 1 < len(sents) and sents[k1][1] <= cend + 1:
            # the closing mark ended the sentence: '“...” Rep. Smith said.' is the next segment
            nxt_s, nxt_e = sents[k1 + 1]
            if text[cend:nxt_s].strip() == "" and "\n" not in text[cend:nxt_s] and nxt_e - nxt_s < 120 \
                    and not any(c in text[nxt_s:nxt_e] for c in "“\"‘«"):
                k1 += 1
        fs, fe = sents[k0][0], sents[k1][1]
        span = doc.char_span(fs, fe, alignment_mode="expand")
        frame = [t for t in (span if span is not None else []) if not in_quote(t.idx)]
        cue_tok: Token | None = None
        best_d = None
        for t in frame:
            lem = _lemma(t)
            if not lem or cue_lexicon()[lem] == "deny":
                continue
            if _parsed(t) and t.pos_ not in ("VERB", "AUX"):
                continue
            if _parsed(t) and t.tag_ in ("VBN", "VBG") and t.dep_ in ("advcl", "acl", "amod") and text[fs:o].rstrip().endswith(":"):
                continue  # 'Asked whether ..., Rubio was measured: “...”' — the colon clause speaks
            d = min(abs(t.idx - cend), abs(t.idx - o))
            if best_d is None or d < best_d:
                best_d, cue_tok = d, t
        src: tuple[int, int] | None = None
        cue_text = None
        cue_span: tuple[int, int] | None = None
        frame_text = text[fs:fe]
        acc = re.search(r"\baccording to\s+([^,.;:“\"]+)", frame_text, re.IGNORECASE)
        if acc and in_quote(fs + acc.start()):
            acc = None
        if cue_tok is not None:
            cue_text = cue_tok.text
            cue_span = _cue_span(cue_tok)
            if cue_tok.i in cue_used:
                src = cue_used[cue_tok.i]
            elif _parsed(cue_tok):
                subj = _subject(cue_tok)
                src = _np_span(subj) if subj is not None and not in_quote(subj.idx) else _split_off_subject(cue_tok)
            if src is None:
                src = _adjacent_source(doc, cue_tok, span.start if span is not None else 0,
                                       span.end if span is not None else len(doc))
        elif acc:
            a0 = fs + acc.start(1)
            src = (a0, a0 + len(acc.group(1).rstrip()))
            cue_text, cue_span = "according to", (fs + acc.start(), fs + acc.start() + len("according to"))
        else:
            hs = fs
            before = text[fs:o].rstrip()
            if not before.strip() and k0 > 0 and text[sents[k0 - 1][0]:sents[k0 - 1][1]].rstrip().endswith(":"):
                # 'The Times reports:\n\n"..."': the colon clause is the segment before
                hs = sents[k0 - 1][0]
                before = text[hs:o].rstrip()
            if before.endswith(":") and len(before) > 0:
                head = doc.char_span(hs, hs + len(before) - 1, alignment_mode="expand")
                if head is not None:
                    subjs = [t for t in head if _parsed(t) and t.dep_ in ("nsubj", "nsubjpass")
                             and head.start <= t.head.i < head.end]
                    subj = next((t for t in subjs if t.head.dep_ == "ROOT"), subjs[-1] if subjs else None)
                    if subj is not None:
                        src = _np_span(subj)
                        verb = subj.head
                        cue_text, cue_span = verb.text, (verb.idx, verb.idx + len(verb))
                    else:
                        words = list(head)
                        cut = next((n for n, t in enumerate(words) if t.lower_ in _COPULAS), None)
                        if cut and cut <= 8 and (words[0].text[:1].isupper() or words[0].lower_ in _PRONOUNS):
                            src = (words[0].idx, words[cut - 1].idx + len(words[cut - 1]))
                            cue_text, cue_span = words[cut].text, (words[cut].idx, words[cut].idx + len(words[cut]))
            if src is None and prev is not None and prev.speaker is not None:
                gap = text[prev_close:o]
                if len(gap) < 80 and "\n\n" not in gap.strip() or (gap.strip() == "" ):
                    src = (prev.speaker.start, prev.speaker.end)
                    cue_text, cue_span = prev.cue, (prev.cue_start, prev.cue_end) if prev.cue_start is not None else None
        content = text[cs:ce]
        n_words = len(content.split())
        if n_words < 3 and (cue_tok is None or cue_lexicon().get(_lemma(cue_tok)) not in ("say", "claim")) and cue_text != "according to":
            prev_close = cend
            continue  # '“R,” or “D,”', titles: a word or two needs a real reporting verb
        if src is None and (cue_text is None or n_words < 6):
            if n_words < 6 or not re.search(r"[.!?,;]\W*$", content):
                prev_close = cend
                continue  # scare quotes / titles: not speech
        if any(a <= cs and ce <= b for a, b in indirect_spans) and src is not None:
            # a partial quote inside reported speech: keep it, the same speaker says it
            pass
        speaker = actor_for(src) if src is not None else None
        q = Quote(text=content, direct=True, cue=cue_text, speaker=speaker, start=cs, end=ce,
                  cue_start=cue_span[0] if cue_span else None, cue_end=cue_span[1] if cue_span else None)
        quotes.append(q)
        prev, prev_close = q, cend

    # an indirect content that is just a direct quote is that quote
    directs = [(q.start, q.end) for q in quotes if q.direct]
    quotes = [q for q in quotes if q.direct or not any(
        min(q.end, e) - max(q.start, s) >= 0.8 * (q.end - q.start) for s, e in directs)]
    quotes.sort(key=lambda q: (q.start, q.end))
    quotes = _drop_second_hand(quotes)

    # ---- claims: attributed content; denials link to the claim they answer
    for q in quotes:
        if q.speaker is None or id(q) in denied:
            continue
        cs, ce = q.start, q.end
        m = _COMPLEMENTIZER.match(text, cs, ce)
        if m and ce > m.end():
            cs = m.end()  # the claim is the proposition: "that Lagos agreed" -> "Lagos agreed"
        claims.append(Claim(claimer=q.speaker, text=text[cs:ce], cue=q.cue, start=cs, end=ce))
    claims.sort(key=lambda c: (c.start, -(c.end - c.start)))

    for tok, src, content in denials:
        disputer = actor_for(src)
        if disputer is None:
            continue
        k = sent_of(tok.idx)
        target: Claim | None = None
        refers_back = content is None or tok.dep_ in ("relcl", "acl") or (
            tok.head is not tok and tok.head.lower_ in _CLAIM_NOUNS)
        if refers_back:
            cands = [c for c in claims if c.end <= tok.idx and sent_of(c.start) in (k, k - 1)
                     and not _same(c.claimer, disputer)]
            if cands:
                last_sent = max(sent_of(c.start) for c in cands)
                cands = [c for c in cands if sent_of(c.start) == last_sent]
                target = min(cands, key=lambda c: (c.start, -(c.end)))
        if target is None and content is not None:
            from .align import similarity

            denied = text[content[0]:content[1]]
            scored = [(similarity(denied, c.text), c) for c in claims if not _same(c.claimer, disputer)]
            scored = [sc for sc in scored if sc[0] >= 0.3]
            if scored:
                target = max(scored, key=lambda sc: sc[0])[1]
            else:
                same = [c for c in claims if sent_of(c.start) == k and c.end <= tok.idx and not _same(c.claimer, disputer)]
                if same:
                    target = same[-1]
        if target is None and content is not None:
            target = Claim(claimer=None, text=text[content[0]:content[1]], cue=tok.text,
                           start=content[0], end=content[1], modality="disputed")
            claims.append(target)
        if target is not None and not any(_same(d, disputer) for d in target.disputed_by):
            target.disputed_by.append(disputer)
    claims.sort(key=lambda c: (c.start, c.end))
    return quotes, claims


_NOMINAL_CUES = {"assertion", "claim", "belief", "promise", "pledge", "vow", "decision", "view", "argument",
                 "suggestion", "proposal", "call", "warning", "plan", "effort", "insistence", "contention",
                 "admission", "hope", "fear", "concern", "accusation", "allegation", "threat", "demand",
                 "desire", "intention", "determination", "refusal", "bid", "push", "attempt", "wish", "idea",
                 "opinion", "position", "conviction", "expectation", "prediction", "assurance", "commitment"}
_LIGHT_VERBS = {"make", "issue", "express", "offer", "deliver", "voice", "reiterate", "renew", "repeat", "give",
                "announce", "launch", "lead", "share", "have", "hold", "state", "restate", "signal", "reject"}


def _drop_second_hand(quotes: list[Quote]) -> list[Quote]:
    """Reported speech inside reported speech ("the poll found that 54 percent said they ...", "she said
    that Smith told her ...") is the outer speaker's account: the inner quote, whose speaker and words both
    lie inside another quote's content, is dropped. A denial is kept: it answers what it sits in ("hailing
    his mediation, a move the ministry dismissed as theatre")."""
    keep = []
    for q in quotes:
        sp = q.speaker
        lem = cue_forms().get((q.cue or "").lower(), "")
        if not q.direct and sp is not None and cue_lexicon().get(lem) != "deny" and any(
                o is not q and o.start <= q.start and q.end <= o.end and o.end - o.start > q.end - q.start
                and o.start <= sp.start and sp.end <= o.end for o in quotes):
            continue
        keep.append(q)
    return keep


def _nominal(tok: Token) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(source, content) of an attribution noun with a clause and a holder, or None."""
    sub: list[Token] = []
    for c in tok.children:
        if c.dep_ in ("acl", "ccomp") and c.i > tok.i:
            t = list(c.subtree)
            if t[0].lower_ in ("to", "that", "whether") and t[0].i == tok.i + 1:
                sub = t
                break
    if not sub and tok.dep_ == "nsubj" and tok.head.lemma_ == "be":  # "his view is that ..."
        for c in tok.head.children:
            if c.dep_ == "ccomp" and c.i > tok.head.i:
                t = list(c.subtree)
                if t[0].lower_ == "that":
                    sub = t
                    break
    if len(sub) < 3:
        return None
    src: tuple[int, int] | None = None
    for c in tok.children:
        if c.dep_ == "poss":
            src = _np_span(c)
            if c.right_edge.i + 1 < len(tok.doc) and tok.doc[c.right_edge.i + 1].dep_ == "case":
                src = (src[0], tok.doc[c.right_edge.i + 1].idx + len(tok.doc[c.right_edge.i + 1]))
        elif c.dep_ == "prep" and c.lower_ in ("by", "from") and c.i < sub[0].i:
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                src = _np_span(objs[0])
    if src is None and tok.dep_ in ("dobj", "obj") and tok.head.lemma_.lower() in _LIGHT_VERBS:
        subj = _subject(tok.head)
        if subj is not None:
            src = _np_span(subj)
    if src is None:
        return None
    b = sub[-1]
    while b.is_punct and b.i > sub[0].i and b.text not in ("”", "\"", "’"):
        b = tok.doc[b.i - 1]
    return src, (sub[0].idx, b.idx + len(b))


def _opener_only(doc: Doc, start: int, end: int) -> bool:
    """True when the tagged words in [start, end) are a short opener without a finite verb ("In addition")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    toks = [t for t in span or () if not t.is_punct and not t.is_space]
    return 0 < len(toks) <= 6 and all(t.tag_ for t in toks) and not any(
        t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in toks)


def _before_inverted_cue(cue: Token) -> tuple[int, int] | None:
    """The words of the cue's sentence before the comma that opens "..., said X"."""
    toks = [t for t in cue.sent if t.i < cue.i - 1]
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks = toks[1:]
    if len([t for t in toks if not t.is_punct]) < 3:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def _around(cue: Token) -> tuple[int, int] | None:
    """The head clause of a parenthetical cue without the cue's own words at its edges."""
    inner = {t.i for t in cue.subtree}
    toks = [t for t in cue.head.subtree if t.i not in inner]
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].dep_ == "cc"):
        toks = toks[1:]
    while toks and (toks[-1].is_space or (toks[-1].is_punct and toks[-1].text not in ("”", "\"", "’"))):
        toks = toks[:-1]
    if len([t for t in toks if not t.is_punct]) < 2:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def _cut_apposed_claim(toks: list[Token]) -> list[Token]:
    """Content ends before '— a statement (the government refuted)' / ', a claim ...'."""
    for n, t in enumerate(toks):
        if t.text in ("—", "–", "--", ",", "-") and n > 0:
            nxt = [x.lower_ for x in toks[n + 1:n + 4]]
            if any(w in _CLAIM_NOUNS for w in nxt):
                return toks[:n]
    return toks


_LABEL_LINE = re.compile(r"^[ \t]*((?:[A-Z][\w.'’-]*)(?:[ \t]+[A-Z][\w.'’-]*){0,3}):[ \t]+(\S[^\n]{9,})$",
                         re.MULTILINE)
_NOT_LABELS = {"update", "updated", "note", "editor's", "editor’s", "photo", "photos", "related", "watch", "read",
               "video", "source", "sources", "image", "credit", "tags", "share", "posted", "published", "by",
               "q", "a", "question", "answer", "correction", "warning", "listen", "see", "more", "also", "and",
               "the", "in", "on", "at", "for", "to", "from", "with", "this", "that", "here", "why", "what", "how",
               "so", "breaking", "look", "exclusive", "live"}

_COMPLEMENTIZER = re.compile(r"(?:that|whether|if)\s+", re.IGNORECASE)

_COPULAS = {"was", "is", "were", "are", "has", "had", "have", "remained", "sounded", "seemed", "put", "wrote", "added"}

_ADDRESSEE_VERBS = {"tell", "ask", "inform", "assure", "urge", "call", "invite", "advise", "order"}

_NO_OBJECT = {"tell", "ask", "call", "answer", "read", "post", "write", "hear", "continue", "note", "order"}

_CLAIM_NOUNS = {"statement", "claim", "claims", "assertion", "allegation", "allegations", "remark", "remarks",
                "report", "reports", "suggestion", "accusation", "accusations", "contention", "charge", "charges",
                "version", "account", "narrative", "characterization", "characterisation", "assessment"}


def _same(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None:
        return False
    if a.entity and b.entity:
        return a.entity == b.entity
    return (a.start, a.end) == (b.start, b.end) or (a.name is not None and a.name == b.name and a.kind == b.kind)
