"""Relative dates resolve against the article's publication date as a reader would."""

from tightrope.events.dates import resolve_date

MONDAY = "2025-10-27"  # a Monday


def test_past_weekday_named_on_its_own_publication_day_is_that_day():
    assert resolve_date("The talks took place on Monday.", MONDAY) == "2025-10-27"


def test_last_weekday_on_the_same_weekday_is_a_week_back():
    assert resolve_date("They met last Monday.", MONDAY) == "2025-10-20"


def test_past_weekday_is_the_most_recent_one():
    assert resolve_date("The ministry protested on Friday.", MONDAY) == "2025-10-24"


def test_planned_weekday_is_ahead():
    assert resolve_date("They will meet on Wednesday.", MONDAY, future=True) == "2025-10-29"


def test_month_and_year_named_in_text():
    assert resolve_date("The standoff began in May 2025.", MONDAY).startswith("2025-05")


def test_no_publication_date_gives_no_relative_date():
    assert resolve_date("They met on Monday.", None) is None


# --- hostile dates (issue 21): no date outside the window, no exception, no events lost -----------------

import pytest  # noqa: E402


@pytest.mark.parametrize("text, published", [
    ("It happened 1000000 days ago.", MONDAY),  # before year 1: OverflowError in timedelta arithmetic
    ("It happened 100000000 weeks ago.", MONDAY),
    ("That was 5000 months ago.", MONDAY),
    ("They met on Sunday.", "0001-01-01"),  # the weekday before year 1's first Monday
    ("They will meet next Monday.", "9999-12-31"),
    ("It happened yesterday.", "0001-01-01"),
    ("The treaty was signed on 9999-12-30.", MONDAY),
    ("The treaty was signed on 0001-01-01.", MONDAY),
    ("That was 3000 years ago.", MONDAY),  # a year before the window (and '-975' from plain arithmetic)
    ("It was 9999 years ago.", MONDAY),
    ("It happened " + "9" * 5000 + " days ago.", MONDAY),  # past int()'s digit limit
])
def test_hostile_dates_resolve_to_no_date(text, published):
    assert resolve_date(text, published) is None


def test_a_hostile_expression_does_not_hide_a_good_one_later_in_the_sentence():
    assert resolve_date("Begun 1000000 days ago, the talks resumed on Friday.", MONDAY) == "2025-10-24"


def test_dates_at_the_window_edges():
    assert resolve_date("They met on 1800-01-01.", MONDAY) == "1800-01-01"
    assert resolve_date("They met on 1799-12-31.", MONDAY) is None
    assert resolve_date("They met yesterday.", "1800-01-01") is None  # 1799-12-31
    assert resolve_date("They met two days ago.", "1800-01-03") == "1800-01-01"


def test_a_hostile_date_never_drops_an_articles_events():
    """'1000000 days ago' and a published date of 0001-01-01 with 'on Sunday' used to raise OverflowError,
    which the events stage caught by dropping every event of the article. Now the hostile expression gives no
    date of its own: an event takes the publication day where there is a sane one (issue 18: every event is
    dated by its clause, else by the publication day), none where the publication date is out of the window."""
    import tightrope

    cases = [("Russian forces attacked Ukraine 1000000 days ago, officials said.", "2024-03-05", "2024-03-05"),
             ("France and Germany signed a trade agreement on Sunday.", "0001-01-01", None)]
    for text, published, fallback in cases:
        (result,) = tightrope.extract_texts([text], published=published)
        assert result.events, text
        assert [(e.date, e.date_source) for e in result.events] == \
            [(fallback, "published" if fallback else "none")] * len(result.events)
    (result,) = tightrope.extract_texts([cases[1][0]], published="2024-03-05")
    assert [e.date for e in result.events] == ["2024-03-03"] * len(result.events)
