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
