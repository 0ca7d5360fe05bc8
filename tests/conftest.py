"""Test-suite wide settings: which tests are slow.

`pytest -m "not slow"` is the fast loop while developing (under 3 minutes on the 2-core development machine);
plain `pytest -q` (what CI runs) runs everything. A test over about 5 s is marked `@pytest.mark.slow` where it
is written; the ones below are in files their owners have not marked yet (measured with `--durations`), and
every browser test is slow (it starts Chromium).
"""

from __future__ import annotations

import warnings

import pytest

SLOW = {
    "test_web.py::test_every_page_reachable_from_root_by_plain_links",
    "test_web.py::test_dashboard_keeps_serving_while_a_writer_adds_batches",
    "test_web.py::test_script_in_article_title_outlet_and_text_is_escaped",
    "test_ingest_fuzz.py::test_corrupted_files",
    "test_ingest_fuzz.py::test_folders_with_field_maps_and_limits",
    "test_ingest_fuzz.py::test_warc_with_hostile_payload",
    "test_ingest_fuzz.py::test_html_with_hostile_content",
    "test_ingest_fuzz.py::test_csv_rows_with_hostile_cells",
    "test_events_neural.py::test_partial_last_layer_equals_full_layer",
    "test_cli.py::test_allsides_corpus_field_mapping",
    "test_nlp.py::test_fast_pipeline_is_the_stock_model_token_for_token",
    "test_reliability.py::test_sigkill_at_several_points_loses_nothing",
    "test_reliability.py::test_reader_keeps_working_and_two_extracts_do_not_corrupt",
    "test_reliability.py::test_kill_inside_a_transaction_leaves_no_half_batch",
}


def pytest_collection_modifyitems(config, items) -> None:
    seen, files = set(), set()
    for item in items:
        name = f"{item.path.name}::{getattr(item, 'originalname', item.name)}"
        seen.add(name)
        files.add(item.path.name)
        if name in SLOW or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
    # a slow test renamed would silently join the fast loop: say so
    whole_files = not config.getoption("keyword") and not any("::" in str(a) for a in config.args)
    lost = sorted(n for n in SLOW if n.split("::")[0] in files and n not in seen)
    if lost and whole_files:
        warnings.warn(pytest.PytestWarning(f"tests/conftest.py SLOW names tests that do not exist: {', '.join(lost)}"))
