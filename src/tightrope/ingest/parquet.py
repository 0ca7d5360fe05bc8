"""Parquet tables, read one record batch at a time so memory stays flat on large corpora."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..records import Article, InputProblem
from .common import DATE_FIELDS, OUTLET_FIELDS, TEXT_FIELDS, TITLE_FIELDS, URL_FIELDS, FieldMap
from .io import STREAM_ERRORS, describe_error, is_gzip, open_binary
from .tables import article_from_row

BATCH_ROWS = 512
READ_BUFFER_BYTES = 1 << 20


def wanted_columns(available: list[str], fields: FieldMap) -> list[str]:
    """Only the columns the field map or the usual names can use: skips wide unused columns."""
    names = {fields.text, fields.title, fields.outlet, fields.published, fields.url}
    names.update(TEXT_FIELDS + TITLE_FIELDS + OUTLET_FIELDS + DATE_FIELDS + URL_FIELDS)
    return [col for col in available if col in names]


@contextmanager
def seekable_path(path: Path) -> Iterator[Path]:
    """Parquet needs random access: a .parquet.gz is gunzipped to a temporary file first (streamed)."""
    if not is_gzip(path):
        yield path
        return
    with tempfile.NamedTemporaryFile(suffix=".parquet") as tmp:
        with open_binary(path) as src:
            shutil.copyfileobj(src, tmp, 1 << 20)
        tmp.flush()
        yield Path(tmp.name)


def read_parquet(path: Path, fields: FieldMap, max_chars: int | None = None) -> Iterator[Article | InputProblem]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    row = 0
    try:
        with seekable_path(path) as local:
            # pre_buffer (the default) keeps whole column chunks alive: memory grew with the file
            table = pq.ParquetFile(local, buffer_size=READ_BUFFER_BYTES, pre_buffer=False)
            missing = fields.missing_text_column(table.schema_arrow.names)
            if missing:
                yield InputProblem(str(path), missing)
                return
            columns = wanted_columns(table.schema_arrow.names, fields)
            if not columns:
                yield InputProblem(str(path), "no usable columns (use --text-field to name the text column)")
                return
            for batch in table.iter_batches(batch_size=BATCH_ROWS, columns=columns):
                for record in batch.to_pylist():
                    row += 1
                    yield article_from_row(record, f"{path}:{row}", fields, max_chars)
    except (pa.ArrowException, *STREAM_ERRORS, ValueError) as exc:
        where = f"after row {row}" if row else "at the start"
        yield InputProblem(str(path), f"unreadable Parquet {where} ({describe_error(exc)})")
