"""A small hand-made database for the relations, web and browser tests (no NLP needed)."""

from __future__ import annotations

import datetime as dt

from tightrope.records import Actor, Article, ArticleResult, Event, Quote
from tightrope.store import Store

COUNTRY = {"Washington": "USA", "New Delhi": "IND", "Islamabad": "PAK", "Beijing": "CHN"}
HOSTILE = '<script>alert("x")</script><b>bold</b> & "quotes"'


def _actor(text: str, start: int, sector: str = "GOV") -> Actor:
    c = COUNTRY[text]
    return Actor(text=text, start=start, end=start + len(text), name=text, country=c, sector=sector,
                 code=c + sector, kind="capital")


def _article(i: int, day: dt.date, outlet: str, sentences: list[tuple[str, str, str, str]],
             title: str | None = None, quote: str | None = None) -> ArticleResult:
    """sentences: (source capital, verb phrase, target capital, PLOVER type)."""
    text = ""
    actors, events = [], []
    for src, verb, tgt, typ in sentences:
        start = len(text)
        sent = f"{src} {verb} {tgt} on {day.isoformat()}."
        s_act = _actor(src, start)
        t_act = _actor(tgt, start + len(src) + len(verb) + 2)
        actors += [s_act, t_act]
        trig = start + len(src) + 1
        modality = "negated" if "did not" in verb else "asserted"
        events.append(Event(source=s_act, target=t_act, type=typ, sentence=sent, start=start,
                            end=start + len(sent), trigger=verb.split()[-1], modality=modality,
                            trigger_start=trig, trigger_end=trig + len(verb), date=day.isoformat()))
        text += sent + " "
    quotes = []
    if quote:
        qs = len(text) + 1
        text += f'"{quote}" said a spokesperson.'
        quotes.append(Quote(text=quote, direct=True, cue="said", speaker=None, start=qs, end=qs + len(quote)))
    text = text.strip()
    art = Article(id=f"art{i:03d}", title=title or f"Report {i}", text=text, outlet=outlet,
                  published=day.isoformat(), url=f"https://example.org/{i}", language="en")
    return ArticleResult(article=art, actors=actors, events=events, quotes=quotes)


def build_db(path) -> Store:
    """Eight weekly USA→IND articles (cooperative, then a conflictual week), USA→PAK, CHN→IND, and one
    article whose title, outlet and text hold HTML/script."""
    store = Store(path)
    results = []
    base = dt.date(2025, 1, 6)
    for w in range(8):
        day = base + dt.timedelta(weeks=w)
        if w < 7:
            sents = [("Washington", "agreed a trade deal with", "New Delhi", "AGREE"),
                     ("Washington", "consulted", "New Delhi", "CONSULT")]
        else:
            sents = [("Washington", "imposed sanctions on", "New Delhi", "SANCTION"),
                     ("Washington", "threatened", "New Delhi", "THREATEN")]
        results.append(_article(w, day, "Daily Planet" if w % 2 else "Morning Star", sents,
                                quote="We will keep talking" if w == 0 else None))
    results.append(_article(20, base, "Morning Star", [("Washington", "accused", "Islamabad", "ACCUSE"),
                                                       ("Washington", "did not attack", "Islamabad", "ASSAULT")]))
    results.append(_article(21, base + dt.timedelta(days=1), "Daily Planet",
                            [("Washington", "criticised", "Islamabad", "ACCUSE")],
                            quote="We will keep talking to them"))
    results.append(_article(22, base + dt.timedelta(weeks=1), "Morning Star",
                            [("Beijing", "sent aid to", "New Delhi", "AID")]))
    hostile = _article(30, base + dt.timedelta(weeks=2), HOSTILE,
                       [("Beijing", "consulted", "Islamabad", "CONSULT")], title="Hostile " + HOSTILE)
    a = hostile.article
    hostile.article = Article(id=a.id, title=a.title, text=a.text + " " + HOSTILE, outlet=a.outlet,
                              published=a.published, url="javascript:alert(1)", language="en")
    results.append(hostile)
    store.add_results(results)
    return store


def add_stories(path) -> bool:
    """Group the stored articles into stories when the stories module is available."""
    try:
        from tightrope.stories import group_store
    except ImportError:
        return False
    group_store(str(path))
    return True


def build_pair_db(path) -> Store:
    """Both directions of USA–IND over two months with a quote of each side naming the other, a USA → USA
    self-pair that outnumbers everything, an article about Indiana (for whole-word search), and two events
    dated 9999-12-30 and 0001-01-01 (junk dates that once broke the series)."""
    store = Store(path)
    base = dt.date(2025, 3, 3)
    results = []
    for w in range(8):
        day = base + dt.timedelta(weeks=w)
        results.append(_article(100 + w, day, "Morning Star", [("Washington", "consulted", "New Delhi", "CONSULT")]))
        if w % 2:
            results.append(_article(200 + w, day + dt.timedelta(days=1), "Daily Planet",
                                    [("New Delhi", "rejected", "Washington", "REJECT")]))
    for i in range(12):
        results.append(_article(300 + i, base + dt.timedelta(days=i), "Wire",
                                [("Washington", "accused", "Washington", "ACCUSE")]))
    for i, date in enumerate(["9999-12-30", "0001-01-01"]):
        r = _article(400 + i, base, "Wire", [("Washington", "accused", "Beijing", "ACCUSE")])
        r.events[0].date = date
        results.append(r)
    for art, speaker, named in ((results[1], "New Delhi", "Washington"), (results[0], "Washington", "New Delhi")):
        said = f"We told {named} our position"
        qs = len(art.article.text) + 2
        text = art.article.text + f' "{said}." said an official.'
        art.article = Article(id=art.article.id, title=art.article.title, text=text, outlet=art.article.outlet,
                              published=art.article.published, url=art.article.url, language="en")
        who = Actor(text=speaker, start=0, end=len(speaker), name=f"{speaker} official", country=COUNTRY[speaker],
                    code=COUNTRY[speaker] + "GOV", kind="role")
        art.quotes.append(Quote(text=said, direct=True, cue="said", speaker=who, start=qs, end=qs + len(said)))
        m = text.index(named, qs)
        art.actors.append(_actor(named, m))
    indiana = _article(500, base, "Wire", [("Washington", "consulted", "Beijing", "CONSULT")])
    indiana.article = Article(id=indiana.article.id, title="Farm report", text=indiana.article.text +
                              " Farmers in Indiana expect rain.", outlet="Wire", published=base.isoformat(),
                              url="https://example.org/500", language="en")
    results.append(indiana)
    store.add_results(results)
    return store
